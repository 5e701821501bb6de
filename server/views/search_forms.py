"""How people write an instrument's number, read into (number, kind, body) for the search.

"70/1", "resolution 70/1", "res. 70/1", "General Assembly resolution 70/1", "GA resolution
70/1", "decision 5/5", "第70/1号决议", "大会第70/1号决议", "决议 70/1". Body names and
aliases come from the reference table (``data/reference/bodies.csv``), kind words from the
table below (English and Chinese, the interface languages); symbols such as ``A/RES/70/1``
are read by the symbol parser in :mod:`server.views.search`.
"""

from __future__ import annotations

from types import MappingProxyType

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mandategraph.core.reference import bodies

#: kind words -> kind (``resolution`` | ``decision``); matched case-insensitively
KIND_WORDS = MappingProxyType({"resolution": "resolution", "resolutions": "resolution", "res.": "resolution",
              "res": "resolution", "decision": "decision", "decisions": "decision",
              "dec.": "decision", "dec": "decision", "决议": "resolution", "决定": "decision"})
_NUM = r"(?P<number>\d{1,4}/\d{1,4}|\d{1,4}\s*\(\d{4}\))"
_KIND = "|".join(sorted((re.escape(k) for k in KIND_WORDS), key=len, reverse=True))
_EN = re.compile(rf"^(?P<body>.*?)\s*(?P<kind>{_KIND})?\s*(?:no\.\s*)?{_NUM}$", re.IGNORECASE)
_ZH = re.compile(rf"^(?P<body>.*?)\s*第?\s*{_NUM}\s*号?\s*(?P<kind>决议|决定)$")
_ZH_PRE = re.compile(rf"^(?P<body>.*?)\s*(?P<kind>决议|决定)\s*第?\s*{_NUM}\s*号?$")


@dataclass(frozen=True)
class NumberQuery:
    number: str
    kind: str | None  #: None: either
    body: str | None  #: reference key ("A"), None: any body
    body_unknown: bool = False  #: words before the number that name no body we know


@lru_cache(maxsize=1)
def body_names() -> dict[str, str]:
    """Every name, alias and series notation of a body (lower case) -> its key."""
    out: dict[str, str] = {}
    for key, b in bodies().items():
        for name in (key, b.name_en, *b.aliases_en, b.name_zh, *b.aliases_zh):
            if name:
                out.setdefault(name.lower(), key)
        if b.name_en.lower().startswith("the "):
            out.setdefault(b.name_en[4:].lower(), key)
    # initials of multi-word English names ("GA", "ECOSOC") when unambiguous
    initials: dict[str, set[str]] = {}
    for key, b in bodies().items():
        words = [w for w in re.split(r"\W+", b.name_en) if w and w[0].isupper()]
        if len(words) >= 2:
            initials.setdefault("".join(w[0] for w in words).lower(), set()).add(key)
    for ini, keys in initials.items():
        if len(keys) == 1:
            out.setdefault(ini, next(iter(keys)))
    return out


def read_number(q: str) -> NumberQuery | None:
    text = " ".join(unicodedata.normalize("NFKC", q).split()).strip().rstrip(".")
    for rx in (_ZH, _ZH_PRE, _EN):
        m = rx.match(text)
        if m:
            break
    else:
        return None
    number = re.sub(r"\s+", " ", m.group("number"))
    kind = KIND_WORDS.get((m.group("kind") or "").lower())
    words = m.group("body").strip().rstrip(",")
    if words.lower().startswith("the "):
        words = words[4:]
    if not words:
        return NumberQuery(number, kind, None)
    key = body_names().get(words.lower())
    if key is None and kind is None:
        return None  # "A/RES/70/1" and other symbols are not numbers
    return NumberQuery(number, kind, key, body_unknown=key is None)


__all__ = ["KIND_WORDS", "NumberQuery", "body_names", "read_number"]
