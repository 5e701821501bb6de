"""Opening a store by location: a directory (Oxigraph), memory, or ``sparql+http://...``."""

from __future__ import annotations

from pathlib import Path

from .interface import Store, StoreError
from .oxigraph_store import OxigraphStore
from .rdflib_store import RdflibStore
from .remote import RemoteStore


def open_store(location: str | Path | None = None, backend: str = "oxigraph",
               read_only: bool = False) -> Store:
    """Open a store: ``None`` means in memory. ``sparql+http://...`` opens a remote endpoint."""
    if isinstance(location, str) and location.startswith(("sparql+http://", "sparql+https://")):
        return RemoteStore.from_url(location)
    if backend == "rdflib":
        if location is not None:
            raise StoreError("the rdflib backend is in memory only; use --memory")
        return RdflibStore()
    if backend != "oxigraph":
        raise StoreError(f"unknown backend {backend!r}; expected 'oxigraph' or 'rdflib'")
    return OxigraphStore(location, read_only=read_only)
