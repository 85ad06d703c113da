"""Crash soak: SIGKILL a vote-casting child N times (default 10,000) and check after every kill.

    uv run python bench/crash_soak.py [--kills N] [--data-dir DIR] [--seed S] [--launcher fork|spawn]

The loop is the one tests/kiosk/test_crash.py runs 100 times (tests/crashloop.py). The figure
that matters is "lost": votes a child acknowledged that are not in the ledger afterwards. It
must be 0. Beside the kill rate the soak prints the rate of spawning and SIGKILLing a bare
Python child, measured in the same run, so a reader sees the harness's overhead.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.crashloop import CrashStats, bare_spawn_rate, crash_loop

BARE_SAMPLES = 30


def main(argv: list[str] | None = None) -> int:
    """Run the soak and print its figures; exit status 1 if any check failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--kills", type=int, default=10_000, help="how many kills (10,000)")
    parser.add_argument("--data-dir", type=Path, help="where the ledgers go (a temporary folder)")
    parser.add_argument("--seed", type=int, help="seed for kill moments and ballots (random)")
    parser.add_argument(
        "--launcher",
        choices=("fork", "spawn"),
        default="fork",
        help="fork children from one warm interpreter (fork), or a fresh interpreter each (spawn)",
    )
    parser.add_argument("--progress-every", type=int, default=500, help="kills between reports")
    parser.add_argument(
        "--max-ledger-votes", type=int, default=300, help="start a new ledger beyond this"
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().getrandbits(32)

    with tempfile.TemporaryDirectory(prefix="sangsuk-crash-soak-") as scratch:
        data_dir = args.data_dir or Path(scratch)
        print(
            f"crash soak: {args.kills} kills, seed {seed}, launcher {args.launcher},"
            f" data in {data_dir}",
            flush=True,
        )
        bare = bare_spawn_rate(BARE_SAMPLES)
        print(f"baseline: bare python child spawned and SIGKILLed {bare:.1f}/s", flush=True)

        def progress(stats: CrashStats) -> None:
            rate = stats.kills / stats.elapsed if stats.elapsed else 0.0
            print(
                f"  {stats.kills:>6} kills  {stats.acknowledged:>8} acknowledged"
                f"  lost {stats.lost}  failures {len(stats.failures)}"
                f"  {rate:.2f} kills/s  {stats.elapsed:.0f} s",
                flush=True,
            )

        stats = crash_loop(
            data_dir,
            args.kills,
            random.Random(seed),
            launcher=args.launcher,
            max_ledger_votes=args.max_ledger_votes,
            progress=progress,
            progress_every=args.progress_every,
            keep_passed_ledgers=False,
        )
        if stats.failures and args.data_dir is None:
            kept = Path(tempfile.mkdtemp(prefix="sangsuk-crash-failed-"))
            for failure in stats.failures:
                if failure.ledger.exists() and not (kept / failure.ledger.name).exists():
                    failure.ledger.rename(kept / failure.ledger.name)
            print(f"failed ledgers kept in {kept}")
    _print_figures(stats, bare, seed)
    return 1 if stats.failures else 0


def _print_figures(stats: CrashStats, bare: float, seed: int) -> None:
    rate = stats.kills / stats.elapsed if stats.elapsed else 0.0
    other = len(stats.failures) - stats.integrity_failures - stats.verify_failures
    rows = [
        ("kills", f"{stats.kills}"),
        (
            "  of which",
            f"{stats.kills_after_ack} after an acknowledged vote, {stats.kills_at_startup} aimed at"
            f" start-up, {stats.long_runs} long runs",
        ),
        ("votes acknowledged", f"{stats.acknowledged}"),
        (
            "votes in the ledgers",
            f"{stats.in_ledger} in {stats.ledgers} ledger(s): {stats.child_votes} by children"
            f" + {stats.parent_votes} check votes by the parent",
        ),
        ("committed, not yet acknowledged", f"{stats.committed_unacknowledged}"),
        ("partial last lines (ignored)", f"{stats.partial_lines}"),
        ("LOST (acknowledged, missing)", f"{stats.lost}"),
        ("integrity failures", f"{stats.integrity_failures}"),
        ("verify failures", f"{stats.verify_failures}"),
        ("other failures", f"{other}"),
        ("elapsed", f"{stats.elapsed:.1f} s"),
        (
            "kill rate",
            f"{rate:.2f} kills/s vs bare python spawn+SIGKILL {bare:.1f}/s in this run:"
            f" ratio {rate / bare:.3f}",
        ),
        ("seed", f"{seed}"),
    ]
    print()
    for name, value in rows:
        print(f"{name:<32} {value}")
    for failure in stats.failures:
        print(f"FAILED {failure}")


if __name__ == "__main__":
    sys.exit(main())
