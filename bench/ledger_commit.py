"""Benchmark (issue 2): the cost of a durable vote, against a raw durable SQLite commit.

Run it with::

    uv run python bench/ledger_commit.py [--casts N] [--million-votes M] [--dir DIR] [--keep]

Everything is measured in one run, on one disk, so that every figure can be given as a ratio
to a raw baseline measured beside it (machines are noisy; absolute times are printed only for
context):

1. *raw*: a plain ``sqlite3`` connection with ``journal_mode=WAL`` and ``synchronous=FULL``
   inserting one row (a blob the size of a stored vote row) per ``BEGIN IMMEDIATE``/``COMMIT``
   transaction: the cheapest durable write SQLite can do on this disk;
2. ``Ledger.cast`` on a ledger that starts empty, interleaved block by block with (1) so that
   machine noise hits both alike;
3. the ledger filled to M votes with ``Ledger.cast_many`` in chunks of 10,000 (one transaction
   per chunk: the real code path with normalising, signing, chaining, triggers and counts,
   without one fsync per vote); with ``--keep`` the filled file is cached and reused;
4. (1) and (2) again, interleaved, on the full ledger;
5. ``Ledger.counts()`` and ``Ledger.pending(limit=500)`` on the small and the full ledger, each
   beside a raw read on a plain connection, with nothing delivered, with everything delivered
   but the newest 500 and the very first vote (a gap), and with everything delivered in order
   but the newest 500.

The targets: cast p99 at most 1.5 times raw p99, and no growth from an empty ledger to M votes.
docs/performance.md records the figures and how to read them.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import itertools
import json
import math
import os
import platform
import pstats
import random
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from kiosk.ledger import Ledger, LedgerError
from wire.clock import format_utc, thai_day
from wire.keys import DeviceKey, create, load
from wire.vote import VOTE_DOMAIN, Ballot, Target, Vote, sign_vote

REPO: Final = Path(__file__).resolve().parents[1]
DISTRICT: Final = "3706"
CAST_TARGET: Final = 1.5  # cast p99 / raw p99 at most this
GROWTH_TOLERANCE: Final = 1.15  # "no growth": full/small within this, after raw normalisation
READ_GROWTH_TOLERANCE: Final = 1.5  # reads are short and fewer, so noisier; real growth is 5x+
FILL_CHUNK: Final = 10_000
FILL_START: Final = datetime(2024, 6, 1, 1, 0, tzinfo=UTC)
FILL_DAYS: Final = 730  # the filled votes are spread over two years of office days
PAGE: Final = 500  # the sync uploader's page size
BLOCK: Final = 25  # interleaving block: this many raw commits, then this many casts, ...
BUSY_DISK: Final = 3.0  # raw p99 / raw p50 above this: something else was using the disk
RAM_FILESYSTEMS: Final = frozenset({"tmpfs", "ramfs", "devtmpfs"})

# --- realistic ballots -------------------------------------------------------------------------

STAFF: Final = tuple(f"s-{i:03d}" for i in range(1, 41))
UNITS: Final = ("civil-registration", "id-card", "land", "permits", "complaints", "reception")
SERVICES: Final = (
    "id-card",
    "house-registration",
    "birth-certificate",
    "name-change",
    "marriage",
    "gun-permit",
    "complaint",
    "land-record",
)
TAGS: Final = ("fast", "polite", "clear", "helpful", "clean", "kind", "on-time", "patient")
THAI_PHRASES: Final = (
    "เจ้าหน้าที่ให้บริการรวดเร็ว",
    "ยิ้มแย้มแจ่มใส",
    "อธิบายขั้นตอนชัดเจน",
    "พูดจาสุภาพ",
    "ช่วยคุณยายกรอกเอกสารจนเสร็จ",
    "สถานที่สะอาด มีที่นั่งรอเพียงพอ",
    "ทำบัตรประชาชนใหม่เสร็จภายในสิบนาที",
    "ขอบคุณมากครับ",
    "ประทับใจมากค่ะ",
    "แนะนำเอกสารที่ต้องใช้ล่วงหน้า",
    "ไม่ต้องรอนานเลย",
    "บริการดีเยี่ยมสมกับเป็นอำเภอสร้างสุข",
    "มีน้ำดื่มบริการประชาชน",
    "เจ้าหน้าที่ใส่ใจผู้สูงอายุและผู้พิการ",
)
ENGLISH_PHRASES: Final = (
    "The officer was quick and friendly.",
    "Everything was explained clearly.",
    "I did not have to wait long.",
    "Thank you very much.",
    "Very clean office with enough seats.",
)


def make_ballots(count: int, seed: int = 2021) -> list[Ballot]:
    """Return a deterministic pool of ballots shaped like a district office's votes."""
    rng = random.Random(seed)
    ballots = []
    for _ in range(count):
        lang = "th" if rng.random() < 0.9 else "en"
        story = ""
        if rng.random() < 0.5:
            phrases = THAI_PHRASES if lang == "th" else ENGLISH_PHRASES
            want = rng.randint(100, 200)
            parts: list[str] = []
            while sum(len(p) + 1 for p in parts) < want:
                parts.append(rng.choice(phrases))
            if rng.random() < 0.05:
                parts.append("โทร 081-234-5678" if lang == "th" else "call 081-234-5678")
            story = " ".join(parts)
        roll = rng.random()
        target = (
            Target("staff", rng.choice(STAFF))
            if roll < 0.7
            else Target("unit", rng.choice(UNITS))
            if roll < 0.85
            else None
        )
        ballots.append(
            Ballot(
                district=DISTRICT,
                rating=rng.choices((5, 4, 3, 2, 1), weights=(55, 25, 12, 5, 3))[0],
                target=target,
                service=rng.choice(SERVICES) if rng.random() < 0.8 else None,
                tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
                story=story,
                lang=lang,
            )
        )
    return ballots


class FillClock:
    """A clock for filling: the i-th reading is FILL_START plus i steps, over FILL_DAYS."""

    def __init__(self, total: int, already: int) -> None:
        self.step = timedelta(days=FILL_DAYS) / max(total, 1)
        self.readings = already

    def now(self) -> datetime:
        """Return the next fill moment."""
        moment = FILL_START + self.step * self.readings
        self.readings += 1
        return moment

    def monotonic(self) -> float:
        """Return a monotonic reading (unused by the ledger's writes)."""
        return time.monotonic()


# --- measuring ---------------------------------------------------------------------------------


@dataclass
class Samples:
    """Wall and CPU (this thread) times of one kind of operation, in nanoseconds."""

    wall: list[int] = field(default_factory=list)
    cpu: list[int] = field(default_factory=list)

    def add(self, wall_ns: int, cpu_ns: int) -> None:
        """Record one operation."""
        self.wall.append(wall_ns)
        self.cpu.append(cpu_ns)

    def p(self, q: float, cpu: bool = False) -> float:
        """Return the q-th percentile (nearest rank) in microseconds."""
        data = sorted(self.cpu if cpu else self.wall)
        rank = max(1, math.ceil(q / 100 * len(data)))
        return data[rank - 1] / 1000

    def slow(self, factor: float) -> int:
        """Return how many operations took more than factor times the median."""
        limit = self.p(50) * 1000 * factor
        return sum(1 for w in self.wall if w > limit)

    def __len__(self) -> int:
        return len(self.wall)


Op = tuple[str, Callable[[], object]]


def interleaved(
    ops: Sequence[Op], n: int, block: int = BLOCK, budget_s: float | None = None, min_n: int = 5
) -> dict[str, Samples]:
    """Time each op n times, alternating blocks (A..B.., then B..A..) so noise hits all alike.

    With budget_s, stop early once that many seconds have passed and every op ran min_n times.
    """
    samples = {name: Samples() for name, _ in ops}
    order = list(ops)
    done = 0
    started = time.perf_counter()
    while done < n:
        k = min(block, n - done)
        for name, op in order:
            s = samples[name]
            for _ in range(k):
                c0 = time.thread_time_ns()
                w0 = time.perf_counter_ns()
                op()
                w1 = time.perf_counter_ns()
                c1 = time.thread_time_ns()
                s.add(w1 - w0, c1 - c0)
        order.reverse()
        done += k
        if budget_s is not None and done >= min_n and time.perf_counter() - started > budget_s:
            break
    return samples


class RawStore:
    """The baseline: a plain WAL + synchronous=FULL SQLite file, one row per transaction."""

    def __init__(self, path: Path, row_bytes: int) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None)
        mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        self.conn.execute("PRAGMA synchronous = FULL")
        sync = self.conn.execute("PRAGMA synchronous").fetchone()[0]
        if str(mode).lower() != "wal" or sync != 2:
            raise SystemExit(f"the raw baseline could not get WAL + FULL ({mode}, {sync})")
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"
        )
        self.body = os.urandom(row_bytes)

    def insert(self) -> None:
        """Commit one row durably, in the same transaction shape as the ledger's."""
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO rows (body) VALUES (?)", (self.body,))
        self.conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


def wal_frames_per_commit(db_path: Path) -> float | None:
    """Return the mean pages written per commit since the WAL last restarted (read-only)."""
    try:
        data = db_path.with_name(db_path.name + "-wal").read_bytes()
    except FileNotFoundError:
        return None
    if len(data) < 32:
        return None
    _magic, _version, page_size, _ckpt, salt1, salt2 = struct.unpack(">6I", data[:24])
    frames = commits = 0
    offset = 32
    while offset + 24 + page_size <= len(data):
        _pgno, commit_size, s1, s2 = struct.unpack(">4I", data[offset : offset + 16])
        if (s1, s2) != (salt1, salt2):
            break  # frames from before the last restart
        frames += 1
        commits += commit_size != 0
        offset += 24 + page_size
    return frames / commits if commits else None


# --- reporting ---------------------------------------------------------------------------------


def us(value: float) -> str:
    """Format microseconds for people."""
    if value >= 10_000:
        return f"{value / 1000:,.1f} ms"
    return f"{value:,.0f} µs"


def ratio_line(label: str, value: float, target: str) -> str:
    """Format one ratio with its target."""
    return f"  {label} = {value:.2f} ({target})"


def filesystem_of(path: Path) -> tuple[str, str, str]:
    """Return (mount point, filesystem type, device) holding path, from /proc/self/mounts."""
    best = ("?", "?", "?")
    resolved = str(path.resolve())
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return best
    for line in lines:
        device, mount, fstype, *_ = line.split()
        mount = mount.replace("\\040", " ")
        inside = resolved == mount or resolved.startswith(mount.rstrip("/") + "/")
        if inside and (best[0] == "?" or len(mount) > len(best[0])):
            best = (mount, fstype, device)
    return best


def cpu_model() -> str:
    """Return the CPU model name from /proc/cpuinfo."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def default_dir() -> Path:
    """Return the system temp dir if it is on the repo's filesystem, else the repo's parent."""
    tmp = Path(tempfile.gettempdir())
    if tmp.stat().st_dev == REPO.stat().st_dev:
        return tmp
    return REPO.parent


# --- the stages --------------------------------------------------------------------------------


@dataclass
class CommitFigures:
    """Commit timings of one stage."""

    label: str
    votes_before: int
    raw: Samples
    cast: Samples
    raw_pages: float | None
    cast_pages: float | None


@dataclass
class ReadFigures:
    """Read timings of one stage: name -> (ledger samples, raw samples)."""

    label: str
    votes: int
    reads: dict[str, tuple[Samples, Samples]] = field(default_factory=dict)


def measure_commits(
    label: str,
    raw: RawStore,
    ledger: Ledger,
    ballots: Sequence[Ballot],
    casts: int,
    warmup: int,
    pieces: bool = False,
) -> CommitFigures:
    """Warm up, then time raw commits and casts interleaved."""
    pool = itertools.cycle(ballots)

    def cast() -> None:
        ledger.cast(next(pool))

    ops: list[Op] = [("raw", raw.insert), ("cast", cast)]
    print(f"[{label}] warming up: {warmup} raw commits and {warmup} casts ...", flush=True)
    interleaved(ops, warmup)
    votes_before = ledger.head()[0]
    print(f"[{label}] timing {casts} raw commits and {casts} casts, interleaved ...", flush=True)
    got = interleaved(ops, casts)
    figures = CommitFigures(
        label,
        votes_before,
        got["raw"],
        got["cast"],
        wal_frames_per_commit(raw.path),
        wal_frames_per_commit(ledger.path),
    )
    print_commits(figures)
    if pieces:
        breakdown(raw, ledger, ballots)
    return figures


def print_commits(f: CommitFigures) -> None:
    """Print one stage's commit figures."""
    raw, cast = f.raw, f.cast
    print(
        f"[{f.label}] ledger held {f.votes_before:,} votes when timing began; n = {len(cast)} each"
    )
    for name, s in (("raw commit", raw), ("Ledger.cast", cast)):
        print(
            f"  {name:12s} p50 {us(s.p(50)):>9s}  p99 {us(s.p(99)):>9s}  max {us(s.p(100)):>9s}"
            f"  CPU p50 {us(s.p(50, cpu=True)):>8s}  >5x median: {s.slow(5)}"
        )
    pages = f"{f.raw_pages:.1f}" if f.raw_pages else "?"
    cast_pages = f"{f.cast_pages:.1f}" if f.cast_pages else "?"
    print(f"  WAL pages per commit: raw {pages}, cast {cast_pages}")
    print(ratio_line("cast p50 / raw p50", cast.p(50) / raw.p(50), "for reading"))
    print(ratio_line("cast p99 / raw p99", cast.p(99) / raw.p(99), f"target <= {CAST_TARGET}"))
    if raw.p(99) / raw.p(50) > BUSY_DISK:
        print(
            f"  WARNING: raw p99 is {raw.p(99) / raw.p(50):.1f}x raw p50: the disk was busy with"
            " other work, so both p99s measure its queue and the p99 ratio understates what a"
            " cast itself costs; run again on a quiet machine"
        )


def measure_reads(label: str, ledger: Ledger, budget_s: float) -> ReadFigures:
    """Time counts() and pending(limit=500) beside raw reads, in three delivery states."""
    total = ledger.head()[0]
    figures = ReadFigures(label, total)
    uri = ledger.path.resolve().as_uri() + "?mode=ro"
    ro = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:

        def raw_page(after: int) -> Callable[[], object]:
            sql = "SELECT seq, body, hash FROM votes WHERE seq > ? ORDER BY seq LIMIT ?"
            return lambda: ro.execute(sql, (after, PAGE)).fetchall()

        # The counts a dashboard needs, read by key: what counts() would cost if it skipped
        # the one row per day it does not show.
        today = f"day:{thai_day(datetime.now(UTC)).isoformat()}"
        wanted = ("total", "delivered", today, *(f"rating:{r}" for r in range(1, 6)))
        counts_sql = (
            "SELECT key, n FROM vote_counts WHERE key IN (?, ?, ?, ?, ?, ?, ?, ?)"
            " OR (key >= 'target:' AND key < 'target;')"
        )

        def raw_counts() -> object:
            return ro.execute(counts_sql, wanted).fetchall()

        def run(name: str, ledger_op: Callable[[], object], raw_op: Callable[[], object]) -> None:
            got = interleaved(
                [("ledger", ledger_op), ("raw", raw_op)], 300, block=5, budget_s=budget_s
            )
            figures.reads[name] = (got["ledger"], got["raw"])
            lg, rw = got["ledger"], got["raw"]
            print(
                f"  {name:34s} p50 {us(lg.p(50)):>9s}  p99 {us(lg.p(99)):>9s}"
                f"  (raw p50 {us(rw.p(50))}, ratio {lg.p(50) / rw.p(50):,.1f}; n = {len(lg)})",
                flush=True,
            )

        rows = ro.execute("SELECT COUNT(*) FROM vote_counts").fetchone()[0]
        print(
            f"[{label}] reads on {total:,} votes ({rows} rows in vote_counts); raw: the same rows"
            " read on a plain read-only connection (for counts(): only the keys a dashboard"
            " shows, by key)"
        )
        run("counts()", ledger.counts, raw_counts)
        run("pending(500), nothing delivered", lambda: ledger.pending(limit=PAGE), raw_page(0))
        # Deliver in batches of 500 with a receipt each, as the uploader would, but leave seq 1
        # out: one early batch that never got its receipt (a gap).
        newest = total - PAGE
        started = time.perf_counter()
        batches = _deliver(ledger, 2, newest)
        took = time.perf_counter() - started
        print(f"  (marked 2..{newest:,} delivered in {batches:,} receipts, {took:.1f} s)")
        run(
            "pending(500), gap at seq 1",
            lambda: ledger.pending(limit=PAGE),
            raw_page(newest),
        )
        _deliver(ledger, 1, 1)
        run(
            "pending(500), delivered in order",
            lambda: ledger.pending(limit=PAGE),
            raw_page(newest),
        )
        run("counts(), after delivery", ledger.counts, raw_counts)
    finally:
        ro.close()
    return figures


def _deliver(ledger: Ledger, first: int, last: int) -> int:
    batches = 0
    for start in range(first, last + 1, PAGE):
        end = min(start + PAGE - 1, last)
        receipt = json.dumps(
            {
                "collector": "dopa-central",
                "kiosk": ledger.key.kiosk_id,
                "ranges": [[start, end]],
                "received_at": "2026-11-24T03:15:30.123Z",
                "sig": hashlib.sha512(f"{start}-{end}".encode()).hexdigest(),
            },
            separators=(",", ":"),
        )
        ledger.mark_delivered([(start, end)], receipt)
        batches += 1
    return batches


def open_full_ledger(
    cache: Path, work: Path, total: int, ballots: Sequence[Ballot], keep: bool
) -> Ledger:
    """Return a ledger holding `total` votes: filled (or resumed) in cache, copied if keep."""
    cache.mkdir(parents=True, exist_ok=True)
    key_path = cache / "device_key.pem"
    key = load(key_path) if key_path.exists() else create(key_path)
    filled = cache / f"ledger-{total}.sqlite3"
    have = 0
    if filled.exists():
        try:
            with Ledger(filled, key) as probe:
                have = probe.head()[0]
        except LedgerError as exc:
            print(f"[fill] cached ledger unusable ({exc}); filling again")
            have = -1
        if have > total or have < 0:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{filled}{suffix}").unlink(missing_ok=True)
            have = 0
    if have == total:
        print(f"[fill] reusing the cached ledger {filled} ({total:,} votes)")
    else:
        fill(filled, key, have, total, ballots)
    if not keep:
        return Ledger(filled, key)
    # Work on a copy, so the cache stays at exactly `total` undelivered votes.
    copy = work / "ledger-full.sqlite3"
    started = time.perf_counter()
    shutil.copyfile(filled, copy)
    fd = os.open(copy, os.O_RDONLY)
    try:
        os.fsync(fd)  # flush the copy now, not in the middle of the timings
    finally:
        os.close(fd)
    print(f"[fill] copied the cached ledger to {copy} in {time.perf_counter() - started:.1f} s")
    return Ledger(copy, key)


def fill(path: Path, key: DeviceKey, have: int, total: int, ballots: Sequence[Ballot]) -> None:
    """Cast votes with cast_many in chunks of FILL_CHUNK until the ledger holds total."""
    what = "resuming" if have else "filling"
    print(f"[fill] {what} {path} from {have:,} to {total:,} votes, {FILL_CHUNK:,} per transaction")
    started = time.perf_counter()
    first_rate: float | None = None
    last_rate = 0.0
    with Ledger(path, key, clock=FillClock(total, have)) as ledger:
        n = have
        offset = have % len(ballots)
        while n < total:
            size = min(FILL_CHUNK, total - n)
            chunk = [ballots[(offset + i) % len(ballots)] for i in range(size)]
            offset = (offset + size) % len(ballots)
            t0 = time.perf_counter()
            ledger.cast_many(chunk)
            last_rate = (time.perf_counter() - t0) / size * 1e6
            if first_rate is None:
                first_rate = last_rate
            n += size
            if n % (10 * FILL_CHUNK) == 0 or n == total:
                elapsed = time.perf_counter() - started
                eta = elapsed / (n - have) * (total - n)
                print(
                    f"[fill] {n:>10,} votes  {elapsed:6.0f} s  last chunk {last_rate:.0f} µs/vote"
                    f"  eta {eta:4.0f} s",
                    flush=True,
                )
    took = time.perf_counter() - started
    print(
        f"[fill] done: {total - have:,} votes in {took:.0f} s; cast_many cost per vote"
        f" {first_rate or 0:.0f} µs in the first chunk, {last_rate:.0f} µs in the last"
    )


def cpu_pieces(key: DeviceKey, ballots: Sequence[Ballot], rounds: int = 2000) -> None:
    """Print what the CPU part of a cast costs, piece by piece, in a warm microbenchmark."""
    kiosk_id = key.kiosk_id
    now = datetime.now(UTC)
    stamp = format_utc(now)
    prev = "0" * 64
    votes = [
        sign_vote(key.private_key, kiosk_id, i + 1, stamp, prev, b) for i, b in enumerate(ballots)
    ]

    def each(fn: Callable[[int], object]) -> float:
        fn(0)
        t0 = time.perf_counter()
        for i in range(rounds):
            fn(i % len(ballots))
        return (time.perf_counter() - t0) / rounds * 1e6

    messages = [VOTE_DOMAIN + v.canonical_bytes() for v in votes]
    rows = [
        (
            "sign_vote (normalise, validate, JCS, Ed25519)",
            each(lambda i: sign_vote(key.private_key, kiosk_id, i + 1, stamp, prev, ballots[i])),
        ),
        ("  of which Ballot.normalized()", each(lambda i: ballots[i].normalized())),
        ("  of which Vote.canonical_bytes() (JCS)", each(lambda i: votes[i].canonical_bytes())),
        ("  of which Ed25519 sign", each(lambda i: key.private_key.sign(messages[i]))),
        ("Vote.signed_bytes() (JCS)", each(lambda i: votes[i].signed_bytes())),
        ("Vote.hash() (JCS + SHA-256)", each(lambda i: votes[i].hash())),
        ("key.kiosk_id (derives the public key)", each(lambda _i: key.kiosk_id)),
        ("format_utc (the cast_at text)", each(lambda _i: format_utc(now))),
    ]
    print("[cpu] what one cast computes before it writes (µs per call, mean):")
    for label, value in rows:
        print(f"  {label:48s} {value:7.1f}")
    print("  (a microbenchmark: warm caches; inside cast, between fsyncs, the same code is slower)")


class _TimedConnection:
    """Stands in for the ledger's connection and times each statement by kind."""

    def __init__(
        self, conn: sqlite3.Connection, timed: Callable[[str, Callable[[], object]], object]
    ):
        self._conn = conn
        self._timed = timed

    def execute(self, sql: str, *args: object) -> object:
        """Run a statement, timing it under its first word (the head query apart)."""
        words = sql.split()
        kind = "SQL SELECT head" if "DESC" in sql else f"SQL {words[0].upper()}"
        return self._timed(kind, lambda: self._conn.execute(sql, *args))

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def breakdown(raw: RawStore, ledger: Ledger, ballots: Sequence[Ballot], n: int = 1000) -> None:
    """Time the pieces of Ledger.cast in place (exclusive times, mean per cast).

    This wraps the functions cast calls (sign_vote, format_utc, Vote.hash, Vote.signed_bytes)
    and the ledger's connection, so it leans on the ledger's internals; the wrappers add about
    a microsecond each. It is a diagnostic, not a figure to compare across runs.
    """
    import kiosk.ledger as ledger_module

    totals: dict[str, int] = dict.fromkeys(
        ("SQL COMMIT", "SQL BEGIN", "SQL SELECT head", "SQL INSERT"), 0
    )
    calls: dict[str, int] = {}
    stack: list[int] = []

    def timed(label: str, run: Callable[[], object]) -> object:
        stack.append(0)
        t0 = time.perf_counter_ns()
        try:
            return run()
        finally:
            took = time.perf_counter_ns() - t0
            inner = stack.pop()
            totals[label] = totals.get(label, 0) + took - inner
            calls[label] = calls.get(label, 0) + 1
            if stack:
                stack[-1] += took

    def wrap(label: str, fn: Callable[..., object]) -> Callable[..., object]:
        return lambda *a, **k: timed(label, lambda: fn(*a, **k))

    patches: list[tuple[object, str, object]] = [
        (ledger_module, "sign_vote", "sign_vote (normalise, validate, JCS, Ed25519)"),
        (ledger_module, "format_utc", "format_utc"),
        (Vote, "hash", "Vote.hash (SHA-256; its JCS is counted above)"),
        (Vote, "signed_bytes", "Vote.signed_bytes (JCS of the signed vote)"),
    ]
    conn = getattr(ledger, "_conn", None)
    if conn is None or not all(hasattr(obj, name) for obj, name, _ in patches):
        print("[breakdown] the ledger's internals have changed; no breakdown")
        return
    originals = [(obj, name, getattr(obj, name)) for obj, name, _ in patches]
    pool = itertools.cycle(ballots)
    try:
        for obj, name, label in patches:
            setattr(obj, name, wrap(str(label), getattr(obj, name)))
        ledger._conn = _TimedConnection(conn, timed)  # type: ignore[assignment]
        got = interleaved(
            [("raw", raw.insert), ("cast", lambda: timed("cast", lambda: ledger.cast(next(pool))))],
            n,
        )
    finally:
        ledger._conn = conn
        for obj, name, original in originals:
            setattr(obj, name, original)
    whole = totals.pop("cast") + sum(totals.values())
    calls.pop("cast")
    totals["other Python in cast (dataclasses, dicts, locks)"] = whole - sum(totals.values())
    raw_mean = sum(got["raw"].wall) / len(got["raw"]) / 1000
    print(f"[breakdown] {n} casts, in place, beside {n} raw commits (mean {raw_mean:.0f} µs):")
    for label, ns in sorted(totals.items(), key=lambda kv: -kv[1]):
        per_call = calls.get(label, n) / n
        print(f"  {label:50s} {ns / n / 1000:6.0f} µs  {100 * ns / whole:3.0f}%  ({per_call:.0f}x)")
    print(f"  {'cast, whole':50s} {whole / n / 1000:6.0f} µs")


def profile_casts(ledger: Ledger, ballots: Sequence[Ballot], n: int = 300) -> None:
    """Print a cProfile of n casts, by own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(n):
        ledger.cast(ballots[i % len(ballots)])
    profiler.disable()
    print(f"[profile] {n} casts, top functions by own time:")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(14)


# --- main --------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--casts", type=int, default=3000, help="timed casts per stage")
    parser.add_argument("--warmup", type=int, default=1000, help="untimed commits per stage")
    parser.add_argument("--million-votes", type=int, default=1_000_000, metavar="M")
    parser.add_argument("--dir", type=Path, default=None, help="where to make the temp dir")
    parser.add_argument("--keep", action="store_true", help="cache the filled ledger for reuse")
    parser.add_argument("--read-budget", type=float, default=15.0, help="seconds per read kind")
    parser.add_argument("--profile", action="store_true", help="also cProfile 300 casts")
    parser.add_argument(
        "--breakdown", action="store_true", help="also time the pieces of cast in place"
    )
    args = parser.parse_args(argv)

    base: Path = args.dir or default_dir()
    base.mkdir(parents=True, exist_ok=True)
    mount, fstype, device = filesystem_of(base)
    if fstype in RAM_FILESYSTEMS:
        print(f"{base} is on {fstype}: fsync is free there, so the figures would mean nothing")
        return 2
    work = Path(tempfile.mkdtemp(prefix="sangsuk-bench-", dir=base))
    cache = base / "sangsuk-bench-cache" if args.keep else work / "fill"
    print(
        f"machine: {os.cpu_count()} CPUs, {cpu_model()}, {platform.system()} {platform.release()}"
    )
    print(f"disk: {work} on {device} ({fstype}, mounted at {mount})")
    print(f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}")

    ballots = make_ballots(997)
    key = create(work / "device_key.pem")
    sample = [
        sign_vote(key.private_key, key.kiosk_id, 1, "2026-11-24T03:15:30.123Z", "0" * 64, b)
        for b in ballots
    ]
    # The raw row is the size of a stored vote row: its signed bytes, its hash and its columns.
    row_bytes = round(sum(len(v.signed_bytes()) + 64 + 60 for v in sample) / len(sample))
    print(f"ballots: a pool of {len(ballots)}; raw row blob {row_bytes} bytes (mean vote row)")

    raw = RawStore(work / "raw.sqlite3", row_bytes)
    try:
        with Ledger(work / "ledger-small.sqlite3", key) as small:
            empty = measure_commits(
                "empty", raw, small, ballots, args.casts, args.warmup, args.breakdown
            )
            if args.profile:
                profile_casts(small, ballots)
            small_reads = measure_reads("empty", small, args.read_budget)
        cpu_pieces(key, ballots[:200])

        full = open_full_ledger(cache, work, args.million_votes, ballots, keep=args.keep)
        with full:
            big = measure_commits(
                f"{args.million_votes:,}",
                raw,
                full,
                ballots,
                args.casts,
                args.warmup,
                args.breakdown,
            )
            big_reads = measure_reads(f"{args.million_votes:,}", full, args.read_budget)
    finally:
        raw.close()
        shutil.rmtree(work, ignore_errors=True)
        if args.keep:
            print(f"[fill] the filled ledger stays cached in {cache}")

    summarise(empty, big, small_reads, big_reads)
    return 0


def summarise(
    empty: CommitFigures, big: CommitFigures, small: ReadFigures, full: ReadFigures
) -> None:
    """Print the headline ratios and whether the targets are met."""
    print("\n=== summary (ratios to the raw baseline of the same run) ===")
    over_raw99 = []
    over_raw50 = []
    for f in (empty, big):
        r50, r99 = f.raw.p(50), f.raw.p(99)
        c50, c99 = f.cast.p(50), f.cast.p(99)
        over_raw99.append(c99 / r99)
        over_raw50.append(c50 / r50)
        print(
            f"  {f.label:>10s} votes: raw p50 {us(r50)}, p99 {us(r99)};"
            f" cast p50 {us(c50)}, p99 {us(c99)}"
        )
        print(ratio_line(f"    cast p50 / raw p50 ({f.label})", c50 / r50, "for reading"))
        print(
            ratio_line(f"    cast p99 / raw p99 ({f.label})", c99 / r99, f"target <= {CAST_TARGET}")
        )
    growth99 = over_raw99[1] / over_raw99[0]
    print(
        ratio_line(
            "  full/empty cast p99 (each over its raw p99)",
            growth99,
            f"target: no growth, <= {GROWTH_TOLERANCE}",
        )
    )
    print(
        ratio_line(
            "  full/empty cast p50 (each over its raw p50)",
            over_raw50[1] / over_raw50[0],
            "for reading",
        )
    )
    print(
        ratio_line(
            "  full/empty cast p99 (plain microseconds)",
            big.cast.p(99) / empty.cast.p(99),
            "for reading",
        )
    )
    print(
        f"  reads, p50 (small ledger -> {full.votes:,} votes; growth = full/small, each over its raw):"
    )
    grown = []
    for name, (lg, rw) in full.reads.items():
        small_lg, small_rw = small.reads[name]
        growth = (lg.p(50) / rw.p(50)) / (small_lg.p(50) / small_rw.p(50))
        if growth > READ_GROWTH_TOLERANCE:
            grown.append(name)
        print(
            f"    {name:34s} {us(small_lg.p(50)):>9s} -> {us(lg.p(50)):>9s}"
            f"  growth = {growth:,.2f}  (raw {us(small_rw.p(50))} -> {us(rw.p(50))})"
        )
    busy = [f.label for f in (empty, big) if f.raw.p(99) / f.raw.p(50) > BUSY_DISK]
    if busy:
        print(f"  WARNING: the disk was busy during the {' and '.join(busy)} stage(s); see above")
    met_cast = all(r <= CAST_TARGET for r in over_raw99)
    met_growth = growth99 <= GROWTH_TOLERANCE
    verdict = "met" if met_cast else "NOT met"
    if busy:
        verdict += " (not conclusive: the disk was busy)"
    print(f"  target cast p99 <= {CAST_TARGET} x raw p99: {verdict}")
    print(f"  target no growth to {big.label} votes: {'met' if met_growth else 'NOT met'}")
    print(
        f"  reads without growth (<= {READ_GROWTH_TOLERANCE}):"
        f" {'all' if not grown else 'not ' + ', '.join(grown)}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
