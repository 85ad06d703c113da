"""Headless Chromium from the command line: a page's DOM after it loaded, or a screenshot.

Debian's chromium (/usr/bin/chromium; CI installs it) with the flags that keep it quiet and
self-contained: no sandbox (containers), no GPU, no network of its own, a throw-away profile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")


def chromium_path() -> str | None:
    """The Chromium binary, or None when it is not installed."""
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    binary = chromium_path()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="sangsuk-chromium-") as profile:
        command = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            f"--user-data-dir={profile}",
            *args,
        ]
        env = dict(os.environ, HOME=profile)
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False, env=env
        )


def dump_dom(url: str, timeout: float = 90) -> str:
    """The page's DOM as Chromium serialises it after loading url."""
    done = _run(["--virtual-time-budget=5000", "--dump-dom", url], timeout)
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def screenshot(
    url: str, path: Path, width: int = 1280, height: int = 1600, timeout: float = 90
) -> None:
    """Save a PNG of url as a window of width x height pixels shows it."""
    done = _run(
        [
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            f"--window-size={width},{height}",
            f"--screenshot={path}",
            url,
        ],
        timeout,
    )
    if done.returncode != 0 or not path.is_file():
        raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
