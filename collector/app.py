"""The collector's HTTP API (FastAPI), versioned under /api/v1.

Checking a batch is CPU-bound and never runs on the event loop: it runs in worker processes
(``serve``) or threads (tests, embedding), at most one batch per core at once
(collector/checking.py explains the choice). Storing a checked batch runs in a thread and
does not hold a check slot, since it mostly waits for the disk; the store serialises only the
short write transaction. Every body is capped before it is read (collector/bodies.py).
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from collector import web
from collector.bodies import BodyLimit
from collector.checking import Checker, CheckerStoppedError, ProcessChecker, ThreadChecker
from collector.keys import load_collector_key
from collector.lifeline import follow_parent
from collector.store import CollectorStore, StoreError
from wire.batch import MAX_BATCH_BYTES, BatchCheck, sign_receipt
from wire.keys import DeviceKey

API: Final = "/api/v1"
DB_ENV: Final = "SANGSUK_COLLECTOR_DB"
CHECKS_ENV: Final = "SANGSUK_COLLECTOR_CHECKS"
CHECK_PROCESSES_ENV: Final = "SANGSUK_COLLECTOR_CHECK_PROCESSES"
# The largest body any request but a batch may have: an enrollment is a few hundred bytes, so
# FastAPI may read and parse it on the event loop.
MAX_BODY_BYTES: Final = 64 * 1024
log = logging.getLogger(__name__)

# HTTP status for each refusal code; anything not listed is 422 (a well-formed request whose
# content is refused).
_STATUS: Final = {
    "too_large": 413,
    "bad_json": 400,
    "bad_utf8": 400,
    "duplicate_key": 400,
    "bad_number": 400,
    "unknown_kiosk": 403,
    "revoked": 403,
    "token_unknown": 403,
    "token_used": 403,
    "already_enrolled": 409,
    "token_other_district": 409,
    "busy": 503,
}


class ProblemOut(BaseModel):
    """One problem found in a request."""

    code: str
    message: str
    seq: int | None = None


class ErrorOut(BaseModel):
    """Every refusal has this shape: a code, a sentence, and the problems found."""

    error: str = Field(description="machine-readable reason, e.g. bad_signature, revoked")
    message: str = Field(description="what was wrong, for a person")
    problems: list[ProblemOut] = []


class HealthOut(BaseModel):
    """The collector is up."""

    status: str
    server_time: str
    collector_key: str = Field(description="the collector's Ed25519 public key, hex")
    api: str


class EnrollIn(BaseModel):
    """A kiosk presents its one-time token and its public key."""

    token: str = Field(min_length=1, max_length=200)
    public_key: str = Field(min_length=64, max_length=64, pattern="^[0-9a-f]{64}$")
    district: str | None = Field(
        default=None,
        pattern="^[0-9]{4}$",
        description="the district a kiosk is already set up for; a token for another is refused unused",
    )


class EnrollOut(BaseModel):
    """The district the centre decided, and the key that signs receipts (pin it)."""

    kiosk: str
    district: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    collector_key: str
    server_time: str


class ReceiptOut(BaseModel):
    """A signed receipt (docs/protocol.md); the body is its exact canonical bytes."""

    kind: str
    version: int
    kiosk: str
    batch: str | None
    accepted: list[list[int]]
    conflicts: list[int]
    held: list[list[int]]
    missing: list[list[int]]
    server_time: str
    sig: str


class KioskStatusOut(BaseModel):
    """What the collector holds for a kiosk."""

    kiosk: str
    district: str
    revoked: bool
    last_seen: str | None
    highest_contiguous: int
    max_seq: int
    votes: int
    held: list[list[int]]
    missing: list[list[int]]
    clock_skew_s: float | None = Field(
        description="the latest network batch's made_at minus its receipt time, seconds"
    )
    vote_ahead_s: float | None = Field(
        description="the newest vote's cast_at minus the receipt time of the latest batch, seconds"
    )
    clock_flagged: bool = Field(description="the kiosk's clock is off by more than the threshold")


def _error(
    status: int, code: str, message: str, problems: list[dict[str, Any]] | None = None
) -> JSONResponse:
    body = ErrorOut(error=code, message=message, problems=[ProblemOut(**p) for p in problems or []])
    return JSONResponse(status_code=status, content=jsonable_encoder(body))


def _busy(why: str) -> JSONResponse:
    """503 with Retry-After: nothing was stored, and sending the same batch again is safe."""
    response = _error(503, "busy", f"the collector is busy: {why}; try again")
    response.headers["Retry-After"] = "5"
    return response


def checks_per_process(workers: int = 1, cores: int | None = None) -> int:
    """How many batches one of ``workers`` processes should check at once: its share of cores."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


def create_app(
    db_path: Path | None = None,
    key: DeviceKey | None = None,
    checks: int | None = None,
    processes: bool | None = None,
) -> FastAPI:
    """Build the collector app on the database at db_path (or $SANGSUK_COLLECTOR_DB).

    ``checks`` bounds how many batches this app checks at once (default: from
    $SANGSUK_COLLECTOR_CHECKS, else one per core); ``processes`` checks them in that many
    worker processes instead of threads (default: $SANGSUK_COLLECTOR_CHECK_PROCESSES is 1).
    The processes are started with "spawn", which imports the program's main module again:
    a script that serves the app itself must keep its work under ``if __name__ == "__main__"``.
    """
    path = db_path or Path(os.environ[DB_ENV])
    if checks is None:
        checks = int(os.environ.get(CHECKS_ENV) or checks_per_process())
    if processes is None:
        processes = os.environ.get(CHECK_PROCESSES_ENV) == "1"
    checker: Checker = ProcessChecker(checks) if processes else ThreadChecker(checks)
    store = CollectorStore(path)
    collector_key = key or load_collector_key(path, store.enrolled_count())
    signing_key: Ed25519PrivateKey = collector_key.private_key
    collector_public = collector_key.public_key_raw.hex()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(checker.start)  # workers ready before the first batch
        try:
            yield
        finally:
            await run_in_threadpool(checker.close)

    app = FastAPI(
        title="Sangsuk collector",
        version="1",
        description="Receives signed vote batches from district kiosks and counts each vote exactly once.",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.collector_public = collector_public
    app.state.checker = checker

    def body_limit(path: str) -> int:
        return MAX_BATCH_BYTES if path == f"{API}/batches" else MAX_BODY_BYTES

    async def refuse_too_large(scope: Scope, limit: int) -> Response:
        request = Request(scope)
        what = "the batch" if request.url.path == f"{API}/batches" else "the request body"
        reason = f"{what} is larger than {limit} bytes"
        await run_in_threadpool(
            store.audit, "refused", "too_large", reason, None, "http", _addr(request)
        )
        return _error(413, "too_large", reason)

    app.add_middleware(BodyLimit, limit_for=body_limit, refuse=refuse_too_large)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        return await refuse_invalid(request, detail)

    async def refuse_invalid(request: Request, detail: str) -> JSONResponse:
        await run_in_threadpool(
            store.audit,
            "refused",
            "invalid_request",
            detail,
            None,
            request.url.path,
            _addr(request),
        )
        return _error(422, "invalid_request", f"the request is not valid: {detail}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # FastAPI answers a JSON body it cannot even decode (e.g. not UTF-8) with a bare 400
        # {"detail": ...}: no audit row, and a shape the API document does not declare. Treat
        # it as any other invalid request. Every other status keeps FastAPI's own answer.
        if exc.status_code != 400 or not request.url.path.startswith(API):
            return await http_exception_handler(request, exc)
        return await refuse_invalid(request, f"body: {exc.detail}")

    @app.get(f"{API}/health", response_model=HealthOut)
    def health() -> HealthOut:
        """The collector is up; its time and public key."""
        return HealthOut(
            status="ok", server_time=store.now(), collector_key=collector_public, api="v1"
        )

    @app.post(
        f"{API}/enroll",
        response_model=EnrollOut,
        responses={
            403: {"model": ErrorOut},
            409: {"model": ErrorOut},
            413: {"model": ErrorOut},
            422: {"model": ErrorOut},
        },
    )
    def enroll(body: EnrollIn, request: Request) -> EnrollOut | JSONResponse:
        """Bind a kiosk's public key to the district its one-time token was issued for."""
        try:
            e = store.enroll(body.token, body.public_key, _addr(request), body.district)
        except StoreError as exc:
            return _error(_STATUS.get(exc.code, 422), exc.code, str(exc))
        return EnrollOut(
            kiosk=e.kiosk,
            district=e.district,
            size_group=e.size_group,
            name_th=e.name_th,
            name_en=e.name_en,
            province_th=e.province_th,
            province_en=e.province_en,
            collector_key=collector_public,
            server_time=store.now(),
        )

    @app.post(
        f"{API}/batches",
        responses={
            200: {"model": ReceiptOut, "description": "the signed receipt"},
            400: {"model": ErrorOut},
            403: {"model": ErrorOut},
            413: {"model": ErrorOut},
            415: {"model": ErrorOut},
            422: {"model": ErrorOut},
            503: {"model": ErrorOut},
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "description": "a signed batch (docs/protocol.md)",
                        }
                    }
                },
            }
        },
    )
    async def post_batch(request: Request) -> Response:
        """Verify a signed batch, store each vote exactly once, answer with a signed receipt."""
        addr = _addr(request)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/json":
            reason = f"a batch must be sent as application/json, not {content_type or 'nothing'}"
            await run_in_threadpool(
                store.audit, "refused", "wrong_content_type", reason, None, "http", addr
            )
            return _error(415, "wrong_content_type", reason)
        data = await request.body()  # at most MAX_BATCH_BYTES, read by BodyLimit already
        # Only the checking holds a check slot: while one batch waits for its commit to reach
        # the disk, the next one is already being checked.
        try:
            check = await checker.check(data)
        except CheckerStoppedError:
            return _busy("its batch checker stopped unexpectedly")
        return await run_in_threadpool(_store, check, data, addr)

    def _store(check: BatchCheck, data: bytes, addr: str | None) -> Response:
        check.reattach(data)  # the votes, if a worker process checked the batch
        if not check.ok:
            store.refuse(check, "http", addr)
            code = check.problems[0].code
            status = _STATUS.get(code, 422)
            if code == "too_many_votes":
                status = 413
            return _error(
                status,
                code,
                check.summary(),
                [
                    {"code": p.code, "message": p.message, "seq": p.seq}
                    for p in check.problems[:100]
                ],
            )
        try:
            result = store.ingest(check, data, "http", addr)
        except StoreError as exc:
            return _error(_STATUS.get(exc.code, 422), exc.code, str(exc))
        except Exception as exc:  # e.g. the database is locked for longer than busy_timeout
            log.exception("ingest failed")
            return _busy(f"it could not store the batch now ({type(exc).__name__})")
        return Response(
            content=sign_receipt(signing_key, result.receipt), media_type="application/json"
        )

    @app.get(
        f"{API}/kiosks/{{kiosk}}/status",
        response_model=KioskStatusOut,
        responses={404: {"model": ErrorOut}},
    )
    def kiosk_status(kiosk: str) -> KioskStatusOut | JSONResponse:
        """The highest contiguous seq held for a kiosk, and the gaps."""
        try:
            s = store.kiosk_status(kiosk)
        except StoreError as exc:
            return _error(404, exc.code, str(exc))
        return KioskStatusOut(
            kiosk=s.kiosk,
            district=s.district,
            revoked=s.revoked,
            last_seen=s.last_seen,
            highest_contiguous=s.contiguous,
            max_seq=s.max_seq,
            votes=s.votes,
            held=[list(r) for r in s.held],
            missing=[list(r) for r in s.missing],
            clock_skew_s=s.clock_skew_s,
            vote_ahead_s=s.vote_ahead_s,
            clock_flagged=s.skew_flagged,
        )

    app.include_router(web.router)  # the central office's pages (collector/web.py)
    return app


def _addr(request: Request) -> str | None:
    return request.client.host if request.client else None


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory` with several workers (database from the environment).

    Each worker process shuts down, as if told to, once the supervising process has ended
    (even by SIGKILL): otherwise it would go on serving the port, an orphan nobody stops.
    """
    follow_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
    return create_app()
