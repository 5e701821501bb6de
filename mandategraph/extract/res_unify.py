"""One node per real instrument in a document (:func:`unify`), after :mod:`.res_instruments`
found each mention: a number given a body by default (``DEFAULT`` suffix) or none
(``UNSTATED``) takes the one body the document states for it elsewhere."""

from __future__ import annotations

from dataclasses import replace

from ..core.facts import Facts, InstrumentFact, InstrumentRef, Relation
from ..core.reference import bodies

UNSTATED = "unstated"  #: the body of an instrument the text does not let a reader decide
DEFAULT = "\x00default"  #: suffix of a body taken by default (resolved per document in unify)


def unify(facts: Facts, instrument: InstrumentRef | None) -> None:
    """One node per real instrument in a document: a number given a body by default (or none)
    takes the body the document states for that number elsewhere when it states exactly one
    ("Human Rights Council resolution 57/10" ... "resolution 57/10" is the Council's), else
    the default body; a self-citation that appears is dropped."""

    stated: dict[tuple[str, str], set[str]] = {}
    refs: set[InstrumentRef] = set()
    for f in facts.items:
        if isinstance(f, Relation):
            if isinstance(f.object, InstrumentRef):
                refs.add(f.object)
            if isinstance(f.subject, InstrumentRef):
                refs.add(f.subject)
        elif isinstance(f, InstrumentFact):
            refs.add(f.ref)
    marked = False
    for ref in refs:
        if ref.body.endswith(DEFAULT) or ref.body == UNSTATED:
            marked = True
        else:
            stated.setdefault((ref.kind, ref.number), set()).add(ref.body)
    if not marked and all(len(v) < 2 for v in stated.values()):
        return

    # two stated bodies for one number where one is the other's parent (the FAO and the
    # Conference of the FAO): one instrument, of the more precise body

    table = bodies()
    merged: dict[tuple[str, str, str], str] = {}
    for (kind, number), found in stated.items():
        for b in found:
            parent = table[b].parent if b in table else None
            if parent in found:
                merged[(kind, number, parent)] = b
    for kind, number, parent in merged:
        stated[(kind, number)].discard(parent)

    def fix(ref):
        if not isinstance(ref, InstrumentRef):
            return ref
        if (ref.kind, ref.number, ref.body) in merged:
            return InstrumentRef(merged[(ref.kind, ref.number, ref.body)], ref.kind, ref.number)
        if not (ref.body.endswith(DEFAULT) or ref.body == UNSTATED):
            return ref
        known = stated.get((ref.kind, ref.number), set())
        if len(known) == 1:
            return InstrumentRef(next(iter(known)), ref.kind, ref.number)
        if ref.body.endswith(DEFAULT):
            return InstrumentRef(ref.body[:-len(DEFAULT)], ref.kind, ref.number)
        return ref

    out = []
    for f in facts.items:
        if isinstance(f, Relation):
            s, o = fix(f.subject), fix(f.object)
            if instrument is not None and o == instrument and s == instrument:
                continue
            if s is not f.subject or o is not f.object:
                f = replace(f, subject=s, object=o)
        elif isinstance(f, InstrumentFact):
            r = fix(f.ref)
            if r is not f.ref:
                f = replace(f, ref=r)
        out.append(f)
    facts.items[:] = out
