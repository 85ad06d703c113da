"""An update source that cannot be read is said in words a clerk can act on, in Thai and English
(refused, no answer in time, name not found, certificate not trusted, an HTTP error); the raw
Python error is kept for the log only (kiosk/update_fetch.py, kiosk/update_reasons.py).

Real sockets on this machine: a port nobody listens on, a server that accepts and never answers,
a name under .invalid (which never resolves), an https server with a private certificate, and
an http server answering 500.
"""

from __future__ import annotations

import functools
import logging
import shutil
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.update_fetch import Session, Source
from kiosk.update_install import InstallPaths, linked_version
from kiosk.update_reasons import Reason, Refusal, UpdateError
from tests.updates_repo import Office, kiosk
from wire.agent import reported_version

RAW = ("HTTPConnectionPool", "Max retries", "Errno", "Error(", "urllib3", "object at 0x")


def refusal(run: object) -> Reason:
    with pytest.raises(UpdateError) as caught:
        run()  # type: ignore[operator]
    reason = caught.value.reason
    assert reason.kind is Refusal.UNREACHABLE
    for raw in RAW:
        assert raw not in reason.en, reason.en
        assert raw not in reason.th, reason.th
    assert reason.en.endswith("The running version carries on as before.")
    return reason


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_said_in_words_and_the_raw_error_is_logged(
    office: Office, tablet: InstallPaths, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{free_port()}/updates"
    updates = kiosk(tablet.root, office, "0.1.0")
    with caplog.at_level(logging.WARNING, logger="kiosk.update_fetch"):
        reason = refusal(lambda: updates.check(url))
    assert reason.en.startswith(
        f"Cannot read the update source {url}: the connection was refused (the collector may be "
        "off, or the address or port is wrong); try again once that is fixed."
    )
    assert reason.th.startswith(f"อ่านแหล่งอัปเดต {url} ไม่ได้: เครื่องปลายทางไม่รับการเชื่อมต่อ")
    assert updates.status().last_refusal == reason  # what the clerk's card shows
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "Connection refused" in logged  # the detail, for the officer reading the log
    assert linked_version(tablet.current) == "0.1.0"


def test_a_name_that_does_not_resolve_says_to_check_the_address(
    office: Office, tablet: InstallPaths
) -> None:
    url = "http://collector.sangsuk.invalid/updates"
    reason = refusal(lambda: kiosk(tablet.root, office, "0.1.0").check(url))
    assert "the server's name was not found (check the collector's address" in reason.en
    assert "ไม่พบชื่อเครื่องนี้" in reason.th


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A port that accepts connections and never answers; its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/updates"
    finally:
        server.close()


def test_no_answer_in_time_is_a_timeout(
    office: Office, tablet: InstallPaths, silent_server: str
) -> None:
    tablet.metadata.mkdir(parents=True)
    shutil.copy(office.trusted_root, tablet.metadata / "root.json")
    session = Session(tablet, Source.of(silent_server, timeout_s=1))  # the kiosk waits 30 s
    reason = refusal(session.refresh)
    assert "no answer in time (the network is slow or down)" in reason.en
    assert "ไม่มีคำตอบภายในเวลาที่กำหนด" in reason.th


def test_an_untrusted_certificate_is_said_as_such(
    office: Office,
    tablet: InstallPaths,
    https_repo: tuple[str, Path],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, _cert = https_repo
    with caplog.at_level(logging.WARNING, logger="kiosk.update_fetch"):
        reason = refusal(lambda: kiosk(tablet.root, office, "0.1.0").check(url))
    assert "the collector's security certificate could not be verified" in reason.en
    assert "check the certificate file set for this kiosk, and its clock" in reason.en
    assert "ใบรับรองความปลอดภัยของเครื่องรับผลตรวจไม่ผ่าน" in reason.th
    assert "CERTIFICATE_VERIFY_FAILED" in "\n".join(r.getMessage() for r in caplog.records)


class _Broken(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_error(500, "broken")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def broken_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Broken)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), name="broken")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/updates"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_a_server_error_names_its_status(
    office: Office, tablet: InstallPaths, broken_server: str
) -> None:
    reason = refusal(lambda: kiosk(tablet.root, office, "0.1.0").check(broken_server))
    assert "the server answered with an error (HTTP 500)" in reason.en
    assert "HTTP 500" in reason.th


class _Recording(SimpleHTTPRequestHandler):
    """Serves the office's repository and writes down each request's path and User-Agent."""

    def __init__(self, *args: object, heard: list[tuple[str, str | None]], **kwargs: object):
        self.heard = heard
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def do_GET(self) -> None:
        self.heard.append((self.path, self.headers.get("User-Agent")))
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def recording_repo(office: Office) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """The office's repository over http, remembering every request; (URL, what was heard)."""
    heard: list[tuple[str, str | None]] = []
    handler = functools.partial(_Recording, directory=str(office.repo), heard=heard)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), name="recording")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", heard
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def test_every_update_download_names_the_running_kiosk_version(
    office: Office,
    tablet: InstallPaths,
    recording_repo: tuple[str, list[tuple[str, str | None]]],
) -> None:
    """The collector sees which version fetched its updates, as it sees the sender's batches:
    the same strict header on the metadata and on the release's archive."""
    url, heard = recording_repo
    assert kiosk(tablet.root, office, "0.1.0").stage(url) == "0.2.0"
    paths = [path for path, _agent in heard]
    assert any(path.endswith("timestamp.json") for path in paths)
    assert any("/targets/" in path for path in paths), paths  # the archive or the patch
    assert {agent for _path, agent in heard} == {"sangsuk-kiosk/0.1.0"}
    assert reported_version("sangsuk-kiosk/0.1.0") == "0.1.0"  # the form the collector keeps
