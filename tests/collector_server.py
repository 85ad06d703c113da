"""A real collector served by uvicorn on 127.0.0.1 in a background thread, for tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from sync.collector.app import create_app
from sync.collector.store import CollectorStore


@dataclass
class RunningCollector:
    """A collector being served: its base URL, its store and its database path."""

    url: str
    port: int
    store: CollectorStore
    db_path: Path
    collector_key_hex: str


@contextmanager
def serve_collector(
    db_path: Path,
    districts: list[tuple[str, str]] | None = None,
    checks: int | None = None,
    processes: bool = False,
) -> Iterator[RunningCollector]:
    """Serve a collector on a free loopback port until the block ends; districts are loaded first.

    ``processes`` checks batches in worker processes, as `sangsuk-collector serve` does.
    """
    app = create_app(db_path, checks=checks, processes=processes)
    store: CollectorStore = app.state.store
    if districts:
        store.load_districts(districts)
    app.state.checker.start()  # what the app's lifespan does when uvicorn runs it
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    try:
        started = threading.Event()
        for _ in range(500):
            if server.started:
                started.set()
                break
            if not thread.is_alive():
                break
            thread.join(0.01)
        if not started.is_set():
            raise RuntimeError("the collector did not start")
        port = server.servers[0].sockets[0].getsockname()[1]
        health_key = app.state.collector_public
        yield RunningCollector(f"http://127.0.0.1:{port}", port, store, db_path, health_key)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.checker.close()
        store.close()
