"""The operative-clause reader: the text of one operative paragraph -> its requests and decisions.

:func:`read_clauses` is the one place that reads the clauses of a General Assembly (or committee
draft) paragraph; the resolution extractor turns its :class:`Clause` objects into mandates and
planned agenda items, and the committee-draft extractor (#14) reuses it for proposed mandates.
It knows nothing of facts, IRIs or bodies: names are returned as printed, and the caller resolves
them (``extract.addressees``). All wording is data (``lang/<lang>_clauses.py``).

What it reads (each a class of forms, not a list of cases):

* a request in any case, with its adverbs and inserted phrases: "Requests", "Also requests",
  "Further requests", "Requests, in this regard, the ...", "... and in this regard requests
  ...", "Reiterates its request to ...", "Reiterates the request to the Secretary-General, within
  his annual report ..., to present ..." -> verb lemma, addressee as printed, action;
* sub-items "(a)" ... "(z)", "(i)" ... "(x)" after ":" or ";": each is its own clause, with the
  label in :attr:`Clause.item`; an item without a verb of its own ("Requests the
  Secretary-General: (a) To develop ...") takes the parent's verb and addressee; an item with an
  infinitive request ("Decides: ... (b) To request the Secretary-General to submit ...") is a
  request of its own;
* agenda inclusion ("Decides to include in the provisional agenda of its eighty-first session,
  and to consider thereafter on a biennial basis, under the item entitled “...”, the sub-item
  entitled “...”"), continued consideration ("Decides to continue its consideration of the
  question at its eighty-second session"), and "decides that <X> will present ...";
* "Recommends that <addressee> <verb> ..." (a request in the subjunctive), infinitives after
  ";" that go on with a request ("...; and to provide frequent and detailed reporting");
* outputs named without "<addressee> to <submission verb>" (:func:`_nominal_outputs`): expected
  ("looks forward to the update / a report of the Commission"), in the passive ("requests that
  updates ... be provided to the Commission", "decides that updated information shall be
  included in the report"), the output first ("invites further comments from Member States"), a
  briefing organized; consideration continued in the passive ("the consideration of ... shall
  be continued during its seventy-ninth session");
* the reporting elements of an action: output (:func:`output_of`: the object of a submission
  verb, never a noun inside a complement, a relative clause, a quoted title or a list, nor one
  sent to no body), due sessions (``extract.dues``: only a
  future session of the body named; "at their eighty-second and sixty-sixth sessions,
  respectively" pairs bodies and sessions), recurrence.

Offsets in a :class:`Clause` are offsets into the ``text`` given to :func:`read_clauses`.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache



@dataclass(frozen=True)
class Clause:
    kind: str  #: "request" | "agenda" | "consideration"
    verb: str  #: lemma: "requests", "invites", "decides", ...
    start: int
    end: int
    action: str  #: the text from the end of the addressee (insertions included) to the clause end
    action_start: int
    addressee: str | None = None  #: as printed, article removed ("Secretary-General")
    addressee_full: str | None = None  #: everything before the action (insertions included)
    item: str | None = None  #: sub-item label: "b", "iv"
    ordinal: str | None = None  #: agenda / consideration: the session as printed
    title: str | None = None  #: agenda inclusion: the item's title
    parent_title: str | None = None  #: agenda inclusion: "under the item entitled ..."
    inserted: str = ""  #: agenda inclusion: the inserted clause ("and to consider thereafter ...")
    #: requests: where the text after the addressee starts (an inserted phrase, then the action):
    #: "the Secretary-General, within his annual report to ... at its eighty-first session, to
    #: present proposals" -> due sessions and recurrence are read from here, the output from
    #: the action alone
    context_start: int | None = None
    #: an output the clause names itself, without a submission verb ("looks forward to the
    #: update", "requests that updates ... be provided"); else :func:`output_of` of the action
    output: str | None = None


@lru_cache(maxsize=4)
def rules_for(lang: str):
    """The clause rules of a language (``lang/<lang>_clauses.py``), English when it has none."""
    try:
        return importlib.import_module(f"{__package__}.lang.{lang}_clauses").RULES
    except ModuleNotFoundError:
        return importlib.import_module(f"{__package__}.lang.en_clauses").RULES


# --------------------------------------------------------------------------- segments


@dataclass
class _Segment:
    start: int
    end: int
    item: str | None


def _segments(text: str, C) -> list[_Segment]:
    """The chapeau and each sub-item of a paragraph."""
    marks = list(C.sub_item.finditer(text)) if "(" in text else []
    if not marks:
        return [_Segment(0, len(text), None)]
    out = [_Segment(0, marks[0].start(), None)]
    for k, m in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
        out.append(_Segment(m.end(), end, m.group("label")))
    return out


def _clause_end(text: str, pos: int, limit: int, C) -> int:
    m = C.clause_end.search(text, pos, limit)
    return m.start() if m else limit


def split_addressee(rest: str, C) -> tuple[str, int] | None:
    """Where the addressee ends and the action starts in ``rest`` (the text after the verb):
    (addressee text, offset of the action in ``rest``), or None when there is no "to <verb>".
    Prefers "to <action verb>" with no open insertion before it or right after a comma (an
    insertion closed: "the Special Rapporteur on the right to education, within her existing
    mandate, to contribute"), then any "to <action verb>", then ", to <word>", then any
    "to <word>" that is not an article. "to further analyse" reads the verb after the adverb."""
    window = re.split(r"[;:]", rest, maxsplit=1)[0][:320]
    cands = []
    for m in re.finditer(r"\s+to\s+(?:(?:further|also|fully|actively|urgently|effectively|duly|"
                         r"continue to)\s+)?(?P<w>[a-z][\w-]*)", window):
        w = m.group("w")
        if w in C.not_action:
            continue
        cands.append((m, w in C.action_verbs, window[m.start() - 1:m.start()] == ","
                      or window[:m.start()].endswith(",")))
    if not cands:
        return None
    pick = next((c for c in cands if c[1] and (c[2] or "," not in window[:c[0].start()])), None) \
        or next((c for c in cands if c[1]), None) \
        or next((c for c in cands if c[2]), None) or cands[0]
    m = pick[0]
    return rest[:m.start()].rstrip(" ,"), m.start("w")


def _addressee(full: str, C) -> str:
    """The addressee without its article and without an inserted phrase after a comma
    (the full text stays in :attr:`Clause.addressee_full` for names that contain commas)."""
    a = C.article.sub("", full.strip())
    m = C.insertion.search(a)
    return a[:m.start()].strip() if m else a.strip()


def read_clauses(text: str, lang: str = "en") -> list[Clause]:
    """The request, agenda-inclusion and consideration clauses of one operative paragraph."""
    C = rules_for(lang)
    body = text
    out: list[Clause] = []
    parent: tuple[str, str | None, str | None] | None = None  #: verb, addressee, full
    infinitive_only = False  #: the parent hands itself only to items opening "To <verb>"
    for seg in _segments(body, C):
        found = _clauses_in(body, seg, C)
        if seg.item is None:
            # a chapeau ending in ":" hands its verb (and addressee) to the sub-items
            tail = body[seg.start:seg.end].rstrip()
            if tail.endswith(":"):
                last = _open_request(body, seg, C)
                bare = C.bare_request.search(tail)
                if last is not None:
                    parent = last
                elif bare is not None:  # "Urges: (a) All States to report ..."
                    parent = (_lemma(bare.group("verb"), C), "", "")
                elif found and found[-1].kind == "request" and found[-1].end >= len(tail) - 1 \
                        and found[-1].verb != "decides":
                    # "Requests the Department ... to implement ... and, inter alia: (a) To
                    # develop ...; (f) To report to the Special Committee ..."
                    c = found[-1]
                    parent, infinitive_only = (c.verb, c.addressee, c.addressee_full), True
                elif re.search(r"\b[Dd]ecides\b[^;]*:$", tail):
                    parent = ("decides", None, None)
        elif not found and parent is not None and parent[1] == "":
            found = _own_addressee(body, seg, parent[0], C)
        elif not found and parent is not None and parent[1] is not None:
            # "Requests the Secretary-General: (a) To develop ...": the parent's request
            s = seg.start
            lead = (C.infinitive_item if infinitive_only else re.compile(r"(?:[Tt]o|and to)\s+")
                    ).match(body, s, seg.end)
            if infinitive_only and lead is None:
                out.extend(found)
                continue  # "(a) Environmental problems ...": a topic of the request, not its own
            a0 = s + (len(re.match(r"(?:[Tt]o|and to)\s+", body[s:seg.end]).group(0)) if lead else 0)
            end = _clause_end(body, a0, seg.end, C)
            found = [Clause("request", parent[0], s, end, body[a0:end], a0,
                            addressee=parent[1], addressee_full=parent[2], item=seg.item)]
        out.extend(found)
    return [_antecedent(body, c) for c in out]


_DEMONSTRATIVE = re.compile(r"^(?:that|this) ([A-Z][\w-]*)$")


def _antecedent(text: str, c: Clause) -> Clause:
    """"encourages that Division to provide ...": the Division the paragraph named before
    ("the Division of Conference Management of the United Nations Office at Geneva")."""
    m = _DEMONSTRATIVE.match(c.addressee_full or "")
    if m is None:
        return c
    head = m.group(1)
    found = None
    named = re.compile(rf"\b{re.escape(head)} (?:of|for|on) (?:the )?[A-Z][\w-]*(?: (?:[A-Z][\w-]*|of|for|on|at|the)){{0,10}}")
    for found in named.finditer(text, 0, c.start):
        pass
    if found is None:
        return c
    name = re.sub(r"(?: (?:of|for|on|at|the))+$", "", found.group(0))
    return replace(c, addressee=name, addressee_full=name)


def _own_addressee(text: str, seg: _Segment, verb: str, C) -> list[Clause]:
    """A sub-item under a bare verb ("Urges: (a) All States to report to the Secretary-General
    ..."): its addressee is its first words."""
    end = _clause_end(text, seg.start, seg.end, C)
    split = split_addressee(text[seg.start:end], C)
    if split is None:
        return []
    full, off = split
    return [Clause("request", verb, seg.start, end, text[seg.start + off:end], seg.start + off,
                   addressee=_addressee(full, C), addressee_full=full, item=seg.item)]


def _open_request(text: str, seg: _Segment, C) -> tuple[str, str, str] | None:
    """A request verb + addressee that ends the chapeau without an action ("Requests the
    Secretary-General:")."""
    last = None
    for m in C.request.finditer(text, seg.start, seg.end):
        rest = text[m.end():seg.end].rstrip()
        if rest.endswith(":") and split_addressee(rest[:-1] + ";", C) is None:
            full = rest[:-1].strip()
            last = (_lemma(m.group("verb"), C), _addressee(full, C), full)
    return last


def _lemma(verb: str, C) -> str:
    v = re.sub(r"\s+", " ", verb.lower())
    return C.verb_lemmas.get(v, v)


def _clauses_in(text: str, seg: _Segment, C) -> list[Clause]:
    out: list[Clause] = []
    s0, s1 = seg.start, seg.end
    seen: set[int] = set()
    starts = [(m.start(), m.end(), m.group("verb")) for m in C.request.finditer(text, s0, s1)]
    if seg.item is not None and (im := C.infinitive_request.match(text, s0)):
        starts.insert(0, (im.start(), im.end(), im.group("verb")))
    if C.we_request is not None and ("We " in text[s0:s1] or "we " in text[s0:s1]):  # "We request"
        starts = sorted(starts + [(m.start(), m.end(), m.group("verb"))
                                  for m in C.we_request.finditer(text, s0, s1)])
    for a, b, verb in starts:
        if a in seen:
            continue
        seen.add(a)
        end = _clause_end(text, b, s1, C)
        rest = text[b:end]
        split = split_addressee(rest, C)
        if split is None:
            continue
        full, off = split
        ins = C.insertion.search(full)
        first = full[:ins.start()] if ins else full
        out.append(Clause("request", _lemma(verb, C), a, end, text[b + off:end], b + off,
                          addressee=_addressee(full, C), addressee_full=full, item=seg.item,
                          context_start=b + len(first)))
        # "Calls upon all States ... to apply ...; to immediately pursue ...; and to provide
        # frequent and detailed reporting ...": infinitives after ";" go on with the request,
        # which reaches the first of them that asks for an output (one request, one mandate)
        while (k := C.continuation.match(text, end, s1)) and k.group("w") in C.action_verbs:
            end = _clause_end(text, k.end(), s1, C)
            c = out[-1]
            if not is_reporting(output_of(c.action, C.lang), C.lang) and \
                    is_reporting(output_of(text[k.start("w"):end], C.lang), C.lang):
                out[-1] = replace(c, end=end, action=text[c.action_start:end])
    # (cheap substring checks first: most segments have none of these forms)
    chunk = text[s0:s1]
    has_decides = "ecides" in chunk or "eaffirms that" in chunk
    for m in (C.decides_that.finditer(text, s0, s1) if has_decides and " that " in chunk else ()):
        end = _clause_end(text, m.start("action"), s1, C)
        full = m.group("addr")
        out.append(Clause("request", "decides", m.start(), end, text[m.end("addr"):end],
                          m.end("addr"), addressee=_addressee(full, C), addressee_full=full,
                          item=seg.item))
    for m in (C.recommends_that.finditer(text, s0, s1) if "ecommends" in chunk else ()):
        # "Recommends that the executive heads of ... formulate ... proposals ... and submit the
        # proposals to their governing and legislative organs": the first action verb
        w = next((w for w in re.finditer(r"(?<!\bto)\s([a-z]+)\b", text[m.end():min(s1, m.end() + 320)])
                  if w.group(1) in C.action_verbs), None)
        out = [c for c in out if not (c.kind == "request" and c.start == m.start())]  # "that ..."
        if w is None:
            continue
        full = text[m.end():m.end() + w.start()].strip(" ,")
        a0 = m.end() + w.start(1)
        end = _clause_end(text, a0, s1, C)
        out.append(Clause("request", "recommends", m.start(), end, text[a0:end], a0,
                          addressee=_addressee(full, C), addressee_full=full, item=seg.item))
    out = _nominal_outputs(text, seg, chunk, out, C)
    for m in (C.agenda.finditer(text, s0, s1) if "provisional agenda" in chunk else ()):
        ins = m.group("ins") or ""
        pm = C.agenda_parent.search(ins)
        out.append(Clause("agenda", "decides", m.start(), m.end(), text[m.start():m.end()],
                          m.start(), item=seg.item, ordinal=m.group("ord"),
                          title=(m.group("title") or "").strip() or None,
                          parent_title=pm.group("parent").strip() if pm else None,
                          inserted=ins))
    for m in (C.agenda_title_first.finditer(text, s0, s1) if "agenda" in chunk or "entitled" in chunk else ()):
        if any(c.kind == "agenda" and c.start <= m.start() < c.end for c in out):
            continue
        out.append(Clause("agenda", "decides", m.start(), m.end(), text[m.start():m.end()],
                          m.start(), item=seg.item, ordinal=m.group("ord"),
                          title=m.group("title").strip(),
                          parent_title=(m.group("parent") or "").strip() or None,
                          inserted=m.group("annual") or ""))
    for m in (C.passive_consideration.finditer(text, s0, s1) if "be continued" in chunk or
              "be resumed" in chunk else ()):
        out.append(Clause("consideration", "decides", m.start(), m.end(), text[m.start():m.end()],
                          m.start(), item=seg.item, ordinal=m.group("ord")))
    for m in (C.consideration.finditer(text, s0, s1) if "session" in chunk and
              ("onsider" in chunk or "xamin" in chunk or "seized" in chunk or "o review" in chunk
               or "elaborate on" in chunk) else ()):
        if any(c.kind == "agenda" and c.start <= m.start() < c.end for c in out):
            continue
        if m.group("addr"):  # "decides that the Sixth Committee shall continue ...": not a request too
            out = [c for c in out if not (c.kind == "request" and c.start == m.start())]
        out.append(Clause("consideration", "decides", m.start(), m.end(), text[m.start():m.end()],
                          m.start(), item=seg.item, ordinal=m.group("ord"), addressee=m.group("addr"),
                          addressee_full=m.group("addr")))
    out.sort(key=lambda c: c.start)
    return out


def _nominal_outputs(text: str, seg: _Segment, chunk: str, out: list[Clause], C) -> list[Clause]:
    """Outputs asked for without "<addressee> to <submission verb>": expected ("looks forward to
    the update ..."), in the passive ("requests that updates ... be provided to the Commission"),
    the output first ("invites further comments from Member States"), a briefing organized. The
    producer: the one the text names beside the output ("the next report of the Unit"), else the
    addressee of the request before it in the paragraph, else the default producer."""
    s0, s1 = seg.start, seg.end
    found: list[tuple] = []  #: (match, verb, output, producer or None, action start)
    if "forward to" in chunk:
        for m in C.expects.finditer(text, s0, s1):
            found.append((m, "looks forward", m.group("noun"), None, m.start("noun")))
    if " be " in chunk and " that " in chunk:
        for m in C.passive_output.finditer(text, s0, s1):
            found.append((m, _lemma(m.group(0).split()[0], C), m.group("noun"), None, m.start("mid")))
    if " from " in chunk or " by " in chunk:
        for m in C.nominal_request.finditer(text, s0, s1):
            found.append((m, _lemma(m.group(0).split()[0], C), m.group("noun"), m.group("addr"), m.end()))
    if ", which " in chunk or ", who " in chunk:
        for m in C.which_reports.finditer(text, s0, s1):
            found.append((m, "decides", m.group("noun"), m.group("by"), m.start("noun")))
    if "briefing" in chunk:
        for m in C.briefing.finditer(text, s0, s1):
            by = C.producer_of.search(text, s0, m.start())
            found.append((m, "decides", "briefing", by.group("by") if by else None, m.end()))
    for m, verb, noun, who, a0 in found:
        end = _clause_end(text, m.end(), s1, C)
        tail = text[m.end():end]
        if C.not_sent.match(tail):
            continue  # "be made available to Member States": no body receives it
        if who is None:
            k = C.producer_of.search(tail) or C.producer_next.match(tail)
            name = _name(k.group("by"), C) if k else None
            before = [c for c in out if c.kind == "request" and c.start < m.start() and c.addressee]
            if name:
                who = name
            elif before:
                who = before[-1].addressee_full or before[-1].addressee
            elif (m.groupdict().get("det") or "").strip() in ("its", "their", "his", "her"):
                continue  # "looks forward to its report": whose, the text says elsewhere
            else:
                who = C.default_producer
        term = _term(noun.lower(), None, C)
        if verb == "looks forward" and term == "information":
            term = "report"  # "looks forward to the update to the General Assembly" (gold: a report)
        out = [c for c in out if not (c.kind == "request" and c.start == m.start())]
        out.append(Clause("request", verb, m.start(), end, text[a0:end], a0, addressee=_addressee(who, C),
                          addressee_full=who, item=seg.item, context_start=a0, output=term))
    return out


def _name(raw: str, C) -> str | None:
    """A producer's name as printed, without trailing small words; a lower-case word only when
    it is a body's head noun ("the report of the panel")."""
    name = re.sub(r"(?: (?:of|on|for|and|the))+$", "", raw)
    if name[:1].islower() and name.split()[0] not in C.agent_heads:
        return None
    return name


# --------------------------------------------------------------------------- reporting elements


def output_of(action: str, lang: str = "en") -> str | None:
    """The output an action asks for: what a submission verb submits ("to submit ... a
    report" -> "report", "to present an oral report" -> "oral report", "to include ...
    information in ..." -> "information", "to report" -> "report"), a report the action is to
    be written in ("to explain in future reports how ..." -> "report"), else another output
    noun ("meeting", "conference", "assistance"), else None. A noun without a submission verb
    ("to exchange information", "the report of the Commission"), a noun that is not the verb's
    object ("to provide support for the preparation of the report"), a recipient that is no
    body ("to provide migrants with information") and the transmittal of the resolution itself
    are not requested outputs."""
    C = rules_for(lang)
    if action[:1].islower():  # the action as the reader cuts it starts at its verb: "report ..."
        action = "to " + action
    verbs = [(m.start(), m) for m in C.submission_verb.finditer(action)]
    bares = [(m.start(), m) for m in C.bare_output.finditer(action)]
    for _, m in sorted(verbs + bares, key=lambda x: x[0]):
        rel = None
        for rel in C.relative.finditer(action, 0, m.start()):
            pass
        if rel is not None and not C.relative_end.search(action, rel.end(), m.start()):
            continue  # "..., which, pursuant to its mandate, will present recommendations": not asked
        if "bare" in m.re.groupindex:
            word = _BARE_LEAD.sub("", m.group("bare")).lower()
            if word == "report" and C.reported_object.match(action, m.end()) and \
                    not C.to_body.search(action, m.end(), m.end() + 200):
                continue  # "to report suspected or confirmed illegal practices": to no body
            if word.startswith(("transmit", "forward")):
                # "to transmit the report ... to": what is transmitted says more than the verb
                noun = _object(action, m.end(), C, "transmit")
                if noun:
                    return _term(noun, None, C)
            return _term(word, None, C)
        if C.capacity_to is not None and C.capacity_to.search(action, max(0, m.start() - 40), m.start()):
            continue
        if m.group(0).endswith("ing") and (action[:m.start()].split() or [""])[-1] not in C.gerund_lead:
            continue  # "including in relation to ...": a preposition, not the verb
        noun = _object(action, m.end(), C, m.group("verb").lower())
        if noun:
            return _term(noun, m.group("verb"), C)
        if m.group("verb").lower() == "submit" and C.to_body.match(action, m.end() + 1):
            return "submission"  # "to submit to the Implementation Support Unit ... requests for"
    if C.in_report.search(action):
        return "report"
    for pattern, term in C.outputs:
        if pattern.search(action):
            return term
    return None


_QUOTED = re.compile(r"“[^”]*”")
_BARE_LEAD = re.compile(r"^(?:,\s*)?(?:to|and to|or to|and|in order to|shall|will|should)(?:,[^,;]*,)?\s+"
                        r"(?:[a-z]+ly |continue to |also |further )?")


def _object(action: str, pos: int, C, verb: str, limit: int = 160) -> str | None:
    """The first output noun after a submission verb (ending at ``pos``) that is its object
    (see :func:`output_of`), lower case, or None."""
    for n in C.output_noun.finditer(action, pos, min(len(action), pos + 3 * limit)):
        raw = action[pos:n.start()]
        if ";" in raw:
            break
        if raw.count("“") > raw.count("”"):
            continue  # a word of a quoted title
        raw = _QUOTED.sub("“”", raw)
        if raw.count(",") == 1 and not raw[:raw.find(",")].strip():
            continue  # "to provide, for inclusion in his report, ...": the noun is inside a phrase
        if raw.count(",") > 1:
            if not all(C.insertion.match("," + seg) or len(seg.split()) <= 2
                       for seg in raw.split(",")[1:-1]):
                continue  # "..., youth empowerment and mobilization, ..., data collection": a list
            mid = raw[:raw.find(",")] + " " + raw[raw.rfind(",") + 1:]
        else:
            mid = raw
        if len(mid) > limit:
            break
        noun = n.group("noun").lower()
        if verb == "includ" and noun.startswith("report") and C.in_destination.search(mid):
            return "information"  # "to include a special section on ... in the report of ..."
        if C.object_block.search(mid) or C.modifier.match(action, n.end()):
            continue
        if verb == "provid" and C.with_recipient.match(mid):
            return None
        if verb == "shar" and not C.shared_with.search(action, pos, min(len(action), n.end() + 60)):
            return None
        if noun.startswith("contribution") and verb != "submit":
            return None  # "to provide voluntary contributions": money, not a submission
        if C.not_sent.match(action, n.end()):
            return None
        return noun
    return None


def _term(word: str, verb: str | None, C) -> str | None:
    if verb and verb.lower() == "brief" and word.startswith("report"):
        word = "oral report"
    for pattern, term in C.nouns:
        if pattern.search(word):
            return term
    return None


def is_reporting(output: str | None, lang: str = "en") -> bool:
    return output in rules_for(lang).reporting_outputs
