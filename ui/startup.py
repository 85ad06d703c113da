"""Starting the kiosk: the Qt application, the main window, and the event loop.

``run`` is what ``main.py`` starts (through ui/cli.py). ``create_application`` and
``build_main_window`` are the same pieces without the event loop, for tests, the benchmarks and
``ui.screenshots``. Startup problems (bad settings, missing fonts, translations that cannot be
built) are shown in a message box.
"""

from __future__ import annotations

import logging
import signal
import sys
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QMessageBox,
)

from kiosk.config import ConfigError, KioskConfig, load_config, place_of
from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Flow
from kiosk.paths import APP_NAME
from kiosk.roster import Roster, RosterError, load_roster
from ui import instance
from ui.app import KioskWindow
from ui.fonts import ASSETS_DIR, FontError, install_application_font
from ui.i18n import DEFAULT_LANGUAGE, LanguageSwitcher, TranslationError
from ui.ledger_service import LedgerService
from ui.speech import SpeechGuide
from ui.widgets.sizes import primary_dpi, scaled_stylesheet
from wire.vote import LANGUAGES

STYLESHEET: Final[Traversable] = ASSETS_DIR.joinpath("styles", "kiosk.qss")
EXIT_STARTUP_FAILED: Final = 2
log = logging.getLogger(__name__)


def load_stylesheet(path: Traversable = STYLESHEET) -> str:
    """Return the kiosk's Qt stylesheet, its text sizes grown for a dense screen."""
    return scaled_stylesheet(path.read_text(encoding="utf-8"), primary_dpi())


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
    config: KioskConfig,
    switcher: LanguageSwitcher,
    *,
    windowed: bool = False,
    flow: Flow | None = None,
    roster: Roster | None = None,
    ledger: LedgerService | None = None,
    data_dir: Path | None = None,
    speech: SpeechGuide | None = None,
) -> KioskWindow:
    """Build (but do not show) the kiosk window; call create_application first.

    ``flow`` defaults to one for the configured district on the system clock, in the
    switcher's language; ``roster`` to the one in ``data_dir`` (or the demo's, in a demo without
    a data folder). Without ``ledger`` a vote cannot be saved and the citizen sees the calm
    failure screen. ``speech`` defaults to the system's speech engine. Raises ConfigError if the configured district has no names.
    """
    if roster is None and data_dir is not None:
        try:
            roster = load_roster(data_dir, default=DEMO_ROSTER if config.demo else None)
        except RosterError as exc:
            # Citizens can still rate and answer "not sure"; the clerk finds the reason in the log.
            log.error("the roster cannot be used, so no names are shown: %s", exc)
            roster = Roster()
    return KioskWindow(
        config,
        place_of(config.district),
        switcher,
        kiosk_mode=not windowed,
        flow=flow,
        roster=roster,
        ledger=ledger,
        data_dir=data_dir,
        speech=speech,
    )


def run(data_dir: Path, *, windowed: bool = False, language: str | None = None) -> int:
    """Run the kiosk until its window closes and return the process exit code.

    The code is 0, or 75 (kiosk/updates.py's RESTART_EXIT_CODE) when the kiosk switched to a
    new version between citizens and the session should start it.

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
    ledger: LedgerService | None = None
    lock = instance.hold(data_dir)
    try:
        if lock is None:
            log.error("cannot start the kiosk: a kiosk window already runs on %s", data_dir)
            return _cannot_start(
                QCoreApplication.translate(
                    "KioskApp",
                    "The kiosk is already running on this tablet (the same data folder).",
                ),
                str(data_dir),
            )
        if config is None or config_error is not None:
            log.error("cannot start the kiosk: %s", config_error)
            return _cannot_start(
                QCoreApplication.translate(
                    "KioskApp",
                    "The kiosk's settings cannot be used. Please ask the district clerk to check them.",
                ),
                str(config_error),
            )
        ledger = LedgerService(data_dir)
        window = build_main_window(
            config, switcher, windowed=windowed, ledger=ledger, data_dir=data_dir
        )
        # 75 when a new version was switched to: the session script starts it (ui/update_scheduler.py)
        window.quit_requested.connect(app.exit)
        ledger.start()  # opens the ledger on its own thread; open_failed shows on the welcome
        window.present()
        return app.exec()
    finally:
        if window is not None:
            window.shutdown()
            window.deleteLater()
        if ledger is not None:
            ledger.stop()
            ledger.deleteLater()
        switcher.uninstall()
        switcher.deleteLater()
        if lock is not None:
            lock.unlock()


def _cannot_start(text: str, detail: str) -> int:
    """Say in a message box, in the window's language, why the kiosk does not start."""
    _show_startup_error(
        QCoreApplication.translate("KioskApp", "Sangsuk cannot start"), text, detail
    )
    return EXIT_STARTUP_FAILED


def _show_startup_error(title: str, text: str, detail: str) -> None:
    """Show a blocking error message before the kiosk window exists."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, text)
    box.setObjectName("startupError")
    box.setInformativeText(detail)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
