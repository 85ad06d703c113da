"""Render every kiosk screen, in Thai and in English, to PNG: `python -m ui.screenshots OUTDIR`.

Runs offscreen (it sets QT_QPA_PLATFORM=offscreen unless a platform is already chosen), with
the demo district, at a 10-inch tablet's size, so that a person can look at what citizens see.
The on-screen keyboard is rendered too (keyboard-th.png, keyboard-th-shift.png, keyboard-en.png):
a story field above it, the keyboard in the lower half, as the impression screen will show them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.config import KioskConfig
from kiosk.vote import LANGUAGES
from ui.app import KioskWindow, build_main_window, create_application
from ui.i18n import LanguageSwitcher
from ui.keyboard import StoryField, ThaiKeyboard

SCREEN_SIZE: Final = QSize(1280, 800)


def _welcome(window: KioskWindow) -> QWidget:
    """Show the welcome screen and return it."""
    window.stack.setCurrentWidget(window.welcome)
    return window.welcome


# Each screen that exists, by file name stem: how to bring it up in a fresh window.
SCREENS: Final[dict[str, Callable[[KioskWindow], QWidget]]] = {"welcome": _welcome}

# The keyboard shots: file stem -> (UI language, keyboard language, shifted, story typed so
# far, the key that has keyboard focus or None). keyboard-en shows the focus outline that Tab
# and the arrow keys move.
KEYBOARD_SHOTS: Final[dict[str, tuple[str, str, bool, str, str | None]]] = {
    "keyboard-th": ("th", "th", False, "เจ้าหน้าที่พูดจาสุภาพ ขอบคุณค่ะ", None),
    "keyboard-th-shift": ("th", "th", True, "ผู้ใหญ่บ้านน่ารัก", None),
    "keyboard-en": ("en", "en", False, "Thank you", "key_2_5"),
}


def render_screens(
    out_dir: Path,
    *,
    size: QSize = SCREEN_SIZE,
    config: KioskConfig | None = None,
    languages: Sequence[str] = LANGUAGES,
) -> list[Path]:
    """Render every screen in every language to out_dir/<screen>-<language>.png; return the paths."""
    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    switcher = LanguageSwitcher(app)
    written: list[Path] = []
    try:
        for language in languages:
            switcher.set_language(language)
            for name, bring_up in SCREENS.items():
                window = build_main_window(config or KioskConfig(), switcher, windowed=True)
                try:
                    window.resize(size)
                    window.show()
                    screen = bring_up(window)
                    _settle()
                    path = out_dir / f"{name}-{language}.png"
                    if not screen.grab().save(str(path), "PNG"):
                        raise OSError(f"could not write {path}")
                    written.append(path)
                finally:
                    window.shutdown()
                    window.deleteLater()
                    _settle()
    finally:
        switcher.uninstall()
        switcher.deleteLater()
    return written


def render_keyboards(out_dir: Path, *, size: QSize = SCREEN_SIZE) -> list[Path]:
    """Render the on-screen keyboard under a story field to out_dir/keyboard-*.png; return the paths."""
    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    switcher = LanguageSwitcher(app)
    written: list[Path] = []
    try:
        for name, (language, keys, shifted, story, focused) in KEYBOARD_SHOTS.items():
            switcher.set_language(language)
            page = QWidget()
            page.setObjectName("kioskWindow")  # the kiosk's page colour
            field = StoryField(page)
            keyboard = ThaiKeyboard(language=keys, parent=page)
            keyboard.text_changed.connect(field.show_text)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 24, 0, 0)
            layout.setSpacing(24)
            field_row = QHBoxLayout()
            field_row.setContentsMargins(24, 0, 24, 0)
            field_row.addWidget(field)
            layout.addLayout(field_row, 1)
            layout.addWidget(keyboard, 1)
            try:
                page.resize(size)
                page.show()
                keyboard.set_text(story)
                keyboard.set_shifted(shifted)
                _settle()
                focus = QApplication.focusWidget()
                if focus is not None:  # showing a window focuses its first key: not wanted here
                    focus.clearFocus()
                target = keyboard.findChild(QWidget, focused) if focused else None
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                _settle()
                path = out_dir / f"{name}.png"
                if not page.grab().save(str(path), "PNG"):
                    raise OSError(f"could not write {path}")
                written.append(path)
            finally:
                page.close()
                page.deleteLater()
                _settle()
    finally:
        switcher.uninstall()
        switcher.deleteLater()
    return written


def _settle() -> None:
    """Deliver the pending events (language change, layout, deferred deletes) before grabbing."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, render the screenshots and print where they went."""
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--size", default="1280x800", help="window size as WIDTHxHEIGHT (default 1280x800)"
    )
    args = parser.parse_args(argv)
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 1280x800, not {args.size!r}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    size = QSize(width, height)
    for path in [
        *render_screens(args.out_dir, size=size),
        *render_keyboards(args.out_dir, size=size),
    ]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
