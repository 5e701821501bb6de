"""Links a document's symbol states by itself: to the UN's own resolver and Digital Library, and
to the document it revises, corrects or adds to (the symbol grammar's modifiers).

- ``rdfs:seeAlso <https://undocs.org/<symbol>>``: the UN's resolver answers a symbol with the
  document (it redirects to the Official Document System's file in the reader's language).
  ``rdfs:seeAlso`` and not ``owl:sameAs``: our ``un:Document`` is the document as a work, with
  every language version; the resolver's IRI names a web resource that redirects to one
  language's file, and ``owl:sameAs`` would merge everything either side says of its subject.
- ``rdfs:seeAlso`` the UN Digital Library search for the symbol (MARC 191 $a, where the
  library's catalogue records keep the symbol): the library's record IRIs are not derivable
  from a symbol, a search for it is.
- ``un:revisionOf`` / ``un:corrigendumOf`` / ``un:addendumTo`` (MARC 993 "related documents"):
  ``A/80/L.2/Rev.1`` revises ``A/80/L.2``; the last modifier of the symbol names the relation,
  the symbol without it the other document. Joint symbols state no such relation here.
"""

from __future__ import annotations

from urllib.parse import quote

from ..symbols import try_parse

UNDOCS = "https://undocs.org/"
DIGITAL_LIBRARY_SEARCH = "https://digitallibrary.un.org/search?ln=en&p="
#: the symbol grammar's modifier -> the ontology's relation (local name)
RELATIONS = {"Rev": "revisionOf", "Corr": "corrigendumOf", "Add": "addendumTo"}


def undocs_url(symbol: str) -> str:
    return UNDOCS + quote(symbol, safe="/.-()*")


def digital_library_url(symbol: str) -> str:
    return DIGITAL_LIBRARY_SEARCH + quote(f'191__a:"{symbol}"', safe="")


def symbol_relation(symbol: str) -> tuple[str, str] | None:
    """(relation local name, the other document's symbol) when the symbol ends in Rev.n,
    Corr.n or Add.n; None otherwise (also for joint and unparsable symbols)."""
    parsed = try_parse(symbol)
    if parsed is None or parsed.is_joint:
        return None
    part = parsed.first
    if not part.components or part.components[-1].role != "modifier":
        return None
    name = part.components[-1].text.partition(".")[0]
    relation = RELATIONS.get(name)
    if relation is None or len(part.components) < 2:
        return None
    other = "/".join((part.prefix, *(c.text for c in part.components[:-1])))
    return relation, other


def agenda_document(key: str) -> str | None:
    """The agenda document's symbol in an agenda item's key, or None when the key is not one.

    An agenda is the agenda of a session, so its symbol has a session (or year) component
    (``A/80/251``, ``CTOC/COP/2024/1``). The resolution reader keys the items of an agenda it
    cannot name by ``body/session`` (``A/80``, a stand-in): that is no document, and no
    ``un:agendaDocument`` is stated for it."""
    parsed = try_parse(key)
    if parsed is None or parsed.is_joint:
        return None
    if not any(c.role == "session" for c in parsed.first.components):
        return None
    return parsed.identifier
