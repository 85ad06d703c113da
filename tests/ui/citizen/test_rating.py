"""The rating screen: five faces, most satisfied first, each a colour, a face and a word."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtTest import QTest

from kiosk.flow import Step
from kiosk.setup import SUPPORTED_PANELS, Panel
from tests.ui.citizen.helpers import focused, human, shown_buttons, to_target
from ui.app import KioskWindow
from ui.citizen.rating import FACE_COLOURS, RATINGS
from ui.screenshots.shared import settle
from ui.widgets.sizes import TOUCH_MIN_MM, assume_dpi

WORDS_TH = ["พอใจมากที่สุด", "พอใจมาก", "พอใจปานกลาง", "ไม่พอใจ", "ไม่พอใจมาก"]
WORDS_EN = ["Very satisfied", "Satisfied", "Fair", "Unsatisfied", "Very unsatisfied"]


def words(window: KioskWindow) -> list[str]:
    """Return the faces' words from left to right."""
    faces = sorted(window.rating.faces.values(), key=lambda f: f.x())
    return [face.word() for face in faces]


@pytest.fixture
def rating(kiosk: KioskWindow, clock) -> KioskWindow:
    """The kiosk on the rating screen, laid out as it is painted (its posted layouts done)."""
    kiosk.welcome.start_button.click()
    assert kiosk.current_screen() is kiosk.rating
    settle()
    human(clock)
    return kiosk


def test_five_faces_most_satisfied_first_in_thai_and_english(qtbot, rating: KioskWindow) -> None:
    assert RATINGS == (5, 4, 3, 2, 1)
    assert words(rating) == WORDS_TH
    assert rating.rating.title.text() == "ท่านพึงพอใจการให้บริการในวันนี้เพียงใด"
    assert [f.accessibleName() for f in rating.rating.faces.values()] == WORDS_TH
    assert rating.rating.faces[5].accessibleDescription() == "คะแนน 5 จาก 5"
    rating.rating.bar.language_button.click()
    qtbot.waitUntil(lambda: words(rating) == WORDS_EN)
    assert rating.rating.title.text() == "How satisfied are you with our service today?"
    assert rating.flow.session.lang == "en"


def test_one_tap_chooses_and_moves_on(rating: KioskWindow) -> None:
    rating.rating.faces[4].click()
    assert rating.flow.session.rating == 4
    assert rating.flow.step is Step.TARGET
    assert rating.current_screen() is rating.target


def test_back_shows_the_face_chosen_before(rating: KioskWindow, clock) -> None:
    rating.rating.faces[2].click()
    human(clock)
    rating.target.back_button.click()
    assert rating.current_screen() is rating.rating
    assert [f.is_chosen() for f in rating.rating.faces.values()] == [
        False,
        False,
        False,
        True,
        False,
    ]
    human(clock)
    rating.rating.faces[5].click()  # a change of mind
    assert rating.flow.session.rating == 5


def _colours(image: QImage) -> Counter[int]:
    return Counter(
        image.pixel(x, y) for y in range(0, image.height(), 3) for x in range(0, image.width(), 3)
    )


def test_faces_are_drawn_in_their_colours_with_the_word_in_ink(rating: KioskWindow) -> None:
    drawings = {}
    for value, face in rating.rating.faces.items():
        image = face.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        colours = _colours(image)
        fill = FACE_COLOURS[value].rgb()
        assert colours[fill] > 300, f"face {value} is not drawn in its colour"
        dark = sum(n for c, n in colours.items() if QColor(c).lightness() < 80)
        assert dark > 150, f"face {value} has no features or word"
        drawings[value] = image
    assert len({img.cacheKey() for img in drawings.values()}) == 5
    assert drawings[5] != drawings[1]


def test_faces_are_big_touch_targets_with_names(rating: KioskWindow) -> None:
    px_per_mm = rating.screen().physicalDotsPerInch() / 25.4
    for button in shown_buttons(rating.rating):
        assert button.height() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
        assert button.width() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
        assert button.accessibleName().strip(), button.objectName()
    for face in rating.rating.faces.values():
        assert face.height() >= 4 * TOUCH_MIN_MM * px_per_mm  # much bigger than the minimum


def test_keys_alone_choose_a_face(qtbot, rating: KioskWindow) -> None:
    assert focused() is rating.rating.faces[5]  # focus starts on the first choice
    QTest.keyClick(focused(), Qt.Key.Key_Right)
    QTest.keyClick(focused(), Qt.Key.Key_Right)
    assert focused() is rating.rating.faces[3]
    QTest.keyClick(focused(), Qt.Key.Key_Left)
    assert focused() is rating.rating.faces[4]
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: rating.flow.step is Step.TARGET)
    assert rating.flow.session.rating == 4


def test_the_focus_outline_shows_only_to_people_using_keys(qtbot, rating: KioskWindow) -> None:
    face = rating.rating.faces[5]
    assert face.hasFocus()

    def edge() -> QColor:
        image = face.grab().toImage()
        return QColor(image.pixel(3, image.height() // 2))

    assert edge() != QColor("#2A2723")  # a finger user sees no outline on a face
    QTest.keyClick(face, Qt.Key.Key_Tab)
    QTest.keyClick(focused(), Qt.Key.Key_Backtab)
    assert face.hasFocus()
    qtbot.waitUntil(lambda: edge() == QColor("#2A2723"))  # a thick ink outline


def test_the_flow_reaches_the_rating_from_a_tap_on_welcome(kiosk: KioskWindow, clock) -> None:
    to_target(kiosk, clock, rating=3)
    assert kiosk.flow.session.rating == 3


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("panel", SUPPORTED_PANELS, ids=lambda p: f"{p.width_px}x{p.height_px}")
def test_the_five_words_are_one_size_even_when_large_text_shrinks_them(
    rating: KioskWindow, panel: Panel, language: str
) -> None:
    """With large text on a small panel the longest word must shrink to fit; the others shrink
    with it, so that no answer looks louder than the rest."""
    assume_dpi(panel.dpi)
    try:
        if language != rating.flow.session.lang:
            rating.rating.bar.language_button.click()
        rating.rating.bar.large_text_button.click()
        rating.resize(panel.width_px, panel.height_px)
        settle()
        sizes = {
            face.word(): face.face_layout()[3].pixelSize() for face in rating.rating.faces.values()
        }
        assert len(set(sizes.values())) == 1, sizes
        for face in rating.rating.faces.values():
            _centre, _radius, room, font = face.face_layout()
            drawn = QFontMetrics(font).boundingRect(
                QRect(0, 0, room.width(), 10_000), int(Qt.TextFlag.TextWordWrap), face.word()
            )
            assert drawn.width() <= room.width(), face.word()
            assert drawn.height() <= room.height(), face.word()
    finally:
        assume_dpi(None)
