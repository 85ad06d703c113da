"""Below the supported screen the kiosk says so, in Thai and English, instead of a broken screen."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QScreen

from tests.ui.layout_checks import problems
from ui.app import KioskWindow
from ui.screenshots.shared import settle


def texts_on(kiosk: KioskWindow) -> str:
    """Return every text the notice shows, one per line."""
    page = kiosk.too_small
    labels = (page.thai_title, page.english_title, page.thai_detail, page.english_detail)
    return "\n".join(label.text() for label in labels)


@pytest.mark.parametrize("size", [(900, 560), (1024, 599), (1023, 768)])
def test_a_window_below_1024_by_600_shows_the_notice_in_both_languages(
    kiosk: KioskWindow, size: tuple[int, int]
) -> None:
    kiosk.resize(*size)
    settle()
    assert kiosk.outer.currentWidget() is kiosk.too_small
    shown = texts_on(kiosk)
    assert "หน้าจอนี้เล็กเกินไปสำหรับตู้ประเมิน" in shown
    assert "This screen is too small for the kiosk" in shown
    assert f"{size[0]} × {size[1]}" in shown
    assert "1024 × 600" in shown
    assert not problems(kiosk.too_small), problems(kiosk.too_small)


def test_the_citizens_screens_come_back_when_the_window_is_large_enough(
    kiosk: KioskWindow,
) -> None:
    kiosk.resize(900, 560)
    settle()
    kiosk.resize(1024, 600)
    settle()
    assert kiosk.outer.currentWidget() is kiosk.stack
    kiosk.welcome.start_button.click()  # and a vote starts as ever
    assert kiosk.current_screen() is kiosk.rating


def test_a_tablet_in_portrait_is_asked_to_turn(kiosk: KioskWindow) -> None:
    kiosk.resize(800, 1280)
    settle()
    assert kiosk.outer.currentWidget() is kiosk.too_small
    shown = texts_on(kiosk)
    assert "กรุณาหมุนแท็บเล็ตเป็นแนวนอน" in shown
    assert "Please turn the tablet on its side (landscape)" in shown


def test_the_english_kiosk_shows_the_thai_notice_too(qtbot, kiosk: KioskWindow) -> None:
    kiosk.welcome.language_button.click()
    qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
    kiosk.resize(900, 560)
    settle()
    assert "หน้าจอนี้เล็กเกินไปสำหรับตู้ประเมิน" in texts_on(kiosk)


def test_a_seven_inch_panel_in_kiosk_mode_shows_the_notice(
    make_kiosk: Callable[..., KioskWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QScreen, "physicalSize", lambda _screen: QSizeF(154, 90))  # 7 inches
    kiosk = make_kiosk()
    kiosk._kiosk_mode = True  # the panel's size counts only in kiosk mode, where it is the window's
    kiosk.resize(1024, 600)
    settle()
    assert kiosk.outer.currentWidget() is kiosk.too_small
    assert "7.0" in texts_on(kiosk)


def test_the_clerk_can_still_open_their_screens(kiosk: KioskWindow) -> None:
    kiosk.resize(900, 560)
    settle()
    kiosk.open_clerk()
    assert kiosk.clerk_open()
    kiosk.close_clerk()
    assert kiosk.outer.currentWidget() is kiosk.too_small
