"""A service or tag named as long as a roster allows wraps its chip onto as many lines as it needs.

Roster names may be up to 100 characters, typed by a clerk. On the smallest panel (1024 x 600,
10.1 inches, 118 dpi) such a chip is wider than its row: it must wrap its label at spaces (a
Thai name's parts stay whole), be as tall as its lines, keep to its row and off its neighbours,
and still choose its service or tag when tapped. Measured with QFontMetrics, as the check of
every screen measures (tests/ui/layout_checks.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.flow import Step
from kiosk.setup import SUPPORTED_PANELS
from tests.ui.citizen.helpers import human, stored_votes
from tests.ui.layout_checks import cut_texts, overlaps, squeezed, text_room
from ui.app import KioskWindow
from ui.ledger_service import LedgerService
from ui.screenshots.citizen import LONG_NAMES_ROSTER, LONG_SERVICE, LONG_TAG
from ui.screenshots.shared import settle
from ui.widgets.buttons import ChipButton
from ui.widgets.sizes import TOUCH_MIN_MM, assume_dpi, screen_dpi
from ui.widgets.style import KEYBOARD_USE_PROPERTY
from wire.vote import Target

SMALLEST = min(SUPPORTED_PANELS, key=lambda panel: panel.width_px)


@pytest.fixture
def small_kiosk(
    make_kiosk: Callable[..., KioskWindow], ledger_service: LedgerService
) -> Iterator[KioskWindow]:
    """The kiosk with the long-named roster, sized and measured as the 1024 x 600 panel."""
    assume_dpi(SMALLEST.dpi)
    try:
        window = make_kiosk(ledger=ledger_service, roster=LONG_NAMES_ROSTER)
        window.resize(SMALLEST.width_px, SMALLEST.height_px)
        settle()
        yield window
    finally:
        assume_dpi(None)


def block_height(chip: ChipButton, lines: int) -> int:
    """Return the height of this many lines in the chip's font, as Qt lays them out."""
    metrics = QFontMetrics(chip.font())
    return metrics.size(0, "\n".join(["ก"] * lines)).height()


def last_line(chip: ChipButton) -> QPoint:
    """Return the middle of the chip's last line of text, where a finger would tap it."""
    metrics = QFontMetrics(chip.font())
    lines = len(chip.shown_lines())
    room = text_room(chip)
    top = room.top() + (room.height() - block_height(chip, lines)) // 2
    return QPoint(
        chip.width() // 2, top + (lines - 1) * metrics.lineSpacing() + metrics.height() // 2
    )


def wrap_problems(chip: ChipButton, label: str, area: QScrollArea) -> list[str]:
    """Return what is wrong with a chip that must wrap its label in its row, measured."""
    area.ensureWidgetVisible(chip)
    settle()
    found: list[str] = []
    row = chip.parentWidget()
    assert row is not None
    if not QRect(QPoint(0, 0), row.size()).contains(chip.geometry()):
        found.append(f"the chip {chip.geometry()} runs out of its row {row.size()}")
    if row.width() > area.viewport().width():
        found.append(f"the row is {row.width()} px wide in a {area.viewport().width()} px list")
    lines = chip.shown_lines()
    if len(lines) < 2:
        found.append(f"the label is not wrapped: {lines!r}")
    if " ".join(lines).split() != label.split():
        found.append(f"the lines {lines!r} are not the label's words in order")
    metrics = QFontMetrics(chip.font())
    room = text_room(chip)
    for line in lines:
        if metrics.horizontalAdvance(line) > room.width():
            found.append(f"{line!r} is {metrics.horizontalAdvance(line)} px in {room.width()} px")
    need = block_height(chip, len(lines))
    if need > room.height():
        found.append(f"{len(lines)} lines need {need} px high, the text room has {room.height()}")
    top = chip.mapTo(area.viewport(), QPoint(0, room.top() + (room.height() - need) // 2))
    if not area.viewport().rect().contains(QRect(top, QSize(room.width(), need))):
        found.append(
            f"its lines at {top.y()} px do not all show in a list {area.viewport().height()} px high"
        )
    px_per_mm = screen_dpi(chip) / 25.4
    if chip.height() < TOUCH_MIN_MM * px_per_mm - 1:
        found.append(f"the chip is {chip.height()} px high, under {TOUCH_MIN_MM} mm")
    for other in row.findChildren(ChipButton):
        if other is not chip and other.isVisible() and other.geometry().intersects(chip.geometry()):
            found.append(f"it overlaps {other.text()!r}")
    if chip.text() != label or chip.accessibleName() != label:
        found.append(f"text {chip.text()!r}, accessible name {chip.accessibleName()!r}")
    return found


def turn_to(kiosk: KioskWindow, chip: ChipButton) -> None:
    """Tap "+ n more" under the tags, as a citizen would, until the chip shows."""
    for _ in kiosk.impression.shown_chips():
        if chip.isVisible():
            return
        kiosk.impression.more_tags.click()
        settle()
    assert chip.isVisible(), "no page of tags shows the chip"


def screen_problems(screen: QWidget) -> list[str]:
    """Return the cut, squeezed and overlapping texts on a screen (the every-screen checks)."""
    return cut_texts(screen) + squeezed(screen) + overlaps(screen)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_a_long_service_and_tag_wrap_their_chips_and_still_choose(
    qtbot, small_kiosk: KioskWindow, clock, data_dir, language: str, large: bool
) -> None:
    kiosk = small_kiosk
    if language != kiosk.flow.session.lang:
        kiosk.welcome.language_button.click()
    kiosk.welcome.start_button.click()
    if large:
        kiosk.rating.bar.large_text_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    assert kiosk.current_screen() is kiosk.target
    settle()
    if kiosk.target.services_folded():  # the smallest panel folds services behind "+ n more"
        kiosk.target.more_services.click()
        settle()

    service = LONG_SERVICE.name_en if language == "en" else LONG_SERVICE.name_th
    chip = kiosk.target.service_chips[LONG_SERVICE.code]
    assert wrap_problems(chip, service, kiosk.target.cards_scroll) == []
    assert screen_problems(kiosk.target) == []
    # A tap on its last line, which only a wrapped chip has, chooses the service.
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton, pos=last_line(chip))
    assert kiosk.flow.session.service == LONG_SERVICE.code
    assert chip.is_on()
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.current_screen() is kiosk.impression
    settle()

    tag = LONG_TAG.label_en if language == "en" else LONG_TAG.label_th
    chip = kiosk.impression.tag_chips[LONG_TAG.code]
    turn_to(kiosk, chip)
    assert wrap_problems(chip, tag, kiosk.impression.tags_scroll) == []
    assert screen_problems(kiosk.impression) == []
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton, pos=last_line(chip))
    assert kiosk.flow.session.tags == {LONG_TAG.code}
    assert chip.is_on()
    human(clock)
    kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
    (vote,) = stored_votes(data_dir)
    assert vote.ballot.service == LONG_SERVICE.code
    assert tuple(vote.ballot.tags) == (LONG_TAG.code,)
    assert vote.ballot.target == Target("staff", LONG_NAMES_ROSTER.active_staff()[0].id)


def shows_whole(widget: QWidget, area: QScrollArea) -> bool:
    """Is the whole widget, its focus frame included, inside the list's view?"""
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return area.viewport().rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("key", [Qt.Key.Key_Right, Qt.Key.Key_Tab], ids=["arrow", "tab"])
def test_a_two_line_tag_reached_by_keyboard_shows_whole_with_its_focus_frame(
    qtbot, small_kiosk: KioskWindow, clock, key: Qt.Key
) -> None:
    """On the smallest panel the two-line chip is on a page of its own: moving by arrow or Tab
    from the page before onto "+ n more" and pressing Space turns to it and focuses it, whole
    with its focus frame, and it stays whole when the screen is laid out anew as Space picks it."""
    kiosk = small_kiosk
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    human(clock)
    kiosk.flow.choose_service(LONG_SERVICE.code)
    kiosk.target.staff_cards[0].click()
    assert kiosk.current_screen() is kiosk.impression
    settle()
    kiosk.setProperty(KEYBOARD_USE_PROPERTY, True)
    chips = list(kiosk.impression.tag_chips.values())
    long_chip = kiosk.impression.tag_chips[LONG_TAG.code]
    assert chips[-1] is long_chip
    assert len(long_chip.shown_lines()) >= 2
    area = kiosk.impression.tags_scroll
    more = kiosk.impression.more_tags
    turn_to(kiosk, chips[-2])
    assert not long_chip.isVisible()  # on the next page
    chips[-2].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(chips[-2], key)
    assert more.hasFocus()
    qtbot.keyClick(more, Qt.Key.Key_Space)
    settle()
    assert long_chip.hasFocus()
    assert shows_whole(long_chip, area), (
        f"{long_chip.geometry()} in a view of {area.viewport().height()} px scrolled to"
        f" {area.verticalScrollBar().value()}"
    )
    qtbot.keyClick(long_chip, Qt.Key.Key_Space)
    settle()
    assert kiosk.flow.session.tags == {LONG_TAG.code}
    assert long_chip.hasFocus()
    assert shows_whole(long_chip, area), (
        f"picked: {long_chip.geometry()} in a view of {area.viewport().height()} px scrolled to"
        f" {area.verticalScrollBar().value()}"
    )
