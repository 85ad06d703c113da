"""Project-wide fixtures: real keys and ledgers in tmp_path, a fake clock, no leaked threads."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt widgets are tested offscreen: `uv run pytest` must work on a machine with no display
# (CI, a server, a newcomer's SSH session). Set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk import keys
from kiosk.keys import DeviceKey
from kiosk.ledger import Ledger
from tests.fakes import FakeClock


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
