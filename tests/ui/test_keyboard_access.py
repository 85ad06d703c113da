"""Switch and keyboard access: a whole vote with Tab, the arrows, Enter and Space, and focus always seen.

An accessibility switch sends Tab (or an arrow) to move and Enter or Space to press. Every key
here goes to the widget that has focus, as a switch's would; nothing is clicked. On arrival on
each screen focus must be on its first choice, and the focused control must show a thick
outline: compared with the same control unfocused, a band at least FOCUS_BAND_PX deep along
every side changes by at least 3:1 (WCAG 2.2 2.4.13, focus appearance), in both styles.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.flow import Step
from tests.ui.accessibility import contrast, settle
from tests.ui.citizen.helpers import focused, human, stored_votes
from ui.app import KioskWindow
from ui.widgets.keyboard import KeyButton
from wire.vote import Target

FOCUS_BAND_PX = 3  # the least depth of the outline (WCAG asks the area of a 2 px perimeter)
FOCUS_CHANGE = 3.0  # the least contrast between a pixel focused and unfocused


def press(key: Qt.Key, times: int = 1) -> None:
    """Send a key to the widget with focus, as a switch or a keyboard would."""
    for _ in range(times):
        widget = focused()
        assert widget is not None, "nothing has focus"
        QTest.keyClick(widget, key)


def tab_to(target: QWidget, key: Qt.Key = Qt.Key.Key_Tab) -> int:
    """Press Tab (or Backtab) until target has focus; return how many presses it took."""
    for count in range(120):
        if focused() is target:
            return count
        press(key)
    raise AssertionError(f"{key.name} never reached {target.objectName()}")


def band_depth(before: QImage, after: QImage, start: QPoint, step: QPoint, most: int) -> int:
    """Return how many pixels from start, going by step, changed by at least FOCUS_CHANGE."""
    depth = 0
    point = QPoint(start)
    for _ in range(most):
        if contrast(before.pixelColor(point), after.pixelColor(point)) >= FOCUS_CHANGE:
            depth += 1
        point += step
    return depth


def outline_depths(window: KioskWindow, widget: QWidget) -> dict[str, int]:
    """Return, for each side of the focused widget, how deep its focus outline is."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    after = window.grab(rect).toImage()
    widget.clearFocus()
    settle()
    before = window.grab(rect).toImage()
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    w, h = rect.width(), rect.height()
    most = min(12, w // 3, h // 3)
    return {
        "left": band_depth(before, after, QPoint(0, h // 2), QPoint(1, 0), most),
        "right": band_depth(before, after, QPoint(w - 1, h // 2), QPoint(-1, 0), most),
        "top": band_depth(before, after, QPoint(w // 2, 0), QPoint(0, 1), most),
        "bottom": band_depth(before, after, QPoint(w // 2, h - 1), QPoint(0, -1), most),
    }


def assert_focus_seen(window: KioskWindow) -> None:
    """The control with focus shows a thick outline on every side."""
    widget = QApplication.focusWidget()
    assert widget is not None
    assert widget.window() is window
    assert window.property("keyboardUse") is True
    depths = outline_depths(window, widget)
    assert min(depths.values()) >= FOCUS_BAND_PX, (widget.objectName(), depths)


@pytest.mark.parametrize("high_contrast", [False, True], ids=["normal", "high contrast"])
def test_a_whole_vote_with_tab_arrows_enter_and_space(
    qtbot, kiosk: KioskWindow, clock, data_dir: Path, high_contrast: bool
) -> None:
    if high_contrast:
        assert focused() is kiosk.welcome.start_button
        tab_to(kiosk.welcome.bar.high_contrast_button)
        press(Qt.Key.Key_Space)
        assert kiosk.property("highContrast") is True
        tab_to(kiosk.welcome.start_button)
    # Welcome: focus is on the big button; a switch's first press is enough.
    assert focused() is kiosk.welcome.start_button
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Backtab)
    assert focused() is kiosk.welcome.start_button
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Space)
    assert kiosk.flow.step is Step.RATING
    human(clock)

    # Rating: focus on the first face (most satisfied); Right twice is "fair".
    assert focused() is kiosk.rating.faces[5]
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Right, 2)
    assert focused() is kiosk.rating.faces[3]
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Return)  # Enter "presses" the button, as a visible click (animateClick)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.TARGET)
    human(clock)

    # Who served you: the first card; a service by Tab and Space; the card below by Down.
    target = kiosk.target
    assert focused() is target.staff_cards[0]
    assert_focus_seen(kiosk)
    tab_to(target.service_chips["birth"])
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Space)
    assert kiosk.flow.session.service == "birth"
    tab_to(target.staff_cards[0], Qt.Key.Key_Backtab)
    press(Qt.Key.Key_Down)
    below = focused()
    assert isinstance(below, type(target.staff_cards[0]))
    assert below is not target.staff_cards[0]
    assert below.mapToGlobal(QPoint(0, 0)).y() > target.staff_cards[0].mapToGlobal(QPoint(0, 0)).y()
    assert_focus_seen(kiosk)
    chosen = below.target
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.IMPRESSION)
    human(clock)

    # What impressed you: the first tag; Right and Space tick the second; Enter the first.
    impression = kiosk.impression
    tags = list(impression.tag_chips)
    assert focused() is impression.tag_chips[tags[0]]
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.flow.session.tags == {tags[0]})
    press(Qt.Key.Key_Right)
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Space)
    assert kiosk.flow.session.tags == {tags[0], tags[1]}

    # The story: Enter on the box opens the keyboard with focus on its first key; arrows
    # move among the keys and Enter types.
    tab_to(impression.write_button)
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(impression.story_is_open)
    first_key = impression.keyboard.key_buttons()[0]
    assert focused() is first_key
    assert_focus_seen(kiosk)
    typed = ""
    for moves in ((Qt.Key.Key_Down, 2), (Qt.Key.Key_Right, 3)):
        press(*moves)
        key = focused()
        assert isinstance(key, KeyButton)
        assert_focus_seen(kiosk)
        typed += key.accessibleName()
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: kiosk.flow.session.story == typed)  # noqa: B023 (waited at once)
    assert len(typed) == 2

    # Send, reached by Tab; the vote is in the ledger before the thanks.
    tab_to(impression.send_button)
    assert_focus_seen(kiosk)
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    (vote,) = stored_votes(data_dir)
    ballot = vote.ballot
    assert ballot.rating == 3
    assert ballot.target == chosen
    assert isinstance(chosen, Target)
    assert ballot.service == "birth"
    assert set(ballot.tags) == {tags[0], tags[1]}
    assert ballot.story == typed
    assert not ballot.burst


def test_focus_starts_on_the_first_choice_of_every_screen(qtbot, kiosk: KioskWindow, clock) -> None:
    def enter_to(step: Step) -> None:
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: kiosk.flow.step is step)

    assert focused() is kiosk.welcome.start_button
    enter_to(Step.RATING)
    assert focused() is kiosk.rating.faces[5]
    human(clock)
    enter_to(Step.TARGET)
    assert focused() is kiosk.target.cards()[0]
    tab_to(kiosk.target.back_button)
    enter_to(Step.RATING)  # back to the faces: focus is on the first face again
    assert focused() is kiosk.rating.faces[5]
    assert kiosk.rating.faces[5].is_chosen()
    assert_focus_seen(kiosk)  # seen on a face drawn as chosen too
    human(clock)
    enter_to(Step.TARGET)
    human(clock)
    enter_to(Step.IMPRESSION)
    assert focused() is next(iter(kiosk.impression.tag_chips.values()))
    # "Still there?" takes focus on its button, and gives it back to the question.
    clock.advance(kiosk.flow.settings.idle_timeout_s)
    kiosk.tick()
    assert focused() is kiosk.still_there.button
    assert_focus_seen(kiosk)
    press(Qt.Key.Key_Space)
    assert not kiosk.still_there.isVisible()
    assert focused() is next(iter(kiosk.impression.tag_chips.values()))


def test_a_tap_hides_the_outline_and_a_press_brings_it_back(qtbot, kiosk: KioskWindow) -> None:
    press(Qt.Key.Key_Tab)
    assert kiosk.property("keyboardUse") is True
    QTest.mouseClick(kiosk.welcome.bar.large_text_button, Qt.MouseButton.LeftButton)
    assert kiosk.property("keyboardUse") is False  # a finger: no outline on a pre-focused face
    kiosk.welcome.start_button.setFocus(Qt.FocusReason.OtherFocusReason)
    press(Qt.Key.Key_Space)  # a switch that only presses still sees where it is
    assert kiosk.property("keyboardUse") is True
    assert_focus_seen(kiosk)
