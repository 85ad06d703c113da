"""Project-wide fixtures: real keys and ledgers in tmp_path, a fake clock, no leaked threads.

The run itself leaves no process behind: see ``pytest_sessionfinish``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

import pytest

# Qt widgets are tested offscreen: `uv run pytest` must work on a machine with no display
# (CI, a server, a newcomer's SSH session). Set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A kiosk built without a speech engine of the test's own has none, as on a machine without
# speech-dispatcher: the tests never speak through (nor start) this machine's own one.
# tests/ui/test_thai_voice.py speaks through a speech-dispatcher of its own.
os.environ.setdefault("SANGSUK_SPEECH_ENGINE", "none")

from kiosk.ledger import Ledger
from tests import processes
from tests.fakes import FakeClock
from wire import keys
from wire.keys import DeviceKey

# Kiosks with real keys and ledgers, and a collector store: shared by the sender's tests and
# the collector's. A throwaway PostgreSQL server, and the collector's database on each backend:
# tests/postgres.py. Which tests are long or draw pictures: tests/suite.py. Each Ed25519 library
# in turn: tests/identity_r.py.
pytest_plugins = ["tests.kiosks", "tests.postgres", "tests.suite", "tests.identity_r"]

# How long the processes the tests started have, once the tests are done, to finish ending.
PROCESS_GRACE_S = 10.0


def pytest_configure(config: pytest.Config) -> None:
    """Adopt orphans: a process whose parent a test killed stays a descendant of this run."""
    processes.become_subreaper()


# Run in parallel (pytest-xdist), each worker is a session of its own and checks what it started;
# it hands what it found to the controller, which reports it (a worker has no terminal), and
# which checks last, after its workers have ended, that none of them left an orphan behind.
LEFT_KEY = "sangsuk_processes_left"
_left_in_workers: list[str] = []


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """Keep what a worker left running, to report it with the controller's own findings."""
    output = getattr(node, "workeroutput", None) or {}
    _left_in_workers.extend(f"[{node.gateway.id}] {line}" for line in output.get(LEFT_KEY, []))


@pytest.hookimpl(trylast=True)  # after xdist has shut its workers down, in the controller
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run if a process it started (or an orphan of one) is still running at its end."""
    if not os.path.exists("/proc/self/stat"):
        return
    left = _processes_left()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: the controller reports and fails the run
        workeroutput[LEFT_KEY] = left
        return
    left += _left_in_workers
    if not left:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"the test run left {len(left)} process(es) running {PROCESS_GRACE_S:g} s after"
        " its last test:",
        *(f"  {line}" for line in left),
    ]
    if reporter is not None:
        reporter.write_line("")  # after xdist's progress too, which leaves the line open
        reporter.write_sep("=", "processes left behind", red=True)
        for line in lines:
            reporter.write_line(line)
    else:
        print("\n".join(lines), file=sys.stderr)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _processes_left() -> list[str]:
    """Describe, then kill, the processes this one started that outlive the grace time."""
    started = processes.started_by(os.getpid())
    # This process's own multiprocessing resource tracker (tests that check batches in worker
    # processes start it) ends when this process does: it reads end of file then.
    own_tracker = getattr(resource_tracker._resource_tracker, "_pid", None)
    left = processes.survivors({p for p in started if p.pid != own_tracker}, within=PROCESS_GRACE_S)
    processes.reap_zombies()
    described = [p.describe() for p in left]
    for proc in left:  # the run has failed; don't leave them to the machine too
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
    if left:
        processes.survivors(set(left), within=PROCESS_GRACE_S)
        processes.reap_zombies()
    return described


@pytest.fixture(autouse=True)
def _no_leaked_threads() -> Iterator[None]:
    """Fail any test that leaves a Python thread running (as napari does)."""
    before = set(threading.enumerate())
    yield
    # Threads started outside Python (a QThread) appear as unjoinable "dummy" threads that
    # Python never forgets; the Qt tests check those threads themselves.
    leaked = [
        t
        for t in threading.enumerate()
        if t not in before and t.is_alive() and type(t).__name__ != "_DummyThread"
    ]
    for t in leaked:
        t.join(timeout=2)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Close and remove log handlers a test added (the CLI logs to a file in its data folder)."""
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    yield
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock starting at 2026-11-24 10:00 Thai time."""
    return FakeClock()


@pytest.fixture
def device_key(tmp_path: Path) -> DeviceKey:
    """A real Ed25519 device key stored in tmp_path."""
    return keys.load_or_create(tmp_path)


@pytest.fixture
def ledger(tmp_path: Path, device_key: DeviceKey, clock: FakeClock) -> Iterator[Ledger]:
    """A real ledger file in tmp_path, on the fake clock."""
    with Ledger.open(tmp_path, device_key, clock) as opened:
        yield opened
