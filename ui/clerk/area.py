"""The district clerk's side of the kiosk: PIN, setup, dashboard, roster, USB export, settings.

It is reached only by holding the top-left corner of a citizen screen (ui/clerk/corner.py)
and then the clerk PIN; before the kiosk is set up the corner leads to the setup wizard
instead. It leaves by itself after ``CLERK_IDLE_S`` without a touch, so a clerk who walks
away never leaves it open to citizens. Every slow job runs on ``runner`` (ui/tasks.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.drives import DriveDetector, removable_drives
from kiosk.pin import PinStore
from ui.clerk.dashboard import DashboardScreen
from ui.clerk.export import ExportScreen
from ui.clerk.host import ClerkHost
from ui.clerk.pin import PinScreen
from ui.clerk.roster import RosterScreen
from ui.clerk.settings import SettingsScreen
from ui.clerk.setup import SetupScreen
from ui.clerk.widgets import ClerkPage, KeyboardPanel, PageStack, TextField, spaced
from ui.fonts import ASSETS_DIR
from ui.i18n import LanguageSwitcher, fill
from ui.tasks import TaskRunner
from ui.widgets.buttons import TouchButton
from ui.widgets.labels import ElidedLabel
from ui.widgets.sizes import scaled_stylesheet, screen_dpi
from wire.clock import Clock

CLERK_IDLE_S: Final = 180.0  # the clerk's screens close after three minutes without a touch
IDLE_CHECK_MS: Final = 1000
CLERK_STYLESHEET: Final = ASSETS_DIR.joinpath("styles", "clerk.qss")
_TOUCHES: Final = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
)


class ClerkArea(QWidget):
    """The clerk's screens with their navigation bar and the on-screen keyboard."""

    leave_requested = Signal()
    exit_requested = Signal()

    def __init__(
        self,
        host: ClerkHost,
        data_dir: Path,
        clock: Clock,
        switcher: LanguageSwitcher,
        parent: QWidget | None = None,
        *,
        drives: DriveDetector = removable_drives,
        make_uploader: Callable[..., object] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clerkArea")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        with contextlib.suppress(OSError):  # without it the app's own stylesheet still applies
            self.setStyleSheet(
                scaled_stylesheet(CLERK_STYLESHEET.read_text(encoding="utf-8"), screen_dpi(self))
            )
        self.host = host
        self.data_dir = data_dir
        self.clock = clock
        self.switcher = switcher
        self.runner = TaskRunner(self)
        self.pins = PinStore(data_dir, clock)
        self._last_touch = clock.monotonic()

        self.keyboard = KeyboardPanel(self)
        self.pin_screen = PinScreen(self.pins, self.runner, self)
        self.setup = SetupScreen(host, data_dir, clock, self.pins, self.runner, self, make_uploader)
        self.dashboard = DashboardScreen(host, data_dir, clock, self.runner, self, make_uploader)
        self.roster_editor = RosterScreen(host, data_dir, self.runner, self, drives=drives)
        self.export = ExportScreen(data_dir, self.runner, drives, self)
        self.export.campaign_read.connect(host.apply_campaign)  # shown to the next citizen
        self.settings = SettingsScreen(
            host, data_dir, self.pins, self.runner, self, make_uploader, drives=drives
        )

        self.top_bar = QWidget(self)
        self.top_bar.setObjectName("clerkTopBar")
        self.top_bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.heading = ElidedLabel(self.top_bar)
        self.heading.setObjectName("clerkHeading")
        self.nav: dict[ClerkPage, TouchButton] = {}
        top = spaced(QHBoxLayout(self.top_bar), self)
        top.setContentsMargins(20, 8, 20, 8)
        top.addWidget(self.heading, 1)
        for page, name in (
            (self.dashboard, "navDashboard"),
            (self.roster_editor, "navRoster"),
            (self.export, "navExport"),
            (self.settings, "navSettings"),
        ):
            button = TouchButton("clerkNav", self.top_bar)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, p=page: self.show_page(p))
            top.addWidget(button)
            self.nav[page] = button
        self.leave_button = TouchButton("clerkLeave", self.top_bar)
        self.leave_button.setObjectName("leaveClerk")
        self.leave_button.clicked.connect(self.leave)
        top.addSpacing(16)
        top.addWidget(self.keyboard.hide_button)
        top.addWidget(self.leave_button)

        self.pages = PageStack(self)
        self.pages.setObjectName("clerkPages")
        for each in (
            self.pin_screen,
            self.setup,
            self.dashboard,
            self.roster_editor,
            self.export,
            self.settings,
        ):
            self.pages.addWidget(each)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.keyboard)

        for field in self.findChildren(TextField):
            field.focused.connect(self.keyboard.attach)
        self.keyboard.opened.connect(self._keyboard_opened)
        self.pin_screen.unlocked.connect(lambda: self.show_page(self.dashboard))
        self.setup.finished.connect(self._set_up)
        self.setup.picker.chosen.connect(self.keyboard.detach)
        self.settings.change_district.picker.chosen.connect(self.keyboard.detach)
        self.settings.enrolled.connect(self.keyboard.detach)
        self.settings.district_changed.connect(self.retranslate_ui)  # the heading names it
        self.setup.cancelled.connect(self.leave)
        self.settings.exit_requested.connect(self.exit_requested)

        self.idle_timer = QTimer(self)
        self.idle_timer.setObjectName("clerkIdleTimer")
        self.idle_timer.setInterval(IDLE_CHECK_MS)
        self.idle_timer.timeout.connect(self.check_idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.retranslate_ui()

    # --- showing ----------------------------------------------------------------------------------

    def open(self) -> None:
        """Start at the PIN pad, or at the setup wizard when no PIN has been set yet."""
        self.touch()
        self.idle_timer.start()
        self.show_page(self.pin_screen if self.pins.is_set() else self.setup)

    def _set_up(self, message: str, tone: str) -> None:
        """Setup is done: the dashboard, saying how enrolling went."""
        self.show_page(self.dashboard)
        self.dashboard.notify(message, tone)

    def show_page(self, page: ClerkPage) -> None:
        """Show one of the clerk's pages and bring its figures up to date."""
        self.keyboard.detach()
        self.pages.setCurrentWidget(page)
        self.retranslate_ui()  # after the page is on show: the heading depends on it
        in_nav = page in self.nav
        for other, button in self.nav.items():
            button.setVisible(in_nav)
            button.setProperty("current", other is page)
            button.style().unpolish(button)
            button.style().polish(button)
        page.refresh()

    def _keyboard_opened(self, shown: bool) -> None:
        """Make room for the keyboard on the page, and in the top bar."""
        for button in self.nav.values():
            button.setVisible(not shown and self.pages.currentWidget() in self.nav)
        page = self.pages.currentWidget()
        if isinstance(page, ClerkPage):
            page.keyboard_shown(shown)

    def current_page(self) -> QWidget | None:
        """The page on show."""
        return self.pages.currentWidget()

    def leave(self) -> None:
        """Back to the citizens' screens."""
        self.keyboard.detach()
        self.idle_timer.stop()
        self.leave_requested.emit()

    # --- idle ----------------------------------------------------------------------------------

    def touch(self) -> None:
        """The clerk is still there."""
        self._last_touch = self.clock.monotonic()

    def check_idle(self) -> None:
        """Leave after CLERK_IDLE_S without a touch (a job under way keeps the screens open)."""
        busy = self.runner.busy() or self.dashboard.sending() or self.dashboard.updates.checking()
        # The moment, not the time since the last touch: see kiosk/flow.py (_walk_away_at).
        idle = self.clock.monotonic() >= self._last_touch + CLERK_IDLE_S
        if self.isVisible() and idle and not busy:
            self.leave()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Every tap or key press on the clerk's screens keeps them open."""
        if (
            event.type() in _TOUCHES
            and isinstance(watched, QWidget)
            and self.isVisible()
            and (watched is self or self.isAncestorOf(watched))
        ):
            self.touch()
        return False

    def shutdown(self) -> None:
        """Stop background work (the window is closing)."""
        self.dashboard.cancel_sync()
        self.runner.wait()

    # --- text ------------------------------------------------------------------------------------

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.heading.setText(self.heading_text())
        labels = {
            self.dashboard: self.tr("Overview"),
            self.roster_editor: self.tr("Staff and services"),
            self.export: self.tr("USB stick"),
            self.settings: self.tr("Settings"),
        }
        for page, button in self.nav.items():
            button.setText(labels[page])
        self.leave_button.setText(self.tr("Back to the kiosk"))

    def heading_text(self) -> str:
        """The top bar's title: the kiosk's district, or "First-time setup" in the wizard.

        While a demo kiosk is being set up its district is the demo's, not the clerk's, and the
        one being chosen is not saved until Finish (the wizard's own pages name it), so the bar
        names neither. A set-up kiosk whose PIN was removed keeps its district in the wizard.
        """
        if self.pages.currentWidget() is self.setup and self.host.config.demo:
            return self.tr("First-time setup")
        place = self.host.place
        thai = self.switcher.language == "th"
        district = place.district_th if thai else place.district_en
        return fill(self.tr("District clerk · %1"), district)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)
