"""The collector killed with SIGKILL during ingest, again and again (promises 4 and 5).

The collector runs as a real process (``python -m collector serve``, uvicorn, its own
SQLite file with WAL and synchronous=FULL). A kiosk with a real ledger syncs to it with the
real ``SyncService`` and ``Uploader`` in batches of ``BATCH``; at a random moment of each
pass the collector is killed with SIGKILL (while a request is read, a batch verified or
committed, or a receipt written back), then started again. After every kill, with the
collector down:

* ``PRAGMA integrity_check`` is ok on its database;
* no partial batch is stored: the kiosk's votes held are exactly seqs 1..m, where m is a whole
  number of batches (or all the votes), each with the kiosk's own hash, and each naming the
  hash of the one before (the chain at the collector verifies);
* the bookkeeping agrees with the votes (the kiosk row's count and contiguous mark, the
  batches table);
* the kiosk never marked a vote delivered that the collector does not hold.

Then, with the collector left running, the kiosk's next passes complete the job: every vote
held exactly once, nothing quarantined, nothing pending.

``SANGSUK_COLLECTOR_KILLS=200 uv run pytest tests/collector/test_collector_kill.py -s`` is the
long run (docs/reliability.md); CI kills it ``KILLS`` times.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.keys import load_collector_key
from collector.store import CollectorStore
from sync.uploader import SyncError, Uploader
from sync.worker import SyncReport, SyncService
from tests.collector_db import sql
from tests.collector_server import CollectorProcess
from tests.kiosks import Kiosk
from wire.keys import public_key_from_raw

KILLS = int(os.environ.get("SANGSUK_COLLECTOR_KILLS", "6"))
VOTES = max(3000, KILLS * 300)  # enough that the kills land while there is work
BATCH = 100
SEED = 20261125


def no_wait(seconds: float) -> bool:
    return False


@dataclass
class KillStats:
    """What the kills hit."""

    kills: int = 0
    passes_cut: int = 0  # the kiosk's pass ended with an error: the kill cut it
    committed_unanswered: int = 0  # the collector held more than the kiosk was told


@pytest.fixture
def collector(tmp_path: Path, collector_db: str) -> Iterator[CollectorProcess]:
    db = collector_db  # a SQLite file, then a PostgreSQL database
    load_collector_key(db)
    with CollectorStore(db) as store:
        store.load_districts([("3706", "small")])
    process = CollectorProcess(db, tmp_path / "collector.log")  # type: ignore[arg-type]
    try:
        yield process
    finally:
        process.stop()


def held_after_kill(db: str, kiosk: Kiosk, votes: dict[int, str]) -> int:
    """Check the collector's database as the kill left it; return m, the highest seq held."""
    if "://" not in db:  # SQLite: the file itself is sound (PostgreSQL replays its own WAL)
        conn = sqlite3.connect(db)
        try:
            assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            conn.close()
    with CollectorStore(db) as store:
        rows = sql(
            store,
            "SELECT seq, hash, prev FROM votes WHERE kiosk = :k ORDER BY seq",
            k=kiosk.key.kiosk_id,
        )
        held = [r[0] for r in rows]
        m = len(held)
        assert held == list(range(1, m + 1)), "a gap: part of a batch is missing"
        assert m % BATCH == 0 or m == len(votes), f"{m} votes held: part of a batch is stored"
        for seq, digest, prev in rows:
            assert digest == votes[seq]
            assert seq == 1 or prev == votes[seq - 1]
        (count, contiguous, max_seq) = sql(
            store,
            "SELECT votes, contiguous, max_seq FROM kiosks WHERE kiosk = :k",
            k=kiosk.key.kiosk_id,
        )[0]
        assert (count, contiguous, max_seq) == (m, m, m)
        batched = sql(
            store,
            "SELECT COALESCE(SUM(new_votes), 0) FROM batches WHERE kiosk = :k",
            k=kiosk.key.kiosk_id,
        )[0][0]
        assert batched == m
        assert store.total_votes() == m  # the tallies were committed with the votes
        assert sql(store, "SELECT COUNT(*) FROM quarantine") == [(0,)]
    delivered = {r[0] for r in kiosk.ledger.db.execute("SELECT seq FROM delivery").fetchall()}
    assert delivered <= set(range(1, m + 1)), "the kiosk marked a vote the collector lacks"
    return m


@pytest.mark.slow
def test_a_collector_killed_mid_ingest_stores_whole_batches_and_the_retry_completes(
    collector: CollectorProcess, make_kiosk
) -> None:
    kiosk = make_kiosk()
    kiosk.cast(VOTES, seed=SEED)
    votes = {s.seq: s.hash for s in kiosk.ledger.iter_votes()}
    with CollectorStore(collector.db) as store:
        store.enroll(store.issue_token("3706"), kiosk.key.public_key_raw.hex())
    key = public_key_from_raw(load_collector_key(collector.db).public_key_raw)
    rng = random.Random(SEED)
    stats = KillStats()
    collector.start()
    with Uploader(
        collector.url, key, connect_timeout=2, read_timeout=10, retries=0, wait=no_wait
    ) as uploader:
        service = SyncService(kiosk.ledger, uploader, kiosk.data_dir, batch_size=BATCH)
        for _ in range(KILLS):
            if not kiosk.ledger.counts().pending:
                break
            reports: list[SyncReport] = []
            thread = threading.Thread(target=lambda out=reports: out.append(service.sync_once()))
            thread.start()
            thread.join(timeout=rng.uniform(0.02, 0.25))  # a random moment of the pass
            collector.kill()
            stats.kills += 1
            thread.join(timeout=60)
            assert not thread.is_alive()
            m = held_after_kill(collector.db, kiosk, votes)
            if reports and reports[0].error is not None:
                assert isinstance(reports[0].error, SyncError)
                stats.passes_cut += 1
            if m > kiosk.ledger.counts().delivered:
                stats.committed_unanswered += 1
            collector.start()
        passes = 0
        while kiosk.ledger.counts().pending and passes < 50:
            report = service.sync_once()
            assert report.error is None or report.error.code in ("unreachable", "timeout")
            passes += 1
    collector.stop()

    print(
        f"{stats.kills} SIGKILLs during ingest: {stats.passes_cut} passes cut,"
        f" {stats.committed_unanswered} batches committed whose receipt was lost;"
        f" {passes} passes to finish"
    )
    assert stats.kills >= min(KILLS, 3)
    assert stats.passes_cut >= 1  # not vacuous: kills really interrupted the kiosk
    assert held_after_kill(collector.db, kiosk, votes) == VOTES  # all of them, exactly once
    counts = kiosk.ledger.counts()
    assert (counts.pending, counts.delivered) == (0, VOTES)
