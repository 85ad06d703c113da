"""The running kiosk sends by itself: a real ledger, a real collector, the fake clock.

Passes fall due on the kiosk's clock; the tests move it and call ``check`` (what the
scheduler's one-second timer does), then wait for the pass's signal. A gate in the loopback
fault proxy holds a request in flight for as long as a test needs a pass to be under way.
The schedule's random waits (sync/schedule.py) are the tests' own draws where a test needs a
figure; the first pass after the start is drawn when the window is built, and the tests move
the clock to it (its bounds are tested on a scheduler given its draws).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from kiosk.config import load_config
from kiosk.flow import Step
from kiosk.ledger import Ledger
from kiosk.pin import PIN_FILE_NAME, PinStore
from kiosk.setup import SetupStep
from kiosk.syncstate import load_sync_state
from sync.operations import SyncOutcome, enroll
from sync.schedule import backoff_window
from sync.uploader import Uploader, uploader_for
from tests.collector_db import sql
from tests.collector_server import RunningCollector, serve_collector
from tests.fakes import FakeClock
from tests.faultproxy import FaultProxy
from tests.ui.citizen.helpers import human
from tests.ui.clerk.helpers import (
    JOB_TIMEOUT_MS,
    PIN,
    build_kiosk,
    cast,
    idle,
    open_clerk,
    set_up,
    unlock,
)
from ui.app import KioskWindow
from ui.ledger_service import LedgerService
from ui.sync_scheduler import AFTER_VOTE_DELAY_S, STARTUP_DELAY_S, SyncScheduler
from wire import keys


class Gate:
    """A fault-proxy plan that holds the first connection after ``arm`` until ``open``."""

    def __init__(self) -> None:
        self.armed = False
        self.reached = threading.Event()
        self.opened = threading.Event()

    def __call__(self, n: int) -> str:
        if self.armed and not self.reached.is_set():
            self.reached.set()
            self.opened.wait(60)
        return "pass"


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def gate(collector: RunningCollector) -> Iterator[tuple[Gate, FaultProxy]]:
    plan = Gate()
    proxy = FaultProxy(collector.port, plan)
    try:
        yield plan, proxy
    finally:
        plan.opened.set()  # never leave the proxy's thread waiting
        proxy.close()


def enrolled(data_dir: Path, clock: FakeClock, url: str, collector: RunningCollector, **config):
    """Set the kiosk up and enrol it through url (the collector, or a proxy in front of it)."""
    set_up(data_dir, clock, **config)
    outcome = enroll(data_dir, url, collector.store.issue_token("3706"))
    assert outcome.ok, outcome.problem


def held_at_collector(collector: RunningCollector, data_dir: Path) -> list[int]:
    kiosk_id = keys.load_or_create(data_dir).kiosk_id
    rows = sql(
        collector.store, "SELECT seq FROM votes WHERE kiosk = :kiosk ORDER BY seq", kiosk=kiosk_id
    )
    return [seq for (seq,) in rows]


def counts(data_dir: Path) -> tuple[int, int]:
    """(pending, delivered) read from the ledger file on the test's own connection."""
    with Ledger.open(data_dir, keys.load_or_create(data_dir)) as reader:
        c = reader.counts()
    return c.pending, c.delivered


def scheduler_of(window: KioskWindow) -> SyncScheduler:
    assert window.sync_scheduler is not None
    return window.sync_scheduler


def steady(scheduler: SyncScheduler, draw: float = 0.5) -> None:
    """From now on every draw is ``draw``: 0.5 makes each interval exactly the chosen one."""
    scheduler.schedule.rng = lambda: draw


def draws(*values: float) -> Callable[[], float]:
    """A draw function returning these values in turn."""
    it = iter(values)
    return lambda: next(it)


def to_first_pass(clock: FakeClock, scheduler: SyncScheduler) -> None:
    """Move the clock to the moment the first pass after the start was drawn to be due."""
    due = scheduler.due_at()
    assert due is not None
    assert due > clock.monotonic()
    clock.advance(due - clock.monotonic())


def run_due_pass(qtbot, scheduler: SyncScheduler) -> SyncOutcome:
    """Let the scheduler start the pass that is due, and wait for its outcome."""
    with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS) as blocker:
        scheduler.check()
    outcome = blocker.args[0]
    assert isinstance(outcome, SyncOutcome)
    return outcome


def vote_as_citizen(qtbot, window: KioskWindow, clock: FakeClock, ledger: LedgerService) -> None:
    """A citizen taps a face and "not sure" and sends; wait until the ledger has kept it."""
    window.welcome.start_button.click()
    human(clock)
    window.rating.faces[4].click()
    human(clock)
    window.target.not_sure_button.click()
    human(clock)
    with qtbot.waitSignal(ledger.saved, timeout=JOB_TIMEOUT_MS):
        window.impression.send_button.click()


def test_an_enrolled_kiosk_sends_its_votes_by_itself(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    enrolled(data_dir, clock, collector.url, collector)
    cast(ledger_service, 3)  # cast before the kiosk came back on line
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    started: list[bool] = []
    scheduler.pass_started.connect(lambda: started.append(True))

    scheduler.check()
    assert not started  # nothing yet: the first pass comes shortly after the start
    to_first_pass(clock, scheduler)
    outcome = run_due_pass(qtbot, scheduler)
    assert outcome.report.error is None
    assert held_at_collector(collector, data_dir) == [1, 2, 3]
    assert counts(data_dir) == (0, 3)
    assert load_sync_state(data_dir).last_success is not None

    # A citizen votes: it goes out soon after, on its own, with no clerk anywhere.
    vote_as_citizen(qtbot, window, clock, ledger_service)
    assert window.flow.step is Step.THANKS
    scheduler.check()
    assert len(started) == 1  # not at once: votes saved close together share a pass
    clock.advance(AFTER_VOTE_DELAY_S)
    assert run_due_pass(qtbot, scheduler).report.error is None
    assert held_at_collector(collector, data_dir) == [1, 2, 3, 4]
    assert counts(data_dir) == (0, 4)
    assert len(started) == 2
    assert window.clerk is None  # no clerk screen was ever opened


def test_the_timer_does_not_check_in_after_each_pass_but_send_now_does(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    """An idle kiosk's timed passes send nothing (the check-in waits a day after the last
    receipt, sync/worker.py); the clerk's "Send now" asks the collector at once."""
    enrolled(data_dir, clock, collector.url, collector)
    cast(ledger_service, 3)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    steady(scheduler)
    to_first_pass(clock, scheduler)
    assert run_due_pass(qtbot, scheduler).report.error is None
    kiosk_id = keys.load_or_create(data_dir).kiosk_id
    replays = collector.store.kiosk_status(kiosk_id).replays

    due = scheduler.due_at()
    assert due is not None
    clock.advance(due - clock.monotonic())
    timed = run_due_pass(qtbot, scheduler)
    assert timed.report.ok
    assert not timed.report.checked
    assert collector.store.kiosk_status(kiosk_id).replays == replays

    with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS) as blocker:
        assert scheduler.send_now()
    asked = blocker.args[0]
    assert asked.report.checked
    assert asked.report.gaps == 0
    assert collector.store.kiosk_status(kiosk_id).replays == replays + 1
    assert held_at_collector(collector, data_dir) == [1, 2, 3]


def test_a_demo_kiosk_never_sends_and_shows_nothing(qtbot, kiosk, clock, data_dir, ledger_service):
    scheduler = scheduler_of(kiosk)
    started: list[bool] = []
    scheduler.pass_started.connect(lambda: started.append(True))
    vote_as_citizen(qtbot, kiosk, clock, ledger_service)
    for _ in range(3):
        clock.advance(3600)
        scheduler.check()
    assert scheduler.due_at() is None
    assert not scheduler.send_now()
    assert not started
    assert scheduler.passes == 0
    assert not (data_dir / "sync-state.json").exists()  # no attempt, so no error to show
    assert counts(data_dir) == (1, 0)
    assert not kiosk.findChildren(QMessageBox)


def test_send_now_during_a_timed_pass_joins_it(
    qtbot, switcher, clock, data_dir, ledger_service, collector, gate
):
    plan, proxy = gate
    enrolled(data_dir, clock, proxy.url, collector, batch_size=2)
    cast(ledger_service, 5)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    area = unlock(qtbot, window, clock)
    board = area.dashboard
    started: list[bool] = []
    scheduler.pass_started.connect(lambda: started.append(True))

    plan.armed = True
    to_first_pass(clock, scheduler)
    scheduler.check()
    qtbot.waitUntil(plan.reached.is_set, timeout=JOB_TIMEOUT_MS)  # a batch is in flight
    assert scheduler.running
    assert board.sync_progress.isVisible()  # the overview shows the kiosk's own pass
    assert board.sync_button.isEnabled()

    board.sync_button.click()
    assert board.sending()
    assert not board.sync_button.isEnabled()
    assert "กำลังส่ง" in board.sync_message.text()
    assert started == [True]  # joined, not started again
    plan.opened.set()

    qtbot.waitUntil(lambda: not board.sending(), timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert started == [True]
    assert scheduler.passes == 1
    assert "ส่งผลการประเมินครบทั้งหมดแล้ว" in board.sync_message.text()
    assert board.figures["pending"].text() == "0"
    assert held_at_collector(collector, data_dir) == [1, 2, 3, 4, 5]
    assert counts(data_dir) == (0, 5)
    assert collector.store.quarantined() == []
    # Three batches of two, one connection each, after the enrolment's: none sent twice; and
    # the pass's question for the campaign (sync/campaign.py).
    assert proxy.counts["pass"] == 1 + 3 + 1


def test_closing_the_window_cancels_the_retries_and_stops_the_pass(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    with FaultProxy(collector.port, lambda n: "pass" if n == 0 else "refuse") as proxy:
        enrolled(data_dir, clock, proxy.url, collector)
        cast(ledger_service, 2)
        window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
        scheduler = scheduler_of(window)

        def patient(config) -> Uploader:
            # Ten minutes between tries: only a cancelled wait lets the window close.
            return uploader_for(config, backoff_factor=600, backoff_max=600, backoff_jitter=0)

        scheduler.make_uploader = patient
        to_first_pass(clock, scheduler)
        scheduler.check()
        # Two tries (urllib3 tries again at once the first time), then it waits.
        qtbot.waitUntil(lambda: proxy.counts["refuse"] == 2, timeout=JOB_TIMEOUT_MS)
        assert scheduler.running

        window.allow_close()
        assert window.close()
        assert scheduler.runner.pool.activeThreadCount() == 0  # the pass has ended
        assert not scheduler.timer.isActive()
        clock.advance(3600)
        scheduler.check()
        assert scheduler.passes == 1  # nothing starts after closing
        assert proxy.counts["refuse"] == 2
    assert counts(data_dir) == (2, 0)  # kept for the next start
    assert load_sync_state(data_dir).last_error_code is None  # closing is not a problem


def no_wait(seconds: float) -> bool:
    """Back-off waits pass at once (time is outside the program)."""
    return False


def test_a_collector_that_is_down_leaves_the_votes_and_the_overview_says_why(
    qtbot, switcher, clock, data_dir, ledger_service, tmp_path
):
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as collector:
        enrolled(data_dir, clock, collector.url, collector)
    # The collector is gone now: its port refuses connections.
    cast(ledger_service, 3)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    scheduler.make_uploader = lambda config: uploader_for(config, wait=no_wait)
    steady(scheduler)
    area = unlock(qtbot, window, clock)
    board = area.dashboard
    assert not board.sync_error.isVisible()

    to_first_pass(clock, scheduler)
    outcome = run_due_pass(qtbot, scheduler)
    assert outcome.report.error is not None
    assert outcome.report.error.code == "unreachable"
    assert counts(data_dir) == (3, 0)
    assert load_sync_state(data_dir).last_error_code == "unreachable"
    # The overview was open: it reads the state again and says why, in plain Thai.
    qtbot.waitUntil(lambda: board.sync_error.isVisible(), timeout=JOB_TIMEOUT_MS)
    assert "ติดต่อระบบกลางไม่ได้" in board.sync_error.text()
    assert board.figures["pending"].text() == "3"
    assert not board.sending()
    assert board.sync_message.text() == ""  # nobody pressed "Send now": no pop-up message

    # The citizen sees nothing of it, and a vote does not bring a pass sooner on a bad network.
    area.leave_button.click()
    assert window.current_screen() is window.welcome
    assert not window.findChildren(QMessageBox)
    vote_as_citizen(qtbot, window, clock, ledger_service)
    interval = load_config(data_dir).sync_interval_s
    due = scheduler.due_at()
    assert due is not None
    assert due - clock.monotonic() > AFTER_VOTE_DELAY_S
    # The next try comes after the backoff (half its first window, one interval, with these
    # draws), and fails the same way, still keeping every vote; then the wait grows.
    clock.advance(due - clock.monotonic())
    assert run_due_pass(qtbot, scheduler).report.error is not None
    assert scheduler.passes == 2
    assert counts(data_dir) == (4, 0)
    assert scheduler.schedule.failures == 2
    due = scheduler.due_at()
    assert (
        due == clock.monotonic() + 0.5 * backoff_window(interval, 2) == clock.monotonic() + interval
    )


def test_a_new_interval_from_the_settings_applies_without_a_restart(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    enrolled(data_dir, clock, collector.url, collector)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    steady(scheduler)  # every interval exactly the chosen one
    to_first_pass(clock, scheduler)
    run_due_pass(qtbot, scheduler)
    area = unlock(qtbot, window, clock)
    assert "ทุก 5 นาที" in area.dashboard.sync_state.text()
    area.show_page(area.settings)
    settings = area.settings
    assert settings.sync_interval.shown.text() == "5 นาที"
    for _ in range(5):
        settings.sync_interval.plus.click()
    settings.save_button.click()
    idle(qtbot, area)
    assert "บันทึกแล้ว" in settings.settings_message.text()
    assert load_config(data_dir).sync_interval_s == 600
    area.show_page(area.dashboard)
    idle(qtbot, area)
    assert "ทุก 10 นาที" in area.dashboard.sync_state.text()
    area.leave_button.click()

    clock.advance(300)  # the old interval has passed: not due any more
    scheduler.check()
    assert scheduler.passes == 1
    clock.advance(300)
    assert run_due_pass(qtbot, scheduler).report.error is None
    assert scheduler.passes == 2


def test_the_setup_wizard_waits_for_the_pass_under_way(
    qtbot, switcher, clock, data_dir, ledger_service, collector, gate
):
    plan, proxy = gate
    enrolled(data_dir, clock, proxy.url, collector, batch_size=1)
    (data_dir / PIN_FILE_NAME).unlink()  # the clerk's PIN was reset: the corner leads to setup
    cast(ledger_service, 3)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    started: list[bool] = []
    scheduler.pass_started.connect(lambda: started.append(True))
    plan.armed = True
    to_first_pass(clock, scheduler)
    scheduler.check()
    qtbot.waitUntil(plan.reached.is_set, timeout=JOB_TIMEOUT_MS)  # vote 1 is in flight

    area = open_clerk(qtbot, window, clock)
    setup = area.setup
    assert area.current_page() is setup
    setup.next_button.click()  # the screen is fine
    assert setup.wizard.step is SetupStep.PLACE
    setup.next_button.click()  # the district stays as it was
    for _ in range(2):
        setup.pin_pad.type_pin(PIN)
        setup.pin_pad.ok_key.click()
    assert setup.wizard.step is SetupStep.COLLECTOR
    setup.enroll_later_chip.click()
    setup.next_button.click()
    assert setup.wizard.step is SetupStep.REVIEW
    setup.next_button.click()  # Finish, while the pass is still under way

    assert scheduler.held
    assert scheduler.running
    assert not PinStore(data_dir, clock).is_set()  # nothing saved while the pass runs
    assert window.ledger is not None
    plan.opened.set()

    qtbot.waitUntil(lambda: area.current_page() is area.dashboard, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert PinStore(data_dir, clock).check(PIN).ok
    assert started == [True]  # no pass started while setup saved
    assert not scheduler.held
    assert scheduler.last_outcome is not None
    error = scheduler.last_outcome.report.error
    assert error is not None
    assert error.code == "cancelled"  # setup cut the pass short
    assert held_at_collector(collector, data_dir) == [1]  # the batch in flight did arrive
    assert counts(data_dir) == (2, 1)
    assert load_config(data_dir).enrolled  # setup kept the enrolment

    # Sending carries on after setup, by itself.
    qtbot.waitUntil(lambda: ledger_service.ledger is not None, timeout=JOB_TIMEOUT_MS)
    clock.advance(AFTER_VOTE_DELAY_S)
    assert run_due_pass(qtbot, scheduler).report.error is None
    assert held_at_collector(collector, data_dir) == [1, 2, 3]
    assert counts(data_dir) == (0, 3)


def test_a_kiosk_enrolled_from_the_settings_starts_sending_by_itself(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    set_up(data_dir, clock)  # set up offline: votes pile up, nothing is tried
    cast(ledger_service, 4)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    clock.advance(3600)
    scheduler.check()
    assert scheduler.passes == 0

    area = unlock(qtbot, window, clock)
    area.show_page(area.settings)
    area.settings.url.setText(collector.url)
    area.settings.token.setText(collector.store.issue_token("3706"))
    area.settings.enroll_button.click()
    idle(qtbot, area)
    assert "ลงทะเบียนแล้ว" in area.settings.enroll_message.text()
    area.leave_button.click()

    scheduler.check()
    assert scheduler.passes == 0  # soon, not in the middle of the clerk's tap
    clock.advance(STARTUP_DELAY_S)
    assert run_due_pass(qtbot, scheduler).report.error is None
    assert held_at_collector(collector, data_dir) == [1, 2, 3, 4]
    assert counts(data_dir) == (0, 4)


def test_a_citizen_votes_while_a_pass_is_under_way(
    qtbot, switcher, clock, data_dir, ledger_service, collector, gate
):
    plan, proxy = gate
    enrolled(data_dir, clock, proxy.url, collector)
    cast(ledger_service, 2)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    scheduler = scheduler_of(window)
    plan.armed = True
    to_first_pass(clock, scheduler)
    scheduler.check()
    qtbot.waitUntil(plan.reached.is_set, timeout=JOB_TIMEOUT_MS)  # votes 1-2 in flight

    vote_as_citizen(qtbot, window, clock, ledger_service)  # saved and thanked meanwhile
    assert window.flow.step is Step.THANKS
    with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS):
        plan.opened.set()
    assert held_at_collector(collector, data_dir) == [1, 2, 3]  # it joined the pass's next page
    assert counts(data_dir) == (0, 3)
    # The vote came during the pass, so another follows soon in case it missed it.
    clock.advance(AFTER_VOTE_DELAY_S)
    assert run_due_pass(qtbot, scheduler).report.error is None
    assert scheduler.passes == 2
    # The enrolment and two batches: nothing sent twice; and each pass asks for the campaign.
    assert proxy.counts["pass"] == 1 + 2 + 2


def test_kiosks_started_together_send_their_first_pass_at_moments_of_their_own(
    qtbot, clock, data_dir, collector
):
    enrolled(data_dir, clock, collector.url, collector)
    config = load_config(data_dir)
    start = clock.monotonic()
    first = SyncScheduler(data_dir, config, clock, rng=draws(0.0))
    second = SyncScheduler(data_dir, config, clock, rng=draws(0.75))
    try:
        # Shortly after the start, and then a part of an interval drawn for each kiosk.
        assert first.due_at() == start + STARTUP_DELAY_S
        assert second.due_at() == start + STARTUP_DELAY_S + 0.75 * config.sync_interval_s
        clock.advance(STARTUP_DELAY_S)
        second.check()
        assert second.passes == 0
    finally:
        assert first.shutdown()
        assert second.shutdown()


def test_a_busy_collector_is_asked_again_only_after_its_retry_after_and_send_now_does_not_wait(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    # The enrolment goes through; then ten tries are answered 503 with Retry-After: 1 (two
    # passes of five: the uploader's four retries, waits faked); then everything goes through.
    with FaultProxy(collector.port, lambda n: "busy" if 1 <= n <= 10 else "pass") as proxy:
        enrolled(data_dir, clock, proxy.url, collector)
        cast(ledger_service, 3)
        window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
        scheduler = scheduler_of(window)
        scheduler.make_uploader = lambda config: uploader_for(config, wait=no_wait)
        to_first_pass(clock, scheduler)
        # The backoff after the first busy pass draws 0 s, after the second 0.9 of its window.
        scheduler.schedule.rng = draws(0.0, 0.9, 0.5)
        interval = load_config(data_dir).sync_interval_s

        error = run_due_pass(qtbot, scheduler).report.error
        assert error is not None
        assert (error.code, error.retry_after_s) == ("busy", 1.0)
        assert load_sync_state(data_dir).last_error_code == "busy"
        assert scheduler.due_at() == clock.monotonic() + 1.0  # the collector's Retry-After
        clock.advance(0.5)
        scheduler.check()
        assert scheduler.passes == 1  # not yet
        clock.advance(0.5)
        assert run_due_pass(qtbot, scheduler).report.error is not None  # still busy
        assert scheduler.schedule.failures == 2
        due = clock.monotonic() + 0.9 * backoff_window(interval, 2)
        assert scheduler.due_at() == due
        vote_as_citizen(qtbot, window, clock, ledger_service)
        assert scheduler.due_at() == due  # a vote does not hurry it while the collector is busy

        # The clerk's "Send now" does not wait for the backoff.
        with qtbot.waitSignal(scheduler.pass_finished, timeout=JOB_TIMEOUT_MS) as blocker:
            assert scheduler.send_now()
        assert blocker.args[0].report.error is None
        assert scheduler.passes == 3
        assert counts(data_dir) == (0, 4)
        assert scheduler.schedule.failures == 0  # the backoff starts over
        assert scheduler.due_at() == clock.monotonic() + interval
    assert proxy.counts == {"pass": 2 + 1, "busy": 10}  # + the campaign, after the pass
    assert held_at_collector(collector, data_dir) == [1, 2, 3, 4]
