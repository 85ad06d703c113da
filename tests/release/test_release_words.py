"""`sangsuk-release` speaks Thai, then English, as `sangsuk-collector` does; ``--language th``
or ``--language en`` prints one. Run as the central IT runs it: the installed command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from release.words import CATALOGUE_DIR, catalogue, usage_words
from tests.updates_repo import fingerprints, make_bundle

COMMAND = Path(sys.executable).with_name("sangsuk-release")  # the venv's console script
SOURCES = Path(__file__).resolve().parents[2] / "release"


def release(*argv: object) -> subprocess.CompletedProcess[str]:
    """Run the installed `sangsuk-release` with argv; what it printed and its exit code."""
    return subprocess.run(
        [str(COMMAND), *map(str, argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def is_thai(line: str) -> bool:
    return any("\u0e00" <= ch <= "\u0e7f" for ch in line)


def test_a_release_is_made_and_said_in_thai_then_english_or_one_language(tmp_path: Path) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    made = release("init", "--repo", repo, "--keys", keys)
    assert made.returncode == 0, made.stderr
    said = made.stdout.splitlines()
    assert said[0] == f"สร้างคลังอัปเดตที่ {repo} และกุญแจลับที่ {keys} แล้ว"
    assert said[1] == f"Made the update repository at {repo} and the private keys at {keys}."
    assert re.fullmatch(r"  root: ใช้ได้ถึง \d{4}-\d\d-\d\d \d\d:\d\d UTC", said[4])
    assert re.fullmatch(r"  root: valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC", said[5])
    assert made.stderr == ""
    bundle = make_bundle(tmp_path / "b-0.2.0", "0.2.0")
    args = ["--repo", repo, "--keys", keys]
    thai = release("add", bundle, "--version", "0.2.0", *args, "--language", "th")
    assert thai.returncode == 0, thai.stderr
    assert thai.stdout.splitlines()[0].startswith("เพิ่มรุ่น 0.2.0 แล้ว: sangsuk-kiosk-0.2.0.tar.gz (")
    assert all(is_thai(line) for line in thai.stdout.splitlines())
    english = release("refresh", *args, "--language", "en")
    assert english.returncode == 0, english.stderr
    lines = english.stdout.splitlines()
    assert lines[0] == "Re-signed: snapshot, timestamp."
    assert not any(is_thai(line) for line in lines)
    assert len(lines) == 5  # and each role's expiry, in English only


def test_a_refusal_is_said_on_stderr_in_both_languages_or_the_one_asked(tmp_path: Path) -> None:
    repo, keys = tmp_path / "repo", tmp_path / "keys"
    assert release("init", "--repo", repo, "--keys", keys).returncode == 0
    before = fingerprints(repo)
    older = make_bundle(tmp_path / "b", "0.1.0")
    args = ["add", older, "--version", "0.3.0", "--repo", repo, "--keys", keys]
    both = release(*args)
    assert both.returncode == 2
    assert both.stdout == ""
    assert both.stderr.splitlines() == [
        f"sangsuk-release: โปรแกรมใน {older} บอกว่าเป็นรุ่น 0.1.0 ไม่ใช่ 0.3.0:"
        " แก้ version ใน pyproject.toml แล้วสร้างใหม่",
        f"sangsuk-release: The bundle in {older} says it is version 0.1.0, not 0.3.0:"
        " set the version in pyproject.toml and build again.",
    ]
    thai, english = both.stderr.splitlines()
    assert release(*args, "--language", "th").stderr.splitlines() == [thai]
    assert release(*args, "--language=en").stderr.splitlines() == [english]
    assert fingerprints(repo) == before
    # argparse's refusal of a command line: Thai, then argparse's English, after the usage.
    usage = release("stick", repo)
    assert usage.returncode == 2
    said = usage.stderr.splitlines()
    assert said[0].startswith("วิธีใช้ / usage: sangsuk-release stick")
    assert said[-2] == (
        "sangsuk-release stick: คำสั่งไม่ถูกต้อง: ยังไม่ได้ระบุ MOUNT"
        " กรุณาดูวิธีใช้ด้านบน หรือพิมพ์ sangsuk-release stick --help"
    )
    assert said[-1] == "sangsuk-release stick: error: the following arguments are required: MOUNT"
    only = release("stick", repo, "--language", "en").stderr.splitlines()
    assert only[0].startswith("usage: sangsuk-release stick")
    assert not any(is_thai(line) for line in only)


def test_the_help_is_thai_and_english_or_the_one_asked() -> None:
    both = release("add", "--help")
    assert both.returncode == 0
    assert "วิธีใช้ / usage: sangsuk-release add" in both.stdout
    assert "ตัวเลือก / options:" in both.stdout
    assert "แสดงวิธีใช้นี้ แล้วจบการทำงาน / show this help message" in both.stdout
    english = release("--language", "en", "add", "--help").stdout
    assert english.startswith("usage: sangsuk-release add")
    assert not is_thai(english)
    thai = release("--help", "--language", "th").stdout
    assert thai.startswith("วิธีใช้: sangsuk-release")
    assert "show this help" not in thai


def test_the_catalogues_are_complete_and_every_key_used_is_in_them() -> None:
    th, en = catalogue("th"), catalogue("en")
    assert th.keys() == en.keys()
    for key in th:
        assert th[key].strip(), key
        assert en[key].strip(), key
        assert set(re.findall(r"\{(\w+)\}", th[key])) == set(re.findall(r"\{(\w+)\}", en[key]))
        assert "'" not in en[key], key  # the English is printed to terminals and scripts
    code = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES.glob("*.py"))
    used = set(re.findall(r'"(release\.[a-z_]+\.[a-z_]+)"', code))
    used |= {f"release.error.{k}" for k in re.findall(r'ReleaseError\(\s*"(\w+)"', code)}
    used |= {f"release.help.{k}" for k in ("init", "add", "refresh", "stick")}
    used |= {f"release.usage.{k}" for k in ("required", "choice", "unknown", "expected", "value")}
    assert used <= th.keys(), used - th.keys()
    assert sorted(p.name for p in CATALOGUE_DIR.iterdir()) == ["en.json", "th.json"]
    assert json.loads((CATALOGUE_DIR / "th.json").read_text(encoding="utf-8")) == th
    assert usage_words("something new", "sangsuk-release").startswith("คำสั่งไม่ถูกต้อง (something new)")
