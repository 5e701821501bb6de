"""The hand-read held-out gold (tests/gold/resolutions/) keeps the schema of tests/gold/README.md.

Only the files' form is checked here: their content is the reference mandategraph is scored
against at the end (bench/quality.py), never compared with its output in a test.
"""
import importlib.util
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parent / "gold"
_spec = importlib.util.spec_from_file_location("check_gold", GOLD / "check_gold.py")
check_gold = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_gold)


def test_one_gold_file_per_heldout_resolution_and_no_schema_problem():
    heldout = json.loads((GOLD / "heldout.json").read_text())["heldout_resolutions"]
    files = sorted((GOLD / "resolutions").glob("*.json"))
    assert sorted(f.name[:-5] + ".pdf" for f in files) == sorted(heldout)
    problems = [p for f in files for p in check_gold.check_file(f)]
    assert problems == []


def test_spent_round_one_gold_is_kept_whole_and_apart_from_the_new_heldout():
    held = json.loads((GOLD / "heldout.json").read_text())
    spent = held["spent_resolutions"]["files"]
    files = sorted((GOLD / "spent" / "resolutions").glob("*.json"))
    assert sorted(f.name[:-5] + ".pdf" for f in files) == sorted(spent)
    assert not set(spent) & set(held["heldout_resolutions"])
    dev = json.loads((GOLD / "dev" / "dev.json").read_text())["dev_resolutions"]
    assert not set(dev) & set(held["heldout_resolutions"])
    assert [p for f in files for p in check_gold.check_file(f)] == []


def test_checker_reports_each_kind_of_break(tmp_path):
    good = json.loads((GOLD / "spent" / "resolutions" / "A_RES_78_102.json").read_text())
    bad = json.loads(json.dumps(good))
    bad["mandates"][0]["kind"] = "reporting"
    bad["mandates"][1]["para"] = "12"
    bad["mandates"][2]["recurrence"] = "every year"
    bad["mandates"][3]["addressee"] = "the Secretary-General"
    bad["mandates"][4]["due"] = [{"body": "General Assembly", "session": "79"}]
    del bad["instruments"][0]["body"]
    bad["instruments"].append(dict(bad["instruments"][1]))
    path = tmp_path / "A_RES_78_102.json"
    path.write_text(json.dumps(bad))
    problems = "\n".join(check_gold.check_file(path))
    for expected in ("kind:", "para:", "recurrence:", "addressee:", "session:",
                     "missing keys ['body']", "duplicate instrument"):
        assert expected in problems, expected
    path.write_text("{not json")
    assert "not readable JSON" in check_gold.check_file(path)[0]
