"""Millimetres on the screen: how big a touch target is, and how much room lies between two.

A citizen's finger is the same size on every tablet, so sizes are set in millimetres and turned
into pixels from the screen's physical density (a screen that reports nonsense is not believed).
"""

from __future__ import annotations

import math
import re
from typing import Final

from PySide6.QtGui import (
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QWidget,
)

TOUCH_MIN_MM: Final = 15.0  # the smallest touch target on any citizen screen
TOUCH_GAP_MM: Final = 2.0  # the least room between two controls, so a finger hits only one
PLAUSIBLE_DPI: Final = (50.0, 1000.0)  # a screen reporting a density outside this is not believed
FALLBACK_DPI: Final = 96.0  # what is assumed then: an ordinary screen
# The stylesheets' sizes were set on a 10-inch 1280 x 800 panel (150 dpi). On a denser panel
# they grow with the density, so that text reads as large as there (never smaller).
TEXT_DPI: Final = 150.0
QWIDGETSIZE_MAX: Final = 16_777_215  # Qt's "no maximum" for a widget's size
_PIXELS: Final = re.compile(r"(?<![\w.#-])(\d+(?:\.\d+)?)px\b")


_assumed_dpi: float | None = None


def assume_dpi(dpi: float | None) -> None:
    """Size everything as if every screen had this density (None: believe the screens again).

    For pictures and checks of a tablet's panel on another machine (``python -m ui.screenshots
    --size``, the tests of every supported screen), where the screen is not the panel.
    """
    global _assumed_dpi
    if dpi is not None and not PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:
        raise ValueError(f"a density of {dpi} dpi is not a screen's")
    _assumed_dpi = dpi


def assumed_dpi() -> float | None:
    """Return the density set by assume_dpi, or None when the screens are believed."""
    return _assumed_dpi


def screen_dpi(widget: QWidget) -> float:
    """Return the physical density of the widget's screen in dots per inch, as the kiosk believes it."""
    if _assumed_dpi is not None:
        return _assumed_dpi
    screen = widget.screen() or QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else FALLBACK_DPI
    if not PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1]:  # a screen that reports nonsense
        dpi = FALLBACK_DPI
    return dpi


def primary_dpi() -> float:
    """Return the density the kiosk believes its (primary) screen has, before any window exists."""
    if _assumed_dpi is not None:
        return _assumed_dpi
    screen = QGuiApplication.primaryScreen()
    dpi = screen.physicalDotsPerInch() if screen is not None else FALLBACK_DPI
    return dpi if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else FALLBACK_DPI


def text_scale(dpi: float) -> float:
    """Return how much larger than the stylesheet's pixels text is drawn at this density."""
    return max(1.0, dpi / TEXT_DPI)


def scaled_stylesheet(stylesheet: str, dpi: float) -> str:
    """Return the stylesheet with every length in pixels (type, padding, borders, corners)
    grown for the density (see TEXT_DPI), so a dense panel looks as the design was set."""
    scale = text_scale(dpi)
    if scale == 1.0:
        return stylesheet
    return _PIXELS.sub(lambda m: f"{round(float(m.group(1)) * scale)}px", stylesheet)


def mm_to_px(widget: QWidget, mm: float) -> int:
    """Return how many device-independent pixels span mm millimetres on the widget's screen."""
    return math.ceil(mm / 25.4 * screen_dpi(widget))


def design_px(widget: QWidget, px: int) -> int:
    """Return a drawing's size from the design (px at up to TEXT_DPI) on the widget's screen.

    It grows as the stylesheet's pixels do (scaled_stylesheet), so a drawing beside text (the
    sun, a card's avatar, the notice mark) keeps its size next to that text on a dense panel.
    """
    return round(px * text_scale(screen_dpi(widget)))


def gap_px(widget: QWidget, least: int = 0) -> int:
    """Return the room to leave between two controls on the widget's screen (at least `least` px)."""
    return max(least, mm_to_px(widget, TOUCH_GAP_MM))
