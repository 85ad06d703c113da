"""Fixtures for the Qt tests: the styled application, a language switcher, the kiosk window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from ui.app import KioskWindow, build_main_window, create_application
from ui.i18n import LanguageSwitcher


@pytest.fixture(scope="session")
def qm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder for compiled translations, empty at the start of the session."""
    return tmp_path_factory.mktemp("qm-cache")


@pytest.fixture(autouse=True)
def _private_user_cache(qm_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep code that uses the default cache folder out of the real user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(qm_cache.parent / "xdg-cache"))


@pytest.fixture
def kiosk_app(qapp: QApplication) -> QApplication:
    """The test QApplication with the kiosk's fonts, style and stylesheet."""
    return create_application()


@pytest.fixture
def switcher(kiosk_app: QApplication, qm_cache: Path) -> Iterator[LanguageSwitcher]:
    """A language switcher set to Thai; its translators are removed afterwards."""
    switcher = LanguageSwitcher(kiosk_app, cache_dir=qm_cache)
    switcher.set_language("th")
    yield switcher
    switcher.uninstall()
    switcher.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def make_window(qtbot, switcher: LanguageSwitcher) -> Callable[..., KioskWindow]:
    """Return a function that builds and shows a kiosk window, closed at teardown even in kiosk mode."""

    def make(config: KioskConfig | None = None, *, windowed: bool = True) -> KioskWindow:
        window = build_main_window(config or KioskConfig(), switcher, windowed=windowed)
        qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
        window.present()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window: Callable[..., KioskWindow]) -> KioskWindow:
    """The demo district's kiosk window, windowed, in Thai, shown."""
    return make_window()
