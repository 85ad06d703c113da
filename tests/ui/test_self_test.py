"""`sangsuk-kiosk --self-test`, run as a build or an installer runs it: a real process, no screen.

Whole, it exits 0 with every check OK in Thai and English and leaves no data or cache behind.
A broken installation is a real copy of the kiosk's packages with an asset taken out, started
from that copy (``python -m`` puts the current folder first on the path): it exits 1 and names
the missing file where it really was looked for.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.doctor import Finding, Status
from kiosk.updates import BUNDLED_ROOT, TEST_BUILD_MARKER
from tests.namespaces import REPO_ROOT
from ui.self_test import report_lines

CHECKS = ("qt", "fonts", "styles", "translations", "welcome", "optional", "ledger", "update_key")
# A checkout carries the office's update key only if a developer copied it there: a WARN then.
KEY_WARNS = not BUNDLED_ROOT.is_file()
PACKAGES = ("wire", "bilingual", "kiosk", "sync", "ui")


def self_test_env(home: Path) -> dict[str, str]:
    """The environment of a fresh session with no screen: the option must set Qt's platform."""
    env = {**os.environ, "HOME": str(home)}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    env["XDG_DATA_HOME"] = str(home / "data")
    env["XDG_CACHE_HOME"] = str(home / "cache")
    return env


def run_self_test(cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", "--self-test"],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=self_test_env(home),
        timeout=300,
        check=False,
    )


def statuses(stdout: str) -> dict[str, str]:
    """Return each check's status from the report (its lines 'OK    fonts', 'FAIL  welcome')."""
    found = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("OK", "WARN", "FAIL") and parts[1] in CHECKS:
            found[parts[1]] = parts[0]
    return found


@pytest.fixture
def broken_copy(tmp_path: Path) -> Path:
    """A copy of the kiosk's packages, as an installation would hold them, to take parts out of."""
    copy = tmp_path / "installed"
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    return copy


def test_a_whole_installation_passes_in_thai_and_english(tmp_path: Path) -> None:
    done = run_self_test(REPO_ROOT, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    found = statuses(done.stdout)
    assert found == {**dict.fromkeys(CHECKS, "OK"), "update_key": "WARN" if KEY_WARNS else "OK"}
    if KEY_WARNS:  # a checkout without the key: said, but no failure (no bundle was built)
        assert "Self-test OK, with 1 warning (update_key)." in done.stdout
        assert "ผลการตรวจ: ผ่าน โดยมีคำเตือน 1 ข้อ (update_key)" in done.stdout
    else:
        assert "Self-test OK: all 8 checks passed." in done.stdout
        assert "ผลการตรวจ: ผ่านทั้ง 8 ข้อ" in done.stdout
    assert "แตะเพื่อประเมินความพึงพอใจ" in done.stdout  # the Thai translation, as it came back
    assert "The Sarabun font loads (4 files) and draws Thai." in done.stdout
    assert "verified as `sangsuk-kiosk verify` does" in done.stdout
    # Nothing of a kiosk was made: no data folder, no log, no cached catalogue.
    assert not (tmp_path / "data").exists()
    assert not (tmp_path / "cache").exists()


def test_missing_fonts_fail_naming_the_folder(broken_copy: Path, tmp_path: Path) -> None:
    fonts = broken_copy / "wire" / "fonts"
    for font in fonts.glob("*.ttf"):
        font.unlink()
    done = run_self_test(broken_copy, tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    found = statuses(done.stdout)
    assert found["fonts"] == "FAIL"
    assert found["welcome"] == "FAIL"  # not checked: it needs the fonts
    assert found["translations"] == found["styles"] == found["ledger"] == "OK"
    assert f"no .ttf files in {fonts}" in done.stdout
    assert "โหลดแบบอักษร Sarabun ไม่ได้ ภาษาไทยจะแสดงเป็นกล่องว่าง" in done.stdout
    assert "Not checked: fonts failed (fix that first)." in done.stdout
    assert "Self-test FAILED: 2 of 8 checks (fonts, welcome)." in done.stdout


def test_missing_translations_fail_naming_the_file(broken_copy: Path, tmp_path: Path) -> None:
    catalogue = broken_copy / "ui" / "assets" / "translations" / "sangsuk_th.ts"
    catalogue.unlink()
    done = run_self_test(broken_copy, tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    found = statuses(done.stdout)
    assert found["translations"] == found["welcome"] == "FAIL"
    assert found["fonts"] == "OK"
    assert f"the translations {catalogue} cannot be read" in done.stdout
    assert "ผลการตรวจ: ไม่ผ่าน 2 จาก 8 ข้อ (translations, welcome)" in done.stdout


def test_an_empty_stylesheet_fails(broken_copy: Path, tmp_path: Path) -> None:
    sheet = broken_copy / "ui" / "assets" / "styles" / "kiosk.qss"
    sheet.write_text("\n", encoding="utf-8")
    done = run_self_test(broken_copy, tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert statuses(done.stdout)["styles"] == "FAIL"
    assert f"      ไม่ผ่าน: ไฟล์รูปแบบหน้าจอ {sheet} ว่างเปล่า\n" in done.stdout
    assert f"      Failed: the stylesheet {sheet} is empty\n" in done.stdout
    assert "Not checked: styles failed (fix that first)." in done.stdout
    assert "ยังตรวจไม่ได้ เพราะข้อ styles ไม่ผ่าน (แก้ข้อนั้นก่อน)" in done.stdout


def test_self_test_takes_no_subcommand(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", "--self-test", "verify"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=self_test_env(tmp_path),
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "--self-test ใช้ร่วมกับคำสั่งย่อยไม่ได้" in done.stderr
    assert "--self-test takes no subcommand" in done.stderr


def test_one_warning_is_said_as_one() -> None:
    findings = [Finding(check, Status.OK, "ผ่าน", "passed") for check in CHECKS]
    findings[CHECKS.index("optional")] = Finding("optional", Status.WARN, "คำเตือน", "a warning")
    assert report_lines(findings)[-2:] == [
        "ผลการตรวจ: ผ่าน โดยมีคำเตือน 1 ข้อ (optional)",
        "Self-test OK, with 1 warning (optional).",
    ]
    findings[0] = Finding("qt", Status.WARN, "คำเตือน", "a warning")
    assert report_lines(findings)[-1] == "Self-test OK, with 2 warnings (qt, optional)."


def test_a_test_build_marked_without_the_key_warns_and_says_never_to_install_it(
    broken_copy: Path, tmp_path: Path
) -> None:
    """The marker the spec puts in a bundle built with --no-update-key: a WARN, exit 0."""
    marker = broken_copy / TEST_BUILD_MARKER.relative_to(REPO_ROOT)
    (marker.parent / "update_root.json").unlink(missing_ok=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("test bundle\n", encoding="utf-8")
    done = run_self_test(broken_copy, tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert statuses(done.stdout)["update_key"] == "WARN"
    assert "This is a test bundle, built without the update key on purpose (--no-update-key)" in (
        done.stdout
    )
    assert "Do not use it on a district's tablet" in done.stdout
    assert "โปรแกรมนี้เป็นชุดทดสอบ สร้างโดยไม่มีกุญแจอัปเดต" in done.stdout
