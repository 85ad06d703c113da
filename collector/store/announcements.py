"""The awards announced per campaign and size group: written once, with their audit row, never
changed.

An announcement freezes a campaign's size group's ranking as it stood when an officer announced it: the
method, every ranked district with its score and votes, how many votes were counted, and which
(each kiosk's runs of seqs, runs.py), so that a publication made later still names exactly them. The
store holds no way to change or remove one: a second announcement of the same group is
refused (StoreError 'already_announced', with an audit row naming who tried), so what the
public pages show as the award never moves when more votes arrive. The ranking itself is
decided by the caller (collector/ranking.py sits beside the store, not under it), inside the
announcing transaction, so the frozen ranking is exactly that of the votes held at that moment.
Campaign 0 is "no campaign": the awards over every vote, as announced before campaigns existed
(migration 0004) or while none is defined. A campaign's groups are all announced by one ranking
method (MethodDiffersError otherwise): its publication ranks it by that method, whatever method
is saved later for the next campaigns (collector/publish.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store import runs
from collector.store.collector_store import CollectorStore
from collector.store.records import StoreError
from wire.districts import SIZE_GROUPS

_COLUMNS: Final = "size_group, announced_at, operator, method, awards, votes, campaign"
NO_CAMPAIGN: Final = 0


@dataclass(frozen=True, slots=True)
class Decided:
    """What is frozen: the method (JSON), the group's ranked districts, the votes counted."""

    method: dict[str, Any]
    awards: list[dict[str, Any]]  # best first: {"code", "score", "votes"}, as `awards --json`
    votes: int


@dataclass(frozen=True, slots=True)
class Announcement:
    """A size group's announced awards, as frozen."""

    size_group: str
    announced_at: str
    operator: str
    method: dict[str, Any]
    awards: list[dict[str, Any]]
    votes: int
    campaign: int = NO_CAMPAIGN

    @property
    def winner(self) -> dict[str, Any] | None:
        """The announced first place (None if the group had no ranked district)."""
        return self.awards[0] if self.awards else None


class AlreadyAnnouncedError(StoreError):
    """The group was announced before; the announcement stands."""

    def __init__(self, held: Announcement) -> None:
        of = f" of campaign {held.campaign}" if held.campaign else ""
        super().__init__(
            "already_announced",
            f"the {held.size_group} group{of} was announced at {held.announced_at} by"
            f" {held.operator}; an announcement is final",
        )
        self.held = held


class MethodDiffersError(StoreError):
    """Another group of the campaign was announced with another ranking method."""

    def __init__(self, held: Announcement) -> None:
        super().__init__(
            "method_differs",
            f"the {held.size_group} group of the same campaign was announced with the ranking"
            f" method {json.dumps(held.method, sort_keys=True)}; a campaign's groups are all"
            " announced by one method",
        )
        self.held = held


def _announcement(row: Any) -> Announcement:
    group, at, operator, method, awards, votes, campaign = row
    return Announcement(
        group, at, operator, json.loads(method), json.loads(awards), int(votes), int(campaign)
    )


def read(conn: Connection, campaign: int = NO_CAMPAIGN) -> dict[str, Announcement]:
    """A campaign's announcements, by size group, in conn's transaction."""
    found = conn.execute(
        sa.text(f"SELECT {_COLUMNS} FROM campaign_announcements WHERE campaign = :campaign"),
        {"campaign": campaign},
    )
    return {row[0]: _announcement(row) for row in found}


def announcements(store: CollectorStore, campaign: int = NO_CAMPAIGN) -> dict[str, Announcement]:
    """A campaign's announcements, by size group."""
    with store.reading() as conn:
        return read(conn, campaign)


def method_of(conn: Connection, campaign: int) -> dict[str, Any] | None:
    """The ranking method campaign's awards were announced with (its first announcement's:
    all its groups share it), or None while none is announced."""
    row = conn.execute(
        sa.text(
            "SELECT method FROM campaign_announcements WHERE campaign = :campaign"
            " ORDER BY announced_at, size_group LIMIT 1"
        ),
        {"campaign": campaign},
    ).first()
    return dict(json.loads(row[0])) if row else None


def every(conn: Connection) -> list[Announcement]:
    """Every announcement of every campaign (and of none), the oldest campaign first."""
    found = conn.execute(
        sa.text(
            f"SELECT {_COLUMNS} FROM campaign_announcements ORDER BY campaign, announced_at,"
            " size_group"
        )
    )
    return [_announcement(row) for row in found]


def any_announced(conn: Connection) -> bool:
    """True when any group of any campaign (or of no campaign) has been announced."""
    return conn.execute(sa.text("SELECT 1 FROM campaign_announcements LIMIT 1")).first() is not None


def announce(
    store: CollectorStore,
    group: str,
    operator: str,
    decide: Callable[[Connection], Decided],
    source: str = "console",
    campaign: int = NO_CAMPAIGN,
) -> Announcement:
    """Freeze group's awards as decide(conn) finds them, with an 'announced' audit row.

    decide runs inside the writing transaction, so it sees exactly the votes the announcement
    is made on; it may raise to refuse (nothing is then written). A group announced before is
    refused with AlreadyAnnouncedError, and the attempt is written to the audit.
    """
    if group not in SIZE_GROUPS:
        raise StoreError("unknown_group", f"there is no size group {group!r}")
    now = store.now()
    with store.transaction() as conn:
        held = _held(conn, group, campaign)
        if held is None:
            period = _period(conn, campaign)
            if conn.dialect.name == "postgresql":
                # The ranking and the runs kept must see the same votes: share mode waits for
                # the ingests under way and holds new ones until this commits (SQLite's write
                # transaction already holds the file's lock). The size groups likewise: a load
                # under way finishes first, and none starts until this commits (a load refuses
                # to apply to an announced campaign: classification.check_start).
                conn.execute(sa.text("LOCK TABLE votes, districts IN SHARE MODE"))
                # Two announcements of one campaign take turns, so the second sees the first's
                # method (one method per campaign) whatever group each announces.
                conn.execute(
                    sa.text("LOCK TABLE campaign_announcements IN SHARE ROW EXCLUSIVE MODE")
                )
            decided = decide(conn)
            other = next(
                (a for a in read(conn, campaign).values() if a.method != decided.method), None
            )
            if other is not None:
                raise MethodDiffersError(other)
            written = conn.execute(
                sa.text(
                    f"INSERT INTO campaign_announcements ({_COLUMNS})"
                    " VALUES (:group, :at, :operator, :method, :awards, :votes, :campaign)"
                    " ON CONFLICT (campaign, size_group) DO NOTHING"
                ),
                {
                    "group": group, "at": now, "operator": operator,
                    "method": json.dumps(decided.method, sort_keys=True),
                    "awards": json.dumps(decided.awards, ensure_ascii=False),
                    "votes": decided.votes, "campaign": campaign,
                },
            )  # fmt: skip
            if written.rowcount:
                # The votes decided on, kept as the publication will name them (runs.py).
                kept = runs.freeze(conn, campaign, group, period)
                if runs.count(kept) != decided.votes:  # nothing is written: the store is wrong
                    raise StoreError(
                        "announce_mismatch",
                        f"the ranking counted {decided.votes} votes but {runs.count(kept)} are"
                        " held for the campaign; nothing was announced",
                    )
                winner = decided.awards[0]["code"] if decided.awards else "none"
                of = f" of campaign {campaign}" if campaign else ""
                store._audit(  # the store's own audit writer, in this transaction
                    conn, "announced", group,
                    f"{group} awards{of} announced: winner {winner}, {len(decided.awards)} districts"
                    f" ranked from {decided.votes} votes ({runs.count(kept)} kept as"
                    f" {sum(map(len, kept.values()))} runs of seqs of {len(kept)} kiosks),"
                    f" method {json.dumps(decided.method)}",
                    None, source, None, operator,
                    {
                        "campaign": campaign or None, "winner": winner if decided.awards else None,
                        "districts": len(decided.awards), "votes": decided.votes,
                    },
                )  # fmt: skip
                return Announcement(
                    group, now, operator, decided.method, decided.awards, decided.votes,
                    campaign,
                )  # fmt: skip
            held = _held(conn, group, campaign)  # another officer's announcement came first
            assert held is not None
    store.audit(
        "refused", "already_announced",
        f"a second announcement of the {group} group (campaign {campaign}) was refused:"
        " announced at"
        f" {held.announced_at} by {held.operator}",
        source=source, operator=operator,
        facts={
            "group": group, "campaign": campaign or None, "announced_at": held.announced_at,
            "by": held.operator,
        },
    )  # fmt: skip
    raise AlreadyAnnouncedError(held)


def _period(conn: Connection, campaign: int) -> tuple[str, str] | None:
    """The campaign's period in UTC (None for campaign 0: every vote)."""
    if campaign == NO_CAMPAIGN:
        return None
    row = conn.execute(
        sa.text("SELECT starts_at, ends_at FROM campaigns WHERE year = :year"), {"year": campaign}
    ).first()
    if row is None:
        raise StoreError("unknown_campaign", f"there is no campaign {campaign}")
    return str(row[0]), str(row[1])


def _held(conn: Connection, group: str, campaign: int) -> Announcement | None:
    row = conn.execute(
        sa.text(
            f"SELECT {_COLUMNS} FROM campaign_announcements"
            " WHERE campaign = :campaign AND size_group = :group"
        ),
        {"group": group, "campaign": campaign},
    ).first()
    return _announcement(row) if row else None
