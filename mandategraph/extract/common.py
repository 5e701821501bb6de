"""Helpers shared by all extractors: numerals, ordinals, dates and sentence spans.

Kept free of any document-type logic so the agenda extractor and the resolution extractor
(and future languages) read numbers and dates the same way. Every finder returns offsets into
the string it was given, so callers can map them back to ``Source.text``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- numerals

_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def zh_numeral(text: str) -> int:
    """Chinese numeral (or ASCII digits) -> int: ``十二`` -> 12, ``二十一`` -> 21, ``一百零五`` -> 105.

    Raises ValueError on anything else, so a caller can tell "no number" from zero.
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(c not in _ZH_DIGITS and c not in _ZH_UNITS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, digit = 0, None
    for c in text:
        if c in _ZH_DIGITS:
            digit = _ZH_DIGITS[c]
        else:
            unit = _ZH_UNITS[c]
            total += (1 if digit is None else digit) * unit
            digit = None
    return total + (digit or 0)


_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen"]
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
            "eighty": 80, "ninety": 90}
_EN_ORD_UNITS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
                 "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11,
                 "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
                 "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19}
_EN_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
                "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}

#: Regex alternation matching an English ordinal word ("twelfth", "twenty-first") or "12th".
EN_ORDINAL_RE = (r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s]?"
                 r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
                 + "|".join(sorted([*_EN_ORD_UNITS, *_EN_ORD_TENS], key=len, reverse=True))
                 + r"|\d{1,3}(?:st|nd|rd|th))")


def en_ordinal(text: str) -> int:
    """English ordinal -> int: ``twelfth`` -> 12, ``twenty-first`` -> 21, ``12th`` -> 12."""
    t = text.strip().lower()
    m = re.fullmatch(r"(\d{1,3})(?:st|nd|rd|th)", t)
    if m:
        return int(m.group(1))
    if t in _EN_ORD_UNITS:
        return _EN_ORD_UNITS[t]
    if t in _EN_ORD_TENS:
        return _EN_ORD_TENS[t]
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in _EN_TENS and parts[1] in _EN_ORD_UNITS:
        return _EN_TENS[parts[0]] + _EN_ORD_UNITS[parts[1]]
    raise ValueError(f"not an English ordinal: {text!r}")


def en_cardinal(text: str) -> int:
    """``two`` -> 2, ``twenty-one`` -> 21, ``3`` -> 3."""
    t = text.strip().lower()
    if t.isdigit():
        return int(t)
    if t in _EN_UNITS:
        return _EN_UNITS.index(t)
    if t in _EN_TENS:
        return _EN_TENS[t]
    parts = re.split(r"[-\s]", t)
    if len(parts) == 2 and parts[0] in _EN_TENS and parts[1] in _EN_UNITS:
        return _EN_TENS[parts[0]] + _EN_UNITS.index(parts[1])
    raise ValueError(f"not an English number: {text!r}")


# --------------------------------------------------------------------------- dates

MONTHS_EN = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DASH = r"\s*(?:-|–|—|to|and|until)\s*"


@dataclass(frozen=True)
class DateMatch:
    """A date or a date range found at ``text[start:end]``; ``first == last`` for one day."""

    start: int
    end: int
    first: dt.date
    last: dt.date


def _mk(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


_ZH_DATE = re.compile(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"(?:\s*(?:至|到|和|及|、|-|–)\s*(?:(?P<y2>\d{4})\s*年\s*)?(?:(?P<m2>\d{1,2})\s*月\s*)?"
    r"(?P<d2>\d{1,2})\s*日)?")
# "14 October 2024", "14-18 October 2024", "2 and 3 October 2023", "from 23 to 27 May 2022",
# "30 October-1 November 2024", "30 December 2024-3 January 2025"
_EN_DATE = re.compile(
    rf"(?P<d>\d{{1,2}})(?:\s+(?P<m>{_MON})(?:\s+(?P<y>\d{{4}}))?)?"
    rf"(?:{_DASH}(?P<d2>\d{{1,2}}))?\s+(?P<m2>{_MON}),?\s+(?P<y2>\d{{4}})", re.IGNORECASE)
# "July 16, 2024"
_EN_DATE_US = re.compile(rf"(?P<m>{_MON})\s+(?P<d>\d{{1,2}}),\s*(?P<y>\d{{4}})", re.IGNORECASE)


def find_dates(text: str) -> list[DateMatch]:
    """Every date or date range in ``text``, Chinese (``2024 年 10 月 14 日至 18 日``) or
    English (``14-18 October 2024``), in text order. Both forms are tried on any text because
    Chinese UN documents keep an English masthead date."""
    out: list[DateMatch] = []
    for m in _ZH_DATE.finditer(text):
        y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
        first = _mk(y, mo, d)
        if first is None:
            continue
        last = first
        if m["d2"]:
            last = _mk(int(m["y2"] or y), int(m["m2"] or mo), int(m["d2"])) or first
        out.append(DateMatch(m.start(), m.end(), first, last))
    taken = [(d.start, d.end) for d in out]
    for m in _EN_DATE.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        y2, mo2 = int(m["y2"]), MONTHS_EN[m["m2"].lower()]
        if m["d2"]:
            mo1 = MONTHS_EN[m["m"].lower()] if m["m"] else mo2
            y1 = int(m["y"]) if m["y"] else y2
            first, last = _mk(y1, mo1, int(m["d"])), _mk(y2, mo2, int(m["d2"]))
        else:
            if m["m"]:  # "14 October 2024" parsed with the first month group: re-read
                continue
            first = last = _mk(y2, mo2, int(m["d"]))
        if first and last:
            out.append(DateMatch(m.start(), m.end(), first, last))
            taken.append((m.start(), m.end()))
    for m in _EN_DATE_US.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        first = _mk(int(m["y"]), MONTHS_EN[m["m"].lower()], int(m["d"]))
        if first:
            out.append(DateMatch(m.start(), m.end(), first, first))
    out.sort(key=lambda d: d.start)
    return out


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text``, or None."""
    found = find_dates(text)
    return found[0].first if found else None


# --------------------------------------------------------------------------- text spans



LANGUAGE_NAMES = {
    "english": "en", "french": "fr", "spanish": "es", "russian": "ru", "arabic": "ar",
    "chinese": "zh", "英文": "en", "法文": "fr", "西班牙文": "es", "俄文": "ru", "阿拉伯文": "ar",
    "中文": "zh", "anglais": "en", "français": "fr", "inglés": "en",
}


def language_code(name: str) -> str | None:
    """Language name as printed in a masthead ("English", "英文") -> code ("en")."""
    return LANGUAGE_NAMES.get(name.strip().lower())
