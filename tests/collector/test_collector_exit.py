"""A collector killed with SIGKILL leaves no process behind (collector/lifeline.py).

`sangsuk-collector serve` starts processes of its own: the batch-checking workers, the
resource tracker that multiprocessing starts beside them and, with ``--workers``, uvicorn's
serving workers (each with checking workers of its own). A process killed with SIGKILL runs
no code on its way out, so each of those must notice by itself that its parent is gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from collector.keys import load_collector_key
from collector.store import CollectorStore
from tests import processes
from tests.collector_server import CollectorProcess

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


@pytest.mark.parametrize("workers", [1, 2])
def test_nothing_the_collector_started_outlives_it_by_more_than_five_seconds(
    tmp_path, make_kiosk, workers
):
    db = tmp_path / "collector.sqlite3"
    load_collector_key(db)
    kiosk = make_kiosk()
    with CollectorStore(db) as store:
        store.load_districts([("3706", "small")])
        store.enroll(store.issue_token("3706"), kiosk.key.public_key_raw.hex())
    kiosk.cast(20)
    server = CollectorProcess(db, tmp_path / "collector.log", workers=workers)
    started: set[processes.Proc] = set()
    try:
        server.start()
        answer = requests.post(
            f"{server.url}/api/v1/batches",
            data=kiosk.batch(),
            headers={"content-type": "application/json"},
            timeout=60,
        )
        assert answer.status_code == 200, answer.text
        # Not vacuous: a resource tracker, a checking worker per serving process at least, and
        # the serving processes (/health answered as soon as the first was ready).
        expected = 1 + workers + (workers if workers > 1 else 0)
        started = everything_started(server.pid, expected)
        assert len(started) >= expected, [p.describe() for p in started]
        server.kill()
        started |= processes.started_by(server.pid, session=server.pid)  # any started since
        left = processes.survivors(started, within=5)
        assert not left, "still running 5 s after the collector was killed:\n" + "\n".join(
            p.describe() for p in left
        )
    finally:
        server.stop()
        for proc in started:  # after a failure, leave nothing behind for the next test
            if proc.alive():
                os.kill(proc.pid, signal.SIGKILL)


def everything_started(pid: int, expected: int) -> set[processes.Proc]:
    """What the collector started, once there are ``expected`` (or a minute has passed)."""
    deadline = time.monotonic() + 60
    while True:
        found = processes.started_by(pid, session=pid)
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        threading.Event().wait(0.05)
