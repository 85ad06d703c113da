"""The wall clock, behind a small interface so tests can substitute a fake one, and the time
formats: the protocol's UTC timestamps and Thai time (UTC+7 all year) for people."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Final, Protocol

# District offices are all in Thailand, which keeps UTC+7 all year: "today" is a Thai day.
THAI_OFFSET: Final = timedelta(hours=7)
THAI_TIME: Final = timezone(THAI_OFFSET, "ICT")


class Clock(Protocol):
    """Tells the time. The wall clock is advice: order comes from seq, never from this."""

    def now(self) -> datetime:
        """Return the current wall-clock time as an aware UTC datetime."""
        ...

    def monotonic(self) -> float:
        """Return seconds from an arbitrary start that never go backwards."""
        ...


class SystemClock:
    """The real clock of the machine."""

    def now(self) -> datetime:
        """Return the current wall-clock time as an aware UTC datetime."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Return the machine's monotonic time in seconds."""
        return time.monotonic()


def format_utc(moment: datetime) -> str:
    """Format an aware datetime as the protocol's UTC timestamp, e.g. 2026-11-24T03:15:30.123Z."""
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no time zone; pass an aware one")
    u = moment.astimezone(UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}"
        f".{u.microsecond // 1000:03d}Z"
    )


_TIMESTAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z", re.ASCII)


def parse_utc(text: str) -> datetime:
    """Parse the protocol's UTC timestamp format back into an aware datetime."""
    if not isinstance(text, str) or not _TIMESTAMP.fullmatch(text):
        raise ValueError(f"not a timestamp of the form 2026-11-24T03:15:30.123Z: {text!r}")
    try:
        # The pattern fixed the shape; fromisoformat (C) reads it and checks the calendar.
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not a real moment: {text!r} ({exc})") from None


def thai_day(moment: datetime) -> date:
    """Return the Thai calendar day (UTC+7) of an aware UTC datetime."""
    try:
        return (moment + THAI_OFFSET).date()
    except OverflowError:  # a clock set to the last hours of 9999: the wall clock is advice
        return date.max


def thai_time_text(stamp: str) -> str:
    """A protocol timestamp as Thai time for a person, e.g. 2026-11-24 10:05; ValueError if bad."""
    return (parse_utc(stamp) + THAI_OFFSET).strftime("%Y-%m-%d %H:%M")
