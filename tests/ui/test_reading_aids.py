"""Reading aids: faces that mean the same without colour or words, and large text that never cuts Thai.

A face is told apart by its word and by its drawing (eyes, mouth, brows), not by colour alone:
each word differs, and each drawing differs from every other even with its colour taken away.
With large text every label on every citizen screen still shows all of its text: it is as tall
as its wrapped lines, and Thai marks stacked above and below a letter (ปู่, ญี่ปุ่น, ฏุ์) stay inside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics, QImage
from PySide6.QtWidgets import QLabel, QWidget

from tests.ui.accessibility import citizen_scenes, contrast
from ui.app import KioskWindow
from ui.citizen.rating import RATINGS, face_colours
from ui.speech import SilentEngine, SpeechGuide

# Thai letters with the tallest and deepest stacks: a tone mark on an upper vowel on a tall
# consonant, lower vowels under letters with tails.
STACKED_THAI = "ปู่ ญี่ปุ่น ฎีกา ฏุ์ ฐู ฟื้น ป่ำ"


@pytest.fixture
def kiosk_with_voice(make_kiosk: Callable[..., KioskWindow]) -> KioskWindow:
    """A kiosk with no ledger; its speech engine has an English voice only."""
    return make_kiosk(speech=SpeechGuide(SilentEngine(("en_US",))))


def ink_mask(face: QWidget, rating: int, high: bool) -> tuple[set[tuple[int, int]], QRect]:
    """Return the face's drawing without its colour: the pixels far from its fill, in the disc."""
    centre, radius, _word, _font = face.face_layout()  # type: ignore[attr-defined]
    disc = QRect(
        round(centre.x() - radius * 0.8),
        round(centre.y() - radius * 0.8),
        round(radius * 1.6),
        round(radius * 1.6),
    )
    image = face.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    fill, _ink = face_colours(rating, high_contrast=high)
    reach = (radius * 0.8) ** 2  # inside the face's circle, clear of its outline
    mask = {
        (x - disc.left(), y - disc.top())
        for y in range(disc.top(), disc.bottom() + 1)
        for x in range(disc.left(), disc.right() + 1)
        if (x - centre.x()) ** 2 + (y - centre.y()) ** 2 <= reach
        and contrast(image.pixelColor(x, y), fill) >= 2.0
    }
    return mask, disc


@pytest.mark.parametrize("high", [False, True], ids=["normal", "high contrast"])
def test_each_face_has_its_own_word_and_its_own_drawing(
    qtbot, kiosk_with_voice: KioskWindow, high: bool
) -> None:
    kiosk = kiosk_with_voice
    if high:
        kiosk.flow.toggle_high_contrast()
    kiosk.welcome.start_button.click()
    for language in ("th", "en"):
        if kiosk.switcher.language != language:
            kiosk.rating.bar.language_button.click()
            qtbot.waitUntil(lambda: kiosk.rating.faces[5].word() == "Very satisfied")
        words = [kiosk.rating.faces[r].word() for r in RATINGS]
        assert all(words), language
        assert len(set(words)) == 5, words
        assert [kiosk.rating.faces[r].accessibleName() for r in RATINGS] == words

    masks = {r: ink_mask(kiosk.rating.faces[r], r, high)[0] for r in RATINGS}
    for rating, mask in masks.items():
        assert len(mask) > 200, f"face {rating} has no eyes or mouth"
    for a, b in itertools.combinations(RATINGS, 2):
        differ = len(masks[a] ^ masks[b]) / len(masks[a] | masks[b])
        assert differ > 0.2, f"faces {a} and {b} are drawn alike ({differ:.0%} differs)"
    # The mouth tells the order: it curves up for 5 and 4, is level for 3, turns down for 2 and 1.
    heights = {}
    for rating, mask in masks.items():
        lower = [(x, y) for x, y in mask if y > max(yy for _, yy in mask) * 0.6]
        xs = [x for x, _ in lower]
        middle = (min(xs) + max(xs)) / 2
        centre_ys = [y for x, y in lower if abs(x - middle) <= 2]
        edge_ys = [y for x, y in lower if abs(x - min(xs)) <= 2 or abs(x - max(xs)) <= 2]
        heights[rating] = sum(centre_ys) / len(centre_ys) - sum(edge_ys) / len(edge_ys)
    assert heights[5] > 0  # the middle of the mouth lower than its corners
    assert heights[4] > 0
    assert abs(heights[3]) < heights[4]
    assert heights[2] < 0
    assert heights[1] < 0


def clipped(label: QLabel) -> list[str]:
    """Return what of a label's text does not fit it: lines cut off, or Thai marks above or below."""
    problems = []
    wraps = label.hasHeightForWidth()  # word-wrapped, or wrapped at spaces (names)
    needed = label.heightForWidth(label.width()) if wraps else label.sizeHint().height()
    if label.height() < needed:
        problems.append(f"{label.height()} px tall, its lines need {needed}")
    if not wraps and label.width() < label.sizeHint().width():
        problems.append(f"{label.width()} px wide, its text needs {label.sizeHint().width()}")
    # Where the lines sit: the text block, centred (or aligned) in the label's contents, and
    # how much of the label (painting is clipped to it) is left above and below the block.
    inside = label.contentsRect()
    block = needed - (label.height() - inside.height())
    align = label.alignment()
    if align & Qt.AlignmentFlag.AlignTop:
        top = inside.top()
    elif align & Qt.AlignmentFlag.AlignBottom:
        top = inside.bottom() + 1 - block
    else:
        top = inside.top() + (inside.height() - block) / 2
    above, below = top, label.height() - (top + block)
    metrics = QFontMetrics(label.font())
    for sample in (label.text(), STACKED_THAI):
        for line in sample.split("\n"):
            if not line.strip():
                continue
            ink = metrics.tightBoundingRect(line)
            over = -ink.top() - metrics.ascent()  # how far marks rise above the ascent
            under = ink.bottom() - metrics.descent()  # and fall below the descent
            if over > above + 0.5 or under > below + 0.5:
                problems.append(
                    f"{line[:20]!r} reaches {over} px over / {under} px under its line, "
                    f"with {above:.0f} / {below:.0f} px of room"
                )
    return problems


@pytest.mark.parametrize("large", [False, True], ids=["normal text", "large text"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_text_reflows_without_cutting_a_line_or_a_thai_mark(
    qtbot, kiosk_with_voice: KioskWindow, clock, language: str, large: bool
) -> None:
    kiosk = kiosk_with_voice
    if language == "en":
        kiosk.welcome.language_button.click()
        qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
    if large:
        normal_px = kiosk.welcome.title.fontInfo().pixelSize()
        kiosk.welcome.bar.large_text_button.click()
        assert kiosk.welcome.title.fontInfo().pixelSize() >= normal_px * 1.15
    failures: list[str] = []
    labels = 0
    for scene in citizen_scenes(qtbot, kiosk, clock):
        root = kiosk.still_there if kiosk.still_there.isVisible() else kiosk.current_screen()
        for label in root.findChildren(QLabel):
            if not label.isVisible() or not label.text().strip():
                continue
            labels += 1
            failures += [f"{scene}: {label.objectName()} {p}" for p in clipped(label)]
    assert labels > 80
    assert not failures, "\n".join(failures)


def test_the_stress_text_really_stacks_marks_beyond_plain_letters(kiosk_app) -> None:
    """STACKED_THAI reaches higher and lower than plain letters (or the check above proves nothing)."""
    label = QLabel()
    label.setObjectName("question")
    metrics = QFontMetrics(label.font())
    plain = metrics.tightBoundingRect("กาน")
    stacked = metrics.tightBoundingRect(STACKED_THAI)
    assert stacked.top() < plain.top()
    assert stacked.bottom() > plain.bottom()
