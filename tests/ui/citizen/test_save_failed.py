"""A vote the ledger cannot keep: a calm screen that never says it was saved, and "try again"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.flow import Step
from tests.ui.citizen.helpers import human, shown_buttons, stored_votes, to_impression
from ui.app import KioskWindow
from ui.ledger_service import LedgerService
from wire.vote import Ballot

SORRY_TH = "ขออภัย ระบบไม่สามารถบันทึกความเห็นของท่านได้ในขณะนี้"
TELL_STAFF_TH = "กรุณาแจ้งเจ้าหน้าที่"


def fill_the_disk(qtbot, service: LedgerService) -> int:
    """Make SQLite's file full (max_page_count, its own "disk full"); return the votes kept."""
    ledger = service.ledger
    assert ledger is not None
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")
    outcomes: list[str] = []
    service.saved.connect(lambda vote: outcomes.append("saved"))
    service.save_failed.connect(lambda code, message: outcomes.append(code))
    for n in range(1, 60):
        service.cast(Ballot("3706", 4, story="ก" * 500))
        qtbot.waitUntil(lambda n=n: len(outcomes) == n, timeout=10_000)
        if outcomes[-1] != "saved":
            break
    assert outcomes[-1] == "disk_full"
    return ledger.counts().total


def all_text(window: KioskWindow) -> str:
    """Return every text the current screen shows."""
    screen = window.current_screen()
    labels = [label.text() for label in screen.findChildren(QLabel) if label.isVisible()]
    buttons = [button.text() for button in shown_buttons(screen)]
    return " ".join(labels + buttons)


@pytest.fixture
def failed(qtbot, kiosk: KioskWindow, clock, ledger_service: LedgerService) -> KioskWindow:
    """The kiosk after a vote met a full disk."""
    kept = fill_the_disk(qtbot, ledger_service)
    to_impression(kiosk, clock, rating=2)
    human(clock)
    kiosk.impression.tag_chips["fast"].click()
    with qtbot.waitSignal(ledger_service.save_failed, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.save_failed)
    assert ledger_service.ledger is not None
    assert ledger_service.ledger.counts().total == kept
    return kiosk


def test_a_full_disk_shows_the_calm_screen_and_claims_nothing(
    failed: KioskWindow, data_dir: Path
) -> None:
    screen = failed.save_failed
    assert failed.flow.step is Step.SAVE_FAILED
    assert screen.title.text() == SORRY_TH
    assert screen.message.text() == TELL_STAFF_TH
    assert screen.retry_button.text() == "ลองอีกครั้ง"
    assert "disk_full" in screen.code.text()  # for the clerk; the log has the details
    shown = all_text(failed)
    assert "ขอบคุณ" not in shown  # no thanks
    assert "บันทึกความเห็นของท่านเรียบร้อยแล้ว" not in shown  # never "saved"
    assert not failed.thanks.isVisible()
    assert all(vote.ballot.rating != 2 for vote in stored_votes(data_dir))


def test_the_failure_in_english(qtbot, failed: KioskWindow) -> None:
    failed.save_failed.bar.language_button.click()
    qtbot.waitUntil(
        lambda: (
            failed.save_failed.title.text() == "Sorry, your feedback could not be saved just now."
        )
    )
    assert failed.save_failed.message.text() == "Please tell a member of staff."
    assert failed.save_failed.retry_button.text() == "Try again"


def test_try_again_saves_the_same_vote_once_there_is_room(
    qtbot, failed: KioskWindow, ledger_service: LedgerService, data_dir: Path
) -> None:
    assert ledger_service.ledger is not None
    ledger_service.ledger.db.execute("PRAGMA max_page_count = 1000000")  # the clerk made room
    with qtbot.waitSignal(ledger_service.saved, timeout=10_000) as saved:
        failed.save_failed.retry_button.click()
    qtbot.waitUntil(lambda: failed.current_screen() is failed.thanks)
    vote = stored_votes(data_dir)[-1]
    assert vote == saved.args[0]
    assert (vote.ballot.rating, vote.ballot.tags) == (2, ("fast",))
    assert ledger_service.ledger.verify().ok


def test_the_failure_screen_goes_back_to_the_welcome_by_itself(failed: KioskWindow, clock) -> None:
    clock.advance(failed.flow.settings.save_failed_s)
    failed.tick()
    assert failed.current_screen() is failed.welcome
    assert failed.flow.session.rating is None


def test_without_a_ledger_a_vote_is_never_called_saved(make_kiosk, clock) -> None:
    window = make_kiosk(ledger=None)
    to_impression(window, clock)
    window.impression.send_button.click()
    assert window.current_screen() is window.save_failed
    assert "not_open" in window.save_failed.code.text()
