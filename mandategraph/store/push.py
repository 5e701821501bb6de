"""Push/sync: every named graph of a local store to a remote one, sending only what changed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable

from rdflib import BNode

from ..build.ntriples import nt_term
from .interface import Store, Triple
from .remote import RemoteStore


@dataclass
class PushReport:
    pushed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    triples: int = 0

    def summary(self) -> str:
        return (f"graphs: {len(self.pushed)} pushed ({self.triples} triples), "
                f"{len(self.unchanged)} unchanged, {len(self.removed)} removed")


def content_digest(triples: Iterable[Triple]) -> str:
    """Order-independent sha256 of a graph's triples (N-Triples lines, sorted)."""
    lines = sorted(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in triples)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def push_store(local: Store, remote: RemoteStore, force: bool = False,
               progress: Callable[[str], None] | None = None) -> PushReport:
    """Sync every named graph of ``local`` to ``remote``; send only what changed.

    A source graph (``un:SourceGraph`` with ``un:sha256``) is unchanged when the remote has the
    same digest and the same number of triples. Other graphs (the reference bodies, the
    cross-document linking graph) are compared by content hash. Remote source graphs that no
    longer exist locally are removed; graphs the remote holds that were never ours (no
    ``un:SourceGraph`` marker) are left alone.
    """
    report = PushReport()
    local_graphs = local.named_graphs()
    local_digests = local.source_digests()
    remote_digests = remote.source_digests()
    remote_sizes = remote.graph_sizes()
    for g in local_graphs:
        triples = [(s, p, o) for s, p, o, _ in local.quads(g)]
        same = False
        if not force and g in remote_sizes and remote_sizes[g] == len(triples):
            if g in local_digests:
                same = remote_digests.get(g) == local_digests[g]
            elif not any(isinstance(t, BNode) for tr in triples for t in tr):
                same = content_digest(remote.graph_triples(g)) == content_digest(triples)
        if same:
            report.unchanged.append(g)
            continue
        remote.replace_graph(g, triples)
        report.pushed.append(g)
        report.triples += len(triples)
        if progress:
            progress(g)
    local_set = set(local_graphs)
    for g in sorted(remote_digests):
        if g not in local_set:
            remote.remove_graph(g)
            report.removed.append(g)
    return report
