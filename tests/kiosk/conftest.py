"""Fixtures of the kiosk's update tests: a central office with two signed releases, a tablet
installed with the first (tests/updates_repo.py makes both), and the office's repository served
over https with a private certificate."""

from __future__ import annotations

import functools
import ssl
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from kiosk.update_install import InstallPaths
from tests.tls import self_signed
from tests.updates_repo import Office, install, make_office


@pytest.fixture
def office(tmp_path: Path) -> Office:
    """The central office with releases 0.1.0 (installed on the tablet) and 0.2.0."""
    office = make_office(tmp_path / "office")
    office.release("0.1.0")
    office.release("0.2.0")
    return office


@pytest.fixture
def tablet(tmp_path: Path, office: Office) -> InstallPaths:
    """A tablet running 0.1.0 from /opt/sangsuk's layout (in tmp_path)."""
    return install(tmp_path / "opt", office.bundles / "0.1.0", "0.1.0")


@pytest.fixture
def https_repo(tmp_path: Path, office: Office) -> Iterator[tuple[str, Path]]:
    """The office's repository served over https with a private certificate; (URL, cert)."""
    cert, key = self_signed(tmp_path)
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(office.repo))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), name="https-repo")
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
