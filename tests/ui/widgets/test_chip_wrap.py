"""A chip narrower than its label wraps it: at spaces first, inside a word only when that word
alone is too wide; it is as tall as its lines, and a flow of chips gives it that height."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QWidget

from tests.ui.layout_checks import cut_texts, squeezed, text_room
from ui.screenshots.shared import settle
from ui.widgets.buttons import ChipButton
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.style import KEYBOARD_USE_PROPERTY, repolish

SPACED_TH = "เจ้าหน้าที่อธิบายทุกขั้นตอนอย่างละเอียด ใจเย็น และช่วยตรวจเอกสารให้ครบก่อนยื่น"
ONE_WORD_TH = "ศูนย์บริการทะเบียนราษฎรและบัตรประจำตัวประชาชนอำเภอเมืองนครราชสีมา"
ENGLISH = "The staff explained every step patiently and checked all my papers"


@pytest.fixture
def page(qtbot, kiosk_app) -> QWidget:
    """A shown page, 480 px wide, with a flow of chips."""
    widget = QWidget()
    widget.setObjectName("kioskWindow")
    FlowLayout(widget, spacing=12)
    qtbot.addWidget(widget)
    return widget


def add_chip(page: QWidget, label: str) -> ChipButton:
    """Put a chip with this label at the end of the page's flow."""
    chip = ChipButton("check", page)
    chip.setText(label)
    chip.setAccessibleName(label)
    layout = page.layout()
    assert layout is not None
    layout.addWidget(chip)
    return chip


def show(page: QWidget, width: int) -> None:
    """Show the page at this width, tall enough for its rows."""
    layout = page.layout()
    assert layout is not None
    page.resize(width, 200)
    page.show()
    settle()
    page.resize(width, layout.heightForWidth(width))
    settle()


def lines_fit(chip: ChipButton) -> list[str]:
    """Return each shown line of the chip wider than its text room."""
    metrics = QFontMetrics(chip.font())
    room = text_room(chip).width()
    return [line for line in chip.shown_lines() if metrics.horizontalAdvance(line) > room]


def test_a_chip_wide_enough_shows_its_label_on_one_line(page: QWidget) -> None:
    chip = add_chip(page, "รวดเร็ว")
    show(page, 480)
    assert chip.shown_lines() == ["รวดเร็ว"]
    assert chip.size() == chip.sizeHint()
    assert chip.heightForWidth(chip.sizeHint().width()) == chip.sizeHint().height()


@pytest.mark.parametrize("label", [SPACED_TH, ENGLISH], ids=["thai", "english"])
def test_a_chip_wider_than_its_row_breaks_at_spaces_and_grows_taller(
    page: QWidget, label: str
) -> None:
    chip = add_chip(page, label)
    after = add_chip(page, "สะดวก")
    show(page, 480)
    lines = chip.shown_lines()
    assert len(lines) >= 2
    assert all(word in label.split() for line in lines for word in line.split())  # parts whole
    assert " ".join(lines) == label
    assert lines_fit(chip) == []
    assert chip.width() == 480
    assert chip.height() == chip.heightForWidth(480) > chip.sizeHint().height()
    assert chip.text() == label
    assert chip.accessibleName() == label
    assert after.geometry().top() > chip.geometry().bottom()  # the next chip on the next row
    assert cut_texts(page) == []
    assert squeezed(page) == []


def test_keyboard_focus_neither_moves_nor_cuts_a_label(page: QWidget) -> None:
    page.setProperty(KEYBOARD_USE_PROPERTY, True)  # focus shows: a 6 px border, not 2 px
    repolish(page)
    chip = add_chip(page, SPACED_TH)
    short = add_chip(page, "สะดวก")
    show(page, 500)
    chip.clearFocus()  # a window gives focus to its first control as it shows
    show(page, 480)  # laid out without focus
    lines, high = chip.shown_lines(), chip.height()
    chip.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    assert chip.hasFocus()
    assert chip.shown_lines() == lines
    assert chip.heightForWidth(480) == high
    assert lines_fit(chip) == []
    metrics = QFontMetrics(chip.font())
    assert metrics.size(0, "\n".join(lines)).height() <= text_room(chip).height()
    assert cut_texts(page) == []
    assert squeezed(page) == []
    place = short.geometry()
    short.setFocus(Qt.FocusReason.TabFocusReason)  # a chip with the width it asks for
    settle()
    assert short.geometry() == place
    assert lines_fit(short) == []


def test_a_word_wider_than_the_row_alone_is_broken_inside(page: QWidget) -> None:
    chip = add_chip(page, f"{ONE_WORD_TH} ใจดี")
    show(page, 360)
    lines = chip.shown_lines()
    assert len(lines) >= 3
    # The long word is broken where Qt's Thai line breaker allows; the short part stays whole.
    assert "".join(lines).replace(" ", "") == f"{ONE_WORD_TH}ใจดี"
    assert lines[-1].split()[-1] == "ใจดี"
    assert all(" " not in line for line in lines[:-1])
    assert lines_fit(chip) == []
    assert QRect(0, 0, 360, page.height()).contains(chip.geometry())
    assert cut_texts(page) == []
    assert squeezed(page) == []


def test_the_chip_wraps_anew_when_its_row_widens(page: QWidget) -> None:
    chip = add_chip(page, ENGLISH)
    show(page, 360)
    narrow = (len(chip.shown_lines()), chip.height())
    show(page, 2000)
    assert chip.shown_lines() == [ENGLISH]
    assert chip.height() == chip.sizeHint().height()
    assert narrow[0] >= 2
    assert narrow[1] > chip.height()
