"""Every label a citizen sees shows its whole text, at every supported size, in both languages.

For each citizen screen (welcome, faces, who served you, what impressed you, what could be
better after an unhappy face, thanks) at each screen size, in Thai and English, with normal and
large text, every visible button and label is measured: its text's width, line by line, against
the room its style leaves for text, and a wrapping label's height for its width against the
height it got. Nothing drawn (the sun) may lie
over a label. A screenshot at one size, looked at by someone who does not read Thai, missed chips
cut to fragments such as "ปร"; a measurement does not (docs/accessibility.md).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSize

from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Step
from tests.ui.citizen.helpers import human
from tests.ui.layout_checks import cut_texts, overlaps
from ui.app import KioskWindow
from ui.screenshots.shared import settle
from wire.vote import Target

SIZES = (QSize(1024, 600), QSize(1280, 800), QSize(1920, 1200))


def problems(window: KioskWindow) -> list[str]:
    """Return every cut text and overlap on the window's current screen."""
    settle()
    screen = window.current_screen()
    return [f"{screen.objectName()}: {p}" for p in cut_texts(screen) + overlaps(screen)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_label_on_every_citizen_screen_shows_its_whole_text(
    qtbot, kiosk: KioskWindow, clock, size: QSize, language: str, large: bool
) -> None:
    kiosk.resize(size)
    if language != kiosk.flow.session.lang:
        kiosk.welcome.language_button.click()
    found: list[str] = []
    check: Callable[[], None] = lambda: found.extend(problems(kiosk))  # noqa: E731
    check()
    kiosk.welcome.start_button.click()
    if large:
        kiosk.rating.bar.large_text_button.click()
    check()
    human(clock)
    kiosk.rating.faces[5].click()
    assert kiosk.current_screen() is kiosk.target
    kiosk.target.service_chips["house-registration"].click()  # the longest demo service
    check()
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.flow.session.target == Target("staff", DEMO_ROSTER.active_staff()[0].id)
    check()
    kiosk.impression.back_button.click()
    kiosk.target.back_button.click()
    human(clock)
    kiosk.rating.faces[1].click()  # the angriest face: "what could we do better?"
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.impression.asks_concerns()
    check()
    human(clock)
    kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.flow.step is Step.THANKS)
    kiosk.render_flow()
    check()
    assert not found, "\n".join(found)
