"""Sync passes and the background worker, against a real collector."""

from __future__ import annotations

import random
import shutil
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from kiosk.syncstate import archived_receipts, load_sync_state
from sync.schedule import PassSchedule
from sync.uploader import Uploader
from sync.worker import SyncService, SyncStatus, SyncWorker
from tests.collector_server import RunningCollector, serve_collector
from tests.fakes import FakeClock
from tests.faultproxy import FaultProxy
from tests.kiosks import ingest
from wire import keys
from wire.keys import public_key_from_raw
from wire.receipt import check_receipt


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


def pinned(collector: RunningCollector):
    return public_key_from_raw(bytes.fromhex(collector.collector_key_hex))


def no_wait(seconds: float) -> bool:
    return False


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def kiosk(make_kiosk, collector):
    k = make_kiosk()
    collector.store.enroll(collector.store.issue_token("3706"), k.key.public_key_raw.hex())
    return k


@pytest.fixture
def service(kiosk, collector) -> Iterator[SyncService]:
    with Uploader(collector.url, pinned(collector), wait=no_wait) as up:
        yield SyncService(kiosk.ledger, up, kiosk.data_dir, batch_size=500)


def delivery_rows(ledger: Ledger) -> list[tuple[int, str]]:
    conn = sqlite3.connect(f"file:{ledger.path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT seq, receipt FROM delivery ORDER BY seq").fetchall()
    finally:
        conn.close()


# --- one pass -------------------------------------------------------------------------------


def test_a_pass_sends_everything_in_batches_and_marks_it_delivered(kiosk, service, collector):
    kiosk.cast(1234)
    report = service.sync_once()
    assert report.ok
    assert (report.batches, report.sent, report.delivered) == (3, 1234, 1234)
    counts = kiosk.ledger.counts()
    assert (counts.delivered, counts.pending) == (1234, 0)
    assert collector.store.total_votes() == 1234
    state = load_sync_state(kiosk.data_dir)
    assert state.last_success == "2026-11-24T03:00:00.000Z"
    assert state.last_error_code is None


def test_every_delivery_mark_names_an_archived_receipt_that_verifies(kiosk, service, collector):
    kiosk.cast(700)
    service.sync_once()
    archived = archived_receipts(kiosk.data_dir)
    rows = delivery_rows(kiosk.ledger)
    assert len(rows) == 700
    assert {r for _, r in rows} == set(archived)
    for data in archived.values():
        assert check_receipt(data, pinned(collector), kiosk.key.kiosk_id).ok


def test_a_second_pass_sends_nothing(kiosk, service, collector):
    kiosk.cast(20)
    service.sync_once()
    again = service.sync_once()
    assert again.ok
    assert (again.batches, again.sent) == (0, 0)
    assert collector.store.total_votes() == 20


def test_votes_cast_after_a_pass_go_in_the_next(kiosk, service, collector):
    kiosk.cast(5)
    service.sync_once()
    kiosk.cast(3, seed=2)
    report = service.sync_once()
    assert (report.batches, report.sent) == (1, 3)
    assert kiosk.ledger.counts().delivered == 8
    assert collector.store.total_votes() == 8


def test_votes_delivered_in_the_middle_split_the_batches(kiosk, service, collector):
    kiosk.cast(10)
    # As if votes 4-6 had gone on a USB stick, been imported, and their receipt had come back.
    ingest(collector.store, kiosk.batch(first=4, limit=3), "usb")
    kiosk.ledger.mark_delivered([(4, 6)], "test")
    report = service.sync_once()
    assert report.batches == 2
    assert report.sent == 7
    assert kiosk.ledger.counts().delivered == 10
    assert collector.store.total_votes() == 10


def test_delivered_votes_the_collector_lacks_are_sent_again_in_the_same_pass(
    kiosk, service, collector
):
    """A collector restored from a backup lacks delivered votes 4-6: the receipt for 1-3 lists
    them as missing, and the same pass sends them again; nothing is counted twice."""
    kiosk.cast(10)
    kiosk.ledger.mark_delivered([(4, 6)], "test")
    report = service.sync_once()
    assert report.ok
    assert (report.batches, report.sent, report.delivered) == (3, 10, 7)
    assert collector.store.total_votes() == 10
    assert collector.store.kiosk_status(kiosk.key.kiosk_id).missing == []
    assert service.status().resend == 0
    again = service.sync_once()
    assert (again.batches, again.sent) == (0, 0)


# --- checking in: an idle kiosk asks the collector what it is missing --------------------------


def replays(collector: RunningCollector, kiosk) -> tuple[int, str | None]:
    """The batches that brought the collector nothing new from this kiosk, and its last_seen."""
    found = collector.store.kiosk_status(kiosk.key.kiosk_id)
    return found.replays, found.last_seen


def test_an_idle_kiosk_checks_in_a_day_after_the_last_receipt(kiosk, service, collector):
    """Nothing to send: no request for a day after the last receipt; then the newest vote
    alone, which the collector acknowledges without storing it again or calling the kiosk
    alive (last_seen stays)."""
    kiosk.cast(20)
    assert service.sync_once().sent == 20
    quiet_since, seen = replays(collector, kiosk)
    clock = kiosk.ledger.clock
    assert isinstance(clock, FakeClock)

    clock.advance(23 * 3600)
    quiet = service.sync_once()
    assert quiet.ok
    assert not quiet.checked
    assert not quiet.answered
    assert replays(collector, kiosk) == (quiet_since, seen)  # no request at all

    clock.advance(3600)
    day = service.sync_once()
    assert day.ok
    assert day.checked
    assert day.gaps == 0
    assert (day.batches, day.sent, day.delivered) == (0, 0, 0)  # a check is not a sending
    assert replays(collector, kiosk) == (quiet_since + 1, seen)
    assert collector.store.total_votes() == 20

    clock.advance(3600)  # the next day is counted from this check's receipt
    assert not service.sync_once().checked
    assert replays(collector, kiosk) == (quiet_since + 1, seen)


def test_a_pass_someone_asked_for_checks_in_and_one_with_votes_to_send_does_not(
    kiosk, service, collector
):
    kiosk.cast(5)
    first = service.sync_once(check=True)  # the votes' receipt tells the gaps: no check
    assert (first.sent, first.checked) == (5, False)
    asked = service.sync_once(check=True)
    assert asked.checked
    assert asked.gaps == 0
    assert asked.batches == 0
    assert not service.sync_once(check=False).checked
    assert collector.store.total_votes() == 5


def test_a_kiosk_that_never_delivered_a_vote_has_nothing_to_check(kiosk, service, collector):
    report = service.sync_once(check=True)
    assert report.ok
    assert not report.checked
    assert not report.answered
    assert collector.store.total_votes() == 0
    assert load_sync_state(kiosk.data_dir).last_receipt is None


def test_a_clock_set_back_does_not_silence_the_check_in(kiosk, service, collector):
    kiosk.cast(3)
    service.sync_once()
    clock = kiosk.ledger.clock
    assert isinstance(clock, FakeClock)
    assert not service.check_due()
    clock.set_wall(clock.now().replace(year=clock.now().year - 1))  # a dead battery
    assert service.check_due()
    assert service.sync_once().checked


def test_a_damaged_receipt_time_means_a_check_is_due(kiosk, service, collector):
    kiosk.cast(3)
    service.sync_once()
    state_file = kiosk.data_dir / "sync-state.json"
    state_file.write_text(state_file.read_text().replace('"last_receipt": "', '"last_receipt": "x'))
    assert service.check_due()


def test_a_check_in_finds_the_votes_a_restored_collector_lost(kiosk, service, collector):
    """The collector lost votes 8-10 (restored from a backup): nothing is pending, so only the
    check-in's receipt can tell; 8-9 go in the same pass and 10 with the check itself."""
    kiosk.cast(10)
    ingest(collector.store, kiosk.batch(first=1, limit=7), "http")
    kiosk.ledger.mark_delivered([(1, 10)], "test")
    report = service.sync_once(check=True)
    assert report.ok
    assert report.checked
    assert report.gaps == 2
    assert (report.batches, report.sent, report.resent) == (1, 2, 2)
    assert collector.store.total_votes() == 10
    assert collector.store.kiosk_status(kiosk.key.kiosk_id).missing == []
    assert service.status().resend == 0


def test_a_receipt_from_another_key_marks_nothing(kiosk, collector):
    kiosk.cast(10)
    impostor = Ed25519PrivateKey.generate().public_key()
    with Uploader(collector.url, impostor, wait=no_wait) as up:
        report = SyncService(kiosk.ledger, up, kiosk.data_dir).sync_once()
    assert report.error is not None
    assert report.error.code == "bad_receipt"
    assert kiosk.ledger.counts().delivered == 0
    assert archived_receipts(kiosk.data_dir) == {}
    state = load_sync_state(kiosk.data_dir)
    assert state.last_error_code == "bad_receipt"
    assert state.last_success is None


def test_a_revoked_kiosk_gets_a_clear_error_and_nothing_is_delivered(kiosk, service, collector):
    kiosk.cast(10)
    collector.store.revoke(kiosk.key.kiosk_id)
    report = service.sync_once()
    assert report.error is not None
    assert report.error.code == "refused"
    assert "revoked by the central office" in report.error.message
    assert kiosk.ledger.counts().delivered == 0
    status = service.status()
    assert (status.pending, status.delivered) == (10, 0)
    assert status.last_error_code == "refused"
    assert status.last_error_message == report.error.message


def test_an_unreachable_collector_keeps_the_votes_pending(kiosk):
    kiosk.cast(10)
    with Uploader(closed_port_url(), public_key_from_raw(b"\1" * 32), wait=no_wait) as up:
        service = SyncService(kiosk.ledger, up, kiosk.data_dir)
        report = service.sync_once()
    assert report.error is not None
    assert report.error.code == "unreachable"
    status = service.status()
    assert (status.pending, status.delivered) == (10, 0)
    assert status.last_error_message is not None
    assert status.last_error_message.startswith(
        "The collector could not be reached: check the internet connection"
    )


def test_an_error_is_cleared_by_the_next_success(kiosk, service, collector):
    kiosk.cast(3)
    with Uploader(closed_port_url(), pinned(collector), wait=no_wait) as up:
        SyncService(kiosk.ledger, up, kiosk.data_dir).sync_once()
    assert load_sync_state(kiosk.data_dir).last_error_code == "unreachable"
    assert service.sync_once().ok
    state = load_sync_state(kiosk.data_dir)
    assert state.last_error_code is None
    assert state.last_success is not None


def test_votes_the_collector_holds_with_other_bytes_stay_undelivered(
    tmp_path, kiosk, service, collector
):
    # A second ledger under the same key (a restored backup gone wrong) casts other votes 1-5.
    twin_dir = tmp_path / "twin"
    twin_dir.mkdir()
    shutil.copy(kiosk.key.path, twin_dir / keys.KEY_FILE_NAME)
    twin_key = keys.load(twin_dir / keys.KEY_FILE_NAME)
    with Ledger.open(twin_dir, twin_key, FakeClock()) as twin:
        rng = random.Random(99)
        twin.cast_many([random_ballot(rng, "3706") for _ in range(5)])
        with Uploader(collector.url, pinned(collector), wait=no_wait) as up:
            assert SyncService(twin, up, twin_dir).sync_once().ok
    kiosk.cast(8)
    report = service.sync_once()
    assert report.error is not None
    assert report.error.code == "conflict"
    # 1-5 are held with other bytes, 6 does not chain onto the held 5, and 7-8 continue the
    # quarantined branch: all are quarantined and none is marked delivered.
    assert "votes 1-8 of this kiosk" in report.error.message
    assert len(collector.store.quarantined()) == 8
    assert delivery_rows(kiosk.ledger) == []
    assert kiosk.ledger.counts().pending == 8


# --- the background worker ------------------------------------------------------------------


class StatusLog:
    """Collects statuses from the worker thread and lets a test wait for a finished pass."""

    def __init__(self) -> None:
        self.statuses: list[SyncStatus] = []
        self._cond = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._cond:
            self.statuses.append(status)
            self._cond.notify_all()

    def finished_passes(self) -> int:
        return sum(1 for s in self.statuses if not s.running)

    def wait_for_passes(self, n: int, timeout: float = 30) -> SyncStatus:
        with self._cond:
            assert self._cond.wait_for(lambda: self.finished_passes() >= n, timeout), self.statuses
            return [s for s in self.statuses if not s.running][n - 1]


def test_the_worker_syncs_at_start_and_on_demand_then_stops(kiosk, service, collector):
    kiosk.cast(30)
    log = StatusLog()
    worker = SyncWorker(service, interval_s=3600, on_status=log)
    worker.start()
    try:
        first = log.wait_for_passes(1)
        assert (first.pending, first.delivered) == (0, 30)
        assert first.last_success is not None
        kiosk.cast(4, seed=3)
        worker.sync_now()
        second = log.wait_for_passes(2)
        assert (second.pending, second.delivered) == (0, 34)
        assert any(s.running for s in log.statuses)
    finally:
        assert worker.stop(timeout=10)
    assert not worker.alive
    assert worker.status().running is False
    assert collector.store.total_votes() == 34


def test_stop_ends_a_wait_between_retries_at_once(kiosk):
    kiosk.cast(3)
    entered = threading.Event()
    made: list[Uploader] = []

    def wait(seconds: float) -> bool:
        entered.set()
        return made[0].cancelled.wait(seconds)  # the real wait: ends when cancelled

    up = Uploader(
        closed_port_url(), public_key_from_raw(b"\1" * 32), retries=5, backoff_factor=600, wait=wait
    )
    made.append(up)
    log = StatusLog()
    with up:
        worker = SyncWorker(SyncService(kiosk.ledger, up, kiosk.data_dir), 3600, on_status=log)
        worker.start()
        assert entered.wait(30)
        assert worker.status().running
        assert worker.stop(timeout=10)
    assert log.statuses[-1].running is False
    assert kiosk.ledger.counts().pending == 3


def test_a_busy_collector_is_asked_again_only_after_its_retry_after(kiosk, collector):
    """The real collector behind the fault proxy, answering the first tries 503 Retry-After: 1.

    The worker's clock is the kiosk's fake one: the next pass starts when that clock reaches
    the schedule's due time, so the test decides when time passes.
    """
    kiosk.cast(6)
    clock = kiosk.ledger.clock
    assert isinstance(clock, FakeClock)
    # Five tries per pass (the uploader's four retries, waits faked), all busy; then through.
    with (
        FaultProxy(collector.port, lambda n: "busy" if n < 5 else "pass") as proxy,
        Uploader(proxy.url, pinned(collector), wait=no_wait) as up,
    ):
        service = SyncService(kiosk.ledger, up, kiosk.data_dir)
        # Draws: 0.0 for the backoff after the busy pass (it could come at once), then
        # 0.5 for the interval after the pass that went through.
        draws = iter([0.0, 0.5])
        schedule = PassSchedule(3600, clock.monotonic(), rng=lambda: next(draws))
        log = StatusLog()
        worker = SyncWorker(service, 3600, on_status=log, schedule=schedule)
        worker.start()
        try:
            first = log.wait_for_passes(1)
            assert first.last_error_code == "busy"
            assert proxy.counts["busy"] == 5
            # Not before the collector's Retry-After, though the backoff drew 0 s.
            assert schedule.failures == 1
            assert schedule.retry_after_s == 1.0
            assert schedule.due() == clock.monotonic() + 1.0
            clock.advance(1.0)  # the second pass starts on its own once it is due
            second = log.wait_for_passes(2)
        finally:
            assert worker.stop(timeout=10)
    assert second.last_error_code is None
    assert (second.pending, second.delivered) == (0, 6)
    assert proxy.counts == {"busy": 5, "pass": 1}
    assert schedule.failures == 0  # reset by the pass that went through
    assert schedule.due() == clock.monotonic() + 3600
    assert collector.store.total_votes() == 6


def test_sync_now_does_not_wait_for_the_backoff(kiosk, collector):
    kiosk.cast(4)
    clock = kiosk.ledger.clock
    with (
        FaultProxy(collector.port, lambda n: "refuse" if n < 5 else "pass") as proxy,
        Uploader(proxy.url, pinned(collector), wait=no_wait) as up,
    ):
        service = SyncService(kiosk.ledger, up, kiosk.data_dir)
        schedule = PassSchedule(3600, clock.monotonic(), rng=lambda: 0.9)
        log = StatusLog()
        worker = SyncWorker(service, 3600, on_status=log, schedule=schedule)
        worker.start()
        try:
            assert log.wait_for_passes(1).last_error_code == "unreachable"
            assert schedule.due() == clock.monotonic() + 0.9 * 3600  # the backoff
            worker.sync_now()  # the fake clock never moves: only this starts a pass
            second = log.wait_for_passes(2)
        finally:
            assert worker.stop(timeout=10)
    assert second.last_error_code is None
    assert (second.pending, second.delivered) == (0, 4)
    assert proxy.counts == {"refuse": 5, "pass": 1}


def test_a_worker_stopped_before_it_starts_is_fine(kiosk, service):
    worker = SyncWorker(service, 3600)
    assert worker.stop(timeout=1)


def test_a_failing_status_callback_does_not_kill_the_worker(kiosk, service):
    kiosk.cast(2)
    done = threading.Event()
    calls: list[SyncStatus] = []

    def callback(status: SyncStatus) -> None:
        calls.append(status)
        if len(calls) >= 2:
            done.set()
        raise RuntimeError("a bug in the UI")

    worker = SyncWorker(service, 3600, on_status=callback)
    worker.start()
    try:
        assert done.wait(30)
        worker.sync_now()
    finally:
        assert worker.stop(timeout=10)
    assert kiosk.ledger.counts().delivered == 2


def test_a_damaged_sync_state_file_reads_as_never_synced_and_is_replaced(kiosk, service):
    (kiosk.data_dir / "sync-state.json").write_text("{half a file")
    assert service.status().last_success is None
    kiosk.cast(1)
    assert service.sync_once().ok
    assert load_sync_state(kiosk.data_dir).last_success is not None
    assert sorted(p.name for p in kiosk.data_dir.glob("sync-state*")) == ["sync-state.json"]
