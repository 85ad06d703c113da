"""Render every kiosk screen, in Thai and in English, to PNG: `python -m ui.screenshots OUTDIR`.

Runs offscreen (it sets QT_QPA_PLATFORM=offscreen unless a platform is already chosen), with
the demo district, at a 10-inch tablet's size, so that a person can look at what citizens see.
``--size`` picks another supported panel (kiosk/setup.py ``SUPPORTED_PANELS``); millimetres are
turned into pixels at that panel's density, or at ``--dpi``.
Each screen is reached by driving the real flow (kiosk/flow.py) on a clock that stands still,
in a fresh kiosk window: the welcome, the faces, who served you (the demo roster, one with
40 staff, and one with long service and tag names), the tags and the story on the keyboard,
saving, thanks, the failure screen, "still there?", the cooldown message, large-text and
high-contrast variants, the speaker (reading, and with no voice), and the keyboard focus outline
(``-keys``) in both styles. The on-screen keyboard is rendered on its own too (keyboard-th.png,
keyboard-th-shift.png, keyboard-en.png), and so are the district clerk's screens (clerk-*.png).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QSize

from kiosk.setup import SUPPORTED_PANELS
from ui.screenshots.citizen import render_keyboards, render_screens
from ui.screenshots.clerk import render_clerk_screens
from ui.widgets.sizes import PLAUSIBLE_DPI, assume_dpi


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, render the screenshots and print where they went."""
    parser = argparse.ArgumentParser(prog="python -m ui.screenshots", description=__doc__)
    parser.add_argument("out_dir", type=Path, help="folder for the PNG files")
    parser.add_argument(
        "--size", default="1280x800", help="window size as WIDTHxHEIGHT (default 1280x800)"
    )
    parser.add_argument(
        "--dpi",
        type=float,
        help="the panel's density (default: a supported panel's own, else the screen's)",
    )
    args = parser.parse_args(argv)
    try:
        width, height = (int(part) for part in args.size.lower().split("x"))
    except ValueError:
        parser.error(f"--size must look like 1280x800, not {args.size!r}")
    dpi = args.dpi
    if dpi is None:
        panels = {(p.width_px, p.height_px): p.dpi for p in SUPPORTED_PANELS}
        dpi = panels.get((width, height))
    if dpi is not None and not PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:
        parser.error(f"--dpi must be between {PLAUSIBLE_DPI[0]:g} and {PLAUSIBLE_DPI[1]:g}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    size = QSize(width, height)
    assume_dpi(dpi)
    for path in [
        *render_screens(args.out_dir, size=size),
        *render_keyboards(args.out_dir, size=size),
        *render_clerk_screens(args.out_dir, size=size),
    ]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
