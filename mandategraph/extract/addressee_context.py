"""Addressees read in their document: short names and bare titles that stand for a row the
document writes out in full.

* :func:`resolve_in_context`: "the Special Rapporteur" -> the one mandate holder of that title
  the document names in full;
* :func:`body_in_document`: "the Office", "the High Commissioner", "the Special Committee" ->
  the one row whose name the short name heads and that the document writes out (a row over a
  longer name built on it; of several, the one named at least three times as often as any
  other); never a guess: None when none fits;
* :func:`title_in_document`: "the Chair of the Special Committee" -> the Chair of that row.

(Split from :mod:`.addressees`, which reads a phrase on its own.)
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..core.reference import bodies
from .addressees import GROUPS, Addressee, _norm, _printed, resolve
from .clauses import rules_for as clause_rules


#: a mandate holder's title without its topic ("the Special Rapporteur"), named in full
#: elsewhere in the same document
_BARE_HOLDER = re.compile(r"^(?:Special Rapporteur|Independent Expert|Special Representative"
                          r"(?: of the Secretary-General)?|Special Envoy(?: of the Secretary-General)?|"
                          r"Working Group)$")


def resolve_in_context(who: Addressee, context: str, lang: str = "en") -> Addressee:
    """"the Special Rapporteur" -> the one mandate holder of that title the document names in
    full ("the Special Rapporteur on the right to food"); unchanged when there is none or
    more than one. A list of such short names ("the Chair-Rapporteur of the Working Group and
    the Special Rapporteur") -> its members, when each is read so; its text is then their full
    names, joined as printed, without the articles."""
    if who.key is None and not _BARE_HOLDER.match(who.text):
        return _list_in_context(who, context, lang)
    if who.key is not None or not _BARE_HOLDER.match(who.text):
        return who
    found: dict[str, Addressee] = {}
    counts: dict[str, int] = {}
    verbs = clause_rules(lang).action_verbs
    pat = re.compile(rf"\b(?P<head>{re.escape(who.text)}(?: of the Secretary-General)?)"
                     rf"(?: of the Human Rights Council)? (?P<prep>on|for) "
                     r"(?P<topic>[^,;.()“”]{4,160})")
    for start in re.finditer(rf"\b{re.escape(who.text)}\b", context):  # (overlapping mentions)
        m = pat.match(context, start.start())
        if m is None:
            continue
        topic = m.group("topic")
        if (m.group("prep") == "for" and topic[:1].islower()) or re.match(r"(?:its|their|his|her)\b", topic):
            continue  # "commends the Special Rapporteur for the activities ...", "the Working
            # Group on its twenty-sixth session": not a title
        whole = topic
        for t in _TOPIC_END.finditer(topic):
            if topic[:1].isupper() and t.group(0).strip() == "and" and topic[t.end():t.end() + 2].strip()[:1].isupper():
                continue  # a topic in capitals goes on: "for Children and Armed Conflict"
            if t.group("v") is None or t.group("v") in verbs:
                topic = topic[:t.start()]
                break
        if topic == whole:  # a topic that is a list: "on extrajudicial, summary or arbitrary executions"
            more = _TOPIC_LIST.match(context, m.end("topic"))
            if more is not None and not verbs.intersection(re.findall(r"[a-z][\w-]*", more.group(0))):
                topic += more.group(0)
        r = resolve(f"{m.group('head')} {m.group('prep')} {topic.strip()}", lang)
        if r is not None and r.key is not None:
            found[r.key] = r
            counts[r.key] = counts.get(r.key, 0) + 1
    # a topic that ran on ("... Korea so far") counts for the holder it begins with
    for k in sorted(found, key=lambda k: -len(found[k].name or "")):
        j = next((j for j in found if j != k and (found[k].name or "").startswith((found[j].name or "") + " ")),
                 None)
        if j is not None:
            counts[j] += counts.pop(k)
            del found[k]
    # of several holders of the title, the one the document is about: named in full at least
    # three times as often as any other (as :func:`body_in_document`); else none
    ranked = sorted(((n, k) for k, n in counts.items()), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] < 3 * ranked[1][0]):
        return who
    return found[ranked[0][1]]


#: where a holder's topic ends: an infinitive of an action verb, a verb, a relative pronoun,
#: "in" not before a place name ("in her report", "in the fulfilment of"; not "human rights in
#: the Democratic People's Republic of Korea"), "with" before a determiner ("with all the
#: assistance"; not "persons with disabilities"), a footnote mark
_TOPIC_END = re.compile(r"\s+(?:to\s+(?P<v>[a-z]+)|(?:and|at|is|was|has|who|of the Human Rights "
                        r"Council)\b|in\s+(?!the\s+[A-Z]|[A-Z])|with\s+(?:her|his|its|their|this|"
                        r"that|these|those|all|the|a|an|any|regard|respect)\b|\d{1,3}\b)")


#: the rest of a topic that is a comma list of adjectives or nouns ending in "or/and <word>
#: <noun>" (", summary or arbitrary executions"), read when the topic ends at its first comma
_TOPIC_LIST = re.compile(r",\s+(?:[a-z][\w-]*,\s+){0,3}[a-z][\w-]*,?\s+(?:or|and)\s+[a-z][\w-]*\s+[a-z][\w-]*\b")

#: the separators of a list of addressees, with the article of the next member
_MEMBER_SEP = re.compile(r"(?:,\s+and|,\s+as well as|\s+as well as|,|\s+and)\s+the\s+(?=[A-Z])")


def _list_in_context(who: Addressee, context: str, lang: str) -> Addressee:
    """A list of addressees whose members are short names read in the document (see
    :func:`resolve_in_context`); unchanged unless every member is read."""
    seps = list(_MEMBER_SEP.finditer(who.text))
    if not seps or len(seps) > 6:
        return who
    bounds = [0, *(x for m in seps for x in (m.start(), m.end())), len(who.text)]
    members = []
    names = []
    for a, b in zip(bounds[::2], bounds[1::2]):
        part = who.text[a:b].strip()
        r = resolve(part, lang)
        if r is None or r.others:
            return who
        if r.key is None:  # a short name: its full name, as the document writes it
            r = title_in_document(resolve_in_context(r, context, lang), context, lang)
            if r.key is None or r.others:
                return who
            names.append(r.name or bodies()[r.key].name_en if r.key in bodies() else r.name or part)
        elif r.says_more:
            return who  # "competent international organizations": not only the row
        else:
            names.append(part)
        members.append(r)
    table = bodies()
    text = "".join(n + (re.sub(r"\s*the\s+$", " ", seps[i].group(0)) if i < len(seps) else "")
                   for i, n in enumerate(names))
    first = members[0]
    return Addressee(first.key, text, name=first.name, cls=first.cls, parent=first.parent,
                     others=tuple(dict.fromkeys(m.key for m in members[1:] if m.key != first.key)),
                     holders=tuple((m.key, m.name, m.cls) for m in members[1:]
                                   if m.key not in table and m.name))


#: a short name that stands for a body named in full elsewhere in the document ("the Office",
#: "the High Commissioner", "the Special Committee", "the Office of the High Commissioner")
_SHORT_NAME = re.compile(r"^(?:the |The )?(?P<name>[A-Z][\w-]*(?: (?:of the |of |for |on |and )?[A-Z][\w-]*){0,4})$")
#: a title of a body named by a short name ("the Chair of the Special Committee")
_OF_SHORT = re.compile(r"^(?:the |The )?(?P<title>Chair|Chairperson|Chairs|Chairpersons|Bureau|"
                       r"Chair-Rapporteur|Chairperson-Rapporteur|"
                       r"secretariat|Secretariat) of the (?P<short>.+)$")


_ADOPTION_BLOCK = re.compile(r"\[[^\[\]]{0,300}\]")


_COMPLEMENT = re.compile(r"\s(?:of|for|on|to|against|in)\s")


@lru_cache(maxsize=256)
def _head_re(short: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(short)}(?:$|,|\s+(?:of|for|on|to|against|in)\b)")


def _fits(short: str, name: str) -> bool:
    """``short`` is a phrase of ``name``, or (three words or more) its words in order from
    the first ("Office of the High Commissioner" in "Office of the United Nations High
    Commissioner for Refugees")."""
    if len(name) <= len(short) or short.split(" ", 1)[0] not in name:
        return False
    # the short name is the head of the name: nothing but its complement follows ("Office"
    # in "Office of the ...", not "United Nations" in "United Nations Office on ...")
    m = _head_re(short).search(name)
    if m and not _COMPLEMENT.search(name, 0, m.start()):  # (not "... of the United Nations")
        return True
    words = short.split(" ")
    if len(words) < 3 or not name.startswith(words[0] + " "):
        return False
    rest = name.split(" ")
    i = 0
    for j, w in enumerate(rest):
        if i < len(words) and w == words[i]:
            i += 1
            if i == len(words):
                return j + 1 == len(rest) or rest[j + 1] in ("of", "for", "on", "to", "against", "in")
    return False


@lru_cache(maxsize=256)
def _fitting(short: str, lang: str) -> tuple[tuple[str, str], ...]:
    """(key, name) of the rows whose names :func:`_fits` the short name."""
    return tuple((key, n) for key, b in bodies().items() for n in b.names(lang) if _fits(short, n))


@lru_cache(maxsize=512)  # (a str caches its hash: the document is hashed once)
def body_in_document(phrase: str, document: str, lang: str = "en") -> str | None:
    """A short name -> the one row whose name contains it (:func:`_fits`) and is written out
    in the document; when the names written out are a row and a longer name built on it ("the
    United Nations High Commissioner for Refugees" and "the Office of the United Nations High
    Commissioner for Refugees" for "the High Commissioner"), the row the short name is the
    head of; of several rows, the one named in full at least three times as often as any
    other. None when no row fits or none dominates: the caller keeps the words and flags them."""
    m = _SHORT_NAME.match(phrase.strip())
    if not m:
        return None
    short = m.group("name")
    if "[" in document:  # not the adoption block ("[on the report of the Sixth Committee (...)]")
        document = _ADOPTION_BLOCK.sub(" ", document)
    found: dict[str, str] = {}
    for key, n in _fitting(short, lang):
        if n in document and len(n) > len(found.get(key, "")):
            found[key] = n
    keys = [k for k, n in found.items() if not any(o != k and found[o] in n for o in found)]
    if len(keys) == 1:
        return keys[0]
    # several rows written out: the one the document is about, named in full at least
    # three times as often as any other ("the Office" in a resolution on UNODC that names the
    # Office of Counter-Terrorism once); else none
    counts = sorted(((document.count(found[k]), k) for k in keys), reverse=True)
    if len(counts) > 1 and counts[0][0] >= 3 * max(counts[1][0], 1):
        return counts[0][1]
    return None


def _titled_in_document(title: str, short: str, document: str, lang: str) -> Addressee | None:
    """"the secretariat of the Convention" -> the one row "<title> of the <short> ..." whose
    full name the document writes ("the Convention on Biological Diversity": the row
    "secretariat of the Convention on Biological Diversity"); of several, the one written at
    least three times as often as any other (as :func:`body_in_document`); else None."""
    found: dict[str, Addressee] = {}
    counts: dict[str, int] = {}
    for m in re.finditer(rf"\b{re.escape(short)}((?: [\w’'-]+){{1,10}})", document):
        words = m.group(1).split()
        for k in range(len(words), 0, -1):
            r = resolve(f"{title} of the {short} {' '.join(words[:k])}", lang)
            if r is not None and r.key is not None and r.key in bodies() and not r.says_more:
                found[r.key] = r
                counts[r.key] = counts.get(r.key, 0) + 1
                break
    ranked = sorted(((n, k) for k, n in counts.items()), reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] < 3 * ranked[1][0]):
        return None
    return found[ranked[0][1]]


def title_in_document(who: Addressee, document: str, lang: str = "en") -> Addressee:
    """"the Chair of the Special Committee" -> the Chair of the one body the document writes
    out in full for "the Special Committee"; unchanged otherwise."""
    if who.key is not None:
        return who
    m = _OF_SHORT.match(who.text)
    if not m:
        return who
    body = body_in_document(m.group("short"), document, lang)
    if body is not None:
        name = bodies()[body].name_en
    elif any(n in document for _, n in _fitting(m.group("short"), lang)):
        return who  # rows of the tables fit but none dominates: never a guess
    elif (titled := _titled_in_document(m.group("title"), m.group("short"), document, lang)) is not None:
        return Addressee(titled.key, who.text, name=titled.name, cls=titled.cls, parent=titled.parent)
    else:  # a working group named by its topic ("the Working Group on the Right to Development")
        inner = resolve_in_context(Addressee(None, m.group("short")), document, lang)
        if inner.key is None or not inner.name:
            return who
        name = inner.name
    full = resolve(f"{m.group('title')} of the {name}", lang)
    if full is None or full.key is None:
        return who
    return Addressee(full.key, who.text, name=full.name, cls=full.cls, parent=full.parent)


#: a group named again by a demonstrative ("those organizations", "these bodies") or a pronoun
#: ("them"): the addressee named before it in the paragraph (English wording, by language code)
_ANAPHOR = {"en": re.compile(r"^(?:(?:those|these|such|the said)\s+(?P<noun>[a-z][\w-]*)|them|they)$",
                             re.IGNORECASE)}


def antecedent(who: Addressee, previous: Addressee | None, lang: str = "en") -> Addressee:
    """"and also invites those organizations to present findings" -> the addressee of the
    request before it in the same paragraph ("relevant international organizations and
    standard-setting bodies"), when its printed words have the demonstrative's noun (any
    addressee for "them"); unchanged otherwise: the words are kept as printed and flagged."""
    pattern = _ANAPHOR.get(lang)
    m = pattern.match(who.text) if pattern is not None and previous is not None else None
    if m is None or previous is None:
        return who
    noun = m.group("noun")
    if noun is not None and not re.search(rf"(?i)\b{re.escape(noun)}\b", previous.text):
        return who
    return previous


#: "to invite States ... to inform him of their views", "to entrust the Council with including
#: ... in its report": the one asked has someone else produce the output (English wording)
_PRODUCER = {"en": re.compile(
    r"^(?:invite|entrust|encourage|request|ask|call upon)\s+(?P<who>[^,;]{3,120}?)"
    r"(?P<ins>,\s+[^,;]{1,160},)?\s+(?:to\s+(?!(?:the|a|an|its|their|his|her|this|that|all|be)\b)"
    r"(?P<inner>[a-z])|with\s+(?P<task>[a-z]+ing)\b)")}
_INNER_END = re.compile(r",?\s+and\s+to\s+|;")


def producer(action: str, is_output, lang: str = "en") -> str | None:
    """The producer named inside the action (gold README: "to invite States to inform him" is
    asked of the States, "to entrust the Council with including ... in its report" of the
    Council), when what that producer is asked to do is itself a report or submission
    (``is_output``: text -> bool, the clause reader's); else None."""
    pattern = _PRODUCER.get(lang)
    m = pattern.match(action) if pattern is not None else None
    if m is None:
        return None
    if m.group("inner") is not None:
        rest = action[m.start("inner"):]
        end = _INNER_END.search(rest)
        if not is_output(rest[:end.start()] if end else rest):
            return None  # "to invite States to participate ..., and to report": his own report
        if end is not None and is_output(rest[end.end():]):
            return None  # "to invite Member States ... to present proposals ..., and to submit a
            # comprehensive report on the question": the report on them is his (gold: one report)
    elif not is_output(action):
        return None
    return m.group("who")


def fullest_form(who: Addressee, document: str, lang: str = "en") -> Addressee:
    """The printed words of a row named by the start of its full name beside other words ("the
    Working Group on the use of mercenaries and other experts"), with the full name in place
    of the short one when the document prints the rest of it ("... mercenaries as a means of
    violating human rights and impeding ...": "Working Group on the use of mercenaries as a
    means of ... and other experts", the fullest form printed, gold README); groups keep their
    words ("States referred to in ...")."""
    b = bodies().get(who.key) if who.key is not None else None
    if b is None or b.cls in GROUPS or who.others or not who.says_more or who.text.startswith(b.name_en):
        return who
    low, full = _norm(who.text), _norm(b.name_en)
    for alias in b.names(lang):
        a = _norm(alias)
        if not a or a == full or not full.startswith(a + " ") or not low.startswith(a) \
                or low[len(a):len(a) + 1] not in (" ", ","):
            continue
        rest = b.name_en[len(b.name_en) - (len(full) - len(a)):]  # " as a means of ..."
        if (a.rsplit(" ", 1)[-1] + rest).lower() in document.lower():
            return replace(who, text=b.name_en + _printed(who.text)[len(a):])
    return who
