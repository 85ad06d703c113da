"""Kiosk UI latency, against a bare Qt baseline measured in the same run.

    uv run python bench/ui_latency.py [--runs 200]

1. Tap to painted: from a button's click() to the first paint of the next screen, offscreen,
   over ``--runs`` transitions of the real kiosk window (rating → who served you by a face,
   and back again). Baseline: a bare QStackedWidget switching between two labels by a button,
   measured the same way, interleaved. Target: p99 at most 50 ms.
2. Cold start: from starting the process to the painted welcome screen (fonts, translations,
   stylesheet, roster, window), against a process that only imports Qt and paints a label.
   Target: at most 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

_COLD_CHILD = """
import os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
{imports}
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            os._exit(0)
        return False
{build}
target.installEventFilter(Painted(target))
app.exec()
"""

_KIOSK_IMPORTS = """
from kiosk.config import load_config
from ui.startup import build_main_window, create_application
from ui.i18n import LanguageSwitcher
"""
_KIOSK_BUILD = """
app = create_application()
switcher = LanguageSwitcher(app)
data_dir = Path(sys.argv[1])
window = build_main_window(load_config(data_dir), switcher, windowed=True, data_dir=data_dir)
window.present()
target = window.welcome
"""
_RAW_IMPORTS = "from PySide6.QtWidgets import QApplication, QLabel"
_RAW_BUILD = """
app = QApplication([])
target = QLabel("สวัสดี")
target.resize(1280, 800)
target.show()
"""


class _PaintClock(QObject):
    """Records when a widget is next painted."""

    def __init__(self) -> None:
        super().__init__()
        self.painted_at: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.painted_at is None:
            self.painted_at = time.perf_counter()
        return False


def tap_to_paint(app: QApplication, button: QPushButton, next_screen: QWidget) -> float:
    """Seconds from button.click() to the first paint of next_screen."""
    clock = _PaintClock()
    next_screen.installEventFilter(clock)
    start = time.perf_counter()
    button.click()
    deadline = start + 5
    while clock.painted_at is None and time.perf_counter() < deadline:
        app.processEvents()
    next_screen.removeEventFilter(clock)
    if clock.painted_at is None:
        raise RuntimeError("the next screen was never painted")
    return clock.painted_at - start


def bare_stack() -> tuple[QWidget, QPushButton, QPushButton, QLabel, QLabel]:
    """A bare window: two pages that switch by a button, the floor of a screen change."""
    root = QWidget()
    stack = QStackedWidget(root)
    pages = []
    buttons = []
    for text in ("หน้าแรก", "หน้าสอง"):
        page = QWidget()
        layout = QVBoxLayout(page)
        label = QLabel(text, page)
        button = QPushButton("ต่อไป", page)
        layout.addWidget(label)
        layout.addWidget(button)
        stack.addWidget(page)
        pages.append(page)
        buttons.append(button)
    buttons[0].clicked.connect(lambda: stack.setCurrentIndex(1))
    buttons[1].clicked.connect(lambda: stack.setCurrentIndex(0))
    QVBoxLayout(root).addWidget(stack)
    root.resize(1280, 800)
    root.show()
    return root, buttons[0], buttons[1], pages[0], pages[1]  # type: ignore[return-value]


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def cold_start(imports: str, build: str, data_dir: Path, runs: int) -> list[float]:
    """Seconds from process start to the first paint, for several fresh processes."""
    root = str(Path(__file__).resolve().parent.parent)
    code = _COLD_CHILD.format(root=root, imports=imports, build=build)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", code, str(data_dir)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if "painted" not in done.stdout:
            raise RuntimeError(f"the child did not paint: {done.stderr[-800:]}")
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    """Run both measurements and print them with their baselines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cold-runs", type=int, default=5)
    args = parser.parse_args()

    from kiosk.config import load_config
    from ui.i18n import LanguageSwitcher
    from ui.startup import build_main_window, create_application

    data_dir = Path(tempfile.mkdtemp(prefix="sangsuk-ui-"))
    app = create_application()
    switcher = LanguageSwitcher(app)
    window = build_main_window(load_config(data_dir), switcher, windowed=True, data_dir=data_dir)
    window.present()
    window.flow.settings = type(window.flow.settings)(min_human_interval_s=0.0)
    app.processEvents()
    window.welcome.start_button.click()
    app.processEvents()
    bare, bare_next, bare_back, bare_first, bare_second = bare_stack()
    app.processEvents()

    kiosk_times: list[float] = []
    raw_times: list[float] = []
    steps: list[tuple[list[float], Callable[[], float]]] = [
        (kiosk_times, lambda: tap_to_paint(app, window.rating.faces[5], window.target)),
        (kiosk_times, lambda: tap_to_paint(app, window.target.back_button, window.rating)),
        (raw_times, lambda: tap_to_paint(app, bare_next, bare_second)),
        (raw_times, lambda: tap_to_paint(app, bare_back, bare_first)),
    ]
    for _ in range(10):  # warm-up: first paints of each screen load glyphs and styles
        for _, step in steps:
            step()
    kiosk_times.clear()
    raw_times.clear()
    while len(kiosk_times) < args.runs:
        for sink, step in steps:
            sink.append(step())
    window.shutdown()
    bare.close()

    print(f"tap to painted next screen, {len(kiosk_times)} transitions each, offscreen:")
    for name, values in (("kiosk window", kiosk_times), ("bare Qt stack", raw_times)):
        print(
            f"  {name:14s} p50 {statistics.median(values) * 1000:6.2f} ms"
            f"  p99 {percentile(values, 99) * 1000:6.2f} ms"
        )
    k99, r99 = percentile(kiosk_times, 99), percentile(raw_times, 99)
    print(
        f"  kiosk p99 / bare p99 = {k99 / r99:.1f}   kiosk p99 {k99 * 1000:.1f} ms (target <= 50 ms)"
    )

    kiosk_cold = cold_start(_KIOSK_IMPORTS, _KIOSK_BUILD, data_dir, args.cold_runs)
    raw_cold = cold_start(_RAW_IMPORTS, _RAW_BUILD, data_dir, args.cold_runs)
    kc, rc = statistics.median(kiosk_cold), statistics.median(raw_cold)
    print(f"cold start to painted window, median of {args.cold_runs} processes:")
    print(f"  kiosk welcome  {kc:.2f} s   bare Qt label {rc:.2f} s   ratio {kc / rc:.1f}")
    print(f"  kiosk cold start {kc:.2f} s (target <= 1.5 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
