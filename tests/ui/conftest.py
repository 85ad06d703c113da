"""Fixtures for the Qt tests: the styled application, a language switcher, the kiosk window."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Flow, FlowSettings
from kiosk.roster import Roster
from tests.fakes import FakeClock
from ui.app import KioskWindow
from ui.i18n import LanguageSwitcher
from ui.ledger_service import LedgerService
from ui.speech import SpeechGuide
from ui.startup import build_main_window, create_application


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


# --- the citizen's kiosk: a real window, a real ledger on its own thread, a fake clock ----------


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The kiosk's data folder (key, ledger, roster, photos)."""
    folder = tmp_path / "kiosk"
    folder.mkdir()
    return folder


@pytest.fixture
def ledger_service(qtbot, data_dir: Path, clock: FakeClock) -> Iterator[LedgerService]:
    """A ledger service on data_dir, opened on its thread; stopped at teardown."""
    service = LedgerService(data_dir, clock)
    with qtbot.waitSignal(service.opened, timeout=10_000):
        service.start()
    yield service
    service.stop()
    service.deleteLater()


@pytest.fixture
def make_kiosk(
    qtbot, switcher: LanguageSwitcher, clock: FakeClock, data_dir: Path
) -> Callable[..., KioskWindow]:
    """Return a function that builds and shows a kiosk window driven by the fake clock.

    The window's own timer is stopped: tests let time pass with ``clock.advance`` and call
    ``window.tick()``, so nothing happens between two lines of a test by itself.
    """

    def make(
        *,
        ledger: LedgerService | None = None,
        roster: Roster = DEMO_ROSTER,
        settings: FlowSettings | None = None,
        timer: bool = False,
        speech: SpeechGuide | None = None,
    ) -> KioskWindow:
        flow = Flow("3706", clock, settings or FlowSettings(default_language=switcher.language))
        window = build_main_window(
            KioskConfig(),
            switcher,
            windowed=True,
            flow=flow,
            roster=roster,
            ledger=ledger,
            data_dir=data_dir,
            speech=speech,
        )
        if not timer:
            window.timer.stop()
        qtbot.addWidget(window, before_close_func=lambda w: w.allow_close())
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        return window

    return make


@pytest.fixture
def kiosk(make_kiosk: Callable[..., KioskWindow], ledger_service: LedgerService) -> KioskWindow:
    """The demo district's kiosk in Thai, with a real ledger in tmp_path and the fake clock."""
    return make_kiosk(ledger=ledger_service)
