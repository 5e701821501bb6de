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
    #: a request verb alone ending a chapeau ("Urges:"): each sub-item names its own addressee
    #: ("(a) All States to report to the Secretary-General ...")
    bare_request: re.Pattern[str]
    #: a sub-item that opens with an infinitive ("(f) To report to ..."): under a chapeau whose
    #: request has an action of its own ("Requests the Department ... to implement ... and, inter
    #: alia:") it carries the chapeau's verb and addressee
    infinitive_item: re.Pattern[str]
    verb_lemmas: dict[str, str]  #: printed verb (lower case, spaces normalised) -> lemma
    action_verbs: frozenset[str]  #: infinitives that open a requested action ("submit")
    not_action: frozenset[str]  #: words after "to" that do not open an action ("the")
    sub_item: re.Pattern[str]  #: (?P<label>) a lettered or roman sub-item after ":" or ";"
    clause_end: re.Pattern[str]  #: where one clause of a paragraph stops
    #: "decides that (?P<addr>) will (?P<action>)", "reaffirms that the Commission ..., in
    #: promoting ..., shall review ... and shall advise the Council thereon"
    decides_that: re.Pattern[str]
    #: the head noun of an addressee of no row that names who is asked ("open-ended working
    #: group", "secretariat of the Convention", "executive heads of ..."), and plural nouns
    #: that never do ("encourages efforts to ...")
    agent_heads: frozenset[str]
    #: "Recommends that <addressee> <action verb> ...": a request in the subjunctive
    recommends_that: re.Pattern[str]
    not_agents: frozenset[str]
    agenda: re.Pattern[str]  #: agenda inclusion: (?P<ord>) (?P<ins>) (?P<title>)
    agenda_parent: re.Pattern[str]  #: (?P<parent>) inside the inserted text
    #: the title first: "decides to include the item entitled “...” in the provisional agenda
    #: of its (?P<ord>) session" (?P<title>) (?P<parent>), or "in the (?P<annual>annual agenda)"
    #: (no session: a standing item)
    agenda_title_first: re.Pattern[str]
    #: continued consideration at (?P<ord>), by (?P<addr>) when "decides that <addr> shall continue"
    consideration: re.Pattern[str]
    due_its: re.Pattern[str]  #: (?P<ords>) "at its eighty-first session" (body from context)
    due_of: re.Pattern[str]  #: (?P<ords>) (?P<body>) "at the eightieth session of the ..."
    respectively: re.Pattern[str]  #: "..., respectively" after a due session
    past: re.Pattern[str]  #: a past participle before a session: not a due session
    future_aux: re.Pattern[str]  #: "to be" / "will be" before that participle: still due
    submission_verb: re.Pattern[str]  #: a (?P<verb>) that submits the output noun after it
    #: the word before a submission verb's -ing form that makes it a verb ("by providing
    #: information", "continue providing observations"), not a preposition ("including")
    gerund_lead: frozenset[str]
    output_noun: re.Pattern[str]  #: a (?P<noun>) a submission verb submits
    bare_output: re.Pattern[str]  #: (?P<bare>) an output without a noun ("to report thereon")
    object_block: re.Pattern[str]  #: in (?P<mid>): the noun is not the verb's object
    with_recipient: re.Pattern[str]  #: "provide <no body> with": not a submission
    shared_with: re.Pattern[str]  #: "share" needs a body beside it
    relative: re.Pattern[str]  #: a relative clause before a submission verb
    relative_end: re.Pattern[str]  #: the relative clause closed
    continuation: re.Pattern[str]  #: "; and to (?P<w>verb)": the request goes on
    second_output: re.Pattern[str]  #: ", and to <submission verb>": a second output
    reported_object: re.Pattern[str]  #: "report <event>": needs a body
    to_body: re.Pattern[str]  #: "to the <Body>"
    not_sent: re.Pattern[str]  #: after the noun: "with each other": not a submission
    modifier: re.Pattern[str]  #: after the noun: "gathering": the noun is a modifier
    in_destination: re.Pattern[str]  #: "in the report": where an included item goes
    in_report: re.Pattern[str]  #: "to explain in future reports": a report
    nouns: tuple[tuple[re.Pattern[str], str], ...]  #: submitted noun -> output term
    outputs: tuple[tuple[re.Pattern[str], str], ...]  #: other outputs (no submission verb)
    reporting_outputs: frozenset[str]  #: outputs that make a clause a reporting mandate
    recurrence: tuple[tuple[re.Pattern[str], str], ...]
    article: re.Pattern[str]  #: a leading article of an addressee ("the ")
    #: a comma that opens an inserted phrase after the addressee (", within her existing
    #: mandate,"), not one inside a name ("Special Rapporteur on the sale, sexual exploitation ...")
    insertion: re.Pattern[str]
    #: "looks forward to (receiving) the update / a report / proposals ...": an expected output
    #: is a reporting mandate (gold README, round 3) with (?P<noun>)
    expects: re.Pattern[str] = None
    #: "requests that updates ... be provided to the Commission", "decides that updated
    #: information ... shall be included in the report": an output asked for in the passive
    passive_output: re.Pattern[str] = None
    #: "the consideration of ... shall be continued during its (?P<ord>) session"
    passive_consideration: re.Pattern[str] = None
    #: "invites further comments from Member States", "requests an updated assessment by all
    #: relevant stakeholders": the output first, (?P<addr>) who gives it after "from" / "by"
    nominal_request: re.Pattern[str] = None
    #: "decides to organize another briefing at the seventy-ninth session": an oral report,
    #: by whoever gave the earlier briefings (?P<by>) or the default producer
    briefing: re.Pattern[str] = None
    #: after an expected output: who produces it ("report of the Unit", "update by the ...")
    producer_of: re.Pattern[str] = None
    which_reports: re.Pattern[str] = None
    producer_next: re.Pattern[str] = None
    #: the producer when the text names none (gold README: 78/303 op8, the Secretary-General)
    default_producer: str = "Secretary-General"
    #: a request in the first person, as annexed outcome documents word them ("We also request
    #: the Secretary-General ...", "we call upon the ... to"): (?P<verb>) in the base form
    we_request: re.Pattern[str] = None
    #: before a submission verb: whose capacity is built submits, not the addressee ("to conduct
    #: workshops ... and build capacity to collect and submit their data")
    capacity_to: re.Pattern[str] = None


_REQ = (r"requests|invites|calls upon|calls on|urges|encourages|entrusts|mandates|authorizes|"
        r"directs|recommends")
_ADV = r"(?:also|further|again|once again|strongly|in this regard|in that regard|in this context|" \
       r"in that context|in this respect|in that respect|in this connection|in that connection|" \
       r"to this end|to that end|for this purpose|for that purpose|moreover|furthermore|" \
       r"accordingly|therefore)"
#: "Reiterates its request to", "Reaffirms the request to", "Renews its invitation to": a request
#: restated is a request (gold README: "Reiterates/reaffirms its request" is a mandate)
_RESTATE = r"(?i:reiterates|renews|reaffirms) (?:its|the) (?:previous |earlier |strong )?" \
           r"(?:requests?|invitations?|calls?|encouragement) to"
_RESTATED = {"request": "requests", "requests": "requests", "invitation": "invites",
             "invitations": "invites", "call": "calls upon", "calls": "calls upon",
             "encouragement": "encourages"}

#: an output noun that may head an expected or passive output
_OUT_NP = r"(?P<noun>oral (?:update|report|briefing)s?|updates?|reports?|proposals?|information|briefings?|" \
          r"recommendations)"
_NAME = r"(?P<by>[A-Za-z][\w-]*(?: (?:[A-Z][\w-]*|of|on|for|and|the)){0,8})"

RULES = ClauseRules(
    lang="en",
    request=re.compile(
        rf"(?:^|(?<=[,;:] )|(?<= and )|(?<=\. )|(?<=\) ))(?i:{_ADV},?\s+)*"
        rf"(?P<verb>(?i:{_REQ})|{_RESTATE})"
        rf"(?:,\s*(?i:{_ADV}),|\s+(?i:also|further|again|once again|strongly))?\s+"),
    infinitive_request=re.compile(
        r"(?:[Tt]o|and to) (?P<verb>request|invite|call upon|call on|urge|encourage|entrust|"
        r"mandate|authorize|direct)\s+"),
    recommends_that=re.compile(r"\b[Rr]ecommends,?\s+(?:also\s+|further\s+)?that\s+(?=(?:the\s+)?[A-Za-z])"),
    agent_heads=frozenset({
        "secretariat", "secretariats", "group", "committee", "commission", "council", "board",
        "panel", "unit", "office", "forum", "mechanism", "bureau", "team", "network", "institute",
        "organization", "entity", "body", "agency", "programme", "fund", "court", "tribunal",
        "presidency", "chair", "rapporteur", "expert", "envoy", "coordinator", "representative",
        "secretary", "government", "leadership", "system", "community", "sector", "centre",
        "facility", "partnership", "alliance", "platform"}),
    not_agents=frozenset({"efforts", "measures", "initiatives", "steps", "actions", "activities",
                          "ways", "means", "options", "resources", "policies", "strategies"}),
    bare_request=re.compile(rf"(?:^|(?<=[,;] )|(?<= and ))(?i:{_ADV},?\s+)*(?P<verb>(?i:{_REQ}))\s*:$"),
    infinitive_item=re.compile(r"(?:[Tt]o|and to)\s+(?:(?:[a-z]+ly|further|also|continue to)\s+)?(?=[a-z])"),
    verb_lemmas={"request": "requests", "invite": "invites", "call upon": "calls upon",
                 "call on": "calls on", "urge": "urges", "encourage": "encourages",
                 "entrust": "entrusts", "mandate": "mandates", "authorize": "authorizes",
                 "direct": "directs", "calls on": "calls upon",
                 **{f"{v} {d} {q}{n} to": lemma for v in ("reiterates", "renews", "reaffirms")
                    for d in ("its", "the") for q in ("", "previous ", "earlier ", "strong ")
                    for n, lemma in _RESTATED.items()}},
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
        "encourage", "enable", "build", "ensure", "communicate", "explain", "comment", "indicate",
        "advise", "notify", "declare", "render", "collaborate", "fulfil", "revisit", "align",
        "exert", "enhance", "formulate", "present", "pursue", "seek", "convey", "deliver"
    ]),
    not_action=frozenset({"the", "a", "an", "all", "its", "their", "this", "that", "these",
                          "those", "his", "her", "which", "be"}),
    sub_item=re.compile(r"(?:(?<=[:;])|(?<=[:;] and)|(?<=; or))\s+\((?P<label>[a-z]|[ivx]{1,5}|[a-z]{2})\)"
                        r"\s+(?=[A-Z])"),
    clause_end=re.compile(rf";|\.\s+(?=[A-Z])|\.$|(?:,?\s+and|,)\s+(?=(?i:{_ADV},?\s+)*"
                          r"(?:requests|invites|calls upon|urges|encourages|decides|reiterates|underlines|"
                          r"stresses|emphasizes|notes|welcomes|recognizes|reaffirms|recalls|looks forward|"
                          r"expresses|acknowledges|commends|takes note|affirms|appreciates|supports|"
                          r"condemns|deplores|regrets|calls for)\b(?!\s+(?:for|of|from)\b))"),
    decides_that=re.compile(r"\b(?:[Dd]ecides|[Rr]eaffirms),?\s+(?:also\s+|further\s+)?that\s+(?P<addr>[^,;:]{3,160}?)"
                            r"(?:,[^;:]{0,300}?,)?\s+"
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
        r"(?:sub-?items?|items?|questions?|topics?)\s+(?:entitled\s+)?“(?P<title>[^”]+)”,?\s+"
        r"(?:under the (?:agenda )?(?:sub-?)?item entitled\s+“(?P<parent>[^”]+)”,?\s+)?"
        # "... under the sub-item entitled “...” at its eightieth session": the session's agenda
        rf"(?:(?:in the provisional agenda of|at) its (?P<ord>{ORD}) session|in the (?P<annual>annual agenda)\b)"),
    consideration=re.compile(
        rf"(?:\b[Dd]ecides(?:,?\s+(?:also\s+|further\s+)?that\s+(?:the\s+)?(?P<addr>[A-Z][^,;:]{{2,100}}?)\s+"
        rf"(?:shall|will|should))?|(?:^|(?<=\) ))[Tt]o|\band to)(?:,[^;]{{1,200}}?,)?\s+(?:also\s+|further\s+)?(?:to\s+)?"
        rf"(?:continue\s+(?:its\s+|the\s+)?(?:consideration|to consider|examination|to examine|to keep)|"
        rf"consider|examine|remain seized|give (?:its )?(?:full |due )?consideration|"
        # "Decides, in accordance with ..., to review the implementation ... at its eighty-fourth
        # session", "decides to elaborate on the modalities ... at its eightieth session"
        rf"(?:(?<=ecides to )|(?<=, to ))(?:review|elaborate on))"
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
    submission_verb=re.compile(
        r"\b(?P<verb>submit|present|prepar|provid|transmit|forward|includ|brief|deliver|convey|"
        r"communicat|shar|contribut|mak(?=e (?:[\w-]+ ){0,3}?(?:recommendations|proposals)))"
        r"(?:e|es|s|ing|ting)?\b"),
    gerund_lead=frozenset({"by", "continue", "continues", "through", "consider", "with", "alia,"}),
    output_noun=re.compile(
        r"\b(?P<noun>oral (?:update|report|briefing)s?|reports?|reporting|notes?|stud(?:y|ies)|"
        r"proposals?|recommendations?|views|information|compilations?|summar(?:y|ies)|updates?|"
        r"briefings?|analys[ie]s|records|data|observations|findings|options|comments|contributions|advice|"
        r"(?<=comprehensive )lists?)\b"),
    bare_output=re.compile(
        r"(?P<bare>(?:^to|\band to|\bor to|\band|, to|\bin order to|\b(?:shall|will|should))(?:,[^,;]{1,60},)? "
        r"(?:[a-z]+ly |continue to |also |further )?(?:report\b|contribute (?:[\w-]+ ){0,4}?to "
        r"(?:the |his |her |its |their |that |this |a )?(?:[\w-]+ ){0,3}?(?:reports?|stud(?:y|ies)|"
        r"compilation)\b|(?:transmit|forward)\b(?! (?:the |this )?(?:text of the )?present "
        r"resolution| this resolution)|(?:inform|apprise|advise) (?:the|it|them|him|her|accordingly)\b|"
        r"update (?:the )?(?!Member States)[A-Z][\w-]*|"
        # "to keep the General Assembly informed of ...": a report (gold README, round 3), not
        # "keep Member States informed" (outputs to Member States only are no mandates)
        r"keep (?:the |its |their )?(?!Member States\b|States\b)[A-Z][^;]{0,80}? (?:[a-z]+ly )?informed\b|"
        r"brief (?:orally|the)\b))"),
    #: words in front of a noun that make it the complement of another noun, not the object of
    #: the submission verb ("provide any necessary support for the preparation of the report",
    #: "include the full series of reports of ...", "provide such services as may be required
    #: for ... the decisions and recommendations"): a preposition before a word in lower case
    #: (names of bodies are capitalised: "submit to the Commission on the Status of Women a
    #: report" is the Commission's), a relative clause, "including"; phrases between commas are
    #: dropped first ("provide, for inclusion in his report, information")
    object_block=re.compile(
        r"\b(?:including|such as|which|who|whose|as may|in order|so that|in support|and to|or to)\b|"
        r"\b(?:or|and|to)\s*$|"
        r"\b(?:for|of|about|towards|into|from|within|under|by|with regard to)\s+(?!(?:the\s+|its\s+|"
        r"his\s+|her\s+|their\s+)?(?:[A-Z\d]|consideration|adoption|approval|review|endorsement|"
        r"existing resources|inclusion|submission|information purposes))"),
    #: "include ... in the report of the Secretary-General ...": the report is where it goes
    #: (a submission: gold dev README), though a preposition stands before it
    in_destination=re.compile(r"\bin (?:the|his|her|its|their|a|future|next|each|subsequent|forthcoming)"
                              r"(?:\s+[\w-]+){0,3}?\s*$"),
    #: where a request's second output starts ("..., and to submit ... an interim report to the
    #: Human Rights Council"): a mandate of its own when each part is due at its own body
    second_output=re.compile(r",?\s+and to (?=(?:[a-z]+ly\s+)?(?:submit|present|report|provide|prepare|"
                             r"transmit|brief)\b)"),
    #: a relative clause before the verb: someone else submits ("the Working Group, which ...
    #: will present recommendations", "others who provide information")
    relative=re.compile(r"\b(?:which|who|whose)\b|, that\b"),
    #: ... closed before the verb: "citizens ... who are expelled ..., and to provide information"
    relative_end=re.compile(r"\b(?:and|or) to\b|;"),
    #: an infinitive after ";" that goes on with the request before it
    continuation=re.compile(r";\s+(?:and\s+)?to\s+(?:[a-z]+ly\s+)?(?P<w>[a-z]+)\b"),
    #: "report" with an object that is an event ("to report suspected or confirmed illegal
    #: practices") reports to a body only when one is named after it ("report non-acceptance ...
    #: to the Unit", "report to the Secretary-General ... serious violations")
    reported_object=re.compile(r"\s+(?!(?:on|to|thereon|back|orally|in|at|by|through|regularly|the|a|an|"
                               r"annually|periodically|his|her|its|their|and|or|as|upon|within|"
                               r"every|each|no|before|after|during)\b)[a-z]"),
    to_body=re.compile(r"\bto (?:the |its |their )?[A-Z]"),
    #: "share" submits only to a body named beside it ("to share within the Open-ended Working
    #: Group their views"), not to other States ("share ... information on the maritime traffic")
    shared_with=re.compile(r"\b(?:with|within|to|through) (?:the |its |their )?[A-Z]"),
    #: a recipient before "with" that is no body ("provide newly arrived migrants with ...
    #: information", "provide them with information"): the object is not a submission
    with_recipient=re.compile(r"^\s*(?:(?:the|all|any|their|such)\s+)?(?:[a-z][\w-]*\s+){0,5}?with\b"),
    #: the noun is sent to no body: "information and best practices with each other", "policy
    #: advice and technical assistance to Governments" (outputs to Member States only are no
    #: mandates: gold README)
    not_sent=re.compile(r"\s*(?:[\w-]+\s+){0,4}?(?:(?:with|among|between)\s+(?:each other|one another|"
                        r"themselves)|to\s+(?:all\s+|relevant\s+|interested\s+|requesting\s+|the\s+)?"
                        r"(?:Governments|States|Member States|countries|developing countries|public|"
                        r"victims|communities|migrants|populations?)\b)"),
    #: the noun modifies another ("information gathering", "data collection"): not the object
    modifier=re.compile(r"\s+(?:gathering|sharing|exchange|management|systems?|technolog\w+|literacy|"
                        r"campaigns?|centres?|platforms?|mechanisms?|collection|recording|needs|"
                        r"products|requirements|security|sources?|flows?|materials?|obligations|"
                        r"template|templates|process|processes|capacity|capacities)\b"),
    #: "to explain in future reports how ...", "to reflect those activities in detail in his next
    #: report", "to pay special attention to indicating in its annual report": a report asked for
    in_report=re.compile(
        r"\b(?:explain|indicat|reflect|highlight|address|describ|elaborat|outlin|detail|specify|comment|"
        r"set out|identify)\w*\b[^;]{0,120}?\bin (?:his|her|its|their|future|subsequent|forthcoming|"
        r"the next|next|each)\b(?:\s+[\w-]+){0,2}?\s+reports?\b"),
    nouns=tuple((re.compile(p), t) for p, t in (
        (r"^keep\b", "report"), (r"^oral|orally|^brief", "oral report"), (r"^briefing", "oral report"),
        (r"^report", "report"), (r"^note", "note"), (r"^stud", "study"),
        (r"^proposal", "proposals"), (r"^recommendation|^advi[cs]e", "recommendations"),
        (r"^views", "views"), (r"^list", "information"),
        (r"^information|^update|^records|^data|^observations|^findings|inform|apprise", "information"),
        (r"^compilation", "compilation"), (r"^options", "proposals"), (r"^comments", "views"),
        (r"^summar", "summary"), (r"^analys", "study"), (r"contribut", "contribution"),
        (r"transmit|forward", "submission"), (r"^assessment", "study"), (r"^input", "views"),
    )),
    outputs=tuple((re.compile(p), t) for p, t in (
        # "to fully assist the Unit with the timely provision of all information requested by it"
        (r"\bassist (?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*){0,6} with the (?:timely |full )?provision of "
         r"(?:all |any )?(?:[\w-]+ )?information\b", "information"),
        # "to participate in the exchange of information and data on confidence-building measures"
        # (a formal exchange among parties: gold spent 79/78 op12), "to commit to declaring, as
        # appropriate, to the International Atomic Energy Agency all fissile material"
        (r"\bparticipate in the (?:annual )?exchange of information\b", "information"),
        (r"\bdeclar(?:e|ing)(?:, [^,;]{1,40},)? to the [A-Z]", "submission"),
        # "to prioritize reporting to monitoring bodies on treaties": reporting asked for
        (r"\b(?:prioritize|improve|strengthen|enhance|resume) (?:timely |regular )?reporting to\b", "report"),
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
        (re.compile(r"\bannually\b|\bevery year\b|\bon an annual basis\b|\beach year\b|\bannual report\b|"
                    r"\bannual agenda\b"),
         "annually"),
    ),
    article=re.compile(r"^(?:the|The|(?:that|this|those|these)(?= [A-Z]))\s+"),  # "encourages that Division to"
    insertion=re.compile(r",\s+(?:within|in|as|through|with|at|by|on|upon|inter alia|acting|following|"
                         r"taking|subject|including|beginning|where|when|if|pursuant|consistent|"
                         r"bearing|drawing|building|using|based|for|from|after|before|during|"
                         r"once|until|to the extent|also|further|again|while|without|under|no later|not later|"
                         r"mindful|recognizing|noting|recalling|emphasizing|guided|stressing|"
                         r"[a-z]+ly\b|[a-z]+ing\b|\d|in close)\b"),
    expects=re.compile(r"\b[Ll]ooks forward to (?:receiving |the submission of )?(?P<det>(?:the|a|an|its|their|his|her) )?"
                       rf"(?:(?!and |or |of |on |in |to |\w+ing )[\w-]+ ){{0,3}}?{_OUT_NP}\b"),
    passive_output=re.compile(r"\b(?:[Rr]equests|[Dd]ecides)(?:,? (?:also|further))? that (?:the |all )?"
                              rf"(?:(?!and |or |of |on |in |to )[\w-]+ ){{0,2}}?{_OUT_NP}\b(?P<mid>[^;]{{0,200}}?) "
                              r"(?:shall |should |will )?be (?:provided|submitted|included|presented|"
                              r"transmitted|made available|circulated)\b"),
    passive_consideration=re.compile(rf"\bconsideration of\b[^;]{{0,300}}? (?:shall|will|should) be "
                                     rf"(?:continued|resumed) (?:at|during) its (?P<ord>{ORD}) session"),
    nominal_request=re.compile(r"\b(?:[Ii]nvites|[Rr]equests) (?:further |the |an? )?(?:[\w-]+ ){0,2}?"
                               r"(?P<noun>comments|views|observations|assessments?|inputs)"
                               r" (?:from|by) (?P<addr>[^,;]{2,80}?)(?=,|;| on\b| in\b| to\b| for\b|$)"),
    briefing=re.compile(r"\b(?:[Dd]ecides|[Rr]equests)(?:,? (?:also|further))? to (?:organize|hold|convene) "
                        r"(?:another|a|an) (?:further |additional )?briefing\b"),
    #: "... with the Bureau of the Sixth Committee, which shall inform the Sixth Committee": the
    #: body before the relative clause is asked (?P<noun>)
    which_reports=re.compile(r"\b(?:the )?(?P<by>[A-Z][\w-]*(?: (?:[A-Z][\w-]*|of|on|for|and|the)){0,8}), "
                             r"(?:which|who) (?:shall|will|should) (?P<noun>inform|report|brief)\b"),
    producer_of=re.compile(rf"\b(?:reports?|updates?|briefings?) (?:of|by) (?:the )?{_NAME}"),
    producer_next=re.compile(rf"^,? (?:of|by|from) (?:the )?{_NAME}"),
    capacity_to=re.compile(r"\b(?:capacit(?:y|ies)|abilit(?:y|ies)) to (?:[a-z]+ (?:and|or) )?$"),
    we_request=re.compile(r"\b[Ww]e (?:(?:also|further|again|strongly|therefore|accordingly) )?"
                          r"(?P<verb>request|invite|call upon|call on|urge|encourage|entrust|mandate|"
                          r"direct)\s+(?=(?:the |all |relevant |[A-Z]))"),
)
