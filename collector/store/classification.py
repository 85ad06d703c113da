"""Which size groups a campaign is ranked in: the current classification, or its own.

The department classifies the district offices anew from time to time, and a classification
belongs to the campaigns it was made for: loading next year's must not re-rank a campaign that
has ended. ``districts.size_group`` is the current classification. A campaign follows it until a
classification is loaded that applies only *from a later campaign on*; then the campaigns before
that one keep the groups they had in ``campaign_groups`` (migration 0011), and the ones from it
on take the load's groups for the districts it names (those that kept their own keep them for
the others; the rest follow the table). The first load of all applies to every campaign. A load
always names where it applies from (``applies_from``, the console's choice; by default the first
campaign that has not ended, the running one included, so ended campaigns keep theirs unless the
officer chooses to correct them). It never
applies to a campaign whose awards were announced, nor to any before it: an announcement is
decided on the groups of its day, and its publication recounts on them (``announced_through``).

Every reading of a campaign's groups goes through ``table``: the rankings, the reports, the
district pages and the publication, so a campaign's figures, awards and recount agree. Announced
awards are frozen besides (announcements.py). Each function works in the connection given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.store.records import WordedError

# A campaign's classification as a table with the districts' columns: its own group where it
# kept one, else the current. Used as ``FROM {table(campaign)} d`` with :campaign bound. A
# campaign that keeps its groups has a row for every loaded district (``settle`` fills in the
# districts loaded since before each load), so the current table never reaches into it.
_OWN: Final = (
    "(SELECT d.code, COALESCE(g.size_group, d.size_group) AS size_group, d.name_th,"
    " d.name_en, d.province_th, d.province_en FROM districts d LEFT JOIN campaign_groups g"
    " ON g.district = d.code AND g.campaign = :campaign)"
)


def table(campaign: int | None) -> str:
    """SQL for the districts with campaign's size groups (bind :campaign), or the current
    classification's (None: every vote held)."""
    return "districts" if campaign is None else _OWN


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a load applies: the campaigns (years) that keep their own groups, and those that
    follow the table as loaded (with the campaigns defined later)."""

    applies_from: int | None  # the first year it applies to; None: every campaign
    keeping: tuple[int, ...]
    following: tuple[int, ...]


def years(conn: Connection) -> list[tuple[int, str]]:
    """Every campaign's (year, ends_at), oldest first."""
    return [
        (int(year), str(ends))
        for year, ends in conn.execute(sa.text("SELECT year, ends_at FROM campaigns ORDER BY year"))
    ]


def announced_through(conn: Connection) -> int | None:
    """The latest campaign with an award announced: it and those before keep their groups."""
    latest = conn.execute(
        sa.text("SELECT MAX(campaign) FROM campaign_announcements WHERE campaign > 0")
    ).scalar()
    return int(latest) if latest is not None else None


def earliest(conn: Connection) -> int:
    """The first campaign year a load may apply from: after the latest announced (else 0)."""
    return (announced_through(conn) or 0) + 1


def first_open(conn: Connection, now: str) -> int | None:
    """The default start of a load: the first campaign not ended at now, the running one
    included (and after every announced one), else the year after the last; None with no
    campaign."""
    defined = years(conn)
    if not defined:
        return None
    after = earliest(conn)
    return next((y for y, ends in defined if ends > now and y >= after), defined[-1][0] + 1)


def check_start(conn: Connection, applies_from: int | None) -> None:
    """Refuse (StoreError 'groups_announced') a load that would apply to an announced campaign."""
    announced = announced_through(conn)
    if announced is not None and (applies_from is None or applies_from <= announced):
        raise WordedError(
            "groups_announced",
            "groups.error.announced",
            f"the awards of campaign {announced} are announced, so its size groups and those"
            f" of the campaigns before it stay as they are; a classification can apply from"
            f" campaign {announced + 1} on",
            campaign=announced,
            next=announced + 1,
        )


def scope(conn: Connection, applies_from: int | None) -> Scope:
    """Which campaigns a load applying from applies_from leaves alone and which it changes. The
    first load of all (no district loaded yet) applies to every campaign: none had groups."""
    defined = [year for year, _ in years(conn)]
    loaded = conn.execute(sa.text("SELECT 1 FROM districts LIMIT 1")).first() is not None
    if applies_from is None or not loaded:
        return Scope(None, (), tuple(defined))
    return Scope(
        applies_from,
        tuple(y for y in defined if y < applies_from),
        tuple(y for y in defined if y >= applies_from),
    )


def own(conn: Connection) -> dict[int, int]:
    """The campaigns that keep their own groups, each with how many districts it has them for."""
    return {
        int(year): int(n)
        for year, n in conn.execute(
            sa.text("SELECT campaign, COUNT(*) FROM campaign_groups GROUP BY campaign")
        )
    }


def kept_groups(conn: Connection, years: tuple[int, ...]) -> dict[int, dict[str, str]]:
    """The groups each of the campaigns years kept, by district (none for those following the
    current table)."""
    kept: dict[int, dict[str, str]] = {}
    if not years:
        return kept
    for year, district, group in conn.execute(
        sa.text(
            "SELECT campaign, district, size_group FROM campaign_groups WHERE campaign >= :first"
        ),
        {"first": min(years)},
    ):
        if int(year) in years:
            kept.setdefault(int(year), {})[str(district)] = str(group)
    return kept


def settle(conn: Connection, applies_from: int | None, groups: dict[str, str]) -> None:
    """Before a load of groups (district code → group) that applies from applies_from: the
    campaigns before it keep the groups they have now, for every loaded district (those that
    kept theirs already get the districts loaded since), and those from it on that kept their
    own take the load's groups for its districts (their other districts stay as they were).
    In the load's write transaction, before the table is written."""
    known = scope(conn, applies_from)
    for year in known.keeping:
        conn.execute(
            sa.text(
                "INSERT INTO campaign_groups (campaign, district, size_group)"
                " SELECT :campaign, d.code, d.size_group FROM districts d WHERE NOT EXISTS"
                " (SELECT 1 FROM campaign_groups g WHERE g.campaign = :campaign"
                " AND g.district = d.code)"
            ),
            {"campaign": year},
        )
    if known.following and groups:
        conn.execute(
            sa.text(
                "UPDATE campaign_groups SET size_group = :group"
                " WHERE campaign >= :first AND district = :code"
            ),
            [
                {"group": group, "first": min(known.following), "code": code}
                for code, group in groups.items()
            ],
        )


def state_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """The groups campaigns kept: what, besides the current table, a load's preview depends on
    (a preview is refused when either changed since)."""
    return [
        tuple(row)
        for row in conn.execute(
            sa.text(
                "SELECT campaign, district, size_group FROM campaign_groups"
                " ORDER BY campaign, district"
            )
        )
    ]
