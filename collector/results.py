"""Reading the results out of the collector database: tallies, awards, the dashboard's figures.

Every function reads through a connection from ``CollectorStore.reading()``: one read
transaction, a snapshot that never blocks the ingest's writers (SQLite's WAL readers,
PostgreSQL's MVCC), so the web pages and `awards` run while batches arrive. The counts come
from the tallies kept as votes are stored (store/tallies.py), never from grouping the votes, so
a page costs the same at a million votes as at a thousand. Nothing here writes, except
``save_method`` through the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector.ranking import Ranking, RankingMethod, Tally, rank
from collector.store import CollectorStore, announcements, classification
from collector.store.campaigns import Campaign
from collector.store.district_groups import District
from wire.districts import SIZE_GROUPS
from wire.masking import mask_personal_numbers

IN_PERIOD: Final = "placed_at >= :starts AND placed_at < :ends"  # a campaign's votes
PRIOR_WEIGHT_KEY: Final = "ranking.prior_weight"
MIN_VOTES_KEY: Final = "ranking.min_votes"


def _rows(conn: Connection, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in conn.execute(sa.text(sql), params)]


def saved_method(store: CollectorStore) -> RankingMethod:
    """The ranking method the central office saved (the defaults until one is saved)."""
    weight = store.setting(PRIOR_WEIGHT_KEY)
    minimum = store.setting(MIN_VOTES_KEY)
    default = RankingMethod()
    return RankingMethod(
        int(weight) if weight is not None else default.prior_weight,
        int(minimum) if minimum is not None else default.min_votes,
    )


def campaign_method(conn: Connection, campaign: int, saved: RankingMethod) -> RankingMethod:
    """The method a campaign is ranked by (its key: 0 for every vote): the one its awards
    were announced with, once one group is announced, else the saved one. Its pages, its
    remaining announcements and its publications all rank by it (store/announcements.py)."""
    announced = announcements.method_of(conn, campaign)
    return RankingMethod.from_json(announced) if announced is not None else saved


def save_method(
    store: CollectorStore, method: RankingMethod, operator: str | None = None, source: str = "cli"
) -> None:
    """Make method the collector's ranking method: both numbers in one transaction, each
    with its audit row naming operator (None: the command line's user) and source."""
    values = {PRIOR_WEIGHT_KEY: str(method.prior_weight), MIN_VOTES_KEY: str(method.min_votes)}
    store.set_settings(values, operator, source)


def tallies(conn: Connection, campaign: int | None = None) -> list[Tally]:
    """Every loaded district's counted votes by rating (quarantined votes are not counted):
    of one campaign (its Buddhist-era year), or of every vote held (None)."""
    result = []
    joined = (
        "tally_districts t ON t.district = d.code"
        if campaign is None
        else "tally_campaigns t ON t.district = d.code AND t.campaign = :campaign"
    )
    for code, group, *counts in _rows(
        conn,
        "SELECT d.code, d.size_group, t.r1, t.r2, t.r3, t.r4, t.r5"
        f" FROM {classification.table(campaign)} d LEFT JOIN {joined} ORDER BY d.code",
        campaign=campaign,
    ):
        tally = Tally(code, group)
        for rating, count in enumerate(counts, start=1):
            if count:
                tally.add(rating, int(count))
        result.append(tally)
    return result


def announced_tallies(conn: Connection, campaign: int, group: str) -> list[Tally]:
    """Every loaded district's votes among those group's announcement of campaign kept
    (store/runs.py), by rating: what its awards were decided on, with the campaign's groups."""
    tallies = {code: Tally(code, size) for code, size in groups(conn, campaign).items()}
    for district, rating, n in _rows(
        conn,
        "SELECT v.district, v.rating, COUNT(*) FROM announced_seqs a JOIN votes v"
        " ON v.kiosk = a.kiosk AND v.seq BETWEEN a.first_seq AND a.last_seq"
        " WHERE a.campaign = :campaign AND a.size_group = :group GROUP BY v.district, v.rating",
        campaign=campaign,
        group=group,
    ):
        tallies[str(district)].add(int(rating), int(n))
    return list(tallies.values())


def groups(conn: Connection, campaign: int | None) -> dict[str, str]:
    """Every loaded district's size group in campaign (its own where it kept them; None: the
    current classification), by code in order."""
    return {code: d.size_group for code, d in sorted(districts(conn, campaign).items())}


def announced_group_votes(conn: Connection, campaign: int) -> dict[str, int]:
    """For each announced size group of campaign: how many of the votes its announcement kept
    (store/runs.py) are of that group's districts (the campaign's groups), from the runs alone.

    Every vote of a kiosk is of the district it is enrolled for (the store refuses a batch
    naming another: 'district_mismatch'), so a kiosk's runs count for its district's group.
    """
    found = _rows(
        conn,
        "SELECT a.size_group, SUM(a.last_seq - a.first_seq + 1) FROM announced_seqs a"
        " JOIN kiosks k ON k.kiosk = a.kiosk"
        f" JOIN {classification.table(campaign)} d"
        " ON d.code = k.district AND d.size_group = a.size_group"
        " WHERE a.campaign = :campaign GROUP BY a.size_group",
        campaign=campaign,
    )
    return {str(group): int(votes) for group, votes in found}


def rank_conn(conn: Connection, method: RankingMethod, campaign: int | None = None) -> Ranking:
    """The awards ranking of the database behind conn (of one campaign, or of every vote)."""
    return rank(tallies(conn, campaign), method)


def ranking(store: CollectorStore, method: RankingMethod, campaign: int | None = None) -> Ranking:
    """The awards ranking of the store's database (of one campaign, or of every vote)."""
    with store.reading() as conn:
        return rank_conn(conn, method, campaign)


def districts(conn: Connection, campaign: int | None = None) -> dict[str, District]:
    """Every loaded district by code (with campaign's size groups, or the current ones)."""
    return {
        row[0]: District(*row)
        for row in _rows(
            conn,
            "SELECT code, size_group, name_th, name_en, province_th, province_en"
            f" FROM {classification.table(campaign)} d",
            campaign=campaign,
        )
    }


def district(conn: Connection, code: str, campaign: int | None = None) -> District | None:
    """One loaded district (with campaign's size group, or the current one), or None."""
    rows = _rows(
        conn,
        "SELECT code, size_group, name_th, name_en, province_th, province_en"
        f" FROM {classification.table(campaign)} d WHERE code = :code",
        code=code,
        campaign=campaign,
    )
    return District(*rows[0]) if rows else None


@dataclass(frozen=True, slots=True)
class Overview:
    """The figures of the overview page: of one campaign, or of every vote held.

    The quarantine and the refusals are of the whole collector whatever is chosen: they are
    not counted votes and have no placed time (a campaign's publication, too, lists every
    quarantined vote).
    """

    total_votes: int
    by_group: dict[str, int]
    districts_loaded: int
    districts_with_votes: int
    kiosks_enrolled: int  # kiosks enrolled (a campaign's: before it ended), revoked ones too
    kiosks_reporting: int  # kiosks with at least one counted vote (placed in the campaign)
    votes_by_day: list[tuple[str, int]]  # (Thai day YYYY-MM-DD of the placed time, votes)
    by_source: dict[str, int]  # votes by how they arrived: "http" (network) and "usb"
    quarantined: int  # in the whole collector
    refusals: int  # in the whole collector's audit
    last_received: str | None  # when the newest new vote (of the campaign) was received


def overview(conn: Connection, counted: list[Tally], campaign: Campaign | None = None) -> Overview:
    """The overview page's figures; counted is ``tallies(conn)``, or campaign's tallies.

    Every figure of a campaign is of its votes, those placed in its period (placement.py):
    the chart shows its days, which hold exactly its votes (tally_days counts a vote on the
    Thai day of its placed time), and its kiosks reporting are those its publication names.
    """
    by_group = dict.fromkeys(SIZE_GROUPS, 0)
    for tally in counted:
        by_group[tally.size_group] += tally.votes
    districts_with_votes = sum(1 for tally in counted if tally.votes)
    days = _every_day(
        [
            (str(day), int(n))
            for day, n in _rows(
                conn,
                "SELECT day, votes FROM tally_days"
                + (" WHERE day >= :first AND day <= :last" if campaign else "")
                + " ORDER BY day",
                first=campaign.starts_on if campaign else None,
                last=campaign.ends_on if campaign else None,
            )
        ]
    )
    if campaign is None:
        by_source = {
            str(s): int(n) for s, n in _rows(conn, "SELECT source, votes FROM tally_sources")
        }
        total = sum(by_source.values())
        ((enrolled, reporting, last),) = _rows(
            conn,
            "SELECT COUNT(*), COUNT(CASE WHEN votes > 0 THEN 1 END), MAX(last_seen) FROM kiosks",
        )
    else:
        total = sum(t.votes for t in counted)
        ((usb,),) = _rows(
            conn,
            "SELECT COALESCE(SUM(usb), 0) FROM tally_campaigns WHERE campaign = :year",
            year=campaign.year,
        )
        by_source = {"http": total - int(usb), "usb": int(usb)}
        # A kiosk enrolled after the campaign ended has no vote placed in it (placement.py).
        ((enrolled, reporting, last),) = _rows(
            conn,
            "SELECT (SELECT COUNT(*) FROM kiosks WHERE enrolled_at < :ends),"
            " COUNT(*), MAX(last_received) FROM tally_campaign_kiosks WHERE campaign = :year",
            year=campaign.year,
            ends=campaign.ends_at,
        )
    ((loaded, quarantined, refusals),) = _rows(
        conn,
        "SELECT (SELECT COUNT(*) FROM districts), (SELECT COUNT(*) FROM quarantine),"
        " (SELECT COUNT(*) FROM audit WHERE kind = 'refused')",
    )
    return Overview(
        int(total),
        by_group,
        int(loaded),
        districts_with_votes,
        int(enrolled),
        int(reporting),
        days,
        by_source,
        int(quarantined),
        int(refusals),
        last,
    )


def _every_day(days: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The days from the first to the last, with 0 for a day without votes (a Sunday)."""
    if not days:
        return []
    counts = dict(days)
    try:
        first, last = date.fromisoformat(days[0][0]), date.fromisoformat(days[-1][0])
    except ValueError:  # not expected; show what there is rather than fail the page
        return days
    if (last - first).days > 3660:  # a kiosk clock far off: show only the days with votes
        return days
    span = range((last - first).days + 1)
    return [
        ((d := first + timedelta(days=i)).isoformat(), counts.get(d.isoformat(), 0)) for i in span
    ]


@dataclass(frozen=True, slots=True)
class TargetRow:
    """Votes for one staff member or unit of a district."""

    kind: str  # staff, unit, or "" for votes that named nobody
    id: str
    votes: int
    mean: float


@dataclass(frozen=True, slots=True)
class Story:
    """A citizen's story as shown on the page (masked again, defensively)."""

    text: str
    rating: int
    cast_at: str
    lang: str


@dataclass(frozen=True, slots=True)
class DistrictDetail:
    """The figures of one district's page."""

    district: District
    counts: tuple[int, ...]  # votes with rating 1..5
    targets: list[TargetRow]
    stories: list[Story]
    stories_total: int
    burst: int
    kiosks: list[str]

    @property
    def votes(self) -> int:
        """Counted votes of the district."""
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        """The district's raw mean rating."""
        n = self.votes
        return sum(r * c for r, c in zip(range(1, 6), self.counts, strict=True)) / n if n else None


def district_detail(
    conn: Connection,
    code: str,
    stories_limit: int = 50,
    stories_offset: int = 0,
    campaign: Campaign | None = None,
) -> DistrictDetail | None:
    """One district's page figures (of one campaign, or of every vote), or None for a
    district that is not loaded."""
    found = district(conn, code, campaign.year if campaign else None)
    if found is None:
        return None
    counts, stories_total, burst = [0] * 5, 0, 0
    period: dict[str, Any] = {"code": code}
    if campaign is not None:
        period |= {"campaign": campaign.year, "starts": campaign.starts_at}
        period["ends"] = campaign.ends_at
    for *ratings, stories_n, burst_n in _rows(
        conn,
        "SELECT r1, r2, r3, r4, r5, stories, burst FROM tally_districts WHERE district = :code"
        if campaign is None
        else "SELECT r1, r2, r3, r4, r5, stories, burst FROM tally_campaigns"
        " WHERE district = :code AND campaign = :campaign",
        **period,
    ):
        counts, stories_total, burst = [int(n) for n in ratings], int(stories_n), int(burst_n)
    # A campaign's votes per staff and unit are counted from its votes: one district's.
    targets = [
        TargetRow(kind, tid, int(n), int(rating_sum) / int(n))
        for kind, tid, n, rating_sum in _rows(
            conn,
            "SELECT target_kind, target_id, votes, rating_sum FROM tally_targets"
            " WHERE district = :code AND votes > 0"
            " ORDER BY votes DESC, target_kind, target_id"
            if campaign is None
            else "SELECT COALESCE(target_kind, '') AS k, COALESCE(target_id, '') AS i,"
            " COUNT(*) AS n, SUM(rating) FROM votes WHERE district = :code"
            f" AND {IN_PERIOD} GROUP BY k, i ORDER BY n DESC, k, i",
            **period,
        )
    ]
    stories = [
        # Stories were masked on the kiosk before signing (the signature proves it); mask
        # again here so that a bug anywhere upstream never puts a number on a public screen.
        Story(mask_personal_numbers(text), int(rating), cast_at, lang)
        for text, rating, cast_at, lang in _rows(
            conn,
            # The condition is the partial index's own (votes_stories), so the newest come
            # from the index and no other vote of the district is read.
            "SELECT story, rating, cast_at, lang FROM votes WHERE district = :code"
            + (f" AND {IN_PERIOD}" if campaign else "")
            + " AND story <> '' ORDER BY cast_at DESC, kiosk, seq LIMIT :limit OFFSET :offset",
            limit=stories_limit,
            offset=stories_offset,
            **period,
        )
    ]
    kiosks = [
        str(r[0])
        for r in _rows(
            conn, "SELECT kiosk FROM kiosks WHERE district = :code ORDER BY kiosk", code=code
        )
    ]
    return DistrictDetail(found, tuple(counts), targets, stories, stories_total, burst, kiosks)
