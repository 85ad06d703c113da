"""What the store hands back (enrollments, ingest results, kiosk status) and how it refuses.

Plain records with no database in them: the routes, the commands and the pages read them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Final

from wire.receipt import Ranges, Receipt

ROLES: Final = ("viewer", "officer", "admin")  # an operator's; each can do all the ones before can
SKEW_FLAG_SECONDS: Final = 300  # a kiosk clock more than 5 minutes off is flagged (default)

SKEW_THRESHOLD_ENV: Final = "SANGSUK_CLOCK_THRESHOLD_S"
log = logging.getLogger(__name__)


def skew_threshold_from_env() -> float:
    """The clock-skew flag threshold in seconds: $SANGSUK_CLOCK_THRESHOLD_S, else 300."""
    text = os.environ.get(SKEW_THRESHOLD_ENV, "")
    try:
        value = float(text) if text else float(SKEW_FLAG_SECONDS)
    except ValueError:
        log.warning("ignoring %s=%r: not a number of seconds", SKEW_THRESHOLD_ENV, text)
        return float(SKEW_FLAG_SECONDS)
    return value if value > 0 else float(SKEW_FLAG_SECONDS)


class StoreError(Exception):
    """A request the store refuses. ``code`` names the reason; the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class WordedError(StoreError):
    """A refusal the console and the command line word from their catalogues: ``key`` and
    ``values`` name why; the message says it in English for the log."""

    def __init__(self, code: str, key: str, message: str, **values: str | int) -> None:
        super().__init__(code, message)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class Enrollment:
    """What a kiosk learns when it enrolls."""

    kiosk: str
    district: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str


@dataclass(slots=True)
class IngestResult:
    """What one batch did to the store."""

    receipt: Receipt
    new: int = 0
    duplicates: int = 0
    conflicts: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class KioskStatus:
    """What the collector holds for one kiosk."""

    kiosk: str
    district: str
    enrolled_at: str
    revoked_at: str | None
    last_seen: str | None
    contiguous: int
    max_seq: int
    votes: int
    held: Ranges
    missing: Ranges
    clock_skew_s: float | None
    # The newest vote's cast_at minus the receipt time of the latest batch (any source):
    # positive means votes stamped in the future, a clock running ahead.
    vote_ahead_s: float | None = None
    clock_checked_at: str | None = None
    skew_threshold_s: float = SKEW_FLAG_SECONDS
    # Batches that brought no new vote (replays, or resends): they do not move last_seen.
    replays: int = 0
    last_replay_at: str | None = None
    # The software version the kiosk last named with an accepted network batch (advice only:
    # HTTP metadata, wire/agent.py); None while none has.
    software: str | None = None
    # When the kiosk last checked in: a network batch with no new vote that it signed later
    # than every earlier one (not a replay). None while it never has.
    last_checkin: str | None = None

    @property
    def last_heard(self) -> str | None:
        """The later of last_seen and last_checkin: when the kiosk itself was last heard from."""
        times = [t for t in (self.last_seen, self.last_checkin) if t is not None]
        return max(times) if times else None

    @property
    def revoked(self) -> bool:
        """True once the central office revoked the kiosk."""
        return self.revoked_at is not None

    @property
    def skew_flagged(self) -> bool:
        """True when the kiosk's clock was found more than skew_threshold_s off.

        Either a network batch's made_at was that far from the receipt time (ahead or
        behind), or a batch (network or USB) held votes cast that far after it was received.
        """
        return (
            self.clock_skew_s is not None and abs(self.clock_skew_s) > self.skew_threshold_s
        ) or (self.vote_ahead_s is not None and self.vote_ahead_s > self.skew_threshold_s)
