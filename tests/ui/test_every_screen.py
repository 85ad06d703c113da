"""Every citizen and clerk screen, at every supported panel, in Thai and English, with normal and
large text: nothing cut, clipped or overlapped, and every target a fingertip wide.

The screens are those of the screenshot script (ui/screenshots: every citizen state, the
keyboard, every clerk page and setup step), each rendered at the panel's pixels with the
kiosk sizing millimetres at the panel's density (kiosk/setup.py ``SUPPORTED_PANELS``). Each
citizen picture is checked to be whole too (drawn, in both languages, its variants differing).
Large text is a citizen's choice: every citizen screen is checked with it too; the clerk's pages
have one text size. The pictures are kept in the test's folder, for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from kiosk.setup import SUPPORTED_PANELS, Panel
from tests.ui.layout_checks import problems, small_targets
from ui.app import KioskWindow
from ui.screenshots.citizen import SCREENS, Shot, render_keyboards, render_screens, with_large_text
from ui.screenshots.clerk import clerk_screen_names, render_clerk_screens
from ui.widgets.sizes import assume_dpi

pytestmark = [pytest.mark.slow, pytest.mark.render]


def citizen_shots() -> dict[str, Shot]:
    """Every citizen shot, and each of them with large text too."""
    shots = dict(SCREENS)
    for name, shot in SCREENS.items():
        if "large" not in name:
            shots[f"{name}-large+"] = Shot(with_large_text(shot.bring_up), shot.roster, shot.voices)
    return shots


@pytest.fixture
def panel_density(request: pytest.FixtureRequest) -> Iterator[Panel]:
    """Size everything at the panel's density for the test, and believe the screens after."""
    panel: Panel = request.param
    assume_dpi(panel.dpi)
    try:
        yield panel
    finally:
        assume_dpi(None)


class Findings:
    """Problems found on each screen, and how many screens and controls were looked at."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.screens = 0
        self.controls = 0

    def inspect(self, name: str, window: QWidget) -> None:
        """Check one screen as it is about to be pictured."""
        root = window
        if isinstance(window, KioskWindow) and window.still_there.isVisible():
            root = window.still_there  # it covers the screen; only its own controls count
        self.screens += 1
        self.controls += small_targets(root)[1]
        self.lines += [f"{name}: {line}" for line in problems(root)]


EVERY_PANEL = pytest.mark.parametrize(
    "panel_density", SUPPORTED_PANELS, ids=lambda p: p.name, indirect=True
)


def size_of(panel: Panel) -> QSize:
    """Return the panel's size in pixels."""
    return QSize(panel.width_px, panel.height_px)


@EVERY_PANEL
def test_every_citizen_screen_fits_the_panel(
    kiosk_app, tmp_path: Path, panel_density: Panel
) -> None:
    findings = Findings()
    out = tmp_path / panel_density.name
    shots = citizen_shots()
    render_screens(out, size=size_of(panel_density), shots=shots, inspect=findings.inspect)
    render_keyboards(out, size=size_of(panel_density), inspect=findings.inspect)
    assert not findings.lines, f"{len(findings.lines)} problems:\n" + "\n".join(findings.lines)
    assert findings.screens == len(shots) * 2 + 3  # every shot was looked at
    assert findings.controls > 1000  # faces, cards, chips, keys ...
    pictures_are_whole(out, size_of(panel_density))


def distinct_colours(image: QImage) -> int:
    """Return roughly how many colours an image uses (sampled), to tell a drawing from a blank."""
    return len(
        {image.pixel(x, y) for y in range(0, image.height(), 7) for x in range(0, image.width(), 7)}
    )


def pictures_are_whole(out: Path, size: QSize) -> None:
    """Each citizen screen was written in Thai and English, at the panel's size, as a drawing
    (not a blank), the two languages differing, and each variant differing from its screen."""
    for required in (
        "welcome", "rating", "target", "target-40-staff", "impression", "impression-story",
        "thanks", "save-failed", "still-there", "cooldown", "rating-large", "rating-contrast",
        "impression-large", "impression-contrast", "welcome-large", "rating-speaking",
        "rating-no-voice", "rating-keys", "rating-keys-contrast", "impression-story-keys-contrast",
    ):  # fmt: skip
        assert required in SCREENS
    paths = [p for p in out.glob("*.png") if p.name.rsplit("-", 1)[0] in SCREENS]
    assert sorted(p.name for p in paths) == sorted(
        f"{name}-{language}.png" for name in SCREENS for language in ("th", "en")
    )
    images = {}
    for path in paths:
        assert path.stat().st_size > 10_000
        image = QImage(str(path))
        assert image.size() == size, path.name
        assert distinct_colours(image) > 20, path.name
        images[path.name] = image
    for name in SCREENS:
        assert images[f"{name}-th.png"] != images[f"{name}-en.png"], name
    assert images["rating-th.png"] != images["rating-contrast-th.png"]
    assert images["rating-th.png"] != images["rating-large-th.png"]
    for variant in ("speaking", "no-voice", "keys"):  # the speaker and the focus outline show
        assert images["rating-th.png"] != images[f"rating-{variant}-th.png"], variant


@EVERY_PANEL
def test_every_clerk_screen_fits_the_panel(kiosk_app, tmp_path: Path, panel_density: Panel) -> None:
    findings = Findings()
    out = tmp_path / panel_density.name
    render_clerk_screens(out, size=size_of(panel_density), inspect=findings.inspect)
    assert not findings.lines, f"{len(findings.lines)} problems:\n" + "\n".join(findings.lines)
    assert findings.screens == 2 * len(clerk_screen_names())  # every one, in both languages
    assert findings.controls > 300  # the tabs, the PIN pad, the keyboard, the forms ...
