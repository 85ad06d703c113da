"""Render every kiosk screen, in Thai and in English, to PNG: `python -m ui.screenshots OUTDIR`.

Runs offscreen (it sets QT_QPA_PLATFORM=offscreen unless a platform is already chosen), with
the demo district, at a 10-inch tablet's size, so that a person can look at what citizens see.
``--only NAME...`` renders only the screens named (the file names without -th/-en.png).
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
from ui.screenshots.citizen import KEYBOARD_SHOTS, SCREENS, render_keyboards, render_screens
from ui.screenshots.clerk import clerk_screen_names, render_clerk_screens
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
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="SCREEN",
        help="render only these screens (e.g. welcome rating clerk-overview keyboard-th)",
    )
    args = parser.parse_args(argv)
    known = [*SCREENS, *KEYBOARD_SHOTS, *clerk_screen_names()]
    only = set(args.only) if args.only else None
    if only is not None and only - set(known):
        unknown = ", ".join(sorted(only - set(known)))
        parser.error(f"no screen is called {unknown}; the screens are {', '.join(known)}")
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
    citizen = SCREENS if only is None else {k: v for k, v in SCREENS.items() if k in only}
    keyboards = only is None or bool(only & set(KEYBOARD_SHOTS))
    clerk = only is None or bool(only & set(clerk_screen_names()))  # else no kiosks to set up
    for path in [
        *(render_screens(args.out_dir, size=size, shots=citizen) if citizen else []),
        *(render_keyboards(args.out_dir, size=size) if keyboards else []),
        *(render_clerk_screens(args.out_dir, size=size, only=only) if clerk else []),
    ]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
