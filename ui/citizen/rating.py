"""The rating screen: five large faces, each a colour, a face and a word; one tap moves on.

Most satisfied first (on the left), as Thai government satisfaction surveys print their
scales. The faces are drawn here rather than taken from an emoji font, which a kiosk may lack.
Colour runs from green to red, but the face and the word carry the meaning on their own, for
people who do not see colour and in high contrast.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QStylePainter, QWidget

from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.screen import CitizenScreen
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import TouchButton, paint_button_frame, paint_focus_ring
from ui.widgets.focus import ArrowNavigation, chain_focus
from ui.widgets.labels import fitting_font
from ui.widgets.sizes import mm_to_px
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, set_style_property, window_flag

RATINGS: Final = (5, 4, 3, 2, 1)  # left to right: most satisfied first
# The face colours; the tile tints and borders in kiosk.qss's rating section match them. The
# eyes and mouth (FACE_INK) stand out from every fill by at least 4.5:1, and by 7:1 in high
# contrast, where the fills are brighter and the ink black (tests/ui/test_contrast.py).
FACE_COLOURS: Final = {
    5: QColor("#38A865"),
    4: QColor("#8DBA3C"),
    3: QColor("#F2C12E"),
    2: QColor("#F08C3A"),
    1: QColor("#E86A5E"),
}
FACE_COLOURS_HIGH_CONTRAST: Final = {
    5: QColor("#3DDC84"),
    4: QColor("#B5E655"),
    3: QColor("#FFD84D"),
    2: QColor("#FFA95E"),
    1: QColor("#FF8A80"),
}
FACE_INK: Final = QColor("#2A2723")
FACE_INK_HIGH_CONTRAST: Final = QColor("#000000")
CHOSEN_MARK: Final = QColor("#14503F")
HIGH_CONTRAST_MARK: Final = QColor("#FFE600")
FACE_SHARE: Final = 0.76  # the face's diameter as a share of the tile's width
TILE_PADDING_PX: Final = 16
FACE_MIN_MM: Final = 10.0  # the least a face is drawn across, so its eyes and mouth still read


def face_colours(rating: int, *, high_contrast: bool = False) -> tuple[QColor, QColor]:
    """Return the fill and the ink (eyes, mouth) of a rating's face."""
    if high_contrast:
        return FACE_COLOURS_HIGH_CONTRAST[rating], FACE_INK_HIGH_CONTRAST
    return FACE_COLOURS[rating], FACE_INK


def paint_face(
    painter: QPainter,
    centre: QPointF,
    radius: float,
    rating: int,
    outline: QColor,
    *,
    high_contrast: bool = False,
) -> None:
    """Draw the face for a rating from 1 (very unsatisfied) to 5 (very satisfied)."""
    fill, ink_colour = face_colours(rating, high_contrast=high_contrast)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ring = QPen(outline)
    ring.setWidthF(max(2.0, radius * 0.06))
    painter.setPen(ring)
    painter.setBrush(fill)
    painter.drawEllipse(centre, radius, radius)

    ink = QPen(ink_colour)
    ink.setWidthF(max(3.0, radius * 0.09))
    ink.setCapStyle(Qt.PenCapStyle.RoundCap)
    ink.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink_colour)
    eye_y = centre.y() - radius * 0.2
    for dx in (-0.33, 0.33):
        painter.drawEllipse(QPointF(centre.x() + radius * dx, eye_y), radius * 0.1, radius * 0.12)

    painter.setPen(ink)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if rating == 1:  # brows drawn down towards the middle
        for side in (-1, 1):
            painter.drawLine(
                QPointF(centre.x() + side * radius * 0.5, eye_y - radius * 0.3),
                QPointF(centre.x() + side * radius * 0.18, eye_y - radius * 0.2),
            )
    width = radius * 0.9
    left = centre.x() - width / 2
    mouth_y = centre.y() + radius * 0.38
    path = QPainterPath()
    if rating == 5:  # a wide open smile
        path.moveTo(left, mouth_y - radius * 0.08)
        path.cubicTo(
            QPointF(left + width * 0.1, mouth_y + radius * 0.42),
            QPointF(left + width * 0.9, mouth_y + radius * 0.42),
            QPointF(left + width, mouth_y - radius * 0.08),
        )
        path.closeSubpath()
        painter.setBrush(ink_colour)
    else:
        # 4 smiles, 3 is level, 2 and 1 turn down (1 the most).
        bend = {4: 0.28, 3: 0.0, 2: -0.2, 1: -0.34}[rating] * radius
        inset = width * (0.1 if rating in (4, 2) else 0.0)
        path.moveTo(left + inset, mouth_y - bend / 2)
        path.quadTo(
            QPointF(centre.x(), mouth_y + bend * 1.5),
            QPointF(left + width - inset, mouth_y - bend / 2),
        )
    painter.drawPath(path)
    painter.restore()


def paint_chosen_mark(
    painter: QPainter, centre: QPointF, radius: float, colour: QColor, tick: QColor
) -> None:
    """Draw a round tick badge: what this citizen chose before going back."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawEllipse(centre, radius, radius)
    pen = QPen(tick)
    pen.setWidthF(max(2.5, radius * 0.22))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    path = QPainterPath(centre + QPointF(-radius * 0.45, 0))
    path.lineTo(centre + QPointF(-radius * 0.1, radius * 0.38))
    path.lineTo(centre + QPointF(radius * 0.5, -radius * 0.35))
    painter.drawPath(path)
    painter.restore()


class FaceButton(TouchButton):
    """One rating: a tile with the face above its word; a tap chooses it."""

    HINT_IS_MINIMUM = True  # the face and its word / two lines of text

    def __init__(self, rating: int, parent: QWidget | None = None) -> None:
        super().__init__("face", parent)
        self.rating = rating
        self.setObjectName(f"face{rating}")
        self.setProperty("rating", str(rating))
        self.setProperty("chosen", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._word = ""
        self._row: tuple[FaceButton, ...] = (self,)
        self._font_for: tuple[tuple[object, ...], QFont] | None = None

    def share_word_size(self, row: tuple[FaceButton, ...]) -> None:
        """Draw the word in the size that fits every word of the row, so that none looks louder."""
        self._row = row

    def word(self) -> str:
        """Return the word under the face."""
        return self._word

    def set_word(self, word: str) -> None:
        """Set the word under the face (it is also the button's accessible name)."""
        self._word = word
        self.setAccessibleName(word)
        self.update()

    def is_chosen(self) -> bool:
        """Tell whether this is the rating the citizen chose before going back."""
        return self.property("chosen") is True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return a tall tile."""
        return self.touch_size(QSize(200, 300))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the smallest tile that still shows a face (FACE_MIN_MM across) and its word."""
        word = QFontMetrics(self.font()).lineSpacing() * 2
        high = 2 * TILE_PADDING_PX + word + 12 + mm_to_px(self, FACE_MIN_MM)
        return self.touch_size(QSize(120, high))

    def face_layout(self) -> tuple[QPointF, float, QRect, QFont]:
        """Return where the face and its word go: the face's centre and radius, the word's box and font.

        The face and its word form one group centred in the tile; two lines of the tile's font
        are kept under every face, so that the faces line up across tiles.
        """
        inner = self.rect().adjusted(
            TILE_PADDING_PX, TILE_PADDING_PX, -TILE_PADDING_PX, -TILE_PADDING_PX
        )
        word_height = QFontMetrics(self.font()).lineSpacing() * 2
        # The word keeps two lines of the tile's font (the face gives way, down to FACE_MIN_MM);
        # it shrinks only when a word is too wide for the tile even on two lines.
        font = self._word_font(QSize(inner.width(), word_height))
        gap = max(12, inner.height() // 18)
        diameter = max(20.0, min(inner.width() * FACE_SHARE, inner.height() - word_height - gap))
        top = inner.top() + (inner.height() - (diameter + gap + word_height)) / 2
        radius = diameter / 2
        centre = QPointF(inner.center().x() + 0.5, top + radius)
        word_rect = QRect(inner.left(), round(top + diameter + gap), inner.width(), word_height + 4)
        return centre, radius, word_rect, font

    def _word_font(self, room: QSize) -> QFont:
        """Return the tile's font made as small as the row's longest word needs in this room.

        Each word alone would fit a different size (a short word at full size beside a long one
        shrunk), so a glance would read the short words as louder; one size for the row keeps
        the five answers equal. Remembered until the room, the words or the font change.
        """
        words = tuple(face.word() for face in self._row)
        key: tuple[object, ...] = (room.width(), room.height(), words, self.font().key())
        if self._font_for is None or self._font_for[0] != key:
            fonts = [fitting_font(self.font(), word, room, lines=2) for word in words]
            self._font_for = (key, min(fonts, key=lambda font: font.pixelSize()))
        return self._font_for[1]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled tile, the face, the word and, if chosen before, a tick."""
        painter = QStylePainter(self)
        paint_button_frame(self, painter)
        paint_focus_ring(self, painter)
        high_contrast = window_flag(self, HIGH_CONTRAST_PROPERTY)
        text_colour = self.palette().color(QPalette.ColorRole.ButtonText)
        centre, radius, word_rect, font = self.face_layout()
        fill, _ink = face_colours(self.rating, high_contrast=high_contrast)
        outline = QColor("#FFFFFF") if high_contrast else fill.darker(135)
        paint_face(painter, centre, radius, self.rating, outline, high_contrast=high_contrast)

        painter.setFont(font)
        painter.setPen(text_colour)
        flags = int(
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        )
        painter.drawText(word_rect, flags, self._word)
        if self.is_chosen():
            mark = HIGH_CONTRAST_MARK if high_contrast else CHOSEN_MARK
            tick = QColor("#000000") if high_contrast else QColor("#FFFFFF")
            badge = max(14.0, radius * 0.32)
            where = QPointF(centre.x() + radius * 0.78, centre.y() - radius * 0.78)
            paint_chosen_mark(painter, where, badge, mark, tick)
        painter.end()


class RatingScreen(CitizenScreen):
    """Question 1: how satisfied the citizen is, on five faces."""

    rating_chosen = Signal(int)

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(switcher, name="ratingScreen", question=1, parent=parent)
        self.title = self.make_label("question")
        self.hint = self.make_label("hint")
        self.yielding = (self.hint_yields(self.hint),)
        self.faces: dict[int, FaceButton] = {}
        row = QHBoxLayout()
        row.setSpacing(20)
        for rating in RATINGS:
            face = FaceButton(rating, self)
            face.clicked.connect(lambda _=False, r=rating: self.rating_chosen.emit(r))
            self.faces[rating] = face
            row.addWidget(face, 1)
        self.content.addWidget(self.title)
        self.content.addWidget(self.hint)
        self.content.addSpacing(8)
        self.content.addLayout(row, 1)
        self.content.addSpacing(8)

        ordered = [self.faces[r] for r in RATINGS]
        for face in ordered:
            face.share_word_size(tuple(ordered))
        self.navigation = ArrowNavigation(self)
        self.navigation.set_widgets(ordered)
        chain = [*ordered, *self.bar.buttons()]
        chain_focus(chain)
        self.retranslate_ui()

    def first_choice(self) -> QWidget | None:
        """Focus starts on the first face (most satisfied)."""
        return self.faces[RATINGS[0]]

    def spoken(self) -> Spoken:
        """Return the question, the hint and the five words, most satisfied first."""
        return Spoken(
            self.title.text(),
            (self.hint.text(),),
            tuple(self.faces[rating].word() for rating in RATINGS),
        )

    def show_view(self, view: View) -> None:
        """Mark the rating chosen before, if the citizen came back to change it."""
        super().show_view(view)
        for rating, face in self.faces.items():
            set_style_property(face, "chosen", view.session.rating == rating)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        super().retranslate_ui()
        self.title.setText(self.tr("How satisfied are you with our service today?"))
        self.title.setAccessibleName(self.title.text())
        self.hint.setText(self.tr("Tap the face that matches how you feel"))
        self.hint.setAccessibleName(self.hint.text())
        words = {
            5: self.tr("Very satisfied"),
            4: self.tr("Satisfied"),
            3: self.tr("Fair"),
            2: self.tr("Unsatisfied"),
            1: self.tr("Very unsatisfied"),
        }
        for rating, face in self.faces.items():
            face.set_word(words[rating])
            #: For screen readers, after the face's word: %1 is the score, 5 the best.
            template = self.tr("Score %1 of 5")
            face.setAccessibleDescription(fill(template, str(rating)))
