"""The screenshot script, run as a person runs it: offscreen by itself, to real PNG files.

Every screen in both languages is drawn (and its pictures checked) by tests/ui/test_every_screen.py
at every supported panel; here the command line itself is run, for a few screens (``--only``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.screenshots.__main__ import main
from ui.screenshots.shared import SCREEN_SIZE

REPO = Path(__file__).resolve().parents[2]
SOME = ("welcome", "impression-story", "keyboard-th", "clerk-dashboard")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run `python -m ui.screenshots OUT --only ...` once, as a person would, with no display set."""
    tmp_path = tmp_path_factory.mktemp("screenshots")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "ui.screenshots", str(out), "--only", *SOME],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return out, result


def test_command_line_runs_offscreen_by_itself(kiosk_app, rendered) -> None:
    out, result = rendered
    assert result.returncode == 0, result.stderr
    keyboards = {"keyboard-th.png", "keyboard-th-shift.png", "keyboard-en.png"}  # drawn together
    expected = {
        f"{name}-{lang}.png" for name in SOME if "keyboard" not in name for lang in ("th", "en")
    }
    assert {p.name for p in out.glob("*.png")} == expected | keyboards  # those asked, no more
    for name in expected | keyboards:
        assert str(out / name) in result.stdout
        image = QImage(str(out / name))
        assert not image.isNull(), name
        if "keyboard" not in name:
            assert image.size() == SCREEN_SIZE, name
    assert QImage(str(out / "welcome-th.png")) != QImage(str(out / "welcome-en.png"))


def test_a_screen_that_does_not_exist_is_named_and_nothing_is_drawn(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main([str(tmp_path / "shots"), "--only", "welcome", "welcom"])
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert "no screen is called welcom;" in said
    assert "clerk-dashboard" in said  # the screens there are, to choose from
    assert not (tmp_path / "shots").exists()
