"""The Host names the collector answers (``serve --server-name``), and HEAD for every GET.

``ServerNames`` refuses a request naming another Host with 400, as Starlette's
TrustedHostMiddleware did, except ``/api/v1/health``: a load balancer checks it by the server's
address, and it reveals nothing. Each refused Host is logged once per process with the
``--server-name`` hint (a flood of requests, or of made-up names, must not fill the log: at
most ``LOGGED_HOSTS`` names are remembered). ``HeadAsGet`` answers HEAD as the GET of the same
address without its body, so monitoring tools that check with HEAD get 200, not 405.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Final

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

ANY_HOST_PATHS: Final = frozenset({"/api/v1/health"})
LOGGED_HOSTS: Final = 256  # distinct refused names logged per process; then one line says so


def host_name(header: str | None) -> str:
    """The name in a Host header, lowercase, without its port ("" when there is none)."""
    text = (header or "").strip().lower()
    if text.startswith("["):  # an IPv6 address: [::1]:8080
        return text[: text.find("]") + 1] if "]" in text else text
    return text.rsplit(":", 1)[0] if text.count(":") == 1 else text


def name_allowed(host: str, names: Iterable[str]) -> bool:
    """True when host is one of names, or under a "*.example" one."""
    for name in names:
        pattern = name.lower()
        if host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:])):
            return True
    return False


class ServerNames:
    """Refuse (400) a request whose Host is not a server name; the health check answers any."""

    def __init__(self, app: ASGIApp, names: Iterable[str]) -> None:
        self.app = app
        self.names = tuple(names)
        self._logged: set[str] = set()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass on a request for a server name or for the health check; refuse the others."""
        if scope["type"] not in ("http", "websocket") or scope.get("path") in ANY_HOST_PATHS:
            await self.app(scope, receive, send)
            return
        raw = Headers(scope=scope).get("host")
        host = host_name(raw)
        if host and name_allowed(host, self.names):
            await self.app(scope, receive, send)
            return
        self._log_once(raw or "", scope)
        await PlainTextResponse("Invalid host header", status_code=400)(scope, receive, send)

    def _log_once(self, raw: str, scope: Scope) -> None:
        """Log a refused Host the first time this process sees it (at most LOGGED_HOSTS)."""
        shown = raw.encode("unicode_escape").decode("ascii")[:200] or "(none)"
        with self._lock:
            if shown in self._logged or len(self._logged) > LOGGED_HOSTS:
                return
            self._logged.add(shown)
            full = len(self._logged) > LOGGED_HOSTS
        client = scope.get("client")
        log.warning(
            "refused a request for Host %s (from %s, %s): the collector answers only %s;"
            " if this name is the server's, add it with serve --server-name (or"
            " $SANGSUK_SERVER_NAMES); each refused Host is logged once",
            shown, client[0] if client else "-", scope.get("path", ""), ", ".join(self.names),
        )  # fmt: skip
        if full:
            log.warning("more than %d Host names refused; the others are not logged", LOGGED_HOSTS)


class HeadAsGet:
    """Answer HEAD as GET without the body (the headers, Content-Length included, unchanged)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run a HEAD request as its GET; send the answer's start and an empty body."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.body":
                if ended:
                    return
                ended = not message.get("more_body", False)
                if not ended:
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
