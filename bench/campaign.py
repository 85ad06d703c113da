"""A 2021-like campaign, end to end: kiosks vote, sync by network and USB, the awards, a recount.

    uv run python bench/campaign.py [--votes 40000] [--db PATH] [--districts 878] [--seed 2021]
    uv run python bench/campaign.py --years 2 ...   # two campaigns a year apart (campaign_years.py)

1. Every district office (878, each with its demo size group) gets a kiosk with its own key
   and a real ledger. Citizens cast --votes votes over the 8 weeks before today, at office hours
   (Monday to Friday 08:30-16:30 Thai time with a lunch dip, a few on Saturday mornings), with
   a realistic rating mix that varies by district, targets, tags and Thai stories (a few with a
   phone number, which the kiosk masks). The 2021 winners (Hua Taphan 3706 small, Phayakkhaphum
   Phisai 4408 medium, Sawang Daen Din 4712 large) get a better mix and enough votes to win;
   a few districts never vote (their kiosks stay silent), a few lose a batch (a gap), two
   kiosks have a wrong clock, a kiosk restored from an empty backup sends votes with numbers
   already used (quarantined), a tablet reported stolen is revoked (its later file is refused,
   its earlier votes stay counted) and one USB file is damaged (refused).
2. A real collector (`sangsuk-collector serve`, uvicorn) is started on 127.0.0.1. Kiosks
   enroll over HTTP with one-time tokens. About two thirds of them send their batches over the
   network; the others export them to "USB" files that `sangsuk-collector import` reads; some
   do both (so votes arrive twice and must count once).
3. `sangsuk-collector awards --json` gives the awards; `publish` writes the batches and the
   signed manifest; `recount` recomputes the awards from those files alone. They must agree.

It prints the awards (the top three of each size group) and the time each step took, and
exits 1 if the recount disagrees or a 2021 winner does not win its group. With --db the
collector database is kept: `sangsuk-collector serve --db PATH` then shows the dashboard.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from bench.collector_process import serving
from collector.data.make_demo_districts import demo_rows
from collector.keys import load_collector_key
from collector.store import CollectorStore
from kiosk.demo import random_choices
from kiosk.ledger import Ledger
from kiosk.version import running_version
from wire import keys
from wire.agent import user_agent
from wire.batch import build_batch
from wire.clock import THAI_TIME, format_utc
from wire.districts import SIZE_GROUPS
from wire.receipt import check_receipt
from wire.vote import Ballot

WINNERS = {"small": "3706", "medium": "4408", "large": "4712"}
# Share of all votes each winner gets (and at least WINNER_MIN_VOTES): enough to be ranked
# with confidence, as the 2021 winners were busy offices.
WINNER_SHARE = {"3706": 0.0045, "4408": 0.0065, "4712": 0.008}
WINNER_MIN_VOTES = 60

WEEKS = 8
BATCH_LIMIT = 500
# Rating mixes (weights of 5, 4, 3, 2, 1): the 2021 campaign was mostly very satisfied.
BASE_MIX = (62, 24, 9, 3, 2)
GREAT_MIX = (86, 11, 2, 1, 0)
POOR_MIX = (40, 30, 17, 8, 5)
GROUP_TRAFFIC = {"small": 1.0, "medium": 1.6, "large": 2.4}
STORIES_GOOD = (
    "เจ้าหน้าที่พูดจาสุภาพ อธิบายขั้นตอนชัดเจน ขอบคุณมากค่ะ",
    "มาทำบัตรประชาชนใหม่ ใช้เวลาไม่ถึงสิบนาที ประทับใจครับ",
    "คุณป้าอายุเยอะ เจ้าหน้าที่ช่วยพาไปนั่งและกรอกเอกสารให้ น้ำใจดีมาก",
    "ห้องน้ำสะอาด มีที่นั่งรอเพียงพอ มีน้ำดื่มบริการ",
    "บริการรวดเร็วทันใจ 👍",
    "แจ้งเกิดลูกคนแรก เจ้าหน้าที่แนะนำทุกอย่างครบ ไม่ต้องกลับไปเอาเอกสารเพิ่ม",
    "ปลัดอำเภอใจดีมาก ช่วยไกล่เกลี่ยเรื่องที่ดินจนตกลงกันได้",
    "มีช่องบริการสำหรับผู้สูงอายุและผู้พิการ ไม่ต้องยืนรอนาน",
    "ขอบคุณน้องที่ช่วยโทรตามเรื่องให้ ถ้ามีปัญหาโทร 081-234-5678 ได้เลย",
    "จดทะเบียนสมรสที่อำเภอ บรรยากาศอบอุ่น ถ่ายรูปให้ด้วย ประทับใจมากค่ะ",
    "เปิดบริการวันเสาร์ สะดวกสำหรับคนทำงานมากครับ",
    "เจ้าหน้าที่ยิ้มแย้มแจ่มใส ทักทายทุกคนที่เข้ามา",
    "ย้ายทะเบียนบ้านเสร็จในครั้งเดียว ขั้นตอนไม่ยุ่งยาก",
    "ระบบบัตรคิวดีมาก รู้ว่าต้องรออีกกี่คิว",
    "ลูกหลานพาแม่มาทำบัตร เจ้าหน้าที่อดทนอธิบายช้าๆ จนแม่เข้าใจ",
)
STORIES_MIXED = (
    "รอนานไปหน่อย แต่เจ้าหน้าที่ใจดี",
    "คนเยอะช่วงเช้า อยากให้มีเจ้าหน้าที่เพิ่มอีกคน",
    "ที่จอดรถไม่พอ นอกนั้นดีครับ",
)
STORIES_POOR = (
    "รอคิวเกือบสองชั่วโมง ไม่มีใครแจ้งว่าระบบล่ม",
    "ต้องกลับไปเอาเอกสารเพิ่มถึงสองรอบ อยากให้บอกให้ครบตั้งแต่แรก",
)
STORIES_EN = (
    "Very helpful staff, they explained everything in English. Thank you!",
    "Quick service for my marriage registration, great experience.",
)


@dataclass
class Plan:
    """One district's kiosk and what it does in the campaign."""

    code: str
    group: str
    votes: int
    mix: tuple[int, ...]
    mode: str  # network, usb, both, or silent (enrolled, never sends)
    gap: bool = False
    clock_off_s: int = 0
    key: keys.DeviceKey | None = None
    batches: list[bytes] = field(default_factory=list)  # sent over the network
    files: list[bytes] = field(default_factory=list)  # exported to USB


class ScriptedClock:
    """A kiosk clock that tells the planned moment of each vote in turn."""

    def __init__(self, moments: list[datetime]) -> None:
        self._moments = deque(moments)

    def now(self) -> datetime:
        return self._moments.popleft()

    def monotonic(self) -> float:
        return time.monotonic()


def office_moments(rng: random.Random, n: int, days: list[date]) -> list[datetime]:
    """n moments at a district office's hours over the campaign days, sorted."""
    day_weights = []
    for i, day in enumerate(days):
        weekday = day.weekday()
        w = 1.0 if weekday < 5 else (0.08 if weekday == 5 else 0.0)
        week = i // 7
        w *= 0.6 if week == 0 else (1.3 if week == WEEKS - 1 else 1.0)  # start-up, final push
        day_weights.append(w)
    # Half-hour slots from 08:30 to 16:30 with a mid-morning peak and a lunch dip.
    slots = [(8, 30), *((h, m) for h in range(9, 16) for m in (0, 30)), (16, 0)]
    slot_weights = [
        {8: 0.6, 9: 1.3, 10: 1.5, 11: 1.2, 12: 0.45, 13: 1.0, 14: 1.1, 15: 0.8, 16: 0.4}[h]
        for h, _ in slots
    ]
    out = []
    for day in rng.choices(days, weights=day_weights, k=n):
        if day.weekday() == 5:
            h, m = rng.choice([(8, 30), (9, 0), (9, 30), (10, 0), (10, 30), (11, 0)])
        else:
            h, m = rng.choices(slots, weights=slot_weights)[0]
        local = datetime(day.year, day.month, day.day, h, m, tzinfo=THAI_TIME) + timedelta(
            seconds=rng.uniform(0, 1800)
        )
        out.append(local.astimezone(UTC))
    return sorted(out)


def ballot(rng: random.Random, code: str, mix: tuple[int, ...]) -> Ballot:
    """One citizen's answers: a rating from the district's mix, often a target, tags, a story."""
    rating = rng.choices((5, 4, 3, 2, 1), weights=mix)[0]
    target, service, tags = random_choices(rng, rating)
    lang = "en" if rng.random() < 0.05 else "th"
    story = ""
    if rng.random() < 0.22:
        if lang == "en":
            story = rng.choice(STORIES_EN)
        elif rating >= 4:
            story = rng.choice(STORIES_GOOD)
        elif rating == 3:
            story = rng.choice(STORIES_MIXED)
        else:
            story = rng.choice(STORIES_POOR)
    return Ballot(code, rating, target, service, tags, story, lang)


def plan_campaign(rng: random.Random, votes: int, districts: int) -> list[Plan]:
    """Decide every district's votes, rating mix and way of sending."""
    rows = [(r["code"], r["size_group"]) for r in demo_rows()]
    if districts < len(rows):
        others = [r for r in rows if r[0] not in WINNERS.values()]
        chosen = {r[0] for r in rng.sample(others, max(0, districts - len(WINNERS)))}
        rows = [r for r in rows if r[0] in chosen or r[0] in WINNERS.values()]
    winner_votes = {
        code: max(WINNER_MIN_VOTES, round(votes * share)) for code, share in WINNER_SHARE.items()
    }
    rest = max(0, votes - sum(winner_votes.values()))
    plans = []
    for code, group in rows:
        if code in winner_votes:
            mix = GREAT_MIX
        elif rng.random() < 0.1:
            mix = POOR_MIX
        else:
            q = rng.betavariate(2, 5) * 0.7  # how much better than the base mix
            mix = tuple(
                round((1 - q) * b + q * g, 3) for b, g in zip(BASE_MIX, GREAT_MIX, strict=True)
            )
        roll = rng.random()
        mode = "network" if roll < 0.62 else ("usb" if roll < 0.87 else "both")
        if code not in winner_votes and rng.random() < 0.01:
            mode = "silent"
        plans.append(Plan(code, group, winner_votes.get(code, 0), mix, mode))
    active = [p for p in plans if p.mode != "silent" and p.code not in winner_votes]
    # Busier and quieter offices; the busiest about eight times the typical one.
    weights = [GROUP_TRAFFIC[p.group] * min(8.0, math.exp(rng.gauss(0, 0.7))) for p in active]
    if active:
        for p in rng.choices(active, weights=weights, k=rest):
            p.votes += 1
    networked = [p for p in active if p.mode == "network" and p.votes >= 6]
    for p in rng.sample(networked, min(len(networked), max(1, len(plans) // 100))):
        p.gap = True  # one batch never arrives: the fleet page shows a gap
    for p, off in zip(
        rng.sample(networked, min(2, len(networked))), (-47 * 60, 12 * 60), strict=False
    ):
        p.clock_off_s = off  # a kiosk clock 47 minutes slow, another 12 minutes fast
    return plans


def cast_votes(rng: random.Random, plans: list[Plan], root: Path, days: list[date]) -> int:
    """Cast every planned vote in each kiosk's real ledger and cut the batches."""
    now = datetime.now(UTC)
    cast = 0
    for p in plans:
        folder = root / p.code
        p.key = keys.load_or_create(folder)
        if not p.votes:
            continue
        moments = office_moments(rng, p.votes, days)
        with Ledger.open(folder, p.key, ScriptedClock(moments)) as ledger:
            ledger.cast_many([ballot(rng, p.code, p.mix) for _ in range(p.votes)])
            stored = ledger.pending(after_seq=0, limit=p.votes + 1)
        cast += len(stored)
        # Each kiosk syncs in a few runs over the campaign; gap kiosks lose the middle one.
        runs = 3 if p.gap else 2
        size = max(1, math.ceil(len(stored) / runs))
        chunks = [stored[i : i + size] for i in range(0, len(stored), size)]
        for number, chunk in enumerate(chunks):
            if p.gap and number == 1 and len(chunks) > 2:
                continue
            for i in range(0, len(chunk), BATCH_LIMIT):
                part = chunk[i : i + BATCH_LIMIT]
                made = now + timedelta(seconds=p.clock_off_s)
                data = build_batch(
                    p.key.private_key,
                    [s.body for s in part],
                    [s.hash for s in part],
                    format_utc(made),
                )
                if p.mode == "network" or (p.mode == "both" and number == 0):
                    p.batches.append(data)
                if p.mode in ("usb", "both"):
                    p.files.append(data)  # "both" exports everything, sent or not
    return cast


def incidents(
    rng: random.Random,
    plans: list[Plan],
    work: Path,
    send: Callable[[tuple[Plan, bytes]], int],
    db: str,
) -> None:
    """What goes wrong in a real campaign: a restored kiosk, a stolen tablet, a damaged file."""
    calm = [p for p in plans if p.votes >= 6 and not p.gap and p.code not in WINNERS.values()]
    restored = rng.choice([p for p in calm if p.mode == "network"])
    assert restored.key is not None
    folder = work / "kiosks" / f"{restored.code}-restored"
    folder.mkdir()
    shutil.copy2(work / "kiosks" / restored.code / keys.KEY_FILE_NAME, folder / keys.KEY_FILE_NAME)
    moments = [datetime.now(UTC) - timedelta(hours=2, minutes=m) for m in (9, 4)]
    with Ledger.open(folder, restored.key, ScriptedClock(moments)) as ledger:
        ledger.cast_many([ballot(rng, restored.code, BASE_MIX) for _ in range(2)])
        stored = ledger.pending(after_seq=0, limit=10)
    data = build_batch(
        restored.key.private_key,
        [s.body for s in stored],
        [s.hash for s in stored],
        format_utc(datetime.now(UTC)),
    )
    send((restored, data))  # both votes are conflicts: quarantined, the held ones stay
    stolen = rng.choice([p for p in calm if p.mode == "both"])
    assert stolen.key is not None
    done = collector("revoke", stolen.key.kiosk_id, "--db", str(db))
    if done.returncode != 0:
        raise RuntimeError(f"revoke failed: {done.stderr}")
    damaged = rng.choice([p for p in calm if p.mode == "usb" and p.files and p is not stolen])
    damaged.files.append(damaged.files[0].replace(b'"rating":5', b'"rating":3', 1))
    print(
        f"incidents: kiosk of {restored.code} restored from an empty backup; kiosk of "
        f"{stolen.code} revoked; a damaged copy of a file from {damaged.code}"
    )


def collector(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `sangsuk-collector` as its own process."""
    return subprocess.run(
        [sys.executable, "-m", "collector", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def main() -> int:
    """Run the campaign and print the awards and the times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=40_000)
    parser.add_argument(
        "--db",
        default=None,
        help="the collector database (new): a SQLite path or an empty postgresql:// database",
    )
    parser.add_argument("--districts", type=int, default=878, help="how many districts vote")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--workers", type=int, default=1, help="collector worker processes")
    parser.add_argument(
        "--years",
        type=int,
        choices=(1, 2),
        default=1,
        help="2: two campaigns a year apart, each with its own awards and recount"
        " (bench/campaign_years.py)",
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sangsuk-campaign-"))
    db: str = args.db or str(work / "collector.sqlite3")
    if "://" in db:
        with CollectorStore(db) as store:
            if store.enrolled_count():
                print(f"campaign: {store.target} holds kiosks; give a new --db", file=sys.stderr)
                return 2
        if not os.environ.get("SANGSUK_COLLECTOR_HOME"):  # the key of this campaign only
            os.environ["SANGSUK_COLLECTOR_HOME"] = str(work)
    elif Path(db).exists():
        print(f"campaign: {db} already exists; give a new --db", file=sys.stderr)
        return 2
    else:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    times: dict[str, float] = {}
    started = time.perf_counter()
    try:
        if args.years == 2:
            from bench.campaign_years import run_years  # it imports this module

            return run_years(args, rng, work, db)
        return run(args, rng, work, db, times, started)
    finally:
        # The scratch folder goes, unless it holds what the bench made for the reader: the
        # database (no --db given) or, for a postgres:// one, the collector's key.
        if args.db is None or os.environ.get("SANGSUK_COLLECTOR_HOME") == str(work):
            for scratch in ("kiosks", "usb", "publication", "publication-*"):
                for folder in work.glob(scratch):
                    shutil.rmtree(folder, ignore_errors=True)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(
    args: argparse.Namespace,
    rng: random.Random,
    work: Path,
    db: str,
    times: dict[str, float],
    started: float,
) -> int:
    """The campaign's steps (see the module docstring)."""
    t = time.perf_counter()
    today = datetime.now(THAI_TIME).date()
    days = [today - timedelta(days=WEEKS * 7 - i) for i in range(WEEKS * 7)]
    plans = plan_campaign(rng, args.votes, args.districts)
    cast = cast_votes(rng, plans, work / "kiosks", days)
    times["cast votes in the kiosks' ledgers"] = time.perf_counter() - t
    print(
        f"{len(plans)} districts, {cast} votes cast from {days[0]} to {days[-1]} "
        f"({sum(p.mode == 'silent' for p in plans)} kiosks silent, "
        f"{sum(p.gap for p in plans)} with a lost batch, "
        f"{sum(bool(p.clock_off_s) for p in plans)} with a wrong clock)"
    )

    load_collector_key(db)
    with CollectorStore(db) as store:
        store.load_districts([(r["code"], r["size_group"]) for r in demo_rows()])
        tokens = {p.code: store.issue_token(p.code) for p in plans}
    with (
        (work / "collector-serve.log").open("wb") as serve_log,
        serving(db, args.workers, serve_log) as (_, url),
    ):
        collector_key = Ed25519PublicKey.from_public_bytes(
            bytes.fromhex(requests.get(f"{url}/health", timeout=5).json()["collector_key"])
        )
        t = time.perf_counter()
        session = requests.Session()
        for p in plans:
            assert p.key is not None
            answer = session.post(
                f"{url}/enroll",
                json={"token": tokens[p.code], "public_key": p.key.public_key_raw.hex()},
                timeout=30,
            )
            answer.raise_for_status()
        times["enroll every kiosk over HTTP"] = time.perf_counter() - t

        # The kiosks name their software as the real sender does; one in ten still runs the
        # version before, as during an update's rollout (the kiosks page counts them).
        agents = {
            p.code: user_agent(running_version() if i % 10 != 3 else "0.0.9")
            for i, p in enumerate(plans)
        }

        def send(item: tuple[Plan, bytes]) -> int:
            plan, data = item
            assert plan.key is not None
            answer = requests.post(
                f"{url}/batches",
                data=data,
                headers={"content-type": "application/json", "user-agent": agents[plan.code]},
                timeout=120,
            )
            if answer.status_code != 200:
                raise RuntimeError(f"batch refused: {answer.status_code} {answer.text[:200]}")
            receipt = check_receipt(answer.content, collector_key, plan.key.kiosk_id)
            if not receipt.ok or receipt.receipt is None:
                raise RuntimeError(f"bad receipt: {receipt.problems}")
            return len(receipt.receipt.accepted_seqs())

        t = time.perf_counter()
        network = [(p, b) for p in plans for b in p.batches]
        rng.shuffle(network)  # kiosks sync whenever their network is up
        with ThreadPoolExecutor(max_workers=4) as pool:
            acknowledged = sum(pool.map(send, network))
        times["network batches (HTTP, signed receipts checked)"] = time.perf_counter() - t
        print(f"network: {len(network)} batches, {acknowledged} votes acknowledged")
        incidents(rng, plans, work, send, db)

        t = time.perf_counter()
        usb = work / "usb"
        usb.mkdir()
        files = 0
        for p in plans:
            assert p.key is not None
            for i, data in enumerate(p.files):
                (usb / f"sangsuk-{p.code}-{p.key.kiosk_id[:8]}-{i:03d}.batch.json").write_bytes(
                    data
                )
                files += 1
        if files:
            done = collector("import", "--db", str(db), str(usb))
            if done.returncode not in (0, 1):
                raise RuntimeError(f"import failed: {done.stderr[-500:]}")
            print(f"usb: {done.stdout.strip().splitlines()[-1]}")
        times["USB files (sangsuk-collector import)"] = time.perf_counter() - t

    t = time.perf_counter()
    awarded = collector("awards", "--json", "--db", str(db))
    if awarded.returncode != 0:
        raise RuntimeError(f"awards failed: {awarded.stderr}")
    awards = json.loads(awarded.stdout)
    times["awards"] = time.perf_counter() - t
    t = time.perf_counter()
    publication = work / "publication"
    published = collector("publish", "--to", str(publication), "--db", str(db))
    if published.returncode != 0:
        raise RuntimeError(f"publish failed: {published.stderr}")
    times["publish"] = time.perf_counter() - t
    t = time.perf_counter()
    recounted = collector("recount", "--json", str(publication))
    times["recount from the published files (no database)"] = time.perf_counter() - t
    agrees = recounted.returncode == 0 and json.loads(recounted.stdout) == awards
    total = time.perf_counter() - started

    with CollectorStore(db) as store:
        counted = store.total_votes()
    print(
        f"counted: {counted} votes; {cast - counted} not counted (batches lost on the way, "
        "the revoked kiosk's refused file)"
    )
    print()
    print("Awards (best first; score = Bayesian average, see the leaderboard):")
    won = True
    for group in SIZE_GROUPS:
        ranked = awards[group]
        print(f"  {group}:")
        for place, entry in enumerate(ranked[:3], start=1):
            print(
                f"    {place}. {entry['code']}  score {entry['score']:.4f}  votes {entry['votes']}"
            )
        won = won and bool(ranked) and ranked[0]["code"] == WINNERS[group]
    print()
    print(f"2021 winners win their groups: {'yes' if won else 'NO'}")
    print(f"recount agrees with awards:    {'yes' if agrees else 'NO'}")
    if not agrees:
        print(recounted.stderr[-2000:])
    print()
    for step, seconds in times.items():
        print(f"  {seconds:7.1f} s  {step}")
    print(f"  {total:7.1f} s  total")
    if args.db:
        print(
            f"\nThe collector database is {db}; see it with: uv run sangsuk-collector serve --db {db}"
        )
    return 0 if won and agrees else 1


if __name__ == "__main__":
    sys.exit(main())
