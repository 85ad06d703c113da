"""Reconnect storm (issue 18): hundreds of kiosks come back at once, against two collector servers.

    uv run python bench/reconnect_storm.py [--kiosks 300] [--votes 500] [--mode both]
        [--interval 60] [--db PATH] [--deadline 150] [--seed 18] [--shared-cores]

After a national outage every kiosk has votes waiting and starts sending at the same moment.
This bench makes ``--kiosks`` kiosks, each with its own real key and a real ledger holding
``--votes`` signed votes (500, a full batch, by default: about a week of a busy office),
enrolls them with one collector database, starts two `sangsuk-collector serve` processes on
that database (different ports, as behind a load balancer; ``--db`` is handed to both, a new
SQLite file by default) and lets every kiosk come back at the same instant, each sending to
one of the two servers picked at random. Each kiosk is a thread running the real sender:
``sync.worker.SyncWorker`` with ``SyncService`` and ``Uploader`` (HTTP, signed batches,
receipts verified against the pinned collector key and kept durably, the uploader's own
retries and timeouts), scheduled by a ``sync.schedule.PassSchedule``.

Two ways of scheduling are compared (``--mode``):

* ``fixed``: what kiosks did before issue 18. The first pass at once, the next one a fixed
  interval after each pass, whatever happened, with no pass-level Retry-After.
* ``jitter``: sync/schedule.py. The first pass at a random moment of the first interval, each
  interval 0.8 to 1.2 times the chosen one, and after a failed pass a backoff with full
  jitter that honours the collector's Retry-After.

Time is compressed: ``--interval`` (60 s by default) stands for the kiosks' 5 minutes (300
kiosks x 500 votes over 60 s is 2,500 votes a second, about what 878 kiosks x 500 votes over
5 minutes bring, 1,460), while the uploader's timeouts (5 s to connect, 30 s to read) and
retries stay as they are. The servers run on half the cores and the kiosks on the other half
(``--shared-cores`` to mix them): real kiosks build their batches and keep their receipts on
processors of their own. Both runs share the database (with kiosks of their own), and each
gets two fresh servers.

For each run it prints: the time until every vote was delivered; each kiosk's time to deliver
(from the common start, and from its own first pass) as median, 90th percentile and maximum;
the batch requests' latency (one request, retries included); the peak number of tries in
flight at once and how the tries ended (read timeouts, 503s ...); what the two servers
answered (from their access logs), and the requests beyond one per batch (work done again
for a kiosk that gave up waiting); the failed passes by reason; and whether every vote is
held exactly once (per kiosk, the collector holds seqs 1..votes once each, nothing is
quarantined, every ledger has everything marked delivered). Exit status 0 when every vote of
every run was delivered and held exactly once.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.response import BaseHTTPResponse

from bench.collector_process import free_port
from collector.data.make_demo_districts import demo_rows
from collector.keys import load_collector_key
from collector.store import CollectorStore
from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from sync.schedule import PassSchedule
from sync.uploader import Uploader
from sync.worker import SyncReport, SyncService, SyncStatus, SyncWorker
from wire import keys
from wire.keys import public_key_from_raw
from wire.receipt import Receipt

REPO_ROOT = Path(__file__).resolve().parent.parent
BATCH_SIZE = 500  # the kiosks' default: a kiosk with more votes sends several batches in a pass
ACCESS_LINE = re.compile(rb'"POST /api/v1/batches HTTP/1\.1" (\d{3})')


# --- the kiosks ------------------------------------------------------------------------------


@dataclass
class Kiosk:
    """One kiosk of the storm: its folder, district and identity."""

    data_dir: Path
    district: str
    kiosk_id: str
    public_key_hex: str


def make_kiosk(data_dir: Path, district: str, votes: int, seed: int) -> Kiosk:
    """A kiosk with a fresh key and a ledger holding ``votes`` signed votes (in a pool process)."""
    key = keys.load_or_create(data_dir)
    rng = random.Random(seed)
    with Ledger.open(data_dir, key) as ledger:
        ledger.cast_many([random_ballot(rng, district) for _ in range(votes)])
    return Kiosk(data_dir, district, key.kiosk_id, key.public_key_raw.hex())


def make_kiosks(root: Path, districts: list[str], votes: int, seed: int) -> list[Kiosk]:
    """Make one kiosk per district in root, on every core."""
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        futures = [
            pool.submit(make_kiosk, root / f"kiosk-{i:04d}", d, votes, seed * 100_003 + i)
            for i, d in enumerate(districts)
        ]
        return [f.result() for f in futures]


def open_store(db: str) -> CollectorStore:
    """The collector database named by ``--db`` (a path; a URL is handed on as it is)."""
    return CollectorStore(db)


# --- the servers -----------------------------------------------------------------------------


@contextmanager
def pinned(cpus: set[int] | None) -> Iterator[None]:
    """Run this thread, and the threads it starts, on cpus (if given) until the block ends."""
    if cpus is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@contextmanager
def two_servers(
    db: str, logs: Path, cpus: set[int] | None = None
) -> Iterator[list[tuple[str, Path]]]:
    """Two `sangsuk-collector serve` processes on db (on cpus if given); yield (URL, log) each."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    def pin() -> None:  # in the child, before it runs the server (its checkers inherit it)
        if cpus is not None:
            os.sched_setaffinity(0, cpus)

    servers: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for n in (1, 2):
            port = free_port()
            log = logs / f"server-{n}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "collector", "serve", "--db", db, "--port", str(port)],
                    stdout=out,  # uvicorn's access log: one line per request, with its status
                    stderr=subprocess.STDOUT,
                    cwd=REPO_ROOT,
                    env=env,
                    preexec_fn=pin,
                )
            servers.append((process, f"http://127.0.0.1:{port}", log))
        for process, url, log in servers:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(f"{url}/api/v1/health", timeout=1).raise_for_status()
                    break
                except requests.RequestException:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"a collector did not start; see {log}") from None
                    time.sleep(0.1)
        yield [(url, log) for _, url, log in servers]
    finally:
        for process, _, _ in servers:
            process.terminate()
        for process, _, _ in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def split_cores(shared: bool) -> tuple[set[int] | None, set[int] | None]:
    """The CPUs for the servers and for the kiosks: half each, or (None, None) to share all.

    Real kiosks build and sign their batches and keep their receipts on processors and disks
    of their own. Sharing the cores, the kiosks' threads here slow the servers and, worse, each
    other (one Python process), so fewer requests are ever in flight at once than in a real
    storm. Apart, the kiosks no longer take the servers' time.
    """
    if shared or not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    half = len(cpus) // 2
    return set(cpus[:half]), set(cpus[half:])


def batch_answers(log: Path) -> Counter[str]:
    """How a server answered batches, by HTTP status, from its access log."""
    return Counter(m.group(1).decode() for m in ACCESS_LINE.finditer(log.read_bytes()))


# --- measuring the senders -------------------------------------------------------------------


class Meter:
    """Tries of batch requests across all kiosks: in flight at once, and how each ended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.peak = 0
        self.tries: Counter[str] = Counter()  # "200", "503", ... or the exception's name
        self.retry_waits = 0
        self.latencies: list[float] = []

    def enter(self) -> None:
        """A try begins."""
        with self._lock:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)

    def leave(self, outcome: str) -> None:
        """A try ended: its HTTP status, or what went wrong."""
        with self._lock:
            self.in_flight -= 1
            self.tries[outcome] += 1

    def waited(self) -> None:
        """A request waits before trying again."""
        with self._lock:
            self.retry_waits += 1

    def took(self, seconds: float) -> None:
        """A batch request ended (its receipt, or its last failed try) after seconds."""
        with self._lock:
            self.latencies.append(seconds)


def metered_pool(meter: Meter) -> type[HTTPConnectionPool]:
    """urllib3's connection pool, telling the meter about every try (each retry is one)."""

    class MeteredPool(HTTPConnectionPool):
        # _make_request sends one try and reads its answer's head; urllib3 calls it again for
        # each retry. (Private to urllib3 2.x, which uv.lock pins: only this bench uses it.)
        def _make_request(self, *args: Any, **kw: Any) -> BaseHTTPResponse:
            meter.enter()
            outcome = "error"
            try:
                response = super()._make_request(*args, **kw)
                outcome = str(response.status)
                return response
            except Exception as exc:
                outcome = type(exc).__name__
                raise
            finally:
                meter.leave(outcome)

    return MeteredPool


class MeteredUploader(Uploader):
    """The real uploader, its tries and waits counted by the meter."""

    def __init__(self, url: str, collector_key_hex: str, meter: Meter) -> None:
        self.meter = meter
        super().__init__(
            url, public_key_from_raw(bytes.fromhex(collector_key_hex)), wait=self._wait
        )
        pool = metered_pool(meter)
        for adapter in self.session.adapters.values():
            if isinstance(adapter, HTTPAdapter):
                adapter.poolmanager.pool_classes_by_scheme = {"http": pool}

    def _wait(self, seconds: float) -> bool:
        # Between two tries of a request: urllib3's backoff, or the collector's Retry-After.
        self.meter.waited()
        return self.cancelled.wait(seconds)

    def send_batch_raw(self, data: bytes) -> tuple[Receipt, bytes]:
        """Send as the real uploader does, timed."""
        start = time.monotonic()
        try:
            return super().send_batch_raw(data)
        finally:
            self.meter.took(time.monotonic() - start)


class FixedInterval(PassSchedule):
    """Before issue 18: the first pass at once, then a fixed interval after every pass."""

    def __init__(self, interval_s: float, now: float) -> None:
        super().__init__(interval_s, now, jitter=0.0)

    def failed(self, now: float, retry_after_s: float | None = None) -> None:
        """A failure waits the interval too, and no Retry-After is kept past the pass."""
        self.succeeded(now)


@dataclass
class Sender:
    """One kiosk coming back: its worker and what it saw."""

    kiosk: Kiosk
    url: str
    votes: int
    first_pass_at: float | None = None  # monotonic
    done_at: float | None = None  # from the common start
    sending: float | None = None  # from its first pass to its last receipt
    passes: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class RunResult:
    """The figures of one run."""

    mode: str
    kiosks: int
    votes: int
    elapsed: float = 0.0  # from the common start until all was delivered (or the deadline)
    wall: float = 0.0  # the whole run: servers started and stopped, every vote checked
    all_delivered_at: float | None = None
    deliver_times: list[float] = field(default_factory=list)
    sending_times: list[float] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    peak_in_flight: int = 0
    tries: Counter[str] = field(default_factory=Counter)
    retry_waits: int = 0
    answers: Counter[str] = field(default_factory=Counter)
    per_server: list[int] = field(default_factory=list)
    failed_passes: Counter[str] = field(default_factory=Counter)
    passes: int = 0
    held: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every vote delivered, and held exactly once."""
        return (
            self.all_delivered_at is not None
            and not self.problems
            and self.held == self.kiosks * self.votes
        )


def run_storm(
    mode: str,
    kiosks: list[Kiosk],
    votes: int,
    db: str,
    logs: Path,
    interval: float,
    deadline: float,
    seed: int,
    cores: tuple[set[int] | None, set[int] | None] = (None, None),
) -> RunResult:
    """Let every kiosk come back at the same moment and send until all is delivered, or deadline."""
    result = RunResult(mode, len(kiosks), votes)
    began = time.perf_counter()
    rng = random.Random(seed)
    meter = Meter()
    done = threading.Event()
    left = [len(kiosks)]
    left_lock = threading.Lock()
    server_cpus, kiosk_cpus = cores
    with two_servers(db, logs, server_cpus) as servers, ExitStack() as stack, pinned(kiosk_cpus):
        health = requests.get(f"{servers[0][0]}/api/v1/health", timeout=5)
        collector_key = health.json()["collector_key"]
        senders: list[Sender] = []
        services: list[SyncService] = []
        for kiosk in kiosks:
            url = rng.choice(servers)[0]
            sender = Sender(kiosk, url, votes)
            key = keys.load_or_create(kiosk.data_dir)
            ledger = stack.enter_context(Ledger.open(kiosk.data_dir, key))
            uploader = stack.enter_context(MeteredUploader(url, collector_key, meter))
            services.append(CountingService(sender, ledger, uploader, kiosk.data_dir, BATCH_SIZE))
            senders.append(sender)
        # The moment they all come back: shortly after every worker's thread has started.
        start = time.monotonic() + 1.0

        def status(s: SyncStatus, sender: Sender) -> None:
            if s.running or s.pending or sender.done_at is not None:
                return
            now = time.monotonic()
            sender.done_at = now - start
            sender.sending = now - (sender.first_pass_at or now)
            with left_lock:
                left[0] -= 1
                if left[0] == 0:
                    done.set()

        workers: list[SyncWorker] = []
        for sender, service in zip(senders, services, strict=True):
            if mode == "fixed":
                schedule: PassSchedule = FixedInterval(interval, start)
            else:
                draw = random.Random(rng.getrandbits(64)).random
                schedule = PassSchedule(interval, start, spread_first=True, rng=draw)
            worker = SyncWorker(
                service,
                interval,
                on_status=partial(status, sender=sender),
                schedule=schedule,
            )
            workers.append(worker)
            worker.start()
        done.wait(max(0.0, start - time.monotonic()) + deadline)
        result.elapsed = time.monotonic() - start
        for worker in workers:
            worker.stop(timeout=0)  # all told at once; a request under way ends within its timeouts
        for worker in workers:
            worker.stop(timeout=60)
        answers = [batch_answers(log) for _, log in servers]
    result.answers = sum(answers, Counter())
    result.per_server = [sum(a.values()) for a in answers]
    result.deliver_times = sorted(s.done_at for s in senders if s.done_at is not None)
    result.sending_times = sorted(s.sending for s in senders if s.sending is not None)
    if len(result.deliver_times) == len(kiosks):
        result.all_delivered_at = result.deliver_times[-1]
    result.latencies = sorted(meter.latencies)
    result.peak_in_flight = meter.peak
    result.tries = meter.tries
    result.retry_waits = meter.retry_waits
    for s in senders:
        result.passes += s.passes
        result.failed_passes.update(s.failures)
    check_exactly_once(result, kiosks, votes, db)
    result.wall = time.perf_counter() - began
    return result


class CountingService(SyncService):
    """The real sync pass, telling its sender how each pass ended."""

    def __init__(
        self, sender: Sender, ledger: Ledger, uploader: Uploader, data_dir: Path, batch_size: int
    ) -> None:
        super().__init__(ledger, uploader, data_dir, batch_size=batch_size)
        self.sender = sender

    def sync_once(self, on_progress: Any = None) -> SyncReport:
        """One pass, counted."""
        if self.sender.first_pass_at is None:
            self.sender.first_pass_at = time.monotonic()
        report = super().sync_once(on_progress)
        with self.sender.lock:
            self.sender.passes += 1
            if report.error is not None and report.error.code != "cancelled":
                self.sender.failures[report.error.code] += 1
        return report


def check_exactly_once(result: RunResult, kiosks: list[Kiosk], votes: int, db: str) -> None:
    """Every vote of every kiosk held once by the collector and marked delivered in its ledger."""
    with open_store(db) as store:
        for kiosk in kiosks:
            status = store.kiosk_status(kiosk.kiosk_id)
            result.held += status.votes
            if status.votes != votes or [tuple(r) for r in status.held] != [(1, votes)]:
                result.problems.append(
                    f"kiosk {kiosk.kiosk_id[:12]}: the collector holds {status.votes} votes"
                    f" {status.held} of 1-{votes}"
                )
        quarantined = [q for q in store.quarantined() if q["kiosk"] in {k.kiosk_id for k in kiosks}]
        if quarantined:
            result.problems.append(f"{len(quarantined)} votes quarantined")
    for kiosk in kiosks:
        key = keys.load_or_create(kiosk.data_dir)
        with Ledger.open(kiosk.data_dir, key) as ledger:
            counts = ledger.counts()
        if (counts.delivered, counts.pending) != (votes, 0):
            result.problems.append(
                f"kiosk {kiosk.kiosk_id[:12]}: {counts.delivered} delivered,"
                f" {counts.pending} pending in its ledger"
            )


# --- the report ------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float:
    """The q-quantile of sorted values (nearest rank); 0 when there are none."""
    if not values:
        return 0.0
    return values[min(len(values) - 1, max(0, round(q * len(values)) - 1))]


def spread(values: list[float]) -> str:
    """Median, 90th percentile and maximum of sorted seconds, and how far the maximum is out."""
    median = statistics.median(values) if values else 0.0
    slowest = values[-1] if values else 0.0
    ratio = f"{slowest / median:.1f}" if median else "-"
    return (
        f"median {median:5.1f} s, p90 {quantile(values, 0.9):5.1f} s,"
        f" max {slowest:5.1f} s (max/median {ratio})"
    )


def describe(r: RunResult) -> list[str]:
    """One run's figures, as lines to print."""
    lines: list[str] = []
    total = r.kiosks * r.votes
    batches = r.kiosks * -(-r.votes // BATCH_SIZE)
    delivered = (
        f"{r.all_delivered_at:.1f} s"
        if r.all_delivered_at is not None
        else f"NOT within {r.elapsed:.0f} s ({len(r.deliver_times)} of {r.kiosks} kiosks)"
    )
    lines.append(f"\n== {r.mode} ==")
    lines.append(f"  every vote delivered after     {delivered}")
    lines.append(
        f"  kiosk time to deliver          {spread(r.deliver_times)}  (from the common start)"
    )
    lines.append(
        f"  kiosk time sending             {spread(r.sending_times)}  (from its first pass)"
    )
    lines.append(
        f"  batch request latency          median {quantile(r.latencies, 0.5):.2f} s,"
        f" p99 {quantile(r.latencies, 0.99):.2f} s, max {quantile(r.latencies, 1.0):.2f} s"
        " (retries included)"
    )
    lines.append(f"  peak requests in flight        {r.peak_in_flight}")
    answered = sum(r.answers.values())
    lines.append(
        f"  batch requests at the servers  {answered} ({' + '.join(map(str, r.per_server))})"
        f" for {batches} batches: "
        + ", ".join(f"{n} x {status}" for status, n in sorted(r.answers.items()))
        + f"; {max(0, answered - batches)} beyond one per batch"
    )
    failed = ", ".join(f"{n} {code}" for code, n in r.failed_passes.most_common()) or "none"
    lines.append(f"  passes                         {r.passes}; failed: {failed}")
    tries = ", ".join(f"{n} x {outcome}" for outcome, n in r.tries.most_common())
    lines.append(f"  tries sent by the kiosks       {sum(r.tries.values())}: {tries}")
    lines.append(f"  waits between tries            {r.retry_waits}")
    once = "yes" if r.ok else "NO"
    lines.append(f"  every vote held exactly once   {once} ({r.held} of {total})")
    for problem in r.problems[:10]:
        lines.append(f"    {problem}")
    lines.append(f"  (the run took {r.wall:.0f} s, servers started and stopped, votes checked)")
    return lines


def storm(
    kiosks: int,
    votes: int,
    modes: list[str],
    interval: float,
    deadline: float,
    work: Path,
    db: str | None = None,
    seed: int = 18,
    say: Callable[[str], None] = lambda line: None,
    shared_cores: bool = False,
) -> list[RunResult]:
    """Set up ``kiosks`` kiosks per mode in work, run the storm in each mode, return the figures."""
    db = db or str(work / "collector.sqlite3")
    rows = demo_rows()
    if votes < 1 or kiosks < 1:
        raise ValueError("--kiosks and --votes must be at least 1")
    t = time.perf_counter()
    rng = random.Random(seed)
    order = rng.sample(rows, len(rows))  # one district per kiosk while there are enough
    chosen = [order[i % len(order)] for i in range(kiosks * len(modes))]
    runs: dict[str, list[Kiosk]] = {}
    for n, mode in enumerate(modes):
        districts = [r["code"] for r in chosen[n * kiosks : (n + 1) * kiosks]]
        runs[mode] = make_kiosks(work / mode, districts, votes, seed + n)
    load_collector_key(db)  # made before any kiosk pins it, as `serve` would
    with open_store(db) as store:
        store.load_districts({r["code"]: r["size_group"] for r in chosen}.items())
        for made in runs.values():
            for kiosk in made:
                store.enroll(store.issue_token(kiosk.district), kiosk.public_key_hex)
    cores = split_cores(shared_cores)
    where = (
        "all cores shared"
        if cores[0] is None
        else f"servers on CPU {sorted(cores[0])}, kiosks on CPU {sorted(cores[1] or ())}"
    )
    say(
        f"{kiosks} kiosks x {votes} votes per run, {len(modes)} run(s), two servers on"
        f" {db}; interval {interval:g} s; {where}; set up in {time.perf_counter() - t:.0f} s"
    )
    results = []
    for n, mode in enumerate(modes):
        logs = work / f"logs-{mode}"
        logs.mkdir()
        result = run_storm(
            mode, runs[mode], votes, db, logs, interval, deadline, seed + 1000 + n, cores
        )
        for line in describe(result):
            say(line)
        results.append(result)
    return results


def main() -> int:
    """Run the storm in each mode asked for and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=300, help="kiosks (default: %(default)s)")
    parser.add_argument(
        "--votes", type=int, default=500, help="votes waiting in each kiosk (default: %(default)s)"
    )
    parser.add_argument("--mode", choices=("both", "fixed", "jitter"), default="both")
    parser.add_argument(
        "--interval",
        type=float,
        default=60.0,
        help="seconds between passes, standing for the kiosks' 5 minutes (default: %(default)s)",
    )
    parser.add_argument(
        "--deadline", type=float, default=150.0, help="seconds each run may take at most"
    )
    parser.add_argument(
        "--db", help="the collector database for `serve --db` (default: a new file)"
    )
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument(
        "--shared-cores",
        action="store_true",
        help="run servers and kiosks on every core (default: half the cores each)",
    )
    args = parser.parse_args()
    modes = ["fixed", "jitter"] if args.mode == "both" else [args.mode]
    work = Path(tempfile.mkdtemp(prefix="sangsuk-storm-"))
    try:
        results = storm(
            args.kiosks,
            args.votes,
            modes,
            args.interval,
            args.deadline,
            work,
            args.db,
            args.seed,
            say=lambda line: print(line, flush=True),
            shared_cores=args.shared_cores,
        )
    except ValueError as exc:
        parser.error(str(exc))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
