"""The fleet rules: when a kiosk counts as silent, how it is named to people, what needs a look.

The `kiosks` command and the kiosk pages show the same fleet, so the rules live here once: a
kiosk not heard from in ``SILENT_AFTER`` (no new vote, no check-in) is silent (a revoked one never is); a kiosk needs a
look when it is silent, its clock is off (``KioskStatus.skew_flagged``) or its votes have gaps;
people see a kiosk by its fingerprint, never by the whole id. The software the kiosks in
service last named is counted per version (``software_counts``), to follow an update's rollout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from packaging.version import InvalidVersion, Version

from collector.store import KioskStatus
from wire.clock import parse_utc
from wire.keys import fingerprint_for_id

if TYPE_CHECKING:
    from collector.store import CollectorStore


SILENT_AFTER: Final = timedelta(days=3)


def is_silent(status: KioskStatus, now: datetime) -> bool:
    """True when a kiosk that is not revoked has not been heard from in SILENT_AFTER: no new
    vote and no check-in (a replay, which anyone may send, does not count)."""
    heard = status.last_heard
    return not status.revoked and (heard is None or now - parse_utc(heard) > SILENT_AFTER)


@dataclass(frozen=True, slots=True)
class KioskRow:
    """A kiosk as the pages show it."""

    status: KioskStatus
    fingerprint: str
    silent: bool
    missing_votes: int

    @property
    def problem(self) -> bool:
        """True when the kiosk needs a look: silent, a clock off, or gaps in its votes."""
        return self.silent or self.status.skew_flagged or bool(self.status.missing)


def kiosk_rows(store: CollectorStore, only: list[str] | None = None) -> list[KioskRow]:
    """Every kiosk's row, or only those with the given ids; those that need a look first."""
    now = store.clock.now()
    rows = []
    statuses = store.kiosks() if only is None else [store.kiosk_status(k) for k in only]
    for s in statuses:
        missing = sum(b - a + 1 for a, b in s.missing)
        rows.append(KioskRow(s, fingerprint_for_id(s.kiosk), is_silent(s, now), missing))
    # Those that need a look first: silent, then a clock off, then gaps; then by district.
    rows.sort(
        key=lambda r: (
            not r.silent,
            not r.status.skew_flagged,
            not r.status.missing,
            r.status.revoked,
            r.status.district,
            r.status.kiosk,
        )
    )
    return rows


def software_counts(statuses: Iterable[KioskStatus]) -> list[tuple[str | None, int]]:
    """How many kiosks in service (not revoked) last named each software version: the newest
    version first, texts that do not read as a version after them, None (not known) last."""
    counts = Counter(s.software for s in statuses if not s.revoked)
    unknown = counts.pop(None, 0)
    versions: list[tuple[Version, str]] = []
    others: list[str] = []
    for text in counts:
        assert text is not None
        try:
            versions.append((Version(text), text))
        except InvalidVersion:
            others.append(text)
    ordered = [text for _, text in sorted(versions, reverse=True)] + sorted(others)
    return [(text, counts[text]) for text in ordered] + [(None, unknown)]
