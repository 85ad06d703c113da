"""The running kiosk sends its votes by itself: the one owner of every sync pass in the app.

``SyncScheduler`` belongs to the kiosk window. Once the kiosk is enrolled it starts a pass
shortly after the app starts (at a random moment of the first interval, so that kiosks that
start together after a power cut do not send together), about every ``sync_interval_s`` of the
settings after the last pass ended (0.8 to 1.2 times it, at random), and soon after a
citizen's vote is saved when the last pass went through (votes saved close together share one
pass). A pass that fails is recorded in the sync state (sync/worker.py) for the clerk's
overview, and the next is tried after a backoff that grows with each failure in a row, at
random, up to 15 minutes, and never before the collector's Retry-After: when a pass is due is
decided by sync/schedule.py, which says why. The clerk's "Send now" asks the same scheduler:
it starts a pass at once, whatever the schedule says, or joins the one under way, so the clerk
and the timer never send at the same time. Each pass runs on a pool thread and reports by
signal; a citizen never sees any of it.

A pass is sync/operations.py's ``SyncJob``, the one "Send now" has always run, and not
sync/worker.py's ``SyncWorker``. The worker keeps its own thread, its own wait between
passes and one ledger connection and uploader for its whole life. A job reads the settings
afresh (enrolling, a new address or batch size apply to the next pass), opens the ledger only
for the length of the pass (so nothing holds it open while the setup wizard moves demo votes
aside) and can be cancelled; the timing stays here, on the GUI thread, where Qt can own it.

Time comes from the kiosk's clock (a fake one in tests): a one-second timer asks ``check``
whether a pass is due, so a changed interval applies at once and nothing waits on real time.

While the setup wizard saves (``hold``), no pass runs: the pass under way is cancelled and
setup goes on once it has ended. Exporting to a USB stick does not pause sending: batches are
idempotent, so a vote that leaves both ways counts once at the collector (promise 6), and the
export reads the ledger through its own connection. On closing (``shutdown``) retries stop
at once and a request under way ends within the uploader's timeouts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import KioskConfig
from sync.campaign import refresh_campaign
from sync.operations import SyncJob, SyncOutcome
from sync.schedule import Draw, PassSchedule
from sync.uploader import SyncError, Uploader
from sync.worker import SyncReport
from ui.tasks import Progress, TaskRunner
from wire.campaign import CampaignNotice
from wire.clock import Clock

if TYPE_CHECKING:
    from ui.ledger_service import LedgerService

STARTUP_DELAY_S: Final = 15.0  # the first pass, once the window and the ledger are up, plus
# a random part of the interval (sync/schedule.py); a kiosk just enrolled sends after this alone
AFTER_VOTE_DELAY_S: Final = 20.0  # votes saved within this share one pass
CHECK_INTERVAL_MS: Final = 1000
STOP_TIMEOUT_MS: Final = 60_000  # longer than a request's connect and read timeouts
log = logging.getLogger(__name__)


class SyncScheduler(QObject):
    """Starts sync passes on time, after votes and on the clerk's demand; one at a time."""

    pass_started = Signal()
    progress = Signal(int, int)  # votes sent so far, votes pending when the pass began
    pass_finished = Signal(object)  # the SyncOutcome
    # The campaign to show, after a pass asked the collector (kiosk/campaign.py); None: default.
    campaign_changed = Signal(object)

    def __init__(
        self,
        data_dir: Path,
        config: KioskConfig,
        clock: Clock,
        *,
        ledger: LedgerService | None = None,
        make_uploader: Callable[[KioskConfig], Uploader] | None = None,
        rng: Draw | None = None,
        parent: QObject | None = None,
    ) -> None:
        """Schedule passes for the kiosk in data_dir; a saved vote on ledger brings one sooner.

        ``rng`` draws the schedule's random waits (a float in [0, 1); tests pass their own).
        """
        super().__init__(parent)
        self.data_dir = data_dir
        self.config = config
        self.clock = clock
        #: Makes the pass's uploader from the settings (tests pass quicker retries).
        self.make_uploader = make_uploader
        self._campaign: tuple[CampaignNotice | None] | None = None  # what the last pass found
        self.runner = TaskRunner(self)
        self.passes = 0  # started since the app began
        self.last_outcome: SyncOutcome | None = None
        self._job: SyncJob | None = None
        self._holds: set[str] = set()
        self._after_pass: list[Callable[[], None]] = []
        self._closed = False
        #: When each pass is due, from how the passes before it went (sync/schedule.py).
        self.schedule = PassSchedule(
            config.sync_interval_s,
            clock.monotonic(),
            first_delay_s=STARTUP_DELAY_S,
            spread_first=True,
            rng=rng,
        )
        self._vote_during_pass = False
        if ledger is not None:
            ledger.saved.connect(self.vote_saved)
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    # --- state -------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Tell whether a pass is under way (until its outcome has come back)."""
        return self._job is not None

    @property
    def held(self) -> bool:
        """Tell whether passes wait for something (the setup wizard saving)."""
        return bool(self._holds)

    def due_at(self) -> float | None:
        """When the next pass is due on the clock's monotonic time; None when never."""
        if not self.config.sends_over_network or self._closed:
            return None
        return self.schedule.due()

    # --- asking for passes ---------------------------------------------------------------------

    def check(self) -> None:
        """Start a pass if one is due and nothing stops it (called every second)."""
        if self._job is not None or self._holds:
            return
        due = self.due_at()
        if due is not None and self.clock.monotonic() >= due:
            self._start()

    def send_now(self) -> bool:
        """The clerk's "Send now": start a pass, or join the one under way; False if none can run."""
        if self._job is not None:
            log.info("send now: joining the pass under way")
            return True
        if self._closed or self._holds or not self.config.sends_over_network:
            return False
        self._start(check=True)  # asked for: check in with the collector if nothing else goes
        return True

    def vote_saved(self, _vote: object = None) -> None:
        """A citizen's vote was saved: send it soon if the network was fine last time."""
        if not self.config.sends_over_network:
            return
        if self._job is not None:
            self._vote_during_pass = True  # it may have missed the pass's last page
        elif self.schedule.last_ok:
            self.schedule.soon(self.clock.monotonic() + AFTER_VOTE_DELAY_S)

    def apply_config(self, config: KioskConfig) -> None:
        """New settings: a new interval applies at once; a kiosk just enrolled sends soon."""
        was_enrolled = self.config.sends_over_network
        if config.sync_interval_s != self.config.sync_interval_s:
            log.info("votes are now sent about every %g s", config.sync_interval_s)
        self.config = config
        self.schedule.interval_s = config.sync_interval_s
        if config.sends_over_network and not was_enrolled:  # someone is watching: soon
            self.schedule = PassSchedule(
                config.sync_interval_s,
                self.clock.monotonic(),
                first_delay_s=STARTUP_DELAY_S,
                rng=self.schedule.rng,
            )

    # --- pausing and stopping ------------------------------------------------------------------

    def hold(self, reason: str, then: Callable[[], None]) -> None:
        """Start no pass until ``release(reason)``; call ``then`` once no pass is under way.

        A pass under way is cancelled (retries stop; a request in flight ends within its
        timeouts) and ``then`` runs when its outcome has come back.
        """
        self._holds.add(reason)
        if self._job is None:
            then()
            return
        log.info("sending pauses for %s once the pass under way ends", reason)
        self._after_pass.append(then)
        self._job.cancel()

    def release(self, reason: str) -> None:
        """Let passes run again (and start one now if one fell due meanwhile)."""
        self._holds.discard(reason)
        self.check()

    def cancel(self) -> None:
        """Cancel the pass under way (its outcome still comes back)."""
        if self._job is not None:
            self._job.cancel()

    def shutdown(self) -> bool:
        """Stop for good: no more passes, the one under way cancelled and waited for.

        Returns True when no pass is left running (within STOP_TIMEOUT_MS).
        """
        self._closed = True
        self.timer.stop()
        self.cancel()
        return self.runner.wait(STOP_TIMEOUT_MS)

    # --- one pass ----------------------------------------------------------------------------

    def _start(self, *, check: bool | None = None) -> None:
        job = SyncJob(self.data_dir, self.make_uploader, check=check)
        self._job = job
        self._vote_during_pass = False
        self.passes += 1
        log.info("sending votes to the collector (pass %d)", self.passes)
        self.pass_started.emit()

        def run(progress: Progress) -> SyncOutcome:
            outcome = job.run(progress)
            if outcome.report.error is None and outcome.ran:  # the collector answered
                self._campaign = (refresh_campaign(self.data_dir, self.make_uploader, self.clock),)
            return outcome

        self.runner.submit(run, self._finished, self._crashed, self.progress.emit)

    def _crashed(self, exc: BaseException) -> None:
        error = SyncError(
            "internal",
            f"Sending stopped because of an unexpected error ({type(exc).__name__}):"
            " the votes are safe; see the kiosk's log",
        )
        self._finished(SyncOutcome(SyncReport(error=error), -1, -1))

    def _finished(self, outcome: SyncOutcome) -> None:
        self._job = None
        asked, self._campaign = self._campaign, None
        if asked is not None and not self._closed:
            self.campaign_changed.emit(asked[0])
        self.last_outcome = outcome
        error = outcome.report.error
        now = self.clock.monotonic()
        self.schedule.record(now, error)
        if error is None:
            if self._vote_during_pass:
                self.schedule.soon(now + AFTER_VOTE_DELAY_S)
            log.info("sending done: %d delivered, %d pending", outcome.delivered, outcome.pending)
        elif error.code == "cancelled":
            self.schedule.soon(now + AFTER_VOTE_DELAY_S)  # cut short: try again soon after
        else:
            log.info(
                "sending stopped (%s, %d in a row); trying again in %.0f s",
                error.code,
                self.schedule.failures,
                self.schedule.due() - now,
            )
        waiting, self._after_pass = self._after_pass, []
        if not self._closed:
            self.pass_finished.emit(outcome)
        for then in waiting:
            then()
