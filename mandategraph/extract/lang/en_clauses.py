"""English wording of operative clauses (the ``en`` rule set of :mod:`..clauses`).

Everything the clause reader matches in English: the verbs that ask for something, the adverbs
and inserted phrases that may stand around them, the infinitive verbs that open the requested
action, sub-item labels, agenda-inclusion and continued-consideration phrases, the words of
due sessions and of recurrences, and the output nouns. Another language adds
``<lang>_clauses.py`` with ``RULES = ClauseRules(...)``. Names of bodies are not here: they come
from ``data/reference/bodies.csv`` and ``data/reference/mandate-holders.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..common import EN_ORDINAL_RE

#: an ordinal as printed, tolerant of the PDF's split hyphens ("eighty -first")
ORD = EN_ORDINAL_RE.replace(r"[-\s]?", r"\s?[-\u2011]?\s?")
ORDS = rf"{ORD}(?:(?:,\s*|\s+and\s+|,\s+and\s+){ORD})*"


@dataclass(frozen=True)
class ClauseRules:
    lang: str
    request: re.Pattern[str]  #: (?P<verb>) opening a request; the addressee follows
    infinitive_request: re.Pattern[str]  #: "To request the ... to" opening a sub-item
    verb_lemmas: dict[str, str]  #: printed verb (lower case, spaces normalised) -> lemma
    action_verbs: frozenset[str]  #: infinitives that open a requested action ("submit")
    not_action: frozenset[str]  #: words after "to" that do not open an action ("the")
    sub_item: re.Pattern[str]  #: (?P<label>) a lettered or roman sub-item after ":" or ";"
    clause_end: re.Pattern[str]  #: where one clause of a paragraph stops
    decides_that: re.Pattern[str]  #: "decides that (?P<addr>) will (?P<action>)"
    agenda: re.Pattern[str]  #: agenda inclusion: (?P<ord>) (?P<ins>) (?P<title>)
    agenda_parent: re.Pattern[str]  #: (?P<parent>) inside the inserted text
    #: the title first: "decides to include the item entitled “...” in the provisional agenda
    #: of its (?P<ord>) session" (?P<title>) (?P<parent>)
    agenda_title_first: re.Pattern[str]
    consideration: re.Pattern[str]  #: continued consideration at (?P<ord>)
    due_its: re.Pattern[str]  #: (?P<ords>) "at its eighty-first session" (body from context)
    due_of: re.Pattern[str]  #: (?P<ords>) (?P<body>) "at the eightieth session of the ..."
    respectively: re.Pattern[str]  #: "..., respectively" after a due session
    past: re.Pattern[str]  #: a past participle before a session: not a due session
    future_aux: re.Pattern[str]  #: "to be" / "will be" before that participle: still due
    submission: re.Pattern[str]  #: a submission verb and the (?P<noun>) it submits
    nouns: tuple[tuple[re.Pattern[str], str], ...]  #: submitted noun -> output term
    outputs: tuple[tuple[re.Pattern[str], str], ...]  #: other outputs (no submission verb)
    reporting_outputs: frozenset[str]  #: outputs that make a clause a reporting mandate
    recurrence: tuple[tuple[re.Pattern[str], str], ...]
    article: re.Pattern[str]  #: a leading article of an addressee ("the ")
    #: a comma that opens an inserted phrase after the addressee (", within her existing
    #: mandate,"), not one inside a name ("Special Rapporteur on the sale, sexual exploitation ...")
    insertion: re.Pattern[str]


_REQ = (r"requests|invites|calls upon|calls on|urges|encourages|entrusts|mandates|authorizes|"
        r"directs|recommends")
_ADV = r"(?:also|further|again|once again|strongly|in this regard|in that regard|in this context|" \
       r"in that context|moreover|furthermore|accordingly|therefore)"

RULES = ClauseRules(
    lang="en",
    request=re.compile(
        rf"(?:^|(?<=[,;:] )|(?<= and )|(?<=\. )|(?<=\) ))(?i:{_ADV},?\s+)*"
        rf"(?P<verb>(?i:{_REQ})|(?i:reiterates|renews) (?:its|the) (?:previous |earlier )?(?:requests?|invitations?|calls?) to)"
        rf"(?:,\s*(?i:{_ADV}),|\s+(?i:also|further|again|once again|strongly))?\s+"),
    infinitive_request=re.compile(
        r"(?:[Tt]o|and to) (?P<verb>request|invite|call upon|call on|urge|encourage|entrust|"
        r"mandate|authorize|direct)\s+"),
    verb_lemmas={"reiterates its previous requests to": "requests", "reiterates its previous request to": "requests",
                 "reiterates its earlier request to": "requests", "reiterates the previous request to": "requests",
                 "request": "requests", "invite": "invites", "call upon": "calls upon",
                 "call on": "calls on", "urge": "urges", "encourage": "encourages",
                 "entrust": "entrusts", "mandate": "mandates", "authorize": "authorizes",
                 "direct": "directs", "calls on": "calls upon",
                 "reiterates its request to": "requests", "reiterates the request to": "requests",
                 "reiterates its requests to": "requests", "reiterates the requests to": "requests",
                 "reiterates its invitation to": "invites", "reiterates the invitation to": "invites",
                 "reiterates its call to": "calls upon", "reiterates the call to": "calls upon",
                 "renews its request to": "requests", "renews the request to": "requests",
                 "renews its invitation to": "invites", "renews the invitation to": "invites"},
    action_verbs=frozenset([
        "submit", "report", "present", "provide", "prepare", "include", "continue", "convene", "develop",
        "undertake", "ensure", "transmit", "forward", "make", "seek", "inform", "circulate", "bring",
        "keep", "contribute", "consider", "organize", "conduct", "support", "assist", "take", "establish",
        "promote", "give", "pay", "strengthen", "share", "update", "explore", "identify", "engage",
        "cooperate", "consult", "facilitate", "maintain", "implement", "examine", "study", "compile",
        "publish", "disseminate", "collect", "monitor", "review", "assess", "hold", "intensify", "enhance",
        "redouble", "refrain", "comply", "respect", "adopt", "ratify", "accede", "apply", "allocate",
        "mobilize", "mainstream", "integrate", "address", "reflect", "prioritize", "brief", "elaborate",
        "finalize", "complete", "designate", "appoint", "nominate", "invite", "request", "follow", "carry",
        "participate", "work", "act", "use", "increase", "reduce", "improve", "protect", "prevent",
        "combat", "consolidate", "coordinate", "expand", "extend", "raise", "observe", "launch", "issue",
        "produce", "analyse", "analyze", "offer", "outline", "propose", "recommend", "respond", "set",
        "encourage", "enable", "build", "ensure"
    ]),
    not_action=frozenset({"the", "a", "an", "all", "its", "their", "this", "that", "these",
                          "those", "his", "her", "which", "be"}),
    sub_item=re.compile(r"(?:(?<=[:;])|(?<=[:;] and)|(?<=; or))\s+\((?P<label>[a-z]|[ivx]{1,5}|[a-z]{2})\)"
                        r"\s+(?=[A-Z])"),
    clause_end=re.compile(r";|\.\s+(?=[A-Z])|\.$|(?:,?\s+and|,)\s+(?=(?i:also\s+|further\s+|in this regard\s+)?"
                          r"(?:requests|invites|calls upon|urges|encourages|decides|reiterates|underlines|"
                          r"stresses|emphasizes|notes|welcomes|recognizes|reaffirms|recalls|looks forward|"
                          r"expresses|acknowledges|commends|takes note|affirms|appreciates|supports|"
                          r"condemns|deplores|regrets|calls for)\b)"),
    decides_that=re.compile(r"\b[Dd]ecides,?\s+(?:also\s+|further\s+)?that\s+(?P<addr>[^,;:]{3,160}?)\s+"
                            r"(?:will|shall|should)\s+(?P<action>[^;]+)"),
    agenda=re.compile(
        rf"(?:\b[Dd]ecides,?\s+(?:also\s+|further\s+)?(?:[^,;]{{0,60}},\s*)?to|(?:^|(?<=\) ))[Tt]o|\band to|\bdecides to)\s+"
        rf"include\s+(?P<what>[^;“]{{0,160}}?)?\s*in the provisional agenda of its (?P<ord>{ORD}) session"
        r"(?P<ins>(?:[^“;]|“[^”]*”){0,400}?)"
        r"(?:(?<!under )(?<!under the )(?<!agenda )(?:the |an |a )?(?:sub-?items?|items?) entitled\s+"
        r"“(?P<title>[^”]+)”|(?=;|\.\s|\.$|$))"),
    agenda_parent=re.compile(r"under the (?:agenda )?item entitled\s+“(?P<parent>[^”]+)”"),
    agenda_title_first=re.compile(
        rf"(?:\b[Dd]ecides,?\s+(?:also\s+|further\s+)?|(?:^|(?<=\) ))(?=[Tt]o))(?:[Tt]o )?include\s+(?:the |an |a )?"
        r"(?:sub-?items?|items?|questions?|topics?)\s+entitled\s+“(?P<title>[^”]+)”,?\s+"
        r"(?:under the (?:agenda )?item entitled\s+“(?P<parent>[^”]+)”,?\s+)?"
        rf"in the provisional agenda of its (?P<ord>{ORD}) session"),
    consideration=re.compile(
        rf"(?:\b[Dd]ecides|(?:^|(?<=\) ))[Tt]o)(?:,[^;]{{1,200}}?,)?\s+(?:also\s+|further\s+)?(?:to\s+)?"
        rf"(?:continue\s+(?:its\s+|the\s+)?(?:consideration|to consider|examination|to examine|to keep)|"
        rf"consider|examine|remain seized|give (?:its )?(?:full |due )?consideration)"
        rf"\b(?P<what>[^;]{{0,250}}?)\b(?:at|during) its (?P<ord>{ORD}) session"),
    due_its=re.compile(rf"\b(?:at|during|to|for|by|before) (?:its|their) (?P<ords>{ORDS})(?:\s+and\s+subsequent)?"
                       r"\s+sessions?\b"),
    due_of=re.compile(rf"\b(?:at|during|to|for|by|before) the (?P<ords>{ORDS})\s+sessions?\s+of\s+"
                      r"(?:the\s+)?(?P<body>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|on|for|and|the|to|against|in|"
                      r"serving|as|meeting))*)"),
    respectively=re.compile(r"^,?\s+respectively\b"),
    past=re.compile(r"\b(?:submitted|presented|considered|held|adopted|transmitted|issued|made|"
                    r"delivered|introduced|endorsed|convened|taken)\b"),
    future_aux=re.compile(r"\b(?:to be|will be|shall be|should be|would be|be)\s+$"),
    submission=re.compile(
        r"\b(?P<verb>submit|present|prepare|provide|transmit|forward|include|brief|"
        r"deliver|convey)s?\b(?P<mid>[^;]{0,160}?)\b(?P<noun>oral (?:update|report|briefing)s?|"
        r"reports?|notes?|stud(?:y|ies)|proposals?|recommendations?|views|information|compilations?|"
        r"summar(?:y|ies)|updates?|briefings?|analys[ie]s|records)\b"
        r"|\b(?P<bare>(?:to )?report(?:s)?(?: annually| biennially| regularly| periodically| back)? "
        r"(?:orally|thereon|back|on|to)|to report|(?:to )?contribute|(?:to )?(?:transmit|forward)|"
        r"(?:to )?(?:inform|apprise) (?:the|it|them)\b|"
        r"brief (?:orally|the))\b"),
    nouns=tuple((re.compile(p), t) for p, t in (
        (r"^oral|orally|^brief", "oral report"), (r"^briefing", "oral report"),
        (r"^report|^to report", "report"), (r"^note", "note"), (r"^stud", "study"),
        (r"^proposal", "proposals"), (r"^recommendation", "recommendations"), (r"^views", "views"),
        (r"^information|^update|^records|inform|apprise", "information"), (r"^compilation", "compilation"),
        (r"^summar", "summary"), (r"^analys", "study"), (r"contribute", "contribution"),
        (r"transmit|forward", "submission"),
    )),
    outputs=tuple((re.compile(p), t) for p, t in (
        (r"\bhigh-level meetings?\b|\bmeetings?\b", "meeting"), (r"\bconferences?\b", "conference"),
        (r"\bassistance\b", "assistance"),
    )),
    reporting_outputs=frozenset({"report", "oral report", "note", "study", "proposals",
                                 "recommendations", "views", "information", "compilation",
                                 "summary", "contribution", "submission"}),
    recurrence=(
        (re.compile(r"\bbiennially\b|\bevery two years\b|\bon a biennial basis\b|\bbiennial (?:report|basis)\b"),
         "biennially"),
        (re.compile(r"\btriennially\b|\bevery three years\b|\bon a triennial basis\b|\btriennial (?:report|basis)\b"),
         "triennially"),
        (re.compile(r"\bquadrennially\b|\bevery four years\b|\bquadrennial (?:report|basis)\b"),
         "quadrennially"),
        (re.compile(r"\bannually\b|\bevery year\b|\bon an annual basis\b|\beach year\b|\bannual report\b"),
         "annually"),
    ),
    article=re.compile(r"^(?:the|The)\s+"),
    insertion=re.compile(r",\s+(?:within|in|as|through|with|at|by|on|upon|inter alia|acting|following|"
                         r"taking|subject|including|beginning|where|when|if|pursuant|consistent|"
                         r"bearing|drawing|building|using|based|for|from|after|before|during|"
                         r"once|until|to the extent|also|further|again|while|without|under|"
                         r"mindful|recognizing|noting|recalling|emphasizing|guided|stressing|"
                         r"[a-z]+ly\b|[a-z]+ing\b|\d|in close)\b"),
)
