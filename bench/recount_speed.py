"""`recount` of a publication against the raw all-core time to verify its signatures.

    uv run python bench/recount_speed.py [--sizes 20000,100000] [--kiosks 40] [--rounds 3]

For each size: kiosks with real ledgers cast the votes (bench/collector_ingest.py's
make_batches), `sangsuk-collector import` stores their 500-vote batch files in a fresh
collector, and `sangsuk-collector publish` writes the publication. Then, in rounds:

* raw: the signatures of the publication (one per vote, one per batch, the manifest's) divided
  by the raw verify rate of the fastest library on one thread per core (bench/verify_raw.py),
  measured just before and just after the recounts (the machine's speed drifts);
* `sangsuk-collector recount --json`, the command an auditor runs, start-up included, with
  Python's bytecode cache written by a first run as it is on an installed machine; and as
  "first run", every module compiled anew (the standard library's too, so a little more than
  a real first run pays; this sandbox sets PYTHONDONTWRITEBYTECODE, so its every run pays it);
* ``collector.recount.recount`` timed inside a fresh Python, as it is (worker processes, one
  per other core, beside this one: collector/recount_files.py), with threads in their place,
  and on one core.

Figure: recount time / raw all-core verify time, the median of the rounds (target <= 1.5).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.collector_ingest import make_batches, prepare_collector
from bench.verify_raw import FASTEST, raw_verify_rate
from collector.recount_files import cores
from collector.store import CollectorStore


def collector(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `sangsuk-collector` as its own process (in env, if given); raise if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "collector", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
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


# recount() in a fresh Python, timed there: no import of this bench in the worker processes
# (a spawned worker imports the __main__ module of a script), no start-up in the figure.
# "threads": a thread per core instead of worker processes; "one core": everything here.
_RECOUNT = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import collector.recount as recount_module
from collector import recount_files, recount_votes
how, folder = sys.argv[1], Path(sys.argv[2])
if how == "threads":
    def threaded(files):
        with ThreadPoolExecutor(recount_files.cores()) as pool:
            yield from pool.map(recount_files.check_file, files)
    recount_votes.checked_files = threaded  # (the batches are read there)
elif how == "one core":
    recount_files.PARALLEL_MIN_BYTES = 2**62
start = time.perf_counter()
result = recount_module.recount([folder])
assert result.ok, result.problems
print(time.perf_counter() - start)
"""
WAYS = ("processes", "threads", "one core")


def recount_seconds(folder: Path, how: str) -> float:
    """Seconds recount() takes in a fresh Python, checking the files the way named."""
    done = subprocess.run(
        [sys.executable, "-c", _RECOUNT, how, str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def command_seconds(folder: Path, *, compiled: bool) -> float:
    """Seconds `sangsuk-collector recount --json` takes, start-up included.

    compiled: Python reads its cached bytecode, as on an auditor's machine from the second run
    on (Python writes it on the first). Otherwise every module is compiled again.
    """
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="sangsuk-nopyc-") as empty:
        if compiled:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env.pop("PYTHONPYCACHEPREFIX", None)
        else:  # a bytecode cache that stays empty
            env["PYTHONDONTWRITEBYTECODE"], env["PYTHONPYCACHEPREFIX"] = "1", empty
        start = time.perf_counter()
        collector("recount", "--json", str(folder), env=env)
        return time.perf_counter() - start


def measure(folder: Path, signatures: int, rounds: int) -> None:
    """Print the figures for one publication."""
    n = cores()
    raws: list[float] = []
    seconds: dict[str, list[float]] = {how: [] for how in ("command", "first run", *WAYS)}
    command_seconds(folder, compiled=True)  # writes the bytecode, as an auditor's first run does
    for _ in range(rounds):
        before = raw_verify_rate(FASTEST, n)
        row = {
            "command": command_seconds(folder, compiled=True),
            "first run": command_seconds(folder, compiled=False),
        }
        row |= {how: recount_seconds(folder, how) for how in WAYS}
        after = raw_verify_rate(FASTEST, n)
        raw = signatures / ((before + after) / 2)
        raws.append(raw)
        for how, value in row.items():
            seconds[how].append(value)
        print(
            f"  raw {FASTEST} verify on {n} threads: {signatures / raw:6.0f} /s, {raw:5.2f} s;"
            + "".join(f"  {how} {value:5.2f} s ({value / raw:.2f}x)" for how, value in row.items())
        )
    print(
        f"  median ratio to the raw all-core verify time (target <= 1.5): recount() "
        f"{statistics.median(p / r for p, r in zip(seconds['processes'], raws, strict=True)):.2f},"
        f" `recount` command {statistics.median(c / r for c, r in zip(seconds['command'], raws, strict=True)):.2f}"
        f" (its first run, compiling every module,"
        f" {statistics.median(c / r for c, r in zip(seconds['first run'], raws, strict=True)):.2f})"
    )
    print(
        "  median seconds: "
        + ", ".join(f"{how} {statistics.median(values):.2f}" for how, values in seconds.items())
    )
    # Other work on a shared machine only ever slows a run down: the best of each is the
    # figure least disturbed by it.
    print(
        f"  best of each: raw {min(raws):.2f} s, recount() {min(seconds['processes']):.2f} s"
        f" ({min(seconds['processes']) / min(raws):.2f}x), `recount` command"
        f" {min(seconds['command']):.2f} s ({min(seconds['command']) / min(raws):.2f}x)"
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
