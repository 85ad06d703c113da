"""Helpers for driving the citizen's screens as a person would, and reading what was stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.keyboard_layouts import DOTTED_CIRCLE, is_combining_mark
from kiosk.ledger import Ledger
from tests.fakes import FakeClock
from ui.app import KioskWindow
from ui.widgets.buttons import TouchButton
from ui.widgets.keyboard import ThaiKeyboard
from wire import keys
from wire.keys import KEY_FILE_NAME
from wire.vote import Vote

STORY_TH = "เจ้าหน้าที่พูดจาสุภาพ ใส่ใจผู้สูงอายุ ขอบคุณค่ะ"  # tone marks, upper and lower vowels


def human(clock: FakeClock) -> None:
    """A person reads the screen before tapping."""
    clock.advance(1.5)


def stored_votes(data_dir: Path) -> list[Vote]:
    """Read every vote from the ledger file, on a connection of the test's own."""
    key = keys.load(data_dir / KEY_FILE_NAME)
    with Ledger.open(data_dir, key) as reader:
        last, _ = reader.head()
        return [reader.vote(seq) for seq in range(1, last + 1)]


def shown_buttons(screen: QWidget) -> list[QPushButton]:
    """Return the touch buttons a citizen can see on a screen."""
    return [b for b in screen.findChildren(TouchButton) if b.isVisible()]


def focused() -> QWidget | None:
    """Return the widget with keyboard focus."""
    return QApplication.focusWidget()


def to_target(window: KioskWindow, clock: FakeClock, rating: int = 5) -> None:
    """Tap through the welcome and the faces to "who served you"."""
    window.welcome.start_button.click()
    human(clock)
    window.rating.faces[rating].click()


def to_impression(window: KioskWindow, clock: FakeClock, rating: int = 5) -> None:
    """Tap through to "what impressed you", choosing the first staff member."""
    to_target(window, clock, rating)
    human(clock)
    window.target.staff_cards[0].click()


def key_showing(keyboard: ThaiKeyboard, label: str) -> QPushButton | None:
    """Return the character key that shows label on the current layer, or None."""
    found = [b for row in keyboard.character_keys for b in row if b.text() == label]
    return found[0] if found else None


def type_on(keyboard: ThaiKeyboard, text: str) -> None:
    """Type text with real clicks on the on-screen keys, Shift first where a character needs it."""
    for ch in text:
        if ch == " ":
            keyboard.space_key.click()
            continue
        label = DOTTED_CIRCLE + ch if is_combining_mark(ch) else ch
        button = key_showing(keyboard, label)
        if button is None:
            keyboard.shift_key.click()
            button = key_showing(keyboard, label)
        assert button is not None, f"no key types {ch!r}"
        button.click()
