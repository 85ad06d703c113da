"""What the IT officer reads when `sangsuk-kiosk` is typed wrong, or asked for --help: Thai first,
then English, what was wrong and how to see the help; exit code 2, and the data folder untouched."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ui.cli import main

THAI = re.compile("[\u0e00-\u0e7f]")
REPO_ROOT = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Run the command, which must refuse its arguments; return what it printed on stderr."""
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    return err.splitlines()


def test_a_missing_option_is_said_in_thai_then_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "kiosk"
    err = _refused(["export", "--data-dir", str(data_dir)], capsys)
    assert err == [
        "วิธีใช้ / usage: sangsuk-kiosk export [-h] [--data-dir DIR]",
        "                                   [--language {th,en}] --to FOLDER",
        "sangsuk-kiosk export: คำสั่งนี้ต้องระบุ --to ด้วย",
        "ดูวิธีใช้ได้ด้วยคำสั่ง sangsuk-kiosk export --help",
        "",
        "sangsuk-kiosk export: this command needs --to",
        "To see how to use it: sangsuk-kiosk export --help",
    ]
    assert not data_dir.exists()  # not even a log file was made


def test_an_unknown_command_names_the_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = "\n".join(_refused(["exprot", "--to", str(tmp_path)], capsys))
    commands = "demo-votes, verify, enroll, enroll-request, enroll-answer, sync, status, export"
    assert f"sangsuk-kiosk: ไม่มีคำสั่ง exprot คำสั่งที่ใช้ได้คือ {commands}" in err
    assert f"sangsuk-kiosk: there is no command exprot; the commands are {commands}" in err
    assert err.index("ไม่มีคำสั่ง") < err.index("there is no command")
    assert "ดูวิธีใช้ได้ด้วยคำสั่ง sangsuk-kiosk --help" in err
    assert "invalid choice" not in err


def test_a_count_that_is_not_a_number_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "kiosk"
    assert main(["demo-votes", "--count", "2", "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    before = _files(data_dir)
    err = _refused(["demo-votes", "--count", "abc", "--data-dir", str(data_dir)], capsys)
    assert "sangsuk-kiosk demo-votes: --count ต้องเป็นจำนวนเต็ม เช่น 10 แต่ได้รับ abc" in err
    assert "sangsuk-kiosk demo-votes: --count needs a whole number, such as 10, not abc" in err
    assert "To see how to use it: sangsuk-kiosk demo-votes --help" in err
    assert _files(data_dir) == before  # no vote, no log line


def test_english_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["--language", "en", "enroll", "--collector"], capsys)
    assert err[-2:] == [
        "sangsuk-kiosk enroll: --collector must be followed by a value",
        "To see how to use it: sangsuk-kiosk enroll --help",
    ]
    assert not THAI.search("\n".join(err))
    assert err[0].startswith("usage: sangsuk-kiosk enroll ")


def test_self_test_takes_no_subcommand_in_thai_too(capsys: pytest.CaptureFixture[str]) -> None:
    err = _refused(["--self-test", "verify"], capsys)
    assert "sangsuk-kiosk: --self-test ใช้ร่วมกับคำสั่งย่อยไม่ได้" in err
    assert "sangsuk-kiosk: --self-test takes no subcommand" in err


def test_help_says_each_option_in_thai_then_english(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", "--help"])
    assert exit_.value.code == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    assert lines[:2] == [
        "วิธีใช้ / usage: sangsuk-kiosk export [-h] [--data-dir DIR]",
        "[--language {th,en}] --to FOLDER",
    ]
    thai = lines.index("เขียนผลการประเมินที่ยังส่งไม่ถึงลงโฟลเดอร์ (แฟลชไดรฟ์)")
    assert lines[thai + 1] == "write undelivered votes to a folder (USB stick)"
    assert "ตัวเลือก / options:" in lines
    to = next(i for i, line in enumerate(lines) if line.startswith("--to FOLDER"))
    assert lines[to] == "--to FOLDER         โฟลเดอร์ที่จะเขียนลงไป คือแฟลชไดรฟ์"
    assert lines[to + 1] == "the folder to write to: the USB stick"


def test_the_command_list_is_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "คำสั่งย่อย / commands:" in out
    assert "ส่งผลการประเมินที่รอส่งไปยังระบบกลาง\n" in out
    assert "send pending votes to the collector\n" in out
    assert "%1" not in out


def test_help_and_mistakes_load_no_window_module() -> None:
    # Help and a mistake read the Thai with QtCore alone: the window's modules cost start-up.
    code = (
        "import json, sys\n"
        "from ui.cli import main\n"
        "for argv in (['--help'], ['export'], ['demo-votes', '--count', 'abc']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "loaded = [m for m in ('PySide6.QtGui', 'PySide6.QtWidgets') if m in sys.modules]\n"
        "print(json.dumps([loaded, 'PySide6.QtCore' in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=True,
    )
    assert "คำสั่งนี้ต้องระบุ --to ด้วย" in done.stderr  # the Thai was read
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [[], True]
