"""Golden cases of the clause reader, round 3 of #13 (mandate recall and precision).

Each class of wording fixed in this round has a case typed from a development file: the
tuning sets (``tests/gold/dev``, ``tests/gold/spent``: rounds 1-2, whose output has been seen)
or ``data/corpus/pdf``, named beside it with its paragraph, as the project's PDF ingest gives
its text (an excerpt is a contiguous piece of the paragraph). No excerpt comes from a held-out
file (checked below). What counts as a mandate follows ``tests/gold/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mandategraph.core.facts import MandateFact, Relation, SessionRef
from mandategraph.extract import extract
from mandategraph.extract.clauses import output_of, read_clauses
from mandategraph.ingest.source import make_source

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = set(json.loads((ROOT / "tests" / "gold" / "heldout.json").read_text())["heldout_resolutions"])


def _file(source: str) -> str:
    return next(t for t in source.split() if t.endswith(".pdf"))


def _clauses(text: str) -> list[tuple]:
    out = []
    for c in read_clauses(text):
        out.append((c.kind, c.verb, c.addressee, c.item,
                    (c.output or output_of(c.action)) if c.kind == "request" else c.ordinal))
    return out


DCM = "Division of Conference Management of the United Nations Office at Geneva"

# (source file and paragraph, excerpt, [(kind, verb, addressee as printed, item, output | ordinal)])
CLAUSES = [
    # adverbs before a request: "in this respect", "to this end"
    ("A_RES_79_180.pdf op11",
     "Encourages all States to consider providing updates on efforts made in this regard as part of "
     "ongoing reporting to the Office of the United Nations High Commissioner for Human Rights, and "
     "in this respect requests the United Nations High Commissioner for Human Rights to include those "
     "updates in his reports to the Human Rights Council;",
     [("request", "encourages", "all States", None, "information"),
      ("request", "requests", "United Nations High Commissioner for Human Rights", None, "information")]),
    ("A_RES_80_164.pdf op17",
     "underlines the importance of having the documents of the Commission published in due time in "
     "the six official languages of the United Nations while ensuring their accuracy in all official "
     "languages, and to this end requests special rapporteurs to submit their reports within the time "
     "limits specified by the Secretariat, and the Secretariat to give due consideration to the quality",
     [("request", "requests", "special rapporteurs", None, "report")]),
    # a restated request: "reaffirms its request to"
    ("A_RES_79_88.pdf op2",
     "Also notes with regret that the United Nations Conciliation Commission for Palestine has been "
     "unable to find a means of achieving progress in the implementation of paragraph 11 of General "
     "Assembly resolution 194 (III), and reaffirms its request to the Conciliation Commission to "
     "continue exerting efforts towards the implementation of that paragraph and to report to the "
     "Assembly on the efforts being exerted in this regard as appropriate, but no later than "
     "1 September 2025;",
     [("request", "requests", "Conciliation Commission", None, "report")]),
    # a chapeau with its own action hands verb and addressee to the "To <verb>" items
    ("A_RES_78_100.pdf op5",
     "Requests the Department of Global Communications and the Department of Political and "
     "Peacebuilding Affairs to implement the recommendations of the Special Committee and to continue "
     "their efforts to take measures through all of the media available, including publications, "
     "radio, television, the Internet and social media, to give publicity to the work of the United "
     "Nations in the field of decolonization and, inter alia: (a) To develop procedures to collect, "
     "prepare and disseminate, particularly to the Non-Self-Governing Territories, basic material on "
     "the issue of self-determination of the peoples of the Territories; (b) To seek the full "
     "cooperation of the administering Powers in the discharge of the tasks referred to above; "
     "(f) To report to the Special Committee on measures taken in the implementation of the present "
     "resolution;",
     [("request", "requests", "Department of Global Communications and the Department of Political "
       "and Peacebuilding Affairs", item, out) for item, out in ((None, None), ("a", None), ("b", None),
                                                               ("f", "report"))]),
    # ... but topics of a request for information are not requests of their own
    ("A_RES_79_96.pdf op10",
     "Requests the specialized agencies and other organizations of the United Nations system "
     "concerned to provide information on: (a) Environmental problems facing the Non-Self-Governing "
     "Territories; (b) The impact of natural disasters, such as hurricanes and volcanic eruptions, "
     "and other environmental problems, such as beach and coastal erosion and droughts, on those "
     "Territories;",
     [("request", "requests", "specialized agencies and other organizations of the United Nations "
       "system concerned", None, "information")]),
    # a bare verb: each item names its addressee
    ("A_RES_79_124.pdf op11",
     "Urges: (a) All States to report to the Secretary-General, in a concise and expeditious manner "
     "and in accordance with the guidelines prepared by the Secretary-General, serious violations of "
     "the protection, security and safety of diplomatic and consular missions and representatives;",
     [("request", "urges", "All States", "a", "report")]),
    # infinitives after ";" go on with the request, up to the first that asks for an output
    ("A_RES_78_40.pdf op3",
     "Calls upon all States, in particular the nuclear-weapon States, to apply the principles of "
     "irreversibility, verifiability and transparency in relation to the implementation of their "
     "obligations under the Treaty on the Non-Proliferation of Nuclear Weapons; to immediately pursue "
     "enhanced transparency measures by providing information in line with Action 21 of the 2010 "
     "Action Plan; and to provide frequent and detailed reporting on the implementation of the "
     "Treaty;",
     [("request", "calls upon", "all States", None, "information")]),
    # a request in the subjunctive
    ("A_RES_79_96.pdf op11",
     "Recommends that the executive heads of the specialized agencies and other organizations of "
     "the United Nations system formulate, with the active cooperation of the regional organizations "
     "concerned, concrete proposals for the full implementation of the relevant resolutions of the "
     "United Nations and submit the proposals to their governing and legislative organs;",
     [("request", "recommends", "executive heads of the specialized agencies and other organizations "
       "of the United Nations system", None, "proposals")]),
    # agenda: a standing item of the annual agenda; continued consideration after an inclusion;
    # consideration continued by a committee
    ("A_RES_79_184.pdf op17",
     "Decides to include the item entitled “The situation in the temporarily occupied territories of "
     "Ukraine” in the annual agenda of the General Assembly;",
     [("agenda", "decides", None, None, None)]),
    ("A_RES_79_295.pdf op9",
     "Decides to include in the provisional agenda of its eightieth session, under the item entitled "
     "“Cooperation between the United Nations and regional and other organizations”, a sub-item "
     "entitled “Cooperation between the United Nations and the Gulf Cooperation Council” and to "
     "consider the sub-item again at its eighty-first session and thereafter on a biennial basis.",
     [("agenda", "decides", None, None, "eightieth"),
      ("consideration", "decides", None, None, "eighty-first")]),
    ("A_RES_78_113.pdf op2",
     "Decides that the Sixth Committee shall continue its consideration of the scope and application "
     "of universal jurisdiction, without prejudice to the consideration of this topic and related "
     "issues in other forums of the United Nations, and for this purpose reiterates its decision to "
     "establish, at its seventy-ninth session, a working group of the Sixth Committee;",
     [("consideration", "decides", "Sixth Committee", None, "seventy-ninth")]),
    # "reaffirms that <body> ..., shall ... advise the Council"
    ("A_RES_79_146.pdf op74",
     "Reaffirms that the Commission for Social Development, as a functional commission of the "
     "Economic and Social Council, in promoting the integrated treatment of social development issues "
     "in the United Nations system, shall review, on a periodic basis, issues related to the follow-up "
     "to and implementation of the Copenhagen Declaration and the Programme of Action, in a manner "
     "consistent with the functions and contributions of the relevant organs, organizations and bodies "
     "of the United Nations system, and shall advise the Council thereon;",
     [("request", "decides", "Commission for Social Development", None, "recommendations")]),
    # round 3, second pass: outputs without "<addressee> to <submission verb>"
    # looks forward to an update: the producer named beside it ("the next report of the Unit")
    ("A_RES_78_276.pdf op18",
     'Recalls paragraph 19 of its resolution 77/279, and looks forward to a further update on the '
     'implementation of the accepted recommendations from the Unit’s self-assessment, including '
     'updates on the action plan, in the context of the next report of the Unit.',
     [('request', 'looks forward', 'Unit', None, 'report')]),
    # ... or the addressee of the request before it (a restated encouragement is a request)
    ("A_RES_78_276.pdf op15",
     'Further recalls paragraph 18 of its resolution 77/279 and reiterates its strong '
     'encouragement to the Unit to strengthen the review of long-term effectiveness of its '
     'implemented recommendations, and looks forward to the update to the General Assembly thereon'
     ' during the comprehensive midpoint assessment in 2024 and during its future comprehensive '
     'midpoint assessments;',
     [('request', 'encourages', 'Unit', None, None), ('request', 'looks forward', 'Unit', None, 'report')]),
    ("A_RES_80_29.pdf op2",
     'Requests the Disarmament Commission to consider the formulation of principles that can serve'
     ' as a framework for regional agreements on conventional arms control, and looks forward to a'
     ' report of the Commission on this subject;',
     [('request', 'requests', 'Disarmament Commission', None, None), ('request', 'looks forward', 'Commission', None, 'report')]),
    # an output in the passive: "requests that updates ... be provided to the Commission"; "that
    # Division" is the Division the paragraph named before
    ("A_RES_80_164.pdf op40",
     'welcomes the efforts made by the Division of Conference Management of the United Nations Office at Geneva, '
     'especially its Editing Section, in effectively implementing relevant resolutions of the General Assembly calling '
     'for the reduction of the backlog, encourages that Division to provide continuous necessary support to the Editing Section in '
     'advancing the Yearbook of the International Law Commission, and requests that updates on '
     'progress made in this respect be provided to the Commission on a regular basis;',
     [('request', 'encourages', DCM, None, None), ('request', 'requests', DCM, None, 'information')]),
    # ... with no producer printed: the Secretary-General (gold 78/303 op8)
    ("A_RES_78_303.pdf op8",
     'Also decides that updated information on the financial position of the Mission shall be '
     'included in the report on the updated position of closed peacekeeping missions, to be '
     'considered by the General Assembly at its seventy-ninth session under the agenda item '
     'entitled “Administrative and budgetary aspects of the financing of the United Nations '
     'peacekeeping operations”;',
     [('request', 'decides', 'Secretary-General', None, 'information')]),
    # consideration continued in the passive; the output first, its producer after "from"
    ("A_RES_78_102.pdf op15",
     'Reiterates its decision that, bearing in mind its resolutions 62/63 and 63/119 as well as '
     'its resolution 77/98, the consideration of the report of the Group of Legal Experts, in '
     'particular its legal aspects, taking into account the views of Member States and also noting'
     ' the inputs by the Secretariat, shall be continued during its seventy-ninth session in the '
     'framework of a working group of the Sixth Committee, and, for that purpose, invites further '
     'comments from Member States on that report, including on the question of future action;',
     [('consideration', 'decides', None, None, 'seventy-ninth'), ('request', 'invites', 'Member States', None, 'views')]),
    # a briefing organized at a session: an oral report by who gave the earlier ones
    ("A_RES_78_102.pdf op16",
     'Takes note of the briefings by the Secretariat during the seventieth to seventy-eighth '
     'sessions, and decides to organize another briefing at the seventy-ninth session with a view '
     'to furthering discussion on measures that could be taken to help to ensure the '
     'accountability of United Nations officials and experts on mission and prevent future crimes;',
     [('request', 'decides', 'Secretariat', None, 'oral report')]),
    ("A_RES_80_238.pdf op23",
     'Notes the information provided by the Secretary-General, the United Nations Dispute '
     'Tribunal, the Internal Justice Council and the Advisory Committee on the proposed pilot '
     'programme on judicial mediation, and requests an updated assessment by all relevant '
     'stakeholders, including the Dispute Tribunal in its new composition, the Secretary-General '
     'and staff representatives, on the recommendation for a pilot programme on judicial '
     'mediation, including the viability and potential of judicial mediation to achieve '
     'cost-efficiencies, the cost implications of a pilot programme, and stresses that the '
     'proposed judicial mediation should not duplicate but complement functions and not blur the '
     'clear separation between informal and formal mechanisms or weaken existing informal '
     'mechanisms within their current mandate;',
     [('request', 'requests', 'all relevant stakeholders', None, 'study')]),
    # not outputs: "looks forward to examining its recommendations", "... to its report" (whose, the paragraph does not say)
    ("A_RES_78_94.pdf op32",
     'Welcomes the renewed decision of the administering Power to invite the Electoral Assistance '
     'Division of the Department of Political and Peacebuilding Affairs of the Secretariat to '
     'conduct a mission in order to observe the work of the special administrative commissions and'
     ' the advisory committee of experts for the establishment and revision of the special '
     'electoral list, and looks forward to examining its recommendations, and further encourages '
     'the administering Power to facilitate the work undertaken in this regard;',
     [('request', 'encourages', 'administering Power', None, None)]),
    # a relative clause that asks the body before it: "..., which shall inform the Sixth Committee"
    ("A_RES_80_164.pdf op22",
     "Decides, without prejudice to the budgetary prerogatives of the Fifth Committee and to the authority of the "
     "Secretary-General, that no exceptional measures affecting the duration of the seventy-seventh session of the "
     "International Law Commission shall be taken by the Secretariat without consultation with the Bureau of the "
     "Sixth Committee, which shall inform the Sixth Committee;",
     [("request", "decides", "Bureau of the Sixth Committee", None, "information")]),
    ("A_RES_80_98.pdf op4",
     'Welcomes the high-level Forum Troika Plus mission visit to New Caledonia from 27 to 29 '
     'October 2024 in line with the fifty-third Pacific Islands Forum communiqué, and looks '
     'forward to its report;',
     []),
    # round 3 spent (tunea): an annexed outcome document asks in the first person
    ("A_RES_78_317.pdf annex-op36",
     "We request the Secretary-General, in his annual report to the General Assembly at its eightieth "
     "session on the implementation of the Antigua and Barbuda Agenda for Small Island Developing "
     "States, to include",
     [("request", "requests", "Secretary-General", None, None)]),
    ("A_RES_79_233.pdf annex-op327",
     "We encourage the regional commissions to undertake biennial regional reviews on the "
     "implementation of the new Programme of Action, in close coordination and",
     [("request", "encourages", "regional commissions", None, None)]),
    ("A_RES_78_317.pdf annex-op2",  # "we note ..., and welcome": no request
     "We note the remarkable successes and progress that they have made over the years, and welcome "
     "in this regard the ownership",
     []),
    # continued consideration as a review or an elaboration at a named session, beside a request
    ("A_RES_78_314.pdf op8",
     "Decides, in accordance with Economic and Social Council resolution 1989/84, to review the "
     "implementation of the Decade at its eighty-fourth session, and requests, in this regard, the "
     "Secretary-General to report to the General Assembly at its eighty-fourth session on the status "
     "of the implementation of the Decade",
     [("consideration", "decides", None, None, "eighty-fourth"),
      ("request", "requests", "Secretary-General", None, "report")]),
    ("A_RES_79_218.pdf op56",
     "welcomes the generous offer of the Government of Qatar to host the comprehensive high-level "
     "midterm review, and decides to elaborate on the modalities of the comprehensive high-level "
     "midterm review at its eightieth session;",
     [("consideration", "decides", None, None, "eightieth")]),
    # a topic placed under a sub-item "at its <n> session" (no "provisional agenda")
    ("A_RES_79_218.pdf op42",
     "and also decides to include the topic “Report on the work of the Technology Bank for the Least "
     "Developed Countries” under the sub-item entitled “Follow-up to the Fifth United Nations "
     "Conference on the Least Developed Countries” at its eightieth session, and requests the "
     "Secretary-General to submit a report for its consideration",
     [("agenda", "decides", None, None, "eightieth"),
      ("request", "requests", "Secretary-General", None, "report")]),
    ("A_RES_79_218.pdf op43",
     "and looks forward to the submission of a report by the Secretary-General on the international "
     "investment support centre for its consideration at its eightieth session;",
     [("request", "looks forward", "Secretary-General", None, "report")]),
]


@pytest.mark.parametrize("source,text,expected", CLAUSES, ids=[c[0] for c in CLAUSES])
def test_clause_classes(source: str, text: str, expected: list) -> None:
    assert _file(source) not in HELDOUT, f"{source} is held out"
    assert _clauses(text) == expected


# (source file and paragraph, action as the reader cuts it, output)
OUTPUTS = [
    # a submission by those whose capacity is built, not by the addressee
    ("A_RES_78_317.pdf annex-op39", "conduct workshops to familiarize small island developing States "
     "with the application of the framework and build capacity to collect and submit their data.", None),
    # a report the action is written in
    ("A_RES_80_238.pdf op22", "explain in future reports how such adjustments are managed within the "
     "existing budget for the system of administration of justice", "report"),
    ("A_RES_80_207.pdf op46", "effectively undertake activities aimed at strengthening the global "
     "partnership for development among Member States, development agencies and the international "
     "development, financial and trade institutions and to reflect those activities in detail in his "
     "next report to the Human Rights Council", "report"),
    # gerunds, more nouns and verbs
    ("A_RES_79_162.pdf op14", "continue their participation, including by submitting contributions, "
     "in other subsidiary bodies of the Human Rights Council", "contribution"),
    ("A_RES_80_238.pdf op13", "continue providing observations and data on the trends and patterns "
     "of racism and racial discrimination", "information"),
    ("A_RES_80_238.pdf op11", "present costed and phased options to improve multilingual access to "
     "the jurisprudence, including the Caselaw portal", "proposals"),
    ("A_RES_79_133.pdf op42", "enhance its cooperation with the African Union, and inform accordingly "
     "on the follow-up of the upcoming regional dialogue in Africa", "information"),
    ("A_RES_78_40.pdf op3", "provide frequent and detailed reporting on the implementation of the "
     "Treaty", "report"),
    ("A_RES_79_78.pdf op13", "submit to the Implementation Support Unit, on a voluntary basis, "
     "requests for and offers of cooperation and assistance", "submission"),
    ("A_RES_78_169.pdf op11", "include a special section on natural plant fibres and sustainable "
     "development in the report of the Secretary-General on agriculture development, food security "
     "and nutrition to be submitted to the General Assembly at its eightieth session", "information"),
    ("A_RES_80_242.pdf op89", "enhance functional reporting between the information and "
     "communications technology Chiefs of United Nations entities and the Office of Information and "
     "Communications Technology, in a manner that complements and fully respects existing reporting "
     "mechanisms, and avoiding the creation of parallel or isolated structures, and update the "
     "General Assembly in the context of its next report", "information"),
    ("A_RES_80_242.pdf op41", "continue to review how to effectively utilize remaining vacant posts "
     "and to report the results of the review", "report"),
    # inserted phrases between the verb and its object
    ("A_RES_79_128.pdf op6", "submit to the Secretary-General, no later than 31 December 2025, "
     "proposals for amendments to the draft articles", "proposals"),
    ("data A_RES_80_6.pdf op32", "submit, if it deems it appropriate, in accordance with article 6 of "
     "the Relationship Agreement, a report on its activities for 2025/26, for consideration by the "
     "General Assembly at its eighty-first session", "report"),
    ("data A_RES_80_83.pdf op7", "submit to the General Assembly at its eighty-first session a timely, "
     "results-based report on the implementation of the present resolution", "report"),
    # information or reporting asked for without a submission verb
    ("A_RES_78_276.pdf op11", "fully assist the Unit with the timely provision of all information requested by it",
     "information"),
    ("A_RES_79_181.pdf op19 (q)", "prioritize reporting to monitoring bodies on treaties to which it is a party",
     "report"),
    ("A_RES_79_78.pdf op12", "participate in the exchange of information and data on confidence-building measures "
     "called for in the relevant decisions of the review conferences", "information"),
    ("A_RES_78_40.pdf op5", "commit to declaring, as appropriate, to the International Atomic Energy Agency (IAEA) all "
     "fissile material designated by each of them as no longer required for military purposes", "submission"),
    # "keep <Body> informed" is a report (gold README, round 3); "keep Member States informed" is not
    ("A_RES_80_161.pdf op18", "keep the General Assembly informed of developments regarding the establishment",
     "report"),
    ("A_RES_80_75.pdf op25", "keep Member States informed", None),
    # nouns that are not the object of a submission
    ("A_RES_78_100.pdf op3", "continue to include the full series of reports of the regional "
     "seminars on decolonization", None),
    ("A_RES_79_181.pdf op11", "provide any necessary support for the preparation of the "
     "comprehensive report of", None),
    ("A_RES_80_218.pdf op20", "provide newly arrived migrants with targeted, gender-responsive, "
     "child-sensitive, accessible and comprehensive information and legal guidance on their rights",
     None),
    ("A_RES_78_137.pdf op9", "conduct analytical activities and to provide policy advice and "
     "technical assistance to Governments, upon request, in the areas of managing debt", "assistance"),
    ("A_RES_78_146.pdf op6", "consider providing assistance and sharing expertise aimed at building "
     "capacities related to risk assessment, monitoring, information gathering, risk prevention",
     "assistance"),
    # a relative clause closed before the verb does not hide it
    ("A_RES_79_181.pdf op19 (g)", "ensure that citizens of the Democratic People’s Republic of Korea "
     "who are expelled or returned to the Democratic People’s Republic of Korea are able to return "
     "in safety and dignity, are treated humanely and are not subjected to any kind of human rights "
     "violations and abuses, including enforced disappearances, arbitrary executions, torture and "
     "ill-treatment, sexual and gender-based violence, including forced abortions and infanticide "
     "against repatriated mothers and their children, and trials that do not conform with "
     "international fair trial guarantees, and to provide information on their", "information"),
    ("A_RES_78_237.pdf op2", "further engage constructively in the negotiations during formal and "
     "intersessional meetings of the Open-ended Working Group, which, pursuant to its mandate, will "
     "present recommendations, adopted by consensus, to the General Assembly", "meeting"),
    ("A_RES_79_189.pdf op12", "provide training and capacity-building for law enforcement and "
     "border control officials, as well as for healthcare professionals and ethical boards, on "
     "identifying potential cases", None),
    # the resolution transmitted, money contributed, contributing to an aim: no outputs
    ("A_RES_79_96.pdf op23", "transmit the present resolution to the governing bodies of the "
     "appropriate specialized agencies and international institutions", None),
    ("A_RES_80_213.pdf op34", "continue to contribute to the work of the Office of Counter-Terrorism "
     "through, inter alia, participation in the United Nations Global Counter-Terrorism Coordination "
     "Compact", None),
    ("A_RES_79_206.pdf op2", "communicate or update ambitious nationally determined contributions",
     None),
]


@pytest.mark.parametrize("source,action,output", OUTPUTS, ids=[c[0] for c in OUTPUTS])
def test_output_classes(source: str, action: str, output: str | None) -> None:
    assert _file(source) not in HELDOUT, f"{source} is held out"
    assert output_of(action) == output


# A resolution made of paragraphs typed from development files (each named): which become
# mandates, with what output and due sessions.
PARAS = [
    ("A_RES_78_45.pdf op5", "Urges all States parties to provide the Secretary-General with "
     "complete and timely information as required under article 7 of the Convention in order to "
     "promote transparency and compliance with the Convention;"),
    ("A_RES_78_45.pdf op6", "Invites all States that have not ratified the Convention or acceded to "
     "it to provide, on a voluntary basis, information to make global mine action efforts more "
     "effective;"),
    ("A_RES_78_25.pdf op2", "Calls upon States to adopt unilateral, bilateral, regional and "
     "multilateral measures so as to contribute to ensuring the application of scientific and "
     "technological progress within the framework of international security;"),
    ("A_RES_79_184.pdf op20", "Further requests the Secretary-General to report to the General "
     "Assembly at its eightieth session on the progress made in the implementation of all provisions "
     "of the present resolution, including options and recommendations to improve its "
     "implementation, and to submit for consideration an interim report to the Human Rights Council "
     "at its fifty-ninth session, to be followed by an interactive dialogue, in accordance with "
     "Council resolution 53/30 of 14 July 2023;"),
    ("A_RES_79_184.pdf op17", "Decides to include the item entitled “The situation in the "
     "temporarily occupied territories of Ukraine” in the annual agenda of the General Assembly;"),
    ("A_RES_78_20.pdf op5", "Also decides that the open-ended working group shall submit its report "
     "to the General Assembly at its eighty-first session, and that it shall adopt its final "
     "conclusions and recommendations by consensus;"),
    ("A_RES_78_102.pdf op28", "Recalls its request in resolution 77/98 for Governments to provide "
     "specific details on the measures taken, as necessary, for the implementation of its resolutions "
     "62/63 and 63/119;"),
    ("A_RES_78_102.pdf op4", "Also welcomes the work of the Special Coordinator on Improving the "
     "United Nations Response to Sexual Exploitation and Abuse, and requests the Secretary-General to "
     "regularly update Member States on progress with respect to the implementation of the mandate "
     "of the Special Coordinator;"),
    ("A_RES_78_303.pdf op8", "Also decides that updated information on the financial position of the Mission shall be "
     "included in the report on the updated position of closed peacekeeping missions, to be considered by the General "
     "Assembly at its seventy-ninth session under the agenda item entitled “Administrative and budgetary aspects of the "
     "financing of the United Nations peacekeeping operations”;"),
    ("A_RES_78_102.pdf op15", "Reiterates its decision that, bearing in mind its resolutions 62/63 and 63/119 as well "
     "as its resolution 77/98, the consideration of the report of the Group of Legal Experts, in particular its legal "
     "aspects, taking into account the views of Member States and also noting the inputs by the Secretariat, shall be "
     "continued during its seventy-ninth session in the framework of a working group of the Sixth Committee, and, for "
     "that purpose, invites further comments from Member States on that report, including on the question of future "
     "action;"),
    ("A_RES_78_324.pdf op3", "Requests the President of the General Assembly to hold a high-level meeting at its "
     "seventy-ninth session to exchange views and share experiences on the recommendations included in decision 14/1 "
     "of the Open-ended Working Group on Ageing, in an equitable and non-exclusive manner, and to define next steps on "
     "the challenges and opportunities regarding the rights and well-being of older persons."),
]

HEAD = """United Nations A/RES/79/901
General Assembly Distr.: General
12 December 2024
Seventy-ninth session Agenda item 99
General and complete disarmament
Resolution adopted by the General Assembly on 10 December 2024
[on the report of the First Committee (A/79/999)]
79/901. Synthetic resolution of round-3 excerpts
The General Assembly,
Recalling its resolution 78/1 of 1 December 2023,
"""


@pytest.fixture(scope="module")
def round3(tmp_path_factory):
    text = HEAD + "".join(f"{k}. {t}\n" for k, (_, t) in enumerate(PARAS, 1)) + \
        "50th plenary meeting\n10 December 2024\n"
    path = tmp_path_factory.mktemp("r3") / "A_RES_79_901.txt"
    path.write_text(text, encoding="utf-8")
    return extract(make_source(path, "text/plain", text, language="en"))


def test_which_paragraphs_become_mandates(round3) -> None:
    for source, _ in PARAS:
        assert _file(source) not in HELDOUT
    m = {f.ref.local: f for f in round3.items if isinstance(f, MandateFact)}
    due = {}
    for r in round3.items:
        if isinstance(r, Relation) and r.predicate == "dueAt":
            due.setdefault(r.subject.local, set()).add(r.object)
    got = {k: (f.addressee or f.addressee_text, f.output) for k, f in m.items()}
    assert got == {
        "op-1": ("states-parties", "information"),  # a group asked for information: a mandate
        "op-2": ("member-states", "information"),  # ... also when no body receives it
        # op-3: "so as to contribute to ensuring ...": no output, no mandate
        "op-4": ("secretary-general", "report"),  # two outputs due at two bodies: two mandates
        "op-4-2": ("secretary-general", "report"),
        "op-5": ("A", "agenda item"),  # a standing item of the annual agenda
        "op-6": ("open-ended working group", "report"),  # an addressee of no row, by its head noun
        # op-7: "Recalls its request": not a mandate
        "op-8": ("secretary-general", None),  # an update of Member States only: no reporting output
        "op-9": ("secretary-general", "information"),  # in the passive, no producer printed
        "op-10": ("A", "consideration"),  # consideration "shall be continued during its ... session"
        "op-10-2": ("member-states", "views"),  # "invites further comments from Member States"
        "op-11": ("pga", "meeting"),  # a meeting held at a session: nothing is due there
    }
    assert "op-11" not in due
    assert due["op-9"] == {SessionRef("A", 79)} and due["op-10"] == {SessionRef("A", 79)}
    assert due["op-4"] == {SessionRef("A", 80)} and due["op-4-2"] == {SessionRef("A/HRC", 59)}
    assert "op-5" not in due and m["op-5"].recurrence == "annually"
    assert due["op-6"] == {SessionRef("A", 81)}


ANNEXED = """United Nations A/RES/79/902
General Assembly Distr.: General
Resolution adopted by the General Assembly on 16 July 2024
79/902. Synthetic outcome document of round-3 excerpts
The General Assembly,
Recalling its resolution 78/1 of 1 December 2023,
1. Endorses the outcome document of the Conference, which is annexed to the present resolution.
100th plenary meeting
16 July 2024 Annex
Outcome document
1. We note the remarkable successes and progress that they have made over the years.
2. We request the Secretary-General to prepare an annual report on progress in implementing the Agenda.
3. We call upon Member States to ratify the conventions.
4. Requests the Secretary-General to submit a report to the General Assembly at its eighty-first session.
"""


def test_annexed_first_person_requests(tmp_path) -> None:
    """An annex opened on the adoption date's line (78/317: "16 July 2024 Annex") is read; its
    first-person reporting requests are mandates (78/317 annex-op40: "we request the
    Secretary-General to prepare an annual report"), a request for no output (annex-3) and
    third-person wording inside the annexed text (annex-4) are not."""
    path = tmp_path / "A_RES_79_902.txt"
    path.write_text(ANNEXED, encoding="utf-8")
    facts = extract(make_source(path, "text/plain", ANNEXED, language="en"))
    m = {f.ref.local: f for f in facts.items if isinstance(f, MandateFact)}
    assert {k: (f.addressee, f.output) for k, f in m.items()} == \
        {"annex-2": ("secretary-general", "report")}
