"""The tallies the pages read always equal counting the votes, on SQLite and PostgreSQL.

The pages, `report` and `awards` read tallies kept as batches are stored (collector/store/
tallies.py) instead of grouping the votes per request. These tests count the votes the slow
way, as an auditor with a database client would, and compare.
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from collector import results
from collector.ranking import RankingMethod
from collector.store import CollectorStore, StoreError
from collector.store.tallies import thai_day
from kiosk.ledger import Ledger
from tests.collector_db import sql
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.batch import check_batch
from wire.vote import Ballot


def counted_the_slow_way(store: CollectorStore) -> dict[str, object]:
    """Every tally, computed from the votes table itself."""
    votes = sql(
        store,
        "SELECT district, rating, COALESCE(target_kind, ''), COALESCE(target_id, ''), story,"
        " burst, placed_at, source FROM votes",
    )
    # Each campaign's kiosks: the votes its period holds, and when the newest of them arrived.
    campaign_kiosks: dict[tuple[int, str], tuple[int, str]] = {}
    for year, kiosk, received_at in sql(
        store,
        "SELECT c.year, v.kiosk, v.received_at FROM votes v JOIN campaigns c"
        " ON v.placed_at >= c.starts_at AND v.placed_at < c.ends_at",
    ):
        n, newest = campaign_kiosks.get((year, kiosk), (0, received_at))
        campaign_kiosks[year, kiosk] = (n + 1, max(newest, received_at))
    ratings: Counter[tuple[str, int]] = Counter()
    targets: Counter[tuple[str, str, str]] = Counter()
    rating_sums: Counter[tuple[str, str, str]] = Counter()
    stories: Counter[str] = Counter()
    burst: Counter[str] = Counter()
    for district, rating, kind, tid, story, is_burst, _, _ in votes:
        ratings[district, rating] += 1
        targets[district, kind, tid] += 1
        rating_sums[district, kind, tid] += rating
        stories[district] += story != ""
        burst[district] += is_burst == 1
    return {
        "ratings": {k: v for k, v in ratings.items() if v},
        "targets": {k: (v, rating_sums[k]) for k, v in targets.items()},
        "stories": {k: v for k, v in stories.items() if v},
        "burst": {k: v for k, v in burst.items() if v},
        # Thai days of the placed time, done here with datetime, not the store's shortcut.
        "days": Counter(
            (datetime.fromisoformat(placed_at.replace("Z", "+00:00")) + timedelta(hours=7))
            .date()
            .isoformat()
            for *_, placed_at, _ in votes
        ),
        "sources": Counter(source for *_, source in votes),
        "campaign_kiosks": campaign_kiosks,
    }


def kept_tallies(store: CollectorStore) -> dict[str, object]:
    """Every tally as the store keeps it."""
    districts = sql(
        store, "SELECT district, r1, r2, r3, r4, r5, stories, burst FROM tally_districts"
    )
    return {
        "ratings": {
            (d, r): n for d, *counts, _, _ in districts for r, n in enumerate(counts, 1) if n
        },
        "targets": {
            (d, k, t): (n, s)
            for d, k, t, n, s in sql(
                store,
                "SELECT district, target_kind, target_id, votes, rating_sum FROM tally_targets",
            )
        },
        "stories": {d: n for d, *_, n, _ in districts if n},
        "burst": {d: n for d, *_, n in districts if n},
        "days": Counter(dict(sql(store, "SELECT day, votes FROM tally_days"))),
        "sources": Counter(dict(sql(store, "SELECT source, votes FROM tally_sources"))),
        "campaign_kiosks": {
            (year, kiosk): (n, last)
            for year, kiosk, n, last in sql(
                store, "SELECT campaign, kiosk, votes, last_received FROM tally_campaign_kiosks"
            )
        },
    }


def test_the_tallies_equal_the_votes_after_duplicates_conflicts_and_both_sources(store, make_kiosk):
    evening = datetime(2026, 3, 2, 16, 59, 0, tzinfo=UTC)  # 23:59 in Thailand
    store.clock.set_wall(evening - timedelta(days=1))  # enrolled the day before
    kiosks = [make_kiosk("a", "3706"), make_kiosk("b", "3706"), make_kiosk("c", "4712")]
    for k in kiosks:
        enroll(store, k)
        k.ledger.clock.set_wall(evening)  # type: ignore[attr-defined]
    a, b, c = kiosks
    a.cast(30, seed=1)
    a.ledger.clock.advance(120)  # type: ignore[attr-defined]  # past midnight in Thailand
    a.cast(30, seed=2)
    b.cast(25, seed=3)
    c.cast(40, seed=4)
    # Received when the test batches say they were made (tests/kiosks.py): no clock error.
    store.clock.set_wall(datetime(2026, 11, 24, 3, tzinfo=UTC))
    ingest(store, a.batch(limit=20))
    ingest(store, a.batch(limit=45))  # the first 20 again, and 25 more
    ingest(store, a.batch(limit=45))  # a replay brings nothing
    ingest(store, b.batch(), source="usb")
    ingest(store, c.batch(first=11))  # a gap: 11-40 first
    ingest(store, c.batch(limit=10), source="usb")
    ingest(store, a.batch(first=46))
    assert store.total_votes() == 60 + 25 + 40
    assert kept_tallies(store) == counted_the_slow_way(store)
    days = kept_tallies(store)["days"]
    assert set(days) == {"2026-03-02", "2026-03-03"}  # type: ignore[call-overload]


def test_a_quarantined_vote_is_in_no_tally(store, make_kiosk, tmp_path):
    k = make_kiosk()
    enroll(store, k)
    k.cast(4)
    k.ledger.close()
    shutil.copytree(k.data_dir, tmp_path / "fork")  # a backup restored: same key and chain
    k.ledger = Ledger.open(k.data_dir, k.key, FakeClock())
    k.ledger.cast(Ballot("3706", 5, story="ต้นฉบับ"))
    ingest(store, k.batch())
    before = kept_tallies(store)
    fork = Kiosk(
        tmp_path / "fork", k.key, Ledger.open(tmp_path / "fork", k.key, FakeClock()), "3706"
    )
    try:
        fork.ledger.cast_many([Ballot("3706", 1, story="สำเนา"), Ballot("3706", 2)])
        result = ingest(store, fork.batch(first=5))
    finally:
        fork.ledger.close()
    assert result.conflicts == [5, 6]
    assert result.new == 0
    assert kept_tallies(store) == before == counted_the_slow_way(store)


def test_pages_and_awards_read_the_same_counts_as_the_votes(store, make_kiosk):
    for name, district, n in (("a", "3706", 40), ("b", "4408", 20), ("c", "4712", 33)):
        k = make_kiosk(name, district)
        enroll(store, k)
        k.cast(n, seed=n)
        ingest(store, k.batch())
    slow = counted_the_slow_way(store)
    with store.reading() as conn:
        tallies = {t.code: t for t in results.tallies(conn)}
        figures = results.overview(conn, list(tallies.values()))
        detail = results.district_detail(conn, "3706")
    for (district, rating), n in slow["ratings"].items():  # type: ignore[attr-defined]
        assert tallies[district].counts[rating - 1] == n
    assert figures.total_votes == 93
    assert figures.districts_with_votes == 3
    assert dict(figures.by_source) == dict(slow["sources"])  # type: ignore[call-overload]
    assert detail is not None
    assert detail.votes == 40
    assert detail.stories_total == slow["stories"].get("3706", 0)  # type: ignore[attr-defined]
    assert sum(t.votes for t in detail.targets) == 40
    report = store.report()
    assert {d["code"]: d["votes"] for d in report["districts"] if d["votes"]} == {
        "3706": 40,
        "4408": 20,
        "4712": 33,
    }
    assert results.ranking(store, RankingMethod()).groups  # every group ranked


def test_thai_days_turn_at_five_in_the_evening_utc():
    assert thai_day("2026-12-31T16:59:59.999Z") == "2026-12-31"
    assert thai_day("2026-12-31T17:00:00.000Z") == "2027-01-01"
    assert thai_day("2028-02-28T20:00:00.000Z") == "2028-02-29"  # a leap day
    assert thai_day("9999-12-31T23:59:59.999Z") == "9999-12-31"  # a clock at the end of time


def test_a_batch_refused_whole_adds_nothing(store, make_kiosk):
    k = make_kiosk()
    enroll(store, k)
    k.cast(5)
    data = bytearray(k.batch())
    data[data.index(b'"rating":') + 9] ^= 1  # a signed rating changed
    check = check_batch(bytes(data))
    assert not check.ok
    with pytest.raises(StoreError):
        store.ingest(check, bytes(data), "http")
    assert kept_tallies(store) == counted_the_slow_way(store)
    assert store.total_votes() == 0
