"""The campaign file for kiosks that only get USB sticks (``sangsuk-<year>.campaign.json``): in
the console's receipts zip, on the campaigns page (officers only), beside the receipts
`sangsuk-collector import` writes; and a stick that carries one back imports without refusing it.

A real collector (SQLite) served over HTTP, an officer logged in through the login form, a
kiosk's own export; every notice is checked as the kiosk checks it (wire/campaign.read_notice)
against the collector's key.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from collector.cli import main
from collector.keys import load_collector_key
from collector.store import CollectorStore, campaigns
from sync import usb
from tests.collector.campaign_data import C2569, C2570, utc
from tests.collector.test_console_import import download, export_to_stick, upload
from tests.collector_server import RunningCollector, serve_collector
from tests.console import csrf_of, log_in, make_operator
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll
from wire.campaign import read_notice
from wire.clock import thai_day
from wire.ed25519 import PublicKey
from wire.stick import receipt_file_for

DURING_2569 = utc(2026, 11, 15, 3)
BETWEEN = utc(2026, 12, 10, 3)  # 2569 is over, 2570 starts on 1 Nov 2027


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        running.store.clock = FakeClock(DURING_2569)
        yield running


@pytest.fixture
def officer(collector: RunningCollector) -> Iterator[httpx.Client]:
    make_operator(collector.store, "somchai", "officer")
    with httpx.Client(base_url=collector.url, timeout=60) as client:
        log_in(client, name="somchai")
        yield client


@pytest.fixture
def kiosk(make_kiosk, collector: RunningCollector) -> Kiosk:
    made = make_kiosk()
    enroll(collector.store, made)
    return made


def pinned(collector: RunningCollector) -> PublicKey:
    """The collector key a kiosk pins at enrollment."""
    return load_collector_key(collector.db_path).public_key


def csrf(client: httpx.Client) -> str:
    """The CSRF value of the import page's form."""
    return csrf_of(client.get("/console/import").text)


def zipped(answer: httpx.Response) -> dict[str, bytes]:
    assert answer.status_code == 200, answer.text
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- the console ------------------------------------------------------------------------------


def test_the_receipts_zip_carries_the_campaign_beside_the_receipts(
    collector, officer, kiosk, tmp_path
):
    campaigns.add(collector.store, C2569)
    kiosk.cast(15)
    stick = tmp_path / "usb"
    batches = export_to_stick(kiosk, stick)
    imported = upload(officer, csrf(officer), folder=stick)
    assert imported.status_code == 200, imported.text
    assert "ไฟล์ zip มีไฟล์แคมเปญปี 2569 (sangsuk-2569.campaign.json) อยู่ด้วย" in imported.text

    flat = zipped(download(officer, imported.text, "zip"))
    receipts = {receipt_file_for(b).name for b in batches}
    assert set(flat) == receipts | {"sangsuk-2569.campaign.json"}
    notice = read_notice(flat["sangsuk-2569.campaign.json"], pinned(collector))
    assert (notice.year, notice.name_th, notice.slogan_en) == (
        2569, "ประเมินอำเภอ ๒๕๖๙", "Your voice matters",
    )  # fmt: skip
    assert (notice.starts_at, notice.ends_at) == (C2569.starts_at, C2569.ends_at)

    laid_out = zipped(download(officer, imported.text, "zip-folders"))
    assert set(laid_out) == {f"usb/{name}" for name in receipts | {"sangsuk-2569.campaign.json"}}
    read_notice(laid_out["usb/sangsuk-2569.campaign.json"], pinned(collector))

    # The same stick again, now carrying the campaign file: it is skipped, not refused.
    (stick / "sangsuk-2569.campaign.json").write_bytes(flat["sangsuk-2569.campaign.json"])
    again = upload(officer, csrf(officer), folder=stick)
    assert again.status_code == 200
    assert 'data-outcome="refused"' not in again.text
    assert 'data-kind="campaign"' in again.text
    assert "ไฟล์แคมเปญ (*.campaign.json) 1 ไฟล์: sangsuk-2569.campaign.json" in again.text
    assert not [r for r in collector.store.audit_rows() if r["kind"] == "refused"]


def test_between_campaigns_the_zip_carries_the_ended_one_with_its_end(
    collector, officer, kiosk, tmp_path
):
    campaigns.add(collector.store, C2569)
    campaigns.add(collector.store, C2570)  # defined for next November
    collector.store.clock = FakeClock(BETWEEN)
    log_in(officer, name="somchai")  # the November login has expired
    kiosk.cast(5)
    stick = tmp_path / "usb"
    export_to_stick(kiosk, stick)
    imported = upload(officer, csrf(officer), folder=stick)
    files = zipped(download(officer, imported.text, "zip"))
    notice = read_notice(files["sangsuk-2569.campaign.json"], pinned(collector))
    assert notice.ends_at == C2569.ends_at < "2026-12-10T03:00:00.000Z"
    assert "sangsuk-2570.campaign.json" not in files  # not before its first day
    served = read_notice(httpx.get(f"{collector.url}/api/v1/campaign").content, pinned(collector))
    assert (served.year, served.ends_at) == (2569, C2569.ends_at)  # what the network kiosks get

    page = officer.get("/console/campaigns?lang=en").text
    assert "This campaign ended on 30 Nov 2026" in page
    assert "Campaign 2570 starts on 1 Nov 2027" in page
    assert 'href="/console/campaigns/notice"' in page
    th = officer.get("/console/campaigns?lang=th").text
    assert "แคมเปญนี้สิ้นสุดแล้วเมื่อ 30 พ.ย. 2569" in th
    assert "แคมเปญปี 2570 เริ่ม 1 พ.ย. 2570" in th


def test_without_a_started_campaign_the_zip_has_only_receipts(collector, officer, kiosk, tmp_path):
    kiosk.cast(5)
    batches = export_to_stick(kiosk, tmp_path / "usb")
    imported = upload(officer, csrf(officer), files=batches)
    assert "ยังไม่มีแคมเปญที่เริ่มแล้ว ไฟล์ zip จึงมีเพียงใบตอบรับ" in imported.text
    files = zipped(download(officer, imported.text, "zip"))
    assert set(files) == {receipt_file_for(b).name for b in batches}

    for lang, said in (
        ("th", "ยังไม่มีแคมเปญที่เริ่มแล้ว จึงไม่มีไฟล์แคมเปญให้ส่งไปที่ตู้"),
        ("en", "No campaign has started yet, so there is no campaign file to send"),
    ):
        page = officer.get(f"/console/campaigns?lang={lang}").text
        assert said in page
        assert 'href="/console/campaigns/notice"' not in page
    answer = officer.get("/console/campaigns/notice", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/console/campaigns#usb"


def test_the_campaigns_page_gives_the_campaign_file(collector, officer):
    campaigns.add(collector.store, C2569)
    th = officer.get("/console/campaigns?lang=th").text
    assert "ไฟล์แคมเปญสำหรับตู้ที่ใช้แฟลชไดรฟ์" in th
    assert "ดาวน์โหลดไฟล์แคมเปญสำหรับตู้ที่ใช้แฟลชไดรฟ์ (sangsuk-2569.campaign.json)" in th
    assert "“ประเมินอำเภอ ๒๕๖๙” (1 พ.ย. 2569 – 30 พ.ย. 2569)" in th
    assert "สิ้นสุดแล้วเมื่อ" not in th
    en = officer.get("/console/campaigns?lang=en").text
    assert "Download the campaign file for USB kiosks (sangsuk-2569.campaign.json)" in en
    assert "“District rating 2569”" in en

    answer = officer.get("/console/campaigns/notice")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["cache-control"] == "no-store"
    disposition = answer.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "sangsuk-2569.campaign.json"
    notice = read_notice(answer.content, pinned(collector))
    assert (notice.year, notice.name_en, notice.issued_at) == (
        2569, "District rating 2569", "2026-11-15T03:00:00.000Z",
    )  # fmt: skip


def test_only_an_officer_downloads_the_campaign_file(collector):
    campaigns.add(collector.store, C2569)
    make_operator(collector.store, "viewer", "viewer")
    with httpx.Client(base_url=collector.url, timeout=30) as client:
        anonymous = client.get("/console/campaigns/notice", follow_redirects=False)
        assert anonymous.status_code in (303, 401)
        assert b"sangsuk-campaign" not in anonymous.content
        log_in(client, name="viewer")
        refused = client.get("/console/campaigns/notice")
        assert refused.status_code == 403
        assert b"sangsuk-campaign" not in refused.content
        assert "บัญชีของท่านไม่มีสิทธิ์ทำสิ่งนี้" in refused.text


# --- the command line -------------------------------------------------------------------------


def around_today(before: int, after: int) -> campaigns.Campaign:
    """A campaign from `before` days ago to `after` days from today (the command line runs on
    the real clock), in the Buddhist-era year its first day falls in."""
    today = thai_day(datetime.now(UTC))
    first, last = today - timedelta(days=before), today + timedelta(days=after)
    return campaigns.make(
        year_of(first), "ประเมินอำเภอ", "District rating", first.isoformat(), last.isoformat(),
        "เสียงของคุณสำคัญ", "Your voice matters",
    )  # fmt: skip


def year_of(day: date) -> int:
    return day.year + campaigns.BE_OFFSET


def test_the_command_line_import_writes_the_campaign_beside_the_receipts(
    make_kiosk, tmp_path, capsys
):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    running = around_today(10, 20)
    with CollectorStore(db) as store:
        campaigns.add(store, running)
        made = make_kiosk()
        enroll(store, made)
    made.cast(12)
    stick = tmp_path / "stick"
    stick.mkdir()
    files = usb.export_batches(made.ledger, made.key, made.district, stick, 10)
    capsys.readouterr()
    assert main(["import", str(stick), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    name = f"sangsuk-{running.year}.campaign.json"
    assert f"Campaign {running.year} file written to {stick / name}" in out
    assert f"เขียนไฟล์แคมเปญปี {running.year} ไว้ที่ {stick / name}" in out
    key = load_collector_key(db).public_key
    notice = read_notice((stick / name).read_bytes(), key)
    assert (notice.year, notice.ends_at) == (running.year, running.ends_at)
    assert all(receipt_file_for(f).is_file() for f in files)

    # Receipts written to another folder: the campaign goes there, with them.
    elsewhere = tmp_path / "receipts"
    elsewhere.mkdir()
    assert main(["import", str(stick), "--receipts", str(elsewhere), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Skipped 1 campaign notice (*.campaign.json)" in out
    assert "REFUSED" not in out
    read_notice((elsewhere / name).read_bytes(), key)


def test_the_command_line_import_says_when_there_is_no_campaign_to_write(
    make_kiosk, tmp_path, capsys
):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        made = make_kiosk()
        enroll(store, made)
    made.cast(3)
    stick = tmp_path / "stick"
    stick.mkdir()
    usb.export_batches(made.ledger, made.key, made.district, stick, 10)
    capsys.readouterr()
    assert main(["import", str(stick), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "No campaign has started yet, so no campaign file was written." in out
    assert "ยังไม่มีแคมเปญที่เริ่มแล้ว จึงไม่ได้เขียนไฟล์แคมเปญ" in out
    assert not list(stick.glob("*.campaign.json"))


def test_a_campaign_file_on_the_stick_is_skipped_not_refused(make_kiosk, tmp_path, capsys):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        made = make_kiosk()
        enroll(store, made)
    made.cast(3)
    stick = tmp_path / "stick"
    stick.mkdir()
    usb.export_batches(made.ledger, made.key, made.district, stick, 10)
    (stick / "sangsuk-2569.campaign.json").write_text('{"kind": "sangsuk-campaign"}')
    capsys.readouterr()
    assert main(["import", str(stick), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Skipped 1 campaign notice (*.campaign.json): sangsuk-2569.campaign.json." in out
    assert "ไฟล์แคมเปญ (*.campaign.json) 1 ไฟล์: sangsuk-2569.campaign.json" in out
    assert "REFUSED" not in out
    with CollectorStore(db) as store:
        assert not [r for r in store.audit_rows() if r["kind"] == "refused"]


def test_a_campaign_file_that_cannot_be_written_is_said_and_fails_the_import(
    make_kiosk, tmp_path, capsys
):
    db = tmp_path / "central" / "collector.sqlite3"
    assert main(["districts", "--load", "demo", "--db", str(db)]) == 0
    running = around_today(10, 20)
    with CollectorStore(db) as store:
        campaigns.add(store, running)
        made = make_kiosk()
        enroll(store, made)
    made.cast(3)
    stick = tmp_path / "stick"
    stick.mkdir()
    files = usb.export_batches(made.ledger, made.key, made.district, stick, 10)
    name = f"sangsuk-{running.year}.campaign.json"
    (stick / name).mkdir()  # in the way: the file cannot be written there
    capsys.readouterr()
    assert main(["import", str(stick), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert f"The campaign file {stick / name} could not be written" in out
    assert f"campaigns notice --to {stick / name}" in out
    assert f"เขียนไฟล์แคมเปญ {stick / name} ไม่ได้" in out
    assert all(receipt_file_for(f).is_file() for f in files)  # the votes and receipts stand
    with CollectorStore(db) as store:
        assert store.total_votes() == 3
