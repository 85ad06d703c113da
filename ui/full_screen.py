"""Keeps the kiosk window over the whole screen, whatever runs it, and back after a minimise.

``showFullScreen`` alone asks a window manager for ``_NET_WM_STATE_FULLSCREEN``; a bare X
server (a kiosk session with no window manager) has nobody to honour it, and the window stays
at its first size. So the keeper also sets the window's geometry to the screen's, and again
whenever the screen changes: its size or rotation (``QScreen.geometryChanged``), another
primary screen, a screen plugged in or out, the window moved to another screen. Under a window
manager, "Iconify" (Alt+Space) would hide the kiosk for good: a minimised window comes back
to the front, full screen, at once. A Wayland compositor (cage) sizes the window itself; the
keeper's requests there are the same and harmless.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen, QWindow
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)


class FullScreenKeeper(QObject):
    """Shows a window full screen on its screen and keeps it so (kiosk mode only)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._screen: QScreen | None = None
        self._handle: QWindow | None = None
        window.installEventFilter(self)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.primaryScreenChanged.connect(self._screens_changed)
            app.screenAdded.connect(self._screens_changed)
            app.screenRemoved.connect(self._screens_changed)

    def screen(self) -> QScreen | None:
        """The screen the window fills: its own, else the primary one."""
        return self._window.screen() or QGuiApplication.primaryScreen()

    def show(self) -> None:
        """Show the window full screen, over the screen's whole geometry, in front."""
        self._follow_screen()
        window = self._window
        screen = self._screen
        if screen is not None:
            window.setGeometry(screen.geometry())  # what a bare X server needs (no WM to ask)
        window.showFullScreen()
        window.raise_()
        window.activateWindow()
        handle = window.windowHandle()
        if handle is not None and handle is not self._handle:
            self._handle = handle
            handle.screenChanged.connect(self._screens_changed)

    def _follow_screen(self) -> None:
        """Listen to the size and rotation of the screen the window is now on."""
        screen = self.screen()
        if screen is self._screen:
            return
        if self._screen is not None:
            # The old screen may be gone already, and its connection with it.
            with suppress(RuntimeError, TypeError):
                self._screen.geometryChanged.disconnect(self._screen_resized)
        self._screen = screen
        if screen is not None:
            screen.geometryChanged.connect(self._screen_resized)

    def _screen_resized(self) -> None:
        """Cover the screen again after a change of resolution or rotation."""
        if not self._window.isVisible():
            return  # not shown yet, or closed: a screen change must not show it
        log.info("the screen changed; the kiosk fills it again")
        self.show()

    def _screens_changed(self) -> None:
        """Cover the window's screen after screens were added, removed or swapped."""
        self._screen_resized()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Bring the window back, full screen, as soon as it is minimised."""
        if (
            watched is self._window
            and event.type() == QEvent.Type.WindowStateChange
            and self._window.windowState() & Qt.WindowState.WindowMinimized
        ):
            log.info("the kiosk window was minimised; it comes back to the front")
            # After the state change is done: setting a state from inside its event is undone.
            QTimer.singleShot(0, self, self.show)
        return False
