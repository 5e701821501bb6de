"""The guard against the engine itself: a fuzz corpus of queries that hide, fake or spell
SERVICE in every way the text allows (``\\u`` escapes, comments, strings of the four kinds,
IRIs, prefixed names with PN_LOCAL escapes, full-width and combining characters, U+3001 and
other PN_CHARS, case), each sent (a) through the server's guard path (screen, then the
parser check) and (b) straight to pyoxigraph with the SERVICE aimed at a listener on
127.0.0.1. Whenever the engine connected to the listener, the guard must have refused.

This is the proof that the guard and the engine cannot disagree in the dangerous direction:
the engine is the judge of what it would call.
"""

from __future__ import annotations

import socket
import threading
from typing import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mandategraph.server.guard import GuardError, check_query, screen_query

BASE = "https://w3id.org/mandategraph/"

#: Pieces of a group graph pattern; {L} is the listener's URL.
PIECES = [
    "SERVICE <{L}> { ?a ?b ?c }",
    "service silent <{L}> { ?a ?b ?c }",
    "SeRvIcE <{L}> { ?a ?b ?c }",
    "\\u0053ERVICE <{L}> { ?a ?b ?c }",
    "SERVIC\\u0045 <{L}> { ?a ?b ?c }",
    "SERVICE \\u003C{L}> { ?a ?b ?c }",
    "SERVICE ex:x { ?a ?b ?c }",
    "\uff33\uff25\uff32\uff36\uff29\uff23\uff25 <{L}> { ?a ?b ?c }",  # full-width letters
    "S\u0301ERVICE <{L}> { ?a ?b ?c }",  # a combining accent inside the word
    "SERV\u0130CE <{L}> { ?a ?b ?c }",  # dotted capital I
    "\u017fERVICE <{L}> { ?a ?b ?c }",  # long s
    "VALUES ?z { ex:a\u3001\\' }",
    "VALUES ?z { ex:a\\#b }",
    "VALUES ?z { ex:a\\'b }",
    "VALUES ?z { ex:a\u0301b }",
    "VALUES ?z { ex:\u4e2d\u6587 }",
    "?s ?p 'it\\'s' .",
    '?s ?p "a \\" b" .',
    "?s ?p '''a ' '' b''' .",
    '?s ?p """a " "" b""" .',
    "?s ?p 'SERVICE <{L}> { }' .",
    '?s ?p "# not a comment" .',
    "# SERVICE <{L}> { ?a ?b ?c }\n",
    "#'\n",
    '#"\n',
    "?s <http://e.example/#SERVICE> ?o .",
    "?s ex:SERVICE ?o .",
    "BIND('x' AS ?SERVICE)",
    "FILTER(?s != <{L}>)",
    "OPTIONAL { SERVICE <{L}> { ?a ?b ?c } }",
    "{ SELECT ?a { SERVICE <{L}> { ?a ?b ?c } } }",
    "FILTER EXISTS { SERVICE <{L}> { ?a ?b ?c } }",
    "VALUES ?z { 'x\\u0027 } SERVICE <{L}> { ?a ?b ?c } #' }",
    "VALUES ?z { \"\\u0022 } SERVICE <{L}> { ?a ?b ?c } #\" }",
]
WRAPPERS = [
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ {body} }}",
    "PREFIX ex: <{L}> SELECT * WHERE {{ {body} }}",
    "PREFIX ex: <http://example.org/> ASK {{ {body} }}",
    "PREFIX ex: <http://example.org/> CONSTRUCT {{ ?a ?b ?c }} WHERE {{ {body} }}",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ {body} }} #'",
    "PREFIX ex: <http://example.org/> SELECT * WHERE {{ VALUES ?q {{ 1 }} {body} }}",
]


class CountingListener:
    """Counts connections at accept time (so the count is final when the engine returns:
    the engine's call ends only after this side closed the connection)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.count = 0
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.count += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[CountingListener]:
    rec = CountingListener()
    yield rec
    rec.close()


def guard_refuses(text: str) -> bool:
    """The server's path: the screen, then (when it asks) the parser check."""
    try:
        if screen_query(text, max_length=100_000):
            check_query(text, max_length=100_000, local_base=BASE)
    except GuardError:
        return True
    return False


def engine_calls(text: str, listener) -> bool:
    before = listener.count
    store = ox.Store()
    try:
        res = store.query(text)
        if not isinstance(res, ox.QueryBoolean):
            list(res)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass
    return listener.count > before


def compose(wrapper: str, pieces: list[str], url: str) -> str:
    body = " ".join(p.replace("{L}", url) for p in pieces)
    return wrapper.replace("{L}", url).format(body=body)


@pytest.mark.parametrize("piece", PIECES, ids=range(len(PIECES)))
def test_each_piece(listener, piece):
    for wrapper in WRAPPERS:
        q = compose(wrapper, [piece], listener.url)
        called = engine_calls(q, listener)
        assert not called or guard_refuses(q), f"the engine called out and the guard let it: {q!r}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(WRAPPERS), st.lists(st.sampled_from(PIECES), min_size=1, max_size=5))
def test_fuzz_guard_never_lets_a_call_out(listener, wrapper, pieces):
    q = compose(wrapper, pieces, listener.url)
    if engine_calls(q, listener):
        assert guard_refuses(q), f"the engine called out and the guard let it: {q!r}"


def test_the_corpus_reaches_the_engine(listener):
    """A check that cannot fail is a defect: the corpus must contain queries the engine runs
    SERVICE for (else the property above is empty), and the guard must refuse them."""
    called = [compose(w, [p], listener.url) for w in WRAPPERS[:1] for p in PIECES
              if engine_calls(compose(w, [p], listener.url), listener)]
    assert len(called) >= 4, called
    assert all(guard_refuses(q) for q in called)
    walk_past = compose(WRAPPERS[0], ["VALUES ?z { ex:a\u3001\\' }", "SERVICE <{L}> { ?a ?b ?c }"],
                        listener.url) + " #'"
    assert engine_calls(walk_past, listener) and guard_refuses(walk_past)
