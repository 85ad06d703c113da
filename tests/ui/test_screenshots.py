"""The screenshot script renders every screen, in Thai and in English, to real PNG files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from ui.screenshots.citizen import SCREENS
from ui.screenshots.shared import SCREEN_SIZE

REPO = Path(__file__).resolve().parents[2]


def distinct_colours(image: QImage) -> int:
    """Return roughly how many colours an image uses (sampled), to tell a drawing from a blank."""
    return len(
        {image.pixel(x, y) for y in range(0, image.height(), 7) for x in range(0, image.width(), 7)}
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run `python -m ui.screenshots OUT` once, as a person would, with no display set."""
    tmp_path = tmp_path_factory.mktemp("screenshots")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "ui.screenshots", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return out, result


def test_command_line_runs_offscreen_by_itself(rendered) -> None:
    out, result = rendered
    assert result.returncode == 0, result.stderr
    for name in ("welcome-th.png", "welcome-en.png", "rating-th.png", "impression-story-en.png"):
        assert (out / name).stat().st_size > 10_000
        assert str(out / name) in result.stdout


def test_render_screens_writes_each_screen_in_both_languages(kiosk_app, rendered) -> None:
    out, result = rendered
    assert result.returncode == 0, result.stderr
    paths = [p for p in out.glob("*.png") if p.name.rsplit("-", 1)[0] in SCREENS]
    assert sorted(p.name for p in paths) == sorted(
        f"{name}-{language}.png" for name in SCREENS for language in ("th", "en")
    )
    for required in (
        "welcome",
        "rating",
        "target",
        "target-40-staff",
        "impression",
        "impression-story",
        "thanks",
        "save-failed",
        "still-there",
        "cooldown",
        "rating-large",
        "rating-contrast",
        "impression-large",
        "impression-contrast",
        "welcome-large",
        "rating-speaking",
        "rating-no-voice",
        "rating-keys",
        "rating-keys-contrast",
        "impression-story-keys-contrast",
    ):
        assert required in SCREENS
    images = {}
    for path in paths:
        assert path.stat().st_size > 10_000
        image = QImage(str(path))
        assert not image.isNull()
        assert image.size() == SCREEN_SIZE
        assert distinct_colours(image) > 20
        images[path.name] = image
    for name in SCREENS:
        assert images[f"{name}-th.png"] != images[f"{name}-en.png"], name
    assert images["rating-th.png"] != images["rating-contrast-th.png"]
    assert images["rating-th.png"] != images["rating-large-th.png"]
    for variant in ("speaking", "no-voice", "keys"):  # the speaker and the focus outline show
        assert images["rating-th.png"] != images[f"rating-{variant}-th.png"], variant
