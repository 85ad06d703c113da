"""Every area that scrolls, on every citizen and clerk screen, scrolls by a finger's drag.

A tablet has no wheel and a scroll bar is too thin for a finger (issue 16: the clerk's overview
moved only by wheel or scroll bar). A drag on the overview is tested for real in
tests/ui/clerk/test_dashboard.py; here every scroll area of the whole window is found, so that
a new one without ``enable_swipe`` (ui/widgets/scrolling.py) cannot slip in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QScroller

from tests.ui.clerk.helpers import build_kiosk, set_up, unlock

OFF = Qt.ScrollBarPolicy.ScrollBarAlwaysOff


def scrolls(area: QAbstractScrollArea) -> bool:
    """Whether the area can scroll at all (a chart view, with both bars off, cannot)."""
    return area.verticalScrollBarPolicy() != OFF or area.horizontalScrollBarPolicy() != OFF


def swipes(area: QAbstractScrollArea) -> bool:
    """Whether a drag on the area's viewport scrolls it (QScroller grabbed a gesture there)."""
    viewport = area.viewport()
    # A recognizer registered for the scroller has a type after Qt's CustomGesture.
    grabbed = QScroller.grabbedGesture(viewport).value
    return QScroller.hasScroller(viewport) and grabbed > Qt.GestureType.CustomGesture.value


def test_every_scroll_area_on_every_screen_scrolls_by_touch(
    qtbot, switcher, clock, data_dir, ledger_service
):
    set_up(data_dir, clock)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    unlock(qtbot, window, clock)  # the clerk's screens are built and shown
    areas = [area for area in window.findChildren(QAbstractScrollArea) if scrolls(area)]
    names = {area.objectName() for area in areas}
    # The citizen's cards and story, and the clerk's overview, lists and forms are all there.
    assert {"dashboardScroll", "provinceList", "rosterList", "storyField"} <= names
    missing = [
        f"{type(area).__name__} {area.objectName() or '(unnamed)'} in "
        f"{type(area.parentWidget()).__name__}"
        for area in areas
        if not swipes(area)
    ]
    assert not missing, f"these scroll only by wheel or scroll bar: {missing}"
