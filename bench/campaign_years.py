"""Two campaigns a year apart (`bench/campaign.py --years 2`): each its own awards and recount.

1. The collector (a real database, in this process with a clock the bench sets, since its
   votes are a year old) enrolls every district's kiosk before the first campaign, and the two
   campaigns are defined: last year's 8 weeks and this year's, with their names and slogans.
   This year's ended three weeks and two days ago, so that its last sticks have arrived by
   yesterday (no vote is received after the time the bench runs).
2. Each kiosk casts its first campaign's votes in its real ledger (office hours, as
   campaign.py), and a few between the campaigns; they arrive as campaign.py's do: most by
   network at the end of the campaign, the USB ones on a stick three weeks after its end.
   One kiosk's clock runs a year ahead in the second campaign (its network batches tell the
   collector, which puts its votes back in their year).
   Four weeks after its end the first campaign's awards are announced, every size group; two
   weeks later a stick brings a few more of its votes (cast on its last day): they are
   published and counted, but the announced awards stand.
3. For each campaign, `sangsuk-collector awards --campaign` (for the first, its announced
   awards), `publish --campaign` and `recount` (separate processes, no database for the
   recount) must agree, and the votes between the campaigns must be in neither.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import sqlalchemy as sa

from bench.campaign import (
    BATCH_LIMIT,
    WEEKS,
    WINNERS,
    Plan,
    ScriptedClock,
    ballot,
    office_moments,
    plan_campaign,
)
from collector import results
from collector.data.make_demo_districts import demo_rows
from collector.keys import load_collector_key
from collector.store import CollectorStore, campaigns
from collector.store.announcements import Decided, announce
from kiosk.ledger import Ledger
from wire import keys
from wire.batch import build_batch, check_batch
from wire.clock import THAI_TIME, format_utc
from wire.districts import SIZE_GROUPS

YEAR_AHEAD = timedelta(days=364)  # 52 weeks: the same weekdays a year later
STICK_DELAY = timedelta(days=21)  # a USB stick reaches the collector three weeks after the end


class SetClock:
    """The collector's clock in this bench: it shows the moment the bench sets."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def monotonic(self) -> float:
        return self.moment.timestamp()


def _thai(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), THAI_TIME).astimezone(UTC)


Chunk = tuple[list[bytes], list[str]]  # a batch's votes: their signed bytes and hashes


def cast(
    rng: random.Random, p: Plan, root: Path, days: list[date], ahead: timedelta, n: int
) -> list[Chunk]:
    """Cast n votes of p's district on its kiosk (its clock ahead by ahead), in batch chunks."""
    folder = root / p.code
    p.key = keys.load_or_create(folder)
    moments = [m + ahead for m in office_moments(rng, n, days)]
    with Ledger.open(folder, p.key, ScriptedClock(moments)) as ledger:
        held = ledger.pending(after_seq=0, limit=10**9)
        ledger.cast_many([ballot(rng, p.code, p.mix) for _ in range(n)])
        new = ledger.pending(after_seq=held[-1].seq if held else 0, limit=n + 1)
    return [
        ([s.body for s in new[i : i + BATCH_LIMIT]], [s.hash for s in new[i : i + BATCH_LIMIT]])
        for i in range(0, len(new), BATCH_LIMIT)
    ]


def send(
    store: CollectorStore,
    clock: SetClock,
    p: Plan,
    chunk: Chunk,
    at: datetime,
    source: str,
    ahead: timedelta,
) -> None:
    """The batch arrives at at: made then by the kiosk's clock (network), or weeks before (USB)."""
    assert p.key is not None
    clock.moment = at
    made = at + ahead if source == "http" else at - timedelta(days=20) + ahead
    data = build_batch(p.key.private_key, chunk[0], chunk[1], format_utc(made))
    check = check_batch(data)
    if not check.ok:
        raise RuntimeError(f"bench batch refused: {check.summary()}")
    store.ingest(check, data, source, "127.0.0.1")


def announce_all(store: CollectorStore, year: int) -> None:
    """Announce every size group of campaign year as the console does, by the saved method."""
    method = results.saved_method(store)
    for group in SIZE_GROUPS:

        def decide(conn: sa.Connection, group: str = group) -> Decided:
            ranking = results.rank_conn(conn, method, year)
            return Decided(method.to_json(), ranking.awards_json()[group], ranking.total_votes)

        announce(store, group, "bench", decide, "cli", year)


def collector(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `sangsuk-collector` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "collector", *args], capture_output=True, text=True, check=False
    )


def run_years(args: argparse.Namespace, rng: random.Random, work: Path, db: str) -> int:
    """Two campaigns a year apart; 0 when each campaign's recount agrees with the database."""
    today = datetime.now(THAI_TIME).date()
    # This year's campaign ended long enough ago that its last USB sticks, three weeks late,
    # have arrived by yesterday: no vote is received after the moment the bench runs.
    last = today - timedelta(days=STICK_DELAY.days + 2)
    days_b = [last - timedelta(days=WEEKS * 7 - 1 - i) for i in range(WEEKS * 7)]
    days_a = [d - YEAR_AHEAD for d in days_b]
    between = [days_a[-1] + timedelta(days=60 + i) for i in range(5)]
    years = {}
    for label, days in (("a", days_a), ("b", days_b)):
        be = days[0].year + 543
        years[label] = campaigns.make(
            be, f"ประเมินความพึงพอใจอำเภอ ปี {be}", f"District satisfaction {be}",
            days[0].isoformat(), days[-1].isoformat(), "เสียงของท่านช่วยพัฒนาอำเภอ",
            "Your voice improves your district office",
        )  # fmt: skip
    load_collector_key(db)
    clock = SetClock(_thai(days_a[0] - timedelta(days=7), 9))
    plans = plan_campaign(rng, args.votes, args.districts)
    ahead_code = next(p.code for p in plans if p.mode == "network" and p.votes >= 6)
    with CollectorStore(db, clock) as store:
        store.load_districts([(r["code"], r["size_group"]) for r in demo_rows()])
        for p in plans:
            p.key = keys.load_or_create(work / "kiosks" / p.code)
            store.enroll(store.issue_token(p.code), p.key.public_key_raw.hex())
        for c in years.values():
            campaigns.add(store, c)
        cast_total = 0
        ahead_votes = 0
        late_votes = 0
        for label, days in (("a", days_a), ("b", days_b)):
            end = _thai(days[-1] + timedelta(days=1), 10)
            if label == "b":  # a year on: other offices do better or worse, as many votes
                others = [p for p in plans if p.code not in WINNERS.values()]
                mixes = [p.mix for p in others]
                rng.shuffle(mixes)
                for p, mix in zip(others, mixes, strict=True):
                    p.mix = mix
                    p.votes = round(p.votes * rng.uniform(0.6, 1.4))
            for p in plans:
                n = p.votes
                if not n or p.mode == "silent":
                    continue
                ahead = YEAR_AHEAD if label == "b" and p.code == ahead_code else timedelta(0)
                ahead_votes += n if ahead else 0
                cast_total += n
                for chunk in cast(rng, p, work / "kiosks", days, ahead, n):
                    if p.mode == "usb":  # a stick that reaches the collector three weeks late
                        send(store, clock, p, chunk, end + STICK_DELAY, "usb", ahead)
                    else:
                        send(store, clock, p, chunk, end, "http", ahead)
            if label == "a":  # announced four weeks after; a last stick two weeks later
                clock.moment = end + timedelta(days=28)
                announce_all(store, years["a"].year)
                late = [p for p in plans if p.mode == "usb" and p.code not in WINNERS.values()]
                for p in late[:20]:
                    for chunk in cast(rng, p, work / "kiosks", days[-1:], timedelta(0), 3):
                        send(store, clock, p, chunk, end + timedelta(days=42), "usb", ahead)
                        late_votes += len(chunk[0])
            if label == "a":  # votes between the campaigns, in neither
                for p in [p for p in plans if p.mode == "network"][:5]:
                    for chunk in cast(rng, p, work / "kiosks", between, timedelta(0), 2):
                        at = _thai(between[-1], 17)
                        send(store, clock, p, chunk, at, "http", timedelta(0))
        clock.moment = datetime.now(UTC)  # after every arrival: the sticks came by yesterday
    print(
        f"{len(plans)} kiosks; campaigns {years['a'].year} ({days_a[0]} to {days_a[-1]}) and"
        f" {years['b'].year} ({days_b[0]} to {days_b[-1]}); {cast_total} votes in them, 10"
        f" between; the kiosk of {ahead_code} a year ahead in {years['b'].year}; {years['a'].year}"
        f" announced, then {late_votes} more of its votes arrived"
    )
    ok = planted = True
    for c in years.values():
        awarded = collector("awards", "--json", "--campaign", str(c.year), "--db", db)
        folder = work / f"publication-{c.year}"
        published = collector("publish", "--to", str(folder), "--campaign", str(c.year), "--db", db)
        recounted = collector("recount", "--json", str(folder))
        if awarded.returncode or published.returncode or recounted.returncode:
            print(awarded.stderr, published.stderr, recounted.stderr[-2000:])
            ok = False
            continue
        printed = json.loads(awarded.stdout)
        # The awards (the announced places of an announced group), as a recount finds them.
        awards = {g: printed[g] for g in SIZE_GROUPS}
        if printed["announced"]:  # announced: the awards are those, whatever arrived since
            moved = any(printed["live"][g] != awards[g] for g in printed["announced"])
            print(
                f"\ncampaign {c.year}: announced; the live ranking has"
                f" {'moved' if moved else 'not moved'} since"
            )
        agrees = json.loads(recounted.stdout) == awards
        manifest = json.loads((folder / "publication.json").read_bytes())
        counted = manifest["counted"]["votes"]
        print(
            f"\ncampaign {c.year}: {counted} votes counted; recount agrees: {'yes' if agrees else 'NO'}"
        )
        for group in SIZE_GROUPS:
            top = awards[group][:3]
            print(
                f"  {group}: "
                + ", ".join(f"{a['code']} {a['score']:.4f} ({a['votes']})" for a in top)
            )
            planted = planted and bool(top) and top[0]["code"] == WINNERS[group]
        ok = ok and agrees
    b = years["b"]
    with CollectorStore(db, clock) as store, store.reading() as conn:
        outside = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM votes WHERE NOT EXISTS (SELECT 1 FROM campaigns c"
                " WHERE votes.placed_at >= c.starts_at AND votes.placed_at < c.ends_at)"
            )
        ).scalar()
        put_back = conn.execute(
            sa.text(
                "SELECT COUNT(*) FROM votes WHERE district = :code AND cast_at >= :ends"
                " AND placed_at >= :starts AND placed_at < :ends"
            ),
            {"code": ahead_code, "starts": b.starts_at, "ends": b.ends_at},
        ).scalar()
    print(f"\nvotes in no campaign: {outside} (10 cast between the campaigns)")
    print(
        f"the kiosk a year ahead: {put_back} of its {ahead_votes} votes of {b.year}, dated"
        " a year late by its clock, counted in their campaign"
    )
    print(f"each campaign's awards recount from its own publication: {'yes' if ok else 'NO'}")
    # The planted winners win only with enough votes and districts (the defaults): a small
    # run may crown others, which says nothing about the recount.
    print(f"the 2021 winners win their groups in both campaigns: {'yes' if planted else 'no'}")
    ok = ok and outside == 10 and put_back == ahead_votes and planted
    return 0 if ok else 1
