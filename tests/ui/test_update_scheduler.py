"""The running kiosk updates itself between citizens: a real window, a real ledger, real signed
releases made by `sangsuk-release` (tests/updates_repo.py), the fake clock and fake drive
detection.

The tablet is a folder in the agreed layout named by $SANGSUK_INSTALL_ROOT, running the
version this checkout is; the office signs a newer one. Checks fall due on the kiosk's clock:
the tests stop the scheduler's one-second timer, move the clock and call ``check`` themselves,
then wait for the pass's signal.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from packaging.version import Version

from collector.settings import UPDATES_DIR_ENV
from kiosk.drives import Drive
from kiosk.flow import Step
from kiosk.update_install import InstallPaths, linked_version, write_trial
from kiosk.update_reasons import Refusal
from kiosk.updates import INSTALL_ROOT_ENV, RESTART_EXIT_CODE, running_version
from sync.operations import enroll
from tests.collector_server import serve_collector
from tests.fakes import FakeClock
from tests.ui.citizen.helpers import human
from tests.ui.clerk.helpers import JOB_TIMEOUT_MS, build_kiosk, set_up, unlock
from tests.updates_repo import Office, install, kiosk, make_office, stick
from ui.app import KioskWindow
from ui.i18n import LanguageSwitcher
from ui.ledger_service import LedgerService
from ui.update_scheduler import QUIET_S, STARTUP_DELAY_S, STICK_LOOK_S, UpdateScheduler
from wire.vote import Ballot

RUNNING = running_version()
NEWER = f"{Version(RUNNING).major}.{Version(RUNNING).minor + 1}.0"


@pytest.fixture
def office(tmp_path: Path) -> Office:
    """The central office: the running version and a newer one, both signed."""
    office = make_office(tmp_path / "office")
    office.release(RUNNING)
    return office


@pytest.fixture
def tablet(tmp_path: Path, office: Office, monkeypatch: pytest.MonkeyPatch) -> InstallPaths:
    """/opt/sangsuk (in tmp_path) running this version, trusting the office's root."""
    paths = install(tmp_path / "opt", office.bundles / RUNNING, RUNNING)
    # What the bundle's kiosk/assets/update_root.json becomes on first use.
    paths.metadata.mkdir(parents=True)
    shutil.copyfile(office.trusted_root, paths.metadata / "root.json")
    monkeypatch.setenv(INSTALL_ROOT_ENV, str(paths.root))
    return paths


@pytest.fixture
def make(
    qtbot, switcher: LanguageSwitcher, clock: FakeClock, data_dir: Path
) -> Callable[..., KioskWindow]:
    """Build the set-up kiosk window; its update timer stopped and no stick plugged in."""

    def build(ledger: LedgerService | None, drives: list[Drive] | None = None) -> KioskWindow:
        if not (data_dir / "config.json").exists():
            set_up(data_dir, clock)
        window = build_kiosk(qtbot, switcher, clock, data_dir, ledger)
        scheduler = updates_of(window)
        scheduler.timer.stop()
        plugged = drives if drives is not None else []
        scheduler.drives = lambda: list(plugged)
        return window

    return build


def updates_of(window: KioskWindow) -> UpdateScheduler:
    assert window.update_scheduler is not None
    return window.update_scheduler


def confirmed(qtbot, scheduler: UpdateScheduler) -> None:
    """Wait until the welcome screen's confirmation has run and the status is read."""
    qtbot.waitUntil(lambda: scheduler.status is not None and not scheduler.runner.busy())


def drive(mount: Path) -> Drive:
    return Drive(mount, "KINGSTON", 7_000_000_000, 15_000_000_000)


def restarts(window: KioskWindow) -> list[int]:
    """The exit codes the window asks the app to end with."""
    asked: list[int] = []
    window.quit_requested.connect(asked.append)
    return asked


def test_a_stick_plugged_in_is_checked_at_once_and_its_update_staged(
    qtbot, tmp_path: Path, clock: FakeClock, office: Office, tablet: InstallPaths, make
) -> None:
    office.release(NEWER)
    plugged: list[Drive] = []
    window = make(None, plugged)
    scheduler = updates_of(window)
    confirmed(qtbot, scheduler)
    finished: list[object] = []
    scheduler.pass_finished.connect(finished.append)

    scheduler.check()  # no stick: only looked for one
    qtbot.waitUntil(lambda: not scheduler.running)
    assert finished == []
    assert scheduler.pending is None

    source = stick(office, tmp_path / "media" / "KINGSTON")
    plugged.append(drive(source.parent))
    clock.advance(STICK_LOOK_S)
    with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS) as blocker:
        scheduler.check()
    result = blocker.args[0]
    assert result.checked == (str(source),)
    assert result.staged == NEWER
    assert (scheduler.pending, scheduler.status.pending_source) == (NEWER, str(source))
    assert tablet.version_dir(NEWER).is_dir()
    assert linked_version(tablet.current) == RUNNING  # staged, not switched

    # Left in, the stick is not checked again at every look.
    clock.advance(STICK_LOOK_S)
    scheduler.check()
    qtbot.waitUntil(lambda: not scheduler.running)
    assert len(finished) == 1


def test_the_update_waits_for_the_citizen_and_applies_at_the_idle_welcome(
    qtbot,
    tmp_path: Path,
    clock: FakeClock,
    office: Office,
    tablet: InstallPaths,
    make,
    ledger_service: LedgerService,
) -> None:
    office.release(NEWER)
    source = stick(office, tmp_path / "stick")
    assert kiosk(tablet.root, office, RUNNING).stage(source) == NEWER  # staged earlier
    window = make(ledger_service)
    scheduler = updates_of(window)
    confirmed(qtbot, scheduler)
    assert scheduler.pending == NEWER
    asked = restarts(window)

    def not_applied(wait: float = QUIET_S) -> None:
        clock.advance(wait)  # however long the citizen takes
        scheduler.check()
        assert asked == []
        assert linked_version(tablet.current) == RUNNING
        assert ledger_service.ledger is not None

    window.welcome.start_button.click()
    assert window.flow.step is Step.RATING
    not_applied()
    human(clock)
    window.rating.faces[4].click()
    assert window.flow.step is Step.TARGET
    not_applied()
    human(clock)
    window.target.not_sure_button.click()
    assert window.flow.step is Step.IMPRESSION
    not_applied()
    human(clock)
    with qtbot.waitSignal(ledger_service.saved, timeout=JOB_TIMEOUT_MS):
        window.impression.send_button.click()
        assert window.flow.step is Step.SAVING  # the ledger thread has not answered yet
        not_applied()
    assert window.flow.step is Step.THANKS
    not_applied(0)

    # Back at the welcome screen: not during the "please wait" after a vote, nor while a vote
    # is still being saved, nor while the clerk's screens are open.
    clock.advance(window.flow.settings.thanks_s)
    window.tick()
    assert window.flow.step is Step.WELCOME
    assert window.flow.view().cooldown_remaining is not None
    not_applied(0)
    window.open_clerk()
    not_applied()
    window.close_clerk()
    clock.advance(QUIET_S)
    with qtbot.waitSignal(ledger_service.saved, timeout=JOB_TIMEOUT_MS):
        ledger_service.cast(Ballot("3706", 3, None))  # a vote on its way to the disk
        not_applied(0)

    # Nobody has touched the kiosk for a while: the new version is switched to.
    clock.advance(QUIET_S)
    with qtbot.waitSignal(window.quit_requested, timeout=JOB_TIMEOUT_MS) as blocker:
        scheduler.check()
    assert blocker.args == [RESTART_EXIT_CODE]
    assert os.readlink(tablet.current) == f"versions/{NEWER}"
    assert os.readlink(tablet.previous) == f"versions/{RUNNING}"
    assert tablet.trial.read_text() == f"{NEWER}\n"
    assert ledger_service.ledger is None  # closed before the app exits


def test_the_welcome_screen_confirms_a_trial_version(
    qtbot, office: Office, tablet: InstallPaths, make, ledger_service: LedgerService
) -> None:
    write_trial(tablet, RUNNING)  # the session started this version just after a switch
    window = make(ledger_service)
    scheduler = updates_of(window)
    assert window.flow.step is Step.WELCOME
    qtbot.waitUntil(lambda: not tablet.trial.exists())
    confirmed(qtbot, scheduler)
    assert scheduler.status.running == RUNNING


def test_a_refused_update_shows_its_reason_to_the_clerk_and_nothing_changes(
    qtbot,
    tmp_path: Path,
    switcher: LanguageSwitcher,
    clock: FakeClock,
    office: Office,
    tablet: InstallPaths,
    make,
    ledger_service: LedgerService,
) -> None:
    office.release(NEWER, self_test_passes=False)
    source = stick(office, tmp_path / "media" / "KINGSTON")
    window = make(ledger_service, [drive(source.parent)])
    scheduler = updates_of(window)
    confirmed(qtbot, scheduler)
    area = unlock(qtbot, window, clock)
    card = area.dashboard.updates
    assert card.check_button.isVisible()
    assert card.check_button.isEnabled()
    assert RUNNING in card.versions.text()

    with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS):
        card.check_button.click()
        assert card.checking()
    assert not card.checking()
    reason = kiosk(tablet.root, office, RUNNING).status().last_refusal
    assert reason is not None
    assert reason.kind is Refusal.SELF_TEST_FAILED
    assert card.refusal.isVisible()
    assert reason.th in card.refusal.text()  # Thai by default
    assert card.message.property("tone") == "error"
    switcher.set_language("en")
    qtbot.waitUntil(lambda: reason.en in card.refusal.text())
    assert scheduler.pending is None
    assert linked_version(tablet.current) == RUNNING
    assert not tablet.version_dir(NEWER).exists()
    assert not tablet.trial.exists()


def test_an_enrolled_kiosk_checks_the_collector_shortly_after_start(
    qtbot,
    tmp_path: Path,
    clock: FakeClock,
    data_dir: Path,
    office: Office,
    tablet: InstallPaths,
    make,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    office.release(NEWER)
    monkeypatch.setenv(UPDATES_DIR_ENV, str(office.repo))
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as collector:
        set_up(data_dir, clock)
        assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
        window = make(None)
        scheduler = updates_of(window)
        confirmed(qtbot, scheduler)
        started: list[bool] = []
        scheduler.pass_started.connect(lambda: started.append(True))
        scheduler.check()
        qtbot.waitUntil(lambda: not scheduler.running)
        assert started == []  # a look for sticks only: the first check comes a little later
        clock.advance(STARTUP_DELAY_S)
        with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS) as blocker:
            scheduler.check()
        assert blocker.args[0].checked == (f"{collector.url}/updates",)
        assert scheduler.status.pending_source == f"{collector.url}/updates"
        assert scheduler.pending == NEWER
        assert linked_version(tablet.current) == RUNNING


def test_where_updates_are_not_managed_the_clerk_sees_one_quiet_line_and_nothing_is_checked(
    qtbot,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    make,
    ledger_service: LedgerService,
) -> None:
    monkeypatch.delenv(INSTALL_ROOT_ENV, raising=False)  # a checkout
    window = make(ledger_service)
    scheduler = updates_of(window)

    def looked() -> list[Drive]:
        raise AssertionError("no stick is looked for where updates are not managed")

    scheduler.drives = looked
    assert not scheduler.managed
    clock.advance(STARTUP_DELAY_S + STICK_LOOK_S)
    scheduler.check()
    assert not scheduler.check_now()
    assert not scheduler.runner.busy()
    area = unlock(qtbot, window, clock)
    card = area.dashboard.updates
    assert card.versions.isVisible()
    assert RUNNING in card.versions.text()
    assert not card.check_button.isVisible()
    assert not card.last_check.isVisible()
    assert not card.refusal.isVisible()
