"""A kiosk run without its window learns the campaign too: `sangsuk-kiosk sync --once` asks the
collector for it after sending, `import-receipt` keeps the notice on the stick (or a notice
file named itself), and `status` names the campaign kept and where it stands today, in Thai
and English. Real parts: a collector served by uvicorn, its signed notices written by
`sangsuk-collector campaigns notice`, the kiosk's ledger and key."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli.main import main as collector_main
from collector.store import campaigns
from kiosk.campaign import load_campaign
from kiosk.config import load_config
from sync import operations
from tests.collector_server import RunningCollector, serve_collector
from tests.sync.test_campaign_refresh import load_notice
from tests.sync.test_resend import cast, run
from wire.campaign import sign_notice
from wire.clock import THAI_TIME
from wire.stick import receipt_file_for

TODAY = datetime.now(THAI_TIME).date()  # the served collector and the command run on the real clock
YEAR = TODAY.year + 543
MONTHS_TH = ["มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
             "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"]  # fmt: skip


def thai_day(day) -> str:
    return f"{day.day} {MONTHS_TH[day.month - 1]} {day.year + 543}"


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def kiosk(tmp_path: Path, collector: RunningCollector) -> Path:
    folder = tmp_path / "kiosk"
    assert operations.enroll(folder, collector.url, collector.store.issue_token("3706")).ok
    return folder


def define(collector: RunningCollector, year: int, first, last) -> None:
    campaigns.add(
        collector.store,
        campaigns.make(year, f"ประเมินความพึงพอใจอำเภอ ปี {year}", f"District satisfaction {year}",
                       str(first), str(last), "เสียงของคุณสำคัญ", "Your voice matters"),
    )  # fmt: skip


def notice_to(collector: RunningCollector, year: int, path: Path) -> Path:
    db = str(collector.db_path)
    assert (
        collector_main(["campaigns", "--db", db, "notice", "--year", str(year), "--to", str(path)])
        == 0
    )
    return path


def test_sync_once_asks_for_the_campaign_and_status_names_it(kiosk, collector, capsys):
    first, last = TODAY - timedelta(days=1), TODAY + timedelta(days=30)
    define(collector, YEAR, first, last)
    cast(kiosk, 3, seed=1)
    code, out, err = run(capsys, "sync", "--once", "--data-dir", str(kiosk))
    assert code == 0, err
    assert (
        f"แคมเปญ: ประเมินความพึงพอใจอำเภอ ปี {YEAR} (ปี พ.ศ. {YEAR}) ตั้งแต่ {thai_day(first)} ถึง {thai_day(last)}"
        in out
    )
    assert f"Campaign: District satisfaction {YEAR} (year {YEAR}), from" in out
    kept = load_campaign(kiosk, load_config(kiosk))
    assert kept is not None
    assert kept.year == YEAR
    code, out, err = run(capsys, "status", "--data-dir", str(kiosk))
    assert code == 0, err
    assert f"แคมเปญ: ประเมินความพึงพอใจอำเภอ ปี {YEAR}" in out
    assert "ได้รับแคมเปญจากระบบกลางล่าสุดเมื่อ" in out
    assert "Campaign last heard from the central collector on" in out
    code, out, err = run(capsys, "status", "--json", "--data-dir", str(kiosk))
    info = json.loads(out)["campaign"]
    assert (info["year"], info["phase"], info["heard_from"]) == (YEAR, "running", "collector")
    assert (info["first_day"], info["last_day"]) == (str(first), str(last))


def test_sync_once_with_nothing_to_send_still_asks_and_says_none_heard(kiosk, capsys):
    code, out, err = run(capsys, "sync", "--once", "--data-dir", str(kiosk))
    assert code == 0, err
    assert "แคมเปญ: ยังไม่ได้รับ ตู้แสดงคำต้อนรับทั่วไป" in out
    assert "Campaign: none heard yet; the kiosk shows the default welcome." in out
    code, out, err = run(capsys, "status", "--json", "--data-dir", str(kiosk))
    assert json.loads(out)["campaign"] is None


def test_import_receipt_keeps_the_notice_beside_the_receipt(kiosk, collector, capsys, tmp_path):
    """The USB round trip: the receipt and the next campaign's notice come back on the stick."""
    first, last = TODAY + timedelta(days=3), TODAY + timedelta(days=90)
    upcoming = first.year + 543  # a campaign's year is the one its first day falls in (or the next)
    define(collector, upcoming, first, last)  # a campaign not begun yet
    cast(kiosk, 4, seed=2)
    stick = tmp_path / "usb"
    stick.mkdir()
    code, _out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(kiosk))
    assert code == 0, err
    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0
    notice_to(collector, upcoming, stick / f"sangsuk-{upcoming}.campaign.json")
    capsys.readouterr()
    (batch,) = sorted(stick.glob("*.batch.json"))
    code, out, err = run(
        capsys, "import-receipt", str(receipt_file_for(batch)), "--data-dir", str(kiosk)
    )
    assert code == 0, err
    assert "marked 4 votes as delivered" in out
    assert (
        f"แคมเปญ: ประเมินความพึงพอใจอำเภอ ปี {upcoming} (ปี พ.ศ. {upcoming}) เริ่มวันที่ {thai_day(first)}"
        " ก่อนถึงวันนั้นตู้แสดงคำต้อนรับทั่วไป"
    ) in out
    assert "Campaign read from a USB stick on" in out
    kept = load_campaign(kiosk, load_config(kiosk))
    assert kept is not None
    assert kept.year == upcoming


def test_import_receipt_of_a_notice_file_says_an_ended_campaign_plainly(
    kiosk, collector, capsys, tmp_path
):
    first, last = TODAY - timedelta(days=60), TODAY - timedelta(days=1)
    past = first.year + 543
    define(collector, past, first, last)
    notice = notice_to(collector, past, tmp_path / f"sangsuk-{past}.campaign.json")
    code, out, err = run(capsys, "import-receipt", str(notice), "--data-dir", str(kiosk))
    assert code == 0, err
    assert (
        f"แคมเปญ: ประเมินความพึงพอใจอำเภอ ปี {past} (ปี พ.ศ. {past}) สิ้นสุดแล้วเมื่อ {thai_day(last)}"
        " ผลการประเมินจะไม่นับเข้าแคมเปญใดจนกว่าส่วนกลางจะส่งแคมเปญถัดไปมา โปรดติดต่อส่วนกลาง"
    ) in out
    assert "Votes now count in no campaign until the central office sends the next one" in out
    code, out, err = run(capsys, "status", "--json", "--data-dir", str(kiosk))
    assert json.loads(out)["campaign"]["phase"] == "ended"


def test_a_notice_signed_by_another_collector_is_refused_in_words(
    kiosk, collector, capsys, tmp_path
):
    define(collector, YEAR, TODAY - timedelta(days=1), TODAY + timedelta(days=30))
    notice = notice_to(collector, YEAR, tmp_path / f"sangsuk-{YEAR}.campaign.json")
    notice.write_bytes(sign_notice(Ed25519PrivateKey.generate(), load_notice(notice)))
    code, _out, err = run(capsys, "import-receipt", str(notice), "--data-dir", str(kiosk))
    assert code == 1
    assert f"ไฟล์แคมเปญ {notice.name} ไม่ได้มาจากส่วนกลางของตู้นี้ จึงไม่ได้นำมาใช้ โปรดติดต่อส่วนกลาง" in err
    assert "is not from this kiosk's central office and was not used" in err
    assert load_campaign(kiosk, load_config(kiosk)) is None
    notice.write_bytes(b"{not a notice")
    code, _out, err = run(capsys, "import-receipt", str(notice), "--data-dir", str(kiosk))
    assert code == 1
    assert f"อ่านไฟล์แคมเปญ {notice.name} ไม่ได้ จึงไม่ได้นำมาใช้" in err


def test_a_kiosk_not_enrolled_cannot_check_a_notice(collector, capsys, tmp_path):
    define(collector, YEAR, TODAY - timedelta(days=1), TODAY + timedelta(days=30))
    notice = notice_to(collector, YEAR, tmp_path / f"sangsuk-{YEAR}.campaign.json")
    folder = tmp_path / "new-kiosk"
    code, _out, err = run(capsys, "import-receipt", str(notice), "--data-dir", str(folder))
    assert code == 1
    assert "ตู้นี้ยังไม่ได้ลงทะเบียน จึงยังตรวจไฟล์แคมเปญไม่ได้" in err
