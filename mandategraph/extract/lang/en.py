"""English rule set (the wording of UN English annotated agendas).

The extractor needs only patterns and word lists from here; new languages copy this file.
"""

from __future__ import annotations

import re

from ..common import EN_ORDINAL_RE, en_cardinal, en_ordinal
from . import RuleSet, rx

ORD = EN_ORDINAL_RE
NEVER = r"(?!x)x"
I = re.IGNORECASE


def _number(text: str) -> int:
    try:
        return en_ordinal(text)
    except ValueError:
        return en_cardinal(text)


RULES = RuleSet(
    lang="en",
    cjk=False,
    agenda_heading=rx(r"^\s*Provisional agenda\s*\**\s*$", I),
    annotations_heading=rx(r"^\s*Annotations\s*$", I),
    annex_heading=rx(r"^\s*Annex(?:\s+[IVX\d]+)?\s*$", I),
    documentation_heading=rx(r"^\s*Documentation\s*$", I),
    annotated_title=rx(r"Annotated provisional agenda", I),
    session_line=rx(rf"^\s*(?P<n>{ORD})\s+session\s*$", I),
    number=_number,
    distribution=rx(r"Distr\.?\s*:\s*(?P<d>[A-Za-z]+)"),
    original=rx(r"Original\s*:\s*(?P<lang>[A-Za-z]+)"),
    reissue=rx(r"Reissued for technical reasons[^\n]{0,60}", I),
    place_after_date=rx(NEVER),
    place_before_date=rx(r"(?P<place>[A-Z][A-Za-z .'-]{1,40}),\s*$"),
    sentence_end=rx(r"[.;?!](?=\s|$)|\n"),
    instrument=rx(r"\b(?P<kind>[Rr]esolutions?|[Dd]ecisions?)\s+(?P<nums>\d+/\d+"
                  r"(?:\s*(?:,|and|,\s*and)\s*\d+/\d+)*)"),
    instrument_number=rx(r"\d+/\d+"),
    kind_words={"resolution": "resolution", "resolutions": "resolution",
                "decision": "decision", "decisions": "decision"},
    instrument_title=rx(NEVER),
    body_after_instrument=rx(r"^\s*(?:of|adopted by)\s+"),
    body_after_in_its=rx(r"(?:^|\b)In\s+(?:its|their)\s+$"),
    anaphora=rx(r"\b(?:that|the same|the said|this|the above-mentioned)\s+(?P<kind>resolution|decision)\b", I),
    session_ref=rx(rf"\b(?P<n>{ORD})\s+session\b", I),
    session_dated=rx(r"^\s*(?:of\s+the\s+[^,.;]{3,120}?)?,?\s*held\s+(?:in\s+(?P<place>[A-Z][a-z]+)\s+)?(?:on|from)\s+$"),
    meeting_ref=rx(rf"\b(?P<n>{ORD})\s+meeting\b", I),
    meeting_date_gap=rx(NEVER),
    meeting_date_after=rx(r"^\s*(?:of\s+the\s+[^,.;]{3,120}?)?,?\s*(?:held\s+)?(?:in\s+(?P<place>[A-Z][a-z]+)\s+)?(?:on|from)\s+$"),
    bare_group=rx(r"(?:the|its|that)\s+[Ww]orking\s+[Gg]roup\s*$"),
    dialogue=rx(r"constructive dialogue", I),
    dialogue_after=rx(r"^\s*(?:(?:of|and)\s[^.;]{0,120}?)?,\s*(?:on)\s+$"),
    establish=rx(r"\bestablish(?:ed|es)?\b", I),
    permanent=rx(r"\b(?:constant|permanent)\s+(?:element|feature|part)", I),
    group_suffixes=(r"^(?:the\s+)?(?:open-ended\s+)?(?:interim\s+)?(?:intergovernmental\s+)?working\s+group\s+"
                    r"(?:of\s+government\s+experts\s+)?on\s+(?:the\s+)?(?P<topic>.+)$",),
    group_word="working group",
    request=rx(r"\b(?P<verb>requested|requests|request)\s+(?=(?:the\s+)?[A-Z])"),
    endorsed_request=rx(r"\b(?P<verb>endorsed|approved)\s+(?:the|a)\s+recommendation\s+that\s+"),
    verbs={"requested": "requests", "requests": "requests", "request": "requests",
           "endorsed": "endorses", "approved": "endorses"},
    outputs=((r"compilation|table", "compilation"), (r"stud(?:y|ies)", "study"),
             (r"summar(?:y|ies)", "summary"), (r"\bnote\b", "note"), (r"\breport", "report"),
             (r"recommendations", "recommendations")),
    count_split=rx(r"\b(?P<count>two|three|four|five|\d)\s+(?P<noun>studies|reports|notes)\b", I),
    enumerator=rx(r"\b(?:one|the first|the other|the second|the third)\s+(?:on|of|about)\b", I),
    due_session=rx(rf"\b(?:to|at|for)\s+(?:[^.;]{{0,40}}?\s)?(?:its|the)\s+(?P<n>{ORD})\s+session\b", I),
    pursuant=rx(r"(?:[Pp]ursuant to|[Ii]n accordance with|[Aa]s requested in|[Ii]n response to)\s+(?:[^,.;]{0,30}\s)?$"),
    oral_report=rx(r"\borally\b|\boral\s+(?:report|update|briefing)", I),
    not_carried_out=rx(r"(?:could not be|were not|was not|have not been|has not been)\s+"
                       r"(?:carried out|conducted|undertaken|prepared)", I),
    will_receive=rx(r"will have before it", I),
    annex_name=rx(r"\b(?:adopted|approved)\s+the\s+(?P<name>[^,;.()]{6,200}?),?\s+(?:as\s+)?"
                  r"(?:contained|set out|annexed)\s+(?:in|to)\s+the\s+annex", I),
    paragraph_of=rx(r"\bparagraph\s+(?P<n>\d+)\s+of\s+(?:the\s+)?(?P<name>[^,;.()]{6,200}?)(?=[,;.()]|\s+held\b|$)", I),
    paragraph_says=rx(r"\bparagraph\s+(?P<n>\d+)\s+(?:of\s+the\s+annex\s+)?(?:provides|stipulates|states)", I),
    deadline=rx(r"\bdeadlines?\b|\b(?:no|not) later than\b|\bby\s+(?=(?:Monday|Tuesday|Wednesday|"
                r"Thursday|Friday|Saturday|Sunday|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}))"),
    self_terms=("the Conference of the Parties", "the Conference of the States Parties",
                "the Conference"),
    doc_classes=((r"annotated provisional agenda", "AnnotatedAgenda"),
                 (r"^conference room paper", "ConferenceRoomPaper"),
                 (r"^note by the secretariat", "Note"), (r"^report", "Report")),
    # "conference room paper entitled “…”", "note by the Secretariat entitled “…”"
    title_preamble=rx(r"^[^“”\"]{1,100}?,?\s+entitled\s*[“\"](?P<title>[^“”\"]+)[”\"]\s*$", I),
    extra={"held_before": r"\bheld\s+(?:its|their)\b", "its": r"\b(?:its|their)\s+$"},
)
