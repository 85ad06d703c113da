"""Counted votes as runs of seqs per kiosk: what a publication names and an announcement keeps.

A set of one kiosk's votes is written as its maximal runs of consecutive seqs, ascending:
votes 1-40 and 45-60 held are [(1, 40), (45, 60)]. A kiosk's votes of one campaign are one run
as far as they have arrived (placement.py places them in seq order), but a vote not yet
arrived leaves a gap, and an announcement must keep exactly the votes it counted even after
that gap is filled; so runs, not first and last.

An announcement writes, in its own transaction, the runs of every vote of its campaign held
then (``freeze``): of every kiosk, not only those of its size group, since a group's ranking
pulls each district towards the national mean of all of them. They are never changed, like the
announcement. A publication names the runs it counts and, for each announced group, the runs
its awards were decided on (collector/publish.py; docs/protocol.md 7.3).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

Runs = dict[str, list[tuple[int, int]]]  # kiosk -> its maximal runs of seqs, ascending

# Gaps and islands: along a run of consecutive seqs, seq - row_number() stays the same.
_RUNS: Final = (
    "SELECT kiosk, MIN(seq), MAX(seq) FROM ("
    " SELECT kiosk, seq, seq - ROW_NUMBER() OVER (PARTITION BY kiosk ORDER BY seq) AS island"
    " FROM votes{period}"
    ") islands GROUP BY kiosk, island ORDER BY kiosk, MIN(seq)"
)
_PERIOD: Final = " WHERE placed_at >= :starts AND placed_at < :ends"


def _collect(rows: Iterable[Any]) -> Runs:
    runs: Runs = {}
    for kiosk, first, last in rows:
        runs.setdefault(str(kiosk), []).append((int(first), int(last)))
    return runs


def held_runs(conn: Connection, period: tuple[str, str] | None = None) -> Runs:
    """The runs of the votes held now placed in period (UTC [starts, ends)), or of every vote."""
    query = sa.text(_RUNS.format(period=_PERIOD if period else ""))
    params = {"starts": period[0], "ends": period[1]} if period else {}
    return _collect(conn.execute(query, params))


def freeze(conn: Connection, campaign: int, group: str, period: tuple[str, str] | None) -> Runs:
    """Keep the runs of campaign's votes held now (every kiosk's: the national mean is of them
    all) as the announcement of group counted them; return them."""
    runs = held_runs(conn, period)
    rows = [
        {"campaign": campaign, "group": group, "kiosk": kiosk, "first": first, "last": last}
        for kiosk, kept in runs.items()
        for first, last in kept
    ]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO announced_seqs (campaign, size_group, kiosk, first_seq, last_seq)"
                " VALUES (:campaign, :group, :kiosk, :first, :last)"
            ),
            rows,
        )
    return runs


def announced_runs(conn: Connection, campaign: int) -> dict[str, Runs]:
    """The runs each announced size group of campaign counted, by group."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for group, kiosk, first, last in conn.execute(
        sa.text(
            "SELECT size_group, kiosk, first_seq, last_seq FROM announced_seqs"
            " WHERE campaign = :campaign ORDER BY size_group, kiosk, first_seq"
        ),
        {"campaign": campaign},
    ):
        found.setdefault(str(group), []).append((kiosk, first, last))
    return {group: _collect(rows) for group, rows in found.items()}


def count(runs: Runs) -> int:
    """How many votes the runs name."""
    return sum(last - first + 1 for kept in runs.values() for first, last in kept)
