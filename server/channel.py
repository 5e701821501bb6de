"""The parent's end of a worker pipe, safe on a non-blocking socket under any event loop.

Why not ``Connection.recv_bytes()`` in an ``add_reader`` callback: uvloop puts the socket in
non-blocking mode, so a reply larger than what has arrived so far (about 16 KiB and up) made
``recv_bytes`` raise ``BlockingIOError(11)`` half-way through a message (issue 15), and a
large ``send_bytes`` could stop half-way too. Here the parent reads whatever is there, keeps
it, and hands over a message only when all of it has arrived; writes go through the loop's
``sock_sendall``. The framing is multiprocessing's own (a 4-byte big-endian length, or -1 and
an 8-byte length), so the worker keeps its blocking ``Connection`` unchanged.
"""

from __future__ import annotations

import asyncio
import os
import socket
import struct
from typing import Any, Callable

_HEAD = struct.Struct("!i")
_LONG = struct.Struct("!Q")
CHUNK = 1 << 20


def frame(payload: bytes) -> bytes:
    n = len(payload)
    if n > 0x7FFFFFFF:
        return _HEAD.pack(-1) + _LONG.pack(n) + payload
    return _HEAD.pack(n) + payload


class FrameChannel:
    """``on_message(bytes)`` for every whole message; ``on_closed(exc)`` once, at EOF or error."""

    def __init__(self, conn: Any):
        self.sock = socket.socket(fileno=os.dup(conn.fileno()))
        conn.close()
        self.sock.setblocking(False)
        self._buf = bytearray()
        self._need: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.on_message: Callable[[bytes], None] = lambda data: None
        self.on_closed: Callable[[BaseException], None] = lambda exc: None
        self.closed = False

    def fileno(self) -> int:
        return self.sock.fileno()

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        loop.add_reader(self.sock.fileno(), self._readable)

    def detach(self) -> None:
        if self._loop is not None and not self.closed:
            try:
                self._loop.remove_reader(self.sock.fileno())
            except (OSError, ValueError, RuntimeError):
                pass
        self._loop = None

    def _readable(self) -> None:
        try:
            chunk = self.sock.recv(CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as e:
            self._close(e)
            return
        if not chunk:
            self._close(EOFError("the worker closed its pipe"))
            return
        self._buf += chunk
        while True:
            if self._need is None:
                if len(self._buf) < 4:
                    return
                (n,) = _HEAD.unpack_from(self._buf)
                if n == -1:
                    if len(self._buf) < 12:
                        return
                    (n,) = _LONG.unpack_from(self._buf, 4)
                    del self._buf[:12]
                else:
                    del self._buf[:4]
                self._need = n
            if len(self._buf) < self._need:
                return
            msg = bytes(self._buf[: self._need])
            del self._buf[: self._need]
            self._need = None
            self.on_message(msg)

    def _close(self, exc: BaseException) -> None:
        self.detach()
        if not self.closed:
            self.closed = True
            self.on_closed(exc)

    async def send(self, payload: bytes) -> None:
        """Write one message: at once when the socket takes it all (the usual case: a job is
        small), else the rest through the loop's ``sock_sendall`` (which waits for room)."""
        data = frame(payload)
        try:
            n = self.sock.send(data)
        except (BlockingIOError, InterruptedError):
            n = 0
        if n < len(data):
            loop = self._loop or asyncio.get_running_loop()
            await loop.sock_sendall(self.sock, memoryview(data)[n:])

    def send_nowait(self, payload: bytes) -> None:
        """Best effort, for the stop message (small; the socket buffer takes it)."""
        try:
            self.sock.send(frame(payload))
        except OSError:
            pass

    def close(self) -> None:
        self.detach()
        self.closed = True
        try:
            self.sock.close()
        except OSError:
            pass
