"""Text reads as large on the densest supported panel as on the 10-inch 1280x800 it was set on."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kiosk.setup import SUPPORTED_PANELS, Panel
from ui.app import KioskWindow
from ui.screenshots.shared import settle
from ui.startup import create_application
from ui.widgets.sizes import TEXT_DPI, assume_dpi, scaled_stylesheet


@pytest.fixture
def on_panel(request: pytest.FixtureRequest) -> Iterator[Panel]:
    """Believe the panel's density, with the stylesheet loaded for it; the screen's after."""
    panel: Panel = request.param
    assume_dpi(panel.dpi)
    create_application()  # loads the stylesheet again, for this density
    try:
        yield panel
    finally:
        assume_dpi(None)
        create_application()


def title_mm(make_kiosk: Callable[..., KioskWindow], panel: Panel) -> float:
    """Return how tall the welcome title's type is on the panel, in millimetres."""
    kiosk = make_kiosk()
    kiosk.resize(panel.width_px, panel.height_px)
    settle()
    return kiosk.welcome.title.font().pixelSize() / panel.dpi * 25.4


@pytest.mark.parametrize("on_panel", SUPPORTED_PANELS, ids=lambda p: p.name, indirect=True)
def test_the_type_is_never_smaller_than_on_the_panel_it_was_set_on(
    make_kiosk: Callable[..., KioskWindow], on_panel: Panel
) -> None:
    set_on = 52 / TEXT_DPI * 25.4  # the welcome title's 52 px at 150 dpi: 8.8 mm
    shown = title_mm(make_kiosk, on_panel)
    assert shown >= set_on * 0.98, f"{shown:.1f} mm on {on_panel.name}, {set_on:.1f} mm set"
    if on_panel.dpi > TEXT_DPI:  # a denser panel: as large as set, not larger
        assert shown == pytest.approx(set_on, rel=0.03)


def test_lengths_in_pixels_grow_only_on_a_denser_screen() -> None:
    sheet = "QLabel#a2px { font-size: 30px; padding: 8px 12px; border: 2px solid #1d6b55; }"
    assert scaled_stylesheet(sheet, 96.0) == sheet
    assert scaled_stylesheet(sheet, 150.0) == sheet
    assert scaled_stylesheet(sheet, 225.0) == (
        "QLabel#a2px { font-size: 45px; padding: 12px 18px; border: 3px solid #1d6b55; }"
    )
