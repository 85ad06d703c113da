"""deploy/build.sh refuses to build a bundle without the central office's update key, saying
which file to copy where (Thai, then English), unless told to make a test bundle without it.

The script runs for real from a copy of the deploy folder in a folder standing for a checkout;
the build itself (uv, PyInstaller) is not what is tested here (tests/ui/test_bundle.py builds
the bundle), so a `uv` that writes down it was called stands in for it on PATH.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.namespaces import REPO_ROOT

KEY = "kiosk/assets/update_root.json"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A folder with deploy/build.sh and a `uv` on PATH that records its call and fails."""
    root = tmp_path / "checkout"
    (root / "deploy").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "deploy" / "build.sh", root / "deploy" / "build.sh")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    uv = bin_dir / "uv"
    uv.write_text(
        f'#!/bin/sh\necho "$*" >> {tmp_path / "uv-called"}\n'
        f'echo "${{SANGSUK_NO_UPDATE_KEY:-unset}}" > {tmp_path / "uv-no-update-key"}\nexit 7\n'
    )
    uv.chmod(0o755)
    return root


def build(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{root.parent / 'bin'}{os.pathsep}{os.environ['PATH']}"
    environ = {k: v for k, v in os.environ.items() if k != "SANGSUK_NO_UPDATE_KEY"}
    return subprocess.run(
        ["bash", str(root / "deploy" / "build.sh"), *args],
        capture_output=True,
        text=True,
        env={**environ, "PATH": path, **env},
        timeout=60,
        check=False,
    )


def test_no_update_key_is_refused_before_building_saying_what_to_copy_where(
    checkout: Path,
) -> None:
    done = build(checkout)
    assert done.returncode == 2
    assert not (checkout.parent / "uv-called").exists()  # nothing was built
    lines = done.stderr.splitlines()
    thai = next(i for i, line in enumerate(lines) if "ไม่มีกุญแจอัปเดตของสำนักงานกลาง" in line)
    english = next(i for i, line in enumerate(lines) if "update key is missing" in line)
    assert thai < english  # Thai first
    assert f"cp /srv/sangsuk/updates/metadata/root.json {KEY}" in done.stderr
    assert "bash deploy/build.sh --no-update-key" in done.stderr


def test_an_empty_key_file_is_refused_too(checkout: Path) -> None:
    (checkout / KEY).parent.mkdir(parents=True)
    (checkout / KEY).write_text("")
    assert build(checkout).returncode == 2


@pytest.mark.parametrize(
    ("args", "env"), [(("--no-update-key",), {}), ((), {"SANGSUK_NO_UPDATE_KEY": "1"})]
)
def test_a_test_bundle_without_the_key_is_built_when_asked_and_says_so(
    checkout: Path, args: tuple[str, ...], env: dict[str, str]
) -> None:
    done = build(checkout, *args, **env)
    assert "building WITHOUT the update key" in done.stderr
    assert (checkout.parent / "uv-called").read_text().startswith("sync --locked --group build")
    assert done.returncode == 7  # the stand-in uv's answer: the build went on
    # The spec is told, and marks the bundle a test bundle (its --self-test warns, not fails).
    assert (checkout.parent / "uv-no-update-key").read_text() == "1\n"


def test_with_the_key_in_place_the_build_goes_on(checkout: Path) -> None:
    (checkout / KEY).parent.mkdir(parents=True)
    (checkout / KEY).write_text('{"signed": {"_type": "root"}}')
    done = build(checkout, SANGSUK_NO_UPDATE_KEY="1")
    assert "update key" not in done.stderr
    assert (checkout.parent / "uv-called").exists()
    assert (checkout.parent / "uv-no-update-key").read_text() == "unset\n"  # not a test bundle


def test_an_unknown_option_is_refused(checkout: Path) -> None:
    done = build(checkout, "--no-key")
    assert done.returncode == 2
    assert "unknown option --no-key" in done.stderr
    assert not (checkout.parent / "uv-called").exists()
