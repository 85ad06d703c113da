"""Crash test of the vote ledger: SIGKILL a casting child at random moments, check every kill.

The harness is tests/crashloop.py; bench/crash_soak.py runs the same loop for 10,000 kills.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from tests.crashloop import (
    REPO_ROOT,
    Ack,
    CrashStats,
    SpawnedChild,
    crash_loop,
    fresh_schema,
    ledger_schema,
    parse_acks,
)
from wire.keys import KEY_FILE_NAME, load_or_create

KILLS = 100
SEED = 20260524  # fixes kill modes, delays and ballots; the scheduler still varies the rest
MIN_ACKNOWLEDGED = 100


def _report(stats: CrashStats) -> str:
    failures = "\n".join(str(f) for f in stats.failures)
    return f"seed {SEED}: {stats.summary()}\n{failures}"


@pytest.mark.slow
def test_no_acknowledged_vote_is_lost_across_random_kills(tmp_path: Path) -> None:
    print(f"crash test: {KILLS} kills, seed {SEED}")
    stats = crash_loop(tmp_path, KILLS, random.Random(SEED))
    print(_report(stats))

    assert stats.failures == [], _report(stats)
    assert stats.kills == KILLS
    assert stats.lost == stats.integrity_failures == stats.verify_failures == 0
    # Not vacuous: the children really were thanked for votes, and most kills came after that.
    assert stats.acknowledged >= MIN_ACKNOWLEDGED, _report(stats)
    assert stats.kills_after_ack >= KILLS // 2, _report(stats)
    assert stats.kills_at_startup >= 1, _report(stats)
    assert stats.long_runs >= 1, _report(stats)
    assert stats.parent_votes == KILLS
    assert stats.in_ledger >= stats.acknowledged + stats.parent_votes


# --- the harness must be able to fail -------------------------------------------------------


def _checkpoint(folder: Path) -> Path:
    """Move everything into the main database file and return its path."""
    path = folder / LEDGER_FILE_NAME
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return path


def _corrupt_last_page(folder: Path) -> None:
    """Overwrite the last b-tree page with garbage, as a torn or misdirected write would."""
    path = _checkpoint(folder)
    conn = sqlite3.connect(path)
    try:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    finally:
        conn.close()
    with path.open("r+b") as f:
        f.seek(path.stat().st_size - page_size)
        f.write(b"\x0d\xff\xff\xff" + b"\xa5" * (page_size - 4))


def _drop_wal(folder: Path) -> None:
    """What a power cut with synchronous=OFF could do: the commits still in the WAL vanish."""
    for suffix in ("-wal", "-shm"):
        (folder / (LEDGER_FILE_NAME + suffix)).unlink(missing_ok=True)


def _tamper_ack_hash(acks: list[Ack]) -> None:
    acks[-1] = Ack(acks[-1].seq, "0" * 64)


def _phantom_ack(acks: list[Ack]) -> None:
    acks.append(Ack(acks[-1].seq + 1, "f" * 64))


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ("corrupt-page", "integrity", "PRAGMA integrity_check"),
        ("drop-wal", "lost", "not in the ledger"),
        ("wrong-hash", "lost", "the ledger holds"),
        ("phantom-ack", "lost", "acknowledged seq"),
    ],
)
def test_the_harness_reports_a_damaged_ledger(
    tmp_path: Path, fault: str, kind: str, words: str
) -> None:
    def tamper(kill: int, folder: Path, acks: list[Ack]) -> None:
        if kill != 2:
            return
        assert acks, "the fault needs acknowledged votes"
        if fault == "corrupt-page":
            _corrupt_last_page(folder)
        elif fault == "drop-wal":
            _drop_wal(folder)
        elif fault == "wrong-hash":
            _tamper_ack_hash(acks)
        else:
            _phantom_ack(acks)

    # Every kill comes after the child was thanked, and no run is long enough to checkpoint,
    # so kill 2's votes are all in the WAL when the fault strikes.
    stats = crash_loop(
        tmp_path, 3, random.Random(SEED), startup_fraction=0.0, long_fraction=0.0, tamper=tamper
    )

    assert stats.failures, f"the fault {fault} went unnoticed: {stats.summary()}"
    assert {f.kill for f in stats.failures} == {2}, _report(stats)
    first = stats.failures[0]
    assert first.kind == kind, str(first)
    assert words in first.detail, str(first)
    assert str(first).startswith("kill 2 (normal: "), str(first)
    if fault == "corrupt-page":
        assert stats.integrity_failures == 1
    if fault in ("drop-wal", "wrong-hash", "phantom-ack"):
        assert stats.lost >= 1
    # The damaged ledger is kept for a post-mortem; kill 3 ran on a fresh one and passed.
    assert (first.ledger / LEDGER_FILE_NAME).exists()
    assert stats.kills == 3
    assert stats.ledgers == 2


def test_a_child_that_dies_by_itself_is_reported(tmp_path: Path) -> None:
    def break_key(kill: int, folder: Path, acks: list[Ack]) -> None:
        if kill == 1:
            (folder / KEY_FILE_NAME).write_text("not a key")

    stats = crash_loop(tmp_path, 2, random.Random(SEED), startup_fraction=0.0, tamper=break_key)

    assert [(f.kill, f.kind) for f in stats.failures] == [(2, "child")], _report(stats)
    assert "ended by itself (status 1)" in stats.failures[0].detail
    assert "KeyFileError" in stats.failures[0].detail


def test_fresh_interpreter_children_work_too(tmp_path: Path) -> None:
    stats = crash_loop(tmp_path, 3, random.Random(SEED), launcher="spawn", startup_fraction=0.0)

    assert stats.failures == [], _report(stats)
    assert stats.kills_after_ack == 3
    assert stats.in_ledger >= stats.acknowledged + 3


# A kill during the very first Ledger.open, between sqlite-utils creating _sqlite_migrations and
# creating its unique index (two autocommit statements), leaves that index missing for good;
# the crash loop finds this in about 1.5% of kills aimed at a first open. Here the kill lands
# there every time. Fix in kiosk/ledger.py: apply the migrations inside one transaction.
_KILL_AT_MIGRATIONS_INDEX = """
import os, signal, sys
from pathlib import Path
import sqlite_utils.db
from wire.keys import load_or_create
from kiosk.ledger import Ledger
create_index = sqlite_utils.db.Table.create_index
def killed_here(table, *args, **kwargs):
    if table.name == "_sqlite_migrations":
        os.kill(os.getpid(), signal.SIGKILL)
    return create_index(table, *args, **kwargs)
sqlite_utils.db.Table.create_index = killed_here
folder = Path(sys.argv[1])
Ledger.open(folder, load_or_create(folder))
"""


def test_a_kill_during_the_first_open_leaves_a_ledger_with_the_fresh_schema(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "kiosk"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    child = subprocess.run(
        [sys.executable, "-c", _KILL_AT_MIGRATIONS_INDEX, str(folder)],
        env=env,
        cwd=REPO_ROOT,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL

    with Ledger.open(folder, load_or_create(folder)) as ledger:
        assert ledger.verify().ok
        reopened = ledger_schema(ledger.db.conn)

    assert reopened == fresh_schema(tmp_path / "fresh")


def test_a_partial_last_line_is_not_an_acknowledged_vote() -> None:
    program = (
        "import sys; sys.stdout.write('ready\\n7 ' + 'a' * 64 + '\\n8 ' + 'b' * 30);"
        " sys.stdout.flush(); sys.stdin.read()"
    )
    child = SpawnedChild([sys.executable, "-c", program])
    try:
        assert child.wait_lines(2, time.monotonic() + 30)
    finally:
        child.kill()

    acks, bad = parse_acks(child.complete_lines())

    assert acks == [Ack(7, "a" * 64)]
    assert bad == []
