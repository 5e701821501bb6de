"""Where a cited instrument is printed, when that says whose it is: a document symbol right
before the keyword ("document CBD/COP/15/17, decision 15/4" -> the series' body) or the
supplement of the Official Records of the GA or of ECOSOC that reports it ("Supplement No. 53
(A/69/53), chap. IV, sect. A, resolution 27/12" -> the Human Rights Council; "Supplement No. 7
(E/2025/27), chap. I, sect. C, resolution 69/1" -> the Commission on the Status of Women;
``data/reference/official-records.csv``)."""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache

from ..core.reference import bodies
from ..core.resources import read_text
from .res_masthead import body_by_name

_SYMBOL_BEFORE = re.compile(r"(?P<sym>[A-Z][A-Za-z0-9.]*(?:/[A-Za-z0-9.-]+)+)"
                            r"(?:,\s*(?:annex|part \w+|(?:chap|sect)\. [IVXLA-Z\d]{1,5}(?:\.[IVXLA-Z\d]{1,3})?)"
                            r"(?: [IVXL\d]{1,4})?)?(?:,|\s)\s*$")


def symbol_body(text: str, pos: int) -> str | None:
    """"document CBD/COP/15/17, decision 15/4": the body whose symbol series (or an alias
    written like a series) begins the document symbol right before the keyword; "Official
    Records of the General Assembly, ..., Supplement No. 53 (A/69/53), chap. II, resolution
    27/12": the body whose report that supplement is (data/reference/official-records.csv)."""
    m = _SYMBOL_BEFORE.search(text, max(0, pos - 60), pos)
    if m:
        return series_body(m.group("sym"))
    sup = None
    for sm in _SUPPLEMENT.finditer(text, max(0, pos - 300), pos):
        sup = sm
    between = text[sup.end():pos] if sup is not None else ""
    # the citation form "Supplement No. 53 (A/69/53), chap. II, sect. A, resolution 27/12"
    if sup is not None and ";" not in between and re.search(r"\b(?:chap\.|part )", between) and \
            re.search(r"(?:chap|sect|annex)\.?\s*[IVXLA-Z0-9]+,\s*$", between):
        return _supplements().get((_records_of(text, sup), sup.group("n")))
    return None


_SUPPLEMENT = re.compile(r"\bSupplement No\.\s*(?P<n>\d{1,3})[A-Z]?\b(?:\s*\((?P<series>[A-Z])/)?")
_RECORDS_OF = re.compile(r"\bOfficial\s+Records\s+of\s+the\s+(?P<org>[A-Z][A-Za-z]+(?:\s+(?:and\s+)?[A-Z][A-Za-z]+){0,4})")


def _records_of(text: str, sup) -> str:
    """Whose Official Records a supplement is: the series of the symbol it carries
    ("Supplement No. 7 (E/2025/27)" -> ECOSOC's), else the organ named before it ("Official
    Records of the Economic and Social Council, 2015, Supplement No. 7"), else the GA's."""
    if sup.group("series"):
        return sup.group("series")
    org = None
    for m in _RECORDS_OF.finditer(text, max(0, sup.start() - 250), sup.start()):
        org = m
    key = body_by_name(" ".join(org.group("org").split()), "en") if org else None
    return key if key in ("A", "E") else "A"


@lru_cache(maxsize=1)
def _supplements() -> dict[str, str]:
    """(whose Official Records: "A", "E"; supplement number) -> the body whose report it is."""
    try:
        text = read_text("data", "reference", "official-records.csv")
    except (FileNotFoundError, OSError):
        return {}
    return {(r["records"], r["supplement"]): r["body"] for r in csv.DictReader(io.StringIO(text))}


@lru_cache(maxsize=1)
def _series_table() -> tuple[tuple[str, str], ...]:

    out = []
    for key, b in bodies().items():
        for series in (b.series, *[a for a in b.aliases_en if "/" in a and " " not in a]):
            if series and "/" in series:
                out.append((series + "/", key))
    return tuple(sorted(out, key=lambda t: -len(t[0])))


def series_body(symbol: str) -> str | None:
    """The body whose symbol series begins ``symbol`` ("CBD/COP/15/17" -> the COP of the CBD),
    or whose key is glued to a session number ("WHA58/2005/REC/1" -> the World Health Assembly)."""
    for prefix, key in _series_table():
        if symbol.startswith(prefix) or ("/" + prefix) in ("/" + symbol):
            return key
    m = _KEY_SESSION.match(symbol)
    if m and m.group(1) in bodies() and bodies()[m.group(1)].cls == "Conference":
        return m.group(1)
    return None


_KEY_SESSION = re.compile(r"([A-Z]{2,6})\d{1,3}/")

