"""The kiosk covers the whole screen in a real display server, seen from outside its process.

A bare X server (Xvfb, no window manager: what a kiosk session without a desktop has) at the
smallest and a common tablet size, and with a window manager (openbox) that really minimises.
The real kiosk (``python main.py``) runs in a child process; its window is measured with
xwininfo, minimised with xdotool, and the screen photographed from another process. A machine
without Xvfb or openbox skips these; CI (.ci/run sets SANGSUK_REQUIRE_DISPLAYS) installs them.
What Xvfb cannot do on request (turn the screen, change its size) is checked in this
process, on the window itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QRect
from PySide6.QtGui import QImage

from tests.ui.displays import (
    REQUIRED,
    ROOT,
    edges_are_the_kiosks,
    stop,
    wait_for,
    xvfb,
)
from ui.app import KioskWindow

# A child process that photographs the whole screen of the display it is given.
GRAB = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv)\n"
    "sys.exit(0 if app.primaryScreen().grabWindow(0).save(sys.argv[1]) else 1)\n"
)

needs_x = pytest.mark.skipif(
    not REQUIRED and not all(shutil.which(t) for t in ("Xvfb", "xwininfo", "xdotool")),
    reason="Xvfb, xwininfo or xdotool is not installed (apt-get install xvfb x11-utils xdotool)",
)


@contextmanager
def kiosk_process(env: dict[str, str], data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The real kiosk, as a tablet starts it, in kiosk mode; ended afterwards."""
    process = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(data_dir)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        stop(process)


def _kiosk_window(display: str) -> tuple[str, str, int, int, int, int] | None:
    """The kiosk's top-level X window: (id, map state, x, y, width, height), or None yet."""
    tree = subprocess.run(
        ["xwininfo", "-root", "-tree"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for line in tree.splitlines():
        found = re.match(
            r'\s*(0x[0-9a-f]+) .*\("main\.py" "sangsuk"\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)', line
        )
        if found:
            window = found.group(1)
            info = subprocess.run(
                ["xwininfo", "-id", window],
                env={**os.environ, "DISPLAY": display},
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            state = re.search(r"Map State: (\w+)", info)
            width, height, x, y = (int(found.group(i)) for i in range(2, 6))
            return window, state.group(1) if state else "", x, y, width, height
    return None


def _grab(display: str, path: Path) -> QImage:
    """Photograph the whole X screen from a process of its own; return the picture."""
    subprocess.run(
        [sys.executable, "-c", GRAB, str(path)],
        env={**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        check=True,
    )
    return QImage(str(path))


@contextmanager
def window_manager(display: str, name: str | None) -> Iterator[None]:
    """A window manager on the display (openbox, as a desktop has one), or none at all."""
    if name is None:
        yield
        return
    manager = subprocess.Popen(
        [name],
        env={**os.environ, "DISPLAY": display},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def managing() -> bool:
        assert manager.poll() is None, f"{name} exited with {manager.returncode}"
        root = subprocess.run(
            ["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return "window id" in root

    try:
        wait_for(f"{name} to manage the display", managing)
        yield
    finally:
        stop(manager)


@needs_x
@pytest.mark.parametrize(
    ("width", "height", "manager"),
    [(1280, 800, None), (1024, 600, None), (1024, 600, "openbox")],
    ids=["1280x800-bare", "1024x600-bare", "1024x600-openbox"],
)
def test_the_kiosk_fills_an_x_screen_and_comes_back_when_minimised(
    width: int, height: int, manager: str | None, tmp_path: Path
) -> None:
    """With no window manager nobody honours "full screen": the kiosk sizes itself to the screen.

    Under a window manager, a minimise really hides the window (openbox iconifies it): the
    kiosk must bring itself back.
    """
    if manager is not None and not REQUIRED and shutil.which(manager) is None:
        pytest.skip(f"{manager} is not installed (apt-get install {manager})")
    with (
        xvfb(width, height) as display,
        window_manager(display, manager),
        kiosk_process({"DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}, tmp_path / "data") as process,
    ):
        full = (0, 0, width, height)

        def filled() -> tuple[str, str, int, int, int, int] | None:
            assert process.poll() is None, f"the kiosk exited with {process.returncode}"
            window = _kiosk_window(display)
            return window if window and window[1] == "IsViewable" and window[2:] == full else None

        window = wait_for(f"the kiosk to cover {width}×{height}", filled)
        assert isinstance(window, tuple)
        picture = _grab(display, tmp_path / f"x-{width}x{height}-{manager or 'bare'}.png")
        assert (picture.width(), picture.height()) == (width, height)
        wait_for(
            "the welcome screen to paint the screen's edges",
            lambda: not edges_are_the_kiosks(_grab(display, tmp_path / "edges.png")),
        )

        subprocess.run(
            ["xdotool", "windowminimize", window[0]],
            env={**os.environ, "DISPLAY": display},
            check=True,
        )
        wait_for("the kiosk to be back, full screen, after a minimise", filled)


def test_a_minimised_kiosk_comes_back_to_the_front_full_screen(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    """Alt+Space → "Iconify" under a window manager must not hide the kiosk for good."""
    window = make_window(windowed=False)
    window.showMinimized()
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized())
    screen = window.screen()
    assert window.isVisible()
    assert window.geometry() == screen.geometry()


def test_the_kiosk_covers_its_screen_again_when_the_screen_changes(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    """A new resolution or a turned screen (its geometry changes): the kiosk fills it again."""
    window = make_window(windowed=False)
    screen = window.screen()
    # As a bare X server leaves it: not full screen and the size of no screen.
    window.showNormal()
    window.setGeometry(QRect(0, 0, 400, 300))
    qtbot.waitUntil(lambda: window.geometry() == QRect(0, 0, 400, 300))
    screen.geometryChanged.emit(screen.geometry())
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    assert window.isFullScreen()


def test_a_windowed_kiosk_for_development_may_be_minimised(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    """--windowed is a normal window: minimised, it stays minimised."""
    window = make_window(windowed=True)
    assert window.full_screen is None
    window.showMinimized()
    assert window.isMinimized()
    QCoreApplication.processEvents()  # what a kiosk window would have queued runs now
    assert window.isMinimized()
    assert not window.isFullScreen()


def test_a_closed_kiosk_stays_closed_when_the_screen_changes(
    qtbot, make_window: Callable[..., KioskWindow]
) -> None:
    """Only a shown kiosk follows its screen: a screen change after shutdown shows nothing."""
    window = make_window(windowed=False)
    screen = window.screen()
    assert window.shutdown()
    screen.geometryChanged.emit(screen.geometry())
    QCoreApplication.processEvents()
    assert not window.isVisible()
