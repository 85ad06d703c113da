"""Every request body has a size limit, enforced before it is read (ASGI middleware).

Without it a route reads whatever it is sent: FastAPI reads a JSON body whole into memory and
parses it on the event loop, so four 50 MB bodies to /enroll once took the server from 78 MB
to 1.1 GB and held up /health for seconds. ``BodyLimit`` sits in front of every route:

* a body declared (Content-Length) larger than the route's limit is refused at once, with no
  byte of it read;
* any other body is read as it arrives and refused as soon as it passes the limit (a chunked
  body declares nothing);
* a body within the limit is handed to the route whole, which reads it from memory. The
  limits are small (a batch's 4 MiB, 64 KiB elsewhere), so a route may parse its body on the
  event loop.
* except on a *streamed* path, whose route spools its body to disk as it reads it (the
  console's upload of batch files, hundreds of MiB): there a body that declares a length
  within the limit is handed on as it arrives, since the server reads no more than the length
  declared, and one that declares none (chunked) is refused, as browsers always declare it.
  A request its route refuses before reading (no login) is then never read at all.

A refusal is one answer and one audit row, made by the app's ``refuse``. The connection stays
open: uvicorn drops the rest of a refused body as it arrives without keeping it, and a client
still sending sees the answer when it is done (closing at once would make the kernel reset
the connection and lose the answer). A client that stops sending is cut off by the server's
body timeout (collector/serving.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """ASGI middleware: read each request body up to its route's limit before the route runs."""

    def __init__(
        self,
        app: ASGIApp,
        limit_for: Callable[[str], int],
        refuse: Callable[[Scope, int], Awaitable[Response]],
        streamed: Callable[[str], bool] = lambda path: False,
    ) -> None:
        self.app = app
        self.limit_for = limit_for  # the largest body, in bytes, for a request path
        self.refuse = refuse  # the answer (and audit) for a body over the limit
        self.streamed = streamed  # True for a path whose route spools its body as it reads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass a request on with its body read, or answer it with the refusal."""
        if scope["type"] != "http" or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if self.streamed(scope["path"]):
            if declared is None or declared > limit or _is_chunked(scope):
                await (await self.refuse(scope, limit))(scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if declared is not None and declared > limit:
            await (await self.refuse(scope, limit))(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: nobody to answer
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await (await self.refuse(scope, limit))(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()  # only http.disconnect is left to come
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


def _has_body(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"transfer-encoding" or (name == b"content-length" and value != b"0"):
            return True
    return False


def _is_chunked(scope: Scope) -> bool:
    return any(name == b"transfer-encoding" for name, _ in scope["headers"])


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isdigit() else None
    return None
