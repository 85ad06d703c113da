"""An optional Qt module that cannot load costs its feature, never the kiosk (promise 9).

On a fresh Debian 12 desktop ``import PySide6.QtTextToSpeech`` fails with "libpulse.so.0: cannot
open shared object file". The kiosk must still start: its speaker says "No voice" and the log
says why. The clerk's overview without QtCharts shows the ratings as a plain list.

The missing library is faked the way Python sees it: the module's import fails
(``sys.modules[name] = None`` raises ImportError on import, as the missing library does).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.clerk.helpers import build_kiosk, set_up, unlock
from ui.preflight import missing_reason
from wire.vote import Ballot

REPO_ROOT = Path(__file__).resolve().parents[2]

# The real kiosk command, started as `main.py` starts it, on a machine where the speech module
# cannot load. A QApplication made first lets a zero timer look at the window once the event
# loop runs, then close it (closing the last window ends the kiosk as a clerk's "exit" does).
KIOSK_WITHOUT_SPEECH = r"""
import json, sys
sys.modules["PySide6.QtTextToSpeech"] = None  # as when libpulse.so.0 is missing
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui.cli import main
from ui.citizen.display_bar import DisplayBar

app = QApplication(sys.argv[:1])
seen = {}

def look():
    windows = [w for w in app.topLevelWidgets() if w.objectName() == "kioskWindow"]
    if not windows or not windows[0].isVisible():
        QTimer.singleShot(0, look)
        return
    window = windows[0]
    bar = window.current_screen().findChildren(DisplayBar)[0]
    seen["screen"] = window.current_screen().objectName()
    seen["speaker"] = bar.speaker_button.text()
    seen["speech"] = list(bar.speech_shown())
    window.shutdown()

QTimer.singleShot(0, look)
code = main(["--windowed", "--data-dir", sys.argv[1]])
print(json.dumps({"exit": code, **seen}))
"""


def test_the_kiosk_starts_without_its_speech_module_and_says_no_voice(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("SANGSUK_SPEECH_ENGINE", None)
    done = subprocess.run(
        [sys.executable, "-c", KIOSK_WITHOUT_SPEECH, str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["exit"] == 0
    assert seen["screen"] == "welcomeScreen"
    assert seen["speaker"] == "ไม่มีเสียงอ่าน"  # "No voice"
    assert seen["speech"] == [False, False, False]
    log = (tmp_path / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "spoken guidance is not available: PySide6.QtTextToSpeech cannot be loaded" in log


def test_a_missing_library_is_named_with_its_package():
    reason = missing_reason(
        ImportError("libpulse.so.0: cannot open shared object file: No such file or directory")
    )
    assert "libpulse.so.0" in reason
    assert "sudo apt-get install libpulse0" in reason


def test_the_overview_without_charts_lists_the_ratings(
    qtbot, switcher, clock, data_dir, ledger_service, monkeypatch
):
    monkeypatch.setitem(sys.modules, "PySide6.QtCharts", None)  # its library cannot be loaded
    set_up(data_dir, clock)
    ledger = ledger_service.ledger
    assert ledger is not None
    ledger.cast_many([Ballot("3706", r) for r in (5, 5, 4, 2)])
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    assert board.chart_view is None
    qtbot.waitUntil(lambda: board.data is not None)
    lines = board.rating_list.text().splitlines()
    assert lines == [
        "พอใจมากที่สุด — 2",
        "พอใจมาก — 1",
        "พอใจปานกลาง — 0",
        "ไม่พอใจ — 1",
        "ไม่พอใจมาก — 0",
    ]
    assert board.rating_list.isVisibleTo(board)


@pytest.fixture(autouse=True)
def _forget_unavailable(monkeypatch):
    """Each test sees optional modules as if for the first time (the reasons are logged once)."""
    from ui import preflight

    monkeypatch.setattr(preflight, "_unavailable", {})
