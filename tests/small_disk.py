"""Python code run on a real, small, private filesystem: a tmpfs of a given size mounted in a
user and mount namespace of its own (``unshare -rm``), so a test can fill a disk for real
without root and without touching the machine's disks. Skips where namespaces are not allowed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def run_on_small_disk(mount: Path, size: str, code: str, *, timeout: float) -> dict[str, Any]:
    """Run code (argv[1] is the mount) with a tmpfs of size at mount; the JSON it printed last."""
    mount.mkdir(parents=True, exist_ok=True)
    script = f'mount -t tmpfs -o size={size} tmpfs "$1" || exit 77; exec "$2" -c "$3" "$1"'
    try:
        done = subprocess.run(
            ["unshare", "-rm", "sh", "-c", script, "sh", str(mount), sys.executable, code],
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        pytest.skip("unshare is not installed: no private small filesystem")
    if done.returncode == 77 or (done.returncode != 0 and "unshare" in done.stderr):
        pytest.skip(f"no private mount namespace here: {done.stderr.strip()[:200]}")
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
