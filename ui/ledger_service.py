"""The ledger on its own thread: the GUI asks by signal and hears back by signal.

Opening the ledger and casting a vote touch the disk (a commit waits for fsync), so neither
runs on the GUI thread (Anki's rule). The screens never see SQL: they emit ``cast_requested``
with a ballot and render ``saved`` or ``save_failed``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from kiosk.ledger import Ledger, LedgerError
from kiosk.save_failure import record_save_failure
from wire import keys
from wire.clock import Clock, SystemClock, format_utc
from wire.keys import KeyFileError
from wire.vote import Ballot, Vote, VoteError

log = logging.getLogger(__name__)


class _Worker(QObject):
    """Lives on the ledger thread; every slot runs there."""

    opened = Signal(str)  # kiosk id
    open_failed = Signal(str, str)  # code, message for the log
    saved = Signal(object)  # the Vote, after its commit
    save_failed = Signal(str, str)  # code, message for the clerk's log

    def __init__(self, data_dir: Path, clock: Clock | None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.clock = clock
        self.ledger: Ledger | None = None

    @Slot()
    def open(self) -> None:
        try:
            key = keys.load_or_create(self.data_dir)
            self.ledger = Ledger.open(self.data_dir, key, self.clock)
        except (KeyFileError, LedgerError, OSError) as exc:
            log.error("the ledger cannot be opened: %s", exc)
            self.open_failed.emit(getattr(exc, "code", "open_failed"), str(exc))
            return
        self.opened.emit(self.ledger.kiosk_id)

    @Slot(object)
    def cast(self, ballot: Ballot) -> None:
        if self.ledger is None:
            self.save_failed.emit("not_open", "the ledger is not open")
            return
        try:
            vote: Vote = self.ledger.cast(ballot)
        except LedgerError as exc:
            log.error("a citizen's vote was not saved (%s): %s", exc.code, exc)
            self._note_failure(exc.code, str(exc))
            self.save_failed.emit(exc.code, str(exc))
            return
        except VoteError as exc:
            log.error("a citizen's vote was refused (%s): %s", exc.code, exc)
            self._note_failure(exc.code, str(exc))
            self.save_failed.emit(exc.code, str(exc))
            return
        log.info("vote %d saved", vote.seq)
        self.saved.emit(vote)

    def _note_failure(self, code: str, message: str) -> None:
        """Keep the reason for the clerk's dashboard (kiosk/save_failure.py; never raises)."""
        now = (self.clock or SystemClock()).now()
        record_save_failure(self.data_dir, code, message, format_utc(now))

    @Slot()
    def close(self) -> None:
        if self.ledger is not None:
            self.ledger.close()
            self.ledger = None


class LedgerService(QObject):
    """Owns the ledger thread. Connect to the signals, then call ``start``."""

    opened = Signal(str)
    open_failed = Signal(str, str)
    saved = Signal(object)
    save_failed = Signal(str, str)
    cast_requested = Signal(object)
    _open_requested = Signal()
    _close_requested = Signal()

    def __init__(
        self, data_dir: Path, clock: Clock | None = None, parent: QObject | None = None
    ) -> None:
        """Prepare the thread; nothing touches the disk until ``start``."""
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("ledger")
        self._worker = _Worker(data_dir, clock)
        self._worker.moveToThread(self._thread)
        self._open_requested.connect(self._worker.open)
        self._close_requested.connect(self._worker.close)
        self.cast_requested.connect(self._worker.cast)
        self._worker.opened.connect(self.opened)
        self._worker.open_failed.connect(self.open_failed)
        self._worker.saved.connect(self._answered)
        self._worker.save_failed.connect(self._answered)
        self._worker.saved.connect(self.saved)
        self._worker.save_failed.connect(self.save_failed)
        self._casting = 0  # votes handed to the ledger thread and not yet answered

    @property
    def ledger(self) -> Ledger | None:
        """The open ledger (for tests and the clerk's screens; use it only via this thread)."""
        return self._worker.ledger

    def start(self) -> None:
        """Start the thread and open the ledger there."""
        self._thread.start()
        self._open_requested.emit()

    def cast(self, ballot: Ballot) -> None:
        """Ask for a ballot to be cast; ``saved`` or ``save_failed`` follows."""
        self._casting += 1
        self.cast_requested.emit(ballot)

    def saving(self) -> bool:
        """Tell whether a vote handed to ``cast`` has not yet been answered (saved or failed)."""
        return self._casting > 0

    def _answered(self, *_answer: object) -> None:
        self._casting = max(0, self._casting - 1)

    def stop(self) -> None:
        """Close the ledger on its thread and end the thread."""
        if self._thread.isRunning():
            self._close_requested.emit()
            self._thread.quit()
            self._thread.wait()
