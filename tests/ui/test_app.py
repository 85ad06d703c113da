"""The whole citizen's kiosk, driven as citizens drive it: from the welcome to a vote in the ledger."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.flow import Step
from tests.ui.citizen.helpers import STORY_TH, focused, human, shown_buttons, stored_votes, type_on
from ui.app import KioskWindow
from ui.fonts import FONT_FAMILY
from ui.widgets.buttons import TouchButton
from ui.widgets.sizes import TOUCH_MIN_MM
from wire.vote import Target

STORY_EN = "Kind and quick, thank you"


@pytest.mark.parametrize(
    ("language", "story"),
    [("th", STORY_TH), ("en", STORY_EN)],
)
def test_a_vote_from_welcome_to_the_ledger(
    qtbot, kiosk: KioskWindow, clock, data_dir: Path, language: str, story: str
) -> None:
    if language == "en":
        kiosk.welcome.language_button.click()
        qtbot.waitUntil(lambda: kiosk.welcome.start_button.text() == "Tap to rate our service")
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[4].click()
    human(clock)
    kiosk.target.service_chips["birth"].click()
    kiosk.target.staff_cards[2].click()
    human(clock)
    kiosk.impression.tag_chips["polite"].click()
    kiosk.impression.tag_chips["clear-steps"].click()
    kiosk.impression.write_button.click()
    if language == "en":
        assert kiosk.impression.keyboard.keyboard_language() == "en"
    type_on(kiosk.impression.keyboard, story)
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000) as saved:
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)

    (vote,) = stored_votes(data_dir)
    assert vote == saved.args[0]
    ballot = vote.ballot
    assert ballot.rating == 4
    assert ballot.target == Target("staff", "s03")
    assert ballot.service == "birth"
    assert ballot.tags == ("clear-steps", "polite")
    assert ballot.story == story
    assert ballot.lang == language
    assert not ballot.burst


def test_a_vote_with_the_keyboard_alone(qtbot, kiosk: KioskWindow, clock, data_dir: Path) -> None:
    """Tab, Right and Return only: an accessibility switch can drive the whole kiosk."""

    def press(key: Qt.Key) -> None:
        widget = focused()
        assert widget is not None
        QTest.keyClick(widget, key)

    def tab_to(target: object) -> None:
        for _ in range(80):
            if focused() is target:
                return
            press(Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {target!r}")

    assert focused() is kiosk.welcome.start_button
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.RATING)
    human(clock)
    assert focused() is kiosk.rating.faces[5]
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Return)  # 4
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.TARGET)
    human(clock)
    assert focused() is kiosk.target.staff_cards[0]
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Return)  # the second staff member
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.IMPRESSION)
    human(clock)
    press(Qt.Key.Key_Return)  # the first tag
    qtbot.waitUntil(lambda: kiosk.flow.session.tags == {"convenient"})
    tab_to(kiosk.impression.send_button)
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    (vote,) = stored_votes(data_dir)
    assert (vote.ballot.rating, vote.ballot.target, vote.ballot.tags) == (
        4,
        Target("staff", "s02"),
        ("convenient",),
    )


def _question_px(window: KioskWindow) -> int:
    return QFontInfo(window.rating.title.font()).pixelSize()


def test_large_text_and_high_contrast_toggle_and_reset_for_the_next_citizen(
    qtbot, kiosk: KioskWindow, clock
) -> None:
    kiosk.welcome.start_button.click()
    normal = _question_px(kiosk)
    word_px = QFontInfo(kiosk.rating.faces[5].font()).pixelSize()
    background = kiosk.rating.grab().toImage().pixelColor(5, 5)
    assert background == QColor("#FBF6EC")

    kiosk.rating.bar.large_text_button.click()
    assert kiosk.rating.bar.large_text_button.is_on()
    assert _question_px(kiosk) >= normal * 1.2
    assert QFontInfo(kiosk.rating.faces[5].font()).pixelSize() > word_px
    kiosk.rating.bar.high_contrast_button.click()
    image = kiosk.rating.grab().toImage()
    assert image.pixelColor(5, 5) == QColor("#000000")
    title = kiosk.rating.title
    assert title.palette().color(title.foregroundRole()) == QColor("#FFFFFF")

    # Thai marks above and below are not cut: once laid out again, every label is as tall as
    # its wrapped lines need.
    def cut() -> list[str]:
        return [
            label.objectName()
            for label in kiosk.rating.findChildren(QLabel)
            if label.isVisible()
            and label.wordWrap()
            and label.height() < label.heightForWidth(label.width())
        ]

    qtbot.waitUntil(lambda: cut() == [])

    human(clock)
    kiosk.rating.faces[5].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    assert kiosk.property("largeText") is True
    assert kiosk.property("highContrast") is True
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    clock.advance(kiosk.flow.settings.thanks_s + kiosk.flow.settings.cooldown_s)
    kiosk.tick()

    assert kiosk.current_screen() is kiosk.welcome
    assert kiosk.property("largeText") is False
    assert kiosk.property("highContrast") is False
    assert not kiosk.welcome.bar.large_text_button.is_on()
    kiosk.welcome.start_button.click()
    assert _question_px(kiosk) == normal
    assert kiosk.rating.grab().toImage().pixelColor(5, 5) == QColor("#FBF6EC")


def test_the_language_resets_for_the_next_citizen(qtbot, kiosk: KioskWindow, clock) -> None:
    kiosk.welcome.language_button.click()
    qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[3].click()
    clock.advance(kiosk.flow.settings.idle_timeout_s + kiosk.flow.settings.still_there_s)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.tick()
    qtbot.waitUntil(lambda: kiosk.switcher.language == "th")
    qtbot.waitUntil(lambda: kiosk.welcome.start_button.text() == "แตะเพื่อประเมินความพึงพอใจ")


def _walk_every_screen(qtbot, kiosk: KioskWindow, clock):
    """Yield each citizen screen with the kiosk showing it."""
    yield kiosk.welcome
    kiosk.welcome.start_button.click()
    yield kiosk.rating
    human(clock)
    kiosk.rating.faces[5].click()
    yield kiosk.target
    human(clock)
    kiosk.target.staff_cards[0].click()
    yield kiosk.impression
    kiosk.impression.write_button.click()
    yield kiosk.impression
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    yield kiosk.thanks


def test_every_control_everywhere_is_named_big_enough_and_in_sarabun(
    qtbot, kiosk: KioskWindow, clock
) -> None:
    px_per_mm = kiosk.screen().physicalDotsPerInch() / 25.4
    for screen in _walk_every_screen(qtbot, kiosk, clock):
        assert kiosk.current_screen() is screen
        buttons = shown_buttons(screen)
        assert buttons, screen.objectName()
        for button in buttons:
            name = f"{screen.objectName()}/{button.objectName()}"
            assert button.accessibleName().strip(), name
            assert button.height() >= TOUCH_MIN_MM * px_per_mm, name
            assert button.width() >= TOUCH_MIN_MM * px_per_mm, name
        for label in screen.findChildren(QLabel):
            if label.isVisible():
                assert label.accessibleName().strip() or not label.text(), label.objectName()
                assert QFontInfo(label.font()).family() == FONT_FAMILY, label.objectName()
        # Every screen of the flow has the speaker, the language switch and the display toggles.
        bar = screen.bar
        assert {b.objectName() for b in bar.buttons() if b.isVisible()} == {
            "speakerButton",
            "languageButton",
            "largeTextButton",
            "highContrastButton",
        }


def test_keyboard_focus_shows_a_thick_outline_touch_does_not(qtbot, kiosk: KioskWindow) -> None:
    button = kiosk.welcome.start_button
    assert button.hasFocus()

    def edge(widget: TouchButton) -> QColor:
        image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        return image.pixelColor(2, image.height() // 2)

    before = edge(button)
    QTest.keyClick(button, Qt.Key.Key_Tab)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    assert button.hasFocus()
    qtbot.waitUntil(lambda: edge(button) == QColor("#2A2723"))
    assert before != QColor("#2A2723")
    QTest.mouseClick(kiosk.welcome.bar.large_text_button, Qt.MouseButton.LeftButton)
    assert kiosk.property("keyboardUse") is False  # a finger again: no outline
