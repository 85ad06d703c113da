"""The kiosk as it is installed: the wheel carries its assets, and the one-folder build runs.

The one-folder build is made from deploy/sangsuk-kiosk.spec with the `build` group's
PyInstaller (minutes, so it is marked slow), then started as an IT officer starts it: no virtual
environment on PATH, no Python variables, from another folder. It must pass its own self-test,
hold the assets and the Qt the kiosk uses and nothing of the collector, and fail its self-test
when a font is taken out of it. Without PyInstaller the test is skipped, saying so, unless
SANGSUK_REQUIRE_BUNDLE=1 (CI) makes that a failure.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kiosk.updates import BUNDLED_ROOT
from tests.namespaces import REPO_ROOT

SPEC = REPO_ROOT / "deploy" / "sangsuk-kiosk.spec"
NAME = "sangsuk-kiosk"
ASSETS = ("ui/assets", "wire/fonts")
# Nothing of the collector's program may ride along in the kiosk's build.
COLLECTOR_MODULES = ("collector", "fastapi", "starlette", "uvicorn", "jinja2")
# Qt the kiosk never uses: each of these is tens of megabytes.
UNUSED_QT = ("libQt6WebEngine", "libQt6Quick", "libQt6Qml", "libQt6Pdf", "libQt63D")


def tracked_assets() -> list[str]:
    """Return the asset files git tracks, as paths inside the packages."""
    done = subprocess.run(
        ["git", "ls-files", *ASSETS],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=True,
        timeout=60,
    )
    files = done.stdout.split()
    assert any(f.endswith(".ts") for f in files)
    assert any(f.endswith(".ttf") for f in files)
    return files


def clean_env(home: Path) -> dict[str, str]:
    """What a fresh login has: the system's PATH only, no virtual environment, no PYTHON*."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}


def test_the_wheel_carries_every_asset(tmp_path: Path) -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH: the wheel is built with `uv build`")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
        timeout=600,
    )
    (wheel,) = tmp_path.glob("sangsuk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f for f in tracked_assets() if f not in names]
    assert not missing, f"the wheel lacks {missing}"
    assert not [n for n in names if n.endswith(".qm")]  # compiled where it runs, never shipped


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the one-folder bundle once for this module; return its folder."""
    if importlib.util.find_spec("PyInstaller") is None:
        reason = "PyInstaller is not installed: `uv sync --group build` brings it"
        if os.environ.get("SANGSUK_REQUIRE_BUNDLE") == "1":
            pytest.fail(f"SANGSUK_REQUIRE_BUNDLE=1 but {reason}")
        pytest.skip(reason)
    out = tmp_path_factory.mktemp("bundle")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(out / "dist"),
            "--workpath",
            str(out / "work"),
            str(SPEC),
        ],
        cwd=REPO_ROOT,
        # Without the office's key in the checkout, a test bundle, marked so (as build.sh
        # --no-update-key does): its self-test warns rather than fails.
        env={**os.environ, "SANGSUK_NO_UPDATE_KEY": "1"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    folder = out / "dist" / NAME
    assert (folder / NAME).is_file()
    return folder


def run_bundled(folder: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        [str(folder / NAME), *args],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env(tmp_path / "home"),
        timeout=300,
        check=False,
    )


@pytest.mark.slow
def test_the_bundle_passes_its_self_test_in_a_clean_environment(
    bundle: Path, tmp_path: Path
) -> None:
    done = run_bundled(bundle, tmp_path, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    if BUNDLED_ROOT.is_file():
        assert "Self-test OK: all 8 checks passed." in done.stdout
        assert "ผลการตรวจ: ผ่านทั้ง 8 ข้อ" in done.stdout
    else:
        assert "Self-test OK, with 1 warning (update_key)." in done.stdout
        assert "This is a test bundle, built without the update key on purpose" in done.stdout
    assert "แตะเพื่อประเมินความพึงพอใจ" in done.stdout
    # The bundle has no lrelease: the Thai came from the catalogue compiled at build time.
    assert not list(bundle.rglob("lrelease*"))
    assert list((bundle / "_internal" / "ui" / "assets" / "translations").glob("sangsuk_th-*.qm"))


@pytest.mark.slow
def test_the_bundle_holds_the_assets_and_only_the_kiosk(bundle: Path) -> None:
    internal = bundle / "_internal"
    missing = [f for f in tracked_assets() if not (internal / f).is_file()]
    assert not missing, f"the bundle lacks {missing}"
    work = bundle.parent.parent / "work" / NAME
    modules = {entry[0] for entry in ast.literal_eval((work / "PYZ-00.toc").read_text())[-1]}
    assert "ui.self_test" in modules
    assert "sync.operations" in modules
    riders = sorted(m for m in modules if m.split(".")[0] in COLLECTOR_MODULES)
    assert not riders, f"the collector's modules ride along: {riders[:10]}"
    qt_libs = [p.name for p in (internal / "PySide6" / "Qt" / "lib").iterdir()]
    assert any(name.startswith("libQt6TextToSpeech") for name in qt_libs)
    assert any(name.startswith("libQt6Charts") for name in qt_libs)
    unused = sorted(name for name in qt_libs if name.startswith(UNUSED_QT))
    assert not unused, f"Qt the kiosk never uses rides along: {unused}"


@pytest.mark.slow
def test_a_bundle_without_its_fonts_fails_its_self_test(bundle: Path, tmp_path: Path) -> None:
    broken = tmp_path / NAME
    shutil.copytree(bundle, broken, symlinks=True)
    fonts = broken / "_internal" / "wire" / "fonts"
    for font in fonts.glob("*.ttf"):
        font.unlink()
    done = run_bundled(broken, tmp_path, "--self-test")
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"no .ttf files in {fonts}" in done.stdout
    assert "Self-test FAILED: 2 of 8 checks (fonts, welcome)." in done.stdout


@pytest.mark.slow
def test_the_bundle_tells_install_sh_its_version(bundle: Path, tmp_path: Path) -> None:
    """`--version` works from the bundle (its metadata rides along); install.sh names the folder so."""
    version = importlib.metadata.version("sangsuk")
    done = run_bundled(bundle, tmp_path, "--version")
    assert (done.returncode, done.stdout) == (0, f"sangsuk-kiosk {version}\n"), done.stderr
    root = tmp_path / "opt-sangsuk"
    planned = subprocess.run(
        ["/bin/sh", str(REPO_ROOT / "deploy" / "install.sh"), "--dry-run", str(bundle)],
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "SANGSUK_INSTALL_ROOT": str(root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert planned.returncode == 0, planned.stderr
    assert f"+ ln -s versions/{version} {root}/current.new" in planned.stdout.splitlines()


@pytest.mark.slow
def test_a_bundle_built_without_the_key_unasked_fails_its_self_test(
    bundle: Path, tmp_path: Path
) -> None:
    """The test bundle with its marker taken out stands for one built without the key by
    mistake (build.sh refuses that; a bare PyInstaller run does not)."""
    if BUNDLED_ROOT.is_file():
        pytest.skip("this checkout carries the update key: the bundle has it")
    broken = tmp_path / NAME
    shutil.copytree(bundle, broken, symlinks=True)
    (broken / "_internal" / "kiosk" / "assets" / "no_update_key").unlink()
    done = run_bundled(broken, tmp_path, "--self-test")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "This bundle was built without the central office's update key" in done.stdout
    assert "Self-test FAILED: 1 of 8 checks (update_key)." in done.stdout
