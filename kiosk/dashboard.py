"""What the clerk's dashboard shows, read from the ledger file without changing it.

``read_dashboard`` opens the ledger read-only on its own connection (it never creates one,
and needs no device key), so it runs on any thread beside the ledger service's connection.
Counts come from ``vote_counts``, kept by the ledger's triggers, so they cost the same at any
size; the latest stories are found among the last ``STORY_SCAN`` votes. The campaign the kiosk
shows comes from its kept notice (kiosk/campaign.py), checked against the pinned collector key.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

from kiosk.campaign import ShownCampaign, shown_campaign
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.ledger import LEDGER_FILE_NAME
from kiosk.resend import load_resend
from kiosk.roster import Roster
from kiosk.save_failure import SaveFailure, last_save_failure
from kiosk.syncstate import SyncState, load_sync_state
from wire.batch import to_ranges
from wire.vote import VoteError, parse_vote

STORY_SCAN: Final = 400  # how many of the latest votes are searched for stories
LATEST_STORIES: Final = 5
# Size estimate of an export: each vote's signed bytes once in its batch file, a line of the
# CSV summary, and a batch envelope per file.
CSV_BYTES_PER_VOTE: Final = 160
BATCH_OVERHEAD_BYTES: Final = 1024
log = logging.getLogger(__name__)


class DashboardError(Exception):
    """The ledger file exists but cannot be read."""


@dataclass(frozen=True, slots=True)
class TargetCount:
    """Votes naming one staff member or unit; ``name`` is None for an id the roster lacks."""

    kind: str
    id: str
    name_th: str | None
    name_en: str | None
    retired: bool
    votes: int

    def name(self, lang: str) -> str:
        """The name in lang, or the bare id when the roster does not know it."""
        chosen = self.name_en if lang == "en" and self.name_en else self.name_th
        return chosen or self.id


@dataclass(frozen=True, slots=True)
class Story:
    """A citizen's story as the ledger holds it (personal numbers already masked)."""

    seq: int
    cast_at: str
    rating: int
    text: str


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """What an export would write now: how many votes and about how many bytes.

    ``votes`` counts every vote written; ``resend`` of them are votes already delivered that the
    central office asked for again (kiosk/resend.py): they are not "not yet sent", and the clerk
    is told them apart (``new`` are the votes never delivered).
    """

    votes: int
    vote_bytes: int
    batches: int
    resend: int = 0

    @property
    def new(self) -> int:
        """The votes written that were never delivered."""
        return self.votes - self.resend

    @property
    def estimated_bytes(self) -> int:
        """About how many bytes the batch files and the CSV summary take together."""
        if self.votes == 0:
            return 0
        return (
            self.vote_bytes + self.votes * CSV_BYTES_PER_VOTE + self.batches * BATCH_OVERHEAD_BYTES
        )


@dataclass(frozen=True, slots=True)
class DashboardData:
    """Everything on the dashboard, at one moment."""

    total: int = 0
    today: int = 0
    delivered: int = 0
    by_rating: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    staff: tuple[TargetCount, ...] = ()
    units: tuple[TargetCount, ...] = ()
    no_target: int = 0
    stories: tuple[Story, ...] = ()
    export: ExportPlan = field(default_factory=lambda: ExportPlan(0, 0, 0))
    sync: SyncState = field(default_factory=SyncState)
    save_failure: SaveFailure | None = None
    campaign: ShownCampaign | None = None  # None: no campaign heard yet, the default shows
    resend: int = 0  # delivered votes the collector asked for again (kiosk/resend.py)

    @property
    def pending(self) -> int:
        """Votes the collector has not yet acknowledged."""
        return self.total - self.delivered


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=10.0)


def read_dashboard(
    data_dir: Path,
    roster: Roster,
    today: date,
    *,
    batch_size: int = 500,
    config: KioskConfig | None = None,
) -> DashboardData:
    """Read the dashboard's figures from data_dir's ledger (zeros when there is none yet).

    ``config`` is the kiosk's settings, whose collector key the kept campaign is checked
    against (None: read from data_dir)."""
    sync = load_sync_state(data_dir)
    failure = last_save_failure(data_dir)
    campaign = _campaign(data_dir, config, today)
    path = data_dir / LEDGER_FILE_NAME
    if not path.exists():
        return DashboardData(sync=sync, save_failure=failure, campaign=campaign)
    try:
        conn = _connect_read_only(path)
        try:
            counts = dict(conn.execute("SELECT key, n FROM vote_counts").fetchall())
            rows = conn.execute(
                "SELECT seq, body FROM votes ORDER BY seq DESC LIMIT ?", (STORY_SCAN,)
            ).fetchall()
            pending_votes, pending_bytes = conn.execute(
                "SELECT COUNT(*), COALESCE(SUM(length(v.body)), 0)"
                " FROM undelivered u JOIN votes v ON v.seq = u.seq"
            ).fetchone()
            # The votes to send again go on the stick too (sync/usb.py).
            resend_votes = resend_bytes = 0
            for first, last in to_ranges(load_resend(data_dir)):
                n, size = conn.execute(
                    "SELECT COUNT(*), COALESCE(SUM(length(body)), 0) FROM votes"
                    " WHERE seq BETWEEN ? AND ?",
                    (first, last),
                ).fetchone()
                resend_votes, resend_bytes = resend_votes + int(n), resend_bytes + int(size)
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            log.error("the dashboard cannot read the ledger %s: %s", path, exc)
            raise DashboardError(f"the ledger {path} cannot be read: {exc}") from exc
        # The ledger thread is creating the file right now (its tables come in one
        # transaction): nothing has been voted in it yet.
        return DashboardData(sync=sync, save_failure=failure, campaign=campaign)
    except sqlite3.Error as exc:
        log.error("the dashboard cannot read the ledger %s: %s", path, exc)
        raise DashboardError(f"the ledger {path} cannot be read: {exc}") from exc
    by_target = {k[7:]: int(n) for k, n in counts.items() if k.startswith("target:")}
    staff, units = _targets(by_target, roster)
    batches = -(-int(pending_votes) // max(1, batch_size)) + -(-resend_votes // max(1, batch_size))
    return DashboardData(
        total=int(counts.get("total", 0)),
        today=int(counts.get(f"day:{today.isoformat()}", 0)),
        delivered=int(counts.get("delivered", 0)),
        by_rating={r: int(counts.get(f"rating:{r}", 0)) for r in range(1, 6)},
        staff=staff,
        units=units,
        no_target=by_target.get("none", 0),
        stories=_stories(rows),
        export=ExportPlan(
            int(pending_votes) + resend_votes,
            int(pending_bytes) + resend_bytes,
            batches,
            resend_votes,
        ),
        sync=sync,
        save_failure=failure,
        campaign=campaign,
        resend=resend_votes,
    )


def _campaign(data_dir: Path, config: KioskConfig | None, today: date) -> ShownCampaign | None:
    """The campaign shown; None when the settings cannot be read (the kiosk's start says why)."""
    if config is None:
        try:
            config = load_config(data_dir)
        except ConfigError as exc:
            log.warning("the dashboard cannot check the kept campaign: %s", exc)
            return None
    return shown_campaign(data_dir, config, today)


def _targets(
    by_target: dict[str, int], roster: Roster
) -> tuple[tuple[TargetCount, ...], tuple[TargetCount, ...]]:
    """Votes per staff member and per unit, most first; retired ones and unknown ids included."""
    staff: list[TargetCount] = []
    units: list[TargetCount] = []
    for key, votes in by_target.items():
        kind, _, ident = key.partition(":")
        if kind not in ("staff", "unit"):
            continue
        entry = roster.staff_by_id(ident) if kind == "staff" else roster.unit_by_id(ident)
        (staff if kind == "staff" else units).append(
            TargetCount(
                kind,
                ident,
                entry.name_th if entry else None,
                entry.name_en if entry else None,
                entry.retired if entry else False,
                votes,
            )
        )
    return tuple(sorted(staff, key=_most_first)), tuple(sorted(units, key=_most_first))


def _most_first(count: TargetCount) -> tuple[int, str]:
    return -count.votes, count.id


def _stories(rows: list[tuple[int, bytes]]) -> tuple[Story, ...]:
    found: list[Story] = []
    for seq, body in rows:
        try:
            vote = parse_vote(bytes(body))
        except VoteError as exc:  # verify names it; the dashboard just skips it
            log.warning("vote %d cannot be read for the dashboard: %s", seq, exc)
            continue
        if vote.ballot.story:
            found.append(Story(int(seq), vote.cast_at, vote.ballot.rating, vote.ballot.story))
            if len(found) == LATEST_STORIES:
                break
    return tuple(found)
