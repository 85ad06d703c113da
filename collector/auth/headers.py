"""Security headers on every response, and refusing requests for a server name not ours.

Every page and API answer says: scripts, styles, fonts and images come only from this site
(there is no inline script; the pages have no script at all), no other site may frame the
page, the browser must not guess content types, and links to other sites get no referrer.
Over HTTPS, browsers are told to use HTTPS only from then on (HSTS). An answer to a request
carrying the console's session cookie is never stored (Cache-Control: no-store), and a fault
no handler answered still gets the headers, on a plain 500.
"""

from __future__ import annotations

import logging
from typing import Final

from starlette.datastructures import MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY: Final = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
HEADERS: Final = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
HSTS: Final = "max-age=31536000"
SESSION_COOKIE: Final = "sangsuk_session"  # the console's session cookie (auth/web.py sets it)
_SESSION_COOKIE_PREFIX: Final = SESSION_COOKIE.encode() + b"="
# A login waiting for its second step (routes/second_step.py): the password was right.
PENDING_COOKIE: Final = "sangsuk_pending"
log = logging.getLogger(__name__)


def _has_session(scope: Scope) -> bool:
    """True when the request carries the console's session cookie (checked or not)."""
    return any(
        name == b"cookie" and _SESSION_COOKIE_PREFIX in value
        for name, value in scope.get("headers", ())
    )


class SecurityHeaders:
    """ASGI middleware: add HEADERS (and HSTS over HTTPS) to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap app."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        private = _has_session(scope) and not str(scope.get("path", "")).startswith("/static/")
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if https:
                    headers.setdefault("Strict-Transport-Security", HSTS)
                if private:  # what an operator was shown is kept by no browser or proxy
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # A fault no handler answered: logged here with its traceback, and answered with
            # a plain 500 that still carries the headers (Starlette's own would not).
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            if started:
                raise
            await PlainTextResponse("Internal Server Error", status_code=500)(
                scope, receive, send_with_headers
            )
