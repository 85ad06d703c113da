"""serve --server-name: the pages answer only the names given, but the health check answers a
load balancer that asks by address; HEAD works wherever GET does; each refused Host is logged
once; the start-up banner gives the address that answers."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
import urllib.request

import httpx
import pytest

from tests.collector.test_collector_cli import ROOT, free_port, run_module
from tests.collector_server import serve_collector

NAME = "sangsuk.example.go.th"


@pytest.fixture
def named(tmp_path, monkeypatch):
    monkeypatch.setenv("SANGSUK_SERVER_NAMES", NAME)
    with (
        serve_collector(tmp_path / "c.sqlite3") as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        yield client


def test_the_health_check_answers_any_host_and_the_pages_only_the_names(named):
    for host in ("10.0.0.7:8081", "127.0.0.1", "evil.example"):
        answer = named.get("/api/v1/health", headers={"host": host})
        assert answer.status_code == 200, host
        assert answer.json()["status"] == "ok"
    assert named.get("/", headers={"host": "10.0.0.7"}).status_code == 400
    assert named.get("/login", headers={"host": "evil.example"}).status_code == 400
    assert named.get("/", headers={"host": f"{NAME}:8081"}).status_code == 200


def test_head_answers_as_get_without_a_body(named):
    for path in ("/api/v1/health", "/", "/login"):
        got = named.get(path, headers={"host": NAME})
        head = named.head(path, headers={"host": NAME})
        assert (head.status_code, got.status_code) == (200, 200), path
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "content-security-policy" in head.headers
    assert named.head("/", headers={"host": "10.0.0.7"}).status_code == 400


def test_a_refused_host_is_logged_once_with_the_hint(named, caplog):
    caplog.set_level(logging.WARNING, logger="collector.hosts")
    for _ in range(20):  # a flood from one monitoring tool
        assert named.get("/", headers={"host": "10.0.0.7"}).status_code == 400
    named.get("/", headers={"host": "sangsuk.local"})
    lines = [r.getMessage() for r in caplog.records if r.name == "collector.hosts"]
    assert len(lines) == 2
    assert "Host 10.0.0.7" in lines[0]
    assert "--server-name" in lines[0]
    assert NAME in lines[0]
    assert "Host sangsuk.local" in lines[1]


def test_the_banner_gives_the_server_name_and_a_health_check_by_address_answers(tmp_path):
    db = tmp_path / "c.sqlite3"
    assert run_module("districts", "--load", "demo", "--db", db).returncode == 0
    port = free_port()
    out = (tmp_path / "serve.out").open("wb")
    command = [sys.executable, "-m", "collector", "serve", "--db", str(db), "--port", str(port)]
    child = subprocess.Popen(
        [*command, "--server-name", NAME, "--language", "en"], cwd=ROOT, stdout=out
    )
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/health"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    status = answer.status
                break
            except OSError:
                time.sleep(0.2)  # polling another process; there is no signal to wait on
        assert status == 200
    finally:
        child.terminate()
        child.wait(timeout=30)
        out.close()
    said = (tmp_path / "serve.out").read_text(encoding="utf-8")
    assert f"Serving http://{NAME}:{port} (the console: http://{NAME}:{port}/console)" in said
