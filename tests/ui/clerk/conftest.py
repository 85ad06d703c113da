"""What the clerk's screen tests share: each supported panel, at its own density."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.setup import SUPPORTED_PANELS, Panel
from ui.widgets.sizes import assume_dpi


@pytest.fixture(params=SUPPORTED_PANELS, ids=lambda panel: panel.name)
def panel(request: pytest.FixtureRequest) -> Iterator[Panel]:
    """Size everything at the panel's density; the screens are believed again after."""
    chosen: Panel = request.param
    assume_dpi(chosen.dpi)
    try:
        yield chosen
    finally:
        assume_dpi(None)
