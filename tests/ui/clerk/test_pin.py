"""The hidden corner, the PIN pad and its lock, and the clerk's screens closing by themselves."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QImage

from kiosk.flow import Step
from kiosk.pin import FIRST_LOCK_S, MAX_FAILURES, MIN_PIN_DIGITS
from tests.ui.clerk.helpers import PIN, build_kiosk, hold_corner, idle, open_clerk, set_up, unlock
from ui.clerk.area import CLERK_IDLE_S
from ui.clerk.corner import HOLD_S
from ui.widgets.sizes import TOUCH_GAP_MM, mm_to_px

INK_DISTANCE = 48  # a channel this far from the background is a dot, not its antialiased rim


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    set_up(data_dir, clock)
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


def test_a_short_press_in_the_corner_or_a_long_one_elsewhere_does_nothing(qtbot, kiosk, clock):
    hold_corner(qtbot, kiosk, clock, seconds=2.5)
    assert not kiosk.clerk_open()
    kiosk.welcome.start_button.click()
    assert kiosk.flow.step is Step.RATING  # a tap still reaches the citizen screen
    assert not kiosk.clerk_open()


def test_three_seconds_in_the_corner_open_the_pin_pad_on_any_citizen_screen(qtbot, kiosk, clock):
    kiosk.welcome.start_button.click()
    assert kiosk.current_screen() is kiosk.rating
    area = open_clerk(qtbot, kiosk, clock)
    assert area.current_page() is area.pin_screen
    assert area.pin_screen.pad.isVisible()
    assert not any(button.isVisible() for button in area.nav.values())  # no way past the PIN


def test_the_corner_opens_after_exactly_three_seconds_whatever_the_clock_reads(qtbot, kiosk, clock):
    # A reading like one after a sync pass due at a random moment (tests/ui/test_sync_scheduler.py):
    # from it, three seconds on the clock minus the reading comes out a hair short of three.
    clock.advance(23.1127474266506)
    pressed = clock.monotonic()
    assert (pressed + HOLD_S) - pressed < HOLD_S
    area = open_clerk(qtbot, kiosk, clock)
    assert area.current_page() is area.pin_screen


def test_the_right_pin_opens_the_dashboard(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    assert area.dashboard.isVisible()
    assert all(button.isVisible() for button in area.nav.values())


def test_five_wrong_pins_lock_the_pad_with_a_countdown_then_it_opens(qtbot, kiosk, clock):
    area = open_clerk(qtbot, kiosk, clock)
    screen = area.pin_screen
    for attempt in range(MAX_FAILURES):
        screen.pad.type_pin("000111")
        screen.pad.ok_key.click()
        idle(qtbot, area)
        if attempt < MAX_FAILURES - 1:
            left = MAX_FAILURES - 1 - attempt
            assert screen.message.text() == (f"รหัสไม่ถูกต้อง ลองได้อีก {left} ครั้ง ก่อนแป้นจะล็อกชั่วคราว")
    assert not screen.pad.keys["4"].isEnabled()
    assert "0:30" in screen.message.text()
    clock.advance(12)
    screen.show_lock()
    assert "0:18" in screen.message.text()
    screen.pad.keys["4"].click()  # refused while locked
    assert screen.pad.digits() == 0
    clock.advance(FIRST_LOCK_S)
    screen.show_lock()
    assert screen.pad.keys["4"].isEnabled()
    screen.pad.type_pin(PIN)
    screen.pad.ok_key.click()
    qtbot.waitUntil(lambda: area.current_page() is area.dashboard, timeout=20_000)
    idle(qtbot, area)


def test_the_lock_survives_closing_the_clerk_screens(qtbot, kiosk, clock):
    area = open_clerk(qtbot, kiosk, clock)
    for _ in range(MAX_FAILURES):
        area.pin_screen.pad.type_pin("000111")
        area.pin_screen.pad.ok_key.click()
        idle(qtbot, area)
    area.leave_button.click()
    assert not kiosk.clerk_open()
    hold_corner(qtbot, kiosk, clock)
    assert not area.pin_screen.pad.keys["1"].isEnabled()
    assert "0:2" in area.pin_screen.message.text()  # 0:27, the clock moved on 3 s


def test_the_clerk_screens_close_after_minutes_without_a_touch(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    clock.advance(CLERK_IDLE_S - 1)
    area.check_idle()
    assert kiosk.clerk_open()
    clock.advance(1)
    area.check_idle()
    assert not kiosk.clerk_open()
    assert kiosk.current_screen() is kiosk.welcome
    # The next visit asks for the PIN again.
    hold_corner(qtbot, kiosk, clock)
    assert area.current_page() is area.pin_screen


@pytest.mark.parametrize("reading", [1000.1, 1002.6])
def test_the_clerk_screens_close_on_time_from_an_uneven_clock_reading(qtbot, kiosk, clock, reading):
    # From these readings, (t + 180) - t is a hair under 180 in floating point.
    clock.mono = reading
    area = unlock(qtbot, kiosk, clock)
    clock.advance(CLERK_IDLE_S)
    area.check_idle()
    assert not kiosk.clerk_open()
    assert kiosk.current_screen() is kiosk.welcome


def test_leaving_returns_to_the_citizen_screen_and_the_corner_works_again(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    area.leave_button.click()
    assert kiosk.current_screen() is kiosk.welcome
    assert kiosk.welcome.isVisible()
    hold_corner(qtbot, kiosk, clock)
    assert kiosk.clerk_open()


def test_a_kiosk_without_a_pin_opens_the_setup_wizard(
    qtbot, switcher, clock, data_dir, ledger_service
):
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = open_clerk(qtbot, kiosk, clock)
    assert area.current_page() is area.setup


def ink_runs(image: QImage) -> list[tuple[int, int]]:
    """Return the runs of columns (first, last) holding any colour far from the background."""
    background = QColor(image.pixel(0, 0))

    def inked(x: int) -> bool:
        for y in range(image.height()):
            colour = QColor(image.pixel(x, y))
            far = max(
                abs(colour.red() - background.red()),
                abs(colour.green() - background.green()),
                abs(colour.blue() - background.blue()),
            )
            if far > INK_DISTANCE:
                return True
        return False

    runs: list[tuple[int, int]] = []
    for x in range(image.width()):
        if inked(x):
            if runs and runs[-1][1] == x - 1:
                runs[-1] = (runs[-1][0], x)
            else:
                runs.append((x, x))
    return runs


@pytest.mark.parametrize("typed", ["", "4829", "482916", "482916482916"])
def test_the_pin_dots_stand_apart(qtbot, kiosk, clock, typed):
    # Issue 16: the dots were "●●●○○○" in one label, each glyph touching the next. Measured on
    # the pixels shown: each dot is a run of inked columns, 2 mm of background between two.
    area = open_clerk(qtbot, kiosk, clock)
    pad = area.pin_screen.pad
    pad.type_pin(typed)
    shown = QRect(pad.dots.mapTo(kiosk, QPoint(0, 0)), pad.dots.size())
    runs = ink_runs(kiosk.grab(shown).toImage())
    assert len(runs) == max(len(typed), MIN_PIN_DIGITS), f"dots run together: {runs}"
    least = mm_to_px(pad, TOUCH_GAP_MM)
    for (_, left_end), (right_start, _) in itertools.pairwise(runs):
        assert right_start - left_end - 1 >= least, "two PIN dots are closer than 2 mm"
    assert str(len(typed)) in pad.dots.accessibleName()  # what a screen reader says
