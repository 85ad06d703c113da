"""Campaigns: defined once a year; each vote placed in time by what the collector knows for sure.

The edge cases of issue 20: a vote on the last evening, a USB batch weeks after the end, a
kiosk whose clock was a year off (network and USB), a clock that went back in the chain.
"""

import pytest
import sqlalchemy as sa

from collector import results
from collector.cli import main
from collector.store import CollectorStore, StoreError, campaigns
from tests.collector.campaign_data import C2569, C2570, utc
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.batch import build_batch
from wire.clock import format_utc


def batch_made_now(kiosk: Kiosk, first: int = 1) -> bytes:
    """A network batch made by the kiosk's own clock, as the sender makes it."""
    stored = kiosk.ledger.pending(after_seq=first - 1, limit=500)
    made_at = format_utc(kiosk.ledger.clock.now())
    return build_batch(
        kiosk.key.private_key, [s.body for s in stored], [s.hash for s in stored], made_at
    )


def placed(store: CollectorStore, kiosk: Kiosk) -> list[str]:
    with store.reading() as conn:
        rows = conn.execute(
            sa.text("SELECT placed_at FROM votes WHERE kiosk = :k ORDER BY seq"),
            {"k": kiosk.key.kiosk_id},
        )
        return [str(at) for (at,) in rows]


@pytest.fixture
def early_store(collector_db):
    """A collector whose clock starts on 2026-10-20, before campaign 2569, with it defined."""
    with CollectorStore(collector_db, FakeClock(utc(2026, 10, 20, 3))) as opened:
        opened.load_districts([("3706", "small"), ("4408", "medium")])
        campaigns.add(opened, C2569, operator="somchai", source="console")
        yield opened


def test_the_period_is_of_thai_days_the_last_evening_included():
    assert (C2569.starts_at, C2569.ends_at) == (
        "2026-10-31T17:00:00.000Z",
        "2026-11-30T17:00:00.000Z",
    )
    assert C2569.holds("2026-11-30T16:59:59.999Z")  # 23:59:59 Thai time on the last day
    assert not C2569.holds("2026-11-30T17:00:00.000Z")  # midnight: the next campaign's days
    assert not C2569.holds("2026-10-31T16:59:59.999Z")


def test_a_vote_on_the_last_evening_counts_the_next_minute_does_not(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2026, 11, 30, 16, 59, 30))  # 23:59:30 Thai time
    k.cast(1)
    k.ledger.clock.set_wall(utc(2026, 11, 30, 17, 0, 30))  # 00:00:30 the next day
    k.cast(1, seed=2)
    early_store.clock.set_wall(utc(2026, 11, 30, 17, 5))
    ingest(early_store, batch_made_now(k), source="http")
    first, second = placed(early_store, k)
    assert C2569.holds(first)
    assert not C2569.holds(second)


def test_a_usb_batch_weeks_after_the_end_counts_in_its_campaign(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2026, 11, 29, 9))
    k.cast(3)
    early_store.clock.set_wall(utc(2027, 1, 12, 4))  # six weeks after the end
    ingest(early_store, k.batch(), source="usb")
    assert placed(early_store, k) == ["2026-11-29T09:00:00.000Z"] * 3


def test_a_clock_a_year_ahead_is_corrected_by_the_network_batch(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2027, 11, 10, 2))  # really 2026-11-10: in 2570's days
    k.cast(2)
    early_store.clock.set_wall(utc(2026, 11, 10, 2, 30))
    ingest(early_store, batch_made_now(k), source="http")
    # The batch was made at 2027-11-10T02:00 by the kiosk's clock, received 2026-11-10T02:30:
    # the clock is a year (less half an hour) ahead, and each vote is put back by that much.
    assert placed(early_store, k) == ["2026-11-10T02:30:00.000Z"] * 2
    assert early_store.kiosk_status(k.key.kiosk_id).skew_flagged
    # A USB file from the same kiosk later is corrected by the skew last measured.
    k.ledger.clock.set_wall(utc(2027, 11, 12, 2))
    k.cast(1, seed=3)
    early_store.clock.set_wall(utc(2026, 12, 20, 2))
    ingest(early_store, k.batch(first=3), source="usb")
    assert placed(early_store, k)[2] == "2026-11-12T02:30:00.000Z"
    assert all(C2569.holds(at) for at in placed(early_store, k))


def test_a_clock_a_year_ahead_never_measured_is_bounded_by_the_receipt(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2027, 11, 15, 2))  # a USB-only kiosk, a year ahead
    k.cast(2)
    early_store.clock.set_wall(utc(2026, 11, 20, 8))
    ingest(early_store, k.batch(), source="usb")
    assert placed(early_store, k) == ["2026-11-20T08:00:00.000Z"] * 2  # not in 2570
    assert early_store.kiosk_status(k.key.kiosk_id).skew_flagged


def test_a_clock_a_year_behind_is_bounded_by_the_enrollment(early_store, make_kiosk):
    k = make_kiosk()
    early_store.clock.set_wall(utc(2026, 11, 2, 1))
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2025, 11, 3, 1))  # a year behind, within 2568's days
    k.cast(1)
    early_store.clock.set_wall(utc(2026, 11, 30, 1))
    ingest(early_store, k.batch(), source="usb")
    assert placed(early_store, k) == ["2026-11-02T01:00:00.000Z"]
    assert C2569.holds(placed(early_store, k)[0])


def test_a_clock_that_went_back_keeps_the_chain_in_order(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    k.ledger.clock.set_wall(utc(2026, 12, 1, 2))  # after the end
    k.cast(1)
    k.ledger.clock.set_wall(utc(2026, 11, 20, 2))  # then set back by someone
    k.cast(1, seed=2)
    early_store.clock.set_wall(utc(2026, 12, 2, 2))
    ingest(early_store, k.batch(), source="usb")
    # The second vote was cast after the first: it cannot be placed before it.
    assert placed(early_store, k) == ["2026-12-01T02:00:00.000Z"] * 2


def test_a_gap_filled_later_is_placed_between_its_neighbours(early_store, make_kiosk):
    k = make_kiosk()
    enroll(early_store, k)
    for day in (5, 6, 7):
        k.ledger.clock.set_wall(utc(2026, 11, day, 2))
        k.cast(1, seed=day)
    early_store.clock.set_wall(utc(2026, 11, 8, 2))
    ingest(early_store, k.batch(first=3), source="usb")  # seq 3 first: 1 and 2 are a gap
    ingest(early_store, k.batch(first=1, limit=2), source="usb")
    at = placed(early_store, k)
    assert at == sorted(at)
    assert at == [f"2026-11-0{day}T02:00:00.000Z" for day in (5, 6, 7)]


def test_campaigns_never_overlap_nor_share_a_year(early_store):
    with pytest.raises(StoreError) as same_year:
        campaigns.add(early_store, C2569)
    assert same_year.value.code == "campaign_exists"
    overlapping = campaigns.make(
        2570, "ก", "A", "2026-11-30", "2027-01-31", "ข", "B"
    )  # its first day is 2569's last
    with pytest.raises(StoreError) as overlap:
        campaigns.add(early_store, overlapping)
    assert overlap.value.code == "campaign_overlap"
    assert "2569" in str(overlap.value)
    campaigns.add(early_store, C2570)
    assert [c.year for c in campaigns.every(early_store)] == [2570, 2569]
    kinds = [(r["kind"], r["operator"]) for r in early_store.audit_rows()]
    assert kinds.count(("campaign", "somchai")) == 1
    assert kinds.count(("campaign", None)) == 1


@pytest.mark.parametrize(
    ("fields", "said"),
    [
        ({"year": "25x9"}, "is not a number"),
        ({"year": 2026}, "not a Buddhist-era year"),
        ({"starts_on": "2026-13-01"}, "is not a date written as YYYY-MM-DD"),
        ({"ends_on": "2026-10-01"}, "ends (2026-10-01) before it starts (2026-11-01)"),
        ({"name_th": "   "}, "the Thai name is empty"),
        ({"slogan_en": "x" * 201}, "longer than 200 characters"),
        # The Thai year typed into the dates (the trial's 2569-11-01 made a campaign of 3112).
        (
            {"starts_on": "2569-11-01", "ends_on": "2569-12-31"},
            "the start date 2569-11-01 is a Buddhist-era date, but the dates are in the"
            " Christian era (ค.ศ.): for 2569-11-01 type 2026-11-01",
        ),
        ({"ends_on": "2569-12-31"}, "the end date 2569-12-31 is a Buddhist-era date"),
        ({"starts_on": "25691101"}, "for 2569-11-01 type 2026-11-01"),
        ({"year": 2567, "starts_on": "2567-02-29"}, "for 2567-02-29 type 2024-02-29"),
        # Christian-era days of another year than the campaign's.
        (
            {"starts_on": "2027-11-01", "ends_on": "2027-11-30"},
            "campaign 2569 (2026 in the Christian era) must start between 2025-10-01 (the first"
            " day of the Thai fiscal year 2569) and 2026-12-31, not on 2027-11-01",
        ),
        ({"starts_on": "2025-09-30"}, "not on 2025-09-30"),
        ({"year": 2571}, "campaign 2571 (2028 in the Christian era) must start between 2027-10-01"),
        (
            {"ends_on": "2027-12-31"},
            "the campaign would last 426 days (2026-11-01 to 2027-12-31), more than a year",
        ),
    ],
)
def test_a_wrong_field_is_refused_in_words(fields, said):
    given = {
        "year": 2569, "name_th": "ก", "name_en": "A", "starts_on": "2026-11-01",
        "ends_on": "2026-11-30", "slogan_th": "ข", "slogan_en": "B",
    } | fields  # fmt: skip
    with pytest.raises(StoreError) as refused:
        campaigns.make(**given)
    assert refused.value.code == "bad_campaign"
    assert said in str(refused.value)


@pytest.mark.parametrize(
    ("year", "first", "last"),
    [
        (2569, "2026-01-01", "2026-12-31"),  # the calendar year, a whole one
        (2569, "2025-10-01", "2026-09-30"),  # the Thai fiscal year 2569
        (2569, "2026-11-01", "2027-01-31"),  # across New Year
        (2570, "2026-10-01", "2026-10-31"),  # the fiscal year's first month
        (2571, "2028-01-01", "2028-12-31"),  # a leap year: 366 days
    ],
)
def test_a_year_of_its_calendar_or_its_fiscal_year_is_a_campaign(year, first, last):
    made = campaigns.make(year, "ก", "A", first, last, "ข", "B")
    assert (made.starts_on, made.ends_on) == (first, last)


def test_the_current_campaign_is_the_latest_started(early_store):
    assert campaigns.current(early_store) is None  # 2026-10-20: none has started
    campaigns.add(early_store, C2570)
    early_store.clock.set_wall(utc(2027, 3, 1))
    assert campaigns.current(early_store) == campaigns.by_year(early_store, 2569)
    early_store.clock.set_wall(utc(2027, 10, 31, 17))
    current = campaigns.current(early_store)
    assert current is not None
    assert current.year == 2570


def test_the_cli_defines_and_lists_campaigns(tmp_path, capsys):
    db = tmp_path / "c.sqlite3"
    with CollectorStore(db):
        pass
    args = [
        "campaigns", "--db", str(db), "add", "--year", "2569", "--start", "2026-11-01",
        "--end", "2026-11-30", "--name-th", "ประเมินอำเภอ", "--name-en", "District rating",
        "--slogan-th", "เสียงของคุณสำคัญ", "--slogan-en", "Your voice matters",
    ]  # fmt: skip
    assert main(args) == 0
    assert "2026-10-31T17:00:00.000Z to 2026-11-30T17:00:00.000Z UTC" in capsys.readouterr().out
    assert main(args) == 2
    assert "Campaign 2569 is defined already" in capsys.readouterr().err
    wrong = [*args[:5], "2570", *args[6:9], "2026-12-40", *args[10:]]
    assert main(wrong) == 2
    assert "The end date '2026-12-40' is not a date" in capsys.readouterr().err
    thai_dates = [*args[:5], "2570", "--start", "2570-11-01", "--end", "2570-11-30", *args[10:]]
    assert main([*thai_dates[:1], *thai_dates[3:], "--db", str(db)]) == 2
    said = capsys.readouterr().err
    assert "First day (--start) 2570-11-01 is in the Buddhist era" in said
    assert "for 2570-11-01 type 2027-11-01" in said
    assert main(["campaigns", "list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out
    assert "2569  2026-11-01 .. 2026-11-30  ประเมินอำเภอ / District rating" in listed
    assert "2570" not in listed
    assert main(["campaigns", "--db", str(db), "list", "--json"]) == 0
    assert '"slogan_en": "Your voice matters"' in capsys.readouterr().out


def campaign_tally(store: CollectorStore, year: int) -> dict[str, tuple[int, ...]]:
    with store.reading() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT district, r1, r2, r3, r4, r5, stories, burst, usb FROM tally_campaigns"
                " WHERE campaign = :year"
            ),
            {"year": year},
        )
        return {str(r[0]): tuple(int(n) for n in r[1:]) for r in rows}


def counted_from_votes(store: CollectorStore, c: campaigns.Campaign) -> dict[str, tuple[int, ...]]:
    ratings = ", ".join(f"SUM(CASE WHEN rating = {r} THEN 1 ELSE 0 END)" for r in range(1, 6))
    with store.reading() as conn:
        rows = conn.execute(
            sa.text(
                f"SELECT district, {ratings}, SUM(CASE WHEN story <> '' THEN 1 ELSE 0 END),"
                " SUM(burst), SUM(CASE WHEN source = 'usb' THEN 1 ELSE 0 END) FROM votes"
                " WHERE placed_at >= :s AND placed_at < :e GROUP BY district"
            ),
            {"s": c.starts_at, "e": c.ends_at},
        )
        return {str(r[0]): tuple(int(n) for n in r[1:]) for r in rows}


def test_a_campaign_defined_later_counts_the_votes_already_held(early_store, make_kiosk):
    a, b = make_kiosk("a", "3706"), make_kiosk("b", "4408")
    enroll(early_store, a)
    enroll(early_store, b)
    for k, seed in ((a, 1), (b, 2)):
        k.ledger.clock.set_wall(utc(2027, 11, 5, 2))  # in 2570's days, not yet defined
        k.cast(7, seed)
    k.ledger.clock.set_wall(utc(2027, 12, 5, 2))  # after them: in no campaign
    b.cast(2, seed=9)
    early_store.clock.set_wall(utc(2027, 12, 6))
    ingest(early_store, a.batch(), source="usb")
    ingest(early_store, b.batch(), source="usb")
    assert campaign_tally(early_store, 2570) == {}
    campaigns.add(early_store, C2570)
    assert campaign_tally(early_store, 2570) == counted_from_votes(early_store, C2570)
    assert sum(sum(row[:5]) for row in campaign_tally(early_store, 2570).values()) == 14
    a.ledger.clock.set_wall(utc(2027, 11, 30, 16, 59))  # the last evening, sent late
    a.cast(3, seed=4)
    a.ledger.clock.set_wall(utc(2027, 12, 6))  # sent by network the next week, clock right
    ingest(early_store, batch_made_now(a, first=8), source="http")
    assert campaign_tally(early_store, 2570) == counted_from_votes(early_store, C2570)
    assert sum(sum(row[:5]) for row in campaign_tally(early_store, 2570).values()) == 17
    assert campaign_tally(early_store, 2569) == {}
    with early_store.reading() as conn:  # the overview says how the campaign's votes came
        counted = results.tallies(conn, 2570)
        shown = results.overview(conn, counted, C2570)
        every = results.overview(conn, results.tallies(conn))
    assert (shown.total_votes, shown.by_source) == (17, {"http": 3, "usb": 14})
    assert (every.total_votes, every.by_source) == (19, {"http": 3, "usb": 16})


def test_thai_digits_are_read_and_every_wrong_field_is_found():
    made = campaigns.make("๒๕๗๐", "ก", "A", "๒๐๒๗-๑๑-๐๑", "๒๐๒๗-๑๑-๓๐", "ข", "B")
    assert (made.year, made.starts_on, made.ends_on) == (2570, "2027-11-01", "2027-11-30")
    assert campaigns.length_in_days(made) == 30
    none, found = campaigns.check("", "", "A", "2569-11-01", "", "ข", "x" * 201)
    assert none is None
    assert [(e.key, e.values.get("field")) for e in found] == [
        ("campaigns.error.empty", "year"),
        ("campaigns.error.buddhist_date", "starts_on"),
        ("campaigns.error.empty", "ends_on"),
        ("campaigns.error.empty", "name_th"),
        ("campaigns.error.too_long", "slogan_en"),
    ]


def test_the_cli_says_a_refusals_days_in_thai_as_the_pages_do(early_store, capsys):
    args = [
        "campaigns", "--db", early_store.target.environ_value(),
        "add", "--year", "๒๕๗๐", "--start", "2026-11-30", "--end", "2027-01-31",
        "--name-th", "ก", "--name-en", "A", "--slogan-th", "ข", "--slogan-en", "B",
    ]  # fmt: skip
    assert main(args) == 2
    said = capsys.readouterr().err
    assert "ช่วงวันซ้อนกับแคมเปญปี 2569 (1 พ.ย. 2569 – 30 พ.ย. 2569)" in said
    assert "overlap campaign 2569 (District rating 2569, 2026-11-01 to 2026-11-30)" in said
