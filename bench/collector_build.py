"""A realistic collector of any size, built fast: real kiosk keys, signed votes, the real store.

    uv run python bench/collector_build.py --votes 100000 --db PATH [--seed 2021]

The collectors of bench/collector_scale.py come from here; the command alone builds one to
look at (`sangsuk-collector serve --db PATH`). One plan serves every size, so two collectors
differ only in how many votes they hold:

* The 878 district offices of the bundled demo classification with their size groups, 1 to
  5 kiosks each (small to large offices), each kiosk with its own Ed25519 key derived from
  the seed (the same keys at every size).
* Traffic is skewed: busier and quieter offices (as bench/campaign.py, up to eight times
  apart), one district clearly the busiest (half again the next), about 1 % silent; the
  counter by the door takes most of an office's votes. Shares are apportioned, not drawn,
  so a district holds ten times the votes in a collector ten times bigger.
* Ballots: a rating mix per district (bench/campaign.py's mixes), staff of rosters of 12 to
  40 and units as targets, services, tags and concerns, a story in about a fifth (Thai, a
  few English), over the 365 days up to yesterday at office hours (Saturday mornings, a
  lunch dip, a slow swell over the year).
* Delivery: network kiosks send what they hold every fortnight, USB kiosks export a file
  every month that is imported days later; batches of at most 500 votes. Every kiosk's last
  votes arrive by the end of the last day.
* Incidents come with kiosks and batches, not votes, so there are as many at every size
  and every page shows as much at both: 1 % of the kiosks lost a batch (a gap), resent
  batches (replays, 1 in 200), 250 damaged USB files (refused and audited: the audit page
  shows its 200 rows at both sizes), 5 kiosks restored from an empty backup (two votes
  quarantined each), two kiosk clocks off, and one tablet revoked.

Fast but real: each kiosk's votes are signed with ``wire.vote.sign_vote`` and chained as its
ledger chains them, its batches made by ``wire.batch.build_batch`` and checked by
``check_batch``, all in a process pool on every core; this process stores the checked batches
with ``CollectorStore.ingest``, in the order they arrive, under a clock set to each arrival.
Districts and the collector key come from the CLI (`districts --load demo`), kiosks enroll
with ``issue_token`` and ``enroll``, the tablet is revoked with `revoke`: nothing else of the
store is used, so the same code builds any store that keeps that interface. HTTP ingest is
measured by bench/collector_ingest.py, not here.

The target is a string: an SQLite path, or a ``postgresql+psycopg://`` URL once the store
takes one (then handed to ``CollectorStore`` as it is).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import math
import multiprocessing
import os
import random
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.campaign import (
    BASE_MIX,
    GREAT_MIX,
    GROUP_TRAFFIC,
    POOR_MIX,
    STORIES_EN,
    STORIES_GOOD,
    STORIES_MIXED,
    STORIES_POOR,
)
from collector.cli.main import main as collector_cli
from collector.data.make_demo_districts import demo_rows
from collector.store import CollectorStore, StoreError
from kiosk.demo import DEMO_SERVICES, DEMO_TAGS, DEMO_UNITS
from kiosk.roster import DEFAULT_CONCERNS
from wire.batch import BatchCheck, build_batch, check_batch
from wire.clock import THAI_TIME, format_utc
from wire.keys import kiosk_id_for
from wire.vote import Ballot, Target, genesis_prev, sign_vote

REPO: Final = Path(__file__).resolve().parent.parent
# Bump when the generated data changes, so cached databases are built again.
GENERATOR_VERSION: Final = "2"
# Code whose change makes a built database stale: the store (and its migrations, wherever they
# go), the wire format it holds; GENERATOR_VERSION stands for this file.
FINGERPRINTED: Final = (
    "collector/store/**/*.py",
    "collector/migrations/**/*.py",
    "wire/vote.py",
    "wire/batch.py",
)
BATCH_LIMIT: Final = 500
NETWORK_EVERY_DAYS: Final = 14  # a network kiosk sends what it holds every fortnight
USB_EVERY_DAYS: Final = 30  # a USB kiosk's file is exported once a month
YEAR_DAYS: Final = 365
KIOSKS_PER_OFFICE: Final = {"small": (1, 2), "medium": (2, 3), "large": (3, 5)}
ROSTER_STAFF: Final = {"small": 12, "medium": 24, "large": 40}
RESTORED_KIOSKS: Final = 5  # restored from an empty backup: two votes quarantined each
DAMAGED_FILES: Final = 250  # USB files damaged on the way: refused, one audit row each
CLOSING: Final = 17 * 3600  # the office's day ends; the last votes are delivered by then


# --- the plan: the same offices, kiosks and shares at every size ----------------------------


@dataclass(frozen=True, slots=True)
class KioskPlan:
    """One kiosk's year: what its worker needs to sign, batch and check its votes."""

    index: int
    seed: int
    district: str
    group: str
    votes: int
    mix: tuple[float, ...]
    mode: str  # "http" (network) or "usb"
    gap: bool = False  # one batch never arrives
    clock_off_s: int = 0  # the kiosk's clock is off (shows in made_at)
    restored: bool = False  # restored from an empty backup: sends seqs 1-2 again, other votes
    damaged: bool = False  # one of its USB files is damaged on the way (refused)
    year_end: int = 0  # date.toordinal() of the last day of votes


def kiosk_key(seed: int, index: int) -> Ed25519PrivateKey:
    """The kiosk's Ed25519 key, derived from the seed: the same kiosks at every size."""
    return Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(f"sangsuk-scale/{seed}/{index}".encode()).digest()
    )


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split total in proportion to weights (largest remainder): shares, not draws."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    exact = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in exact]
    by_rest = sorted(range(len(weights)), key=lambda i: counts[i] - exact[i])
    for i in by_rest[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_kiosks(votes: int, seed: int, year_end: date) -> tuple[list[KioskPlan], str]:
    """Every kiosk's plan for this many votes, and the busiest district's code."""
    rng = random.Random(seed)  # the shares depend on the seed only, not on the size
    offices = []
    for row in demo_rows():
        code, group = row["code"], row["size_group"]
        low, high = KIOSKS_PER_OFFICE[group]
        kiosks = rng.randint(low, high)
        silent = rng.random() < 0.01
        # Busier and quieter offices, about eight times apart at most (as bench/campaign.py).
        weight = 0.0 if silent else GROUP_TRAFFIC[group] * min(8.0, math.exp(rng.gauss(0, 0.7)))
        roll = rng.random()
        if roll < 0.1:
            mix: tuple[float, ...] = POOR_MIX
        else:
            q = rng.betavariate(2, 5) * 0.7  # how much better than the base mix
            mix = tuple((1 - q) * b + q * g for b, g in zip(BASE_MIX, GREAT_MIX, strict=True))
        offices.append((code, group, kiosks, weight, mix))
    # One office clearly the busiest: half again its own traffic, well above the next one's.
    top = max(range(len(offices)), key=lambda i: offices[i][3])
    code, group, kiosks, weight, mix = offices[top]
    offices[top] = (code, group, kiosks, weight * 1.5, mix)
    busiest = code
    plans: list[KioskPlan] = []
    for (code, group, kiosks, _, mix), office_votes in zip(
        offices, apportion(votes, [o[3] for o in offices]), strict=True
    ):
        # The counter by the door takes most votes; the others fewer.
        shares = apportion(office_votes, [1.0 / (k + 1) for k in range(kiosks)])
        for n in shares:
            mode = "http" if rng.random() < 0.7 else "usb"
            plans.append(
                KioskPlan(
                    len(plans), seed, code, group, n, mix, mode, year_end=year_end.toordinal()
                )
            )
    # Incidents come with kiosks and batches, not with votes: as many at every size, so that
    # every page shows as much at both (the audit page its 200 rows). Never at the busiest
    # office's kiosks.
    calm = [p.index for p in plans if p.votes >= 20 and p.district != busiest]
    network = [i for i in calm if plans[i].mode == "http"]
    usb = [p.index for p in plans if p.mode == "usb" and p.votes and p.district != busiest]
    marks: dict[int, dict[str, Any]] = {}
    for i in rng.sample(network, min(len(network), len(plans) // 100)):
        marks.setdefault(i, {})["gap"] = True
    for i, off in zip(rng.sample(network, min(2, len(network))), (-47 * 60, 12 * 60), strict=False):
        marks.setdefault(i, {})["clock_off_s"] = off
    for i in rng.sample(network, min(len(network), RESTORED_KIOSKS)):
        marks.setdefault(i, {})["restored"] = True
    for i in rng.sample(usb, min(len(usb), DAMAGED_FILES)):
        marks.setdefault(i, {})["damaged"] = True
    for i, changes in marks.items():
        plans[i] = replace(plans[i], **changes)
    return plans, busiest


# --- a kiosk's year, in a worker process -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """A batch as it reaches the collector: when, how, its bytes and its (detached) check."""

    at: float  # POSIX seconds
    source: str  # http or usb
    source_addr: str
    data: bytes
    check: BatchCheck
    kind: str  # sent, replay, damaged, restored


def office_moments(rng: random.Random, n: int, year_end: date) -> list[float]:
    """n sorted moments (POSIX seconds) at office hours over the year up to year_end."""
    first = year_end - timedelta(days=YEAR_DAYS - 1)
    days, weights = [], []
    for i in range(YEAR_DAYS):
        day = first + timedelta(days=i)
        if day.weekday() == 6:
            continue
        # Saturdays are short mornings; the year has a slow swell (busier in the dry season).
        w = (0.08 if day.weekday() == 5 else 1.0) * (1 + 0.3 * math.sin(2 * math.pi * i / 365))
        midnight = datetime(day.year, day.month, day.day, tzinfo=THAI_TIME).timestamp()
        days.append((midnight, day.weekday() == 5))
        weights.append(w)
    slots = [(8, 30), *((h, m) for h in range(9, 16) for m in (0, 30)), (16, 0)]
    slot_w = [
        {8: 0.6, 9: 1.3, 10: 1.5, 11: 1.2, 12: 0.45, 13: 1.0, 14: 1.1, 15: 0.8, 16: 0.4}[h]
        for h, _ in slots
    ]
    chosen = rng.choices(days, weights=weights, k=n)
    times = rng.choices(slots, weights=slot_w, k=n)
    out = []
    for (midnight, saturday), (h, m) in zip(chosen, times, strict=True):
        if saturday and h >= 12:
            h -= 4
        out.append(midnight + h * 3600 + m * 60 + rng.uniform(0, 1800))
    out.sort()
    return out


def make_ballot(rng: random.Random, plan: KioskPlan, staff_w: list[float]) -> Ballot:
    """One citizen's answers, from the district's rating mix and its roster."""
    rating = rng.choices((5, 4, 3, 2, 1), weights=plan.mix)[0]
    roll = rng.random()
    target = None
    if roll < 0.55:
        staff = rng.choices(range(1, len(staff_w) + 1), weights=staff_w)[0]
        target = Target("staff", f"s{staff:02d}")
    elif roll < 0.85:
        target = Target("unit", rng.choice(DEMO_UNITS)[0])
    service = rng.choice(DEMO_SERVICES)[0] if rng.random() < 0.6 else None
    tags: tuple[str, ...] = ()
    if rating >= 4 and rng.random() < 0.7:
        tags = tuple(t[0] for t in rng.sample(DEMO_TAGS, rng.randint(1, 3)))
    elif rating <= 3 and rng.random() < 0.5:
        tags = tuple(c.code for c in rng.sample(DEFAULT_CONCERNS, rng.randint(1, 2)))
    lang = "en" if rng.random() < 0.05 else "th"
    story = ""
    if rng.random() < 0.22:
        pool = (
            STORIES_EN
            if lang == "en"
            else STORIES_GOOD
            if rating >= 4
            else STORIES_MIXED
            if rating == 3
            else STORIES_POOR
        )
        story = rng.choice(pool)
    return Ballot(plan.district, rating, target, service, tags, story, lang, rng.random() < 0.003)


def sign_chain(
    key: Ed25519PrivateKey,
    kiosk: str,
    first: int,
    prev: str,
    ballots: list[Ballot],
    at: list[float],
) -> tuple[list[bytes], list[str]]:
    """Number, chain and sign ballots as the kiosk's ledger does; their bytes and hashes."""
    bodies, hashes = [], []
    for seq, (ballot, moment) in enumerate(zip(ballots, at, strict=True), start=first):
        vote = sign_vote(
            key, kiosk, seq, format_utc(datetime.fromtimestamp(moment, UTC)), prev, ballot
        )
        body = vote.signed_bytes()
        prev = hashlib.sha256(body).hexdigest()
        bodies.append(body)
        hashes.append(prev)
    return bodies, hashes


def checked(data: bytes) -> BatchCheck:
    """check_batch, detached for the trip to the storing process (it reattaches the votes)."""
    return check_batch(data).detached()


def kiosk_year(plan: KioskPlan) -> list[Delivery]:
    """Sign a kiosk's year of votes, cut them into batches at its syncs, check each batch."""
    rng = random.Random(f"{plan.seed}/{plan.index}/{plan.votes}")
    key = kiosk_key(plan.seed, plan.index)
    public = key.public_key().public_bytes_raw()
    kiosk = kiosk_id_for(public)
    if not plan.votes:
        return []
    year_end = date.fromordinal(plan.year_end)
    moments = office_moments(rng, plan.votes, year_end)
    staff_w = [1.0 / (i + 1) ** 0.7 for i in range(ROSTER_STAFF[plan.group])]
    ballots = [make_ballot(rng, plan, staff_w) for _ in moments]
    bodies, hashes = sign_chain(key, kiosk, 1, genesis_prev(public), ballots, moments)
    every = NETWORK_EVERY_DAYS if plan.mode == "http" else USB_EVERY_DAYS
    addr = f"10.{plan.index // 250 % 250}.{plan.index % 250}.{rng.randint(2, 250)}"
    # Every delivery is over by the end of the last day (a fortnightly sync falls on it).
    closing = datetime(year_end.year, year_end.month, year_end.day, tzinfo=THAI_TIME).timestamp()
    closing += CLOSING
    out: list[Delivery] = []
    sync = moments[0] + rng.uniform(0, every * 86400)
    i = number = 0
    while i < len(moments):
        sync = min(sync, closing)
        j = i
        while j < len(moments) and (moments[j] < sync or sync == closing):
            j += 1
        for a in range(i, j, BATCH_LIMIT):
            b = min(j, a + BATCH_LIMIT)
            made = sync + plan.clock_off_s
            data = build_batch(
                key, bodies[a:b], hashes[a:b], format_utc(datetime.fromtimestamp(made, UTC))
            )
            number += 1
            if plan.mode == "http":
                arrives, name = sync + rng.uniform(0.2, 3.0), addr
            else:  # the file travels to the central office and is imported days later
                arrives = min(sync + rng.uniform(1, 6) * 86400, closing + 600)
                name = f"sangsuk-{plan.district}-{kiosk[:8]}-{number:03d}.batch.json"
            if plan.gap and number == 2 and j < len(moments):
                continue  # lost on the way: the fleet page shows the gap
            out.append(Delivery(arrives, plan.mode, name, data, checked(data), "sent"))
            if plan.mode == "http" and rng.random() < 0.005:  # the receipt was lost: resent
                out.append(Delivery(arrives + 300, "http", name, data, checked(data), "replay"))
            if plan.damaged and number == 1:  # a copy of the file, one rating changed
                pos = data.index(b'"rating":') + len(b'"rating":')
                bad = data[:pos] + (b"3" if data[pos : pos + 1] != b"3" else b"4") + data[pos + 1 :]
                out.append(Delivery(arrives + 60, "usb", name, bad, checked(bad), "damaged"))
        i = j
        sync += every * 86400
    if plan.restored:
        # Restored from an empty backup: it numbers two new votes 1 and 2 again.
        at = [moments[-1] + 60, moments[-1] + 120]
        again = [make_ballot(rng, plan, staff_w) for _ in at]
        b2, h2 = sign_chain(key, kiosk, 1, genesis_prev(public), again, at)
        data = build_batch(key, b2, h2, format_utc(datetime.fromtimestamp(at[-1] + 60, UTC)))
        out.append(Delivery(at[-1] + 61, "http", addr, data, checked(data), "restored"))
    return out


# --- building a collector ---------------------------------------------------------------------


class SetClock:
    """The store's clock while building: each batch arrives at its planned moment."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The moment the batch being stored arrives."""
        return self.at

    def monotonic(self) -> float:
        """The machine's monotonic time."""
        return time.monotonic()


def is_url(target: str) -> bool:
    """True for a PostgreSQL URL, False for an SQLite path."""
    return target.startswith(("postgresql://", "postgresql+"))


def opened(target: str) -> Any:
    """What ``CollectorStore`` and ``create_app`` are given: a URL as it is, a path as a Path."""
    return target if is_url(target) else Path(target)


def cli(*args: str) -> tuple[int, str]:
    """Run `sangsuk-collector` in this process; its exit status and what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = collector_cli(list(args))
    return status, out.getvalue()


def fingerprint() -> str:
    """A short hash of the code a built database depends on."""
    digest = hashlib.sha256(GENERATOR_VERSION.encode())
    for pattern in FINGERPRINTED:
        for path in sorted(REPO.glob(pattern)):
            digest.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def build(target: str, votes: int, seed: int, year_end: date) -> dict[str, Any]:
    """Build a collector with this many votes at target; what was built, for the cache."""
    started = time.perf_counter()
    plans, busiest = plan_kiosks(votes, seed, year_end)
    status, said = cli("districts", "--load", "demo", "--db", target)
    if status != 0:
        raise RuntimeError(f"districts --load failed: {said}")
    # The kiosks were enrolled the day before their first votes.
    clock = SetClock(datetime.combine(year_end, datetime.min.time(), UTC) - timedelta(YEAR_DAYS))
    outcome = dict.fromkeys(("new", "duplicates", "conflicts", "refused", "batches"), 0)
    with CollectorStore(opened(target), clock=clock) as store:
        for p in plans:
            public = kiosk_key(seed, p.index).public_key().public_bytes_raw()
            store.enroll(store.issue_token(p.district), public.hex())
        order = sorted(plans, key=lambda p: -p.votes)  # the longest first: no straggler at the end
        wave: list[Delivery] = []
        done = told = 0
        context = multiprocessing.get_context("spawn")
        with context.Pool(os.cpu_count() or 1) as pool:
            for deliveries in pool.imap_unordered(kiosk_year, order, chunksize=1):
                wave.extend(deliveries)
                done += 1
                # Batches of many kiosks arrive interleaved in time, as they would.
                if done % 48 == 0 or done == len(order):
                    wave.sort(key=lambda d: d.at)
                    for d in wave:
                        clock.at = datetime.fromtimestamp(d.at, UTC)
                        store_one(store, d, outcome)
                    wave = []
                    if done * 10 // len(order) > told:  # a line every tenth of the kiosks
                        told = done * 10 // len(order)
                        progress(f"{done:,}/{len(order):,} kiosks, {outcome['new']:,} votes")
    stolen = next(p for p in plans if p.mode == "usb" and p.votes and not p.damaged)
    stolen_id = kiosk_id_for(kiosk_key(seed, stolen.index).public_key().public_bytes_raw())
    status, said = cli("revoke", stolen_id, "--db", target)
    if status != 0:
        raise RuntimeError(f"revoke failed: {said}")
    seconds = time.perf_counter() - started
    return {
        "votes_planned": votes,
        "votes_stored": outcome["new"],
        "busiest": busiest,
        "kiosks": len(plans),
        "batches": outcome["batches"],
        "duplicates": outcome["duplicates"],
        "quarantined": outcome["conflicts"],
        "refused": outcome["refused"],
        "build_seconds": round(seconds, 1),
        "year_end": year_end.isoformat(),
        "fingerprint": fingerprint(),
    }


def store_one(store: CollectorStore, d: Delivery, outcome: dict[str, int]) -> None:
    """Ingest one delivery as the collector's intake does; count what happened."""
    outcome["batches"] += 1
    check = d.check.reattach(d.data)
    try:
        result = store.ingest(check, d.data, d.source, d.source_addr)
    except StoreError:
        outcome["refused"] += 1  # audited by the store
        if d.kind != "damaged":
            raise
        return
    outcome["new"] += result.new
    outcome["duplicates"] += result.duplicates
    outcome["conflicts"] += len(result.receipt.conflicts)


def progress(text: str) -> None:
    """A line of progress on stderr."""
    print(f"  building {text}", file=sys.stderr, flush=True)


def main() -> int:
    """Build one collector and say what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, required=True)
    parser.add_argument("--db", required=True, help="a new SQLite file (or a PostgreSQL URL)")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    if not is_url(args.db) and Path(args.db).exists():
        print(f"{args.db} already exists; give a new --db", file=sys.stderr)
        return 2
    built = build(args.db, args.votes, args.seed, date.today() - timedelta(days=1))
    for key, value in built.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
