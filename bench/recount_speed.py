"""`recount` of a publication against the raw all-core time to verify its signatures.

    uv run python bench/recount_speed.py [--sizes 20000,100000] [--kiosks 40] [--rounds 3]

For each size: kiosks with real ledgers cast the votes (bench/collector_ingest.py's
make_batches), `sangsuk-collector import` stores their 500-vote batch files in a fresh
collector, and `sangsuk-collector publish` writes the publication. Then, in rounds:

* raw: the signatures of the publication (one per vote, one per batch, the manifest's) divided
  by the raw verify rate of the fastest library on one thread per core (bench/verify_raw.py),
  measured just before and just after the recount (the machine's speed drifts);
* `sangsuk-collector recount --json`, the command an auditor runs, as its own process, and
  ``collector.recount.recount`` called in this process (no interpreter start-up);
* how the batch files' checking alone goes on one core, on a thread per core and on a process
  per core (collector/recount_files.py uses processes; this is why).

Figure: recount time / raw all-core verify time, the median of the rounds (target <= 1.5).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.collector_ingest import make_batches, prepare_collector
from bench.verify_raw import FASTEST, raw_verify_rate
from collector.recount import expand, recount
from collector.recount_files import check_file, checked_files, cores
from collector.store import CollectorStore


def collector(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `sangsuk-collector` as its own process; raise if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "collector", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    return done


def build_publication(root: Path, votes: int, kiosks: int, seed: int) -> tuple[Path, int, int]:
    """Cast, import and publish; return (the publication folder, votes, batch files)."""
    batches = make_batches(root / "kiosks", votes, kiosks, seed)
    stick = root / "stick"
    stick.mkdir()
    for i, (_, _, data) in enumerate(batches):
        (stick / f"batch-{i:05d}.batch.json").write_bytes(data)
    db = root / "collector.sqlite3"
    prepare_collector(db, batches)
    collector("import", "--db", str(db), str(stick))
    with CollectorStore(db) as store:
        stored = store.total_votes()
    folder = root / "publication"
    collector("publish", "--to", str(folder), "--db", str(db))
    return folder, stored, len(batches)


def timed(work: Callable[[], object]) -> float:
    """Seconds a call takes."""
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def measure(folder: Path, signatures: int, rounds: int) -> None:
    """Print the figures for one publication."""
    n = cores()
    _, files = expand([folder])
    rows: list[tuple[float, float, float, float]] = []
    checking: dict[str, list[float]] = {"one core": [], "threads": [], "processes": []}
    for _ in range(rounds):
        before = raw_verify_rate(FASTEST, n)
        command = timed(lambda: collector("recount", "--json", str(folder)))
        start = time.perf_counter()
        result = recount([folder])
        in_process = time.perf_counter() - start
        assert result.ok, result.problems
        after = raw_verify_rate(FASTEST, n)
        raw = signatures / ((before + after) / 2)
        rows.append((raw, command, in_process, (before + after) / 2))
        checking["one core"].append(timed(lambda: list(map(check_file, files))))
        with ThreadPoolExecutor(n) as pool:
            checking["threads"].append(timed(lambda: list(pool.map(check_file, files))))
        checking["processes"].append(timed(lambda: list(checked_files(files))))
    for raw, command, in_process, rate in rows:
        print(
            f"  raw {FASTEST} verify on {n} threads: {rate:7.0f} /s, {raw:6.2f} s for"
            f" {signatures} signatures;  `recount` {command:6.2f} s ({command / raw:.2f}x),"
            f" in-process {in_process:6.2f} s ({in_process / raw:.2f}x)"
        )
    print(
        f"  median recount / raw all-core verify: command {statistics.median(r[1] / r[0] for r in rows):.2f},"
        f" in-process {statistics.median(r[2] / r[0] for r in rows):.2f}   (target <= 1.5)"
    )
    print(
        "  checking the batch files alone (median): "
        + ", ".join(f"{how} {statistics.median(s):.2f} s" for how, s in checking.items())
    )


def main() -> int:
    """Build the publications and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="votes, comma-separated")
    parser.add_argument("--kiosks", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--dir", type=Path, default=None, help="work folder (default: a temp dir)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="sangsuk-recount-", dir=args.dir))
    print(f"machine: {cores()} cores; fastest Ed25519 library: {FASTEST}; work folder {root}")
    for size in (int(s) for s in args.sizes.split(",")):
        t = time.perf_counter()
        folder, votes, batches = build_publication(root / str(size), size, args.kiosks, args.seed)
        print(
            f"\n{votes} votes in {batches} batch files from {args.kiosks} kiosks, published"
            f" (cast, imported, published in {time.perf_counter() - t:.0f} s)"
        )
        measure(folder, votes + batches + 1, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
