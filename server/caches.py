"""The browser's caches, one :class:`PageCaches` object per app (``ServerState.caches``).

Whole pages, node rows, label facts and per-node SHACL results: each a :class:`BoundedLRU`,
a fixed number of entries and a fixed total weight (bytes of a page, rows of a node),
least recently used out first. So the memory they
hold has a ceiling reached as soon as they are full, instead of growing with the number of
distinct pages seen (the earlier label cache was dropped whole at 200,000 IRIs: a sawtooth up
to hundreds of MB). The object belongs to the app's state, next to the store it caches, so
two apps over two stores in one process never see each other's entries; keys include the
write generation, so a write makes old entries unreachable; they then age out.

Sizes are settings (``browser_page_cache`` = number of pages, 0 turns the page cache off;
``MANDATEGRAPH_BROWSER_PAGE_CACHE`` in the environment; see docs/server.md), read by
:meth:`PageCaches.from_settings` when the state is opened.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Hashable, TypeVar

import anyio

from mandategraph.core.heap import release_memory

from .settings import Settings

V = TypeVar("V")


def env_int(name: str, default: int) -> int:
    """An integer environment variable read when a request needs it (the remote store's TTL)."""
    try:
        return max(0, int(os.environ.get(name, default)))
    except ValueError:
        return default


class BoundedLRU(Generic[V]):
    """At most ``max_entries`` entries and ``max_weight`` total weight (``weigh(value)``)."""

    def __init__(self, max_entries: int, max_weight: int | None = None,
                 weigh: Callable[[Any], int] | None = None):
        self.max_entries = max_entries
        self.max_weight = max_weight
        self.weigh = weigh or (lambda _v: 1)
        self._data: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return item[0]

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._data

    def put(self, key: Hashable, value: V) -> None:
        if self.max_entries <= 0:
            return
        w = self.weigh(value)
        if self.max_weight is not None and w > self.max_weight:
            return  # larger than the whole cache: not kept
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._weight -= old[1]
            self._data[key] = (value, w)
            self._weight += w
            while self._data and (len(self._data) > self.max_entries or
                                  (self.max_weight is not None and self._weight > self.max_weight)):
                _k, (_v, ow) = self._data.popitem(last=False)
                self._weight -= ow

    def resize(self, max_entries: int, max_weight: int | None = None) -> None:
        """New bounds (``max_weight`` None keeps the weight bound); the oldest entries go first."""
        with self._lock:
            self.max_entries = max_entries
            if max_weight is not None:
                self.max_weight = max_weight
            while self._data and (len(self._data) > self.max_entries or
                                  (self.max_weight is not None and self._weight > self.max_weight)):
                _k, (_v, ow) = self._data.popitem(last=False)
                self._weight -= ow

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def weight(self) -> int:
        return self._weight

    def stats(self) -> dict[str, int]:
        return {"entries": len(self._data), "weight": self._weight, "hits": self.hits, "misses": self.misses,
                "max_entries": self.max_entries, "max_weight": self.max_weight or 0}


class GenerationSlot(Generic[V]):
    """One value for the latest key (a store generation), made once: the first caller of
    :meth:`get` with a new key runs ``make`` while the others wait for it (single flight),
    and the value of an older key is dropped. The whole-store SHACL report lives here."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._value: V | None = None
        self._has = False
        self.runs = 0

    def get(self, key: Hashable, make: Callable[[], V]) -> V:
        with self._lock:
            if not self._has or self._key != key:
                value = make()
                self._key, self._value, self._has = key, value, True
                self.runs += 1
            return self._value  # type: ignore[return-value]

    def peek(self, key: Hashable) -> V | None:
        with self._lock:
            return self._value if self._has and self._key == key else None

    def clear(self) -> None:
        with self._lock:
            self._key, self._value, self._has = None, None, False


#: Node SHACL results kept per app, for the per-node fallback (shapes the compiled engine
#: refuses: views.shacl).
SHACL_NODES = 1024
#: Graphviz layouts kept per app (views.dot_layout: keyed by the lineage's shape, not its node).
DOT_LAYOUTS = 512
#: Rows of node data kept at most (the node cache's weight bound).
NODE_ROWS = 20_000


@dataclass
class PageCaches:
    """The caches of one app's pages, sized from its settings.

    ``pages``: whole rendered pages (bounded by pages and bytes; 0 pages turns it off);
    ``nodes``: raw query rows of a node; ``labels``: label facts of an IRI; ``report``: the
    whole-store SHACL report of the latest store generation; ``shacl``: per-node SHACL results
    (fallback only); ``dot``: Graphviz layouts by lineage shape; ``derived``: whole-graph facts
    per generation (views.mandates.latest_sessions); ``builders``: page builds run
    at once (threads of the main process)."""

    pages: BoundedLRU = field(default_factory=lambda: BoundedLRU(256, 4 << 20, weigh=_page_weight))
    nodes: BoundedLRU = field(default_factory=lambda: BoundedLRU(2048, NODE_ROWS, weigh=_node_weight))
    labels: BoundedLRU = field(default_factory=lambda: BoundedLRU(20_000))
    shacl: BoundedLRU = field(default_factory=lambda: BoundedLRU(SHACL_NODES))
    report: GenerationSlot = field(default_factory=GenerationSlot)
    dot: BoundedLRU = field(default_factory=lambda: BoundedLRU(DOT_LAYOUTS))
    #: whole-graph facts several pages need (latest session of each body), per generation
    derived: BoundedLRU = field(default_factory=lambda: BoundedLRU(64))
    builders: int = 4
    #: Pages built (views.run_page), for the periodic heap trim.
    builds: int = 0
    #: The page builders' limiter, made on first use (it must be made inside the event loop).
    limiter: anyio.CapacityLimiter | None = None

    @classmethod
    def from_settings(cls, settings: Settings | Any) -> PageCaches:
        defaults = Settings()

        def get(name: str) -> Any:
            return getattr(settings, name, getattr(defaults, name))

        return cls(pages=BoundedLRU(get("browser_page_cache"), get("browser_page_cache_bytes"),
                                    weigh=_page_weight),
                   nodes=BoundedLRU(get("browser_node_cache"), NODE_ROWS, weigh=_node_weight),
                   labels=BoundedLRU(get("browser_label_cache")),
                   shacl=BoundedLRU(SHACL_NODES),
                   builders=get("browser_builders") or 4)

    def built(self) -> None:
        """Count a page build; every :data:`TRIM_EVERY` builds, give the heap the builds freed
        back to the OS (glibc's ``malloc_trim``; it keeps freed arenas otherwise, so the main
        process's RSS crept up over thousands of distinct pages while its Python objects did
        not grow: tracemalloc, issue 15)."""
        self.builds += 1
        if self.builds % TRIM_EVERY == 0:
            release_memory()

    def page_limiter(self) -> anyio.CapacityLimiter:
        if self.limiter is None:
            self.limiter = anyio.CapacityLimiter(self.builders)
        return self.limiter

    def clear(self) -> None:
        for c in (self.pages, self.nodes, self.labels, self.shacl, self.dot, self.derived, self.report):
            c.clear()


#: Page builds between two heap trims (a trim takes ~1 ms).
TRIM_EVERY = 64
def _page_weight(page: Any) -> int:
    return len(page.body) + 256


def _node_weight(raw: Any) -> int:
    return raw.weight
