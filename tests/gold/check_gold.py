"""Check the schema of every hand-read gold file in tests/gold/resolutions/ (see README.md).

Usage: python tests/gold/check_gold.py [FILE ...]   (default: every resolutions/*.json)
Prints one line per problem (file: path: what was expected) and exits 1 if any.
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
KINDS = {"report", "oral-report", "submission", "agenda-inclusion", "continue-consideration"}
RECURRENCES = {None, "annual", "biennial", "triennial", "quadrennial"}
INSTRUMENT_KINDS = {"resolution", "decision"}
PARA = re.compile(r"^(?:op|pp|annex-op)[1-9][0-9]*$")
ITEM = re.compile(r"^(?:[a-z]{1,2}|[ivxl]+)$")
NUMBER = re.compile(r"^(?:[A-Z]+-)?[0-9]+(?:/[0-9]+[A-Z]?)?(?: [A-Z])?(?: \((?:S-|ES-)?[IVXLC]+\))?$|^GC\([0-9]+\)/RES/[0-9]+$|^[A-Z]+-[IVXLC]+/[0-9]+$|^[0-9]+/[IVXLC]+$|^[0-9]+/CP\.[0-9]+$|^[0-9]+/CMA\.[0-9]+$|^[IVXLC]+/[0-9]+$|^(?:WHA)?[0-9]+\.[0-9]+$|^[A-Z]+(?:\.[A-Z]+)*/Dec\.[0-9]+(?: \([IVXLC]+\))?$|^GC\.[0-9]+/Res\.[0-9]+$|^[A-Z]+(?:-[A-Z]+)*-[0-9]+/DEC\.[0-9]+$|^GC\([0-9]+\)/(?:RES|DEC)/[0-9]+(?: [A-Z])?$|^(?:[A-Z][a-z]+/)?[A-Z]+(?:[./][A-Z]+)*/Dec\.[0-9]+ ?\([IVXLC]+\)$")
TOP = {"file", "symbol", "session", "read_by", "mandates", "instruments"}
MANDATE = {"para", "item", "quote", "kind", "addressee", "due", "recurrence"}
INSTRUMENT = {"number", "kind", "body", "para", "cited_as"}


def _keys(where, obj, expected, problems):
    if not isinstance(obj, dict):
        problems.append(f"{where}: expected an object")
        return False
    missing, extra = expected - obj.keys(), obj.keys() - expected
    if missing:
        problems.append(f"{where}: missing keys {sorted(missing)}")
    if extra:
        problems.append(f"{where}: unexpected keys {sorted(extra)}")
    return not missing


def check_file(path: Path) -> list[str]:
    problems: list[str] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{path.name}: not readable JSON: {exc}"]
    if not _keys(path.name, data, TOP, problems):
        return problems
    stem = path.stem
    if data["file"] != stem + ".pdf":
        problems.append(f"{path.name}: file: expected {stem}.pdf, got {data['file']!r}")
    m = re.fullmatch(r"A_RES_(\d+)_(\d+)", stem)
    if m:
        want = f"A/RES/{m[1]}/{m[2]}"
        if data["symbol"] != want:
            problems.append(f"{path.name}: symbol: expected {want}, got {data['symbol']!r}")
        if data["session"] != int(m[1]):
            problems.append(f"{path.name}: session: expected {int(m[1])}, got {data['session']!r}")
    if not isinstance(data["read_by"], str) or not data["read_by"].startswith("hand"):
        problems.append(f"{path.name}: read_by: expected 'hand, <date>'")
    if not isinstance(data["mandates"], list) or not isinstance(data["instruments"], list):
        problems.append(f"{path.name}: mandates and instruments must be lists")
        return problems
    for i, md in enumerate(data["mandates"]):
        where = f"{path.name}: mandates[{i}]"
        if not _keys(where, md, MANDATE, problems):
            continue
        if not isinstance(md["para"], str) or not PARA.match(md["para"]):
            problems.append(f"{where}: para: expected op<n>/pp<n>/annex-op<n>, got {md['para']!r}")
        if md["item"] is not None and (not isinstance(md["item"], str) or not ITEM.match(md["item"])):
            problems.append(f"{where}: item: expected a letter, a roman numeral or null, got {md['item']!r}")
        if not isinstance(md["quote"], str) or not 20 <= len(md["quote"]) <= 200:
            problems.append(f"{where}: quote: expected 20-200 characters of the clause")
        elif "\n" in md["quote"] or "  " in md["quote"]:
            problems.append(f"{where}: quote: line breaks / double spaces not normalised")
        if md["kind"] not in KINDS:
            problems.append(f"{where}: kind: expected one of {sorted(KINDS)}, got {md['kind']!r}")
        if not isinstance(md["addressee"], str) or not md["addressee"] or md["addressee"].lower().startswith("the "):
            problems.append(f"{where}: addressee: expected a name without the article, got {md['addressee']!r}")
        if md["recurrence"] not in RECURRENCES:
            problems.append(f"{where}: recurrence: expected one of {sorted(RECURRENCES, key=str)}, got {md['recurrence']!r}")
        if not isinstance(md["due"], list):
            problems.append(f"{where}: due: expected a list")
            continue
        for j, d in enumerate(md["due"]):
            dw = f"{where}.due[{j}]"
            if not _keys(dw, d, {"body", "session"}, problems):
                continue
            if not isinstance(d["body"], str) or not d["body"]:
                problems.append(f"{dw}: body: expected a body name")
            s = d["session"]
            if s is not None and (not isinstance(s, int) or isinstance(s, bool) or not 1 <= s <= 200):
                problems.append(f"{dw}: session: expected an integer 1-200 or null, got {s!r}")
    seen = set()
    for i, ins in enumerate(data["instruments"]):
        where = f"{path.name}: instruments[{i}]"
        if not _keys(where, ins, INSTRUMENT, problems):
            continue
        if not isinstance(ins["number"], str) or not NUMBER.match(ins["number"]):
            problems.append(f"{where}: number: unexpected form {ins['number']!r}")
        if ins["kind"] not in INSTRUMENT_KINDS:
            problems.append(f"{where}: kind: expected resolution or decision, got {ins['kind']!r}")
        if ins["body"] is not None and (not isinstance(ins["body"], str) or not ins["body"]):
            problems.append(f"{where}: body: expected a body name or null")
        if not isinstance(ins["para"], str) or not re.match(r"^(?:op|pp|annex-op)[1-9][0-9]*$", ins["para"]):
            problems.append(f"{where}: para: expected op<n>/pp<n>/annex-op<n>, got {ins['para']!r}")
        if not isinstance(ins["cited_as"], str) or not ins["cited_as"]:
            problems.append(f"{where}: cited_as: expected the words as printed")
        key = (ins.get("number"), ins.get("kind"), ins.get("body"))
        if key in seen:
            problems.append(f"{where}: duplicate instrument {key}")
        seen.add(key)
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted((HERE / "resolutions").glob("*.json"))
    if not files:
        print("no gold files found", file=sys.stderr)
        return 1
    problems = [p for f in files for p in check_file(f)]
    for p in problems:
        print(p)
    print(f"{len(files)} files, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
