"""The kiosk application: Qt set-up, the main window, and the event loop.

``run`` is what ``main.py`` starts. ``create_application`` and ``build_main_window`` are the
same pieces without the event loop, for tests and for ``ui.screenshots``.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from kiosk.config import ConfigError, KioskConfig, Place, load_config, place_of
from kiosk.paths import APP_NAME
from kiosk.vote import LANGUAGES
from ui.fonts import ASSETS_DIR, FontError, install_application_font
from ui.i18n import DEFAULT_LANGUAGE, LanguageSwitcher, TranslationError
from ui.welcome import WelcomeScreen

STYLESHEET: Final = ASSETS_DIR / "styles" / "kiosk.qss"
DEV_WINDOW_SIZE: Final = QSize(1280, 800)  # a common 10-inch tablet, landscape
EXIT_STARTUP_FAILED: Final = 2
log = logging.getLogger(__name__)


class KioskWindow(QWidget):
    """The one top-level window: shows one screen at a time and, in kiosk mode, cannot be left."""

    def __init__(
        self,
        config: KioskConfig,
        place: Place,
        switcher: LanguageSwitcher,
        *,
        kiosk_mode: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self._kiosk_mode = kiosk_mode
        self._may_close = not kiosk_mode
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.config = config
        self.place = place
        self.switcher = switcher

        self.stack = QStackedWidget(self)
        self.welcome = WelcomeScreen(place, switcher, demo=config.demo, parent=self.stack)
        self.stack.addWidget(self.welcome)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.retranslate_ui()

    @property
    def kiosk_mode(self) -> bool:
        """Tell whether the window is full screen and locked (False: a normal development window)."""
        return self._kiosk_mode

    def present(self) -> None:
        """Show the window: full screen in kiosk mode, a tablet-sized window otherwise."""
        if self._kiosk_mode:
            self.showFullScreen()
        else:
            self.resize(DEV_WINDOW_SIZE)
            self.show()

    def allow_close(self) -> None:
        """Let the next close request through (an orderly shutdown by the clerk, or a test)."""
        self._may_close = True

    def shutdown(self) -> bool:
        """Close the window even in kiosk mode; return whether it closed."""
        self.allow_close()
        return self.close()

    def retranslate_ui(self) -> None:
        """Set the window title in the current language."""
        self.setWindowTitle(self.tr("Happy District kiosk"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Refuse to close in kiosk mode (Alt+F4, a window manager, a stray close())."""
        if not self._may_close:
            log.info("ignored a request to close the kiosk window")
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Swallow Escape and Alt+F4 in kiosk mode so a citizen cannot leave the kiosk."""
        alt_f4 = event.key() == Qt.Key.Key_F4 and bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if self._kiosk_mode and (event.key() == Qt.Key.Key_Escape or alt_f4):
            event.accept()
            return
        super().keyPressEvent(event)


def load_stylesheet(path: Path = STYLESHEET) -> str:
    """Return the kiosk's Qt stylesheet."""
    return path.read_text(encoding="utf-8")


def create_application() -> QApplication:
    """Return the QApplication (made if there is none) with the kiosk's style, font and stylesheet.

    Raises FontError when Sarabun cannot be loaded and OSError when the stylesheet is missing.
    """
    existing = QCoreApplication.instance()
    if existing is None:
        app = QApplication(sys.argv[:1])
    elif isinstance(existing, QApplication):
        app = existing
    else:
        raise RuntimeError("a QCoreApplication without widgets already exists")
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Sangsuk")
    app.setStyle("Fusion")
    install_application_font(app)
    app.setStyleSheet(load_stylesheet())
    return app


def build_main_window(
    config: KioskConfig, switcher: LanguageSwitcher, *, windowed: bool = False
) -> KioskWindow:
    """Build (but do not show) the kiosk window; call create_application first.

    Raises ConfigError if the configured district has no names.
    """
    return KioskWindow(config, place_of(config.district), switcher, kiosk_mode=not windowed)


def run(data_dir: Path, *, windowed: bool = False, language: str | None = None) -> int:
    """Run the kiosk until its window closes and return the process exit code.

    Kiosk mode (the default) is full screen, without decorations, and cannot be closed by a
    citizen; ``windowed`` gives a normal window for development. ``language`` overrides the
    configured default language ("th" or "en"). Startup problems (bad settings, missing fonts,
    translations that cannot be built) are shown in a message box and return EXIT_STARTUP_FAILED.
    """
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
    previous_sigint = signal.getsignal(signal.SIGINT)
    # Qt's event loop never returns to Python to raise KeyboardInterrupt; let Ctrl+C in a
    # terminal end the process at once. Every vote is already durable when it is thanked.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        return _run(data_dir, windowed=windowed, language=language)
    finally:
        signal.signal(signal.SIGINT, previous_sigint)


def _run(data_dir: Path, *, windowed: bool, language: str | None) -> int:
    """Do run's work once SIGINT is handled."""
    try:
        app = create_application()
    except (FontError, OSError) as exc:
        # No Thai font, so no Thai text: this message stays in English.
        log.error("cannot start the kiosk: %s", exc)
        _show_startup_error("Sangsuk cannot start", "The kiosk's files are incomplete.", str(exc))
        return EXIT_STARTUP_FAILED

    config: KioskConfig | None = None
    config_error: ConfigError | None = None
    try:
        config = load_config(data_dir)
        place_of(config.district)
    except ConfigError as exc:
        config_error = exc

    switcher = LanguageSwitcher(app)
    try:
        switcher.set_language(language or (config.default_language if config else DEFAULT_LANGUAGE))
    except TranslationError as exc:
        log.error("cannot start the kiosk: %s", exc)
        _show_startup_error(
            "Sangsuk cannot start", "The kiosk's translations cannot be prepared.", str(exc)
        )
        switcher.deleteLater()
        return EXIT_STARTUP_FAILED

    window: KioskWindow | None = None
    try:
        if config is None or config_error is not None:
            log.error("cannot start the kiosk: %s", config_error)
            _show_startup_error(
                QCoreApplication.translate("KioskApp", "Sangsuk cannot start"),
                QCoreApplication.translate(
                    "KioskApp",
                    "The kiosk's settings cannot be used. Please ask the district clerk to check them.",
                ),
                str(config_error),
            )
            return EXIT_STARTUP_FAILED
        window = build_main_window(config, switcher, windowed=windowed)
        window.present()
        return app.exec()
    finally:
        if window is not None:
            window.shutdown()
            window.deleteLater()
        switcher.uninstall()
        switcher.deleteLater()


def _show_startup_error(title: str, text: str, detail: str) -> None:
    """Show a blocking error message before the kiosk window exists."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setObjectName("startupError")
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
