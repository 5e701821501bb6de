"""Human- and JSON-readable explanations of document symbols (``mandategraph symbol TEXT``).

Body names come from ``data/reference/bodies.csv`` (through :mod:`mandategraph.core.reference`),
then from ``data/reference/symbol-series.csv``; the grammar words' meanings are the
published rules' (ST/LIB/SER.B/5/Rev.5).
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

from ..core.reference import bodies
from . import grammar as _sym


def _series_name(series: str) -> tuple[str, str] | None:
    """(name, where from) for a series such as "CTOC/COP", "UNEP/EA.5" or "A/CONF.241"."""
    table = _sym.series_table()
    parts = series.split("/")
    while parts:
        key = "/".join(parts)
        stripped = re.sub(r"\.[0-9A-Z]+$", "", key)
        for k in (key, stripped):
            body = bodies().get(k)
            if body is not None:
                return body.name_en, "bodies.csv"
            if k in table:
                return table[k][0], "symbol-series.csv"
        parts.pop()
    return None


def _components(part: _sym.SymbolPart) -> dict[str, Any]:
    return {
        "prefix": part.prefix,
        "body_series": part.body_series,
        "subsidiaries": list(part.subsidiaries),
        "session": part.session,
        "session_kind": part.session_kind,
        "special": part.special,
        "number": part.number,
        "modifiers": [f"{n}.{i}" if i is not None else n for n, i in part.modifiers],
        "reissue": part.reissue,
        "paren": part.paren,
        "doc_class": _sym.DOC_CLASSES.get(part.special or "", "Document"),
    }


def _describe(part: _sym.SymbolPart) -> list[str]:
    lines: list[str] = []
    series = part.body_series
    if series != part.prefix:
        top = _series_name(part.prefix)
        if top and top[0]:
            lines.append(f"{part.prefix}: {top[0]}")
    named = _series_name(series)
    if named and named[0]:
        lines.append(f"{series}: {named[0]}")
    else:
        lines.append(f"{series}: series of an organ not in the reference tables")
    for sub in part.subsidiaries:
        word = sub.split(".")[0].upper()
        if word in _sym._SUBSIDIARY_NAMES:
            num = sub.partition(".")[2]
            lines.append(f"{sub}: {_sym._SUBSIDIARY_NAMES[word]}" + (f" no. {num}" if num else ""))
    if part.session:
        kind = {"year": "year", "special": "special session",
                "emergency-special": "emergency special session"}.get(part.session_kind or "",
                                                                      "session")
        lines.append(f"{part.session}: {kind}")
    if part.special:
        lines.append(f"{part.special}: {_sym._SPECIAL_NAMES.get(part.special, 'special component')}")
    lines.append(f"{part.number}: document number")
    for name, num in part.modifiers:
        label = _sym._MODIFIER_NAMES[name]
        lines.append(f"{name}.{num}: {label} {num}" if num is not None else f"{name}: {label}")
    if part.paren:
        what = "year" if part.paren.isdigit() else "parenthetical component"
        lines.append(f"({part.paren}): {what}")
    if part.reissue:
        lines.append("*: reissued for technical reasons")
    return lines


def explain(symbol: str | _sym.DocumentSymbol) -> dict[str, Any]:
    """JSON-ready explanation: canonical form, components, parts (joint) and description lines."""
    sym = symbol if isinstance(symbol, _sym.DocumentSymbol) else _sym.parse(symbol)
    out: dict[str, Any] = {
        "canonical": sym.canonical,
        "identifier": sym.identifier,
        "components": _components(sym.first),
    }
    description: list[str] = []
    if sym.is_joint:
        out["parts"] = [{"canonical": p.canonical, "components": _components(p)} for p in sym.parts]
        description.append("joint document with symbols " + " and ".join(p.canonical for p in sym.parts))
        for p in sym.parts:
            description.extend(f"{p.canonical} | {line}" for line in _describe(p))
    else:
        description.extend(_describe(sym.first))
    out["description"] = description
    return out


def symbol_cli(text: str, as_json: bool = False, out: TextIO | None = None,
               err: TextIO | None = None) -> int:
    """Body of ``mandategraph symbol TEXT [--json]``: print, return the exit code (2 if invalid)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        info = explain(text)
    except _sym.SymbolError as exc:
        print(f"error: {exc}", file=err)
        return 2
    if as_json:
        print(json.dumps({"canonical": info["canonical"], "components": info["components"],
                          **({"parts": info["parts"]} if "parts" in info else {}),
                          "description": info["description"]}, ensure_ascii=False, indent=2),
              file=out)
    else:
        print(info["canonical"], file=out)
        for line in info["description"]:
            print(f"  {line}", file=out)
    return 0
