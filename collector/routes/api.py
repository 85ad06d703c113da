"""The kiosk API, versioned under /api/v1: health, enrollment, batches and a kiosk's status.

Checking a batch is CPU-bound and never runs on the event loop: it runs in worker processes
(``serve``) or threads (tests, embedding), at most one batch per core at once
(collector/checking.py explains the choice). Storing a checked batch runs in a thread and
does not hold a check slot, since it mostly waits for the disk; the store serialises only the
short write transaction. Every body is capped before it is read (collector/bodies.py): a batch
at ``MAX_BATCH_BYTES``, anything else at ``MAX_BODY_BYTES``.

Every refusal has one shape (``ErrorOut``) and is audited: the handlers below, which
``create_app`` installs for the whole app, give a body too large, an invalid request and an
undecodable body that shape as well.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from collector.auth.web import require
from collector.checking import CheckerStoppedError
from collector.deps import CheckerDep, ClientAddr, KeyDep, StoreDep, get_client_addr, get_store
from collector.enrollment import signed_answer
from collector.intake import Refused, take_batch
from collector.notices import signed_notice
from collector.routes.schemas import (
    EnrollIn,
    EnrollOut,
    ErrorOut,
    HealthOut,
    KioskStatusOut,
    ProblemOut,
    ReceiptOut,
)
from collector.store import StoreError
from wire.agent import reported_version
from wire.batch import MAX_BATCH_BYTES

API: Final = "/api/v1"
BATCHES: Final = f"{API}/batches"
# The largest body any request but a batch may have: an enrollment is a few hundred bytes, so
# FastAPI may read and parse it on the event loop.
MAX_BODY_BYTES: Final = 64 * 1024
log = logging.getLogger(__name__)

# HTTP status for each refusal code; anything not listed is 422 (a well-formed request whose
# content is refused).
_STATUS: Final = {
    "too_large": 413,
    "too_many_votes": 413,
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

router = APIRouter(prefix=API)


def error(
    status: int, code: str, message: str, problems: list[dict[str, Any]] | None = None
) -> JSONResponse:
    """A refusal in the API's one shape (ErrorOut)."""
    body = ErrorOut(error=code, message=message, problems=[ProblemOut(**p) for p in problems or []])
    return JSONResponse(status_code=status, content=jsonable_encoder(body))


def _busy(why: str) -> JSONResponse:
    """503 with Retry-After: nothing was stored, and sending the same batch again is safe."""
    response = error(503, "busy", f"the collector is busy: {why}; try again")
    response.headers["Retry-After"] = "5"
    return response


# --- limits and refusals for the whole app (installed by create_app) -----------------------


def body_limit(path: str) -> int:
    """The most bytes a request to path may send."""
    return MAX_BATCH_BYTES if path == BATCHES else MAX_BODY_BYTES


async def refuse_too_large(scope: Scope, limit: int) -> Response:
    """413 too_large for a body over its limit, audited once (collector/bodies.py calls this)."""
    request = Request(scope)
    what = "the batch" if request.url.path == BATCHES else "the request body"
    reason = f"{what} is larger than {limit} bytes"
    store = await get_store(request)
    addr = await get_client_addr(request)
    await run_in_threadpool(store.audit, "refused", "too_large", reason, None, "http", addr)
    return error(413, "too_large", reason)


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """422 invalid_request for a request FastAPI could not validate, audited."""
    detail = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
    return await _refuse_invalid(request, detail)


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    """FastAPI's own answer to an HTTP error, except an undecodable API body: that is invalid."""
    # FastAPI answers a JSON body it cannot even decode (e.g. not UTF-8) with a bare 400
    # {"detail": ...}: no audit row, and a shape the API document does not declare. Treat
    # it as any other invalid request. Every other status keeps FastAPI's own answer.
    if exc.status_code != 400 or not request.url.path.startswith(API):
        return await http_exception_handler(request, exc)
    return await _refuse_invalid(request, f"body: {exc.detail}")


async def _refuse_invalid(request: Request, detail: str) -> JSONResponse:
    store = await get_store(request)
    addr = await get_client_addr(request)
    await run_in_threadpool(
        store.audit, "refused", "invalid_request", detail, None, request.url.path, addr
    )
    return error(422, "invalid_request", f"the request is not valid: {detail}")


# --- the routes ----------------------------------------------------------------------------


@router.get("/health", response_model=HealthOut)
def health(store: StoreDep, key: KeyDep) -> HealthOut:
    """The collector is up; its time and public key."""
    return HealthOut(
        status="ok",
        server_time=store.now(),
        collector_key=key.public_key_raw.hex(),
        api="v1",
    )


@router.get("/campaign", responses={404: {"model": ErrorOut}})
def campaign_notice(store: StoreDep, key: KeyDep) -> Response:
    """The current campaign's names and slogan, signed by the collector key, for the kiosks'
    welcome and thanks screens (wire/campaign.py); 404 while no campaign has started."""
    notice = signed_notice(store, key)
    if notice is None:
        return error(404, "no_campaign", "no campaign has started; kiosks show their default")
    return Response(content=notice, media_type="application/json")


@router.post(
    "/enroll",
    response_model=EnrollOut,
    responses={
        403: {"model": ErrorOut},
        409: {"model": ErrorOut},
        413: {"model": ErrorOut},
        422: {"model": ErrorOut},
    },
)
def enroll(
    body: EnrollIn, store: StoreDep, key: KeyDep, addr: ClientAddr
) -> EnrollOut | JSONResponse:
    """Bind a kiosk's public key to the district its one-time token was issued for."""
    try:
        e = store.enroll(body.token, body.public_key, addr, body.district)
    except StoreError as exc:
        return error(_STATUS.get(exc.code, 422), exc.code, str(exc))
    answer = signed_answer(store, key.private_key, e, body.public_key)
    return EnrollOut(
        kiosk=e.kiosk,
        district=e.district,
        size_group=e.size_group,
        name_th=e.name_th,
        name_en=e.name_en,
        province_th=e.province_th,
        province_en=e.province_en,
        collector_key=key.public_key_raw.hex(),
        server_time=store.now(),
        answer=json.loads(answer),
    )


@router.post(
    "/batches",
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
async def post_batch(
    request: Request, store: StoreDep, checker: CheckerDep, key: KeyDep, addr: ClientAddr
) -> Response:
    """Verify a signed batch, store each vote exactly once, answer with a signed receipt."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        reason = f"a batch must be sent as application/json, not {content_type or 'nothing'}"
        await run_in_threadpool(
            store.audit, "refused", "wrong_content_type", reason, None, "http", addr
        )
        return error(415, "wrong_content_type", reason)
    data = await request.body()  # at most MAX_BATCH_BYTES, read by BodyLimit already
    # Only the checking holds a check slot: while one batch waits for its commit to reach
    # the disk, the next one is already being checked.
    try:
        check = await checker.check(data)
    except CheckerStoppedError:
        return _busy("its batch checker stopped unexpectedly")
    # The version the sender names is advice for the fleet page (docs/protocol.md): a header
    # not in the strict form is noted and ignored, and the batch is taken as ever.
    agent = request.headers.get("user-agent")
    software = reported_version(agent)
    if software is None:
        log.info(
            "batch from %s: a User-Agent naming no kiosk version: %r", addr, (agent or "")[:80]
        )
    try:
        outcome = await run_in_threadpool(
            take_batch, store, key.private_key, check, data, "http", addr, software
        )
    except Exception as exc:  # e.g. the database is locked for longer than busy_timeout
        log.exception("ingest failed")
        return _busy(f"it could not store the batch now ({type(exc).__name__})")
    if isinstance(outcome, Refused):
        problems = [{"code": p.code, "message": p.message, "seq": p.seq} for p in outcome.problems]
        return error(_STATUS.get(outcome.code, 422), outcome.code, outcome.message, problems[:100])
    return Response(content=outcome.receipt, media_type="application/json")


@router.get(
    "/kiosks/{kiosk}/status",
    response_model=KioskStatusOut,
    responses={401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut}},
    dependencies=[Depends(require("viewer"))],  # the fleet is the operators' (promise 11)
)
def kiosk_status(kiosk: str, store: StoreDep) -> KioskStatusOut | JSONResponse:
    """The highest contiguous seq held for a kiosk, and the gaps."""
    try:
        s = store.kiosk_status(kiosk)
    except StoreError as exc:
        return error(404, exc.code, str(exc))
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
