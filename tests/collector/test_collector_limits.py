"""What a client may send the collector: bodies capped before they are read, slow senders cut off.

Real sockets to a real collector served by uvicorn on 127.0.0.1 (tests/collector_server.py),
configured as `sangsuk-collector serve` configures it (collector/serving.py), with short
timeouts so the test does not wait long.
"""

from __future__ import annotations

import json
import selectors
import socket
import time

import pytest
import requests

from collector.routes.api import MAX_BODY_BYTES
from collector.serving import MAX_HEAD_BYTES, Timeouts
from collector.store import campaigns
from tests.collector_server import RunningCollector, serve_collector

FIFTY_MB = 50 * 1024 * 1024
HANG_GUARD_S = 30  # only a hung server takes this long; nothing here is timed


@pytest.fixture
def collector(tmp_path):
    with serve_collector(
        tmp_path / "collector.sqlite3",
        [("3706", "small")],
        timeouts=Timeouts(header=1, body=1, keep_alive=1, shutdown=5),
    ) as running:
        yield running


def connect(collector: RunningCollector) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", collector.port))
    sock.settimeout(HANG_GUARD_S)
    return sock


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Read one HTTP/1.1 response with a Content-Length: status, headers, body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"the server closed the connection without answering: {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, value in (line.split(":", 1) for line in header_lines)
    }
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection in the middle of its answer"
        body += chunk
    return int(status_line.split()[1]), headers, body


def request_head(method: str, path: str, *extra: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", *extra, "", ""]
    return "\r\n".join(lines).encode()


def too_large_rows(collector: RunningCollector) -> list[dict[str, object]]:
    return [r for r in collector.store.audit_rows() if r["reason"] == "too_large"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/enroll"),
        ("POST", "/api/v1/batches"),
        ("GET", "/api/v1/health"),
        ("GET", "/"),
        ("POST", "/no/such/route"),
    ],
)
def test_a_body_declared_too_large_is_refused_before_any_of_it_is_sent(collector, method, path):
    with connect(collector) as sock:
        sock.sendall(
            request_head(
                method, path, "Content-Type: application/json", f"Content-Length: {FIFTY_MB}"
            )
        )
        status, headers, body = read_response(sock)  # not one byte of the body was sent
    assert status == 413
    if path.startswith("/api/"):  # a machine reads the answer
        assert headers["content-type"] == "application/json"
        answer = json.loads(body)
        assert answer["error"] == "too_large"
        assert "larger than" in answer["message"]
    else:  # a person reads it, in Thai unless they chose English
        assert headers["content-type"].startswith("text/html")
        assert "ข้อมูลที่ส่งมามากเกินไป" in body.decode()
    rows = too_large_rows(collector)
    assert len(rows) == 1  # audited once
    assert (rows[0]["kind"], rows[0]["source_addr"]) == ("refused", "127.0.0.1")


def test_a_console_form_pasted_past_its_limit_gets_a_page_and_saves_nothing(collector):
    """A name of 20,000 characters pasted into a console form (past the field's own limit,
    which a browser does not enforce on a paste into every field) is refused with a page in
    the officer's language, audited once, and nothing is saved."""
    form = {"year": "2570", "name_th": "ก" * 20_000, "csrf": "x"}
    answer = requests.post(
        f"{collector.url}/console/campaigns?lang=en", data=form, timeout=HANG_GUARD_S
    )
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert "Too much was sent" in answer.text
    assert "larger than 64 KB, so nothing was saved" in answer.text
    assert len(too_large_rows(collector)) == 1
    assert campaigns.every(collector.store) == []


def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(collector):
    with connect(collector) as sock:
        sock.sendall(
            request_head(
                "POST",
                "/api/v1/enroll",
                "Content-Type: application/json",
                "Transfer-Encoding: chunked",
            )
        )
        piece = b"x" * 4096
        for _ in range(MAX_BODY_BYTES // len(piece) + 1):  # one piece more than the limit
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
        # The body never ends (no last chunk): the answer cannot have waited for it.
        status, _, body = read_response(sock)
    assert status == 413
    assert json.loads(body)["error"] == "too_large"
    assert len(too_large_rows(collector)) == 1


def test_a_body_within_the_limit_reaches_the_route_whole_even_in_pieces(collector, make_kiosk):
    kiosk = make_kiosk()
    document = json.dumps(
        {"token": collector.store.issue_token("3706"), "public_key": kiosk.key.public_key_raw.hex()}
    ).encode()
    pieces = (document[i : i + 7] for i in range(0, len(document), 7))  # sent chunked
    answer = requests.post(
        f"{collector.url}/api/v1/enroll",
        data=pieces,
        headers={"content-type": "application/json"},
        timeout=HANG_GUARD_S,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["kiosk"] == kiosk.key.kiosk_id
    assert too_large_rows(collector) == []


def test_a_request_head_larger_than_the_limit_is_refused_and_its_connection_closed(collector):
    start = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
    with connect(collector) as sock:
        # One byte more than the limit, and the header never ends.
        sock.sendall(start + b"a" * (MAX_HEAD_BYTES + 1 - len(start)))
        status, _, body = read_response(sock)
        assert sock.recv(1) == b""  # then closed
    assert status == 431
    assert b"larger than" in body
    assert requests.get(f"{collector.url}/api/v1/health", timeout=HANG_GUARD_S).ok


def test_half_sent_or_silent_connections_are_closed_and_health_answers_meanwhile(collector):
    enroll = request_head("POST", "/api/v1/enroll", "Content-Type: application/json")
    health = request_head("GET", "/api/v1/health")
    slow: list[socket.socket] = []
    try:
        for i in range(200):
            sock = connect(collector)
            slow.append(sock)
            kind = i % 5
            if kind == 1:  # half a request line and its headers
                sock.sendall(enroll[: len(enroll) // 2])
            elif kind == 2:  # the headers and 10 of the 100 bytes of body they announce
                sock.sendall(enroll[:-2] + b"Content-Length: 100\r\n\r\n" + b"{" * 10)
            elif kind == 3:  # one whole request, answered; then half of the next
                sock.sendall(health)
                assert read_response(sock)[0] == 200
                sock.sendall(health[:20])
            elif kind == 4:  # one whole request, answered; then silence (keep-alive)
                sock.sendall(health)
                assert read_response(sock)[0] == 200
            # kind 0: connected, and sends nothing at all
        answer = requests.get(f"{collector.url}/api/v1/health", timeout=HANG_GUARD_S)
        assert answer.status_code == 200
        still_open = wait_until_closed_by_server(slow)
        assert not still_open, f"{len(still_open)} of 200 half-sent requests are still open"
    finally:
        for sock in slow:
            sock.close()
    assert requests.get(f"{collector.url}/api/v1/health", timeout=HANG_GUARD_S).ok


def wait_until_closed_by_server(socks: list[socket.socket]) -> list[socket.socket]:
    """Wait (up to the hang guard) for the server to close each socket; return those it did not.

    A socket is closed when reading it gives end of file (or a reset): no request on them is
    complete, so the server has nothing more to answer.
    """
    open_ = set(socks)
    deadline = time.monotonic() + HANG_GUARD_S
    with selectors.DefaultSelector() as selector:
        for sock in socks:
            selector.register(sock, selectors.EVENT_READ)
        while open_ and time.monotonic() < deadline:
            for key, _ in selector.select(timeout=0.5):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(65536)
                except ConnectionResetError:
                    data = b""
                assert not data, f"an answer to a half-sent request: {data!r}"
                selector.unregister(sock)
                open_.discard(sock)
    return list(open_)
