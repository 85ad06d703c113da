"""Every label a citizen sees shows its whole text, at every supported size, in both languages.

For each citizen screen (welcome, faces, who served you, what impressed you, what could be
better after an unhappy face, thanks) at each screen size, in Thai and English, with normal and
large text, every visible button and label is measured: its text's width, line by line, against
the room its style leaves for text, and a wrapping label's height for its width against the
height it got. Nothing drawn (the sun) may lie
over a label. A screenshot at one size, looked at by someone who does not read Thai, missed chips
cut to fragments such as "ปร"; a measurement does not (docs/accessibility.md).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Step
from tests.ui.citizen.helpers import human
from ui.app import KioskWindow
from ui.citizen.welcome import SunMark
from ui.screenshots.shared import settle
from wire.vote import Target

SIZES = (QSize(1024, 600), QSize(1280, 800), QSize(1920, 1200))


def text_room(button: QAbstractButton) -> QRect:
    """Return the rectangle the button's style leaves for its text (inside border and padding)."""
    if not isinstance(button, QPushButton):
        return button.contentsRect()
    option = QStyleOptionButton()
    button.initStyleOption(option)
    return button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)


def cut_texts(screen: QWidget) -> list[str]:
    """Return a line for every visible text on the screen that does not fit the room it has."""
    found: list[str] = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        if isinstance(widget, QAbstractButton) and widget.text():
            room = text_room(widget)
            metrics = QFontMetrics(widget.font())
            for line in widget.text().split("\n"):
                if metrics.horizontalAdvance(line) > room.width():
                    found.append(
                        f"button {widget.objectName()} {line!r}: "
                        f"{metrics.horizontalAdvance(line)} px in {room.width()} px"
                    )
        elif isinstance(widget, QLabel) and widget.text():
            metrics = QFontMetrics(widget.font())
            if widget.wordWrap():
                need = widget.heightForWidth(widget.width())
                if need > widget.height():
                    found.append(
                        f"label {widget.objectName()} {widget.text()!r}: "
                        f"needs {need} px high, has {widget.height()} px"
                    )
                continue
            room = widget.contentsRect().width() - max(0, widget.indent()) - 2 * widget.margin()
            for line in widget.text().split("\n"):
                if metrics.horizontalAdvance(line) > room:
                    found.append(
                        f"label {widget.objectName()} {line!r}: "
                        f"{metrics.horizontalAdvance(line)} px in {room} px"
                    )
    return found


def drawn_over(screen: QWidget) -> list[str]:
    """Return the labels that the sun drawing overlaps."""
    found: list[str] = []
    for sun in screen.findChildren(SunMark):
        if not sun.isVisible():
            continue
        area = QRect(sun.mapTo(screen, sun.rect().topLeft()), sun.size())
        for label in screen.findChildren(QLabel):
            if label.isVisible() and label.text():
                box = QRect(label.mapTo(screen, label.rect().topLeft()), label.size())
                if box.intersects(area):
                    found.append(f"{label.objectName()} {label.text()!r} under the sun")
    return found


def problems(window: KioskWindow) -> list[str]:
    """Return every cut text and overlap on the window's current screen."""
    settle()
    screen = window.current_screen()
    return [f"{screen.objectName()}: {p}" for p in cut_texts(screen) + drawn_over(screen)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_label_on_every_citizen_screen_shows_its_whole_text(
    qtbot, kiosk: KioskWindow, clock, size: QSize, language: str, large: bool
) -> None:
    kiosk.resize(size)
    if language != kiosk.flow.session.lang:
        kiosk.welcome.language_button.click()
    found: list[str] = []
    check: Callable[[], None] = lambda: found.extend(problems(kiosk))  # noqa: E731
    check()
    kiosk.welcome.start_button.click()
    if large:
        kiosk.rating.bar.large_text_button.click()
    check()
    human(clock)
    kiosk.rating.faces[5].click()
    assert kiosk.current_screen() is kiosk.target
    kiosk.target.service_chips["house-registration"].click()  # the longest demo service
    check()
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.flow.session.target == Target("staff", DEMO_ROSTER.active_staff()[0].id)
    check()
    kiosk.impression.back_button.click()
    kiosk.target.back_button.click()
    human(clock)
    kiosk.rating.faces[1].click()  # the angriest face: "what could we do better?"
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.impression.asks_concerns()
    check()
    human(clock)
    kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
    kiosk.render_flow()
    check()
    assert not found, "\n".join(found)
