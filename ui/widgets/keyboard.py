"""The on-screen keyboard for a citizen's story: Thai Kedmanee and English, drawn by the app.

The kiosk cannot rely on the operating system's keyboard and Qt's virtual keyboard has no Thai
layout, so the keys are plain QPushButtons built from kiosk/keyboard_layouts.py. Keys are at
least KEY_MIN_MM tall on the screen they are shown on, work by touch and mouse, and by keyboard
alone (Tab, the arrow keys, Enter or Space) so that accessibility switches can drive them.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGlyphRun,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QShowEvent,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from kiosk.keyboard_layouts import LAYOUTS, SPACE, Key, Layout, TextBuffer
from ui.fonts import FONT_FAMILY
from ui.i18n import fill
from ui.widgets.sizes import gap_px, mm_to_px
from wire.vote import STORY_MAX_CHARS

KEY_MIN_MM: Final = 15.0  # the height of every key, on any screen that has room for it
KEY_MIN_WIDTH_MM: Final = 12.0  # 13 keys of 15 mm plus gaps do not fit across a 10-inch tablet
KEY_PREFERRED_PX: Final = 72  # the height asked for when the screen's DPI needs less
KEY_GAP_PX: Final = 8  # between keys, or 2 mm (TOUCH_GAP_MM) where that is more
KEYBOARD_MARGIN_PX: Final = 12
UNITS_ACROSS: Final = 13.0  # the widest row, in key widths
CHARACTER_FONT_RATIO: Final = 0.56  # a character's font size as a share of the key's height
FUNCTION_FONT_RATIO: Final = 0.4
MIN_CHARACTER_FONT_PX: Final = 24
MIN_LABEL_FONT_PX: Final = 16
LABEL_PADDING_PX: Final = 10
BACKSPACE_REPEAT_DELAY_MS: Final = 700  # long enough that a slow, steady press deletes one
BACKSPACE_REPEAT_INTERVAL_MS: Final = 150
# A mark is drawn on this consonant (then hidden) so Sarabun places it as on real text.
MARK_CARRIER: Final = "อ"
# The label colour of a pressed or active key, as kiosk.qss's keyboard section sets it; only
# the mark keys, which are drawn here because Sarabun has no dotted circle, need it in code.
KEY_ACTIVE_TEXT: Final = QColor("#FFFFFF")

_NAVIGATION_KEYS: Final = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
_ACTIVATION_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _font(pixel_size: int, weight: QFont.Weight = QFont.Weight.Medium) -> QFont:
    """Return Sarabun at a pixel size."""
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, pixel_size))
    font.setWeight(weight)
    font.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return font


def _fitting_size(texts: list[str], largest: int, room: int, weight: QFont.Weight) -> int:
    """Return the largest pixel size, at most largest, at which every text fits in room."""
    size = largest
    while size > MIN_LABEL_FONT_PX:
        metrics = QFontMetrics(_font(size, weight))
        if all(metrics.horizontalAdvance(text) <= room for text in texts):
            break
        size -= 1
    return size


def paint_mark(painter: QPainter, rect: QRect, font: QFont, mark: str, colour: QColor) -> None:
    """Draw a combining mark on a dotted circle, centred in rect.

    Sarabun has no U+25CC, so the circle is drawn here, where the font puts a consonant's body,
    and the mark is the glyph Sarabun shapes for it on that consonant.
    """
    layout = QTextLayout(MARK_CARRIER + mark, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    if not runs:
        return
    run = runs[0]
    raw = run.rawFont()
    carrier_glyphs = set(raw.glyphIndexesForString(MARK_CARRIER))
    body = QRectF()
    marks: list[tuple[int, QPointF]] = []
    for glyph, position in zip(run.glyphIndexes(), run.positions(), strict=True):
        if glyph in carrier_glyphs and body.isNull():
            body = raw.boundingRect(glyph).translated(position)
        else:
            marks.append((glyph, position))
    drawn = QRectF(body)
    for glyph, position in marks:
        drawn = drawn.united(raw.boundingRect(glyph).translated(position))
    offset = QPointF(rect.center()) - drawn.center()

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    radius = min(body.width(), body.height()) * 0.5
    pen = QPen(colour)
    pen.setWidthF(max(2.0, font.pixelSize() / 11))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setDashPattern([0.01, 2.0])
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawEllipse(body.center() + offset, radius, radius)
    glyphs = QGlyphRun()
    glyphs.setRawFont(raw)
    glyphs.setGlyphIndexes([glyph for glyph, _ in marks])
    glyphs.setPositions([position for _, position in marks])
    painter.setPen(colour)
    painter.drawGlyphRun(offset, glyphs)
    painter.restore()


class KeyButton(QPushButton):
    """One key: takes focus from Tab and arrows only, so a tap never moves a switch user's place."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("keyRole", role)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._mark = ""

    def set_key(self, key: Key) -> None:
        """Show a character key: its label, its character as the accessible name."""
        mark = key.value if key.is_mark else ""
        if key.label == self.text() and mark == self._mark:
            return
        self._mark = mark
        self.setText(key.label)
        self.setAccessibleName(key.value)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint as styled; a mark's label is drawn on a dotted circle, which Sarabun lacks."""
        if not self._mark:
            super().paintEvent(event)
            return
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)
        active = self.isDown() or self.isChecked()
        colour = KEY_ACTIVE_TEXT if active else self.palette().color(QPalette.ColorRole.ButtonText)
        paint_mark(painter, self.contentsRect(), self.font(), self._mark, colour)
        painter.end()


@dataclass(frozen=True)
class _Slot:
    """Where a key sits: its row, and its left edge and width in key widths."""

    row: int
    left: float
    width: float

    @property
    def centre(self) -> float:
        """Return the key's centre in key widths."""
        return self.left + self.width / 2


class ThaiKeyboard(QWidget):
    """The on-screen keyboard: Kedmanee and English layers, Shift, Backspace, Space, a counter."""

    text_changed = Signal(str)
    limit_reached = Signal()

    def __init__(
        self,
        *,
        max_length: int = STORY_MAX_CHARS,
        language: str = "th",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("thaiKeyboard")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._buffer = TextBuffer(max_length)
        self._layout = self._layout_for(language)
        self._shifted = False
        self._min_key_height = 0
        self._min_key_width = 0
        self._gap = KEY_GAP_PX
        self._key_height = 0
        self._character_px = 0
        # The label fonts sized here from the key height. Re-polishing the kiosk window (as when
        # someone starts moving with Tab) gives widgets their stylesheet font again; these fonts
        # are put back at once (see eventFilter), or the labels would shrink to nothing.
        self._fonts: dict[QWidget, QFont] = {}

        self.characters_left = QLabel(self)
        self.characters_left.setObjectName("charactersLeft")
        self.characters_left.setTextFormat(Qt.TextFormat.PlainText)
        self.characters_left.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self._slots: dict[KeyButton, _Slot] = {}
        self._rows: list[list[KeyButton]] = []
        self.character_keys = self._make_character_keys()
        self.shift_key = KeyButton("function", self)
        self.shift_key.setObjectName("shiftKey")
        self.shift_key.setCheckable(True)
        self.shift_key.clicked.connect(self.set_shifted)
        self.backspace_key = KeyButton("function", self)
        self.backspace_key.setObjectName("backspaceKey")
        self.backspace_key.setAutoRepeat(True)
        self.backspace_key.setAutoRepeatDelay(BACKSPACE_REPEAT_DELAY_MS)
        self.backspace_key.setAutoRepeatInterval(BACKSPACE_REPEAT_INTERVAL_MS)
        self.backspace_key.clicked.connect(self.backspace)
        self.language_key = KeyButton("function", self)
        self.language_key.setObjectName("languageKey")
        self.language_key.clicked.connect(self.toggle_keyboard_language)
        self.space_key = KeyButton("space", self)
        self.space_key.setObjectName("spaceKey")
        self.space_key.clicked.connect(lambda: self._type(SPACE))
        self._plan_grid()
        self._show_layer()
        self.retranslate_ui()
        self._apply_touch_sizes()

    # -- building -----------------------------------------------------------------------------

    def _make_character_keys(self) -> list[list[KeyButton]]:
        """Create the character keys, row by row, named key_<row>_<column>."""
        rows: list[list[KeyButton]] = []
        for row_index, row in enumerate(self._layout.normal):
            keys: list[KeyButton] = []
            for column in range(len(row)):
                key = KeyButton("character", self)
                key.setObjectName(f"key_{row_index}_{column}")
                key.clicked.connect(lambda _=False, r=row_index, c=column: self._press(r, c))
                keys.append(key)
            rows.append(keys)
        return rows

    def _plan_grid(self) -> None:
        """Give every key its place on the grid and chain them for Tab in reading order."""
        order: list[KeyButton] = []
        widest = UNITS_ACROSS
        for row_index, row in enumerate(self.character_keys[:-1]):
            left = (widest - len(row)) / 2
            self._rows.append(self._place(row_index, left, [(key, 1.0) for key in row]))
        last = len(self.character_keys) - 1
        bottom_letters = self.character_keys[last]
        side = (widest - len(bottom_letters)) / 2
        self._rows.append(
            self._place(
                last,
                0.0,
                [(self.shift_key, side)]
                + [(key, 1.0) for key in bottom_letters]
                + [(self.backspace_key, side)],
            )
        )
        self._rows.append(
            self._place(last + 1, 0.0, [(self.language_key, 2.0), (self.space_key, 8.0)])
        )
        self._counter_slot = _Slot(last + 1, 10.0, widest - 10.0)
        for row in self._rows:
            order.extend(row)
        for earlier, later in itertools.pairwise(order):
            QWidget.setTabOrder(earlier, later)
        for key in order:
            key.installEventFilter(self)

    def _place(self, row: int, left: float, keys: list[tuple[KeyButton, float]]) -> list[KeyButton]:
        """Give keys their slots along a row, starting at left; return them in order."""
        placed = []
        for key, width in keys:
            self._slots[key] = _Slot(row, left, width)
            left += width
            placed.append(key)
        return placed

    @staticmethod
    def _layout_for(language: str) -> Layout:
        """Return the layout for a language code, or raise ValueError."""
        try:
            return LAYOUTS[language]
        except KeyError:
            raise ValueError(
                f"the keyboard has layouts for {sorted(LAYOUTS)}, not {language!r}"
            ) from None

    def _show_layer(self) -> None:
        """Label the character keys with the current layer and the switch keys to match."""
        layer = self._layout.layer(self._shifted)
        for row, keys in zip(layer, self.character_keys, strict=True):
            for key, button in zip(row, keys, strict=True):
                button.set_key(key)
        self.shift_key.setChecked(self._shifted)
        other = LAYOUTS["en" if self._layout.language == "th" else "th"]
        self.language_key.setText(other.caption)

    # -- text ---------------------------------------------------------------------------------

    def text(self) -> str:
        """Return the text typed so far."""
        return self._buffer.text

    def set_text(self, text: str) -> None:
        """Replace the text (cut to the limit); emits text_changed if it changed."""
        before = self._buffer.text
        self._buffer.set_text(text)
        self._after_edit(before)

    def clear(self) -> None:
        """Remove all text."""
        self.set_text("")

    def max_length(self) -> int:
        """Return the most characters the text may hold."""
        return self._buffer.max_length

    def set_max_length(self, max_length: int) -> None:
        """Change the limit; text beyond a lower limit is cut off."""
        before = self._buffer.text
        self._buffer.max_length = max_length
        self._after_edit(before)
        self._size_labels()

    def remaining(self) -> int:
        """Return how many more characters may be typed."""
        return self._buffer.remaining()

    def backspace(self) -> None:
        """Remove the last code point typed (a tone mark alone, not its syllable)."""
        before = self._buffer.text
        self._buffer.backspace()
        self._after_edit(before)

    def _type(self, value: str) -> bool:
        """Insert value if it fits; otherwise signal limit_reached. Return whether it was typed."""
        before = self._buffer.text
        if not self._buffer.insert(value):
            self.limit_reached.emit()
            self._show_remaining()
            return False
        self._after_edit(before)
        return True

    def _press(self, row: int, column: int) -> None:
        """Type the character at a key position; one character typed with Shift ends Shift."""
        key = self._layout.layer(self._shifted)[row][column]
        if self._type(key.value) and self._shifted:
            self.set_shifted(False)

    def _after_edit(self, before: str) -> None:
        """Update the counter and tell listeners if the text changed."""
        self._show_remaining()
        if self._buffer.text != before:
            self.text_changed.emit(self._buffer.text)

    # -- layers -------------------------------------------------------------------------------

    def keyboard_language(self) -> str:
        """Return the language of the keys shown, "th" or "en"."""
        return self._layout.language

    def set_keyboard_language(self, language: str) -> None:
        """Show the Thai or the English keys (Shift is released)."""
        self._layout = self._layout_for(language)
        self._shifted = False
        self._show_layer()
        self._retranslate_language_key()

    def toggle_keyboard_language(self) -> None:
        """Switch between the Thai and the English keys."""
        self.set_keyboard_language("en" if self._layout.language == "th" else "th")

    def is_shifted(self) -> bool:
        """Tell whether the shift layer is shown."""
        return self._shifted

    def set_shifted(self, shifted: bool) -> None:
        """Show the shift layer or the normal one."""
        self._shifted = bool(shifted)
        self._show_layer()

    # -- text in the current language ---------------------------------------------------------

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.setAccessibleName(self.tr("On-screen keyboard"))
        #: The Shift key's label; keep the arrow (the font has no ⇧).
        self.shift_key.setText(self.tr("↑ Shift"))
        self.shift_key.setAccessibleName(self.tr("Shift"))
        self.shift_key.setAccessibleDescription(
            self.tr("Types the upper character of the next key")
        )
        #: The Backspace key's label: it deletes the character before the caret.
        self.backspace_key.setText(self.tr("← Delete"))
        self.backspace_key.setAccessibleName(self.tr("Backspace"))
        self.backspace_key.setAccessibleDescription(self.tr("Deletes the last character typed"))
        self.space_key.setText(self.tr("Space"))
        self.space_key.setAccessibleName(self.space_key.text())
        self._retranslate_language_key()
        self._show_remaining()
        self._size_labels()

    def _retranslate_language_key(self) -> None:
        """Name the language key after the layout it switches to."""
        if self._layout.language == "th":
            self.language_key.setAccessibleName(self.tr("Switch the keyboard to English"))
        else:
            self.language_key.setAccessibleName(self.tr("Switch the keyboard to Thai"))

    def _show_remaining(self) -> None:
        """Show how many characters may still be typed."""
        left = self._buffer.remaining()
        if left == 0:
            text = self.tr("No characters left")
        elif left == 1:
            text = self.tr("1 character left")
        else:
            #: %1 is a number of 2 or more; 1 and 0 have strings of their own.
            text = fill(self.tr("%1 characters left"), str(left))
        label = self.characters_left
        label.setText(text)
        label.setAccessibleName(text)
        full = left == 0
        if label.property("full") != full:
            label.setProperty("full", full)
            label.style().unpolish(label)
            label.style().polish(label)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    # -- keyboard-only use --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Move between keys with the arrow keys; Enter presses the key that has focus.

        A sized label font that the stylesheet replaced is put back.
        """
        if event.type() == QEvent.Type.FontChange and isinstance(watched, QWidget):
            kept = self._fonts.get(watched)
            if kept is not None and watched.font() != kept:
                watched.setFont(kept)
            return False
        if (
            isinstance(watched, KeyButton)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            if event.key() in _ACTIVATION_KEYS:
                if not event.isAutoRepeat():
                    watched.animateClick()
                return True
            if event.key() in _NAVIGATION_KEYS:
                target = self._neighbour(watched, Qt.Key(event.key()))
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def _neighbour(self, key: KeyButton, direction: Qt.Key) -> KeyButton | None:
        """Return the key an arrow leads to: along the row (wrapping), or the nearest above/below."""
        slot = self._slots[key]
        row = self._rows[slot.row]
        if direction in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            step = 1 if direction == Qt.Key.Key_Right else -1
            return row[(row.index(key) + step) % len(row)]
        target_row = slot.row + (1 if direction == Qt.Key.Key_Down else -1)
        if not 0 <= target_row < len(self._rows):
            return None
        return min(self._rows[target_row], key=lambda k: abs(self._slots[k].centre - slot.centre))

    def key_buttons(self) -> list[KeyButton]:
        """Return every key in reading order (the Tab order)."""
        return [key for row in self._rows for key in row]

    # -- size ---------------------------------------------------------------------------------

    def _apply_touch_sizes(self) -> None:
        """Work out the smallest key this screen allows and ask the layout for room."""
        self._gap = gap_px(self, KEY_GAP_PX)
        self._min_key_height = mm_to_px(self, KEY_MIN_MM)
        self._min_key_width = mm_to_px(self, KEY_MIN_WIDTH_MM)
        self.updateGeometry()
        self._lay_out()

    def _extent(self, units: float, key_px: int) -> int:
        """Return the pixels that `units` keys of key_px with gaps and margins need."""
        gap = self._gap
        return round(units * (key_px + gap) - gap + 2 * KEYBOARD_MARGIN_PX)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the size at which keys are still KEY_MIN_MM tall."""
        return QSize(
            self._extent(UNITS_ACROSS, self._min_key_width),
            self._extent(len(self._rows), self._min_key_height),
        )

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return a comfortable size: keys as wide as tall where there is room."""
        key = max(self._min_key_height, KEY_PREFERRED_PX)
        return QSize(self._extent(UNITS_ACROSS, key), self._extent(len(self._rows), key))

    def _lay_out(self) -> None:
        """Lay the keys out on a grid that fills the widget, and size their labels."""
        inner = self.rect().adjusted(
            KEYBOARD_MARGIN_PX, KEYBOARD_MARGIN_PX, -KEYBOARD_MARGIN_PX, -KEYBOARD_MARGIN_PX
        )
        gap = self._gap
        pitch_x = (inner.width() + gap) / UNITS_ACROSS
        pitch_y = (inner.height() + gap) / len(self._rows)
        key_height = max(1, math.floor(pitch_y - gap))  # never less than the gap between rows

        def rect_of(slot: _Slot) -> QRect:
            left = inner.left() + round(slot.left * pitch_x)
            right = inner.left() + round((slot.left + slot.width) * pitch_x) - gap
            top = inner.top() + round(slot.row * pitch_y)
            return QRect(left, top, max(1, right - left), key_height)

        for key, slot in self._slots.items():
            key.setGeometry(rect_of(slot))
        self.characters_left.setGeometry(rect_of(self._counter_slot))
        self._key_height = key_height
        self._size_labels()

    def _size_labels(self) -> None:
        """Size the labels from the key height, smaller where a word would not fit its key."""
        if self._key_height <= 0:
            return
        character_px = max(MIN_CHARACTER_FONT_PX, round(self._key_height * CHARACTER_FONT_RATIO))
        if character_px != self._character_px:
            self._character_px = character_px
            character_font = _font(character_px)
            for row in self.character_keys:
                for key in row:
                    self._set_font(key, character_font)
        function_px = round(self._key_height * FUNCTION_FONT_RATIO)
        bold = QFont.Weight.DemiBold
        captions = [layout.caption for layout in LAYOUTS.values()]
        labels: list[tuple[QWidget, list[str], int, QFont.Weight]] = [
            (self.shift_key, [self.shift_key.text()], function_px, bold),
            (self.backspace_key, [self.backspace_key.text()], function_px, bold),
            (self.space_key, [self.space_key.text()], function_px, bold),
            (self.language_key, captions, round(character_px * 0.8), bold),
            (self.characters_left, self._counter_texts(), function_px, bold),
        ]
        for widget, texts, largest, weight in labels:
            room = widget.width() - 2 * LABEL_PADDING_PX
            px = _fitting_size(texts, largest, room, weight)
            if widget.font().pixelSize() != px:
                self._set_font(widget, _font(px, weight))

    def _set_font(self, widget: QWidget, font: QFont) -> None:
        """Give a key or the counter its sized font, and keep it through re-polishing."""
        if widget not in self._fonts:
            widget.installEventFilter(self)
        self._fonts[widget] = font
        widget.setFont(font)

    def _counter_texts(self) -> list[str]:
        """Return the longest texts the counter can show, for sizing it once."""
        return [
            fill(self.tr("%1 characters left"), str(max(self._buffer.max_length, 10))),
            self.tr("1 character left"),
            self.tr("No characters left"),
        ]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Lay the keys out again for the new size."""
        super().resizeEvent(event)
        self._lay_out()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """Recompute key sizes for the screen the keyboard is shown on."""
        self._apply_touch_sizes()
        super().showEvent(event)
