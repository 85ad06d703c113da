"""Thanks comes only after the ledger committed the vote; Saving fills the moment before."""

from __future__ import annotations

from pathlib import Path

from kiosk.flow import Step
from tests.ui.citizen.helpers import human, stored_votes, to_impression
from ui.app import KioskWindow
from ui.ledger_service import LedgerService


def test_thanks_only_after_the_ledger_saved_the_vote(
    qtbot, kiosk: KioskWindow, clock, data_dir: Path
) -> None:
    to_impression(kiosk, clock)
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000) as saved:
        kiosk.impression.send_button.click()
        # The cast is on the ledger thread; its answer has not been handled yet.
        assert kiosk.flow.step is Step.SAVING
        assert kiosk.current_screen() is kiosk.saving
        assert not kiosk.thanks.isVisible()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    assert kiosk.thanks.isVisible()
    assert kiosk.thanks.title.text() == "ขอบคุณที่ร่วมประเมิน"
    assert kiosk.thanks.slogan.text() == "ทุกข์น้อยลง สุขมากขึ้น"
    assert [v.seq for v in stored_votes(data_dir)] == [saved.args[0].seq]


def test_thanks_returns_to_the_welcome_by_itself(qtbot, kiosk: KioskWindow, clock) -> None:
    to_impression(kiosk, clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    assert kiosk.current_screen() is kiosk.thanks
    clock.advance(kiosk.flow.settings.thanks_s - 1)
    kiosk.tick()
    assert kiosk.current_screen() is kiosk.thanks
    clock.advance(1)
    kiosk.tick()
    assert kiosk.current_screen() is kiosk.welcome


def test_thanks_in_english(qtbot, kiosk: KioskWindow, clock) -> None:
    kiosk.welcome.language_button.click()
    to_impression(kiosk, clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.thanks.title.text() == "Thank you for your feedback")
    assert kiosk.thanks.message.text() == "Your answers have been saved."


def test_a_slow_save_shows_a_calm_saving_message(qtbot, make_kiosk, data_dir: Path, clock) -> None:
    # A ledger service whose thread never started: the vote waits as on a very slow disk.
    stalled = LedgerService(data_dir, clock)
    window = make_kiosk(ledger=stalled)
    to_impression(window, clock)
    window.impression.send_button.click()
    assert window.current_screen() is window.saving
    assert not window.saving.is_revealed()  # a quick save would never show it
    qtbot.waitUntil(window.saving.is_revealed, timeout=3000)
    assert window.saving.message.text() == "กำลังบันทึก…"
    clock.advance(300)
    window.tick()
    assert window.flow.step is Step.SAVING  # however long it takes: no thanks before the commit
    stalled.deleteLater()
