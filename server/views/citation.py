"""UN citation forms for the interface languages (issue 18).

English, as the UN Editorial Manual writes them: "General Assembly resolution 80/50",
"Commission on Narcotic Drugs decision 67/1", "eightieth session of the General Assembly",
"resolution 80/50, para. 1", "preambular para. 1", "annex, para. 53". Chinese, as the UN's
Chinese documents write them: "大会第80/50号决议", "大会第八十届会议", "第1段",
"序言部分第1段", "附件第53段". Ordinals are spelled out (sessions are cited by ordinal in
words in both languages).
"""

from __future__ import annotations

from types import MappingProxyType

_ONES = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORD_IRREGULAR = MappingProxyType({"one": "first", "two": "second", "three": "third", "five": "fifth",
                  "eight": "eighth", "nine": "ninth", "twelve": "twelfth"})


def cardinal_en(n: int) -> str:
    if n < 0:
        raise ValueError(f"no English numeral for {n}")
    if n < 20:
        return _ONES[n]
    if n < 100:
        t, o = divmod(n, 10)
        return _TENS[t] + (f"-{_ONES[o]}" if o else "")
    if n < 1000:
        h, r = divmod(n, 100)
        return f"{_ONES[h]} hundred" + (f" and {cardinal_en(r)}" if r else "")
    th, r = divmod(n, 1000)
    return f"{cardinal_en(th)} thousand" + ((" and " if r < 100 else " ") + cardinal_en(r) if r else "")


def ordinal_en(n: int) -> str:
    """80 -> "eightieth", 21 -> "twenty-first", 101 -> "one hundred and first"."""
    words = cardinal_en(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in _ORD_IRREGULAR:
        last = _ORD_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + sep + last


_ZH_DIGITS = "零一二三四五六七八九"


def numeral_zh(n: int) -> str:
    """80 -> "八十", 12 -> "十二", 105 -> "一百零五", 2024 -> "二千零二十四"."""
    if n < 0:
        raise ValueError(f"no Chinese numeral for {n}")
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + (_ZH_DIGITS[n - 10] if n > 10 else "")
    out = ""
    units = ((1000, "千"), (100, "百"), (10, "十"))
    zero = False
    for value, word in units:
        d, n = divmod(n, value)
        if d:
            if zero:
                out += "零"
            out += _ZH_DIGITS[d] + word
            zero = False
        elif out:
            zero = True
    if n:
        out += ("零" if zero else "") + _ZH_DIGITS[n]
    return out


def _as_int(number: object) -> int | None:
    try:
        return int(str(number))
    except ValueError:
        return None


def instrument(lang: str, body: str | None, kind: str, number: str) -> str:
    """kind: "resolution" | "decision"."""
    if lang == "zh":
        return f"{body or ''}第{number}号{'决定' if kind == 'decision' else '决议'}"
    word = kind if body else kind.capitalize()
    return f"{body} {word} {number}" if body else f"{word} {number}"


def session(lang: str, body: str | None, number: object) -> str:
    n = _as_int(number)
    if lang == "zh":
        ordinal = f"第{numeral_zh(n)}" if n is not None else f"第{number}"
        return f"{body or ''}{ordinal}届会议"
    ordinal = ordinal_en(n) if n is not None else str(number)
    return f"{ordinal} session" + (f" of the {body}" if body else "")


def session_short(lang: str, number: object) -> str:
    """Under a body's heading: "eightieth session", "第八十届会议"."""
    return session(lang, None, number)


def paragraph(lang: str, part: str | None, number: str) -> str:
    """part: "preamble" | "operative" | "annex" | None."""
    if lang == "zh":
        prefix = {"preamble": "序言部分", "annex": "附件"}.get(part or "", "")
        return f"{prefix}第{number}段"
    return {"preamble": f"preambular para. {number}", "annex": f"annex, para. {number}"}.get(
        part or "", f"para. {number}")


def instrument_paragraph(lang: str, instrument_label: str, para_label: str) -> str:
    if not instrument_label:
        return para_label
    return f"{instrument_label}{para_label}" if lang == "zh" else f"{instrument_label}, {para_label}"


__all__ = ["cardinal_en", "instrument", "instrument_paragraph", "numeral_zh", "ordinal_en",
           "paragraph", "session", "session_short"]
