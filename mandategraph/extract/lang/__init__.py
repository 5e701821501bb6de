"""Language rule sets for the extractors: one module per language, one :class:`RuleSet` each.

A rule set is data: regular expressions and word lists that say how a language writes the
structure of an annotated agenda (headings, masthead lines) and its mentions (instruments,
sessions, meetings, requests, statuses). The extractor code in ``agenda.py`` and
``mentions.py`` is the same for every language; to add French, copy ``en.py``, translate the
patterns and register the module in :data:`RULESETS`.

Named groups the extractor relies on are listed on each field.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from re import Pattern


@dataclass(frozen=True)
class RuleSet:
    lang: str
    #: Chinese writes words without spaces: names may be split by stray spaces/line breaks.
    cjk: bool
    # ------------------------------------------------------------------ structure (whole lines)
    agenda_heading: Pattern[str]  #: "临时议程" / "Provisional agenda"
    annotations_heading: Pattern[str]  #: "说明" / "Annotations"
    annex_heading: Pattern[str]  #: "附件" / "Annex"
    documentation_heading: Pattern[str]  #: "文件" / "Documentation"
    annotated_title: Pattern[str]  #: title of an annotated agenda (document type and self-ref)
    session_line: Pattern[str]  #: (?P<n>) the session number line of the masthead
    number: Callable[[str], int]  #: ordinal/numeral text -> int
    distribution: Pattern[str]  #: (?P<d>)
    original: Pattern[str]  #: (?P<lang>) "Original: English"
    reissue: Pattern[str]  #: a reissue note; the date inside it is the reissue date
    place_after_date: Pattern[str]  #: (?P<place>) right after the session dates: "，维也纳"
    place_before_date: Pattern[str]  #: (?P<place>) right before them: "Vienna, "
    sentence_end: Pattern[str]
    # ------------------------------------------------------------------ mentions
    instrument: Pattern[str]  #: (?P<nums>) one or more numbers, (?P<kind>) its kind word
    instrument_number: Pattern[str]  #: finds each number inside (?P<nums>)
    kind_words: dict[str, str]  #: kind word (lower case) -> "resolution" | "decision"
    instrument_title: Pattern[str]  #: (?P<title>) title phrase ending right before a mention
    body_after_instrument: Pattern[str]  #: (?P<body>) "of the General Assembly" after a mention
    body_after_in_its: Pattern[str]  #: "In its resolution 55/25, (?P<body>the General Assembly)"
    anaphora: Pattern[str]  #: "该决议" / "in that resolution": the instrument in context
    session_ref: Pattern[str]  #: (?P<n>) a session mention
    session_dated: Pattern[str]  #: (?P<date>) (?P<place>) a dated session mention (see zh/en)
    meeting_ref: Pattern[str]  #: (?P<n>) a meeting mention
    meeting_date_gap: Pattern[str]  #: text between a date and the meeting it dates (zh)
    meeting_date_after: Pattern[str]  #: (?P<date>) after a meeting mention (en: "held on ...")
    bare_group: Pattern[str]  #: "工作组" / "the Working Group": the group in context
    dialogue: Pattern[str]  #: a constructive dialogue sentence
    dialogue_after: Pattern[str]  #: "结束后" / "after": a date after a meeting dates a dialogue
    establish: Pattern[str]  #: the sentence establishes a body
    permanent: Pattern[str]  #: the sentence makes a body permanent
    group_suffixes: tuple[str, ...]  #: stripped from a working group name to get its topic
    group_word: str  #: the noun of an unnamed working group ("工作组", "working group")
    # ------------------------------------------------------------------ mandates and statuses
    request: Pattern[str]  #: (?P<verb>) a request to (?P<addressee>) — addressee follows
    endorsed_request: Pattern[str]  #: "a recommendation that (?P<addressee>) should"
    verbs: dict[str, str]  #: verb as printed (lower case) -> English lemma ("requests")
    outputs: tuple[tuple[str, str], ...]  #: (printed noun regex, output term) in priority order
    count_split: Pattern[str]  #: (?P<count>) (?P<noun>): "两项研究" / "two studies"
    enumerator: Pattern[str]  #: "其一" "其二" / "one on" "the other on"
    due_session: Pattern[str]  #: (?P<n>) the session an output is due at
    pursuant: Pattern[str]  #: "根据" / "pursuant to" right before an instrument mention
    oral_report: Pattern[str]  #: an oral report on (?P<nums>)/(?P<kind>) (instrument optional)
    not_carried_out: Pattern[str]  #: the work was not done
    will_receive: Pattern[str]  #: "将收到" / "will have before it"
    annex_name: Pattern[str]  #: (?P<name>) a text annexed to the instrument in context
    paragraph_of: Pattern[str]  #: (?P<n>) (?P<name>) "根据<name>第 N 段" / "paragraph N of <name>"
    paragraph_says: Pattern[str]  #: (?P<n>) "第 53 段规定" / "paragraph 53 provides"
    self_terms: tuple[str, ...] = field(default=())  #: words meaning "this document's body"
    doc_classes: tuple[tuple[str, str], ...] = ()  #: (title regex, ontology class)
    #: a title printed after the document's kind ("会议室文件，题为“…”", "note by the
    #: Secretariat entitled “…”"): (?P<title>) is the title itself; the whole is kept as printed
    title_preamble: Pattern[str] | None = None
    #: a deadline cue ("截止", "最迟于", "no later than"); the nearest single date is the deadline
    deadline: Pattern[str] | None = None
    extra: dict[str, str] = field(default_factory=dict)


def load(lang: str) -> RuleSet | None:
    """The rule set of a language, or None when the language has none yet."""
    mod = RULESETS.get(lang)
    if mod is None:
        return None

    return importlib.import_module(f"{__name__}.{mod}").RULES


#: language code -> module name under mandategraph.extract.lang
RULESETS: dict[str, str] = {"zh": "zh", "en": "en"}


def rx(pattern: str, flags: int = 0) -> Pattern[str]:
    return re.compile(pattern, flags)
