"""The collector as a child process, `sangsuk-collector serve` on 127.0.0.1, for the benchmarks."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import requests


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(
    db: Path | str, workers: int, stderr: IO[bytes] | int | None = None
) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """Serve the collector on db with this many workers; yield (process, API base URL).

    Returns once /health answers (polling: the wait is for another process); the server is
    stopped on the way out.
    """
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "collector", "serve", "--db", str(db), "--port", str(port),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=stderr,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(600):
            try:
                requests.get(f"{url}/health", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if server.poll() is not None:
                    raise RuntimeError("the collector did not start") from None
                time.sleep(0.05)
        yield server, url
    finally:
        server.terminate()
        server.wait(timeout=30)
