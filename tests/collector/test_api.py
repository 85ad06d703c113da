"""The collector's HTTP API, served by uvicorn on 127.0.0.1: answers, refusals, audit."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from collector.settings import checks_per_process
from tests.collector_server import serve_collector
from tests.console import operator_client
from wire.receipt import check_receipt

JSON = {"content-type": "application/json"}


@pytest.fixture
def collector(collector_db):
    with serve_collector(collector_db, [("3706", "small"), ("4712", "large")]) as running:
        yield running


@pytest.fixture
def http():
    with requests.Session() as session:
        yield session


def api(collector, path):
    return f"{collector.url}/api/v1{path}"


@pytest.fixture
def enrolled(collector, make_kiosk, http):
    kiosk = make_kiosk()
    token = collector.store.issue_token("3706")
    answer = http.post(
        api(collector, "/enroll"),
        json={"token": token, "public_key": kiosk.key.public_key_raw.hex()},
    )
    assert answer.status_code == 200, answer.text
    return kiosk


def test_health_names_the_collector_key(collector, http):
    body = http.get(api(collector, "/health")).json()
    assert body["status"] == "ok"
    assert body["collector_key"] == collector.collector_key_hex


def test_enroll_answers_with_the_district_the_centre_decided(collector, make_kiosk, http):
    kiosk = make_kiosk(district="4712")
    token = collector.store.issue_token("4712")
    body = http.post(
        api(collector, "/enroll"),
        json={"token": token, "public_key": kiosk.key.public_key_raw.hex()},
    ).json()
    assert (body["kiosk"], body["district"], body["size_group"]) == (
        kiosk.key.kiosk_id,
        "4712",
        "large",
    )
    assert (body["name_th"], body["province_en"]) == ("สว่างแดนดิน", "Sakon Nakhon")
    assert body["collector_key"] == collector.collector_key_hex
    other = make_kiosk("other")
    again = http.post(
        api(collector, "/enroll"),
        json={"token": token, "public_key": other.key.public_key_raw.hex()},
    )
    assert again.status_code == 403
    assert again.json()["error"] == "token_used"


def test_a_batch_gets_a_receipt_signed_by_the_collector(collector, enrolled, http):
    enrolled.cast(25)
    answer = http.post(api(collector, "/batches"), data=enrolled.batch(), headers=JSON)
    assert answer.status_code == 200
    key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(collector.collector_key_hex))
    result = check_receipt(answer.content, key, enrolled.key.kiosk_id)
    assert result.ok
    assert result.receipt.accepted == [(1, 25)]
    # The kiosk's status is the operators' (promise 11): anonymous, 401; a viewer reads it.
    url = api(collector, f"/kiosks/{enrolled.key.kiosk_id}/status")
    assert http.get(url).status_code == 401
    operator_client(http, collector.store, collector.url, "viewer")
    status = http.get(url).json()
    assert (status["highest_contiguous"], status["votes"], status["missing"]) == (25, 25, [])
    # The test kiosk's fake clock stands still at 2026-11-24 03:00: days behind the collector.
    assert status["vote_ahead_s"] < -3600
    assert status["clock_skew_s"] < -3600
    assert status["clock_flagged"] is True


def test_the_same_batch_twice_counts_once(collector, enrolled, http):
    enrolled.cast(5)
    batch = enrolled.batch()
    for _ in range(3):
        assert http.post(api(collector, "/batches"), data=batch, headers=JSON).status_code == 200
    assert collector.store.total_votes() == 5


@pytest.mark.parametrize(
    ("body", "headers", "status", "error"),
    [
        (b"{not json", JSON, 400, "bad_json"),
        (b'{"a": 1, "a": 2}', JSON, 400, "duplicate_key"),
        (b"\xff\xfe", JSON, 400, "bad_utf8"),
        (b"[]", JSON, 400, "bad_json"),
        (b'{"kind": "sangsuk-batch", "version": 9}', JSON, 422, "unsupported_version"),
        (b"{}", {"content-type": "text/plain"}, 415, "wrong_content_type"),
        (b"{}", {}, 415, "wrong_content_type"),
        (b" " * (4 * 1024 * 1024 + 1), JSON, 413, "too_large"),
    ],
    # Named, not the bodies: a 4 MiB id would reach PYTEST_CURRENT_TEST, and no program the
    # test starts (psql) could be given an environment that large.
    ids=[
        "not_json",
        "duplicate_key",
        "bad_utf8",
        "array",
        "unsupported_version",
        "text_plain",
        "no_content_type",
        "too_large",
    ],
)
def test_malformed_requests_get_a_clear_4xx_and_an_audit_row(
    collector, http, body, headers, status, error
):
    answer = http.post(api(collector, "/batches"), data=body, headers=headers)
    assert answer.status_code == status
    assert answer.json()["error"] == error
    assert answer.json()["message"]
    row = collector.store.audit_rows()[0]
    assert (row["kind"], row["reason"], row["source_addr"]) == ("refused", error, "127.0.0.1")


def test_tampered_batch_names_the_seq(collector, enrolled, http):
    enrolled.cast(5)
    env = json.loads(enrolled.batch())
    env["votes"][2]["rating"] = 1 if env["votes"][2]["rating"] != 1 else 2
    answer = http.post(api(collector, "/batches"), data=json.dumps(env), headers=JSON)
    assert answer.status_code == 422
    body = answer.json()
    assert {"code": "bad_signature", "message": "bad signature at seq 3", "seq": 3} in body[
        "problems"
    ]
    assert collector.store.total_votes() == 0


def test_unknown_and_revoked_kiosks_are_refused(collector, enrolled, make_kiosk, http):
    stranger = make_kiosk("stranger")
    stranger.cast(2)
    answer = http.post(api(collector, "/batches"), data=stranger.batch(), headers=JSON)
    assert (answer.status_code, answer.json()["error"]) == (403, "unknown_kiosk")
    collector.store.revoke(enrolled.key.kiosk_id)
    enrolled.cast(2)
    answer = http.post(api(collector, "/batches"), data=enrolled.batch(), headers=JSON)
    assert (answer.status_code, answer.json()["error"]) == (403, "revoked")
    assert collector.store.total_votes() == 0


def test_too_many_votes_in_one_batch(collector, enrolled, http):
    enrolled.cast(1001)
    answer = http.post(api(collector, "/batches"), data=enrolled.batch(limit=1001), headers=JSON)
    assert (answer.status_code, answer.json()["error"]) == (413, "too_many_votes")


def test_bad_enroll_requests(collector, http):
    answer = http.post(api(collector, "/enroll"), data=b"{oops", headers=JSON)
    assert answer.status_code == 422
    assert answer.json()["error"] == "invalid_request"
    answer = http.post(api(collector, "/enroll"), json={"token": "nope", "public_key": "ab" * 32})
    assert (answer.status_code, answer.json()["error"]) == (403, "token_unknown")
    assert [r["reason"] for r in collector.store.audit_rows()[:2]] == [
        "token_unknown",
        "invalid_request",
    ]


def test_unknown_kiosk_status_is_404(collector, http):
    operator_client(http, collector.store, collector.url, "viewer")
    answer = http.get(api(collector, "/kiosks/" + "0" * 32 + "/status"))
    assert (answer.status_code, answer.json()["error"]) == (404, "unknown_kiosk")


def test_the_openapi_document_is_served(collector, http):
    spec = http.get(f"{collector.url}/openapi.json").json()
    assert {
        "/api/v1/health",
        "/api/v1/enroll",
        "/api/v1/batches",
        "/api/v1/kiosks/{kiosk}/status",
    } <= set(spec["paths"])


def test_each_process_checks_its_share_of_the_cores():
    # One process on 2 cores checks 2 batches at once; 2 workers on 2 cores check one each,
    # since two threads of one process trading the GIL cost more CPU per vote.
    assert checks_per_process(1, cores=2) == 2
    assert checks_per_process(2, cores=2) == 1
    assert checks_per_process(4, cores=2) == 1
    assert checks_per_process(2, cores=8) == 4


def test_batches_arriving_together_wait_for_the_one_check_slot(tmp_path, make_kiosk):
    kiosks = [make_kiosk(f"k{i}", district="3706") for i in range(4)]
    with serve_collector(tmp_path / "c.sqlite3", [("3706", "small")], checks=1) as running:
        for kiosk in kiosks:
            running.store.enroll(running.store.issue_token("3706"), kiosk.key.public_key_raw.hex())
            kiosk.cast(40)
        bodies = [kiosk.batch() for kiosk in kiosks]
        url = f"{running.url}/api/v1/batches"
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(
                pool.map(lambda body: requests.post(url, data=body, headers=JSON), bodies)
            )
        assert [a.status_code for a in answers] == [200] * 4
        assert running.store.total_votes() == 160
