"""Does the collector's cost grow with the votes it holds? Pages and reports at two sizes.

    uv run python bench/collector_scale.py [--sizes 100000,1000000] [--db DIR|URL] [--cache DIR]

1. A collector is built at each size (default 100,000 and 1,000,000 votes) by
   bench/collector_build.py, from one plan, so the two differ only in how many votes they
   hold: 878 district offices, about 1,800 kiosks with real Ed25519 keys, a skewed traffic
   with one district clearly the busiest, a year of signed votes, batches checked by
   ``check_batch`` and stored by ``CollectorStore.ingest``, and as many incidents at each
   size (gaps, replays, refused files, quarantined votes, a revoked tablet).
2. Every size is served at once by the real app (``collector.app.create_app`` under uvicorn,
   set up as the collector sets it up, each in a child process), and each page is fetched
   over HTTP on a new connection: the overview, the leaderboard, the busiest district's
   page, the kiosk fleet and the audit; `sangsuk-collector report --json` and `awards
   --json` run in this process. In each round every operation runs at each size in turn
   (the order alternates), so a machine that slows down for a while slows both alike.
3. The raw baseline, measured in the same run just before every operation at every size, is
   ``GET /api/v1/health`` (HTTP and the app, no query): every figure is also given as a
   multiple of its median ("× raw").
4. The table gives each operation's median at each size (of ``--rounds`` after ``--warmup``),
   and its growth: the median over the rounds of biggest / smallest, and the same for its
   multiple of the round's median baseline at each size. Issue 18's target: growth at most
   1.2 from 100,000 to 1,000,000 votes.

The target is a string handed as it is to ``CollectorStore``, ``create_app`` and the CLI's
``--db``: with ``--db DIR`` (default: a new temp folder) an SQLite file in DIR; with
``--db postgresql+psycopg://user@host/`` a PostgreSQL database whose name is appended to that
prefix (dropped and made again with psycopg before it is built). Built SQLite databases are
kept in ``--cache`` (default: sangsuk-scale-cache in the temp folder), keyed by size, seed and a
fingerprint of the store's code (collector/store/*.py), the wire format and the generator;
a rerun copies them instead of building again (a million votes take minutes to build, and
about a gigabyte). A PostgreSQL database built whole is reused the same way: the cache folder
keeps a note of it.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import http.client
import json
import logging
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.collector_build import REPO, build, cli, fingerprint, is_url, opened

DEFAULT_CACHE: Final = Path(tempfile.gettempdir()) / "sangsuk-scale-cache"
DB_NAME: Final = "collector.sqlite3"
PAGES: Final = (
    ("overview page", "/"),
    ("leaderboard page", "/leaderboard"),
    ("busiest district's page", "/districts/{busiest}"),
    ("kiosk (fleet) page", "/kiosks"),
    ("audit page", "/audit"),
)
BASELINE: Final = ("raw: GET /api/v1/health", "/api/v1/health")
SETTLE_S: Final = 0.05  # a pause before each request
COMMANDS: Final = (
    ("report --json", ("report", "--json")),
    ("awards --json (ranking)", ("awards", "--json")),
)


# --- targets and the cache ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Built:
    """A collector ready to measure: its target and what was built."""

    target: str
    meta: dict[str, Any]
    cached: bool


def prepare(place: str, cache: Path, votes: int, seed: int) -> Built:
    """The collector of this size at place (a folder or a URL prefix), from the cache or built."""
    name = f"scale-{votes}-s{seed}-{fingerprint()}"
    yesterday = date.today() - timedelta(days=1)  # the last day of votes
    cache.mkdir(parents=True, exist_ok=True)
    if is_url(place):
        target = place + name.replace("-", "_")
        note = cache / f"{name}-{hashlib.sha256(target.encode()).hexdigest()[:8]}.pg.json"
        if note.exists():
            return Built(target, json.loads(note.read_text()), True)
        recreate_pg_database(target)
        meta = build(target, votes, seed, yesterday)
        note.write_text(json.dumps(meta, indent=2))
        return Built(target, meta, False)
    work = Path(place) / name
    kept = cache / name
    if not (kept / "meta.json").exists():
        building = cache / f"{name}.building"
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir()
        meta = build(str(building / DB_NAME), votes, seed, yesterday)
        (building / "meta.json").write_text(json.dumps(meta, indent=2))
        shutil.rmtree(kept, ignore_errors=True)
        building.rename(kept)
        cached = False
    else:
        cached = True
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(kept, work)  # the database, its -wal if any, its key and its log
    return Built(str(work / DB_NAME), json.loads((kept / "meta.json").read_text()), cached)


def recreate_pg_database(target: str) -> None:
    """Drop and create the PostgreSQL database the URL names (psycopg, the server's own SQL)."""
    try:
        import psycopg  # type: ignore[import-not-found, unused-ignore]  # the PostgreSQL store's
        from psycopg import sql
    except ImportError:
        raise SystemExit(
            "a PostgreSQL target needs psycopg, which the PostgreSQL store brings"
        ) from None

    conninfo = target.replace("postgresql+psycopg://", "postgresql://", 1)
    base, _, name = conninfo.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_size(target: str) -> str:
    """The size of an SQLite database with its -wal, for the table (PostgreSQL: not shown)."""
    if is_url(target):
        return "-"
    files = [Path(target), Path(target + "-wal")]
    return f"{sum(f.stat().st_size for f in files if f.exists()) / 1e6:,.0f} MB"


# --- measuring ---------------------------------------------------------------------------------


def serve(target: str, port: int) -> int:
    """The child process: the collector app on target, served by uvicorn as the collector does."""
    from collector import serving
    from collector.app import create_app
    from collector.lifeline import follow_parent

    follow_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
    app = create_app(opened(target), checks=1, processes=False)
    return serving.run(serving.ServerConfig(app, host="127.0.0.1", port=port, log_level="warning"))


@contextlib.contextmanager
def served(target: str) -> Iterator[int]:
    """Serve target in a child process; yield its port once /api/v1/health answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", target, "--port", str(port)], cwd=REPO
    )
    try:
        for _ in range(1200):
            with contextlib.suppress(OSError):
                if fetch_once(port, BASELINE[1])[0] == 200:
                    break
            if child.poll() is not None:
                raise RuntimeError("the collector did not start")
            time.sleep(0.05)  # polling: the wait is for another process
        else:
            raise RuntimeError("the collector did not answer within a minute")
        yield port
    finally:
        child.terminate()
        child.wait(timeout=60)


def fetch_once(port: int, path: str) -> tuple[int, float]:
    """GET path on a new connection; (status, seconds to the last byte)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        start = time.perf_counter()
        conn.request("GET", path)
        answer = conn.getresponse()
        answer.read()
        return answer.status, time.perf_counter() - start
    finally:
        conn.close()


def fetch(port: int, path: str) -> float:
    """Seconds to GET path (which must answer 200), on a new connection as a browser's first."""
    status, seconds = fetch_once(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}")
    return seconds


def run_cli(target: str, *args: str) -> float:
    """Seconds to run `sangsuk-collector ARGS --db target` in this process (it must succeed)."""
    start = time.perf_counter()
    status, said = cli(*args, "--db", target)
    seconds = time.perf_counter() - start
    if status != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {said[-500:]}")
    return seconds


@dataclass
class Samples:
    """Seconds per operation at each size, round by round (index: round, then size)."""

    times: dict[str, list[list[float]]]
    raw: list[list[float]]  # each round's median raw baseline at each size

    def median(self, label: str, size: int) -> float:
        """The median seconds of an operation at the size with this index."""
        return statistics.median(r[size] for r in self.times[label])

    def growth(self, label: str) -> float:
        """The median over rounds of biggest / smallest, each pair measured side by side."""
        return statistics.median(r[-1] / r[0] for r in self.times[label])

    def relative_growth(self, label: str) -> float:
        """The same for the multiple of the raw baseline, each taken in its round."""
        return statistics.median(
            (r[-1] / b[-1]) / (r[0] / b[0])
            for r, b in zip(self.times[label], self.raw, strict=True)
        )


def measure(built: list[Built], rounds: int, warmup: int) -> Samples:
    """Time every operation on every collector, round by round; the raw baseline beside each.

    All the collectors are served at once, and in each round every operation runs on each of
    them in turn (the order of the sizes alternates): a machine that slows down for a while
    slows the sizes alike, and their ratio is taken within a round.
    """
    times: dict[str, list[list[float]]] = {}
    raw: list[list[float]] = []
    with contextlib.ExitStack() as stack:
        ports = [stack.enter_context(served(b.target)) for b in built]
        for r in range(warmup + rounds):
            order = list(range(len(built)))[:: 1 if r % 2 else -1]
            bases: list[list[float]] = []
            for label, seconds_of in operations():
                row = [0.0] * len(built)
                base_row = [0.0] * len(built)
                for i in order:
                    # Let the last request's aftermath (in either server) settle first.
                    time.sleep(SETTLE_S)
                    base_row[i] = fetch(ports[i], BASELINE[1])
                    time.sleep(SETTLE_S)
                    row[i] = seconds_of(built[i], ports[i])
                bases.append(base_row)
                if r >= warmup:
                    times.setdefault(label, []).append(row)
            if r >= warmup:
                raw.append([statistics.median(b[i] for b in bases) for i in range(len(built))])
    times[BASELINE[0]] = raw  # the baseline's own figures: of the rounds' medians
    return Samples(times, raw)


def operations() -> list[tuple[str, Callable[[Built, int], float]]]:
    """Each measured operation: its label, and how to time it on a served collector."""

    def page(path: str) -> Callable[[Built, int], float]:
        return lambda b, port: fetch(port, path.format(busiest=b.meta["busiest"]))

    def command(args: tuple[str, ...]) -> Callable[[Built, int], float]:
        return lambda b, _: run_cli(b.target, *args)  # in this process; the servers wait

    return [(label, page(path)) for label, path in PAGES] + [
        (label, command(args)) for label, args in COMMANDS
    ]


def check_busiest(built: Built) -> int:
    """The votes the busiest district holds, from `report --json` (and that it is the busiest)."""
    status, said = cli("report", "--json", "--db", built.target)
    if status != 0:
        raise RuntimeError(f"report failed: {said[-500:]}")
    report = json.loads(said)
    if report["total"] != built.meta["votes_stored"]:
        raise RuntimeError(f"report counts {report['total']}, the build stored {built.meta}")
    top = max(report["districts"], key=lambda d: d["votes"])
    if top["code"] != built.meta["busiest"]:
        raise RuntimeError(f"the busiest district is {top['code']}, not {built.meta['busiest']}")
    return int(top["votes"])


def show(ms: float) -> str:
    """Seconds as milliseconds, with a sensible number of digits."""
    ms *= 1000
    return f"{ms:,.0f} ms" if ms >= 100 else f"{ms:.1f} ms" if ms >= 1 else f"{ms:.2f} ms"


def table(sizes: list[int], samples: Samples) -> list[str]:
    """A Markdown table: the median and its multiple of the baseline at each size, the growth."""
    head = ["operation"]
    for n in sizes:
        head += [f"{n:,} votes", "× raw"]
    head += ["growth", "growth of × raw"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    raw = [samples.median(BASELINE[0], i) for i in range(len(sizes))]
    for label in [BASELINE[0], *(p[0] for p in PAGES), *(c[0] for c in COMMANDS)]:
        medians = [samples.median(label, i) for i in range(len(sizes))]
        row = [label]
        for median, base in zip(medians, raw, strict=True):
            row += [show(median), f"{median / base:,.1f}"]
        row += [f"{samples.growth(label):.2f}", f"{samples.relative_growth(label):.2f}"]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def main() -> int:
    """Build (or reuse) the collectors, measure them, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="votes, small to big")
    parser.add_argument(
        "--db",
        "--db-template",
        dest="db",
        default=None,
        help="a folder for the SQLite files (default: a new temp folder), or a"
        " postgresql+psycopg://user@host/ URL prefix the database's name is appended to",
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="built databases")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--rounds", type=int, default=9, help="measured requests per operation")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured rounds first")
    parser.add_argument("--serve", help=argparse.SUPPRESS)  # the child that serves a collector
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.getLogger().addHandler(logging.NullHandler())  # the store's warnings: to its log
    if args.serve:
        return serve(args.serve, args.port)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    place = args.db or tempfile.mkdtemp(prefix="sangsuk-scale-")
    try:
        return run(args, sizes, place)
    finally:
        if args.db is None:
            shutil.rmtree(place, ignore_errors=True)  # copies of the cache: a gigabyte


def run(args: argparse.Namespace, sizes: list[int], place: str) -> int:
    """Prepare the collectors, measure them and print the table."""
    print(f"machine: {os.cpu_count()} cores; databases in {place}; cache {args.cache}")
    print(f"store fingerprint {fingerprint()}, seed {args.seed}")
    built = []
    for votes in sizes:
        b = prepare(place, args.cache, votes, args.seed)
        m = b.meta
        how = "cached, built" if b.cached else "built"
        print(
            f"{votes:,} votes: {how} in {m['build_seconds']:,.0f} s; {m['votes_stored']:,} stored,"
            f" {m['kiosks']:,} kiosks, {m['batches']:,} batches ({m['refused']} refused,"
            f" {m['duplicates']:,} votes resent), {m['quarantined']} quarantined;"
            f" {database_size(b.target)}"
        )
        built.append(b)
    print("measuring ...")
    for b in built:
        top = check_busiest(b)
        print(f"  {b.meta['votes_stored']:,} votes: the busiest district {b.meta['busiest']} holds"
              f" {top:,}")  # fmt: skip
    load = os.getloadavg()[0]
    samples = measure(built, args.rounds, args.warmup)
    print(f"load average (1 min) {load:.1f} before measuring, {os.getloadavg()[0]:.1f} after")
    print()
    print(
        f"Medians of {args.rounds} rounds after {args.warmup} warm-up rounds. × raw: multiple of"
        " the raw baseline measured just before it. growth: median over the rounds of"
        " biggest / smallest, measured side by side (issue 18's target: at most 1.2)."
    )
    for line in table(sizes, samples):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
