"""What impressed you: quick-pick tags, an optional story on the on-screen keyboard, and Send.

After an unhappy face (a rating of 1 or 2, kiosk/flow.py) the same screen asks what could be
better instead, and offers the roster's concern tags (รอนาน, ข้อมูลไม่ชัดเจน …) in place of the
impression tags: a citizen who was badly served is not asked what impressed them.

Two views of one screen. First the tags, large enough to tap, a wide box inviting a story, and
Send; the story is optional, so Send is also the way to skip it. Tapping the box opens the
story view: the story field and the keyboard fill the screen (on a 10-inch tablet the
keyboard's 15 mm keys and the tags do not fit at once), and Back closes the keyboard again.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextLayout,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSpacerItem, QStylePainter, QWidget

from kiosk.flow import View
from kiosk.roster import Roster
from kiosk.speech import Spoken
from ui.citizen.screen import SCREEN_MARGIN_PX, CitizenScreen
from ui.i18n import LanguageSwitcher
from ui.widgets.buttons import ChipButton, TouchButton, paint_button_frame, paint_focus_ring
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.focus import ArrowNavigation, chain_focus
from ui.widgets.keyboard import ThaiKeyboard
from ui.widgets.scrolling import FittingScrollArea
from ui.widgets.sizes import TOUCH_MIN_MM, gap_px, mm_to_px
from ui.widgets.story_field import StoryField
from ui.widgets.style import KEYBOARD_USE_PROPERTY, set_style_property, window_flag

STORY_LINES: Final = 2.3  # the story field shows two lines and the top of a third
STORY_MARGIN_PX: Final = 12  # above and below, while the keyboard shows
FIELD_FRAME_PX: Final = 16  # the story field's padding and border, from kiosk.qss
INVITE_PADDING_PX: Final = 24
INVITE_LINES: Final = 2
QWIDGETSIZE_MAX: Final = 16_777_215  # Qt's "no maximum" for a widget's size


class StoryInvite(TouchButton):
    """A wide box that looks like a text field: an invitation to write, or the story so far."""

    HINT_IS_MINIMUM = True  # the face and its word / two lines of text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("invite", parent)
        self.setObjectName("storyInvite")
        self.setProperty("filled", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._shown = ""

    def shown_text(self) -> str:
        """Return what the box says: the invitation, or the story."""
        return self._shown

    def show_text(self, text: str, *, filled: bool) -> None:
        """Show the invitation (filled False) or the story typed so far (filled True)."""
        self._shown = text
        set_style_property(self, "filled", filled)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return two lines of text inside the padding."""
        lines = QFontMetrics(self.font()).lineSpacing() * INVITE_LINES
        return self.touch_size(QSize(400, lines + 2 * INVITE_PADDING_PX))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the same height as the size hint, and a narrow width."""
        return QSize(200, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Paint the styled box and up to two lines of text, the second cut with "…"."""
        painter = QStylePainter(self)
        paint_button_frame(self, painter)
        paint_focus_ring(self, painter)
        room = self.rect().adjusted(
            INVITE_PADDING_PX, INVITE_PADDING_PX, -INVITE_PADDING_PX, -INVITE_PADDING_PX
        )
        painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
        painter.setFont(self.font())
        _draw_lines(painter, room, self._shown, INVITE_LINES)
        painter.end()


def _draw_lines(painter: QPainter, room: QRect, text: str, most: int) -> None:
    """Draw text wrapped into room, at most `most` lines, the last one elided if there is more."""
    metrics = QFontMetrics(painter.font())
    layout = QTextLayout(text, painter.font())
    layout.beginLayout()
    lines: list[str] = []
    start = 0
    while len(lines) < most:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(room.width())
        start = line.textStart()
        lines.append(text[start : start + line.textLength()])
    layout.endLayout()
    if lines and start + len(lines[-1]) < len(text):
        rest = text[start:].replace("\n", " ")
        lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, room.width())
    top = room.top() + (room.height() - metrics.lineSpacing() * len(lines)) // 2
    for index, line_text in enumerate(lines):
        y = top + index * metrics.lineSpacing()
        painter.drawText(
            QRect(room.left(), y, room.width(), metrics.lineSpacing()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            line_text.strip(),
        )


class ImpressionScreen(CitizenScreen):
    """The last question: what impressed (or what could be better), in tags and in words."""

    tag_toggled = Signal(str)
    story_changed = Signal(str)
    send_requested = Signal()

    def __init__(
        self, roster: Roster, switcher: LanguageSwitcher, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            switcher, name="impressionScreen", question=3, with_back=True, parent=parent
        )
        self._roster = roster
        self._story_open = False
        self._concerns = False  # asking what could be better (the view says, from the rating)
        self.title = self.make_label("question")
        self.hint = self.make_label("hint")
        self.yielding = (self.hint_yields(self.hint),)  # a tall chip's room on a short screen

        self.tags_scroll = FittingScrollArea(self)
        self.tags_scroll.setObjectName("tagsScroll")
        self.tags_box = QWidget()
        self.tags_box.setObjectName("tagsBox")
        self.tags_layout = FlowLayout(self.tags_box, spacing=gap_px(self, 14), centred=True)
        # One flow of chips holds both lists; only the list on offer is shown.
        self.tag_chips: dict[str, ChipButton] = {}
        self.concern_chips: dict[str, ChipButton] = {}
        for chips, entries, prefix in (
            (self.tag_chips, roster.active_tags(), "tag"),
            (self.concern_chips, roster.active_concerns(), "concern"),
        ):
            for entry in entries:
                chip = ChipButton("check", self.tags_box)
                chip.setObjectName(f"{prefix}_{entry.code}")
                chip.clicked.connect(lambda _=False, code=entry.code: self.tag_toggled.emit(code))
                self.tags_layout.addWidget(chip)
                chips[entry.code] = chip

        self.write_button = StoryInvite(self)
        self.write_button.clicked.connect(self.open_story)
        self.send_button = TouchButton("primary", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.send_requested)
        self.send_button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self.field = StoryField(self)
        self.field.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.keyboard = ThaiKeyboard(parent=self)
        self.keyboard.text_changed.connect(self.field.show_text)
        self.keyboard.text_changed.connect(self.story_changed)

        # Under the tags: [the story box | Send]. With the keyboard: [Back | field | Send].
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum
        self.spacer = QSpacerItem(0, 0, keep, grow)
        self.story_row = row = QHBoxLayout()
        row.setSpacing(gap_px(self, 20))
        row.addWidget(self.write_button, 1)
        row.addWidget(self.field, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.tags_scroll.setWidget(self.tags_box)
        self.tags_scroll.viewport().setObjectName("tagsViewport")
        self.tags_part: list[QWidget] = [
            self.title,
            self.hint,
            self.tags_scroll,
            self.write_button,
        ]

        self.content.addWidget(self.title)
        self.content.addWidget(self.hint)
        self.content.addWidget(self.tags_scroll)
        self.content.addItem(self.spacer)
        self.content.addLayout(row)
        self.content.addWidget(self.keyboard, 1)

        self.navigation = ArrowNavigation(self)
        chain_focus(
            [
                *self.tag_chips.values(),
                *self.concern_chips.values(),
                self.write_button,
                self.send_button,
                self.back_button,
                *self.bar.buttons(),
                *self.keyboard.key_buttons(),
            ]
        )
        self._show_story_part(False)
        self._offer(concerns=False)

    # -- which question, which tags -----------------------------------------------------------

    def asks_concerns(self) -> bool:
        """Tell whether the screen asks what could be better (after a rating of 1 or 2)."""
        return self._concerns

    def shown_chips(self) -> dict[str, ChipButton]:
        """Return the chips on offer, by tag code: the concern or the impression tags."""
        return self.concern_chips if self._concerns else self.tag_chips

    def _offer(self, *, concerns: bool) -> None:
        """Ask what impressed (concerns False) or what could be better, with that list's chips."""
        self._concerns = concerns
        for chip in self.tag_chips.values():
            chip.setVisible(not concerns)
        for chip in self.concern_chips.values():
            chip.setVisible(concerns)
        self.navigation.set_widgets(list(self.shown_chips().values()))
        self.tags_layout.invalidate()
        self.tags_scroll.updateGeometry()
        self.retranslate_ui()
        self.spoken_changed.emit()

    # -- the two views ------------------------------------------------------------------------

    def story_is_open(self) -> bool:
        """Tell whether the keyboard is showing."""
        return self._story_open

    def open_story(self) -> None:
        """Show the story field and the keyboard."""
        self._show_story_part(True)
        if window_flag(self, KEYBOARD_USE_PROPERTY):
            self.keyboard.key_buttons()[0].setFocus(Qt.FocusReason.TabFocusReason)
        else:  # a finger needs no focus on a key (it would look pressed)
            self.send_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_story(self) -> None:
        """Hide the keyboard and show the tags again."""
        self.send_button.setFocus(Qt.FocusReason.OtherFocusReason)  # never left on a hidden key
        self._show_story_part(False)
        self.write_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_story_part(self, story: bool) -> None:
        """Show either the tags and the story box, or the story field and the keyboard."""
        self._story_open = story
        if not story:
            self.field.hide()
            self.keyboard.hide()
            self.let_bar_give_way(False)
        for widget in self.tags_part:
            widget.setVisible(not story)
        if story:
            self.field.show()
            self.keyboard.show()
        # With the keyboard the progress gives way, and the margins narrow, so that the keys keep
        # their 15 mm on a 10-inch tablet.
        self._place_notice()  # shows or hides the progress
        # Back moves into the story's row, [Back | field | Send] (in place of the story box), so
        # the header takes no line of its own when the bar steps aside.
        self._move_back_button(into_story_row=story)
        top, bottom = (STORY_MARGIN_PX, STORY_MARGIN_PX) if story else (20, 24)
        self.root.setContentsMargins(SCREEN_MARGIN_PX, top, SCREEN_MARGIN_PX, bottom)
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum
        self.spacer.changeSize(0, 0, keep, keep if story else grow)
        self._fit_field()
        self.content.invalidate()
        self.spoken_changed.emit()

    def _progress_wanted(self) -> bool:
        """ "Question n of m" gives way to the keyboard."""
        return super()._progress_wanted() and not self._story_open

    def _move_back_button(self, *, into_story_row: bool) -> None:
        """Put Back at the start of the story's row, or back at the start of the header."""
        back = self.back_button
        inside = self.story_row.indexOf(back) >= 0
        if inside == into_story_row:
            return
        if into_story_row:
            self.header.removeWidget(back)
            self.story_row.insertWidget(0, back, 0, Qt.AlignmentFlag.AlignBottom)
        else:
            self.story_row.removeWidget(back)
            self.header.insertWidget(0, back, 0, Qt.AlignmentFlag.AlignVCenter)

    def _fit_bar(self) -> None:
        """With the keyboard open, keep the display bar only if the keys keep 15 mm with it.

        On the smallest panel they do not: the bar steps aside, and Back (which closes the
        keyboard) brings it back with the tags.
        """
        margins = self.root.contentsMargins()
        least_field = mm_to_px(self, TOUCH_MIN_MM)
        below_bar = (
            self.root.spacing()
            + least_field
            + self.content.spacing()
            + self.keyboard.minimumSizeHint().height()
        )
        room = self.height() - margins.top() - margins.bottom()
        self.let_bar_give_way(self.bar.sizeHint().height() + below_bar > room)

    def _fit_field(self) -> None:
        """Make the story field STORY_LINES tall, or less (one line at least) if the keys need the room."""
        lines = QFontMetrics(self.field.font()).lineSpacing()
        height = round(lines * STORY_LINES) + 2 * FIELD_FRAME_PX
        if self._story_open and self.height() > 0:
            self._fit_bar()
            margins = self.root.contentsMargins()
            header = 0 if self.header.isEmpty() else self.header.sizeHint().height()
            if header:
                header += self.root.spacing()
            if self.header_wrapped():
                header += self.bar_row.sizeHint().height() + self.root.spacing()
            spare = (
                self.height()
                - margins.top()
                - margins.bottom()
                - header
                - self.content.spacing()
                - self.keyboard.minimumSizeHint().height()
            )
            least = max(lines + 2 * FIELD_FRAME_PX, mm_to_px(self, TOUCH_MIN_MM))
            height = max(least, min(height, spare))
        self.field.setFixedHeight(height)
        self._fit_send_button()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Fit the story field to the room the keyboard leaves."""
        super().resizeEvent(event)
        self._fit_field()

    def _fit_send_button(self) -> None:
        """Make Send as tall as the story field beside it, or its own height under the tags."""
        if self._story_open:
            self.send_button.setFixedHeight(self.field.height())
        else:
            self.send_button.setMaximumHeight(QWIDGETSIZE_MAX)
            self.send_button.setMinimumHeight(mm_to_px(self, TOUCH_MIN_MM))

    def go_back(self) -> None:
        """Back closes the keyboard first; from the tags it goes back a question."""
        if self._story_open:
            self.close_story()
        else:
            self.back_requested.emit()

    # -- the flow -----------------------------------------------------------------------------

    def spoken(self) -> Spoken:
        """Return the question, the hint, the tags and Send; with the keyboard open, the story."""
        send = self.send_button.accessibleName()
        if self._story_open:
            story = self.keyboard.text() or self.field.placeholderText()
            return Spoken(self.field.accessibleName(), (story,), actions=(send,))
        tags = tuple(chip.text() for chip in self.shown_chips().values())
        return Spoken(
            self.title.text(),
            (self.hint.text(),),
            tags,
            actions=(self.write_button.accessibleName(), send),
        )

    def first_choice(self) -> QWidget | None:
        """Focus starts on the first tag on offer (or Send when there are none)."""
        return next(iter(self.shown_chips().values()), self.send_button)

    def enter(self, view: View) -> None:
        """Arrive with the tags showing and the keyboard holding this citizen's story."""
        self._show_story_part(False)
        if view.concerns != self._concerns:
            self._offer(concerns=view.concerns)
        self.keyboard.set_keyboard_language(view.session.lang)
        with QSignalBlocker(self.keyboard):
            self.keyboard.set_text(view.session.story)
        self.field.show_text(view.session.story)
        super().enter(view)

    def show_view(self, view: View) -> None:
        """Show the question the rating asks, which tags are on and the story so far."""
        super().show_view(view)
        if view.concerns != self._concerns:
            self._offer(concerns=view.concerns)
        session = view.session
        for code, chip in (*self.tag_chips.items(), *self.concern_chips.items()):
            chip.set_on(code in session.tags)
        self._show_invite(session.story)
        self._fit_field()

    def _show_invite(self, story: str) -> None:
        """Show the story in the box under the tags, or invite one."""
        if story:
            self.write_button.show_text(story, filled=True)
            self.write_button.setAccessibleName(self.tr("Edit your story"))
            self.write_button.setAccessibleDescription(story)
        elif self._concerns:
            self.write_button.show_text(
                self.tr("Tap here to tell us what happened, in your own words (optional)"),
                filled=False,
            )
            self.write_button.setAccessibleName(self.tr("Write about what happened (optional)"))
            self.write_button.setAccessibleDescription(
                self.tr("Opens a keyboard to tell us in a few words what went wrong")
            )
        else:
            self.write_button.show_text(
                self.tr("Tap here to tell us more in your own words (optional)"), filled=False
            )
            self.write_button.setAccessibleName(self.tr("Write about it (optional)"))
            self.write_button.setAccessibleDescription(
                self.tr("Opens a keyboard for a short story of what impressed you")
            )

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        super().retranslate_ui()
        if not hasattr(self, "send_button"):
            return  # called by the base class before this screen's widgets exist
        lang = self.language
        if self._concerns:
            #: Asked after an unhappy face (1 or 2 of 5) instead of "What impressed you?".
            title = self.tr("What could we do better?")
            #: Under "What could we do better?", above tags such as "long wait".
            hint = self.tr("We are sorry. Choose what went wrong, as many as you like, or none")
        else:
            title = self.tr("What impressed you?")
            hint = self.tr("Choose as many as you like, or none")
        self.title.setText(title)
        self.hint.setText(hint)
        self.title.setAccessibleName(self.title.text())
        self.hint.setAccessibleName(self.hint.text())
        self.send_button.setText(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send your feedback"))
        self.send_button.setAccessibleDescription(
            self.tr("Sends your answers; the story is optional")
        )
        for chips, entries in (
            (self.tag_chips, self._roster.active_tags()),
            (self.concern_chips, self._roster.active_concerns()),
        ):
            for entry in entries:
                chip = chips[entry.code]
                chip.setText(entry.display_name(lang))
                chip.setAccessibleName(chip.text())
        self._show_invite(self.keyboard.text())
