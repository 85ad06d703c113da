"""The collector's FastAPI app: ``create_app`` builds it; ``app_from_env`` for uvicorn's workers.

The factory builds the shared objects once (the settings, the store, the batch checker, the
collector's key, the operator accounts), keeps them on ``app.state`` for the dependencies in
deps.py and auth/web.py, includes one router per concern (routes/api.py: the kiosk API;
routes/pages.py: the public results; the console's pages, each behind its role; routes/updates.py:
the kiosk update repository, when set), caps every body before it is read (bodies.py), puts
the security headers on every answer (auth/headers.py) and installs the refusals for the whole
app: the API's, and the login page or 401 for anonymous requests for private routes.
The checker's workers start with the app and end with it (its lifespan), which then leaves
what start-up built out of the garbage collector's passes (heap.py).
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Scope

from collector.auth.accounts import Accounts
from collector.auth.headers import SecurityHeaders
from collector.auth.web import (
    ConfirmNeededError,
    ForbiddenError,
    LoginRequiredError,
    audit_refusal,
    current_session,
    login_url,
    wants_json,
)
from collector.bodies import BodyLimit
from collector.checking import Checker, ProcessChecker, ThreadChecker
from collector.heap import freeze_startup_heap
from collector.hosts import HeadAsGet, ServerNames
from collector.i18n import Translator
from collector.keys import pinned_collector_key
from collector.lifeline import follow_parent
from collector.routes import (
    api,
    audit,
    awards,
    campaign_pages,
    confirm,
    fleet,
    imports,
    login,
    pages,
    publishing,
    second_step,
    sessions,
    site_settings,
    size_groups,
    tokens,
    updates,
    users,
)
from collector.routes.rendering import error_page, quiet_language
from collector.settings import Settings
from collector.store import CollectorStore, DatabaseTarget
from wire.keys import DeviceKey


def create_app(
    db: DatabaseTarget | Path | str | None = None,
    key: DeviceKey | None = None,
    checks: int | None = None,
    processes: bool | None = None,
    clock_threshold_s: float | None = None,
) -> FastAPI:
    """Build the collector app on the database db, a path or URL (or $SANGSUK_COLLECTOR_DB).

    ``checks`` bounds how many batches this app checks at once (default: from
    $SANGSUK_COLLECTOR_CHECKS, else one per core); ``processes`` checks them in that many
    worker processes instead of threads (default: $SANGSUK_COLLECTOR_CHECK_PROCESSES is 1);
    ``clock_threshold_s`` flags kiosk clocks further off (default: $SANGSUK_CLOCK_THRESHOLD_S,
    else 300). The processes are started with "spawn", which imports the program's main module
    again: a script that serves the app itself must keep its work under
    ``if __name__ == "__main__"``.
    """
    settings = Settings.from_env(db, checks, processes, clock_threshold_s)
    checker: Checker = (
        ProcessChecker(settings.checks) if settings.processes else ThreadChecker(settings.checks)
    )
    store = CollectorStore(settings.db, skew_threshold_s=settings.clock_threshold_s)
    collector_key = key or pinned_collector_key(store, settings.db)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(checker.start)  # workers ready before the first batch
        freeze_startup_heap()  # what start-up built lives to the end (heap.py)
        try:
            yield
        finally:
            await run_in_threadpool(checker.close)

    app = FastAPI(
        title="Sangsuk collector",
        version="1",
        description="Receives signed vote batches from district kiosks and counts each vote exactly once.",
        lifespan=lifespan,
        # The interactive API pages (/docs, /redoc) load scripts from a CDN: they are off.
        # The description itself, JSON with no script, stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.checker = checker
    app.state.key = collector_key
    app.state.collector_public = collector_key.public_key_raw.hex()  # for tests and embedders
    app.state.accounts = Accounts(store)
    app.add_middleware(
        BodyLimit, limit_for=_body_limit, refuse=_refuse_too_large, streamed=_streamed
    )
    if settings.server_names:  # another Host is refused (400), but for the health check
        app.add_middleware(ServerNames, names=settings.server_names)
    app.add_middleware(HeadAsGet)  # HEAD of any page or API address: its GET, without a body
    app.add_middleware(SecurityHeaders)  # outermost: on every answer, refusals too
    app.exception_handler(RequestValidationError)(api.invalid_request)
    app.exception_handler(StarletteHTTPException)(_http_error)
    app.exception_handler(LoginRequiredError)(_login_required)
    app.exception_handler(ForbiddenError)(_forbidden)
    app.exception_handler(ConfirmNeededError)(confirm.confirm_needed)
    app.exception_handler(imports.UploadFormError)(imports.upload_refused)
    app.include_router(api.router)  # the kiosk API, /api/v1
    app.include_router(pages.router)  # the public results
    app.include_router(pages.assets)  # the stylesheet and fonts
    app.include_router(login.router)  # login, logout, the console's home, one's password
    app.include_router(second_step.router)  # the code after the password; one's second step
    app.include_router(confirm.router)  # sudo mode: confirm it's you before a sensitive form
    app.include_router(sessions.router)  # one's open sessions: logging out everywhere else
    app.include_router(fleet.router)  # the kiosk fleet and revoking (operators)
    app.include_router(audit.router)  # the audit (operators)
    app.include_router(campaign_pages.router)  # defining the year's campaign (officers)
    app.include_router(size_groups.router)  # the districts' size groups from a CSV (officers)
    app.include_router(awards.router)  # announcing the awards, frozen once announced (officers)
    app.include_router(publishing.console)  # publishing from the console (officers)
    app.include_router(publishing.public)  # the publications' zips, public like the results
    app.include_router(users.router)  # the accounts and their roles (admins)
    app.include_router(site_settings.router)  # results public or not; the server's setup (admins)
    app.include_router(tokens.router)  # enrollment tokens and their printed sheets (officers)
    app.include_router(imports.router)  # importing a USB stick's batch files (officers)
    app.include_router(updates.router)  # the kiosk update repository, when one is set
    return app


def _body_limit(path: str) -> int:
    """The most bytes a request to path may send: the console's uploads', else the API's rule."""
    console = imports.BODY_LIMITS.get(path) or size_groups.BODY_LIMITS.get(path)
    return console or api.body_limit(path)


def _streamed(path: str) -> bool:
    """True for the upload of batch files, which is spooled to disk as it arrives."""
    return path in imports.STREAMED


async def _refuse_too_large(scope: Scope, limit: int) -> Response:
    """A body over its limit: the console upload's own page; the API's 413 for a machine; for
    any other form (a name pasted past its field's limit), the same refusal and audit row,
    answered with a page in the officer's language (nothing was read, nothing is saved)."""
    if scope["path"] in imports.BODY_LIMITS:
        return await imports.refuse_too_large(scope, limit)
    if scope["path"] in size_groups.BODY_LIMITS:
        return await size_groups.refuse_too_large(scope, limit)
    answer = await api.refuse_too_large(scope, limit)  # audited once, as every refusal is
    if scope["path"].startswith("/api/"):
        return answer
    request = Request(scope)
    t = Translator(quiet_language(request))
    words: list[str] = [t("error.too_large_form", kb=t.number(limit // 1024))]
    return error_page(request, request.app.state.store, 413, "error.too_large_title", words)


async def _http_error(request: Request, exc: Exception) -> Response:
    """An address with no page: the site's own 404 page, in the reader's language; the API and
    the kiosks' update files keep FastAPI's answer (a machine reads them)."""
    assert isinstance(exc, StarletteHTTPException)
    machine = request.url.path.startswith(("/api/", "/metadata/", "/targets/"))
    if exc.status_code != 404 or machine:
        return await api.http_error(request, exc)
    t = Translator(quiet_language(request))
    store = request.app.state.store
    # No route ran, so no dependency looked up the session: the page's header names the
    # operator logged in (and the console's menu), as every other page does.
    await current_session(request, request.app.state.accounts)
    return error_page(request, store, 404, "error.not_found", [t("error.no_such_page")])


async def _login_required(request: Request, exc: Exception) -> Response:
    """An anonymous request for something private: the login page, or 401 for the API."""
    if wants_json(request):
        return JSONResponse(
            {"error": "login_required", "message": "log in to the console first"},
            status_code=401,
            headers={"WWW-Authenticate": 'Cookie realm="sangsuk-console"'},
        )
    if request.method != "GET":
        return error_page(request, request.app.state.store, 401, "access.login_title", [
            Translator(quiet_language(request))("access.login_needed")
        ])  # fmt: skip
    return RedirectResponse(login_url(request), status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    """A role the operator does not have, or a form without its CSRF value: 403, audited."""
    key = exc.key if isinstance(exc, ForbiddenError) else "access.role"
    if isinstance(exc, ForbiddenError) and exc.operator is not None:
        await audit_refusal(request, exc.operator, key, exc.why)
    if wants_json(request):
        return JSONResponse({"error": "forbidden", "message": key}, status_code=403)
    t = Translator(quiet_language(request))
    return error_page(request, request.app.state.store, 403, "access.forbidden_title", [t(key)])


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory` with several workers (settings from the environment).

    Each worker process shuts down, as if told to, once the supervising process has ended
    (even by SIGKILL): otherwise it would go on serving the port, an orphan nobody stops.
    """
    follow_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
    return create_app()
