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

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import (
    QFontMetrics,
    QResizeEvent,
)
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QSpacerItem, QWidget

from kiosk.flow import View
from kiosk.roster import Roster
from kiosk.speech import Spoken
from ui.citizen.screen import SCREEN_MARGIN_PX, CitizenScreen
from ui.citizen.story_invite import StoryInvite
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import ChipButton, TouchButton
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.focus import ArrowNavigation, chain_focus
from ui.widgets.keyboard import ThaiKeyboard
from ui.widgets.room import Yielding
from ui.widgets.scrolling import FittingScrollArea
from ui.widgets.sizes import QWIDGETSIZE_MAX, TOUCH_MIN_MM, gap_px, mm_to_px
from ui.widgets.story_field import StoryField
from ui.widgets.style import KEYBOARD_USE_PROPERTY, window_flag

STORY_LINES: Final = 2.3  # the story field shows two lines and the top of a third
STORY_MARGIN_PX: Final = 12  # above and below, while the keyboard shows
FIELD_FRAME_PX: Final = 16  # the story field's padding and border, from kiosk.qss


class PageChip(ChipButton):
    """The chip after a page of tags: "+ n more", or back to the first page.

    It is as wide as the widest of its labels, so that it takes the same place on every page
    and the pages can be measured before it says what it says on each.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("more", parent)
        self._labels: tuple[str, ...] = ()

    def set_labels(self, labels: tuple[str, ...]) -> None:
        """Take the texts the chip may show (in the current language)."""
        self._labels = labels
        self.updateGeometry()

    def labels(self) -> tuple[str, ...]:
        """Return the texts the chip may show, as it was last told."""
        return self._labels

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the size of the widest label."""
        size = super().sizeHint()
        for label in self._labels:
            size = size.expandedTo(self.touch_size(self._styled(label)))
        return size


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
        self._two_rows = True  # the tags keep room for two rows (see _keep_two_rows)
        self._hint_makes_pages = False  # without the hint, every tag would fit at once
        hint = self.hint_yields(self.hint)
        self._hint_cost = hint.cost
        # On a short screen the hint gives way first, then the tags' second row; it gives way
        # too where that lets every tag show at once. It never shows with the keyboard (it
        # speaks of the tags, which are hidden then).
        self.yielding = (
            Yielding(hint.cost, hint.is_on, lambda on: self.hint.setVisible(on and self._hinted())),
            Yielding(self._second_row_cost, lambda: self._two_rows, self._keep_two_rows),
        )

        self.tags_scroll = FittingScrollArea(self)
        self.tags_scroll.setObjectName("tagsScroll")
        self.tags_scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.tags_box = QWidget()
        self.tags_box.setObjectName("tagsBox")
        self.tags_layout = FlowLayout(self.tags_box, spacing=gap_px(self, 14), centred=True)
        self._page_start = 0  # the first chip on the page of tags showing (see _fit_tags)
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
        # When the tags do not all fit, the last place on the page is a chip that shows the
        # next page ("+ 5 more"), or on the last page the first page again: every tag can be
        # found by tapping what shows, with no scrolling to know about.
        self.more_tags = PageChip(self.tags_box)
        self.more_tags.setObjectName("moreTags")
        self.more_tags.clicked.connect(self.next_tags_page)
        self.more_tags.hide()
        self.tags_layout.addWidget(self.more_tags)

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
        self.story_row = row = QHBoxLayout()
        row.setSpacing(gap_px(self, 20))
        row.addWidget(self.write_button, 1)
        row.addWidget(self.field, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.tags_scroll.setWidget(self.tags_box)
        self.tags_scroll.viewport().setObjectName("tagsViewport")
        for watched in (self.tags_scroll, self.tags_scroll.viewport(), self.tags_box):
            watched.installEventFilter(self)  # the tags' room or sizes changed: fit the pages
        self.tags_part: list[QWidget] = [self.title, self.write_button]  # (and the tags' room)

        self._above, self._below = QSpacerItem(0, 0), QSpacerItem(0, 0)  # see _show_tags_room
        self.content.addItem(self._above)
        self.content.addWidget(self.title)
        self.content.addWidget(self.hint)
        self.content.addWidget(self.tags_scroll, 1)  # all the room the story row leaves
        self.content.addLayout(row)
        self.content.addItem(self._below)
        self.content.addWidget(self.keyboard, 1)

        self.navigation = ArrowNavigation(self)
        chain_focus(
            [
                *self.tag_chips.values(),
                *self.concern_chips.values(),
                self.more_tags,
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

    def offers_tags(self) -> bool:
        """Tell whether there are tags to pick: with none on offer only the story is asked."""
        return bool(self.shown_chips())

    def _offer(self, *, concerns: bool) -> None:
        """Ask what impressed (concerns False) or what could be better, with that list's chips."""
        self._concerns = concerns
        for chip in self.tag_chips.values():
            chip.setVisible(not concerns)
        for chip in self.concern_chips.values():
            chip.setVisible(concerns)
        self.navigation.set_widgets([*self.shown_chips().values(), self.more_tags])
        self._show_tags_room()
        self._page_start = 0
        self.tags_layout.invalidate()
        self.tags_scroll.updateGeometry()
        self.retranslate_ui()
        self.spoken_changed.emit()

    def _show_tags_room(self) -> None:
        """Show the tags' room only with tags on offer; with none, spacers centre the question."""
        self.tags_scroll.setVisible(not self._story_open and self.offers_tags())
        bare = not self._story_open and not self.offers_tags()
        grow = QSizePolicy.Policy.Expanding if bare else QSizePolicy.Policy.Fixed
        for spacer in (self._above, self._below):
            spacer.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow)
        self.content.invalidate()

    # -- pages of tags ------------------------------------------------------------------------

    def tag_pages(self) -> list[list[ChipButton]]:
        """Return the chips on offer in pages that each fit the tags' room with "more" after them.

        One page when they all fit. Each page is as full as its rows allow; the last holds
        the rest and the chip back to the first page.
        """
        chips = list(self.shown_chips().values())
        area = self.tags_scroll
        width = area.viewport().width()  # (narrower by the scroll bar, if one shows)
        room = area.height() - 2 * area.frameWidth()  # (the viewport may end above a cut row)
        flow = self.tags_layout
        if width <= 0 or room <= 0 or flow.height_with(width, [*chips]) <= room:
            return [chips]
        more = self.more_tags
        pages: list[list[ChipButton]] = []
        rest = chips
        while rest:
            if pages and flow.height_with(width, [*rest, more]) <= room:
                pages.append(rest)
                break
            page = [rest[0]]  # one at least, even if it does not fit (then the list scrolls)
            for chip in rest[1:]:
                if flow.height_with(width, [*page, chip, more]) > room:
                    break
                page.append(chip)
            pages.append(page)
            rest = rest[len(page) :]
        return pages

    def _hinted(self) -> bool:
        """Tell whether the hint may show (room allowing): not with the keyboard, nor where
        the room it takes is all that keeps the tags from showing at once."""
        return not self._story_open and not self._hint_makes_pages

    def _fit_hint(self) -> None:
        """Give up the hint if without it every tag fits at once, and with it they do not."""
        width = self.tags_scroll.viewport().width()
        room = self.tags_scroll.height() - 2 * self.tags_scroll.frameWidth()
        offered = self.offers_tags()  # (with none on offer the hint is all there is to say)
        if offered and (width <= 0 or room <= 0):
            return
        cost = self._hint_cost()
        bare = room + (0 if self.hint.isHidden() else cost)  # the tags' room without the hint
        chips: list[QWidget] = [*self.shown_chips().values()]
        needed = self.tags_layout.height_with(width, chips)
        makes_pages = offered and bare - cost < needed <= bare
        if makes_pages != self._hint_makes_pages:
            self._hint_makes_pages = makes_pages
            self.hint.setVisible(self._hinted())  # (give_way hides it again if room is short)

    def next_tags_page(self) -> None:
        """Show the next page of tags ("+ n more" was tapped), or the first after the last."""
        chips = list(self.shown_chips().values())
        # The next page begins after the last chip the citizen can see now, whatever the
        # pages looked like when they were last fitted: if the room changed meanwhile (the
        # hint giving way, a relayout), pages counted afresh could begin past a chip never
        # shown. The page holding that chip is shown; it may repeat a chip, never skip one.
        seen = [n for n, chip in enumerate(chips) if not chip.isHidden()]
        after = seen[-1] + 1 if seen else 0
        self._page_start = after if after < len(chips) else 0
        self._fit_tags()
        if chips:  # the first tag of the new page: where the eye and Tab go next
            chips[self._page_start].setFocus(Qt.FocusReason.OtherFocusReason)
        self.spoken_changed.emit()

    def show_page_of(self, chip: ChipButton) -> None:
        """Turn to the page of tags that holds this chip (a shot, a test)."""
        for page in self.tag_pages():
            if chip in page:
                self._page_start = list(self.shown_chips().values()).index(page[0])
        self._fit_tags()

    def _fit_tags(self) -> None:
        """Show the page of tags that holds the first chip shown, and "more" if there are pages."""
        if self._story_open or not hasattr(self, "send_button"):
            return
        self._fit_hint()
        pages = self.tag_pages()
        chips = list(self.shown_chips().values())
        if not chips:
            self.more_tags.hide()
            return
        index = max(n for n, page in enumerate(pages) if chips.index(page[0]) <= self._page_start)
        shown = pages[index]
        self._page_start = chips.index(shown[0])
        for chip in chips:
            if chip.isHidden() == (chip in shown):
                chip.setVisible(chip in shown)
        paged = len(pages) > 1
        self._label_more(last=index == len(pages) - 1, left=len(chips) - 1 - chips.index(shown[-1]))
        if self.more_tags.isHidden() == paged:
            self.more_tags.setVisible(paged)

    def _label_more(self, *, last: bool, left: int) -> None:
        """Say how many tags the next pages hold, or (on the last page) that it goes back."""
        more = self.more_tags
        if last:
            text = self._back_label()
            more.set_indicator("first")
            more.setAccessibleDescription(self.tr("Shows the first answers again"))
        else:
            text = self._more_label(left)
            more.set_indicator("more")
            more.setAccessibleDescription(self.tr("Shows more answers to choose from"))
        if more.text() != text:
            more.setText(text)
            more.setAccessibleName(text)

    def _more_label(self, left: int) -> str:
        """Return the text of the chip that shows the next page of tags."""
        #: The chip after a page of tags that do not all fit; %1 is how many later pages hold.
        return fill(self.tr("%1 more"), str(left))

    def _back_label(self) -> str:
        """Return the text of the chip after the last page of tags."""
        #: The chip after the last page of tags: it shows the first page again.
        return self.tr("Back to the first")

    def _second_row_cost(self) -> int:
        """Return the height a second row of tags adds to one (none if the tags take one row)."""
        chips: list[QWidget] = [*self.shown_chips().values()]
        width = self.tags_scroll.width() or self._text_width()
        one_row = max((c.sizeHint().height() for c in chips), default=0)
        rows = min(
            self.tags_layout.height_with(width, chips), 2 * one_row + self.tags_layout.spacing()
        )
        return max(0, rows - one_row)

    def _keep_two_rows(self, on: bool) -> None:
        """Keep room for two rows of tags (on), or let the list shrink to one on a short screen."""
        self._two_rows = on
        least = self.tags_scroll.minimumSizeHint().height() + self._second_row_cost() if on else 0
        if self.tags_scroll.minimumHeight() != least:
            self.tags_scroll.setMinimumHeight(least)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """The tags' room changed: fit the page of tags to it."""
        kind = event.type()
        area = (self.tags_scroll, self.tags_scroll.viewport())
        if (kind == QEvent.Type.Resize and watched in area) or (
            kind == QEvent.Type.LayoutRequest and watched is self.tags_box
        ):
            self._fit_tags()
            self._keep_two_rows(self._two_rows)  # the second row's height follows the tags'

        return super().eventFilter(watched, event)

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
        self._show_tags_room()
        if story:
            self.hint.hide()  # it speaks of the tags (it comes back, room allowing, with them)
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
        self._fit_field()
        self._fit_tags()
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
        # Every tag on offer, on whichever page it shows (the reading is composed on arrival,
        # before the pages are laid out): a listener hears all the answers there are.
        tags = tuple(chip.text() for chip in self.shown_chips().values())
        return Spoken(
            self.title.text(),
            (self.hint.text(),),
            tags,
            #: Read aloud after the first ten tags of a long list; %1 is how many were not read.
            more=self.tr("and %1 more"),
            actions=(self.write_button.accessibleName(), send),
        )

    def first_choice(self) -> QWidget | None:
        """Focus starts on the first tag on offer (or Send when there are none)."""
        return next(iter(self.shown_chips().values()), self.send_button)

    def enter(self, view: View) -> None:
        """Arrive with the first page of tags showing and the keyboard holding this citizen's story."""
        self._page_start = 0
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
            if not self.offers_tags():
                #: In its place when the roster has no concern tags: only the story box follows.
                hint = self.tr("We are sorry. Tell us what went wrong if you like, or tap Send")
        else:
            title = self.tr("What impressed you?")
            hint = self.tr("Choose as many as you like, or none")
            if not self.offers_tags():
                #: Under "What impressed you?" when the roster has no impression tags.
                hint = self.tr("Tell us in a few words if you like, or tap Send")
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
        most = max(len(self.tag_chips), len(self.concern_chips))
        self.more_tags.set_labels((self._more_label(most), self._back_label()))
        self._show_invite(self.keyboard.text())
        self._fit_tags()
