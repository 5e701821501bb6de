"""English wording of General Assembly resolutions and drafts (the ``en`` rule set).

Everything language-specific that :mod:`mandategraph.extract.resolution` matches lives here:
masthead phrases, the adoption block, verbs that open paragraphs, addressee and output
words, recurrence words. Another language adds a sibling module with the same names
(``fr_resolution.py``: ``RULES = ResolutionRules(...)``) and registers it in ``RULE_SETS``
of :mod:`mandategraph.extract.lang`. Names of bodies are not here: they come from
``data/reference/bodies.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..common import EN_ORDINAL_RE

_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December)")
DATE = rf"\d{{1,2}} {_MON} \d{{4}}"
#: an agenda item number as printed: "7", "99 (cc)", "72 (a)"
ITEM = r"\d{1,3}(?:\s?\([a-z]{1,3}\))?"


@dataclass(frozen=True)
class ResolutionRules:
    """Compiled patterns and word lists of one language."""

    lang: str
    masthead_symbol: re.Pattern[str]
    distribution: re.Pattern[str]
    original: re.Pattern[str]
    session_agenda: re.Pattern[str]
    item: re.Pattern[str]
    adoption: re.Pattern[str]
    adoption_report: re.Pattern[str]
    adoption_plenary: re.Pattern[str]
    title_line: re.Pattern[str]
    sponsors: re.Pattern[str]
    submitted_by: re.Pattern[str]
    body_opening: re.Pattern[str]
    agenda_line: re.Pattern[str]
    bare_draft: re.Pattern[str]
    date_line: re.Pattern[str]
    committee_line: re.Pattern[str]
    note_line: re.Pattern[str]
    meeting: re.Pattern[str]
    annex: re.Pattern[str]
    numbered: re.Pattern[str]
    lettered: re.Pattern[str]
    heading: re.Pattern[str]
    instrument_keyword: re.Pattern[str]
    instrument_number: re.Pattern[str]
    list_sep: re.Pattern[str]
    trailing_owner: str
    #: the adopting body after a number, a date and a title: "(?P<body>...)" follows this
    trailing_owner_far: re.Pattern[str]
    #: "<Body> in its resolution": a body named shortly before "in its"
    in_its: re.Pattern[str]
    #: the body implied by the form of a number (first match wins): (pattern, body key);
    #: "own" = the resolution's own body when the number is plausible for it (see
    #: ``own_numbering``), "unstated" = the text does not say
    numbering: tuple[tuple[re.Pattern[str], str], ...]
    #: (first session with "session/number" numbering, a 2-digit session) of the own body (GA 31)
    own_numbering_from: int
    adverbs: frozenset[str]
    two_word_verbs: frozenset[str]
    preamble_multiword: tuple[str, ...]
    operative_verbs: frozenset[str]
    reaffirm_verbs: frozenset[str]
    request_clause: re.Pattern[str]
    due_session: re.Pattern[str]
    plan_item: re.Pattern[str]
    report_pursuant: re.Pattern[str]
    outputs: tuple[tuple[str, str], ...]
    recurrence: tuple[tuple[re.Pattern[str], str], ...]


RULES = ResolutionRules(
    lang="en",
    masthead_symbol=re.compile(r"^United Nations\s+(?P<symbol>\S+(?:\s\S+)?)\s*$"),
    distribution=re.compile(r"Distr\.:\s*(?P<dist>General|Limited|Restricted)"),
    original=re.compile(r"^Original:\s*(?P<lang>\w+)"),
    session_agenda=re.compile(
        rf"^(?P<session>{EN_ORDINAL_RE}) session\b\s*"
        r"(?:(?P<committee>(?:[A-Z][\w-]* )+(?:and [A-Z][\w-]* )?Committee"
        r"(?: \((?:[A-Z]\w+ )?Committee\))?)\s+(?=Agenda item|Item))?"
        rf"(?:(?:Agenda items?|Items?)\s+(?P<items>{ITEM}(?:(?:,\s*|\s+and\s+){ITEM})*)"
        r"(?:\s+of the provisional agenda\**)?)?\s*(?P<title>.*)$", re.IGNORECASE),
    item=re.compile(ITEM),
    adoption=re.compile(rf"^(?P<kind>Resolution|Decision) adopted by the (?P<body>.+?) on "
                        rf"(?P<date>{DATE})\s*$"),
    adoption_report=re.compile(r"^\[on the reports? of the (?P<committee>.+?)\s+"
                               r"\((?P<symbol>[A-Z][^,)]*?)(?:,\s*paras?\.\s*(?P<para>[\d\s,and-]+))?\)\]"),
    # "(A/79/L.124)", "(A/79/L.9/Rev.1)", "(A/78/520, para. 45)": document, then paragraph
    adoption_plenary=re.compile(r"^\[without reference to a Main Committee\s+"
                                r"\((?P<symbol>[^,)]+?)(?:,\s*paras?\.\s*(?P<para>[^)]+))?\)\]"),
    title_line=re.compile(r"^(?P<number>\d{1,2}/\d{1,4})\.\s+(?P<title>.+)$"),
    sponsors=re.compile(r"^(?P<who>.+?):[\s*,]*(?P<what>(?:revised )?draft (?:resolution|decision)"
                        r"|amendments? to (?:the )?(?:revised )?draft (?:resolution|decision)"
                        r"\s+(?P<target>\S+))\**\s*$"),
    submitted_by=re.compile(r"^(?P<what>(?:Revised )?[Dd]raft (?:resolution|decision)) submitted by "
                            r"(?:the )?(?P<who>.+?)\**"
                            r"(?:,?\s+(?:on the basis of|following|on the recommendation of) "
                            r"(?P<basis>.*?))?(?::\s*(?:revised )?draft (?:resolution|decision))?\s*$"),
    # "Draft resolution" alone: a draft of the committee (its bureau), no sponsors printed
    bare_draft=re.compile(r"^(?P<what>(?:Revised )?[Dd]raft (?:resolution|decision))\s*$"),
    date_line=re.compile(rf"^(?P<date>{DATE})\b"),
    # a Main Committee draft prints the committee and the agenda item on lines of their own
    agenda_line=re.compile(
        rf"^(?:Agenda items?|Items?)\s+(?P<items>{ITEM}(?:(?:,\s*|\s+and\s+){ITEM})*)"
        r"(?:\s+of the provisional agenda\**)?\s*(?P<title>.*)$"),
    committee_line=re.compile(r"^(?P<name>(?:[A-Z][\w-]* )+(?:and [A-Z][\w-]* )?Committee"
                              r"(?:\s*\((?:[A-Z]\w+ )?Committee\))?)\s*$"),
    # "Note by the Secretariat", "Note by the Chair": not a draft, a note
    note_line=re.compile(r"^Note by (?:the )?(?P<who>[A-Z].{2,80}?)\s*$"),
    body_opening=re.compile(r"^The (?P<body>General Assembly)\b,?\s*(?P<rest>.*)$"),
    meeting=re.compile(r"^(?P<n>\d{1,3})(?:st|nd|rd|th) plenary meeting\s*$"),
    annex=re.compile(r"^Annex(?:es)?(?:\s+(?P<roman>[IVX]+)\b)?\s*(?P<title>.*)$"),
    numbered=re.compile(r"^(?P<n>\d{1,3})\.\s+(?P<rest>.+)$"),
    lettered=re.compile(r"^\((?P<n>[a-z]{1,3}|[ivx]{1,5})\)\s+(?P<rest>.+)$"),
    heading=re.compile(r"^(?:[IVXL]+\.|[A-Z]\.)\s+\S"),
    # "its resolutions", "General Assembly resolution", "Security Council resolutions", ...
    instrument_keyword=re.compile(r"\b(?P<kind>[Rr]esolutions?|[Dd]ecisions?)\s+"
                                  r"(?=(?:ES-|S-)?\d|GC[(.]\d|EX\.CL/Dec\.\d|(?:BS-)?[IVXL]{1,5}/\d|E?C-[A-Z0-9-]{1,8}/|"
                                  r"(?:A|MSC|MEPC|FAL|LEG|TC)\.\d{1,4}\(\d|WHA\d)"),
    instrument_number=re.compile(
        r"(?P<num>\d{1,4}\s[A-Z]{1,2}\s\((?:[IVXL]+|S-[IVXL]+|ES-[IVXL]+)\)"  # 217 A (III)
        r"|\d{1,2}/(?:CP|CMA|CMP)\.\d{1,2}"  # UNFCCC decisions 1/CP.21, 2/CMA.4
        r"|GC\(\d{1,2}\)/RES/\d{1,4}|GC\.\d{1,2}/Res\.\d{1,4}"  # IAEA GC(68)/RES/8, UNIDO GC.18/Res.9
        r"|EX\.CL/Dec\.\d{1,4}\s\([IVXL]+\)"  # African Union Executive Council EX.CL/Dec.263 (VIII)
        r"|E?C(?:-[A-Z]{1,2})?-\d{1,3}/DEC\.\d{1,3}"  # OPCW C-24/DEC.4, C-SS-4/DEC.3, EC-M-33/DEC.1
        r"|EC-\d{1,3}/\d{1,3}(?!\d|\.\d)"  # an executive council's session/number: EC-57/1
        r"|(?:A|MSC|MEPC|FAL|LEG|TC)\.\d{1,4}\(\d{1,3}\)"  # IMO A.1117(30), MSC.255(84), MEPC.201(62)
        r"|(?:BS-)?[IVXL]{1,5}/\d{1,4}"  # conferences of parties with roman sessions: X/2, BS-V/11
        r"|\d{1,2}/[IVXL]{1,4}(?![\w/])"  # treaty bodies: 42/I
        r"|(?:ES-|S-)?\d{1,2}/\d{1,4}"  # 79/37, ES-10/24, 79/573 B, 36/87 A and B
        r"|\d{4}/\d{1,3}"  # 2024/12 (Economic and Social Council)
        r"|(?:WHA)?\d{2}\.\d{1,3}(?![\d.])"  # 68.7, WHA77.1 (World Health Assembly: session.number)
        r"|\d{1,4}\s\((?:[IVXL]+|S-[IVXL]+|ES-[IVXL]+|\d{4})\))"  # 1514 (XV), 2719 (2023)
        r"(?P<letters>\s[A-Z]{1,2}(?:(?:,\s*|\s+and\s+)[A-Z]{1,2})*(?![\w/]))?"
        rf"(?:\s+of\s+(?P<date>{DATE}))?"),
    # (", ", " and ", " as well as "; " to " of a range: "decisions 9/CP.19 to 15/CP.19" cites the
    # two numbers printed)
    list_sep=re.compile(r"(?:,\s*(?:and\s+|as well as\s+)?|\s+and\s+|\s+as well as\s+|\s+to\s+)"),
    trailing_owner=r"\s+of the ",
    trailing_owner_far=re.compile(r"\b(?:of|by|adopted by|adopted at|at)\s+(?:the\s+)?"
                                  r"(?:\w+\s+(?:meeting|session)\s+of\s+the\s+)?"),
    in_its=re.compile(r"\bin its\s*$"),
    numbering=(
        (re.compile(r"^\d{4}/\d{1,3}$"), "E"),  # ECOSOC: year/number since 1978
        (re.compile(r"^\d{1,4} \(\d{4}\)$"), "S"),  # Security Council: 2719 (2023)
        (re.compile(r"^\d{1,2}/CP\.\d{1,2}$"), "FCCC/CP"),  # UNFCCC COP decisions
        (re.compile(r"^\d{1,2}/CMA\.\d{1,2}$"), "FCCC/PA/CMA"),  # Paris Agreement CMA decisions
        (re.compile(r"^GC\(\d{1,2}\)/RES/"), "iaea-gc"),  # IAEA General Conference
        (re.compile(r"^GC\.\d{1,2}/Res\."), "unido-gc"),  # UNIDO General Conference
        (re.compile(r"^EX\.CL/Dec\."), "au-ex-cl"),  # African Union Executive Council
        (re.compile(r"^WHA\d{2}\.\d"), "WHA"),  # World Health Assembly, its prefix printed
        (re.compile(r"^C(?:-[A-Z]{1,2})?-\d+/DEC\."), "opcw-csp"),  # OPCW Conference of the States Parties
        (re.compile(r"^EC(?:-[A-Z]{1,2})?-\d+/DEC\."), "opcw-ec"),  # OPCW Executive Council
        (re.compile(r"^(?:A|MSC|MEPC|FAL|LEG|TC)\.\d+\(\d+\)$"), "imo"),  # IMO Assembly and committees
        (re.compile(r"^EC-\d+/\d+$"), "unstated"),  # several executive councils number so (IOC, ...)
        (re.compile(r"^(?:BS-)?[IVXL]+/\d|^\d{1,2}/[IVXL]+$"), "unstated"),  # several bodies number so
        (re.compile(r"^\d{1,4}(?: [A-Z]{1,2})? \((?:[IVXL]+|S-[IVXL]+|ES-[IVXL]+)\)$"), "own"),  # GA 1-30: 1514 (XV)
        (re.compile(r"^(?:ES-|S-)\d{1,2}/\d{1,4}"), "own"),  # GA special and emergency special sessions
        (re.compile(r"^\d{1,2}/\d{1,4}(?: [A-Z]{1,2})?$"), "own-session"),  # GA n/m, n >= 31
    ),
    own_numbering_from=31,
    adverbs=frozenset({"also", "further", "again", "once", "strongly", "firmly", "deeply",
                       "gravely", "seriously", "moreover", "furthermore",
                       "emphatically", "urgently", "most", "fully"}),
    two_word_verbs=frozenset({"calls upon", "calls on", "takes note", "draws attention",
                              "takes into", "looks forward", "pays tribute", "bears in",
                              "places on", "calls for"}),
    preamble_multiword=("taking note", "bearing in mind", "taking into account",
                        "noting with", "expressing", "having"),
    operative_verbs=frozenset({
        "adopts", "decides", "requests", "invites", "encourages", "urges", "calls upon",
        "calls on", "calls for", "welcomes", "endorses", "approves", "affirms", "reaffirms",
        "recognizes", "notes", "takes note", "expresses", "emphasizes", "stresses",
        "underlines", "recalls", "reiterates", "acknowledges", "commends", "condemns",
        "demands", "authorizes", "proclaims", "declares", "designates", "appeals",
        "supports", "considers", "deplores", "regrets", "reminds",
        "appreciates", "elects", "appoints", "establishes", "renews", "extends"}),
    reaffirm_verbs=frozenset({"reaffirming", "reaffirms"}),
    # a request clause anywhere in an operative paragraph: verb, addressee, "to <verb>"
    request_clause=re.compile(
        r"(?:^|(?<=[,;] )|(?<= and )|(?<=\. ))(?:(?:also|further|again|once again)\s+)?"
        r"(?P<verb>[Rr]equests|[Ii]nvites|[Cc]alls upon|[Cc]alls on|[Uu]rges|[Ee]ncourages|"
        r"[Ee]ntrusts|[Mm]andates|[Aa]uthorizes|[Dd]irects)"
        r"(?:\s+(?:also|further|again))?\s+(?P<addr>[^;:]{3,160}?)\s+to\s+"
        r"(?!(?:the|a|an|all|its|their|this|that|these|those|his|her|which)\b)"
        r"(?P<action>[a-z][^;]*?)(?=;|\.\s|\.$|$| and (?:also )?(?:requests|invites|urges|"
        r"calls upon|encourages|decides)\b)"),
    due_session=re.compile(
        rf"\bat (?:its|the) (?P<ords>{EN_ORDINAL_RE}(?:(?:,\s*|\s+and\s+){EN_ORDINAL_RE})*)"
        r"\s+sessions?\b"
        r"|\bat the (?P<ords2>" + EN_ORDINAL_RE + r"(?:(?:,\s*|\s+and\s+)" + EN_ORDINAL_RE + r")*)"
        r"\s+sessions? of (?:the )?(?P<body>[A-Z][A-Za-z ]+?)(?=[,;.]|\s+(?:a|an|the|under|on)\b)",
        re.IGNORECASE),
    plan_item=re.compile(
        rf"\b[Dd]ecides to include in the provisional agenda of its (?P<ord>{EN_ORDINAL_RE}) "
        r"session,?\s*(?:under the item entitled “(?P<parent>[^”]+)”,\s*)?"
        r"(?:the (?:sub-?item|item) entitled |an item entitled |a sub-item entitled )?"
        r"“(?P<title>[^”]+)”"),
    # "the report of the Secretary-General submitted pursuant to resolution 79/43,<marker>":
    # the footnote behind the marker gives the report's symbol
    report_pursuant=re.compile(
        r"\breports? (?:of|by|submitted by)\b[^.;]{0,200}?\b(?:pursuant to|in pursuance of|"
        r"in accordance with|in response to)\s+(?:its |General Assembly |Assembly )?"
        r"(?:resolution|decision) [^,;]{1,40}?[,;.]?\s*$"),
    outputs=(
        ("comprehensive report", "report"), ("analytical report", "report"),
        ("updated report", "report"), ("report", "report"), ("note", "note"),
        ("study", "study"), ("high-level meeting", "meeting"), ("meeting", "meeting"),
        ("conference", "conference"), ("views", "views"), ("information", "information"),
        ("recommendations", "recommendations"), ("compilation", "compilation"),
        ("summary", "summary"), ("assistance", "assistance"), ("briefing", "briefing"),
    ),
    recurrence=(
        (re.compile(r"\bbiennially\b|\bevery two years\b|\bon a biennial basis\b"), "biennially"),
        (re.compile(r"\btriennially\b|\bevery three years\b|\bon a triennial basis\b"),
         "triennially"),
        (re.compile(r"\bannually\b|\bevery year\b|\bon an annual basis\b|\beach year\b"),
         "annually"),
        (re.compile(r"\bquadrennially\b|\bevery four years\b"), "quadrennially"),
    ),
)
