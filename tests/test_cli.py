"""The `sangsuk-kiosk` command line: demo votes, verify, and the installed console script."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, load_config, save_config
from kiosk.ledger import LEDGER_FILE_NAME
from sync.operations import enroll
from tests.collector_server import serve_collector
from ui.cli import main
from wire import keys
from wire.keys import KEY_FILE_NAME


def test_demo_votes_then_verify(tmp_path, capsys):
    assert main(["demo-votes", "--count", "120", "--seed", "7", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "บันทึกผลการประเมินทดลอง 120 รายการ" in out
    assert "Cast 120 demo votes for 3706 Hua Taphan, Amnat Charoen: votes 1 to 120." in out
    assert main(["demo-votes", "--count", "5", "--data-dir", str(tmp_path)]) == 0
    assert "votes 121 to 125" in capsys.readouterr().out
    assert main(["verify", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ฐานข้อมูลผลการประเมินถูกต้อง: ผลการประเมิน 125 รายการ" in out
    assert "Ledger OK: 125 votes" in out


def test_verify_exits_1_with_the_first_bad_seq(tmp_path, capsys):
    main(["demo-votes", "--count", "10", "--data-dir", str(tmp_path)])
    with sqlite3.connect(tmp_path / LEDGER_FILE_NAME) as conn:  # a careful attacker's edit
        (guard,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'votes_no_delete'")
        conn.execute("DROP TRIGGER votes_no_delete")
        conn.execute("DELETE FROM votes WHERE seq = 7")
        conn.execute(guard[0])
    capsys.readouterr()
    assert main(["verify", "--data-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "NOT OK at vote 7" in err
    assert "6 votes verified before it" in err
    assert "ลำดับที่ 7" in err
    assert ": ผลการประเมินลำดับที่ 7 หายไป (ลำดับถัดไปที่มีอยู่คือ 8)\n" in err
    assert ": vote 7 is missing (the next stored vote is 8)\n" in err


def test_verify_of_an_empty_folder_says_so(tmp_path, capsys):
    assert main(["verify", "--data-dir", str(tmp_path / "nothing")]) == 1
    err = capsys.readouterr().err
    assert "ไม่พบฐานข้อมูลผลการประเมิน" in err
    assert "No kiosk ledger" in err


def test_a_corrupt_key_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    main(["demo-votes", "--count", "1", "--data-dir", str(tmp_path)])
    (tmp_path / KEY_FILE_NAME).write_text("garbage")
    assert main(["verify", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err
    assert "ใช้ไฟล์ของตู้ประเมินนี้ไม่ได้" in err
    assert "Traceback" not in err


def test_demo_votes_needs_a_positive_count(tmp_path, capsys):
    assert main(["demo-votes", "--count", "0", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--count ต้องเป็น 1 ขึ้นไป" in err
    assert "--count must be at least 1." in err


def _files(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder but its log, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "logs" not in p.relative_to(folder).parts
    }


def _refused(folder: Path, capsys) -> str:
    before = _files(folder)
    assert main(["demo-votes", "--count", "30", "--data-dir", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert _files(folder) == before  # nothing written: no vote, no key, no ledger change
    assert "ไม่ได้บันทึกผลการประเมินทดลอง" in err
    assert "No demo votes cast" in err
    assert "demo votes refused" in (folder / "logs" / "kiosk.log").read_text(encoding="utf-8")
    return err


def test_demo_votes_are_refused_on_a_kiosk_a_clerk_has_set_up(tmp_path, capsys):
    save_config(tmp_path, KioskConfig(district="3706", demo=False))
    keys.load_or_create(tmp_path)
    err = _refused(tmp_path, capsys)
    assert "3706 หัวตะพาน จังหวัดอำนาจเจริญ" in err  # named in Thai too, not only its code
    assert "3706 Hua Taphan, Amnat Charoen" in err
    assert not (tmp_path / LEDGER_FILE_NAME).exists()


@pytest.mark.parametrize("votes_before", [0, 3])
def test_demo_votes_are_refused_on_an_enrolled_kiosk_and_none_reach_the_collector(
    tmp_path, capsys, votes_before
):
    kiosk = tmp_path / "kiosk"
    if votes_before:  # demo votes while it was a demo kiosk: set aside when it enrolled
        assert main(["demo-votes", "--count", str(votes_before), "--data-dir", str(kiosk)]) == 0
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as collector:
        assert enroll(kiosk, collector.url, collector.store.issue_token("3706")).ok
        assert load_config(kiosk).enrolled
        capsys.readouterr()
        err = _refused(kiosk, capsys)
        assert "enrolled" in err
        assert "ลงทะเบียนแล้ว" in err
        assert main(["sync", "--once", "--data-dir", str(kiosk)]) == 0
        assert collector.store.total_votes() == 0


def test_installed_console_script(tmp_path):
    script = Path(sys.executable).parent / (
        "sangsuk-kiosk.exe" if os.name == "nt" else "sangsuk-kiosk"
    )
    assert script.exists(), "the project is not installed with its console script"
    done = subprocess.run(
        [str(script), "demo-votes", "--count", "3", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [str(script), "verify", "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Ledger OK: 3 votes" in done.stdout
    assert (tmp_path / "logs" / "kiosk.log").exists()


def test_one_vote_is_one_vote(tmp_path, capsys):
    assert main(["demo-votes", "--count", "1", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "บันทึกผลการประเมินทดลอง 1 รายการ สำหรับอำเภอ 3706 หัวตะพาน" in out
    assert "Cast 1 demo vote for 3706 Hua Taphan, Amnat Charoen: vote 1.\n" in out
    assert main(["verify", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ฐานข้อมูลผลการประเมินถูกต้อง: ผลการประเมิน 1 รายการ" in out
    assert "Ledger OK: 1 vote; its signature, the chain" in out
    assert "1 votes" not in out
