"""Two collector servers on one PostgreSQL, as behind a load balancer: each vote stored once.

Two real `sangsuk-collector serve` processes (different ports, one database, one key) each
sit behind a TCP fault proxy. Several kiosks with real ledgers sync at once, each pass going
to one server or the other as a load balancer would send it, through resets, stalls and cut
answers. And the same batch is posted to both servers at the same moment, again and again.
Afterwards every kiosk's votes are held exactly once with its own hashes, nothing is
quarantined, nothing is pending, and every receipt either server gave is signed by the key
the kiosks pinned.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from collector.cli import main
from collector.keys import load_collector_key
from collector.store import CollectorStore
from collector.store.target import HOME_ENV
from sync.uploader import Uploader
from sync.worker import SyncService
from tests.collector_db import sql
from tests.collector_server import CollectorProcess
from tests.faultproxy import FAULTS, FaultProxy
from tests.kiosks import enroll
from wire.keys import public_key_from_raw
from wire.receipt import check_receipt

KIOSKS = 6
VOTES = 400  # per kiosk
SEED = 20261204


def no_wait(seconds: float) -> bool:
    """Back-off and Retry-After waits pass at once (time is outside the program)."""
    return False


@pytest.fixture
def two_servers(pg_url, tmp_path, monkeypatch):
    """Two serving processes on one PostgreSQL database, sharing the collector key."""
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))  # each server finds the one key here
    csv = "collector/data/districts-demo.csv"
    assert main(["districts", "--load", csv, "--db", pg_url]) == 0
    servers = [CollectorProcess(pg_url, tmp_path / f"server-{n}.log") for n in (1, 2)]  # type: ignore[arg-type]
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


@pytest.mark.slow
def test_two_servers_store_each_vote_once_through_faults(two_servers, pg_url, make_kiosk):
    kiosks = [make_kiosk(f"k{n}", "3706" if n % 2 else "4712") for n in range(KIOSKS)]
    with CollectorStore(pg_url) as store:
        for n, kiosk in enumerate(kiosks):
            enroll(store, kiosk)
            kiosk.cast(VOTES, seed=SEED + n)
    pinned = public_key_from_raw(load_collector_key(pg_url).public_key_raw)
    weights = {"pass": 0.5, **{f: 0.1 for f in FAULTS if f != "pass"}}
    proxies = [
        FaultProxy.random(server.port, SEED + i, weights) for i, server in enumerate(two_servers)
    ]
    passes = [0] * KIOSKS

    def sync(n: int) -> None:
        kiosk = kiosks[n]
        uploaders = [
            Uploader(p.url, pinned, connect_timeout=2, read_timeout=2, retries=2, wait=no_wait)
            for p in proxies
        ]
        try:
            services = [
                SyncService(kiosk.ledger, u, kiosk.data_dir, batch_size=50) for u in uploaders
            ]
            while kiosk.ledger.counts().pending and passes[n] < 400:
                services[(passes[n] + n) % 2].sync_once()  # the balancer's pick
                passes[n] += 1
        finally:
            for u in uploaders:
                u.close()

    try:
        with ThreadPoolExecutor(KIOSKS) as pool:
            list(pool.map(sync, range(KIOSKS)))
    finally:
        for proxy in proxies:
            proxy.close()
    with CollectorStore(pg_url) as store:
        for kiosk in kiosks:
            held = dict(
                sql(store, "SELECT seq, hash FROM votes WHERE kiosk = :k", k=kiosk.key.kiosk_id)
            )
            assert held == {s.seq: s.hash for s in kiosk.ledger.iter_votes()}
            assert kiosk.ledger.counts().pending == 0
        assert store.quarantined() == []
        assert store.total_votes() == KIOSKS * VOTES
        assert sum(store.report()["size_groups"].values()) == KIOSKS * VOTES
    faults = sum(proxy.counts[f] for proxy in proxies for f in FAULTS if f != "pass")
    assert faults >= 10, [dict(p.counts) for p in proxies]  # the network really was faulty


def test_the_same_batch_at_both_servers_at_once_is_stored_once(two_servers, pg_url, make_kiosk):
    kiosk = make_kiosk()
    with CollectorStore(pg_url) as store:
        enroll(store, kiosk)
    pinned = public_key_from_raw(load_collector_key(pg_url).public_key_raw)
    kiosk.cast(200)
    for round_ in range(8):
        first = round_ * 25 + 1
        data = kiosk.batch(first=first, limit=25)
        start = threading.Barrier(2)

        def post(server: CollectorProcess, data: bytes = data, start=start) -> requests.Response:
            start.wait()
            return requests.post(
                f"{server.url}/api/v1/batches",
                data=data,
                headers={"Content-Type": "application/json"},
                timeout=30,
            )

        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(post, two_servers))
        for answer in answers:
            assert answer.status_code == 200, answer.text
            check = check_receipt(answer.content, pinned, kiosk.key.kiosk_id)
            assert check.ok, check.problems
            assert check.receipt is not None
            assert check.receipt.accepted == [(first, first + 24)]
            assert check.receipt.held == [(1, first + 24)]
    with CollectorStore(pg_url) as store:
        held = dict(
            sql(store, "SELECT seq, hash FROM votes WHERE kiosk = :k", k=kiosk.key.kiosk_id)
        )
        assert held == {s.seq: s.hash for s in kiosk.ledger.iter_votes()}
        assert store.total_votes() == 200
        assert store.quarantined() == []
        status = store.kiosk_status(kiosk.key.kiosk_id)
        assert (status.contiguous, status.votes) == (200, 200)
        # Each batch once in the batches table, though both servers answered for it.
        assert sql(store, "SELECT COUNT(*) FROM batches") == [(8,)]
