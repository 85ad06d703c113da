"""The `sangsuk-kiosk` command line: demo votes, verify, and the installed console script."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from kiosk.ledger import LEDGER_FILE_NAME
from ui.cli import main
from wire.keys import KEY_FILE_NAME


def test_demo_votes_then_verify(tmp_path, capsys):
    assert main(["demo-votes", "--count", "120", "--seed", "7", "--data-dir", str(tmp_path)]) == 0
    assert "seq 1-120" in capsys.readouterr().out
    assert main(["demo-votes", "--count", "5", "--data-dir", str(tmp_path)]) == 0
    assert "seq 121-125" in capsys.readouterr().out
    assert main(["verify", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ledger OK: 125 votes" in out


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
    assert "6 votes before it verified" in err


def test_verify_of_an_empty_folder_says_so(tmp_path, capsys):
    assert main(["verify", "--data-dir", str(tmp_path / "nothing")]) == 1
    assert "no kiosk ledger" in capsys.readouterr().err


def test_a_corrupt_key_is_a_clear_error_not_a_traceback(tmp_path, capsys):
    main(["demo-votes", "--count", "1", "--data-dir", str(tmp_path)])
    (tmp_path / KEY_FILE_NAME).write_text("garbage")
    assert main(["verify", "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err
    assert "Traceback" not in err


def test_demo_votes_needs_a_positive_count(tmp_path, capsys):
    assert main(["demo-votes", "--count", "0", "--data-dir", str(tmp_path)]) == 2
    assert "at least 1" in capsys.readouterr().err


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
    assert "ledger OK: 3 votes" in done.stdout
    assert (tmp_path / "logs" / "kiosk.log").exists()
