"""Sending the kiosk's votes to the collector: one pass (SyncService) and a background loop.

No Qt here: the worker is a plain thread that reports through an ``on_status`` callable. It
runs the terminal's `sangsuk-kiosk sync` (the kiosk window has its own scheduler,
ui/sync_scheduler.py); both wait between passes as sync/schedule.py says: a jittered
interval, a growing backoff after failures, the collector's Retry-After. Votes are marked
delivered only from a receipt that verified against the pinned collector key, and only for
the seqs that were in the batch it answers (see sync/batcher.py). Delivered votes a receipt
lists as missing (a collector restored from a backup) are sent again after the undelivered
ones, in the same pass (kiosk/resend.py).

A kiosk that has nothing to send would never hear of such a gap, so it checks in: when a pass
has no undelivered vote and no receipt has come back for ``CHECK_EVERY`` by the kiosk's clock
(or when someone asked for the pass: the clerk's "Send now", `sangsuk-kiosk sync`), it sends
its newest delivered vote alone (sync/batcher.py ``check_batch``). A collector that holds it
acknowledges it again; one that lost it keeps it, and its receipt lists the votes below it it
is missing, which go in the same pass. One small batch a day per idle kiosk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final

from kiosk.config import DEFAULT_BATCH_SIZE, DEFAULT_SYNC_INTERVAL_S
from kiosk.ledger import Ledger, LedgerError
from kiosk.resend import learn_missing, resend_accepted, resend_count
from kiosk.syncstate import SyncState, archive_receipt, load_sync_state, save_sync_state
from sync.batcher import deliverable, outgoing_batches
from sync.schedule import PassSchedule
from sync.uploader import SyncError, Uploader
from wire.batch import to_ranges
from wire.clock import Clock, format_utc, parse_utc

STOP_TIMEOUT_S: Final = 60.0
#: How long an idle kiosk waits, after the collector's last receipt, before it checks in.
CHECK_EVERY: Final = timedelta(hours=24)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync pass did."""

    batches: int = 0
    sent: int = 0
    delivered: int = 0
    error: SyncError | None = None
    resent: int = 0  # of the sent, votes the collector had asked for again (kiosk/resend.py)
    # A check-in was answered (not counted in batches or sent); the collector then said it held
    # every vote up to this kiosk's newest when ``gaps`` is 0.
    checked: bool = False
    gaps: int = 0  # votes the check-in's receipt listed as missing
    answered: bool = False  # at least one signed receipt came back in this pass

    @property
    def ok(self) -> bool:
        """True when the pass ended with nothing left to send and no error."""
        return self.error is None


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """What the clerk sees about sending: counts, the last success, the last error."""

    pending: int
    delivered: int
    resend: int  # delivered votes the collector asked for again (kiosk/resend.py)
    last_success: str | None
    last_attempt: str | None
    last_error_code: str | None
    last_error_message: str | None
    running: bool


class SyncService:
    """Sends every undelivered vote in signed batches, one pass at a time."""

    def __init__(
        self,
        ledger: Ledger,
        uploader: Uploader,
        data_dir: Path,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        clock: Clock | None = None,
    ) -> None:
        """Sync the ledger's votes through the uploader; sync state is kept in data_dir."""
        self.ledger = ledger
        self.uploader = uploader
        self.data_dir = data_dir
        self.batch_size = batch_size
        self.clock: Clock = clock or ledger.clock
        self._pass_lock = threading.Lock()

    def _now(self) -> str:
        return format_utc(self.clock.now())

    def sync_once(
        self, on_progress: Callable[[], None] | None = None, *, check: bool | None = None
    ) -> SyncReport:
        """Send batches until nothing is pending or an error stops the pass; record the outcome.

        ``check``: True checks in if there is nothing else to send, False never does, None
        (a scheduled pass) does when ``CHECK_EVERY`` has passed since the last receipt.
        """
        with self._pass_lock:
            report = self._pass(on_progress, self.check_due() if check is None else check)
        self._record(report)
        return report

    def check_due(self) -> bool:
        """True when no receipt has come back for CHECK_EVERY (or none is recorded)."""
        heard = load_sync_state(self.data_dir).last_receipt
        try:
            since = self.clock.now() - parse_utc(heard) if heard is not None else None
        except ValueError:
            since = None  # the state file is advice: a damaged time means "check"
        # abs(): a clock set back by a year must not silence the check for a year.
        return since is None or abs(since) >= CHECK_EVERY

    def _pass(self, on_progress: Callable[[], None] | None, check: bool) -> SyncReport:
        batches = sent = delivered = resent = gaps = 0
        checked = answered = False
        conflicts: list[int] = []

        def report(error: SyncError | None = None) -> SyncReport:
            return SyncReport(batches, sent, delivered, error, resent, checked, gaps, answered)

        try:
            for batch in outgoing_batches(
                self.ledger, self.ledger.key.private_key, self.batch_size, self._now, check=check
            ):
                receipt, raw = self.uploader.send_batch_raw(batch.data)
                answered = True
                if batch.check:
                    checked = True
                    gaps = sum(b - a + 1 for a, b in receipt.missing)
                    log.info("checked in with vote %d: %d votes missing", batch.last_seq, gaps)
                else:
                    batches += 1
                    sent += len(batch.seqs)
                ranges = deliverable(receipt, batch.seqs)
                if ranges:
                    # The receipt is kept before the marks that name it (kiosk/syncstate.py).
                    delivered += self.ledger.mark_delivered(
                        ranges, archive_receipt(self.data_dir, raw)
                    )
                    resent += resend_accepted(self.data_dir, ranges)
                learn_missing(self.ledger, receipt)
                conflicts.extend(s for s in receipt.conflicts if s in batch.seqs)
                log.info(
                    "sent votes %d-%d: %d accepted, %d conflicts",
                    batch.first_seq,
                    batch.last_seq,
                    sum(b - a + 1 for a, b in ranges),
                    len(receipt.conflicts),
                )
                if on_progress is not None:
                    on_progress()
        except SyncError as exc:
            return report(exc)
        except (LedgerError, OSError) as exc:
            log.exception("sync stopped: the kiosk's own files failed")
            return report(
                SyncError(
                    "storage",
                    f"This kiosk could not record what was sent ({exc}): the votes are safe"
                    " and will be sent again",
                ),
            )
        except Exception as exc:  # the worker thread must never die of a bug
            log.exception("sync stopped by an unexpected error")
            return report(
                SyncError(
                    "internal",
                    f"Sending stopped because of an unexpected error ({type(exc).__name__}):"
                    " the votes are safe; see the kiosk's log",
                ),
            )
        if conflicts:
            return report(
                SyncError(
                    "conflict",
                    "The collector already holds different votes under the same numbers as"
                    f" votes {_ranges_text(conflicts)} of this kiosk: those were kept here and"
                    " not marked as delivered; ask the central office",
                ),
            )
        return report()

    def _record(self, report: SyncReport) -> None:
        at = self._now()
        try:
            state = load_sync_state(self.data_dir)
            if report.answered:
                state = state.answered(at)
            if report.error is None:
                state = state.succeeded(at)
            elif report.error.code != "cancelled":
                state = state.failed(at, report.error.code, report.error.message)
                log.warning("sync failed (%s): %s", report.error.code, report.error.message)
            save_sync_state(self.data_dir, state)
        except OSError:
            log.exception("the sync state could not be saved")

    def cancel(self) -> None:
        """Stop waiting between retries (used when the worker stops)."""
        self.uploader.cancel()

    def status(self, running: bool = False) -> SyncStatus:
        """Pending and delivered counts with the recorded last success and last error."""
        counts = self.ledger.counts()
        state: SyncState = load_sync_state(self.data_dir)
        return SyncStatus(
            pending=counts.pending,
            delivered=counts.delivered,
            resend=resend_count(self.data_dir),
            last_success=state.last_success,
            last_attempt=state.last_attempt,
            last_error_code=state.last_error_code,
            last_error_message=state.last_error_message,
            running=running,
        )


class SyncWorker:
    """Runs sync passes on a background thread: when the schedule says so, and on demand."""

    def __init__(
        self,
        service: SyncService,
        interval_s: float = DEFAULT_SYNC_INTERVAL_S,
        on_status: Callable[[SyncStatus], None] | None = None,
        *,
        schedule: PassSchedule | None = None,
    ) -> None:
        """Prepare the worker; ``on_status`` is called from the worker thread.

        Without a ``schedule`` the first pass starts at once and the next ones follow every
        ``interval_s`` (jittered, with backoff), on the service's clock.
        """
        self.service = service
        self.interval_s = interval_s
        self.on_status = on_status
        #: When each pass is due; read it from the status callback, which runs after it is told.
        self.schedule = schedule or PassSchedule(interval_s, service.clock.monotonic())
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._running = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="sangsuk-sync", daemon=True)

    def start(self) -> None:
        """Start the background thread; the first pass begins when the schedule says (at once)."""
        self._thread.start()

    def sync_now(self) -> None:
        """Ask for a pass now (or right after the one under way)."""
        self._wake.set()

    def stop(self, timeout: float = STOP_TIMEOUT_S) -> bool:
        """Stop the loop and wait for the thread; True when it has ended.

        Waits between retries end at once; a request under way ends within its connect and
        read timeouts, and its receipt, if it comes, is still recorded.
        """
        self._stopping.set()
        self._wake.set()
        self.service.cancel()
        if self._thread is threading.current_thread() or not self._thread.is_alive():
            return not self._thread.is_alive()
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def alive(self) -> bool:
        """True while the background thread runs."""
        return self._thread.is_alive()

    def status(self) -> SyncStatus:
        """The current status (counts from the ledger, last outcome from the sync state)."""
        return self.service.status(running=self._running.is_set())

    def _emit(self) -> None:
        if self.on_status is None:
            return
        try:
            self.on_status(self.status())
        except Exception:
            log.exception("the sync status callback failed")

    def _wait_until_due(self) -> None:
        """Wait until the schedule's next pass is due on the service's clock, or a wake-up.

        The clock is asked again after each wait, so a pass starts when that clock says so
        (a fake one in tests) and ``sync_now`` or ``stop`` end the wait at once.
        """
        clock = self.service.clock
        while not self._wake.is_set():
            left = self.schedule.due() - clock.monotonic()
            if left <= 0:
                return
            self._wake.wait(left)

    def _loop(self) -> None:
        self._wait_until_due()
        while not self._stopping.is_set():
            self._wake.clear()
            self._running.set()
            self._emit()
            try:
                report = self.service.sync_once(on_progress=self._emit)
                self.schedule.record(self.service.clock.monotonic(), report.error)
            finally:
                self._running.clear()
            self._emit()
            self._wait_until_due()


def _ranges_text(seqs: list[int]) -> str:
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in to_ranges(seqs))
