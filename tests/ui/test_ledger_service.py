"""The ledger thread: votes are cast off the GUI thread and reported back by signal."""

import pytest
from PySide6.QtCore import Qt, QThread

from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from ui.ledger_service import LedgerService
from wire.keys import load
from wire.vote import Ballot


@pytest.fixture
def service(qtbot, tmp_path):
    svc = LedgerService(tmp_path)
    with qtbot.waitSignal(svc.opened, timeout=10_000):
        svc.start()
    yield svc
    svc.stop()


def test_a_vote_is_saved_on_the_ledger_thread(qtbot, qapp, service, tmp_path):
    threads = []
    # Direct connection: the lambda runs in whichever thread emits, i.e. where cast ran.
    service._worker.saved.connect(
        lambda vote: threads.append(QThread.currentThread()), Qt.ConnectionType.DirectConnection
    )
    with qtbot.waitSignal(service.saved, timeout=10_000) as blocker:
        service.cast(Ballot("3706", 5, story="ดีมาก"))
    vote = blocker.args[0]
    assert vote.seq == 1
    # The worker posts the queued signal before it runs the direct slot: wait for both.
    qtbot.waitUntil(lambda: len(threads) == 1, timeout=10_000)
    assert threads[0] is service._thread  # the commit ran on the ledger thread
    assert threads[0] is not qapp.thread()
    key = load(tmp_path / "device_key.pem")
    with Ledger.open(tmp_path, key) as reader:  # committed: another connection sees it
        assert reader.vote(1) == vote
    assert (tmp_path / LEDGER_FILE_NAME).exists()


def test_a_refused_vote_reports_its_reason(qtbot, service):
    with qtbot.waitSignal(service.save_failed, timeout=10_000) as blocker:
        service.cast(Ballot("9999", 5))
    assert blocker.args[0] == "unknown_district"


def test_a_full_disk_reports_disk_full(qtbot, service):
    with qtbot.waitSignal(service.saved, timeout=10_000):
        service.cast(Ballot("3706", 5))
    ledger = service.ledger
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "the disk is full"
    outcomes: list[str] = []
    service.saved.connect(lambda vote: outcomes.append("saved"))
    service.save_failed.connect(lambda code, message: outcomes.append(code))
    for n in range(1, 40):
        service.cast(Ballot("3706", 4, story="ก" * 500))
        qtbot.waitUntil(lambda n=n: len(outcomes) == n, timeout=10_000)
        if outcomes[-1] != "saved":
            break
    assert outcomes[-1] == "disk_full"
    assert ledger.verify().ok


def test_a_damaged_key_is_reported_not_replaced(qtbot, tmp_path):
    (tmp_path / "device_key.pem").write_text("garbage")
    svc = LedgerService(tmp_path)
    try:
        with qtbot.waitSignal(svc.open_failed, timeout=10_000) as blocker:
            svc.start()
        assert "damaged" in blocker.args[1]
        assert (tmp_path / "device_key.pem").read_text() == "garbage"
    finally:
        svc.stop()
