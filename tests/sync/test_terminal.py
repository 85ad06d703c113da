"""`sangsuk-kiosk enroll | sync | status | export | import-receipt` against a real collector."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from collector.keys import load_collector_key
from kiosk.config import ConfigError, KioskConfig, load_config, save_config
from kiosk.demo import random_ballot
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from sync import terminal
from sync.terminal import Said, said
from sync.uploader import uploader_for
from tests.collector_server import RunningCollector, serve_collector
from ui.cli import main
from ui.cli_words import Speaker
from wire import keys
from wire.batch import check_batch
from wire.keys import fingerprint_for
from wire.receipt import sign_receipt
from wire.stick import receipt_file_for


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(
        tmp_path / "collector.sqlite3", [("3706", "small"), ("4712", "large")]
    ) as running:
        yield running


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "kiosk"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def status_json(capsys, data_dir: Path) -> dict:
    code, out, _ = run(capsys, "status", "--json", "--data-dir", str(data_dir))
    assert code == 0
    return json.loads(out)


def enroll(capsys, collector: RunningCollector, data_dir: Path, district: str = "3706"):
    token = collector.store.issue_token(district)
    return run(
        capsys,
        "enroll",
        "--collector",
        collector.url,
        "--token",
        token,
        "--data-dir",
        str(data_dir),
    )


def cast(capsys, data_dir: Path, n: int) -> None:
    """n realistic votes, as citizens cast them: `demo-votes` is for a demo kiosk only."""
    config = load_config(data_dir)
    if config.demo:
        code, _, err = run(capsys, "demo-votes", "--count", str(n), "--data-dir", str(data_dir))
        assert code == 0, err
        return
    rng = random.Random(n)
    with Ledger.open(data_dir, keys.load_or_create(data_dir)) as ledger:
        ledger.cast_many([random_ballot(rng, config.district) for _ in range(n)])


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


# --- enroll, cast, sync, status ---------------------------------------------------------------


def test_enroll_cast_sync_then_status(capsys, collector, data_dir):
    code, out, err = enroll(capsys, collector, data_dir)
    assert code == 0, err
    assert out.index("ลงทะเบียนตู้ประเมิน") < out.index("Enrolled kiosk")  # Thai first
    assert "อำเภอ: 3706 หัวตะพาน จังหวัดอำนาจเจริญ กลุ่มขนาดเล็ก" in out
    assert "District: 3706 Hua Taphan, Amnat Charoen, size group small." in out
    # The short fingerprint printed on the token sheet, to compare, not the 64-digit key.
    sheet = fingerprint_for(bytes.fromhex(collector.collector_key_hex))
    assert f"Collector key fingerprint {sheet}: it must match the one on the enrollment" in out
    assert collector.collector_key_hex not in out
    config = load_config(data_dir)
    assert config.enrolled
    assert not config.demo
    assert (config.district, config.size_group) == ("3706", "small")
    assert config.collector_url == collector.url
    assert config.collector_key == collector.collector_key_hex

    cast(capsys, data_dir, 30)
    assert status_json(capsys, data_dir)["pending"] == 30

    code, out, err = run(capsys, "sync", "--once", "--data-dir", str(data_dir))
    assert code == 0, err
    assert "ส่งผลการประเมิน 30 รายการ ใน 1 ชุด: ส่งถึงใหม่ 30 รายการ ยังรอส่ง 0 รายการ" in out
    assert "Sent 30 votes in 1 batch: 30 newly delivered, 0 still pending." in out
    assert collector.store.total_votes() == 30

    info = status_json(capsys, data_dir)
    key = keys.load(data_dir / keys.KEY_FILE_NAME)
    assert info["kiosk_id"] == key.kiosk_id
    assert info["fingerprint"] == key.fingerprint
    assert (info["district"], info["enrolled"], info["collector_url"]) == (
        "3706",
        True,
        collector.url,
    )
    assert (info["pending"], info["delivered"]) == (0, 30)
    assert info["last_sync"] is not None
    assert info["last_sync"].endswith("Z")
    assert info["last_error"] is None

    code, out, _ = run(capsys, "sync", "--once", "--data-dir", str(data_dir))
    assert code == 0
    assert "Nothing to send: all 30 votes are delivered." in out
    assert collector.store.total_votes() == 30

    code, out, _ = run(capsys, "status", "--data-dir", str(data_dir))
    assert code == 0
    assert "ผลการประเมิน: ทั้งหมด 30 รายการ ส่งถึงแล้ว 30 รายการ รอส่ง 0 รายการ" in out
    assert "Votes: 30 in all, 30 delivered, 0 pending" in out
    assert "Collector: " + collector.url in out


def test_status_of_a_new_kiosk(capsys, data_dir):
    info = status_json(capsys, data_dir)
    assert info["district"] == "3706"
    assert info["enrolled"] is False
    assert info["collector_url"] is None
    assert (info["pending"], info["delivered"], info["last_sync"]) == (0, 0, None)


def test_enrolling_a_demo_kiosk_sets_its_demo_votes_aside(capsys, collector, data_dir):
    cast(capsys, data_dir, 25)  # demo mode: these are demo votes
    code, out, err = enroll(capsys, collector, data_dir)
    assert code == 0, err
    assert "25 demo votes were set aside in demo-ledger-" in out
    aside = list(data_dir.glob("demo-ledger-*.sqlite3"))
    assert len(aside) == 1
    with sqlite3.connect(aside[0]) as conn:
        assert conn.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 25
    assert not (data_dir / (LEDGER_FILE_NAME + "-wal")).exists()
    assert status_json(capsys, data_dir)["pending"] == 0

    cast(capsys, data_dir, 3)
    key = keys.load(data_dir / keys.KEY_FILE_NAME)
    with Ledger.open(data_dir, key) as ledger:
        assert ledger.head()[0] == 3
        assert ledger.vote(1).ballot.district == "3706"
    assert run(capsys, "sync", "--once", "--data-dir", str(data_dir))[0] == 0
    assert collector.store.total_votes() == 3  # the demo votes are never counted
    assert run(capsys, "verify", "--data-dir", str(data_dir))[0] == 0


def test_a_demo_kiosk_without_votes_keeps_its_empty_ledger(capsys, collector, data_dir):
    code, out, _ = enroll(capsys, collector, data_dir, district="4712")
    assert code == 0
    assert "set aside" not in out
    assert list(data_dir.glob("demo-ledger-*")) == []
    assert load_config(data_dir).district == "4712"  # the district is decided centrally


def test_a_kiosk_set_up_for_one_district_refuses_a_token_for_another(capsys, collector, data_dir):
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    cast(capsys, data_dir, 5)
    config_before = (data_dir / "config.json").read_bytes()
    code, out, err = enroll(capsys, collector, data_dir, district="4712")
    assert (code, out) == (1, "")
    assert "รหัสลงทะเบียนนี้เป็นของอำเภออื่น ไม่ใช่อำเภอ 3706 หัวตะพาน จังหวัดอำนาจเจริญ" in err
    assert "รหัสลงทะเบียนยังไม่ถูกใช้" in err
    assert "The token is for another district office than 3706 Hua Taphan, Amnat Charoen" in err
    assert "Nothing was changed, and the token was not used" in err
    assert "Settings" not in err  # the screen's way; the command line has its own
    assert collector.store.enrolled_count() == 0  # the collector refused before binding it
    assert (data_dir / "config.json").read_bytes() == config_before
    assert status_json(capsys, data_dir)["pending"] == 5
    assert list(data_dir.glob("demo-ledger-*")) == []


def test_a_kiosk_set_up_for_its_district_keeps_its_votes_when_enrolled(capsys, collector, data_dir):
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    cast(capsys, data_dir, 5)
    assert enroll(capsys, collector, data_dir)[0] == 0
    assert run(capsys, "sync", "--once", "--data-dir", str(data_dir))[0] == 0
    assert collector.store.total_votes() == 5


def test_a_bad_token_changes_nothing(capsys, collector, data_dir):
    cast(capsys, data_dir, 2)
    code, _, err = run(
        capsys,
        "enroll",
        "--collector",
        collector.url,
        "--token",
        "nope",
        "--data-dir",
        str(data_dir),
    )
    assert code == 1
    # The clerk's screen's words for token_unknown, in Thai then English.
    assert "ยังไม่ได้ลงทะเบียน: ไม่พบรหัสลงทะเบียนนี้ กรุณาตรวจสอบ หรือขอรหัสใหม่จากส่วนกลาง" in err
    assert "Not enrolled: The enrolment token is not known." in err
    assert err.index("ไม่พบรหัสลงทะเบียนนี้") < err.index("The enrolment token is not known")
    assert "sent later" not in err
    assert "ส่งให้ภายหลัง" not in err
    assert load_config(data_dir).demo
    assert status_json(capsys, data_dir)["pending"] == 2


def test_an_address_that_is_not_http_is_refused(capsys, data_dir):
    code, _, err = run(
        capsys, "enroll", "--collector", "ftp://x", "--token", "t", "--data-dir", str(data_dir)
    )
    assert code == 2
    assert "ที่อยู่ระบบกลางไม่ถูกต้อง ต้องขึ้นต้นด้วย http:// หรือ https://" in err
    assert "The collector address is not valid: it starts with http:// or https://." in err
    assert "collector_url" not in err  # the setting's name is not the clerk's word


# --- errors a clerk sees ---------------------------------------------------------------------


def test_sync_before_enrollment_says_how_to_enroll(capsys, data_dir):
    code, _, err = run(capsys, "sync", "--once", "--data-dir", str(data_dir))
    assert code == 1
    assert "ตู้ประเมินนี้ยังไม่ได้ลงทะเบียนกับระบบกลาง" in err
    assert "not enrolled" in err
    assert "sangsuk-kiosk enroll --collector URL --token TOKEN" in err
    assert "sangsuk-kiosk enroll-request --to FOLDER" in err
    assert "Settings" not in err


def test_an_unreachable_collector_is_reported_and_votes_stay_pending(capsys, collector, data_dir):
    assert enroll(capsys, collector, data_dir)[0] == 0
    cast(capsys, data_dir, 4)
    save_config(data_dir, load_config(data_dir).with_changes(collector_url=closed_port_url()))
    outcome = terminal.sync_once(data_dir, lambda c: uploader_for(c, wait=lambda s: False))
    assert outcome.exit_code == 1
    assert outcome.said[-1] == said("sync_refused", code="unreachable", collector_error=None)
    with Speaker() as speaker:
        printed = "\n".join(speaker.lines(outcome.said))
    assert "ติดต่อระบบกลางไม่ได้ (อินเทอร์เน็ตอาจไม่มี)" in printed
    assert "The central collector could not be reached (no internet?)." in printed
    assert "sangsuk-kiosk export --to FOLDER" in printed
    info = status_json(capsys, data_dir)
    assert (info["pending"], info["delivered"], info["last_sync"]) == (4, 0, None)
    assert info["last_error"].startswith("The collector could not be reached")
    assert info["last_error_code"] == "unreachable"


def test_a_revoked_kiosk_is_told_so_and_nothing_is_delivered(capsys, collector, data_dir):
    assert enroll(capsys, collector, data_dir)[0] == 0
    cast(capsys, data_dir, 4)
    collector.store.revoke(status_json(capsys, data_dir)["kiosk_id"])
    code, _, err = run(capsys, "sync", "--once", "--data-dir", str(data_dir))
    assert code == 1
    assert "ระบบกลางไม่รับผลการประเมิน เพราะส่วนกลางได้ยกเลิกตู้ประเมินนี้แล้ว" in err
    assert "the central office has revoked this kiosk" in err
    assert status_json(capsys, data_dir)["delivered"] == 0


# --- USB ------------------------------------------------------------------------------------


def test_export_then_import_receipt_without_network(capsys, collector, data_dir, tmp_path):
    assert enroll(capsys, collector, data_dir)[0] == 0
    cast(capsys, data_dir, 12)
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 0, err
    assert "ส่งออกผลการประเมิน 12 รายการ ใน 1 ไฟล์" in out
    assert "Exported 12 votes in 1 file to" in out
    (batch,) = stick.glob("*.batch.json")
    assert f"เขียนและตรวจสอบแล้ว {batch}" in out
    assert f"Wrote and checked {batch}" in out
    assert out.index("ส่งออกผลการประเมิน") < out.index("Wrote and checked")  # Thai, then English
    # At the central office: `sangsuk-collector import` ingests it and writes the receipt.
    data = batch.read_bytes()
    result = collector.store.ingest(check_batch(data), data, "usb", str(batch))
    receipt = receipt_file_for(batch)
    receipt.write_bytes(
        sign_receipt(load_collector_key(collector.db_path).private_key, result.receipt)
    )

    code, out, err = run(capsys, "import-receipt", str(receipt), "--data-dir", str(data_dir))
    assert code == 0, err
    assert f"ใบตอบรับ {receipt.name} บันทึกว่าส่งถึงแล้ว 12 รายการ ยังรอส่ง 0 รายการ" in out
    assert f"The receipt {receipt.name} marked 12 votes as delivered; 0 still pending." in out
    assert status_json(capsys, data_dir)["delivered"] == 12
    # The network has nothing left to send, and nothing was counted twice.
    assert "Nothing to send" in run(capsys, "sync", "--once", "--data-dir", str(data_dir))[1]
    assert collector.store.total_votes() == 12


def test_export_works_without_enrollment_but_not_for_demo_votes(capsys, data_dir, tmp_path):
    stick = tmp_path / "usb"
    stick.mkdir()
    cast(capsys, data_dir, 3)
    code, _, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 1
    assert "demo mode" in err
    assert list(stick.iterdir()) == []

    save_config(data_dir, KioskConfig(district="4712", demo=False))  # an offline district
    code, _out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 0, err
    assert len(list(stick.glob("sangsuk-4712-*-00000001-00000003.batch.json"))) == 1


def test_export_reports_the_votes_it_wrote_not_the_ledger_count(capsys, data_dir, tmp_path):
    """A ledger whose last vote was deleted behind its back still counts 12; 11 are written."""
    save_config(data_dir, KioskConfig(district="4712", demo=False))
    cast(capsys, data_dir, 12)
    with sqlite3.connect(data_dir / LEDGER_FILE_NAME, isolation_level=None) as conn:
        (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'votes_no_delete'")
        conn.execute("DROP TRIGGER votes_no_delete")
        conn.execute("DELETE FROM votes WHERE seq = 12")
        conn.execute(guard[0])
    conn.close()
    assert status_json(capsys, data_dir)["pending"] == 12  # what the damaged counts say
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 0, err
    (batch,) = stick.glob("*.batch.json")
    assert len(check_batch(batch.read_bytes()).votes) == 11
    assert f"Exported 11 votes in 1 file to {stick}." in out
    code, _, err = run(capsys, "verify", "--data-dir", str(data_dir))
    assert code == 1
    assert "NOT OK at vote 12 (high_water)" in err


def test_export_to_a_missing_folder_is_a_clear_error(capsys, data_dir, tmp_path):
    save_config(data_dir, KioskConfig(district="4712", demo=False))
    cast(capsys, data_dir, 1)
    code, _, err = run(
        capsys, "export", "--to", str(tmp_path / "gone"), "--data-dir", str(data_dir)
    )
    assert code == 1
    assert f"การส่งออกไปที่ {tmp_path / 'gone'} หยุดลง: ไม่พบแฟลชไดรฟ์" in err
    assert f"The export to {tmp_path / 'gone'} stopped: The USB stick cannot be found." in err


def test_import_receipt_needs_enrollment_to_trust_it(capsys, data_dir, tmp_path):
    receipt = tmp_path / "x.receipt.json"
    receipt.write_text("{}")
    code, _, err = run(capsys, "import-receipt", str(receipt), "--data-dir", str(data_dir))
    assert code == 1
    assert "ตู้ประเมินนี้ยังไม่ได้ลงทะเบียน จึงยังตรวจสอบใบตอบรับไม่ได้" in err
    assert "This kiosk is not enrolled, so it cannot check a receipt yet." in err
    assert "sangsuk-kiosk enroll-answer FOLDER" in err


# --- the foreground worker ------------------------------------------------------------------


def test_sync_without_once_runs_until_stopped(capsys, collector, data_dir):
    assert enroll(capsys, collector, data_dir)[0] == 0
    cast(capsys, data_dir, 7)
    stop = threading.Event()
    told: list[Said] = []

    def out(item: Said) -> None:
        told.append(item)
        if item.what == "sync_pass" and item.values["delivered"]:
            stop.set()

    outcome = terminal.run_sync(data_dir, stop=stop, out=out)
    assert outcome.exit_code == 0
    assert told[0].what == "sync_started"
    with Speaker() as speaker:
        printed = speaker.lines(told[-1:])
    assert printed[0].startswith("รอส่ง 0 รายการ ส่งถึงแล้ว 7 รายการ ส่งล่าสุด ")
    assert printed[1].startswith("0 pending, 7 delivered; last sync ")
    assert collector.store.total_votes() == 7


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"batch_size": 0}, "batch_size"),
        ({"batch_size": 1001}, "batch_size"),
        ({"batch_size": "500"}, "batch_size"),
        ({"sync_interval_s": 0}, "sync_interval_s"),
        ({"collector_url": "collector.example"}, "collector_url"),
        ({"collector_key": "zz" * 32}, "collector_key"),
        ({"size_group": "huge"}, "size_group"),
        ({"enrolled": True, "demo": False}, "needs collector_key"),
        ({"ca_bundle": ""}, "ca_bundle"),
        ({"demo": "no"}, "demo"),
    ],
)
def test_bad_sync_settings_are_clear_errors(tmp_path, changes, message):
    (tmp_path / "config.json").write_text(json.dumps(changes))
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_an_enrolled_kiosk_cannot_be_in_demo_mode():
    with pytest.raises(ConfigError, match="demo"):
        KioskConfig(enrolled=True, collector_url="https://c.example", collector_key="11" * 32)


def test_enrollment_settings_survive_a_save_and_load(tmp_path):
    config = KioskConfig(
        district="4712",
        demo=False,
        collector_url="https://collector.example",
        collector_key="11" * 32,
        enrolled=True,
        size_group="large",
        batch_size=250,
        sync_interval_s=60,
        ca_bundle="/etc/sangsuk/ca.pem",
    )
    save_config(tmp_path, config)
    assert load_config(tmp_path) == config
    assert config.collector_public_key is not None


def test_a_receipt_file_that_is_not_there_is_said_so(capsys, collector, data_dir, tmp_path):
    assert enroll(capsys, collector, data_dir)[0] == 0
    code, _, err = run(
        capsys, "import-receipt", str(tmp_path / "nope.receipt.json"), "--data-dir", str(data_dir)
    )
    assert code == 1
    assert "อ่านไฟล์ใบตอบรับไม่ได้ กรุณาตรวจว่ามีไฟล์อยู่จริง" in err
    assert "The receipt file cannot be read: check that it is there" in err
    assert "not a valid receipt" not in err
