"""What the IT officer reads from `sangsuk-kiosk`: Thai first, then English, in the words the
clerk's screens use, and never a promise that votes "will be sent later" while enrolling."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, save_config
from sync import terminal
from sync.terminal import said
from sync.uploader import Uploader
from tests.ui.clerk.test_enroll_refusals import ALL_CODES as ENROLL_CODES
from ui.cli import main
from ui.cli_words import Speaker

THAI = re.compile("[\u0e00-\u0e7f]")
# Every code a SyncError carries (sync/uploader.py, sync/worker.py, sync/operations.py), and
# the collector's own codes for a refused batch.
SYNC_CODES = (
    "not_enrolled", "unreachable", "timeout", "tls", "not_tls", "refused", "busy", "server_error",
    "bad_response", "bad_receipt", "wrong_collector", "cancelled", "conflict", "internal",
    "storage",
)  # fmt: skip
REFUSED_BY = ("revoked", "unknown_kiosk", "district_mismatch")
USB_CODES = (
    "no_folder", "read_only", "write_failed", "verify_failed", "summary_failed", "demo",
    "not_enrolled", "bad_receipt_signature", "wrong_kiosk", "wrong_batch", "unreadable",
)  # fmt: skip
LATER = ("sent later", "will be sent", "ส่งให้ภายหลัง")


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def both(*said_: terminal.Said) -> tuple[str, str]:
    """The Thai and the English lines of what was said, each joined."""
    with Speaker() as speaker:
        return (
            "\n".join(speaker.words_in("th", said_)),
            "\n".join(speaker.words_in("en", said_)),
        )


@pytest.mark.parametrize("code", ENROLL_CODES)
def test_every_enrollment_refusal_is_said_in_thai_and_promises_nothing(code: str) -> None:
    thai, english = both(said("enroll_refused", code=code, district="3706", url="http://c.test"))
    unknown_thai, _ = both(said("enroll_refused", code="a_code_nobody_made", district="3706"))
    assert THAI.search(thai), f"{code}: no Thai in {thai!r}"
    assert not THAI.search(english), english
    assert thai.splitlines()[0] != unknown_thai.splitlines()[0], f"{code} has no words of its own"
    assert "_" not in thai.replace("--ca-bundle", "").replace("enroll-request", ""), thai
    for later in LATER:
        assert later not in thai + english, f"{code} promises the votes go later: {english}"
    assert "Settings" not in english  # the command line says the command, not the screen
    assert english.startswith("Not enrolled: ")


@pytest.mark.parametrize("code", SYNC_CODES)
def test_every_sending_refusal_is_said_in_thai(code: str) -> None:
    thai, english = both(said("sync_refused", code=code, collector_error=None))
    unknown_thai, _ = both(said("sync_refused", code="a_code_nobody_made", collector_error=None))
    assert THAI.search(thai), f"{code}: no Thai in {thai!r}"
    assert thai.splitlines()[0] != unknown_thai.splitlines()[0], f"{code} has no words of its own"
    assert not THAI.search(english)
    assert "Settings" not in english


@pytest.mark.parametrize("collector_error", REFUSED_BY)
def test_a_batch_the_collector_refused_says_why(collector_error: str) -> None:
    thai, english = both(said("sync_refused", code="refused", collector_error=collector_error))
    plain, _ = both(said("sync_refused", code="refused", collector_error=None))
    assert THAI.search(thai)
    assert thai != plain
    assert "The votes are kept here." in english


@pytest.mark.parametrize("code", USB_CODES)
def test_every_usb_refusal_is_said_in_thai(code: str) -> None:
    for what in ("export_refused", "receipt_refused"):
        thai, english = both(said(what, code=code, folder="/media/usb"))
        assert THAI.search(thai), f"{code}: no Thai in {thai!r}"
        assert not THAI.search(english)
        assert "Settings" not in english


def test_enrolling_with_an_unreachable_collector_says_what_to_do(tmp_path: Path) -> None:
    data_dir = tmp_path / "kiosk"
    url = closed_port_url()
    outcome = terminal.enroll(
        data_dir, url, "sheet-token", make_uploader=lambda u, ca: Uploader(u, wait=lambda s: False)
    )
    assert outcome.exit_code == 1
    thai, english = both(*outcome.said)
    assert "ติดต่อระบบกลางไม่ได้" in thai
    assert f"ตรวจที่อยู่ระบบกลาง ({url})" in thai
    assert "sangsuk-kiosk enroll-request --to FOLDER --token TOKEN" in thai
    assert f"Check the collector address ({url}) and this kiosk's network" in english
    assert "Enrol by USB stick: sangsuk-kiosk enroll-request" in english
    for later in LATER:
        assert later not in thai + english


def test_english_only_when_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "kiosk"
    assert main(["--language", "en", "status", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Votes: 0 in all, 0 delivered, 0 pending" in out
    assert not THAI.search(out.replace("หัวตะพาน", "").replace("อำนาจเจริญ", ""))
    assert main(["--language", "th", "status", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "ผลการประเมิน: ทั้งหมด 0 รายการ" in out
    assert "Votes:" not in out
    # After the subcommand too, as an officer types it (`enroll … --language en`).
    assert main(["status", "--data-dir", str(data_dir), "--language", "en"]) == 0
    out = capsys.readouterr().out
    assert "Votes: 0 in all, 0 delivered, 0 pending" in out
    assert "ผลการประเมิน" not in out


def test_by_default_each_outcome_is_in_thai_then_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "kiosk"
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    stick = tmp_path / "usb"
    stick.mkdir()
    assert main(["export", "--to", str(stick), "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "ไม่มีอะไรต้องส่งออก ส่งผลการประเมินครบแล้ว",
        "Nothing to export: every vote has been delivered.",
    ]
    assert main(["status", "--data-dir", str(data_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    blank = lines.index("")  # a blank line between the Thai block and the English one
    assert all(THAI.search(line) for line in lines[:blank])
    assert lines[blank + 1].startswith("Kiosk ")
    assert lines[1].startswith("รุ่นโปรแกรม: ")  # the software version, under the kiosk
    assert "กลุ่มขนาดไม่ทราบ" in lines[2]  # set up, not yet enrolled: no size group yet


@pytest.mark.parametrize(
    ("what", "values", "english"),
    [
        ("sent", {"sent": 1, "batches": 1, "delivered": 1, "pending": 0},
         "Sent 1 vote in 1 batch: 1 newly delivered, 0 still pending."),
        ("sent", {"sent": 9, "batches": 1, "delivered": 9, "pending": 2},
         "Sent 9 votes in 1 batch: 9 newly delivered, 2 still pending."),
        ("sent", {"sent": 900, "batches": 2, "delivered": 900, "pending": 0},
         "Sent 900 votes in 2 batches: 900 newly delivered, 0 still pending."),
        ("nothing_to_send", {"delivered": 0}, "Nothing to send: no votes have been cast yet."),
        ("nothing_to_send", {"delivered": 1}, "Nothing to send: the one vote is delivered."),
        ("demo_set_aside", {"count": 1, "file": "demo.sqlite3"},
         "1 demo vote was set aside in demo.sqlite3; it will never be sent or counted."
         " The ledger starts again at vote 1."),
        ("written_before", {"count": 1, "names": "a.votes"},
         "1 file was written and checked before that: a.votes"),
        ("exported", {"votes": 1, "files": 1, "folder": "/media/usb"},
         "Exported 1 vote in 1 file to /media/usb. They stay pending until the collector's"
         " receipt is imported (sangsuk-kiosk import-receipt FILE)."),
        ("exported", {"votes": 7, "files": 2, "folder": "/media/usb"},
         "Exported 7 votes in 2 files to /media/usb. They stay pending until the collector's"
         " receipt is imported (sangsuk-kiosk import-receipt FILE)."),
        ("receipt_marked", {"name": "r.json", "marked": 1, "pending": 0},
         "The receipt r.json marked 1 vote as delivered; 0 still pending."),
        ("verified_before", {"checked": 1, "kiosk_id": "k", "fingerprint": "F"},
         "1 vote verified before it (kiosk k, F). Nothing was changed."),
    ],
)  # fmt: skip
def test_a_count_of_one_is_said_in_the_singular(what: str, values: dict, english: str) -> None:
    thai, said_in_english = both(terminal.Said(what, values))
    assert said_in_english == english
    assert THAI.search(thai)
    assert "%" not in thai
