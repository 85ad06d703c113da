"""Votes cross a faulty network exactly once: a real collector behind a TCP fault proxy."""

import pytest

from sync.uploader import Uploader
from sync.worker import SyncService
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.faultproxy import FAULTS, FaultProxy
from tests.kiosks import enroll
from wire.keys import public_key_from_raw

VOTES = 2400
SEED = 20261124


def no_wait(seconds: float) -> bool:
    """Back-off and Retry-After waits pass at once (time is outside the program)."""
    return False


@pytest.mark.slow
def test_every_vote_arrives_exactly_once_through_every_kind_of_fault(tmp_path, make_kiosk):
    kiosk = make_kiosk()
    kiosk.cast(VOTES, seed=SEED)
    weights = {"pass": 0.4, **{f: 0.12 for f in FAULTS if f != "pass"}}
    with (
        serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as collector,
        FaultProxy.random(collector.port, SEED, weights) as proxy,
    ):
        enroll(collector.store, kiosk)
        key = public_key_from_raw(bytes.fromhex(collector.collector_key_hex))
        with Uploader(
            proxy.url, key, connect_timeout=2, read_timeout=0.5, retries=2, wait=no_wait
        ) as uploader:
            service = SyncService(kiosk.ledger, uploader, kiosk.data_dir, batch_size=100)
            passes = 0
            while kiosk.ledger.counts().pending and passes < 300:
                service.sync_once()
                passes += 1
        held = dict(
            sql(
                collector.store,
                "SELECT seq, hash FROM votes WHERE kiosk = :kiosk",
                kiosk=kiosk.key.kiosk_id,
            )
        )
        quarantined = collector.store.quarantined()

    counts = kiosk.ledger.counts()
    print(f"{VOTES} votes, {passes} sync passes, connections by fault: {dict(proxy.counts)}")
    assert counts.pending == 0, f"{counts.pending} votes still pending after {passes} passes"
    assert counts.delivered == VOTES
    # Exactly once, and exactly the kiosk's bytes: every seq once, with the ledger's own hash.
    ours = {s.seq: s.hash for s in kiosk.ledger.iter_votes()}
    assert held == ours
    assert quarantined == []
    # Every kind of fault really happened (so this test cannot pass on a quiet network).
    assert all(proxy.counts[f] >= 3 for f in FAULTS), proxy.counts
