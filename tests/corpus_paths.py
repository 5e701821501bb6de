"""Where the tests find the shared corpus, and which of its files are held out (one place)."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SHARED = Path(os.environ["MANDATEGRAPH_SHARED_CORPUS"]) if os.environ.get("MANDATEGRAPH_SHARED_CORPUS") \
    else next((p for p in (ROOT.parent / "shared" / "corpus", ROOT.parent.parent / "shared" / "corpus")
               if p.is_dir()), Path("/work/shared/corpus"))


def heldout() -> set[str]:
    """Every held-out file name of tests/gold/heldout.json (resolutions, drafts, decision records)."""
    h = json.loads((ROOT / "tests" / "gold" / "heldout.json").read_text(encoding="utf-8"))
    return {n for k in ("heldout_resolutions", "heldout_committee_drafts", "heldout_decision_records")
            for n in h.get(k, [])}
