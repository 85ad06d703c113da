"""Reading the results out of the collector database: tallies, awards, the dashboard's figures.

Every read opens its own read-only SQLite connection (WAL readers never block the ingest's
writer, and the ingest never waits for a page), so the web pages and `awards` can run while
batches arrive. Nothing here writes, except ``save_method`` through the store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from collector.ranking import Ranking, RankingMethod, Tally, rank
from collector.store import CollectorStore
from wire.districts import SIZE_GROUPS
from wire.masking import mask_personal_numbers

PRIOR_WEIGHT_KEY: Final = "ranking.prior_weight"
MIN_VOTES_KEY: Final = "ranking.min_votes"
THAI_OFFSET: Final = "+7 hours"  # days are Thai days (UTC+7, no daylight saving)


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the collector database (the file must exist)."""
    if not path.exists():
        raise FileNotFoundError(f"there is no collector database at {path}")
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        yield conn
    finally:
        conn.close()


def saved_method(store: CollectorStore) -> RankingMethod:
    """The ranking method the central office saved (the defaults until one is saved)."""
    weight = store.setting(PRIOR_WEIGHT_KEY)
    minimum = store.setting(MIN_VOTES_KEY)
    default = RankingMethod()
    return RankingMethod(
        int(weight) if weight is not None else default.prior_weight,
        int(minimum) if minimum is not None else default.min_votes,
    )


def save_method(store: CollectorStore, method: RankingMethod) -> None:
    """Make method the collector's ranking method (each change is audited)."""
    store.set_setting(PRIOR_WEIGHT_KEY, str(method.prior_weight))
    store.set_setting(MIN_VOTES_KEY, str(method.min_votes))


def tallies(conn: sqlite3.Connection) -> list[Tally]:
    """Every loaded district's counted votes by rating (quarantined votes are not counted)."""
    by_code: dict[str, Tally] = {
        code: Tally(code, group)
        for code, group in conn.execute("SELECT code, size_group FROM districts ORDER BY code")
    }
    for code, rating, count in conn.execute(
        "SELECT district, rating, COUNT(*) FROM votes GROUP BY district, rating"
    ):
        tally = by_code.get(code)
        if tally is not None:
            tally.add(int(rating), int(count))
    return list(by_code.values())


def rank_conn(conn: sqlite3.Connection, method: RankingMethod) -> Ranking:
    """The awards ranking of the database behind conn."""
    return rank(tallies(conn), method)


def ranking(path: Path, method: RankingMethod) -> Ranking:
    """The awards ranking of the database at path."""
    with read_only(path) as conn:
        return rank_conn(conn, method)


@dataclass(frozen=True, slots=True)
class District:
    """A district office as loaded: code, size group and names."""

    code: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str

    def name(self, lang: str) -> str:
        """The district's name in lang (th or en)."""
        return self.name_th if lang == "th" else self.name_en

    def province(self, lang: str) -> str:
        """The province's name in lang (th or en)."""
        return self.province_th if lang == "th" else self.province_en


def districts(conn: sqlite3.Connection) -> dict[str, District]:
    """Every loaded district by code."""
    return {
        row[0]: District(*row)
        for row in conn.execute(
            "SELECT code, size_group, name_th, name_en, province_th, province_en FROM districts"
        )
    }


def district(conn: sqlite3.Connection, code: str) -> District | None:
    """One loaded district, or None."""
    row = conn.execute(
        "SELECT code, size_group, name_th, name_en, province_th, province_en FROM districts"
        " WHERE code = ?",
        (code,),
    ).fetchone()
    return District(*row) if row else None


@dataclass(frozen=True, slots=True)
class Overview:
    """The figures of the overview page."""

    total_votes: int
    by_group: dict[str, int]
    districts_loaded: int
    districts_with_votes: int
    kiosks_enrolled: int
    kiosks_reporting: int  # kiosks with at least one counted vote
    votes_by_day: list[tuple[str, int]]  # (Thai day YYYY-MM-DD by the kiosk's clock, votes)
    by_source: dict[str, int]  # votes by how they arrived: http, usb
    quarantined: int
    refusals: int
    last_received: str | None


def overview(conn: sqlite3.Connection, counted: list[Tally]) -> Overview:
    """The overview page's figures; counted is ``tallies(conn)``."""
    by_group = dict.fromkeys(SIZE_GROUPS, 0)
    for tally in counted:
        by_group[tally.size_group] += tally.votes
    districts_with_votes = sum(1 for tally in counted if tally.votes)
    days = [
        (str(day), int(n))  # a day is never NULL: cast_at was checked at ingest
        for day, n in conn.execute(
            "SELECT substr(datetime(cast_at, ?), 1, 10) AS day, COUNT(*) FROM votes"
            " GROUP BY day ORDER BY day",
            (THAI_OFFSET,),
        )
    ]
    days = _every_day(days)
    by_source = {
        str(s): int(n)
        for s, n in conn.execute("SELECT source, COUNT(*) FROM votes GROUP BY source")
    }
    one = conn.execute(
        "SELECT (SELECT COUNT(*) FROM votes), (SELECT COUNT(*) FROM districts),"
        " (SELECT COUNT(*) FROM kiosks), (SELECT COUNT(*) FROM kiosks WHERE votes > 0),"
        " (SELECT COUNT(*) FROM quarantine), (SELECT COUNT(*) FROM audit WHERE kind = 'refused'),"
        " (SELECT MAX(last_seen) FROM kiosks)"
    ).fetchone()
    total, loaded, enrolled, reporting, quarantined, refusals, last = one
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
    conn: sqlite3.Connection, code: str, stories_limit: int = 50, stories_offset: int = 0
) -> DistrictDetail | None:
    """One district's page figures, or None for a district that is not loaded."""
    found = district(conn, code)
    if found is None:
        return None
    counts = [0] * 5
    for rating, n in conn.execute(
        "SELECT rating, COUNT(*) FROM votes WHERE district = ? GROUP BY rating", (code,)
    ):
        counts[int(rating) - 1] = int(n)
    targets = [
        TargetRow(kind or "", tid or "", int(n), float(mean))
        for kind, tid, n, mean in conn.execute(
            "SELECT target_kind, target_id, COUNT(*), AVG(rating) FROM votes WHERE district = ?"
            " GROUP BY target_kind, target_id ORDER BY COUNT(*) DESC, target_kind, target_id",
            (code,),
        )
    ]
    stories_total = int(
        conn.execute(
            "SELECT COUNT(*) FROM votes WHERE district = ? AND story != ''", (code,)
        ).fetchone()[0]
    )
    stories = [
        # Stories were masked on the kiosk before signing (the signature proves it); mask
        # again here so that a bug anywhere upstream never puts a number on a public screen.
        Story(mask_personal_numbers(text), int(rating), cast_at, lang)
        for text, rating, cast_at, lang in conn.execute(
            "SELECT story, rating, cast_at, lang FROM votes WHERE district = ? AND story != ''"
            " ORDER BY cast_at DESC, kiosk, seq LIMIT ? OFFSET ?",
            (code, stories_limit, stories_offset),
        )
    ]
    burst = int(
        conn.execute(
            "SELECT COUNT(*) FROM votes WHERE district = ? AND burst = 1", (code,)
        ).fetchone()[0]
    )
    kiosks = [
        str(r[0])
        for r in conn.execute("SELECT kiosk FROM kiosks WHERE district = ? ORDER BY kiosk", (code,))
    ]
    return DistrictDetail(found, tuple(counts), targets, stories, stories_total, burst, kiosks)
