"""Language negotiation and label choice for the browser pages.

The user's languages come from ``?lang=`` (wins) and then ``Accept-Language`` (by q-value);
English and then any language follow as fallbacks, so a label is always found when the graph
has one in any language.
"""

from __future__ import annotations

import re
from typing import Iterable

from rdflib import Literal

#: Languages the interface has words for (messages.json); data labels may be in any language
#: (French, Spanish, Russian, Arabic interface words can be added to messages.json as data).
UI_LANGUAGES = ("en", "zh")
_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def _primary(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


def parse_accept_language(header: str | None) -> list[str]:
    """``zh-CN,zh;q=0.9,en;q=0.8`` -> ``["zh", "en"]`` (primary subtags, best first)."""
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        bits = [b.strip() for b in part.split(";")]
        tag = bits[0]
        if not tag or tag == "*" or not _TAG.match(tag):
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, i, _primary(tag)))
    out: list[str] = []
    for _, _, tag in sorted(weighted):
        if tag not in out:
            out.append(tag)
    return out


def negotiate(query_lang: str | None, accept_language: str | None) -> tuple[str, ...]:
    """Preference list: ``?lang=`` first, then Accept-Language, then English."""
    prefs: list[str] = []
    if query_lang and _TAG.match(query_lang.strip()):
        prefs.append(_primary(query_lang.strip()))
    for tag in parse_accept_language(accept_language):
        if tag not in prefs:
            prefs.append(tag)
    if "en" not in prefs:
        prefs.append("en")
    return tuple(prefs)


def ui_language(prefs: Iterable[str]) -> str:
    """The first preferred language the interface itself speaks."""
    for tag in prefs:
        if tag in UI_LANGUAGES:
            return tag
    return "en"


#: BCP 47 "undetermined": a literal read from a source and stored without a language tag
UNDETERMINED = "und"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def data_lang(value: object, source_lang: str | None = None) -> str | None:
    """The ``lang`` to mark a value read from a source with: its own tag, else its source's
    language, else "und" (undetermined). Data is never in the interface's language by default;
    only interface words (messages.json, ontology labels) are."""
    tag = getattr(value, "language", None)
    if tag:
        return tag
    if getattr(value, "datatype", None) not in (None, _XSD_STRING):
        return None  # a typed value (a date, a number): no language
    return source_lang or UNDETERMINED


def pick(values: Iterable[object], prefs: tuple[str, ...]) -> Literal | None:
    """The literal in the most preferred language; untagged ones count as any language."""
    best: tuple[int, str, Literal] | None = None
    for v in values:
        if not isinstance(v, Literal):
            continue
        lang = _primary(v.language) if v.language else ""
        rank = prefs.index(lang) if lang in prefs else len(prefs) + (0 if not lang else 1)
        key = (rank, str(v), v)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None

