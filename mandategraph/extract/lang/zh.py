"""Chinese rule set (the wording of UN Chinese annotated agendas and reports).

Patterns run on ``Source.norm``: full-width ASCII forms are already ASCII there, so the
Chinese comma, colon, semicolon and parentheses appear as ``, : ; ( )``; 。、《》“” stay.
"""

from __future__ import annotations

from ..common import zh_numeral
from . import RuleSet, rx

N = r"[零〇一二两三四五六七八九十百\d]+"
NEVER = r"(?!x)x"

RULES = RuleSet(
    lang="zh",
    cjk=True,
    agenda_heading=rx(r"^\s*临时议程\s*$"),
    annotations_heading=rx(r"^\s*说明\s*$"),
    annex_heading=rx(r"^\s*附件[一二三四五六七八九十]*\s*$"),
    documentation_heading=rx(r"^\s*文件\s*$"),
    annotated_title=rx(r"临时议程说明|附加说明的临时议程"),
    session_line=rx(rf"^\s*第(?P<n>{N})届会议\s*$"),
    number=zh_numeral,
    distribution=rx(r"Distr\.?\s*:\s*(?P<d>[A-Za-z]+)"),
    original=rx(r"(?:Original|原文)\s*:\s*(?P<lang>[A-Za-z]+|[\u4e00-\u9fff]+文)"),
    reissue=rx(r"因技术原因[^。\n]{0,40}?重发|Reissued for technical reasons[^\n]{0,60}"),
    place_after_date=rx(r"^\s*,\s*(?P<place>[^\s,。;]{2,20})"),
    place_before_date=rx(NEVER),
    sentence_end=rx(r"[。!?;]|\n"),
    instrument=rx(r"第\s*(?P<nums>\d+/\d+\s*号(?:\s*(?:和|、|及|以及|与)\s*第\s*\d+/\d+\s*号)*)"
                  r"\s*(?P<kind>决议|决定)"),
    instrument_number=rx(r"\d+/\d+"),
    kind_words={"决议": "resolution", "决定": "decision"},
    instrument_title=rx(r"关于(?P<title>[^,;。:()]{3,80}?)的\s*$"),
    body_after_instrument=rx(NEVER),
    body_after_in_its=rx(NEVER),
    anaphora=rx(r"(?:该|上述|这一|此项|这项)(?P<kind>决议|决定)"),
    session_ref=rx(rf"第(?P<n>{N})届(?:会议|会)(?!续会)"),
    session_dated=rx(r"^\s*(?:在(?P<place>[^\s,。;]{1,10}?))?举行的\s*$"),
    meeting_ref=rx(rf"第(?P<n>{N})次会议"),
    meeting_date_gap=rx(r"^\s*(?:在(?P<place>[^\s,。;]{1,10}?))?(?:(?:与[^。;]{0,40}?同时)?举行(?:了|的)|与)\s*$"),
    meeting_date_after=rx(NEVER),
    bare_group=rx(r"工作组\s*$"),
    dialogue=rx(r"建设性对话"),
    dialogue_after=rx(r"^\s*(?:和[^。;]{0,40}?)?结束后\s*,?\s*于\s*$"),
    establish=rx(r"设立"),
    permanent=rx(r"常设组成部分"),
    group_suffixes=(r"^(?P<topic>.+?)(?:问题)?(?:不限成员名额)?(?:政府专家|政府间)?(?:临时)?工作组$",),
    group_word="工作组",
    request=rx(r"(?<![吁促邀申提敬据])(?P<verb>请|要求)"),
    endorsed_request=rx(r"(?P<verb>核可|核准)了?[^。;]{0,12}?建议\s*,\s*即\s*"),
    verbs={"请": "requests", "要求": "requests", "核可": "endorses", "核准": "endorses"},
    outputs=((r"汇总表", "compilation"), (r"研究", "study"), (r"概要|摘要", "summary"),
             (r"说明", "note"), (r"报告", "report"), (r"建议", "recommendations")),
    count_split=rx(r"(?P<count>[两二三四五六七八九十\d]+)项(?P<noun>研究|报告|说明)"),
    enumerator=rx(r"其[一二三四五六七八九十]"),
    due_session=rx(rf"(?:向|供|提交(?:给|至)?)[^。;]{{0,20}}?第(?P<n>{N})届会议"),
    pursuant=rx(r"(?:根据|依照|按照)[^,。;]{0,12}$"),
    oral_report=rx(r"口头(?:报告|介绍|通报)"),
    not_carried_out=rx(r"未能进行|未能开展|未能完成|没有进行"),
    will_receive=rx(r"将收到"),
    annex_name=rx(r"附件(?:所载|中的)(?P<name>[^,。;()]{6,120}?)(?=[,。;(]|$)"),
    paragraph_of=rx(r"根据(?P<name>[^,。;()]{6,120}?)第\s*(?P<n>\d+)\s*段"),
    paragraph_says=rx(r"第\s*(?P<n>\d+)\s*段规定"),
    self_terms=("缔约方会议", "缔约国会议"),
    deadline=rx(r"截止(?:日期|时间)?|最迟(?:于|在)?|不迟于|至迟(?:于|在)?|之前"),
    doc_classes=((r"临时议程说明", "AnnotatedAgenda"), (r"^会议室文件", "ConferenceRoomPaper"),
                 (r"^秘书处的说明", "Note"), (r"报告", "Report"), (r"说明$", "Note")),
    # "会议室文件，题为“…”", "秘书处的说明，题为“…”": UN Chinese documents name the kind, then 题为
    title_preamble=rx(r"^[^“”\"]{1,40}?[，,]?\s*题为\s*[“\"](?P<title>[^“”\"]+)[”\"]\s*$"),
)
