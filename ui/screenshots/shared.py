"""What every screenshot shares: a clock that stands still, the window size, settling Qt's events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtWidgets import QWidget

SCREEN_SIZE: Final = QSize(1280, 800)

# Looks at a window as it is about to be pictured: its shot's name, then the window.
Inspect = Callable[[str, QWidget], None]


class StillClock:
    """A clock that moves only when told to, so every shot shows the same countdown."""

    def __init__(self) -> None:
        self.wall = datetime(2026, 11, 24, 3, 0, 0, tzinfo=UTC)
        self.mono = 1000.0

    def now(self) -> datetime:
        """Return the wall time."""
        return self.wall

    def monotonic(self) -> float:
        """Return the monotonic time."""
        return self.mono

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds


def settle() -> None:
    """Deliver the pending events (language change, layout, deferred deletes) before grabbing."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
