"""Real display servers for the tests that look at the kiosk from outside its process.

A bare X server (Xvfb) of a given size, waiting on another process with a deadline, ending a
child and everything it started, and the welcome screen's colours on a screen's edges: shared
by tests/ui/test_full_screen.py (X) and tests/ui/test_cage.py (Wayland, cage).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = bool(os.environ.get("SANGSUK_REQUIRE_DISPLAYS"))
# ui/assets/styles/kiosk.qss: the welcome screen's paper, and the band along its bottom.
PAPER = QColor("#FBF6EC").name()
BAND = QColor("#14503F").name()
WAIT_S = 60.0  # how long a display server or the kiosk may take to appear (a wait, not a check)


def wait_for(what: str, probe: object) -> object:
    """Call ``probe`` until it returns something true, or fail after WAIT_S saying what."""
    assert callable(probe)
    deadline = time.monotonic() + WAIT_S
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"waited {WAIT_S:.0f} s for {what}")
        time.sleep(0.2)  # polling another process; nothing to wait on in this one


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a child and everything it started (its own process group), and reap it."""
    if process.poll() is None:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # anything the child left in its group


@contextmanager
def xvfb(width: int, height: int) -> Iterator[str]:
    """A bare X server of that size on a free display; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"),
            *("-screen", "0", f"{width}x{height}x24"),
        ],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            number = pipe.readline().strip().decode()  # Xvfb writes it once it listens
        assert number.isdigit(), f"Xvfb did not start (exit code {server.poll()})"
        yield f":{number}"
    finally:
        stop(server)


def edges_are_the_kiosks(image: QImage) -> list[str]:
    """Where, on the picture's edges, something other than the welcome screen's paper shows."""
    w, h = image.width(), image.height()
    points = {
        "top left": (0, 0, PAPER),
        "top right": (w - 1, 0, PAPER),
        "left middle": (0, h // 2, PAPER),
        "right middle": (w - 1, h // 2, PAPER),
        "bottom left": (0, h - 1, BAND),
        "bottom right": (w - 1, h - 1, BAND),
    }
    return [
        f"{name} {image.pixelColor(x, y).name()} instead of {colour}"
        for name, (x, y, colour) in points.items()
        if image.pixelColor(x, y).name() != colour
    ]
