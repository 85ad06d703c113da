"""The tallies: counts kept beside the votes, added to in the transaction that stores them.

Pages, `report` and `awards` read these rows and never group the votes themselves, so their
cost does not grow with the votes (migration 0002). The invariant, checked by
tests/collector/test_tallies.py on both backends: every tally equals what counting the
``votes`` table would give. Only ``add_votes`` writes them, and only for votes it is told
were inserted in the same transaction; a campaign defined later is filled once from the votes
held (``fill_campaign``). A vote is counted on the Thai day of its placed time (placement.py),
the time that decides its campaign, so a campaign's days hold exactly its votes.

On PostgreSQL several servers store batches at once. A batch's votes are all of one
district (the store refuses others), so the district's rows are shared only with the few
kiosks of that office; the day and source rows are shared by every batch, so they are
written last, in a fixed order, and held only until the commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from operator import attrgetter, itemgetter
from typing import Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from wire.batch import VoteRecord

RATINGS: Final = range(1, 6)
_ADD_DISTRICT: Final = (
    "INSERT INTO tally_districts (district, r1, r2, r3, r4, r5, stories, burst)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (district) DO UPDATE SET"
    " r1 = tally_districts.r1 + excluded.r1, r2 = tally_districts.r2 + excluded.r2,"
    " r3 = tally_districts.r3 + excluded.r3, r4 = tally_districts.r4 + excluded.r4,"
    " r5 = tally_districts.r5 + excluded.r5,"
    " stories = tally_districts.stories + excluded.stories,"
    " burst = tally_districts.burst + excluded.burst"
)
_ADD_TARGET: Final = (
    "INSERT INTO tally_targets (district, target_kind, target_id, votes, rating_sum)"
    " VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (district, target_kind, target_id) DO UPDATE SET"
    " votes = tally_targets.votes + excluded.votes,"
    " rating_sum = tally_targets.rating_sum + excluded.rating_sum"
)
_ADD_DAY: Final = (
    "INSERT INTO tally_days (day, votes) VALUES (?, ?)"
    " ON CONFLICT (day) DO UPDATE SET votes = tally_days.votes + excluded.votes"
)
_ADD_SOURCE: Final = (
    "INSERT INTO tally_sources (source, votes) VALUES (?, ?)"
    " ON CONFLICT (source) DO UPDATE SET votes = tally_sources.votes + excluded.votes"
)


_ADD_CAMPAIGN = sa.text(
    "INSERT INTO tally_campaigns (campaign, district, r1, r2, r3, r4, r5, stories, burst, usb)"
    " VALUES (:campaign, :district, :r1, :r2, :r3, :r4, :r5, :stories, :burst, :usb)"
    " ON CONFLICT (campaign, district) DO UPDATE SET"
    " r1 = tally_campaigns.r1 + excluded.r1, r2 = tally_campaigns.r2 + excluded.r2,"
    " r3 = tally_campaigns.r3 + excluded.r3, r4 = tally_campaigns.r4 + excluded.r4,"
    " r5 = tally_campaigns.r5 + excluded.r5,"
    " stories = tally_campaigns.stories + excluded.stories,"
    " burst = tally_campaigns.burst + excluded.burst, usb = tally_campaigns.usb + excluded.usb"
)
_ADD_CAMPAIGN_KIOSK = sa.text(
    "INSERT INTO tally_campaign_kiosks (campaign, kiosk, votes, last_received)"
    " VALUES (:campaign, :kiosk, :votes, :received)"
    " ON CONFLICT (campaign, kiosk) DO UPDATE SET"
    " votes = tally_campaign_kiosks.votes + excluded.votes,"
    " last_received = CASE WHEN excluded.last_received > tally_campaign_kiosks.last_received"
    " THEN excluded.last_received ELSE tally_campaign_kiosks.last_received END"
)
_CAMPAIGNS_AROUND = sa.text(
    "SELECT year, starts_at, ends_at FROM campaigns WHERE starts_at <= :last AND ends_at > :first"
    " ORDER BY year"  # a batch across two campaigns writes their rows in one order
)


_TARGET_KIND, _TARGET_ID, _RATING = (
    attrgetter("target_kind"),
    attrgetter("target_id"),
    attrgetter("rating"),
)
_STORY, _BURST = attrgetter("story"), attrgetter("burst")
_HOUR = itemgetter(slice(0, 13))  # "2026-11-24T03" of a protocol timestamp


def thai_day(stamp: str) -> str:
    """The Thai calendar day (UTC+7, no daylight saving) of a protocol timestamp (its first
    13 characters, the date and hour, are enough)."""
    # A protocol timestamp: YYYY-MM-DDTHH:MM:SS.mmmZ. From 17:00 UTC it is the next day.
    if stamp[11:13] < "17":
        return stamp[:10]
    day = date.fromisoformat(stamp[:10])
    if day == date.max:  # a kiosk clock at the end of time: the vote counts, on the last day
        return day.isoformat()
    return (day + timedelta(days=1)).isoformat()


def _district_row(district: str, new: Sequence[VoteRecord]) -> dict[str, object]:
    ratings = Counter(vote.rating for vote in new)
    return {
        "district": district,
        **{f"r{r}": ratings.get(r, 0) for r in RATINGS},
        "stories": sum(1 for vote in new if vote.story),
        "burst": sum(1 for vote in new if vote.burst),
    }


def add_to_campaigns(
    conn: Connection,
    kiosk: str,
    district: str,
    source: str,
    received_at: str,
    new: Sequence[VoteRecord],
    placed: Sequence[str],
) -> None:
    """Add a batch's new votes (of kiosk, arrived by source at received_at) to the tallies of
    the campaign whose period holds each one's placed time (placement.py): its district's and
    its kiosk's. A vote in no campaign's days is in none."""
    # Read after the votes were inserted: on PostgreSQL, `campaigns.add` locks the votes
    # against inserts while it fills a new campaign's tally, so a batch either is in that
    # fill or sees the new campaign here, never neither.
    held = conn.execute(_CAMPAIGNS_AROUND, {"first": min(placed), "last": max(placed)}).all()
    for year, starts_at, ends_at in held:
        inside = [v for v, at in zip(new, placed, strict=True) if starts_at <= at < ends_at]
        if inside:
            row = _district_row(district, inside)
            usb = len(inside) if source == "usb" else 0
            conn.execute(_ADD_CAMPAIGN, {"campaign": int(year), **row, "usb": usb})
            conn.execute(
                _ADD_CAMPAIGN_KIOSK,
                {
                    "campaign": int(year),
                    "kiosk": kiosk,
                    "votes": len(inside),
                    "received": received_at,
                },
            )


def fill_campaign(conn: Connection, year: int, starts_at: str, ends_at: str) -> None:
    """Fill a newly defined campaign's tallies (by district and by kiosk) from the votes held
    whose placed time it holds."""
    ratings = ", ".join(f"SUM(CASE WHEN rating = {r} THEN 1 ELSE 0 END)" for r in RATINGS)
    period = {"year": year, "starts": starts_at, "ends": ends_at}
    conn.execute(
        sa.text(
            "INSERT INTO tally_campaigns"
            " (campaign, district, r1, r2, r3, r4, r5, stories, burst, usb)"
            f" SELECT :year, district, {ratings}, SUM(CASE WHEN story <> '' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN burst = 1 THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN source = 'usb' THEN 1 ELSE 0 END) FROM votes"
            " WHERE placed_at >= :starts AND placed_at < :ends GROUP BY district"
        ),
        period,
    )
    conn.execute(
        sa.text(
            "INSERT INTO tally_campaign_kiosks (campaign, kiosk, votes, last_received)"
            " SELECT :year, kiosk, COUNT(*), MAX(received_at) FROM votes"
            " WHERE placed_at >= :starts AND placed_at < :ends GROUP BY kiosk"
        ),
        period,
    )


def add_votes(
    conn: Connection,
    kiosk: str,
    district: str,
    source: str,
    received_at: str,
    new: Sequence[VoteRecord],
    placed: Sequence[str],
) -> None:
    """Add a batch's newly stored votes (all of one kiosk, so of one district) to the tallies.

    ``placed`` is each vote's placed time (placement.py): its day and its campaign.
    """
    if not new:
        return
    add_to_campaigns(conn, kiosk, district, source, received_at, new, placed)
    # Counted in C (map, zip, Counter): this runs for every vote the collector stores.
    ratings = [0] * RATINGS.stop  # by rating; [0] unused
    targets: dict[tuple[str, str], list[int]] = {}  # (kind, id) -> [votes, rating sum]
    for (kind, tid, rating), n in Counter(
        zip(map(_TARGET_KIND, new), map(_TARGET_ID, new), map(_RATING, new), strict=True)
    ).items():
        ratings[rating] += n
        counts = targets.setdefault((kind or "", tid or ""), [0, 0])
        counts[0] += n
        counts[1] += n * rating
    stories = sum(map(bool, map(_STORY, new)))
    burst = sum(map(_BURST, new))
    # A day is told by a timestamp's date and hour (thai_day): one look per hour, not per vote.
    days: dict[str, int] = {}
    for hour, n in Counter(map(_HOUR, placed)).items():
        day = thai_day(hour)
        days[day] = days.get(day, 0) + n
    run_rows(conn, _ADD_DISTRICT, [(district, *ratings[1:], stories, burst)])
    run_rows(
        conn,
        _ADD_TARGET,
        [(district, kind, tid, n, total) for (kind, tid), (n, total) in sorted(targets.items())],
    )
    # The rows every batch shares, last and in order: held the shortest time, never crossed.
    run_rows(conn, _ADD_DAY, sorted(days.items()))
    run_rows(conn, _ADD_SOURCE, [(source, len(new))])


def run_rows(conn: Connection, sql: str, rows: Sequence[tuple[object, ...]]) -> None:
    """Run a statement written with ? placeholders on the driver, once for each row of values.

    The statements of every stored batch go to the driver as plain tuples, in its own
    placeholders (SQLite's ?, psycopg's %s): SQLAlchemy's handling of named parameters costs
    more per row than SQLite's insert itself (docs/performance.md).
    """
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    conn.exec_driver_sql(sql, list(rows))
