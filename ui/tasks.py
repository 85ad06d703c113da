"""Slow work (scrypt, SQLite, HTTP, the USB stick) on a thread pool, answered by signal.

``TaskRunner.submit(fn, on_done, on_error, on_progress)`` runs ``fn(progress)`` on a pool
thread; ``progress(done, total)`` may be called from there. The callbacks run on the GUI
thread (the signals are queued), so screens only ever render results (Anki's rule).

Used by the clerk's screens (ui/clerk/) and by the sync scheduler (ui/sync_scheduler.py).

A failure the domain expects, and words for the clerk (no internet, a stick pulled out, a
damaged settings file: ``EXPECTED_FAILURES``), is logged as one line at WARNING with its code
and message; anything else is a bug and keeps its traceback at ERROR. Either way the screen's
``on_error`` gets the exception and tells the clerk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Final

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from kiosk.config import ConfigError
from kiosk.dashboard import DashboardError
from kiosk.district_change import DistrictChangeError
from kiosk.ledger import LedgerError
from kiosk.pin import PinError
from kiosk.roster import RosterError
from kiosk.setup import SetupError
from sync.uploader import SyncError
from sync.usb import UsbError
from wire.enrollment import EnrollFileError
from wire.keys import KeyFileError

Progress = Callable[[int, int], None]
MAX_THREADS: Final = 3  # a sync, an export and a dashboard read may run at once
log = logging.getLogger(__name__)
# The domain's refusals, each with a message a clerk can read. Most carry a ``code`` naming
# the reason; the others (a settings, key, roster or ledger file that cannot be used) are
# named by their class in the log.
EXPECTED_FAILURES: Final[tuple[type[Exception], ...]] = (
    SyncError,
    UsbError,
    LedgerError,
    PinError,
    SetupError,
    DistrictChangeError,
    EnrollFileError,
    ConfigError,
    KeyFileError,
    RosterError,
    DashboardError,
)


def log_failure(exc: BaseException) -> None:
    """Log a task's failure: an expected one as one WARNING line with its code and message,
    anything else with its traceback at ERROR."""
    if isinstance(exc, EXPECTED_FAILURES):
        code = getattr(exc, "code", None) or type(exc).__name__
        message = " ".join(str(exc).split()) or type(exc).__name__
        log.warning("a clerk task failed (%s): %s", code, message)
    else:
        log.error("a clerk task failed", exc_info=exc)


class _Signals(QObject):
    """Made on the GUI thread; emitted from the pool thread (so delivered queued)."""

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn(self._signals.progress.emit)
        except BaseException as exc:  # a job must never kill the pool thread
            log_failure(exc)
            self._signals.failed.emit(exc)
            return
        self._signals.done.emit(result)


def _call(callback: Callable[..., object], *args: object) -> None:
    try:
        callback(*args)
    except RuntimeError as exc:  # the screen was deleted while the job ran
        if "already deleted" not in str(exc):
            raise
        log.info("a clerk task finished after its screen was closed")


class TaskRunner(QObject):
    """A small pool of threads for the clerk's screens."""

    def __init__(self, parent: QObject | None = None) -> None:
        """Make the pool (threads start only when a job comes)."""
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(MAX_THREADS)
        self._live: set[_Signals] = set()

    def submit(
        self,
        fn: Callable[[Progress], Any],
        on_done: Callable[[Any], object],
        on_error: Callable[[BaseException], object] | None = None,
        on_progress: Callable[[int, int], object] | None = None,
    ) -> None:
        """Run fn(progress) on the pool; its result or exception comes back on the GUI thread."""
        signals = _Signals()
        self._live.add(signals)

        def finished() -> None:
            self._live.discard(signals)
            signals.deleteLater()

        def done(result: object) -> None:
            finished()
            _call(on_done, result)

        def failed(exc: BaseException) -> None:
            finished()
            if on_error is not None:
                _call(on_error, exc)

        signals.done.connect(done)
        signals.failed.connect(failed)
        if on_progress is not None:
            signals.progress.connect(lambda done, total: _call(on_progress, done, total))
        self.pool.start(_Job(fn, signals))

    def busy(self) -> bool:
        """Tell whether a job is waiting or running."""
        return bool(self._live)

    def wait(self, timeout_ms: int = 60_000) -> bool:
        """Wait for every job to end (at shutdown and in tests); True when they have."""
        return self.pool.waitForDone(timeout_ms)
