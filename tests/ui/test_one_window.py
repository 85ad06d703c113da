"""One kiosk window per data folder, and no enrolment behind a running window's back.

A real kiosk window runs in a process of its own (main.py, offscreen), as on a tablet: the
command line refuses to enrol beside it, in Thai then English, and changes nothing; a second
window on the same folder does not start; once the window's process is gone (even killed, so
its lock file stays behind), enrolling works again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.config import load_config
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.displays import ROOT, stop, wait_for
from ui import instance
from ui.cli import main
from ui.startup import EXIT_STARTUP_FAILED, run


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def window(tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The kiosk window in a process of its own on tmp_path/kiosk, once it holds its lock."""
    data_dir = tmp_path / "kiosk"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(data_dir), "--windowed"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for("the kiosk window's lock", lambda: instance.running_window(data_dir))
        yield process
    finally:
        stop(process)


def _enroll(capsys, collector: RunningCollector, data_dir: Path) -> tuple[int, str]:
    token = collector.store.issue_token("3706")
    argv = ["enroll", "--collector", collector.url, "--token", token, "--data-dir", str(data_dir)]
    code = main(argv)
    return code, capsys.readouterr().err


def test_enrolling_beside_a_running_window_is_refused_and_changes_nothing(
    capsys, collector, window, tmp_path: Path
) -> None:
    data_dir = tmp_path / "kiosk"
    assert instance.running_window(data_dir) == window.pid
    before = (
        (data_dir / "config.json").read_bytes() if (data_dir / "config.json").exists() else None
    )

    code, err = _enroll(capsys, collector, data_dir)

    assert code == 1
    assert f"หน้าจอตู้ประเมินเปิดทำงานอยู่บนแท็บเล็ตนี้ (โปรเซส {window.pid})" in err
    assert f"The kiosk window is running on this tablet (process {window.pid})" in err
    assert "sudo systemctl stop sangsuk-kiosk" in err
    assert err.index("หน้าจอตู้ประเมิน") < err.index("The kiosk window is running")
    after = (data_dir / "config.json").read_bytes() if (data_dir / "config.json").exists() else None
    assert after == before
    assert collector.store.kiosks() == []  # nothing reached the collector either

    answer = main(["enroll-answer", str(tmp_path / "nowhere"), "--data-dir", str(data_dir)])
    assert answer == 1
    assert "The kiosk window is running" in capsys.readouterr().err


def test_a_window_that_is_gone_leaves_no_lock_behind(capsys, collector, window, tmp_path) -> None:
    data_dir = tmp_path / "kiosk"
    os.killpg(window.pid, signal.SIGKILL)  # a power cut: no chance to release the lock
    window.wait()
    assert (data_dir / instance.LOCK_NAME).exists()
    assert instance.running_window(data_dir) is None

    code, err = _enroll(capsys, collector, data_dir)

    assert code == 0, err
    assert load_config(data_dir).district == "3706"
    assert not load_config(data_dir).demo


def test_a_second_window_on_the_same_folder_does_not_start(kiosk_app, window, tmp_path) -> None:
    shown: dict[str, str] = {}
    timer = QTimer(kiosk_app)
    timer.setInterval(10)

    def read_and_dismiss() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            timer.stop()
            shown.update(text=box.text(), detail=box.informativeText())
            box.button(QMessageBox.StandardButton.Ok).click()

    timer.timeout.connect(read_and_dismiss)
    timer.start()
    assert run(tmp_path / "kiosk", windowed=True) == EXIT_STARTUP_FAILED
    timer.deleteLater()
    assert shown["text"] == "ตู้ประเมินเปิดทำงานอยู่แล้วบนแท็บเล็ตนี้ (โฟลเดอร์ข้อมูลเดียวกัน)"
    assert shown["detail"] == str(tmp_path / "kiosk")
    assert instance.running_window(tmp_path / "kiosk") == window.pid  # the first still holds it
