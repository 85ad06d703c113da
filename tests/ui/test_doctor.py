"""`sangsuk-kiosk doctor`, run as the IT officer runs it: a real process on a real data folder.

Healthy, it exits 0 (a missing Thai voice and no display are warnings); a device key others can
read, a data folder on a read-only disk, or Qt missing a system library each FAIL with the fix,
and it exits 1. The speech engine is Qt's mock one (it has no Thai voice); missing libraries and
read-only disks are real, in a private mount namespace (tests/namespaces.py).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.doctor import Status
from kiosk.doctor_tablet import check_voice_config
from kiosk.updates import BUNDLED_ROOT, TEST_BUILD_MARKER
from tests.namespaces import REPO_ROOT, run_read_only, run_without
from ui.preflight import module_file, plugin_file, pyside_dir
from wire.keys import KEY_FILE_NAME

CHECKS = [
    "qt_platform",
    "speech",
    "charts",
    "thai_line_breaking",
    "font",
    "screen",
    "disk_space",
    "enrollment",
    "clock",
    "device_key",
    "ledger",
    "data_folder",
    "update_key",
    "installation",
    "voice_config",
]
# A checkout carries the office's update key only if a developer copied it there; it is not
# managed (no /opt/sangsuk), so a missing key is a WARN here.
KEY_WARNS = not BUNDLED_ROOT.is_file()
# speech-dispatcher's configuration is this machine's, read by the doctor as by this process.
VOICE_WARNS = check_voice_config().status is Status.WARN
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")


def doctor_env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SANGSUK_SPEECH_ENGINE": "mock"}
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def doctor_command(data_dir: Path, *extra: str) -> list[str]:
    return [sys.executable, "main.py", "doctor", "--data-dir", str(data_dir), *extra]


def run_doctor(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        doctor_command(data_dir, *extra),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=doctor_env(),
        timeout=180,
        check=False,
    )


def findings(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, str]]:
    listed = json.loads(done.stdout)
    assert [f["check"] for f in listed] == CHECKS
    for finding in listed:
        assert set(finding) >= {"check", "status", "detail", "fix"}
        assert finding["status"] in ("OK", "WARN", "FAIL")
    return {f["check"]: f for f in listed}


@pytest.fixture
def kiosk_dir(tmp_path: Path) -> Path:
    """A data folder as a kiosk leaves it: key, ledger with votes, logs."""
    folder = tmp_path / "kiosk"
    done = subprocess.run(
        [sys.executable, "main.py", "demo-votes", "--count", "5", "--data-dir", str(folder)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return folder


def test_a_healthy_kiosk_exits_0_with_json_for_scripts(kiosk_dir: Path) -> None:
    done = run_doctor(kiosk_dir, "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    found = findings(done)
    for name in ("qt_platform", "charts", "font", "disk_space", "clock", "device_key", "ledger"):
        assert found[name]["status"] == "OK", found[name]
    assert found["data_folder"]["status"] == "OK"
    assert "5 votes" in found["ledger"]["detail"]
    # Qt's mock engine speaks English only; offscreen there is no screen to measure.
    assert found["speech"]["status"] == "WARN"
    assert "no Thai voice" in found["speech"]["detail"]
    assert "speech-dispatcher-espeak-ng" in found["speech"]["fix"]
    assert found["screen"]["status"] == "WARN"
    assert found["update_key"]["status"] == ("WARN" if KEY_WARNS else "OK")
    # A kiosk on the demo district is not ready for a district: the officer is told what to do.
    assert found["enrollment"]["status"] == "WARN"
    assert "demo district" in found["enrollment"]["detail"]
    assert "sangsuk-kiosk enroll --collector URL --token TOKEN" in found["enrollment"]["fix"]
    assert found["clock"]["detail"].startswith("Not compared")
    # A checkout is not installed under /opt/sangsuk.
    assert found["installation"]["status"] == "WARN"
    assert found["voice_config"]["status"] == ("WARN" if VOICE_WARNS else "OK")


def test_the_report_is_thai_then_english_with_a_summary(kiosk_dir: Path) -> None:
    done = run_doctor(kiosk_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("WARN  speech")
    assert lines[at + 1].strip().startswith("โปรแกรมอ่านออกเสียง mock ไม่มีเสียงภาษาไทย")
    assert lines[at + 2].strip().startswith("The speech engine mock has no Thai voice")
    assert lines[at + 3].strip().startswith("วิธีแก้: sudo apt-get install speech-dispatcher")
    assert lines[at + 4].strip().startswith("Fix: sudo apt-get install speech-dispatcher")
    warn = 4 + KEY_WARNS + VOICE_WARNS  # speech, screen, enrollment, installation and these
    ok = len(CHECKS) - warn
    assert lines[-2] == (
        f"สรุป: ผ่าน {ok} เตือน {warn} ไม่ผ่าน 0 — ใช้งานได้ แต่ให้อ่านคำเตือน (WARN) {warn} ข้อข้างบนก่อน"
    )
    # Offscreen, the screen was not measured: not called "ready" without a word.
    assert lines[-1] == (
        f"Summary: {ok} OK, {warn} WARN, 0 FAIL — it can run, but read the {warn} WARN above first."
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_a_key_others_can_read_fails_with_the_chmod_line(kiosk_dir: Path) -> None:
    key = kiosk_dir / KEY_FILE_NAME
    key.chmod(0o644)
    done = run_doctor(kiosk_dir, "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done)["device_key"]
    assert found["status"] == "FAIL"
    assert found["fix"] == f"chmod 600 {key}"
    assert stat.S_IMODE(key.stat().st_mode) == 0o644  # reported, not changed


@linux_only
def test_a_data_folder_on_a_read_only_disk_fails(kiosk_dir: Path) -> None:
    done = run_read_only(kiosk_dir, doctor_command(kiosk_dir, "--json"), env=doctor_env())
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done)
    assert found["data_folder"]["status"] == "FAIL"
    assert "Read-only file system" in found["data_folder"]["detail"]
    assert "read-write" in found["data_folder"]["fix"]
    assert found["ledger"]["status"] == "OK"  # still readable: only writing is impossible


@linux_only
def test_qt_missing_a_system_library_fails_with_the_apt_line(kiosk_dir: Path, tmp_path: Path):
    package = pyside_dir()
    assert package is not None
    plugin = plugin_file("xcb", package, {})
    assert plugin is not None
    env = {**doctor_env(), "QT_QPA_PLATFORM": "xcb"}
    done = run_without(
        ["libxcb-cursor.so.0"], plugin, doctor_command(kiosk_dir, "--json"), tmp_path, env=env
    )
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done)
    assert found["qt_platform"]["status"] == "FAIL"
    assert found["qt_platform"]["fix"].startswith("sudo apt-get install ")
    assert "libxcb-cursor0" in found["qt_platform"]["fix"].split()
    assert found["font"]["status"] == "OK"  # the other checks ran, offscreen


@linux_only
def test_no_libpulse_means_no_voice_and_names_the_package(kiosk_dir: Path, tmp_path: Path):
    package = pyside_dir()
    assert package is not None
    speech = module_file("QtTextToSpeech", package)
    assert speech is not None
    done = run_without(
        ["libpulse.so.0"], speech, doctor_command(kiosk_dir, "--json"), tmp_path, env=doctor_env()
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = findings(done)["speech"]
    assert found["status"] == "WARN"
    assert "libpulse.so.0" in found["detail"]
    assert found["fix"] == "sudo apt-get install libpulse0"


def test_the_operations_guide_explains_every_check() -> None:
    guide = (REPO_ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Setting up a kiosk tablet: `sangsuk-kiosk doctor`") :]
    for name in CHECKS:
        assert f"| `{name}` |" in section, name
    assert "--json" in section


def test_the_doctor_makes_no_folder_and_writes_no_log(tmp_path: Path) -> None:
    """On a tablet not yet set up, the doctor reports the missing folder; it creates nothing."""
    missing = tmp_path / "not-yet"
    done = run_doctor(missing, "--json")
    assert "data_folder" in findings(done), done.stdout + done.stderr
    assert not missing.exists()


@pytest.mark.skipif(not KEY_WARNS, reason="this checkout carries an update key")
def test_an_installed_kiosk_without_the_update_key_fails(kiosk_dir: Path, tmp_path: Path) -> None:
    """Installed under /opt/sangsuk's layout, a build without the office's key can never update."""
    root = tmp_path / "opt"
    (root / "versions" / "0.1.0").mkdir(parents=True)
    (root / "current").symlink_to(Path("versions") / "0.1.0")
    done = subprocess.run(
        doctor_command(kiosk_dir, "--json"),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**doctor_env(), "SANGSUK_INSTALL_ROOT": str(root)},
        timeout=180,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done)["update_key"]
    assert found["status"] == "FAIL"
    assert "refuse every update" in found["detail"]
    assert "kiosk/assets/update_root.json" in found["fix"]


def test_an_installed_test_bundle_warns_as_its_self_test_does(
    kiosk_dir: Path, tmp_path: Path
) -> None:
    """A tablet installed from a bundle built with --no-update-key (its marker beside where the
    key would be, in a copy of the kiosk's packages): doctor WARNs, as the bundle's --self-test
    does, and says what to install instead; it is not a FAIL the officer cannot act on."""
    copy = tmp_path / "installed"
    for package in ("wire", "kiosk", "sync", "ui"):
        shutil.copytree(
            REPO_ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(REPO_ROOT / "main.py", copy / "main.py")
    marker = copy / TEST_BUILD_MARKER.relative_to(REPO_ROOT)
    (marker.parent / BUNDLED_ROOT.name).unlink(missing_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("test bundle\n", encoding="utf-8")
    root = tmp_path / "opt"
    (root / "versions" / "0.1.0").mkdir(parents=True)
    (root / "current").symlink_to(Path("versions") / "0.1.0")
    done = subprocess.run(
        doctor_command(kiosk_dir, "--json"),
        capture_output=True,
        text=True,
        cwd=copy,
        env={**doctor_env(), "SANGSUK_INSTALL_ROOT": str(root)},
        timeout=180,
        check=False,
    )
    found = findings(done)["update_key"]
    assert found["status"] == "WARN", done.stdout
    assert "This is a test bundle" in found["detail"]
    assert "cannot update itself" in found["detail"]
    assert "install the central office's released bundle" in found["fix"]
    assert "sudo sh install.sh" in found["fix"]


def test_an_installed_layout_is_checked_and_named(kiosk_dir: Path, tmp_path: Path) -> None:
    """/opt/sangsuk as install.sh leaves it (a temporary folder stands for it): current and
    previous lead to programs, the session script is there."""
    root = tmp_path / "opt"
    for version in ("0.1.0", "0.2.0"):
        (root / "versions" / version).mkdir(parents=True)
        program = root / "versions" / version / "sangsuk-kiosk"
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    (root / "current").symlink_to(Path("versions") / "0.2.0")
    (root / "previous").symlink_to(Path("versions") / "0.1.0")
    (root / "bin").mkdir()
    (root / "bin" / "sangsuk-session").write_text("#!/bin/sh\n")
    (root / "bin" / "sangsuk-session").chmod(0o755)
    done = subprocess.run(
        doctor_command(kiosk_dir, "--json"),
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**doctor_env(), "SANGSUK_INSTALL_ROOT": str(root)},
        timeout=180,
        check=False,
    )
    found = findings(done)["installation"]
    assert found["status"] == "OK", found
    assert found["detail"] == f"Version 0.2.0 is installed in {root} (previous: 0.1.0)."
