"""Helpers for the clerk's screens: a set-up kiosk, the hidden corner, the PIN, waiting for jobs."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.config import KioskConfig, load_config, save_config
from kiosk.demo import DEMO_ROSTER, random_ballot
from kiosk.flow import Flow, FlowSettings
from kiosk.pin import PinStore
from kiosk.roster import save_roster
from tests.fakes import FakeClock
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from ui.clerk.corner import HOLD_S
from ui.i18n import LanguageSwitcher
from ui.ledger_service import LedgerService
from ui.startup import build_main_window

PIN = "482916"
JOB_TIMEOUT_MS = 30_000


def set_up(data_dir: Path, clock: FakeClock, *, pin: str = PIN, **config: object) -> KioskConfig:
    """Make data_dir a kiosk set up for Hua Taphan with the demo roster and a clerk PIN."""
    chosen = KioskConfig(district="3706", demo=False, **config)  # type: ignore[arg-type]
    save_config(data_dir, chosen)
    save_roster(data_dir, DEMO_ROSTER)
    PinStore(data_dir, clock).set_first(pin)
    return chosen


def build_kiosk(
    qtbot,
    switcher: LanguageSwitcher,
    clock: FakeClock,
    data_dir: Path,
    ledger: LedgerService | None,
) -> KioskWindow:
    """The kiosk window for data_dir's settings and roster, shown, its flow timer stopped."""
    config = load_config(data_dir)
    flow = Flow(config.district, clock, FlowSettings(default_language=switcher.language))
    window = build_main_window(
        config, switcher, windowed=True, flow=flow, ledger=ledger, data_dir=data_dir
    )
    window.timer.stop()

    def close(w: KioskWindow) -> None:
        if w.clerk is not None:
            w.clerk.shutdown()
        w.allow_close()

    qtbot.addWidget(window, before_close_func=close)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def cast(ledger: LedgerService, n: int, seed: int = 1) -> None:
    """Cast n realistic votes on the open ledger (as citizens would have)."""
    assert ledger.ledger is not None
    rng = random.Random(seed)
    ledger.ledger.cast_many([random_ballot(rng, "3706") for _ in range(n)])


def hold_corner(qtbot, window: KioskWindow, clock: FakeClock, seconds: float = HOLD_S) -> None:
    """Press the top-left corner, hold it for seconds (on the fake clock), release."""
    target = window.childAt(QPoint(3, 3)) or window
    point = target.mapFrom(window, QPoint(3, 3))
    QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
    assert window.corner.holding(), "the press did not start a hold in the corner"
    clock.advance(seconds)
    if seconds >= HOLD_S:
        qtbot.waitUntil(window.clerk_open, timeout=5000)
    else:
        window.corner.check()
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def open_clerk(qtbot, window: KioskWindow, clock: FakeClock) -> ClerkArea:
    """Hold the corner until the clerk's screens open."""
    hold_corner(qtbot, window, clock)
    assert window.clerk is not None
    return window.clerk


def tap_field(field: QWidget) -> None:
    """Give a text field focus as a finger's tap does (the on-screen keyboard opens).

    Offscreen, QTest's press on a line edit inside a page that scrolls never arrives (a real
    tap on an X server does: tests/ui/clerk/tap_on_x.py), so the focus is given with the reason
    a tap gives it.
    """
    field.clearFocus()
    field.setFocus(Qt.FocusReason.MouseFocusReason)


def idle(qtbot, area: ClerkArea) -> None:
    """Wait until the clerk's background jobs have all reported back."""
    qtbot.waitUntil(lambda: not area.runner.busy(), timeout=JOB_TIMEOUT_MS)


def unlock(qtbot, window: KioskWindow, clock: FakeClock, pin: str = PIN) -> ClerkArea:
    """Open the clerk's screens and enter the PIN; wait for the dashboard's figures."""
    area = open_clerk(qtbot, window, clock)
    assert area.current_page() is area.pin_screen
    area.pin_screen.pad.type_pin(pin)
    area.pin_screen.pad.ok_key.click()
    qtbot.waitUntil(lambda: area.current_page() is area.dashboard, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    return area
