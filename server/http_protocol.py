"""uvicorn's HTTP protocol with one more timeout: a connection that never sends a complete
request head is closed after ``timeout_keep_alive`` seconds (issue 15: idle connections were
never closed; uvicorn arms its keep-alive timer only after a response).

The timer is armed when the connection opens and re-armed after every chunk that leaves the
request head incomplete, so a client that opens sockets and sends nothing (or dribbles a
header) holds them for at most that long.
"""

from __future__ import annotations

import asyncio

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools is a declared dependency
    from uvicorn.protocols.http.h11_impl import H11Protocol as _Base


class IdleClosingProtocol(_Base):  # type: ignore[misc, valid-type]
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if getattr(self, "cycle", None) is None and self.timeout_keep_alive_task is None:
            self._arm()  # still no complete request head

    def _arm(self) -> None:
        if self.timeout_keep_alive_task is None and not self.transport.is_closing():
            self.timeout_keep_alive_task = self.loop.call_later(
                self.timeout_keep_alive, self.timeout_keep_alive_handler)
