"""The collector's FastAPI app: ``create_app`` builds it; ``app_from_env`` for uvicorn's workers.

The factory builds the shared objects once (the settings, the store, the batch checker, the
collector's key), keeps them on ``app.state`` for the dependencies in deps.py, includes one
router per concern (routes/api.py: the kiosk API; routes/pages.py: the results pages;
routes/updates.py: the kiosk update repository, when set), caps
every body before it is read (bodies.py) and installs the API's refusals for the whole app.
The checker's workers start with the app and end with it (its lifespan).
"""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from collector.bodies import BodyLimit
from collector.checking import Checker, ProcessChecker, ThreadChecker
from collector.keys import load_collector_key
from collector.lifeline import follow_parent
from collector.routes import api, pages, updates
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
    collector_key = key or load_collector_key(settings.db, store.enrolled_count())

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
    app.state.settings = settings
    app.state.store = store
    app.state.checker = checker
    app.state.key = collector_key
    app.state.collector_public = collector_key.public_key_raw.hex()  # for tests and embedders
    app.add_middleware(BodyLimit, limit_for=api.body_limit, refuse=api.refuse_too_large)
    app.exception_handler(RequestValidationError)(api.invalid_request)
    app.exception_handler(StarletteHTTPException)(api.http_error)
    app.include_router(api.router)  # the kiosk API, /api/v1
    app.include_router(pages.router)  # the central office's pages
    app.include_router(updates.router)  # the kiosk update repository, when one is set
    return app


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory` with several workers (settings from the environment).

    Each worker process shuts down, as if told to, once the supervising process has ended
    (even by SIGKILL): otherwise it would go on serving the port, an orphan nobody stops.
    """
    follow_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
    return create_app()
