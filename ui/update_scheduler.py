"""The running kiosk updates itself between citizens: the one owner of update work in the app.

``UpdateScheduler`` belongs to the kiosk window, as ``SyncScheduler`` does, and does nothing
where updates are not managed (``Updates.here()`` is None: a checkout, a copied bundle). Its
work follows kiosk/updates.py's order:

1. Once the welcome screen has shown (and the ledger opened), the window calls
   ``welcome_shown``: ``confirm_healthy`` runs (``trial`` goes) and the state is read.
2. Then it checks: every ``update_interval_s`` of the settings, from the collector
   (``<collector URL>/updates``, when enrolled) and every plugged stick with
   ``sangsuk-updates/``; every few seconds it also looks for a stick just plugged in, and
   checks that stick at once. A newer release is staged (downloaded, verified, unpacked and
   self-tested). The clerk's "Check now" asks for the same pass.
3. A staged version is applied only between citizens: when the window says it is idle (the
   welcome screen, no countdown, no vote being saved, nobody touched the screen for a while,
   the clerk's screens closed; ``KioskWindow.idle_for_update``). Then ``apply_pending`` and
   ``restart_requested``: the window closes the ledger and the app exits with 75, and the
   session script starts the new version (deploy/sangsuk-session).

Checking, staging, confirming and looking for sticks touch the disk and the network, so each
runs on a pool thread (ui/tasks.py) and reports by signal; only the switch of ``current`` (a
few renames, with nobody at the kiosk) runs on the GUI thread, so no citizen can start between
the check that the kiosk is idle and the switch. Time comes from the kiosk's clock (a fake one
in tests): a one-second timer asks ``check`` whether something is due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config import KioskConfig
from kiosk.drives import DriveDetector, removable_drives
from kiosk.updates import (
    Reason,
    UpdateError,
    Updates,
    UpdateStatus,
    status_here,
    stick_source,
)
from ui.tasks import Progress, TaskRunner
from wire.clock import Clock
from wire.updates import URL_PREFIX

STARTUP_DELAY_S: Final = 60.0  # the first check, once the welcome screen has shown
STICK_LOOK_S: Final = 10.0  # how often plugged sticks are looked for
QUIET_S: Final = 90.0  # nobody touched the screen this long before a version is applied
CHECK_INTERVAL_MS: Final = 1000
STOP_TIMEOUT_MS: Final = 60_000
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UpdatePass:
    """What one pass did: the sticks found, the sources checked, what was staged, why not."""

    sticks: tuple[str, ...]
    checked: tuple[str, ...]  # empty: nothing to check (not enrolled, no stick)
    staged: str | None
    refusals: tuple[Reason, ...]
    status: UpdateStatus | None  # read after the checks; None when nothing was checked


def collector_source(config: KioskConfig) -> str | None:
    """The collector's update repository, once the kiosk is enrolled with one."""
    if not config.enrolled or config.collector_url is None:
        return None
    return config.collector_url.rstrip("/") + URL_PREFIX


def _one_pass(
    updates: Updates, sources: list[str], sticks: tuple[str, ...], ca_bundle: str | None
) -> UpdatePass:
    """Check each source in turn; stage from the first with a newer release (a pool thread).

    ``ca_bundle`` is the kiosk's certificate file for its collector (the sender's setting).
    """
    staged: str | None = None
    refusals: list[Reason] = []
    for source in sources:
        try:
            offer = updates.check(source, ca_bundle=ca_bundle)
            if offer is not None:
                staged = updates.stage(source, ca_bundle=ca_bundle)
        except UpdateError as refused:
            refusals.append(refused.reason)
            continue
        if staged is not None:
            break
    return UpdatePass(sticks, tuple(sources), staged, tuple(refusals), updates.status())


class UpdateScheduler(QObject):
    """Checks and stages updates in the background; applies one only between citizens."""

    status_changed = Signal(object)  # the UpdateStatus, after each pass or change
    pass_started = Signal()
    pass_finished = Signal(
        object
    )  # the UpdatePass, None if it crashed (a look: only if it checked)
    restart_requested = Signal(str)  # current now names this version: exit with 75

    def __init__(
        self,
        updates: Updates | None,
        config: KioskConfig,
        clock: Clock,
        *,
        idle: Callable[[], bool],
        drives: DriveDetector = removable_drives,
        parent: QObject | None = None,
    ) -> None:
        """Manage updates (None: not managed here); idle tells when no citizen is at the kiosk."""
        super().__init__(parent)
        self.updates = updates
        self.config = config
        self.clock = clock
        self.idle = idle
        #: Lists the plugged removable drives (tests pass a fake one).
        self.drives = drives
        self.runner = TaskRunner(self)
        #: What the clerk's page shows; read on a pool thread once the welcome has shown.
        self.status: UpdateStatus | None = None if updates is not None else status_here()
        self.passes = 0
        self.last_pass: UpdatePass | None = None
        self._confirming = False
        self._confirmed = False
        self._busy = False  # a pass or a look for sticks under way
        self._asked = False  # the clerk's "Check now" waits for the pass under way
        self._sticks_seen: frozenset[str] = frozenset()
        self._closed = False
        self._due_at = 0.0
        self._look_at = 0.0
        self.timer = QTimer(self)
        self.timer.setObjectName("updateTimer")
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        if updates is not None:
            self.timer.start()

    # --- state -------------------------------------------------------------------------------

    @property
    def managed(self) -> bool:
        """Tell whether updates are managed on this installation."""
        return self.updates is not None

    @property
    def running(self) -> bool:
        """Tell whether a pass (or a look for sticks) is under way."""
        return self._busy

    @property
    def pending(self) -> str | None:
        """The staged version waiting for an idle moment, if any."""
        return None if self.status is None else self.status.pending

    def apply_config(self, config: KioskConfig) -> None:
        """New settings: a new collector or interval counts from the next pass."""
        self.config = config

    # --- the welcome screen has shown --------------------------------------------------------

    def welcome_shown(self) -> None:
        """The kiosk is healthy: confirm this version once, then start checking."""
        updates = self.updates
        if updates is None or self._confirming or self._confirmed or self._closed:
            return
        self._confirming = True

        def confirm(_progress: Progress) -> UpdateStatus:
            updates.confirm_healthy()
            return updates.status()

        self.runner.submit(confirm, self._confirmed_healthy, self._confirm_failed)

    def _confirmed_healthy(self, status: UpdateStatus) -> None:
        self._confirmed = True
        now = self.clock.monotonic()
        self._due_at = now + STARTUP_DELAY_S
        self._look_at = now
        self._set_status(status)

    def _confirm_failed(self, exc: BaseException) -> None:
        # The version runs; it is kept if the session restarts it (the trial is counted there).
        log.error("cannot confirm this version as healthy: %s", exc)
        self._confirming = False

    # --- the timer -----------------------------------------------------------------------------

    def check(self) -> None:
        """Apply a staged version if the kiosk is idle, or start a pass that is due (each second)."""
        if self._closed or not self._confirmed or self._busy:
            return
        if self.pending is not None and self.idle():
            self._apply()
            return
        now = self.clock.monotonic()
        if now >= self._due_at:
            self._start(look_only=False)
        elif now >= self._look_at:
            self._start(look_only=True)

    def check_now(self) -> bool:
        """The clerk's "Check now": the collector and every plugged stick; False if none can run."""
        if self._closed or self.updates is None or not self._confirmed:
            return False
        self._asked = True
        if not self._busy:
            self._start(look_only=False)
        return True

    def asked(self) -> bool:
        """Tell whether the clerk waits for a "Check now" to end."""
        return self._asked

    # --- one pass ------------------------------------------------------------------------------

    def _start(self, *, look_only: bool) -> None:
        updates = self.updates
        assert updates is not None
        drives = self.drives
        seen = self._sticks_seen
        collector = None if look_only else collector_source(self.config)
        ca_bundle = self.config.ca_bundle
        self._busy = True
        now = self.clock.monotonic()
        self._look_at = now + STICK_LOOK_S
        if not look_only:
            self._due_at = now + self.config.update_interval_s
            self.passes += 1
            self.pass_started.emit()

        def run(_progress: Progress) -> UpdatePass:
            sticks = tuple(
                str(source)
                for source in (stick_source(drive.path) for drive in drives())
                if source.is_dir()
            )
            # A stick just plugged in is checked at once; one left in waits for the next pass.
            fresh = [s for s in sticks if s not in seen]
            sources = fresh if look_only else [*sticks, *([collector] if collector else [])]
            if not sources:
                return UpdatePass(sticks, (), None, (), None)
            return _one_pass(updates, sources, sticks, ca_bundle)

        self.runner.submit(run, lambda result: self._finished(result, look_only), self._crashed)

    def _crashed(self, exc: BaseException) -> None:
        log.error("an update pass stopped (%s): %s", type(exc).__name__, exc)
        self._busy = False
        self._asked = False
        if not self._closed:
            self.pass_finished.emit(None)

    def _finished(self, result: UpdatePass, look_only: bool) -> None:
        self._busy = False
        self._sticks_seen = frozenset(result.sticks)
        if self._closed:
            return
        if look_only and self._asked:
            self._start(look_only=False)  # the clerk asked while sticks were looked for
        if look_only and not result.checked:
            return  # no stick just plugged in: nothing to tell
        if not look_only:
            self._asked = False
        self.last_pass = result
        if result.staged is not None:
            log.info("version %s is ready; it is applied when nobody is voting", result.staged)
        if result.status is not None:
            self._set_status(result.status)
        self.pass_finished.emit(result)

    def _set_status(self, status: UpdateStatus) -> None:
        self.status = status
        self.status_changed.emit(status)

    # --- applying ------------------------------------------------------------------------------

    def _apply(self) -> None:
        """Switch ``current`` to the staged version (the kiosk is idle); then ask to restart."""
        updates = self.updates
        assert updates is not None
        try:
            version = updates.apply_pending()
        except UpdateError as refused:
            log.error("the staged version was not applied: %s", refused.reason.en)
            self._set_status(updates.status())
            return
        self._closed = True  # nothing more: the app is about to exit
        self.timer.stop()
        self.restart_requested.emit(version)

    def shutdown(self) -> bool:
        """Stop for good; wait for the pass under way. True when nothing is left running."""
        self._closed = True
        self.timer.stop()
        return self.runner.wait(STOP_TIMEOUT_MS)
