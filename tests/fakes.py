"""Fakes for what lies outside the program: the clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class FakeClock:
    """A clock that moves only when told to; its wall time may jump backwards like a real one."""

    def __init__(self, start: datetime | None = None) -> None:
        self.wall = start or datetime(2026, 11, 24, 3, 0, 0, tzinfo=UTC)
        self.mono = 1000.0

    def now(self) -> datetime:
        """Return the fake wall time."""
        return self.wall

    def monotonic(self) -> float:
        """Return the fake monotonic time."""
        return self.mono

    def advance(self, seconds: float) -> None:
        """Move both clocks forward."""
        self.wall += timedelta(seconds=seconds)
        self.mono += seconds

    def set_wall(self, moment: datetime) -> None:
        """Set the wall clock to any moment (as a user or a dead battery might), monotonic unchanged."""
        self.wall = moment
