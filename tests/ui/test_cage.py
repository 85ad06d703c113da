"""The kiosk covers the whole output of Debian's cage, the Wayland kiosk compositor of a tablet.

The real kiosk (``python main.py``, kiosk mode, ``QT_QPA_PLATFORM=wayland``) is cage's one
client, and grim photographs cage's output from outside (wlr-screencopy). The picture must be
the welcome screen from edge to edge: its paper along the top and the sides, its band along the
bottom, its start button in the middle. A machine without cage or grim skips these; CI
(.ci/run sets SANGSUK_REQUIRE_DISPLAYS) installs them, and xwayland, without which Debian 12's
cage does not start (it makes its X server ready for X clients, though the kiosk is none).

What Debian 12's cage (0.1.4, on wlroots 0.15) allows, and so how the sizes are made:

- Its headless backend has one output of 1280×720, a size fixed in wlroots; cage 0.1.4 has no
  output-management protocol, so wlr-randr cannot change it. That output is turned 180° (cage
  ``-r -r``, a tablet mounted upside down): upright, cage hands the kiosk's own buffer straight
  to the output (direct scan-out), and wlroots 0.15 then repaints a screenshot only where
  something changed since, so grim shows a stale frame (black where nothing was drawn) while
  the screen shows the kiosk. Turned, cage composes every frame and grim sees what is shown.
- Its X11 backend shows the output in a window of a bare X server (Xvfb), and the output takes
  that window's size whenever it changes: the kiosk starts at 1024×768, then the output becomes
  1280×800 and 1024×600 under it, as a new resolution would, and the kiosk must follow.

cage refuses to run as root (CI runs as root): there, it runs in a user namespace as an
ordinary user (id 1000 inside). Outside it is still this user, so it runs this venv's Python
(under /root, which nobody else may enter) and writes the test's folders: no permission changes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from PySide6.QtGui import QColor, QImage

from tests.ui.displays import (
    REQUIRED,
    ROOT,
    WAIT_S,
    edges_are_the_kiosks,
    stop,
    wait_for,
    xvfb,
)

pytestmark = [pytest.mark.slow, pytest.mark.render]

# assets/styles/kiosk.qss: the welcome screen's start button.
START = QColor("#1D6B55").name()
USER_ID = 1000  # who cage is inside its user namespace when the tests run as root
SOCKET = "wayland-0"  # the first socket name cage takes, in a runtime folder of its own


def _missing(what: str) -> NoReturn:
    """Skip for want of a tool, or fail where the tools must be there (CI)."""
    if REQUIRED:
        pytest.fail(f"{what} (SANGSUK_REQUIRE_DISPLAYS is set)")
    pytest.skip(what)


def _require(*tools: str) -> None:
    """The programs a test runs must be installed."""
    absent = [tool for tool in tools if shutil.which(tool) is None]
    if absent:
        _missing(f"{', '.join(absent)} not installed (see the README's test packages)")


def _as_an_ordinary_user() -> list[str]:
    """The command prefix that keeps cage from being root, which it refuses to be."""
    if os.geteuid() != 0:
        return []
    _require("unshare")
    prefix = ["unshare", "--user", f"--map-user={USER_ID}", f"--map-group={USER_ID}"]
    done = subprocess.run([*prefix, "true"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        _missing(f"cage will not run as root, and no user namespace here: {done.stderr.strip()}")
    return prefix


def _tail(log: Path) -> str:
    """The end of what cage and the kiosk wrote, for a failure message."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-30:])


def _end(process: subprocess.Popen[bytes]) -> None:
    """End the kiosk, which ends cage (a signal to cage 0.1.4 itself aborts it), then the rest."""
    if process.poll() is None:
        with suppress(OSError):  # no /proc/PID/task/PID/children: stop ends them all
            children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
            for child in children.split():
                with suppress(ProcessLookupError):
                    os.kill(int(child), signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=WAIT_S)
    stop(process)  # anything left in cage's process group


@dataclass(frozen=True)
class Cage:
    """A running cage: its process, its runtime folder (its socket), what it and the kiosk say."""

    process: subprocess.Popen[bytes]
    runtime: Path
    log: Path

    def photograph(self, picture: Path) -> QImage | str:
        """grim's picture of the whole output, or why grim could not take it."""
        done = subprocess.run(
            ["grim", str(picture)],
            env={**os.environ, "XDG_RUNTIME_DIR": str(self.runtime), "WAYLAND_DISPLAY": SOCKET},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            return f"grim: {done.stderr.strip() or done.returncode}"
        return QImage(str(picture))

    def filled(self, width: int, height: int, picture: Path) -> QImage:
        """Photograph the output until the kiosk fills it at that size; else fail, saying how."""
        deadline = time.monotonic() + WAIT_S
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"cage exited with {self.process.returncode}:\n{_tail(self.log)}")
            image = self.photograph(picture)
            found = [image] if isinstance(image, str) else _not_covered(image, width, height)
            if not found:
                assert isinstance(image, QImage)
                return image
            if time.monotonic() > deadline:
                pytest.fail(
                    f"waited {WAIT_S:.0f} s for the kiosk to fill cage's {width}×{height} output;"
                    f" last seen: {'; '.join(found)} ({picture})\n{_tail(self.log)}"
                )
            time.sleep(0.2)  # polling other processes; nothing to wait on in this one


@contextmanager
def cage(
    backend: str, options: list[str], tmp_path: Path, display: str | None = None
) -> Iterator[Cage]:
    """cage with that backend (and cage's options), running the kiosk in kiosk mode."""
    prefix = _as_an_ordinary_user()
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    log = tmp_path / "cage.log"
    with tempfile.TemporaryDirectory(prefix="sangsuk-wayland-") as runtime:  # short, 0700
        env |= {
            "XDG_RUNTIME_DIR": runtime,
            "WLR_BACKENDS": backend,
            "WLR_RENDERER": "pixman",  # no GPU needed, the same pixels everywhere
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "QT_QPA_PLATFORM": "wayland",  # not the tests' offscreen
        }
        if display is not None:
            env["DISPLAY"] = display  # the X server the X11 backend shows its output in
        with log.open("wb") as output:
            process = subprocess.Popen(
                [
                    *(*prefix, "cage", *options, "--"),
                    *(sys.executable, "main.py", "--data-dir", str(tmp_path / "data")),
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            yield Cage(process, Path(runtime), log)
        finally:
            _end(process)


def _not_covered(picture: QImage, width: int, height: int) -> list[str]:
    """What, in a picture of the whole output, shows that the welcome screen does not fill it."""
    if picture.isNull():
        return ["grim's picture cannot be read"]
    if (picture.width(), picture.height()) != (width, height):
        return [f"the output is {picture.width()}×{picture.height()}"]
    problems = edges_are_the_kiosks(picture)
    middle = range(height // 4, 3 * height // 4)
    if not any(picture.pixelColor(width // 2, y).name() == START for y in middle):
        problems.append(f"the start button's {START} is not in the middle of the screen")
    return problems


def _output_window(display: str) -> str | None:
    """The X window that shows cage's output (the X server's only top-level window), or None."""
    children = subprocess.run(
        ["xwininfo", "-root", "-children"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"^\s*(0x[0-9a-f]+) ", children, re.MULTILINE)
    return found.group(1) if found else None


def test_the_kiosk_fills_the_output_of_a_headless_cage(tmp_path: Path) -> None:
    """cage's headless output (1280×720, turned 180°: see above) is the kiosk's, edge to edge."""
    _require("cage", "Xwayland", "grim")
    with cage("headless", ["-r", "-r"], tmp_path) as compositor:
        compositor.filled(1280, 720, tmp_path / "cage-headless-1280x720.png")


def test_the_kiosk_fills_cage_at_tablet_sizes_and_follows_each_new_size(tmp_path: Path) -> None:
    """cage's output, shown in an X window, changes size under the kiosk: it fills each size."""
    _require("cage", "Xwayland", "grim", "Xvfb", "xwininfo", "xdotool")
    with xvfb(1280, 800) as display, cage("x11", [], tmp_path, display) as compositor:
        compositor.filled(1024, 768, tmp_path / "cage-x11-1024x768.png")  # the X11 backend's
        window = wait_for("cage's output window", lambda: _output_window(display))
        for width, height in [(1280, 800), (1024, 600)]:
            subprocess.run(
                ["xdotool", "windowsize", str(window), str(width), str(height)],
                env={**os.environ, "DISPLAY": display},
                check=True,
            )
            compositor.filled(width, height, tmp_path / f"cage-x11-{width}x{height}.png")
