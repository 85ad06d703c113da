"""Batches checked in worker processes, as `sangsuk-collector serve` does (collector/checking.py)."""

import json
import multiprocessing
import os
import shutil
import signal
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.ledger import Ledger
from tests.collector_db import sql
from tests.collector_server import serve_collector
from tests.fakes import FakeClock
from tests.kiosks import Kiosk
from wire.receipt import check_receipt
from wire.vote import Ballot

JSON = {"content-type": "application/json"}


@pytest.fixture
def collector(tmp_path):
    with serve_collector(
        tmp_path / "collector.sqlite3", [("3706", "small")], checks=2, processes=True
    ) as running:
        yield running


def enrolled(collector, kiosk):
    collector.store.enroll(collector.store.issue_token("3706"), kiosk.key.public_key_raw.hex())
    return kiosk


def post(collector, body):
    return requests.post(f"{collector.url}/api/v1/batches", data=body, headers=JSON, timeout=60)


def test_batches_checked_in_worker_processes_are_counted_once_with_signed_receipts(
    collector, make_kiosk
):
    kiosks = [enrolled(collector, make_kiosk(f"k{i}")) for i in range(4)]
    for kiosk in kiosks:
        kiosk.cast(60)
    bodies = [kiosk.batch(first=first, limit=30) for kiosk in kiosks for first in (1, 31)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda body: post(collector, body), bodies + bodies[:2]))
    assert [a.status_code for a in answers] == [200] * 10, [a.text for a in answers]
    assert collector.store.total_votes() == 240  # the two batches sent twice count once
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(collector.collector_key_hex))
    receipt = check_receipt(answers[1].content, key, kiosks[0].key.kiosk_id)
    assert receipt.ok, receipt.problems
    assert receipt.receipt.accepted == [(31, 60)]
    # The workers' findings and the votes re-read here are the same votes the kiosk signed.
    stored = sql(
        collector.store,
        "SELECT seq, hash, rating, story FROM votes WHERE kiosk = :kiosk ORDER BY seq",
        kiosk=kiosks[0].key.kiosk_id,
    )
    held = kiosks[0].ledger.pending(limit=60)
    assert [(r[0], r[1]) for r in stored] == [(s.seq, s.hash) for s in held]
    assert [(r[2], r[3]) for r in stored] == [
        (json.loads(s.body)["rating"], json.loads(s.body)["story"]) for s in held
    ]


def test_a_bad_batch_checked_in_a_worker_process_is_refused_with_every_problem(
    collector, make_kiosk
):
    kiosk = enrolled(collector, make_kiosk())
    kiosk.cast(10)

    env = json.loads(kiosk.batch())
    env["votes"][3]["rating"] = 1 if env["votes"][3]["rating"] != 1 else 2
    answer = post(collector, json.dumps(env, ensure_ascii=False).encode())
    assert answer.status_code == 422
    assert answer.json()["error"] == "bad_signature"
    assert "bad signature at seq 4" in answer.json()["message"]
    assert collector.store.total_votes() == 0
    assert collector.store.audit_rows()[0]["reason"] == "bad_signature"
    # A batch that is valid but not in canonical form is read strictly and still accepted.
    pretty = json.dumps(json.loads(kiosk.batch()), indent=2).encode()
    assert post(collector, pretty).status_code == 200
    assert collector.store.total_votes() == 10


def test_a_conflicting_resend_checked_in_a_worker_process_is_quarantined_with_its_bytes(
    collector, make_kiosk, tmp_path
):
    kiosk = enrolled(collector, make_kiosk())
    kiosk.cast(4)
    kiosk.ledger.close()
    shutil.copytree(kiosk.data_dir, tmp_path / "fork")  # a backup restored later
    kiosk.ledger = Ledger.open(kiosk.data_dir, kiosk.key, FakeClock())
    kiosk.ledger.cast(Ballot("3706", 5))
    assert post(collector, kiosk.batch()).status_code == 200
    fork = Kiosk(
        tmp_path / "fork", kiosk.key, Ledger.open(tmp_path / "fork", kiosk.key, FakeClock()), "3706"
    )
    try:
        fork.ledger.cast(Ballot("3706", 1, story="สำเนา"))  # another vote 5
        answer = post(collector, fork.batch(first=5))
        fork_body = fork.ledger.pending(after_seq=4, limit=1)[0].body
    finally:
        fork.ledger.close()
    assert answer.status_code == 200
    assert json.loads(answer.content)["conflicts"] == [5]
    quarantined = sql(collector.store, "SELECT seq, body FROM quarantine")
    assert quarantined == [(5, fork_body)]
    assert collector.store.total_votes() == 5


def test_a_checking_process_that_dies_is_replaced_and_the_batch_can_be_sent_again(
    collector, make_kiosk
):
    kiosk = enrolled(collector, make_kiosk())
    kiosk.cast(20)
    assert post(collector, kiosk.batch(limit=10)).status_code == 200
    workers = multiprocessing.active_children()
    assert len(workers) == 2  # the pool of this test's collector, one per check slot
    os.kill(workers[0].pid, signal.SIGKILL)  # as the system's out-of-memory killer would
    body = kiosk.batch(first=11)
    first = post(collector, body)
    if first.status_code != 200:  # the pool broke under it: busy, try again, nothing stored
        assert first.status_code == 503
        assert first.headers["Retry-After"] == "5"
        assert first.json()["error"] == "busy"
        assert collector.store.total_votes() == 10
        again = post(collector, body)
        assert again.status_code == 200, again.text
    assert collector.store.total_votes() == 20
    assert {p.pid for p in multiprocessing.active_children()}.isdisjoint({workers[0].pid})
