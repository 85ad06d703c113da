"""The hidden way in for the district clerk: hold the top-left corner of any citizen screen.

A press that starts inside the corner square (``CORNER_MM`` each way) and is held for
``HOLD_S`` seconds emits ``activated``; releasing earlier does nothing, and a tap there still
reaches whatever lies under it. The release that ends an activating press is swallowed, so
the button under the finger is not clicked. Time comes from the injected clock, polled by a
timer, so tests hold the corner by moving a fake clock instead of waiting.

The press fixes the moment the hold is complete (its reading plus ``HOLD_S``) and each poll
compares the clock with that moment. The time held, the clock minus the press's reading, can
come out a hair short of ``HOLD_S`` in floating point (with t = 1023.1127474266506,
(t + 3.0) - t is 2.9999999999998863): a real clock moves on and a later poll opens the
corner, but a clock moved on by exactly ``HOLD_S`` must open it too.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, QTimer, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

from ui.widgets.sizes import mm_to_px
from wire.clock import Clock

HOLD_S: Final = 3.0
CORNER_MM: Final = 12.0
POLL_MS: Final = 100
_PRESSES: Final = (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin)
_RELEASES: Final = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel)


class HiddenCorner(QObject):
    """Watches a window for the clerk's long press in its top-left corner."""

    activated = Signal()

    def __init__(self, window: QWidget, clock: Clock) -> None:
        """Watch window (its parent) with time from clock."""
        super().__init__(window)
        self._window = window
        self._clock = clock
        self._held_at: float | None = None  # when the press under way has been held long enough
        self._swallow_release = False
        self.enabled = True
        self.timer = QTimer(self)
        self.timer.setObjectName("hiddenCornerTimer")
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.check)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def corner(self) -> QRect:
        """The corner square, in the window's coordinates."""
        side = mm_to_px(self._window, CORNER_MM)
        return QRect(0, 0, side, side)

    def holding(self) -> bool:
        """Tell whether a press in the corner is being held."""
        return self._held_at is not None

    def check(self) -> None:
        """Emit ``activated`` once the press has been held long enough."""
        if self._held_at is None:
            self.timer.stop()
            return
        if self._clock.monotonic() >= self._held_at:
            self._held_at = None
            self._swallow_release = True
            self.timer.stop()
            self.activated.emit()

    def _global_point(self, event: QEvent) -> QPoint | None:
        if isinstance(event, QMouseEvent):
            return event.globalPosition().toPoint()
        if isinstance(event, QTouchEvent) and event.points():
            return event.points()[0].globalPosition().toPoint()
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Start timing a press in the corner; stop on release; swallow an activating release."""
        kind = event.type()
        if kind not in _PRESSES and kind not in _RELEASES:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        if kind in _PRESSES:
            point = self._global_point(event)
            if (
                self.enabled
                and point is not None
                and self.corner().contains(self._window.mapFromGlobal(point))
            ):
                if self._held_at is None:
                    self._held_at = self._clock.monotonic() + HOLD_S
                    self.timer.start()
            else:
                self._held_at = None
            return False
        self._held_at = None
        if self._swallow_release:
            self._swallow_release = False
            return True
        return False
