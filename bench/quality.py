"""Extraction quality against hand-read gold: precision and recall per fact kind.

    python bench/quality.py [--set dev|spent|heldout|tune|both|all] [--corpus DIR] [--no-write]

For each gold file of a set (``tests/gold/dev/resolutions/*.json`` = ``dev``,
``tests/gold/spent/resolutions/*.json`` = ``spent``, the round-1 and round-2 held-out sets, each scored once
and a tuning set since, ``tests/gold/resolutions/*.json`` = ``heldout``, the round-3 set;
``tune`` = dev + spent, the default; schema in ``tests/gold/README.md``) the PDF
it names is built with the project's own pipeline into one in-memory store (ingest ->
extract -> build -> store, the linking pass included); the mandates and the cited
instruments are read back out of the store with SPARQL (the queries below), matched to the
gold by the rules of :data:`RULES` (the one place they are written), and counted. Prints a
table and writes ``bench/results/quality-<set>.json`` (counts, rates, and every miss, wrong
value and extra fact, so a figure can be checked by hand).

Sections: ``SECTIONS`` maps a section name to a scorer ``(set_name, corpus) -> dict | None``.
Resolutions (#13) are scored here; committee drafts and decision records (#14) add their
scorers with ``register("drafts", fn)`` / ``register("decisions", fn)`` in a module of
their own, ``bench/quality_<name>.py`` (every such file is imported), reading
``tests/gold/drafts/`` and ``tests/gold/decisions/``; the helpers here (``resolve``,
``_same_agent``, ``_num``, the SPARQL of ``MANDATES_Q``) are theirs to reuse. A scorer returns
``None`` when its set has no gold files, and the section is then reported as "no gold".

The held-out set is scored only by the lead, once, at the end (see tests/gold/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the project's own stages (the one place this bench names its modules)
from mandategraph.core.reference import bodies
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

GOLD = ROOT / "tests" / "gold"
SETS = {"dev": GOLD / "dev" / "resolutions", "spent": GOLD / "spent" / "resolutions",
        "heldout": GOLD / "resolutions"}
#: the development corpus: $MANDATEGRAPH_QUALITY_CORPUS, else ../shared/corpus/ga-78-80 beside
#: the checkout (or beside the folder of worktrees)
DEFAULT_CORPUS = Path(os.environ.get("MANDATEGRAPH_QUALITY_CORPUS", "")) if \
    os.environ.get("MANDATEGRAPH_QUALITY_CORPUS") else next(
        (p for p in (ROOT.parent / "shared" / "corpus" / "ga-78-80",
                     ROOT.parent.parent / "shared" / "corpus" / "ga-78-80") if p.is_dir()),
        ROOT.parent / "shared" / "corpus" / "ga-78-80")

PREFIX = "PREFIX un: <https://w3id.org/mandategraph/ontology#>\n" \
         "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"

#: every mandate of a resolution document, with its paragraph, sub-item, addressee, due sessions
MANDATES_Q = PREFIX + """
SELECT ?sym ?m ?para ?item ?addr ?addrLabel ?addrTitle ?addrText ?output ?verb ?status ?rec
       ?sbody ?snum WHERE {
  ?inst un:carriedBy ?doc ; un:hasMandate ?m . ?doc un:symbol ?sym .
  OPTIONAL { ?m un:inParagraph ?para }
  OPTIONAL { ?m un:subItem ?item }
  OPTIONAL { ?m un:addressee ?addr .
             OPTIONAL { ?addr skos:prefLabel ?addrLabel FILTER(lang(?addrLabel) = "en") }
             OPTIONAL { ?addr un:title ?addrTitle } }
  OPTIONAL { ?m un:addresseeText ?addrText }
  OPTIONAL { ?m un:requestsOutput ?output }
  OPTIONAL { ?m un:verb ?verb }
  OPTIONAL { ?m un:mandateStatus ?status }
  OPTIONAL { ?m un:recurrence ?rec }
  OPTIONAL { ?m un:dueAt ?s . ?s un:number ?snum ; un:sessionOf ?sbody }
}"""

#: every instrument a resolution (or its document) recalls, reaffirms, endorses or cites
INSTRUMENTS_Q = PREFIX + """
SELECT DISTINCT ?sym ?i ?num ?kind ?body ?bodyLabel ?bodyTitle ?unstated WHERE {
  { ?owner un:carriedBy ?doc } UNION { ?doc a un:ResolutionDocument . BIND(?doc AS ?owner) }
  ?doc un:symbol ?sym .
  ?owner ?p ?i . VALUES ?p { un:recalls un:reaffirms un:endorses un:cites }
  ?i a un:Instrument ; un:number ?num .
  BIND(IF(EXISTS { ?i a un:Decision }, "decision", "resolution") AS ?kind)
  OPTIONAL { ?i un:issuedBy ?body .
             OPTIONAL { ?body skos:prefLabel ?bodyLabel FILTER(lang(?bodyLabel) = "en") }
             OPTIONAL { ?body un:title ?bodyTitle } }
  OPTIONAL { ?i un:bodyStatus ?unstated }
}"""


# --------------------------------------------------------------------------- matching rules

RULES = """
Matching rules (resolutions):
- mandate identity: same resolution symbol, same paragraph (gold "op12" = graph paragraph
  ".../op-12"), same sub-item (gold "item" = un:subItem, both absent counts as equal). Several
  mandates in one (paragraph, sub-item): paired greedily, best agreement first (kind,
  addressee, due sessions).
- an extracted mandate counts for precision when it is a reporting mandate: its output maps
  to a gold kind (OUTPUT_KIND) or it has a due session; other requests ("to continue to
  provide support") are not facts of this gold and are neither right nor wrong.
- addressee right: gold text and graph addressee resolve to the same reference-table row
  (names and aliases of data/reference/*.csv, case-insensitive, without a leading "the");
  when either does not resolve, their normalised names must be equal (the graph's label,
  title or un:addresseeText). Never string equality of the raw forms.
- due right: the set of (body row, session) of the gold entries that name a session equals
  the graph's un:dueAt set (entries with session null are not compared).
- recurrence right: gold "annual|biennial|triennial|quadrennial|null" equals the graph's
  un:recurrence mapped by RECURRENCE.
- instrument identity: same document, same number (spaces ignored: "260 A (III)" = "260A(III)")
  and kind; several gold instruments with one number (conference "resolution 1") pair greedily.
  Body right: as for addressees; gold null = the graph says un:bodyStatus un:BodyNotStated.
- invented GA copy: an extracted GA instrument whose number the gold gives only to another
  body in that document.
"""

OUTPUT_KIND = {"report": "report", "oral report": "oral-report", "note": "submission",
               "information": "submission", "views": "submission", "proposals": "submission",
               "recommendations": "submission", "study": "submission", "compilation": "submission",
               "summary": "submission", "submission": "submission", "contribution": "submission",
               "agenda item": "agenda-inclusion", "consideration": "continue-consideration"}
RECURRENCE = {"annually": "annual", "biennially": "biennial", "triennially": "triennial",
              "quadrennially": "quadrennial"}


def _norm(text: str | None) -> str:
    t = re.sub(r"\s+", " ", (text or "").replace("\u2011", "-")).strip().lower()
    t = re.sub(r"^the ", "", t)
    return t.rstrip(" ,.;")


_NAMES: dict[str, str] = {}


def _name_index() -> dict[str, str]:
    """normalised name or alias -> reference-table key (all rows of bodies())."""
    if not _NAMES:
        for key, b in bodies().items():
            for n in (b.name_en, *b.aliases_en):
                _NAMES.setdefault(_norm(n), key)
    return _NAMES


def resolve(name: str | None) -> str | None:
    return _name_index().get(_norm(name)) if name else None


def _body_key(iri: str | None) -> str | None:
    """Reference key of a body IRI minted by iris.body (slug -> key)."""
    if not iri:
        return None
    slug = iri.rsplit("/body/", 1)[-1]
    for key, b in bodies().items():
        if b.slug == slug:
            return key
    return None


def _same_agent(gold: str | None, key: str | None, names: list[str | None]) -> bool:
    gk = resolve(gold)
    if gk is not None and key is not None:
        return gk == key
    if gk is not None:  # the graph has words only: do they name the same row?
        return any(resolve(n) == gk for n in names if n)
    g = _norm(gold)
    return bool(g) and any(_norm(n) == g for n in names if n)


def _para(iri: str | None) -> str | None:
    if not iri:
        return None
    label = iri.rsplit("/", 1)[-1]
    m = re.fullmatch(r"(op|pp|annex)-(u?\d+)(?:-\d+)?", label)
    if not m:
        return label
    return f"annex-op{m.group(2)}" if m.group(1) == "annex" else f"{m.group(1)}{m.group(2)}"


def _num(n: str) -> str:
    """An instrument number as compared: spaces out, and a year after a plain number
    dropped ("2334 (2016)" is Security Council resolution 2334, the gold's form; a session in
    roman numerals, "2200 A (XXI)", is kept)."""
    return re.sub(r"\s+", "", re.sub(r"^(\d+)\s*\((?:19|20)\d\d\)$", r"\1", n.strip()))


# --------------------------------------------------------------------------- extraction side


def _collect(store) -> tuple[dict, dict]:
    mandates: dict[str, dict] = {}
    for r in store.select(MANDATES_Q).dicts():
        m = mandates.setdefault(str(r["m"]), {
            "sym": str(r["sym"]), "iri": str(r["m"]), "para": _para(str(r.get("para") or "")),
            "item": str(r["item"]) if r.get("item") else None,
            "addr_key": _body_key(str(r["addr"])) if r.get("addr") else None,
            "addr_names": [str(x) for x in (r.get("addrLabel"), r.get("addrTitle"), r.get("addrText"))
                           if x is not None],
            "output": str(r["output"]) if r.get("output") else None,
            "verb": str(r["verb"]) if r.get("verb") else None,
            "rec": str(r["rec"]) if r.get("rec") else None, "due": set()})
        if r.get("snum") is not None:
            m["due"].add((_body_key(str(r["sbody"])) or str(r["sbody"]), int(str(r["snum"]))))
    instruments: dict[tuple[str, str], dict] = {}
    for r in store.select(INSTRUMENTS_Q).dicts():
        k = (str(r["sym"]), str(r["i"]))
        instruments.setdefault(k, {
            "sym": str(r["sym"]), "iri": str(r["i"]), "num": str(r["num"]), "kind": str(r["kind"]),
            "body_key": _body_key(str(r["body"])) if r.get("body") else None,
            "body_names": [str(x) for x in (r.get("bodyLabel"), r.get("bodyTitle")) if x is not None],
            "unstated": bool(r.get("unstated"))})
    return mandates, instruments


def _kind(m: dict) -> str | None:
    if m["output"] in OUTPUT_KIND:
        return OUTPUT_KIND[m["output"]]
    return "report" if m["due"] else None


# --------------------------------------------------------------------------- scoring


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _due_gold(g: dict) -> set:
    return {(resolve(d["body"]) or _norm(d["body"]), d["session"]) for d in g["due"]
            if d.get("session") is not None}


def _mandate_agreement(g: dict, m: dict) -> tuple[bool, bool, bool, bool]:
    addr = _same_agent(g["addressee"], m["addr_key"], m["addr_names"])
    due = _due_gold(g) == m["due"]
    rec = (g.get("recurrence") or None) == RECURRENCE.get(m["rec"] or "", m["rec"])
    kind = g["kind"] == _kind(m)
    return kind, addr, due, rec


def score_resolutions(set_name: str, corpus: Path) -> dict | None:
    folder = SETS[set_name]
    golds = sorted(folder.glob("*.json")) if folder.is_dir() else []
    if not golds:
        return None
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    pdfs = [corpus / g["file"] for g in gold]
    missing = [str(p) for p in pdfs if not p.is_file()]
    if missing:
        raise SystemExit(f"quality: gold names PDFs that are not in {corpus}: {missing}")
    store = open_store(None)
    report = build_paths(pdfs, store)
    if report.errors:
        raise SystemExit(f"quality: the build reported errors: {report.errors}")
    mandates, instruments = _collect(store)
    by_doc_m: dict[str, list[dict]] = defaultdict(list)
    for m in mandates.values():
        by_doc_m[m["sym"]].append(m)
    by_doc_i: dict[str, list[dict]] = defaultdict(list)
    for i in instruments.values():
        by_doc_i[i["sym"]].append(i)

    c = defaultdict(int)
    details: dict[str, list] = defaultdict(list)
    for g_doc in gold:
        sym = g_doc["symbol"]
        ext = [m for m in by_doc_m.get(sym, []) if _kind(m) is not None]
        c["mandates_gold"] += len(g_doc["mandates"])
        c["mandates_extracted"] += len(ext)
        used: set[str] = set()
        for g in g_doc["mandates"]:
            cands = [m for m in ext if m["iri"] not in used and m["para"] == g["para"]
                     and (m["item"] or None) == (g.get("item") or None)]
            if not cands:
                details["missed_mandates"].append({"symbol": sym, **g})
                continue
            best = max(cands, key=lambda m: sum(_mandate_agreement(g, m)))
            used.add(best["iri"])
            kind, addr, due, rec = _mandate_agreement(g, best)
            c["mandates_matched"] += 1
            c["kind_right"] += kind
            c["addressee_right"] += addr
            c["due_right"] += due
            c["recurrence_right"] += rec
            c["addressee_and_due_right"] += addr and due
            if not (kind and addr and due and rec):
                details["wrong_mandates"].append({
                    "symbol": sym, "para": g["para"], "item": g.get("item"),
                    "gold": {k: g[k] for k in ("kind", "addressee", "due", "recurrence")},
                    "extracted": {"kind": _kind(best), "addressee": best["addr_key"] or best["addr_names"],
                                  "due": sorted(best["due"]), "recurrence": best["rec"],
                                  "iri": best["iri"]}})
        for m in ext:
            if m["iri"] not in used:
                details["extra_mandates"].append({"symbol": sym, "iri": m["iri"], "para": m["para"],
                                                  "item": m["item"], "kind": _kind(m),
                                                  "addressee": m["addr_key"] or m["addr_names"]})
        # instruments
        ext_i = by_doc_i.get(sym, [])
        c["instruments_gold"] += len(g_doc["instruments"])
        c["instruments_extracted"] += len(ext_i)
        used_i: set[str] = set()
        for g in g_doc["instruments"]:
            cands = [i for i in ext_i if i["iri"] not in used_i and _num(i["num"]) == _num(g["number"])
                     and i["kind"] == g["kind"]]
            if not cands:
                details["missed_instruments"].append({"symbol": sym, **g})
                continue

            def body_ok(i: dict, g: dict = g) -> bool:
                if g["body"] is None:
                    return i["unstated"]
                return not i["unstated"] and _same_agent(g["body"], i["body_key"], i["body_names"])
            best = max(cands, key=body_ok)
            used_i.add(best["iri"])
            c["instruments_matched"] += 1
            if body_ok(best):
                c["instrument_body_right"] += 1
            else:
                details["wrong_instrument_bodies"].append({
                    "symbol": sym, "number": g["number"], "gold": g["body"],
                    "extracted": "body not stated" if best["unstated"] else (best["body_key"] or best["body_names"])})
        gold_nums = defaultdict(set)
        for g in g_doc["instruments"]:
            gold_nums[_num(g["number"])].add(resolve(g["body"]) or _norm(g["body"]) if g["body"] else None)
        for i in ext_i:
            if i["iri"] in used_i:
                continue
            bodies_for = gold_nums.get(_num(i["num"]))
            if i["body_key"] == "A" and bodies_for and "A" not in bodies_for:
                c["invented_ga_copies"] += 1
                details["invented_ga_copies"].append({"symbol": sym, "number": i["num"], "iri": i["iri"]})
            else:
                details["extra_instruments"].append({"symbol": sym, "number": i["num"], "iri": i["iri"],
                                                     "body": i["body_key"] or i["body_names"]})
    m_found = c["mandates_matched"]
    return {
        "files": len(gold),
        "counts": dict(c),
        "mandates": {"precision": _rate(m_found, c["mandates_extracted"]),
                     "recall": _rate(m_found, c["mandates_gold"])},
        "of_mandates_found": {k: _rate(c[k], m_found) for k in
                              ("kind_right", "addressee_right", "due_right", "recurrence_right",
                               "addressee_and_due_right")},
        "instruments": {"precision": _rate(c["instruments_matched"], c["instruments_extracted"]),
                        "recall": _rate(c["instruments_matched"], c["instruments_gold"]),
                        "body_right": _rate(c["instrument_body_right"], c["instruments_matched"]),
                        "invented_ga_copies": c["invented_ga_copies"]},
        "details": dict(details),
    }


SECTIONS: dict[str, Callable[[str, Path], dict | None]] = {"resolutions": score_resolutions}
def register(name: str, scorer: Callable[[str, Path], dict | None]) -> None:
    """Add a section: ``scorer(set_name, corpus)`` returns a dict (with a ``"table"`` string
    printed under the main table, and anything else to store) or None when its set has no gold."""
    SECTIONS[name] = scorer


def _load_extra() -> None:
    """Import every ``bench/quality_*.py`` (committee drafts, decision records, #14): each calls
    :func:`register` at import. Their gold: ``tests/gold/drafts/``, ``tests/gold/decisions/``."""
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    sys.modules.setdefault("quality", sys.modules[__name__])  # so they can `from quality import register`
    for path in sorted(here.glob("quality_*.py")):
        importlib.import_module(path.stem)


def _fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def table(results: dict[str, dict]) -> str:
    """The README table: one row per set."""
    head = ("| set | files | mandate P | mandate R | addressee right | due right | addressee and due "
            "| recurrence right | instrument P | instrument R | instrument body right | invented GA copies |")
    out = [head, "|" + "---|" * 12]
    for set_name, res in results.items():
        r = res.get("resolutions")
        if not r:
            out.append(f"| {set_name} | no gold |" + " |" * 10)
            continue
        f = r["of_mandates_found"]
        out.append(f"| {set_name} | {r['files']} | {_fmt(r['mandates']['precision'])} | "
                   f"{_fmt(r['mandates']['recall'])} | {_fmt(f['addressee_right'])} | "
                   f"{_fmt(f['due_right'])} | {_fmt(f['addressee_and_due_right'])} | "
                   f"{_fmt(f['recurrence_right'])} | {_fmt(r['instruments']['precision'])} | "
                   f"{_fmt(r['instruments']['recall'])} | {_fmt(r['instruments']['body_right'])} | "
                   f"{r['instruments']['invented_ga_copies']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=RULES)
    ap.add_argument("--set", choices=("dev", "spent", "heldout", "tune", "both", "all"), default="tune")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                    help="folder of the PDFs the gold files name (default %(default)s)")
    ap.add_argument("--no-write", action="store_true", help="print only; write no results file")
    ap.add_argument("--label", default="", help="a note stored in the results file (e.g. 'before')")
    args = ap.parse_args(argv)
    _load_extra()
    sets = {"both": ("dev", "heldout"), "tune": ("dev", "spent"),
            "all": ("dev", "spent", "heldout")}.get(args.set, (args.set,))
    results: dict[str, dict] = {}
    for set_name in sets:
        res: dict = {"set": set_name, "label": args.label,
                     "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                     "corpus": str(args.corpus)}
        for name, scorer in SECTIONS.items():
            res[name] = scorer(set_name, args.corpus)
        results[set_name] = res
        if not args.no_write:
            out = ROOT / "bench" / "results" / f"quality-{set_name}.json"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=sorted) + "\n",
                           encoding="utf-8")
    print(table(results))
    for set_name, res in results.items():
        for name, r in res.items():
            if isinstance(r, dict) and name != "resolutions" and "table" in r:
                print(f"\n{set_name} / {name}\n{r['table']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
