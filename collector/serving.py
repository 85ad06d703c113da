"""How `sangsuk-collector serve` (and the tests' collector) runs the app under uvicorn.

uvicorn's own timeouts cover only the quiet time *between* requests (keep-alive) and a
graceful shutdown. Nothing bounds how long a client may take to send a request: a connection
that sends half a request line, or its headers and half a body, and then stalls is kept open
for ever, with its buffers and, once the headers are in, an ASGI task. A thousand such
connections (a "slowloris", or simply kiosks whose network dropped mid-batch) hold a
thousand sockets. ``CollectorHttpProtocol`` adds the two missing deadlines to uvicorn's
httptools protocol, each closing the connection when it passes:

* the request line and headers must all arrive within ``Timeouts.header`` seconds of the
  request's first byte (of the connection's start, for its first request);
* once a body is being sent, no more than ``Timeouts.body`` seconds may pass between two of
  its pieces (time the server itself stopped reading does not count).

Nor does anything bound how large a request line and headers may be: httptools keeps a header
still arriving in memory, however long. So a request whose line and headers pass
``MAX_HEAD_BYTES`` is answered 431 and its connection closed. How large a body may be is the
app's business (collector/bodies.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
from uvicorn.server import ServerState
from uvicorn.supervisors import Multiprocess

log = logging.getLogger(__name__)

# The largest request line and headers together: a kiosk sends a few hundred bytes, a browser
# a few kilobytes.
MAX_HEAD_BYTES: Final = 64 * 1024


@dataclass(frozen=True)
class Timeouts:
    """How long, in seconds, the server waits for a client before it closes the connection."""

    header: float = 20.0  # a request line and headers, from the request's first byte
    body: float = 20.0  # the next piece of a body being sent
    keep_alive: int = 5  # the next request on an idle connection (uvicorn's own)
    shutdown: int = 20  # requests still running when the server is told to stop (uvicorn's)


class ServerConfig(uvicorn.Config):
    """uvicorn's configuration with the collector's protocol and timeouts."""

    def __init__(self, app: Any, *, timeouts: Timeouts | None = None, **options: Any) -> None:
        self.timeouts = timeouts or Timeouts()
        super().__init__(
            app,
            http=CollectorHttpProtocol,
            ws="none",  # the collector has no WebSocket routes
            server_header=False,  # no "server: uvicorn": what runs here is nobody else's business
            timeout_keep_alive=self.timeouts.keep_alive,
            timeout_graceful_shutdown=self.timeouts.shutdown,
            **options,
        )


class CollectorHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection whose request arrives too slowly."""

    def __init__(
        self,
        config: uvicorn.Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        timeouts = config.timeouts if isinstance(config, ServerConfig) else Timeouts()
        self._header_s = timeouts.header
        self._body_s = timeouts.body
        self._deadline: asyncio.TimerHandle | None = None
        self._in_body = False  # between a request's headers and its end
        self._last_body = 0.0  # loop time of the latest piece of the body
        self._head_bytes = 0  # bytes of the request line and headers so far

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """A new connection: its first request's headers are due within the header timeout."""
        super().connection_made(transport)
        self._arm(self._header_s, self._header_late)

    def data_received(self, data: bytes) -> None:
        """Bytes arrived; outside a body they start (or continue) a request's headers."""
        if not self._in_body:
            if self._deadline is None:
                self._arm(self._header_s, self._header_late)
            self._head_bytes += len(data)  # set back to 0 if these bytes end the headers
        super().data_received(data)
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refuse_head()

    def on_headers_complete(self) -> None:
        """The headers are in: from now on the body must keep coming."""
        self._head_bytes = 0
        self._disarm()
        self._in_body = True
        self._last_body = self.loop.time()
        self._arm(self._body_s, self._body_late)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        """A piece of the body arrived."""
        self._last_body = self.loop.time()
        super().on_body(body)

    def on_message_complete(self) -> None:
        """The whole request is in: no deadline until the next one starts."""
        self._disarm()
        self._in_body = False
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """The connection is gone: stop its timer."""
        self._disarm()
        super().connection_lost(exc)

    def _arm(self, delay: float, expired: Callable[[], None]) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(delay, expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _header_late(self) -> None:
        self._deadline = None
        if self.flow.read_paused or self._answering():  # the server's wait, not the client's
            self._arm(self._header_s, self._header_late)
        else:
            self._close(f"its request headers took longer than {self._header_s:g} s")

    def _answering(self) -> bool:
        """A request before this one (pipelined) is still being answered."""
        return self.cycle is not None and not self.cycle.response_complete

    def _body_late(self) -> None:
        self._deadline = None
        now = self.loop.time()
        if self.flow.read_paused:  # the server stopped reading, not the client sending
            self._last_body = now
        quiet = now - self._last_body
        if quiet < self._body_s:
            self._arm(self._body_s - quiet, self._body_late)
        else:
            self._close(f"it sent nothing of its request body for {self._body_s:g} s")

    def _refuse_head(self) -> None:
        self._head_bytes = 0
        if self.transport.is_closing():
            return
        if not self._answering():  # else an answer is being written: just close
            why = b"request line and headers larger than %d bytes" % MAX_HEAD_BYTES
            self.transport.write(
                STATUS_LINE[431]
                + b"content-type: text/plain; charset=utf-8\r\n"
                + b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(why), why)
            )
        self._close(f"its request line and headers passed {MAX_HEAD_BYTES} bytes")

    def _close(self, why: str) -> None:
        if self.transport.is_closing():
            return
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "a client"
        log.info("closed the connection from %s: %s", client, why)
        self.transport.close()


def run(config: ServerConfig) -> int:
    """Serve until told to stop (in ``config.workers`` processes); 0, or 3 if it never started.

    What ``uvicorn.run`` does with a configuration it builds itself, which cannot be ours.
    """
    server = uvicorn.Server(config)
    try:
        if config.workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
            return 0
        config.load_app()
        server.run()
    except KeyboardInterrupt:  # a second Ctrl-C during the shutdown
        pass
    return 0 if server.started else STARTUP_FAILURE
