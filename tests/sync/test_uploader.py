"""The uploader against a real collector: enrollment, receipts, refusals, retries, TLS."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sync.uploader import SyncError, Uploader
from tests.collector_server import RunningCollector, serve_collector
from tests.tls import self_signed
from wire.batch import check_batch
from wire.keys import public_key_from_raw


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


def pinned(collector: RunningCollector):
    return public_key_from_raw(bytes.fromhex(collector.collector_key_hex))


class Waits:
    """A fake for the passing of time between retries: records each wait, returns at once."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.seconds.append(seconds)
        return False


@pytest.fixture
def kiosk(make_kiosk, collector):
    k = make_kiosk()
    collector.store.enroll(collector.store.issue_token("3706"), k.key.public_key_raw.hex())
    k.cast(10)
    return k


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- a tiny HTTP server: canned faults first, then forwarding to the real collector ---------


class _Handler(BaseHTTPRequestHandler):
    server: _FaultServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _answer(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append(self.path)
        if self.server.hang is not None:
            self.server.hang.wait(10)
            return
        if self.server.faults:
            status, headers = self.server.faults.pop(0)
            payload = json.dumps({"error": "busy", "message": "try again", "problems": []}).encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        if self.server.answer is not None:
            payload = json.dumps(self.server.answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        assert self.server.target is not None
        target = urlsplit(self.server.target)
        conn = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        try:
            conn.request(
                self.command,
                self.path,
                body=body or None,
                headers={"Content-Type": self.headers.get("Content-Type", "application/json")},
            )
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        self.send_response(response.status)
        self.send_header("Content-Type", response.getheader("Content-Type", "application/json"))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer  # noqa: N815 - the names http.server looks for
    do_POST = _answer  # noqa: N815


class _FaultServer(HTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.faults: list[tuple[int, dict[str, str]]] = []
        self.requests: list[str] = []
        self.target: str | None = None
        self.answer: dict[str, object] | None = None
        self.hang: threading.Event | None = None

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a TLS handshake the client refused, or a client that gave up: expected here

    @property
    def url(self) -> str:
        scheme = "https" if isinstance(self.socket, ssl.SSLSocket) else "http"
        return f"{scheme}://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def fault_server() -> Iterator[_FaultServer]:
    server = _FaultServer()
    thread = threading.Thread(
        target=server.serve_forever, args=(0.02,), name="fault-server", daemon=True
    )
    thread.start()
    yield server
    if server.hang is not None:
        server.hang.set()
    server.shutdown()
    server.server_close()
    thread.join(10)


# --- enrollment ------------------------------------------------------------------------------


def test_enroll_answers_the_district_and_the_key_to_pin(collector, make_kiosk):
    k = make_kiosk()
    token = collector.store.issue_token("3706")
    with Uploader(collector.url) as up:
        answer = up.enroll(token, k.key.public_key_raw.hex())
        assert up.health()["status"] == "ok"
    assert answer["kiosk"] == k.key.kiosk_id
    assert (answer["district"], answer["size_group"]) == ("3706", "small")
    assert answer["collector_key"] == collector.collector_key_hex


def test_an_unknown_token_is_refused_in_words(collector, make_kiosk):
    k = make_kiosk()
    with Uploader(collector.url) as up, pytest.raises(SyncError) as caught:
        up.enroll("not-a-token", k.key.public_key_raw.hex())
    assert caught.value.code == "refused"
    assert caught.value.collector_error == "token_unknown"
    assert "The collector refused the enrollment" in caught.value.message


def test_health_names_a_collector_other_than_the_pinned_one(collector):
    other = Ed25519PrivateKey.generate().public_key()
    with Uploader(collector.url, other) as up, pytest.raises(SyncError) as caught:
        up.health()
    assert caught.value.code == "wrong_collector"


# --- batches and receipts --------------------------------------------------------------------


def test_a_batch_gets_a_receipt_verified_against_the_pinned_key(collector, kiosk):
    batch = kiosk.batch()
    with Uploader(collector.url, pinned(collector)) as up:
        receipt = up.send_batch(batch)
    assert receipt.kiosk == kiosk.key.kiosk_id
    assert receipt.batch == check_batch(batch).votes_hash
    assert receipt.accepted == [(1, 10)]
    assert receipt.accepted_seqs() == set(range(1, 11))
    assert collector.store.total_votes() == 10


def test_the_same_batch_again_is_acknowledged_again_and_counted_once(collector, kiosk):
    batch = kiosk.batch()
    with Uploader(collector.url, pinned(collector)) as up:
        first = up.send_batch(batch)
        again = up.send_batch(batch)
    assert first.accepted == again.accepted == [(1, 10)]
    assert collector.store.total_votes() == 10


def test_a_receipt_signed_by_another_key_is_refused(collector, kiosk):
    impostor = Ed25519PrivateKey.generate().public_key()
    with Uploader(collector.url, impostor) as up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "bad_receipt"
    assert "not signed by the collector this kiosk enrolled with" in caught.value.message


def test_a_revoked_kiosk_is_refused_with_a_clear_reason(collector, kiosk):
    collector.store.revoke(kiosk.key.kiosk_id)
    with Uploader(collector.url, pinned(collector)) as up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "refused"
    assert caught.value.collector_error == "revoked"
    assert caught.value.status == 403
    assert caught.value.message == (
        "The collector refused the batch: this kiosk has been revoked by the central office"
    )
    assert collector.store.total_votes() == 0


def test_a_kiosk_needs_a_pinned_key_to_send(collector, kiosk):
    with Uploader(collector.url) as up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "not_enrolled"


# --- network faults --------------------------------------------------------------------------


def test_an_unreachable_collector_is_retried_then_named_for_a_clerk(kiosk, collector):
    waits = Waits()
    up = Uploader(closed_port_url(), pinned(collector), retries=3, backoff_factor=0.5, wait=waits)
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "unreachable"
    assert caught.value.message.startswith(
        "The collector could not be reached: check the internet connection"
    )
    # Exponential backoff with jitter: no wait before the first retry, then 1 s, 2 s (+ jitter).
    assert len(waits.seconds) == 2
    assert 1.0 <= waits.seconds[0] <= 2.0
    assert 2.0 <= waits.seconds[1] <= 3.0


@pytest.mark.parametrize("status", [503, 429])
def test_busy_with_retry_after_is_retried_after_that_long(status, fault_server, collector, kiosk):
    fault_server.target = collector.url
    fault_server.faults = [(status, {"Retry-After": "7"}), (status, {"Retry-After": "3"})]
    waits = Waits()
    with Uploader(fault_server.url, pinned(collector), wait=waits) as up:
        receipt = up.send_batch(kiosk.batch())
    assert waits.seconds == [7.0, 3.0]
    assert fault_server.requests == ["/api/v1/batches"] * 3
    assert receipt.accepted == [(1, 10)]
    assert collector.store.total_votes() == 10


def test_a_long_retry_after_is_cut_short(fault_server, collector, kiosk):
    fault_server.target = collector.url
    fault_server.faults = [(503, {"Retry-After": "86400"})]
    waits = Waits()
    with Uploader(fault_server.url, pinned(collector), wait=waits, retry_after_max=45) as up:
        up.send_batch(kiosk.batch())
    assert waits.seconds == [45.0]


def test_still_busy_after_every_retry_is_busy(fault_server, collector, kiosk):
    fault_server.faults = [(503, {"Retry-After": "1"})] * 10
    waits = Waits()
    up = Uploader(fault_server.url, pinned(collector), retries=2, wait=waits)
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "busy"
    assert caught.value.status == 503
    assert "will be sent later" in caught.value.message
    assert caught.value.retry_after_s == 1.0  # the next pass waits at least that (schedule.py)
    assert len(fault_server.requests) == 3
    assert collector.store.total_votes() == 0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ({"Retry-After": "120"}, 120.0),
        ({"Retry-After": "Thu, 01 Jan 1970 00:00:00 GMT"}, 0.0),  # a date gone by: no wait
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_a_busy_answer_carries_what_it_asked_to_wait(
    fault_server, collector, kiosk, header, seconds
):
    fault_server.faults = [(503, header)]
    waits = Waits()
    up = Uploader(fault_server.url, pinned(collector), retries=0, wait=waits)
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "busy"
    assert caught.value.retry_after_s == seconds


def test_a_retry_after_that_is_not_a_time_is_retried_after_the_backoff(
    fault_server, collector, kiosk
):
    fault_server.target = collector.url
    fault_server.faults = [(503, {"Retry-After": "soon"})]
    waits = Waits()
    with Uploader(fault_server.url, pinned(collector), backoff_jitter=0, wait=waits) as up:
        receipt = up.send_batch(kiosk.batch())
    # Not "the collector could not be reached": a busy collector is waited for and tried again.
    assert len(fault_server.requests) == 2
    assert waits.seconds == []  # the backoff's first retry comes at once (urllib3)
    assert receipt.accepted == [(1, 10)]


def test_a_server_error_is_not_retried_and_is_named(fault_server, collector, kiosk):
    fault_server.faults = [(500, {})]
    up = Uploader(fault_server.url, pinned(collector), wait=Waits())
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "server_error"
    assert len(fault_server.requests) == 1


def test_a_collector_that_does_not_answer_times_out(fault_server, collector, kiosk):
    fault_server.hang = threading.Event()
    up = Uploader(fault_server.url, pinned(collector), read_timeout=0.3, retries=0)
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "timeout"
    assert caught.value.message.startswith("The collector did not answer in time")


def test_cancel_ends_a_wait_between_retries(kiosk, collector):
    made: list[Uploader] = []
    waited: list[float] = []

    def wait(seconds: float) -> bool:
        waited.append(seconds)
        made[0].cancel()  # as SyncWorker.stop does, from another thread
        return False

    up = Uploader(closed_port_url(), pinned(collector), retries=5, wait=wait)
    made.append(up)
    with up, pytest.raises(SyncError) as caught:
        up.send_batch(kiosk.batch())
    assert caught.value.code == "cancelled"
    assert len(waited) == 1


# --- TLS ------------------------------------------------------------------------------------


def test_tls_is_verified_against_the_configured_ca_bundle(tmp_path, fault_server):
    cert, key = self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    fault_server.socket = context.wrap_socket(fault_server.socket, server_side=True)
    fault_server.answer = {"status": "ok", "collector_key": "00" * 32}

    with Uploader(fault_server.url, wait=Waits()) as up, pytest.raises(SyncError) as caught:
        up.health()
    assert caught.value.code == "tls"
    assert "security certificate could not be verified" in caught.value.message

    with Uploader(fault_server.url, ca_bundle=cert) as up:
        assert up.health()["status"] == "ok"


def test_an_https_address_of_a_collector_without_tls_is_said_so_not_blamed_on_a_certificate(
    fault_server,
):
    # An officer types https:// for a collector served in plain HTTP: the advice for an
    # untrusted certificate (add --ca-bundle) would send them looking for a file.
    fault_server.answer = {"status": "ok", "collector_key": "00" * 32}
    address = fault_server.url.replace("http://", "https://", 1)
    with Uploader(address, wait=Waits()) as up, pytest.raises(SyncError) as caught:
        up.health()
    assert caught.value.code == "not_tls"
    assert "does not use a secure connection" in caught.value.message
    with Uploader(fault_server.url) as up:  # the same collector at its http:// address
        assert up.health()["status"] == "ok"


def test_a_missing_ca_bundle_file_is_named(tmp_path):
    with pytest.raises(SyncError) as caught:
        Uploader("https://collector.example", ca_bundle=tmp_path / "nope.pem")
    assert caught.value.code == "tls"
    assert "does not exist" in caught.value.message
