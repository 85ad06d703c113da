"""The collector serves the kiosk update repository read-only at /updates/ when
$SANGSUK_UPDATES_DIR names one (collector/routes/updates.py), and a kiosk updates from it.

A real collector served by uvicorn on 127.0.0.1 (tests/collector_server.py), a repository
made and signed by `sangsuk-release` (tests/updates_repo.py). Nothing but the repository's own
files is served: no listing, no dotted or slashed names, no way out of the folder, 404 when
the setting is unset.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from collector.settings import UPDATES_DIR_ENV, Settings
from tests.collector_server import serve_collector
from tests.updates_repo import install, kiosk, make_office


@pytest.fixture
def office(tmp_path: Path):
    """The central office with releases 0.1.0 and 0.2.0."""
    office = make_office(tmp_path / "office")
    office.release("0.1.0")
    office.release("0.2.0")
    return office


def test_a_kiosk_updates_from_the_collector(
    tmp_path: Path, office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(UPDATES_DIR_ENV, str(office.repo))
    tablet = install(tmp_path / "opt", office.bundles / "0.1.0", "0.1.0")
    with serve_collector(tmp_path / "collector.sqlite3") as collector:
        updates = kiosk(tablet.root, office, "0.1.0")
        offer = updates.check(f"{collector.url}/updates")
        assert offer is not None
        assert (offer.version, offer.source) == ("0.2.0", f"{collector.url}/updates")
        assert updates.stage(f"{collector.url}/updates") == "0.2.0"
    assert updates.apply_pending() == "0.2.0"
    assert os.readlink(tablet.current) == "versions/0.2.0"
    assert os.readlink(tablet.previous) == "versions/0.1.0"


def test_only_the_repository_files_are_served(
    tmp_path: Path, office, monkeypatch: pytest.MonkeyPatch
) -> None:
    (office.repo / "metadata" / ".hidden.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("not for kiosks")
    os.symlink(tmp_path / "secret.txt", office.repo / "targets" / "link.tar.gz")
    monkeypatch.setenv(UPDATES_DIR_ENV, str(office.repo))
    with serve_collector(tmp_path / "collector.sqlite3") as collector:
        base = f"{collector.url}/updates"
        served = requests.get(f"{base}/metadata/timestamp.json", timeout=10)
        assert served.status_code == 200
        assert served.content == (office.repo / "metadata/timestamp.json").read_bytes()
        assert served.headers["content-type"] == "application/json"
        archive = requests.get(f"{base}/targets/sangsuk-kiosk-0.2.0.tar.gz", timeout=10)
        assert archive.content == (office.repo / "targets/sangsuk-kiosk-0.2.0.tar.gz").read_bytes()

        for path in (
            "/updates/metadata/",  # no listing
            "/updates/targets/",
            "/updates/",
            "/updates/metadata/.hidden.json",
            "/updates/metadata/nothing.json",
            "/updates/targets/link.tar.gz",  # a link, even inside the folder
            "/updates/metadata/..%2f..%2fsecret.txt",
            "/updates/metadata/%2e%2e%2fkeys%2froot",
            "/updates/targets/..%5c..%5csecret.txt",
            "/updates/metadata/../../secret.txt",
            "/updates/keys/root",
            "/updates/../secret.txt",
        ):
            answer = requests.get(collector.url + path, timeout=10)
            assert answer.status_code == 404, path
            assert b"not for kiosks" not in answer.content
            assert b"private" not in answer.content.lower()


def test_nothing_is_served_when_the_setting_is_unset(
    tmp_path: Path, office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UPDATES_DIR_ENV, raising=False)
    with serve_collector(tmp_path / "collector.sqlite3") as collector:
        for path in ("/updates/metadata/root.json", "/updates/metadata/timestamp.json"):
            assert requests.get(collector.url + path, timeout=10).status_code == 404


def test_the_setting_reaches_every_serving_process(
    tmp_path: Path, office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(UPDATES_DIR_ENV, raising=False)
    settings = Settings.from_env(tmp_path / "c.sqlite3", 1, False, 300.0, office.repo)
    assert settings.environ()[UPDATES_DIR_ENV] == str(office.repo.absolute())
    unset = Settings.from_env(tmp_path / "c.sqlite3", 1, False, 300.0)
    assert UPDATES_DIR_ENV not in unset.environ()
