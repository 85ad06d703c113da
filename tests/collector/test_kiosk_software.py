"""Which software each kiosk runs, as its sender says it: kept by the collector, shown to officers.

A real kiosk sender (sync/uploader.py) sends to a real collector on 127.0.0.1; the version its
``User-Agent`` names shows on the console's kiosks page (Thai and English) and in
`sangsuk-collector kiosks`. The header is advice outside the signed batch: one not in the
strict form is ignored and the batch is taken as ever; a USB import and a replay leave the
version held as it is.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kiosk.version import running_version
from sync.uploader import Uploader
from tests.collector.test_collector_cli import Cli, write_batch
from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator
from tests.kiosks import Kiosk, enroll
from wire.keys import public_key_from_raw

VERSION = running_version()


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


def send(collector: RunningCollector, kiosk: Kiosk, first: int = 1, agent: str | None = None):
    """Send the kiosk's votes from seq first with the real sender (its own User-Agent unless
    another is given, as an older kiosk or something on the path would send)."""
    key = public_key_from_raw(bytes.fromhex(collector.collector_key_hex))
    with Uploader(collector.url, key) as up:
        if agent is not None:
            up.session.headers["User-Agent"] = agent
        return up.send_batch(kiosk.batch(first=first))


def row_of(page: str, kiosk: Kiosk) -> str:
    """The kiosks table's row of one kiosk."""
    match = re.search(rf'<tr[^>]*data-kiosk="{kiosk.key.kiosk_id}".*?</tr>', page, re.S)
    assert match, page
    return match.group(0)


def summary(page: str) -> str:
    """The software line above the table, as text."""
    match = re.search(r'<p class="software-summary".*?</p>', page, re.S)
    assert match, page
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def test_the_fleet_shows_the_version_each_kiosk_sender_names(collector, make_kiosk, capsys):
    new, old, usb_only = make_kiosk("new"), make_kiosk("old"), make_kiosk("usb")
    for k in (new, old, usb_only):
        enroll(collector.store, k)
        k.cast(4)
    assert send(collector, new).accepted == [(1, 4)]
    assert send(collector, old, agent="sangsuk-kiosk/0.0.9").accepted == [(1, 4)]
    cli = Cli(collector.db_path, capsys)
    assert cli("import", write_batch(Path(collector.db_path).parent / "usb", "u.json",
                                     usb_only.batch())) == 0  # fmt: skip

    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        log_in(client, name="viewer")
        thai = client.get("/kiosks").text
        english = client.get("/kiosks?lang=en").text
        only_old = client.get("/kiosks", params={"q": "0.0.9"}).text
    assert f'<td class="software">{VERSION}</td>' in row_of(thai, new)
    assert '<td class="software">0.0.9</td>' in row_of(thai, old)
    assert '<td class="software">–</td>' in row_of(thai, usb_only)
    assert "<th>รุ่นโปรแกรม</th>" in thai
    assert "<th>Software</th>" in english
    # Newest first; the kiosk heard from only by USB is not known.
    assert f"{VERSION} : 1 เครื่อง · 0.0.9 : 1 เครื่อง · ไม่ทราบ: 1 เครื่อง" in summary(thai)
    assert f"{VERSION} : 1 · 0.0.9 : 1 · unknown: 1" in summary(english)
    assert old.key.kiosk_id in only_old
    assert new.key.kiosk_id not in only_old

    assert cli("kiosks", "--json") == 0
    listed = {k["kiosk"]: k["software"] for k in json.loads(cli.out)}
    assert listed == {new.key.kiosk_id: VERSION, old.key.kiosk_id: "0.0.9",
                      usb_only.key.kiosk_id: None}  # fmt: skip
    assert cli("kiosks") == 0
    assert "รุ่นโปรแกรม" in cli.out
    assert "software" in cli.out
    assert f"Software (revoked kiosks left out): {VERSION}: 1 · 0.0.9: 1 · unknown: 1" in cli.out
    assert f"รุ่นโปรแกรม (ไม่นับเครื่องที่ถูกเพิกถอน): {VERSION}: 1 เครื่อง" in cli.out


@pytest.mark.parametrize(
    "agent",
    [
        "python-requests/2.32.3",
        "sangsuk-kiosk/",
        "sangsuk-kiosk/" + "9" * 33,
        "sangsuk-kiosk/1.0 <script>",
        "sangsuk-kiosk/1.0/extra",
        "Sangsuk-Kiosk/1.0",
    ],
)
def test_a_header_not_in_the_strict_form_changes_nothing_and_the_batch_counts(
    collector, make_kiosk, agent
):
    k = make_kiosk()
    enroll(collector.store, k)
    k.cast(3)
    send(collector, k)
    k.cast(2)
    receipt = send(collector, k, first=4, agent=agent)
    assert receipt.accepted == [(4, 5)]
    status = collector.store.kiosk_status(k.key.kiosk_id)
    assert (status.software, status.votes) == (VERSION, 5)


def test_a_replay_or_a_usb_import_leaves_the_version_as_it_was(collector, make_kiosk, capsys):
    k = make_kiosk()
    enroll(collector.store, k)
    k.cast(3)
    send(collector, k)
    send(collector, k, agent="sangsuk-kiosk/9.9.9")  # the same votes again: nothing new
    assert collector.store.kiosk_status(k.key.kiosk_id).software == VERSION
    k.cast(2)
    cli = Cli(collector.db_path, capsys)
    path = write_batch(Path(collector.db_path).parent / "usb", "b.json", k.batch(first=4))
    assert cli("import", path) == 0
    status = collector.store.kiosk_status(k.key.kiosk_id)
    assert (status.software, status.votes) == (VERSION, 5)
