"""Quality sections for Main Committee drafts and GA decision records (issue 14).

Registered into ``bench/quality.py`` (x13's harness: ``from quality import register``); also
runnable alone: ``python bench/quality_drafts.py --set heldout``.

* ``drafts``: for each gold file of ``tests/gold/drafts/`` (held-out) or
  ``tests/gold/dev/drafts/`` (dev), the masthead as the resolution extractor reads it
  (:func:`mandategraph.extract.resolution.parse`): symbol, distribution, date, session,
  committee, agenda item and title, sponsors in printed order, title, kind; field accuracy
  and the share of drafts with every field right. ``draft_of`` from the whole pipeline: the
  gold drafts and every adopted resolution of the 80th session in the corpus (``ga-78-80/``
  and ``pdf/``) are built into one in-memory store, the linking pass included, and each
  draft's ``un:draftOf`` is read back; precision and recall of the links.
* ``decisions``: for each gold file of ``tests/gold/decisions/``, the record as
  :mod:`mandategraph.extract.decisions` reads it (number, parts, type, title, agenda item,
  session, originating body, meetings) and the facts of its text (mandates as (kind,
  session), documents taken note of, documents named, instruments cited), scored per field.

Matching rules (written once, here): strings compared after joining runs of whitespace;
agenda items without spaces ("99 (dd)" = "99(dd)"); the committee is right when the gold
name is one of the names the extractor gives the committee (printed line, else the
reference table's names of the committee its symbol names); sponsors right when the list
is equal in order; a draft/decision kind as in the gold README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mandategraph.core.facts import MandateFact, Relation
from mandategraph.core.reference import bodies
from mandategraph.extract.decisions import read_record, record_facts
from mandategraph.extract.resolution import parse
from mandategraph.ingest.load import load_source
from mandategraph.pipeline.batch import build_paths
from mandategraph.store.factory import open_store

GOLD = ROOT / "tests" / "gold"
DRAFT_SETS = {"dev": GOLD / "dev" / "drafts", "heldout": GOLD / "drafts"}
DECISION_SETS = {"dev": GOLD / "dev" / "decisions", "heldout": GOLD / "decisions"}
KINDS = {"resolution": "draft resolution", "decision": "draft decision", "amendment": "amendment",
         "note": "note"}
DRAFT_FIELDS = ("symbol", "distribution", "date", "session", "committee", "agenda_item",
                "agenda_title", "sponsors", "title", "kind")
DECISION_FIELDS = ("number", "parts", "type", "title", "agenda_item", "session",
                   "originating_body", "meetings", "mandates", "took_note_of", "documents",
                   "instruments")



def _nsorted(rows):
    """Tuples sorted with None allowed in any place (None first): gold and graph sides alike."""
    return sorted(rows, key=lambda t: tuple((x is not None, str(x) if x is not None else "") for x in t))

def _ws(x):
    return re.sub(r"\s+", " ", x).strip() if isinstance(x, str) else x


def _item(x):
    return re.sub(r"\s+", "", x) if isinstance(x, str) else x


def _rate(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _corpus_dirs(corpus: Path) -> tuple[Path, Path, Path]:
    shared = corpus.parent
    return corpus, shared / "pdf", shared / "ga-decisions"


def draft_fields(pdf: Path) -> dict:
    mh = parse(load_source(pdf)).masthead
    names = set()
    if mh.committee_name:
        names.add(mh.committee_name)
    b = bodies().get(mh.committee or "")
    if b is not None and not mh.committee_name:
        names |= set(b.names("en"))
    sponsors = list(mh.sponsors) or ([mh.submitter] if mh.submitter else [])
    return {
        "symbol": mh.symbol, "distribution": mh.distribution,
        "date": mh.date.isoformat() if mh.date else None, "session": mh.session,
        "committee": sorted(names), "agenda_item": mh.agenda[0].printed if mh.agenda else None,
        "agenda_title": mh.agenda[0].title if mh.agenda else None,
        "sponsors": sponsors, "title": mh.title, "kind": KINDS.get(mh.draft_kind or "", mh.draft_kind),
    }


def _draft_right(name: str, gold, got) -> bool:
    if name == "committee":
        return _ws(gold) in {_ws(n) for n in got}
    if name == "agenda_item":
        return _item(gold) == _item(got)
    if name == "sponsors":
        return [_ws(s) for s in gold] == [_ws(s) for s in got]
    return _ws(gold) == _ws(got)


def _draft_links(pdfs: list[Path], res_dirs: list[Path]) -> dict[str, str]:
    st = open_store(None)
    resolutions = [p for d in res_dirs if d.is_dir() for p in sorted(d.glob("A_RES_80_*.pdf"))]
    build_paths([*pdfs, *resolutions], st)
    q = ("PREFIX un: <https://w3id.org/mandategraph/ontology#> SELECT DISTINCT ?sym ?rsym WHERE { "
         "?d un:draftOf ?i ; un:symbol ?sym . ?i un:carriedBy ?r . ?r un:symbol ?rsym }")
    out: dict[str, list[str]] = {}
    for s, r in st.select(q).values():
        out.setdefault(s, []).append(r)
    return {s: ",".join(sorted(rs)) for s, rs in out.items()}


def score_drafts(set_name: str, corpus: Path) -> dict | None:
    gold_dir = DRAFT_SETS.get(set_name)
    files = sorted(gold_dir.glob("*.json")) if gold_dir and gold_dir.is_dir() else []
    if not files:
        return None
    drafts_dir, pdf_dir, _ = _corpus_dirs(corpus)
    golds = [json.loads(f.read_text(encoding="utf-8")) for f in files]
    pdfs = [drafts_dir / g["file"] for g in golds]
    right = {f: 0 for f in DRAFT_FIELDS}
    all_right = 0
    misses = []
    for g, pdf in zip(golds, pdfs):
        got = draft_fields(pdf)
        ok = True
        for f in DRAFT_FIELDS:
            if _draft_right(f, g[f], got[f]):
                right[f] += 1
            else:
                ok = False
                misses.append({"file": g["file"], "field": f, "gold": g[f], "got": got[f]})
        all_right += ok
    links = _draft_links(pdfs, [drafts_dir, pdf_dir])
    tp = fp = fn = 0
    link_rows = []
    for g in golds:
        got = links.get(g["symbol"])
        want = g["draft_of"]
        if got and got == want:
            tp += 1
        else:
            if got:
                fp += 1
            if want:
                fn += 1
        link_rows.append({"file": g["file"], "gold": want, "got": got})
    n = len(golds)
    fields_total = n * len(DRAFT_FIELDS)
    res = {
        "files": n,
        "field_accuracy": {f: _rate(right[f], n) for f in DRAFT_FIELDS},
        "fields_right": _rate(sum(right.values()), fields_total),
        "drafts_all_right": _rate(all_right, n),
        "links": {"tp": tp, "fp": fp, "fn": fn, "precision": _rate(tp, tp + fp),
                  "recall": _rate(tp, tp + fn)},
        "misses": misses, "link_rows": link_rows,
    }
    res["table"] = (
        "| files | fields right | drafts all right | masthead (symbol..committee) | agenda item | sponsors | title "
        "| link P | link R |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| {n} | {res['fields_right']} | {res['drafts_all_right']} | "
        f"{_rate(sum(right[f] for f in ('symbol', 'distribution', 'date', 'session', 'committee')), 5 * n)} | "
        f"{_rate(right['agenda_item'] + right['agenda_title'], 2 * n)} | {res['field_accuracy']['sponsors']} | "
        f"{res['field_accuracy']['title']} | {res['links']['precision']} | {res['links']['recall']} |")
    return res


def decision_fields(path: Path) -> dict:
    rec = read_record(path)
    facts = record_facts(rec)
    rel = [f for f in facts.items if isinstance(f, Relation)]
    mandates = sorted({(m.ref.local.rsplit("-", 1)[0], r.object.number)
                       for m in facts.items if isinstance(m, MandateFact)
                       for r in rel if r.subject == m.ref and r.predicate == "dueAt"})
    docs, took, inst = [], [], []
    for r in rel:
        sym = getattr(r.object, "symbol", None)
        if sym and r.predicate in ("cites", "takesNoteOf", "adoptedOnReportOf") and sym not in docs:
            docs.append(sym)
        if sym and r.predicate == "takesNoteOf" and sym not in took:
            took.append(sym)
        if r.predicate == "recalls" and r.object.number not in inst:
            inst.append(r.object.number)
    return {
        "number": rec.number, "parts": list(rec.parts) or None, "type": rec.type, "title": rec.title,
        "agenda_item": ", ".join(rec.agenda_items) or None, "session": rec.session,
        "originating_body": rec.originating_body,
        "meetings": _nsorted((m.number, m.date.isoformat() if m.date else None, m.resumed) for m in rec.meetings),
        "mandates": mandates, "took_note_of": sorted(took), "documents": sorted(docs),
        "instruments": sorted(inst),
    }


def _decision_gold(g: dict) -> dict:
    out = dict(g)
    out["meetings"] = _nsorted((m["meeting"], m["date"], m["resumed"]) for m in g["meetings"])
    out["mandates"] = _nsorted((m["kind"], m["session"]) for m in g["mandates"])
    for k in ("took_note_of", "documents", "instruments"):
        out[k] = sorted(g[k])
    return out


def _dec_right(name: str, gold, got) -> bool:
    if name == "agenda_item":
        return _item(gold) == _item(got)
    if name in ("meetings", "mandates"):
        return [list(x) for x in gold] == [list(x) for x in got]
    return _ws(gold) == _ws(got) if isinstance(gold, str) else gold == got


def score_decisions(set_name: str, corpus: Path) -> dict | None:
    gold_dir = DECISION_SETS.get(set_name)
    files = sorted(gold_dir.glob("*.json")) if gold_dir and gold_dir.is_dir() else []
    if not files:
        return None
    _, _, dec_dir = _corpus_dirs(corpus)
    right = {f: 0 for f in DECISION_FIELDS}
    misses = []
    n = 0
    for f in files:
        g = _decision_gold(json.loads(f.read_text(encoding="utf-8")))
        got = decision_fields(dec_dir / g["file"])
        n += 1
        for k in DECISION_FIELDS:
            if _dec_right(k, g[k], got[k]):
                right[k] += 1
            else:
                misses.append({"file": g["file"], "field": k, "gold": g[k], "got": got[k]})
    res = {"files": n, "field_accuracy": {k: _rate(right[k], n) for k in DECISION_FIELDS},
           "fields_right": _rate(sum(right.values()), n * len(DECISION_FIELDS)), "misses": misses}
    res["table"] = ("| files | fields right | " + " | ".join(DECISION_FIELDS) + " |\n|"
                    + "---|" * (len(DECISION_FIELDS) + 2) + "\n"
                    f"| {n} | {res['fields_right']} | "
                    + " | ".join(str(res["field_accuracy"][k]) for k in DECISION_FIELDS) + " |")
    return res


try:  # inside bench/quality.py's harness
    from quality import register  # type: ignore[import-not-found]

    register("drafts", score_drafts)
    register("decisions", score_decisions)
except ImportError:  # run alone, or before bench/quality.py exists
    pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=("dev", "heldout"), default="heldout")
    ap.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus/ga-78-80"))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    res = {"set": args.set, "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
           "drafts": score_drafts(args.set, args.corpus),
           "decisions": score_decisions(args.set, args.corpus)}
    for name in ("drafts", "decisions"):
        print(f"{args.set} / {name}")
        print(res[name]["table"] if res[name] else "no gold")
    if not args.no_write:
        out = ROOT / "bench" / "results" / f"quality-drafts-{args.set}.json"
        out.write_text(json.dumps(res, indent=1, ensure_ascii=False, default=list) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
