"""Soak: several kiosk processes vote and sync through a fault proxy to a real collector.

    uv run python bench/soak.py --minutes 10 [--kiosks 4] [--seed S] [--data-dir DIR]

What runs, for ``--minutes``:

* a real collector, ``python -m collector serve`` (uvicorn, its own SQLite file), in a
  child process that is killed with SIGKILL every ``--collector-kill-every`` seconds (at a
  random moment, often in the middle of a batch) and started again on the same port;
* ``tests/faultproxy.py`` in front of it, giving each connection one fault at random:
  refused, reset mid-body, stalled, answered after the collector committed but the answer
  lost, a 503, or passed through;
* ``--kiosks`` kiosk processes (``bench/soak.py kiosk ...``), each with its own real key and
  ledger (WAL, synchronous=FULL), enrolled for a district of its own. Each casts demo votes
  at random moments (about one every ``--vote-interval`` seconds), prints ``ack SEQ HASH``
  only after ``Ledger.cast`` returned (the moment a citizen is thanked), and syncs in the
  background with ``sync.worker.SyncWorker`` and ``sync.uploader.Uploader`` through the proxy.
  A random kiosk is killed with SIGKILL every ``--kiosk-kill-every`` seconds and restarted
  on the same data folder.

When the time is up the kiosks stop casting and keep syncing (at most ``--drain-seconds``)
until nothing is pending, on a network that still has faults but a collector no longer killed.
Then the soak compares every ledger with the collector's database and prints:

* votes cast (acknowledged to a citizen), votes in the ledgers, votes the collector holds;
* delivered: held by the collector with exactly the kiosk's bytes (same hash);
* duplicated: identities held more than once (the schema makes this impossible; it is
  counted anyway), votes quarantined, and votes sent again and acknowledged again (lost
  answers, kills between commit and receipt: absorbed by idempotence, counted once);
* lost: votes a citizen was thanked for that the collector does not hold (must be 0);
* the faults injected, and whether every ledger and every kiosk's chain at the collector
  verifies.

Exit status 0 when nothing was lost, nothing is pending, and every check passed.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

# Every district of the soak is a real one; size groups from the collector's demo data.
DISTRICTS = ("3706", "4408", "4712", "5014", "6505", "8001", "2104", "3103")
FAULT_WEIGHTS = {
    "pass": 0.5,
    "refuse": 0.1,
    "reset_mid_body": 0.1,
    "stall": 0.05,
    "lost_response": 0.15,
    "busy": 0.1,
}


# --- the kiosk process -----------------------------------------------------------------------


def kiosk_main(argv: list[str]) -> int:
    """One kiosk: cast votes until a deadline while a SyncWorker sends them; then drain."""
    from kiosk.demo import random_ballot
    from kiosk.ledger import Ledger
    from sync.uploader import SyncError, Uploader
    from sync.worker import SyncReport, SyncService, SyncWorker
    from wire import keys
    from wire.keys import public_key_from_raw
    from wire.receipt import Receipt

    parser = argparse.ArgumentParser(prog="soak.py kiosk")
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--district", required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--collector-key", required=True)
    parser.add_argument("--cast-until", type=float, required=True, help="epoch seconds")
    parser.add_argument("--drain-until", type=float, required=True, help="epoch seconds")
    parser.add_argument("--vote-interval", type=float, required=True)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--seed", type=int, required=True)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    out_lock = threading.Lock()

    def say(line: str) -> None:
        with out_lock:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    class CountingService(SyncService):
        """The real sync pass, reporting what each pass sent and marked delivered."""

        def sync_once(self, on_progress: Any = None) -> SyncReport:
            report = super().sync_once(on_progress)
            code = report.error.code if report.error else "ok"
            say(f"pass {report.sent} {report.delivered} {code}")
            return report

    class CountingUploader(Uploader):
        """The real uploader, reporting how many votes each batch it sends holds."""

        def send_batch_raw(self, data: bytes) -> tuple[Receipt, bytes]:
            count = json.loads(data)["count"]
            try:
                answer = super().send_batch_raw(data)
            except SyncError as exc:
                say(f"send {count} {exc.code}")
                raise
            say(f"send {count} ok")
            return answer

    key = keys.load_or_create(args.data_dir)
    ledger = Ledger.open(args.data_dir, key)
    uploader = CountingUploader(
        args.url,
        public_key_from_raw(bytes.fromhex(args.collector_key)),
        connect_timeout=2,
        read_timeout=3,
        retries=2,
        backoff_factor=0.2,
        backoff_max=2,
        retry_after_max=2,
    )
    service = CountingService(ledger, uploader, args.data_dir, batch_size=args.batch_size)
    worker = SyncWorker(service, interval_s=1.0)
    worker.start()
    say("started")
    try:
        while time.time() < args.cast_until:
            vote = ledger.cast(random_ballot(rng, args.district))
            say(f"ack {vote.seq} {vote.hash()}")  # the citizen is thanked only now
            time.sleep(min(rng.expovariate(1 / args.vote_interval), 5 * args.vote_interval))
        say("casting done")
        while ledger.counts().pending and time.time() < args.drain_until:
            worker.sync_now()
            time.sleep(0.5)
        counts = ledger.counts()
        say(f"done {counts.total} {counts.delivered} {counts.pending}")
    finally:
        worker.stop()
        uploader.close()
        ledger.close()
    return 0


# --- the parent ------------------------------------------------------------------------------


@dataclass
class KioskRun:
    """One kiosk of the soak as the parent sees it."""

    name: str
    data_dir: Path
    district: str
    kiosk_id: str
    process: subprocess.Popen[bytes] | None = None
    reader: threading.Thread | None = None
    acks: dict[int, str] = field(default_factory=dict)
    starts: int = 0
    kills: int = 0
    passes: int = 0
    offered: int = 0
    marked: int = 0
    pass_errors: collections.Counter[str] = field(default_factory=collections.Counter)
    done: tuple[int, int, int] | None = None
    stderr_tail: bytes = b""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, stream: IO[bytes]) -> None:
        """Record what the kiosk process prints (until its pipe closes)."""
        for raw in stream:
            if not raw.endswith(b"\n"):
                break  # a line cut by SIGKILL: not a vote the citizen was thanked for
            parts = raw.decode().split()
            with self.lock:
                if parts[0] == "ack":
                    self.acks[int(parts[1])] = parts[2]
                elif parts[0] == "pass":
                    self.passes += 1
                    self.marked += int(parts[2])
                    if parts[3] != "ok":
                        self.pass_errors[parts[3]] += 1
                elif parts[0] == "send":
                    self.offered += int(parts[1])
                elif parts[0] == "done":
                    self.done = (int(parts[1]), int(parts[2]), int(parts[3]))


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env() -> dict[str, str]:
    """The environment for child processes: the repository on the import path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env


class Collector:
    """`python -m collector serve` in a child process that can be killed and restarted."""

    def __init__(self, db: str, port: int, log: Path) -> None:
        self.db, self.port, self.log = db, port, log
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0
        self.starts = 0

    def start(self, timeout: float = 60.0) -> None:
        """Start the server and wait until /health answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "collector",
                    "serve",
                    "--db",
                    str(self.db),
                    "--port",
                    str(self.port),
                ],
                stdout=log,
                stderr=log,
                cwd=REPO_ROOT,
                env=child_env(),
            )
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the collector exited at start; see {self.log}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as s,
            ):
                s.sendall(b"GET /api/v1/health HTTP/1.0\r\n\r\n")
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return
            time.sleep(0.1)
        raise RuntimeError(f"the collector did not answer within {timeout} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the server, whatever it is doing."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            self.kills += 1

    def stop(self) -> None:
        """Stop the server cleanly."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class SoakResult:
    """The soak's figures."""

    minutes: float
    kiosks: int
    seed: int
    acknowledged: int = 0
    in_ledgers: int = 0
    held: int = 0
    delivered: int = 0
    duplicated: int = 0
    quarantined: int = 0
    offered: int = 0
    lost: int = 0
    undelivered: int = 0
    lost_in_ledger: int = 0
    marked_not_held: int = 0
    pending: int = 0
    faults: dict[str, int] = field(default_factory=dict)
    collector_kills: int = 0
    kiosk_kills: int = 0
    passes: int = 0
    pass_errors: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        """Nothing lost, nothing pending, nothing counted twice, every check passed."""
        return not (
            self.lost
            or self.undelivered
            or self.lost_in_ledger
            or self.duplicated
            or self.marked_not_held
            or self.pending
            or self.problems
        )


def run_soak(
    minutes: float,
    kiosks: int,
    seed: int,
    root: Path,
    *,
    vote_interval: float = 0.25,
    collector_kill_every: float = 45.0,
    kiosk_kill_every: float = 30.0,
    drain_seconds: float = 180.0,
    batch_size: int = 50,
    progress: bool = True,
    db: str | None = None,
) -> SoakResult:
    """Run the soak in folder root and return its figures (db: a PostgreSQL URL, else SQLite)."""
    from collector.data.make_demo_districts import demo_rows
    from collector.keys import load_collector_key
    from collector.store import CollectorStore
    from tests.faultproxy import FaultProxy
    from wire import keys

    if not 1 <= kiosks <= len(DISTRICTS):
        raise ValueError(f"--kiosks must be 1 to {len(DISTRICTS)}")
    rng = random.Random(seed)
    result = SoakResult(minutes, kiosks, seed)
    db = db or str(root / "collector.sqlite3")
    collector_key = load_collector_key(db)
    groups = {r["code"]: r["size_group"] for r in demo_rows()}
    runs: list[KioskRun] = []
    with CollectorStore(db) as store:
        store.load_districts([(d, groups[d]) for d in DISTRICTS[:kiosks]])
        for i, district in enumerate(DISTRICTS[:kiosks]):
            data_dir = root / f"kiosk-{i + 1}"
            key = keys.load_or_create(data_dir)
            store.enroll(store.issue_token(district), key.public_key_raw.hex())
            runs.append(KioskRun(f"kiosk-{i + 1}", data_dir, district, key.kiosk_id))

    collector = Collector(db, free_port(), root / "collector.log")
    collector.start()
    start = time.time()
    cast_until = start + minutes * 60
    drain_until = cast_until + drain_seconds
    proxy = FaultProxy.random(collector.port, seed, FAULT_WEIGHTS)
    kill_rng = random.Random(seed + 1)

    def launch(run: KioskRun) -> None:
        run.starts += 1
        command = [
            *(sys.executable, str(Path(__file__).resolve()), "kiosk"),
            *("--data-dir", str(run.data_dir), "--district", run.district, "--url", proxy.url),
            *("--collector-key", collector_key.public_key_raw.hex()),
            *("--cast-until", str(cast_until), "--drain-until", str(drain_until)),
            *("--vote-interval", str(vote_interval), "--batch-size", str(batch_size)),
            *("--seed", str(rng.getrandbits(32))),
        ]
        run.process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO_ROOT,
            env=child_env(),
        )
        assert run.process.stdout is not None
        run.reader = threading.Thread(target=run.read, args=(run.process.stdout,), daemon=True)
        run.reader.start()

    def reap(run: KioskRun) -> None:
        assert run.process is not None
        run.process.wait()
        if run.reader is not None:
            run.reader.join(timeout=10)
        if run.process.stderr is not None:
            run.stderr_tail = run.process.stderr.read()[-2000:]
            run.process.stderr.close()
        if run.process.stdout is not None:
            run.process.stdout.close()

    try:
        for run in runs:
            launch(run)
        next_collector_kill = time.time() + kill_rng.uniform(0.5, 1.5) * collector_kill_every
        next_kiosk_kill = time.time() + kill_rng.uniform(0.5, 1.5) * kiosk_kill_every
        next_report = time.time() + 30
        while time.time() < cast_until:
            time.sleep(0.2)
            now = time.time()
            if collector_kill_every > 0 and now >= next_collector_kill:
                collector.kill()
                time.sleep(kill_rng.uniform(0.0, 2.0))  # down for a moment, as after a crash
                collector.start()
                next_collector_kill = now + kill_rng.uniform(0.5, 1.5) * collector_kill_every
            if kiosk_kill_every > 0 and now >= next_kiosk_kill:
                run = kill_rng.choice(runs)
                assert run.process is not None
                if run.process.poll() is None:
                    run.process.send_signal(signal.SIGKILL)
                    run.kills += 1
                reap(run)
                launch(run)
                next_kiosk_kill = now + kill_rng.uniform(0.5, 1.5) * kiosk_kill_every
            for run in runs:
                assert run.process is not None
                if run.process.poll() is not None and now < cast_until - 1:
                    reap(run)
                    result.problems.append(
                        f"{run.name} exited by itself ({run.process.returncode}):"
                        f" {run.stderr_tail.decode(errors='replace')[-500:]}"
                    )
                    launch(run)
            if progress and now >= next_report:
                next_report = now + 30
                acked = sum(len(r.acks) for r in runs)
                print(
                    f"  {now - start:6.0f} s  cast {acked}  held {_held_total(db)}"
                    f"  collector kills {collector.kills}"
                    f"  kiosk kills {sum(r.kills for r in runs)}"
                    f"  faults {sum(proxy.counts.values()) - proxy.counts['pass']}",
                    flush=True,
                )
        if progress:
            print("  casting over; draining what is pending", flush=True)
        for run in runs:
            reap(run)
            if run.done is None:
                result.problems.append(
                    f"{run.name} did not finish its drain:"
                    f" {run.stderr_tail.decode(errors='replace')[-500:]}"
                )
    finally:
        for run in runs:
            if run.process is not None and run.process.poll() is None:
                run.process.kill()
                reap(run)
        proxy.close()
        collector.stop()
    result.elapsed = time.time() - start
    result.faults = {k: v for k, v in proxy.counts.items() if k != "pass"}
    result.collector_kills = collector.kills
    _audit(result, runs, db, collector_key.public_key)
    return result


def _held_total(db: str) -> int:
    import sqlalchemy as sa

    from collector.store import CollectorStore, StoreError

    try:
        with CollectorStore(db) as store, store.reading() as conn:
            return int(conn.execute(sa.text("SELECT COUNT(*) FROM votes")).scalar_one())
    except (sa.exc.DBAPIError, StoreError):
        return -1


def _audit(result: SoakResult, runs: list[KioskRun], db: str, pinned: Any) -> None:
    """Compare every ledger with the collector's database and fill in the figures."""
    import sqlalchemy as sa

    from collector.store import CollectorStore
    from kiosk.ledger import Ledger
    from wire import keys

    with CollectorStore(db) as store, store.reading() as conn:
        result.duplicated = int(
            conn.execute(
                sa.text(
                    "SELECT COUNT(*) - (SELECT COUNT(*) FROM (SELECT DISTINCT kiosk, seq FROM votes)"
                    " AS d) FROM votes"
                )
            ).scalar_one()
        )
        result.quarantined = int(
            conn.execute(sa.text("SELECT COUNT(*) FROM quarantine")).scalar_one()
        )
        for run in runs:
            held = {
                int(s): (str(h), str(p))
                for s, h, p in conn.execute(
                    sa.text("SELECT seq, hash, prev FROM votes WHERE kiosk = :k"),
                    {"k": run.kiosk_id},
                )
            }
            key = keys.load_or_create(run.data_dir)
            with Ledger.open(run.data_dir, key) as ledger:
                verified = ledger.verify(pinned)  # the kiosks were given it, not enrolled
                if not verified.ok:
                    result.problems.append(f"{run.name}: ledger verify failed: {verified.problem}")
                ours = {s.seq: s.hash for s in ledger.iter_votes()}
                marked = {
                    int(r[0]) for r in ledger.db.execute("SELECT seq FROM delivery").fetchall()
                }
                result.pending += ledger.counts().pending
            result.acknowledged += len(run.acks)
            result.in_ledgers += len(ours)
            result.held += len(held)
            result.delivered += sum(1 for s, h in ours.items() if held.get(s, ("",))[0] == h)
            result.lost += sum(1 for s, h in run.acks.items() if held.get(s, ("",))[0] != h)
            result.lost_in_ledger += sum(1 for s, h in run.acks.items() if ours.get(s) != h)
            result.undelivered += sum(1 for s, h in ours.items() if held.get(s, ("",))[0] != h)
            result.marked_not_held += sum(1 for s in marked if held.get(s, ("",))[0] != ours.get(s))
            result.offered += run.offered
            result.kiosk_kills += run.kills
            result.passes += run.passes
            for code, n in run.pass_errors.items():
                result.pass_errors[code] = result.pass_errors.get(code, 0) + n
            # The collector's copy is one unbroken chain: seqs 1..n, each naming the one before.
            seqs = sorted(held)
            if seqs != list(range(1, len(seqs) + 1)):
                result.problems.append(f"{run.name}: the collector's seqs have gaps")
            for s in seqs[1:]:
                if held[s][1] != held[s - 1][0]:
                    result.problems.append(f"{run.name}: the collector's chain breaks at {s}")
                    break
            if set(held) - set(ours):
                result.problems.append(
                    f"{run.name}: the collector holds votes the kiosk never cast"
                )


def print_result(r: SoakResult) -> None:
    """Print the figures as a table."""
    faults = ", ".join(f"{k} {v}" for k, v in sorted(r.faults.items()))
    errors = ", ".join(f"{k} {v}" for k, v in sorted(r.pass_errors.items())) or "none"
    rows = [
        ("soak", f"{r.minutes:g} min of voting, {r.kiosks} kiosk processes, seed {r.seed}"),
        ("elapsed (with the drain)", f"{r.elapsed:.0f} s"),
        ("votes cast (acknowledged)", f"{r.acknowledged}"),
        ("votes in the ledgers", f"{r.in_ledgers}"),
        ("votes held by the collector", f"{r.held}"),
        ("DELIVERED (same bytes)", f"{r.delivered}"),
        ("DUPLICATED (counted twice)", f"{r.duplicated}"),
        ("quarantined", f"{r.quarantined}"),
        (
            "votes sent, counting every resend",
            f"{r.offered}: {r.offered - r.delivered} sent again after a fault (counted once)",
        ),
        ("LOST (thanked, not at collector)", f"{r.lost}"),
        ("in a ledger, not at collector", f"{r.undelivered}"),
        ("thanked, missing from ledger", f"{r.lost_in_ledger}"),
        ("marked delivered, not held", f"{r.marked_not_held}"),
        ("still pending at the end", f"{r.pending}"),
        ("network faults injected", f"{sum(r.faults.values())} ({faults})"),
        ("collector SIGKILLs", f"{r.collector_kills}"),
        ("kiosk SIGKILLs", f"{r.kiosk_kills}"),
        ("sync passes (ended by error)", f"{r.passes} ({errors})"),
        ("problems", "; ".join(r.problems) or "none"),
        ("verdict", "OK" if r.ok else "FAILED"),
    ]
    print()
    for name, value in rows:
        print(f"{name:<34} {value}")


def main(argv: list[str] | None = None) -> int:
    """Run the soak (or, with the first argument ``kiosk``, one kiosk process of it)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["kiosk"]:
        return kiosk_main(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to vote (10)")
    parser.add_argument("--kiosks", type=int, default=4, help="kiosk processes (4)")
    parser.add_argument("--seed", type=int, help="seed for faults, kills and ballots (random)")
    parser.add_argument("--data-dir", type=Path, help="keep everything here (a temporary folder)")
    parser.add_argument(
        "--vote-interval", type=float, default=0.25, help="mean seconds between votes (0.25)"
    )
    parser.add_argument(
        "--collector-kill-every", type=float, default=45.0, help="mean seconds; 0 for never (45)"
    )
    parser.add_argument(
        "--kiosk-kill-every", type=float, default=30.0, help="mean seconds; 0 for never (30)"
    )
    parser.add_argument(
        "--drain-seconds", type=float, default=180.0, help="at most this long to drain (180)"
    )
    parser.add_argument("--batch-size", type=int, default=50, help="votes per batch (50)")
    parser.add_argument(
        "--db", help="the collector's database: a postgresql:// URL (default: SQLite in the folder)"
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)
    print(
        f"soak: {args.minutes:g} min, {args.kiosks} kiosks, seed {seed}; faults"
        f" {json.dumps(FAULT_WEIGHTS)}; collector killed every ~{args.collector_kill_every:g} s,"
        f" a kiosk every ~{args.kiosk_kill_every:g} s",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="sangsuk-soak-") as scratch:
        root = args.data_dir or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        result = run_soak(
            args.minutes,
            args.kiosks,
            seed,
            root,
            vote_interval=args.vote_interval,
            collector_kill_every=args.collector_kill_every,
            kiosk_kill_every=args.kiosk_kill_every,
            drain_seconds=args.drain_seconds,
            batch_size=args.batch_size,
            db=args.db,
        )
    print_result(result)
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
