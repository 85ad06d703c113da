"""Collector ingest speed, as ratios to the raw Ed25519 verify rate measured in the same run.

    uv run python bench/collector_ingest.py [--votes 40000] [--kiosks 40] [--workers 1]

1. Raw baseline: Ed25519 signature verifications per second of vote-sized messages with the
   fastest installed library (PyNaCl's libsodium when installed, else cryptography; both
   release the GIL while they verify: bench/verify_raw.py), on 2 threads and on 1.
2. HTTP: the votes of a simulated campaign (several kiosks, each in its own district) are
   sent as 500-vote batches by 4 concurrent clients to `sangsuk-collector serve` on
   127.0.0.1. Every vote is verified, deduplicated and committed with synchronous=FULL
   before its receipt is answered. Figure: votes per second / raw 2-thread verify rate
   (target >= 0.7).
3. USB: the same votes written as batch files and imported with `sangsuk-collector import`
   into a fresh database. Figure: import time / raw 1-thread time to verify as many
   signatures (target <= 5).

The collector runs as `serve` runs it for the central office (docs/operations.md): one
serving process reads HTTP and stores, and checks every batch in a pool of worker processes,
one per core (collector/checking.py). Each checking process has the GIL to itself, so
the Python work of parsing and checking runs on both cores beside the verifying, and SQLite
serialises only the short commits.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests

from bench import verify_raw
from bench.collector_process import serving
from collector.data.make_demo_districts import demo_rows
from collector.keys import load_collector_key
from collector.store import CollectorStore
from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from wire import keys
from wire.batch import build_batch
from wire.clock import format_utc

BATCH = 500


def demo_districts_rows() -> list[tuple[str, str]]:
    """(code, size group) of all 878 districts, from the bundled demo classification."""
    return [(row["code"], row["size_group"]) for row in demo_rows()]


def raw_verify_rate(threads: int, n: int = 20_000) -> float:
    """Verifications per second of a vote-sized message by the fastest library, on threads."""
    return verify_raw.raw_verify_rate(verify_raw.FASTEST, threads, n)


def make_batches(root: Path, votes: int, kiosks: int, seed: int) -> list[tuple[str, bytes, bytes]]:
    """Cast the campaign's votes in real ledgers; return (district, public key, batch bytes)."""
    rng = random.Random(seed)
    rows = demo_districts_rows()
    districts = rng.sample([code for code, _ in rows], kiosks)
    out = []
    per_kiosk = votes // kiosks
    for i, district in enumerate(districts):
        data_dir = root / f"kiosk-{i:03d}"
        key = keys.load_or_create(data_dir)
        with Ledger.open(data_dir, key) as ledger:
            ledger.cast_many([random_ballot(rng, district) for _ in range(per_kiosk)])
            after = 0
            while stored := ledger.pending(after_seq=after, limit=BATCH):
                # Made now, after its votes, as a kiosk with a right clock makes it (a batch
                # made before its votes says the kiosk's clock is behind, and the collector
                # then places every vote anew: docs/performance.md).
                made_at = format_utc(datetime.now(UTC))
                data = build_batch(
                    key.private_key, [s.body for s in stored], [s.hash for s in stored], made_at
                )
                out.append((district, key.public_key_raw, data))
                after = stored[-1].seq
    return out


def prepare_collector(db: Path, batches: list[tuple[str, bytes, bytes]]) -> None:
    """Load the demo districts and enroll every kiosk of the batches."""
    load_collector_key(db)  # made before any kiosk enrolls, as `districts --load` does
    with CollectorStore(db) as store:
        store.load_districts(demo_districts_rows())
        seen: set[bytes] = set()
        for district, public, _ in batches:
            if public not in seen:
                store.enroll(store.issue_token(district), public.hex())
                seen.add(public)


def raw_verify_cpu(n: int = 10_000) -> float:
    """CPU seconds of one Ed25519 verification of a vote-sized message (fastest library)."""
    verify = verify_raw.library_verify(verify_raw.FASTEST)
    start = time.thread_time()
    for _ in range(n):
        verify()
    return (time.thread_time() - start) / n


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a running process and its children (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            # Children belong to the thread that started them: look under every thread.
            children = [
                int(c)
                for task in Path(f"/proc/{current}/task").iterdir()
                for c in (task / "children").read_text().split()
            ]
        except OSError:
            continue  # it ended meanwhile
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        pending.extend(children)
    return total


def http_ingest(
    db: Path, batches: list[tuple[str, bytes, bytes]], workers: int
) -> tuple[float, int, float, float]:
    """Serve the collector with this many serving processes and POST every batch.

    Returns (seconds, votes stored, CPU seconds the server processes used while ingesting,
    CPU seconds the sending clients used meanwhile).
    """
    with serving(db, workers) as (server, url):
        address = urlsplit(url)

        def post(item: tuple[str, bytes, bytes]) -> None:
            # A new connection per batch, as many kiosks would make: a kept-alive connection
            # stays with the worker that accepted it, which would skew the load. The client
            # is the standard library's, the leanest at hand: it shares the machine's two
            # cores with the collector, and real kiosks send from their own offices.
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
            try:
                connection.request(
                    "POST",
                    f"{address.path}/batches",
                    body=item[2],
                    headers={"content-type": "application/json"},
                )
                answer = connection.getresponse()
                text = answer.read()
            finally:
                connection.close()
            if answer.status != 200:
                raise RuntimeError(f"batch refused: {answer.status} {text[:200]!r}")

        for _ in range(2 * workers):  # let every worker finish starting up
            requests.get(f"{url}/health", timeout=5).raise_for_status()
        cpu_before = tree_cpu(server.pid)
        client_before = time.process_time()
        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(post, batches))
        elapsed = time.perf_counter() - start
        client_cpu = time.process_time() - client_before
        server_cpu = tree_cpu(server.pid) - cpu_before
    with CollectorStore(db) as store:
        return elapsed, store.total_votes(), server_cpu, client_cpu


def usb_import(
    db: Path, batches: list[tuple[str, bytes, bytes]], folder: Path
) -> tuple[float, int]:
    """Write the batches as files and time `sangsuk-collector import` of them all."""
    folder.mkdir()
    files = []
    for i, (_, _, data) in enumerate(batches):
        path = folder / f"batch-{i:05d}.batch.json"
        path.write_bytes(data)
        files.append(str(path))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "collector", "import", "--db", str(db), *files],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    with CollectorStore(db) as store:
        return elapsed, store.total_votes()


def fresh_database(url_prefix: str | None, root: Path, name: str) -> Any:
    """A new, empty collector database: a SQLite file in root, or a new PostgreSQL database.

    On PostgreSQL the collector's key lives in $SANGSUK_COLLECTOR_HOME: a folder of this
    run's own, which the server and the import started below inherit.
    """
    if url_prefix is None:
        return root / f"{name}.sqlite3"
    from bench.collector_scale import recreate_pg_database

    target = url_prefix + "sangsuk_ingest_" + name.replace("-", "_")
    recreate_pg_database(target)
    os.environ["SANGSUK_COLLECTOR_HOME"] = str(root / f"{name}-home")
    return target


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=40_000)
    parser.add_argument("--kiosks", type=int, default=40)
    parser.add_argument("--workers", type=int, default=1, help="serving processes")
    parser.add_argument("--rounds", type=int, default=5, help="HTTP runs (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    parser.add_argument(
        "--db-url",
        default=None,
        help="run on PostgreSQL: a postgresql+psycopg://user:pw@host/ prefix; each run gets a"
        " new database of its own (default: SQLite files in the work folder)",
    )
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sangsuk-ingest-", dir=args.dir))
    print(f"machine: {os.cpu_count()} cores; work folder {root}")

    t = time.perf_counter()
    batches = make_batches(root / "kiosks", args.votes, args.kiosks, args.seed)
    votes = args.votes // args.kiosks * args.kiosks
    print(
        f"prepared {votes} signed votes in {len(batches)} batches of <= {BATCH} from {args.kiosks} kiosks in {time.perf_counter() - t:.1f} s"
    )

    # The machine is shared and its speed drifts by 10-20 % within a minute, so each HTTP run
    # is paired with raw 2-thread runs just before and after it, and the figure is the median
    # of the rounds' ratios.
    rounds = []
    server_cpu = client_cpu = 0.0
    stored_each = []
    verify_cpu = raw_verify_cpu()
    for i in range(args.rounds):
        before = raw_verify_rate(2)
        http_db = fresh_database(args.db_url, root, f"http-{i}")
        prepare_collector(http_db, batches)
        seconds, stored, server, client = http_ingest(http_db, batches, args.workers)
        after = raw_verify_rate(2)
        rounds.append((stored / seconds, before, after))
        stored_each.append(stored)
        server_cpu += server
        client_cpu += client
        verify_cpu = min(verify_cpu, raw_verify_cpu())
    raw1_runs = [raw_verify_rate(1)]
    usb_db = fresh_database(args.db_url, root, "usb")
    prepare_collector(usb_db, batches)
    usb_seconds, usb_stored = usb_import(usb_db, batches, root / "stick")
    raw1_runs.append(raw_verify_rate(1))
    raw1_runs.append(raw_verify_rate(1))

    raw1 = statistics.median(raw1_runs)
    raw_time = votes / raw1
    ratios = [rate / ((before + after) / 2) for rate, before, after in rounds]
    all_stored = sum(stored_each)
    print()
    for (rate, before, after), ratio in zip(rounds, ratios, strict=True):
        print(
            f"HTTP ingest ({args.workers} serving process(es), 500-vote batches): {rate:6.0f} votes/s;"
            f" raw {verify_raw.FASTEST} verify on 2 threads just before and after: {before:.0f}, {after:.0f} /s;"
            f" ratio {ratio:.2f}"
        )
    print(
        f"  median ratio to the raw 2-thread verify rate: {statistics.median(ratios):.2f}"
        f" over {len(ratios)} rounds   (target >= 0.7)"
    )
    print(
        f"  CPU per stored vote: {server_cpu / all_stored * 1e6:.0f} us in the server processes"
        f" against {verify_cpu * 1e6:.0f} us for one raw verify:"
        f" verify is {verify_cpu * all_stored / server_cpu:.2f} of the server's work"
    )
    print(
        f"  the sending clients (this process) used {client_cpu / all_stored * 1e6:.0f} us of CPU"
        " per vote on the same cores"
    )
    print(
        f"raw {verify_raw.FASTEST} verify, 1 thread:   {raw1:8.0f} /s   (runs: {', '.join(f'{r:.0f}' for r in raw1_runs)})"
    )
    print(
        f"USB import of {usb_stored} votes: {usb_seconds:.1f} s; raw time to verify {votes} signatures on 1 thread: {raw_time:.1f} s"
    )
    print(f"  ratio import time / raw verify time: {usb_seconds / raw_time:.2f}   (target <= 5)")
    stored = min(stored_each)
    if any(n != votes for n in stored_each) or usb_stored != votes:
        print(f"ERROR: expected {votes} votes stored")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
