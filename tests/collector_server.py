"""A real collector on 127.0.0.1 for tests: in a background thread, or as its own process."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import uvicorn

from collector.app import create_app
from collector.serving import ServerConfig, Timeouts
from collector.store import CollectorStore

REPO_ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RunningCollector:
    """A collector being served: its base URL, its store and its database path."""

    url: str
    port: int
    store: CollectorStore
    db_path: Path
    collector_key_hex: str
    app: Any = None  # the FastAPI app being served (its routes, its state)


@contextmanager
def serve_collector(
    db_path: Path,
    districts: list[tuple[str, str]] | None = None,
    checks: int | None = None,
    processes: bool = False,
    timeouts: Timeouts | None = None,
) -> Iterator[RunningCollector]:
    """Serve a collector on a free loopback port until the block ends; districts are loaded first.

    ``processes`` checks batches in worker processes, as `sangsuk-collector serve` does; the
    server is configured as `serve` configures it, with ``timeouts`` if given.
    """
    app = create_app(db_path, checks=checks, processes=processes)
    store: CollectorStore = app.state.store
    if districts:
        store.load_districts(districts)
    app.state.checker.start()  # what the app's lifespan does when uvicorn runs it
    config = ServerConfig(
        app, timeouts=timeouts, host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
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
        yield RunningCollector(f"http://127.0.0.1:{port}", port, store, db_path, health_key, app)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.checker.close()
        store.close()


class CollectorProcess:
    """`python -m collector serve` in a child process, in a session of its own."""

    def __init__(self, db: Path, log: Path, workers: int = 1) -> None:
        self.db, self.log, self.workers = db, log, workers
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        """The serving process's id."""
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        """Start the server and wait for /health (polling: the wait is outside the program)."""
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "collector", "serve"),
                    *("--db", str(self.db), "--port", str(self.port)),
                    *("--workers", str(self.workers)),
                ],
                stdout=log,
                stderr=log,
                cwd=REPO_ROOT,
                env=env,
                start_new_session=True,  # what it starts can be found by its session too
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-2000:]
            try:
                if requests.get(f"{self.url}/api/v1/health", timeout=1).ok:
                    return
            except requests.RequestException:
                threading.Event().wait(0.05)
        raise AssertionError("the collector did not start")

    def kill(self) -> None:
        """SIGKILL, whatever it is doing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM), if it is running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
