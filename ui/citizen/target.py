"""Who served you: cards for the roster's active staff and units, "not sure", and an optional service.

A tap on a card chooses and moves on. The cards sit in a scroll area that scrolls by swipe
(QScroller on the viewport: a touch or mouse drag scrolls, a tap still taps), so the screen works
for a district with two staff or forty. The service chips above the cards are optional; a
second tap on the chosen service clears it.

A roster of more than 12 active staff (kiosk/staff_index.py) gets an index of first letters
beside the "Staff" heading (ui/citizen/target_index.py): a tap on a letter shows only the staff
whose given name starts with it and scrolls the list to the letters, the services above them
scrolled away, so that the staff found fill the view. The cards are drawn in
ui/citizen/target_cards.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import View
from kiosk.initials import initials
from kiosk.roster import Roster, StaffMember, Unit, photo_path
from kiosk.speech import Spoken
from kiosk.staff_index import IndexLetter, staff_index
from ui.citizen.screen import CitizenScreen
from ui.citizen.target_cards import (
    CARD_MIN_WIDTH_LARGE_PX,
    CARD_MIN_WIDTH_PX,
    MAX_COLUMNS,
    UNIT_COLOUR,
    UNSURE_COLOUR,
    Card,
    avatar_colour,
    round_photo,
)
from ui.citizen.target_index import LetterIndex
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import ChipButton
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.focus import ArrowNavigation, chain_focus
from ui.widgets.labels import SpaceWrapLabel
from ui.widgets.scrolling import enable_swipe, end_at_whole_rows
from ui.widgets.sizes import QWIDGETSIZE_MAX, gap_px, screen_dpi, text_scale
from ui.widgets.style import set_style_property
from wire.vote import Target

# With an index of first letters, the first view shows this many whole rows of cards at least:
# where the services above the letters leave less room, the view begins at the letters.
ROWS_IN_FIRST_VIEW: Final = 2


class TargetScreen(CitizenScreen):
    """Question 2: the staff member or unit who served the citizen, or "not sure"."""

    target_chosen = Signal(object)  # a Target, or None for "not sure"
    service_chosen = Signal(object)  # a service code, or None to clear it

    def __init__(
        self,
        roster: Roster,
        switcher: LanguageSwitcher,
        *,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(switcher, name="targetScreen", question=2, with_back=True, parent=parent)
        self._data_dir = data_dir
        self._columns = 0
        self._large = False
        self._roster = roster
        self.staff_cards: list[Card] = []
        self.unit_cards: list[Card] = []
        self.service_chips: dict[str, ChipButton] = {}
        self._index: tuple[IndexLetter, ...] = ()
        self._letter = ""  # the index's letter whose staff show; "" for all
        self._index_on_top = False  # the list scrolled to the letters (a letter was tapped)

        self.title = self.make_label("question", centred=False)
        self.not_sure_button = Card(None, self)
        self.not_sure_button.setObjectName("notSureButton")
        self.not_sure_button.setProperty("kind", "unsure")
        self.not_sure_button.avatar.show_symbol("unsure", UNSURE_COLOUR)
        self.not_sure_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.not_sure_button.clicked.connect(lambda: self.target_chosen.emit(None))
        title_row = QHBoxLayout()
        title_row.setSpacing(24)
        title_row.addWidget(self.title, 1)
        title_row.addWidget(self.not_sure_button, 0, Qt.AlignmentFlag.AlignVCenter)

        self.cards_box = QWidget()
        self.cards_box.setObjectName("cardsBox")
        # The services come first in the list that scrolls, the question leading their row: the
        # chips wrap onto as many rows as the width needs, each as wide as its whole name
        # (never squeezed to a fragment).
        self.services_box = QWidget(self.cards_box)
        self.services_box.setObjectName("servicesBox")
        self._chip_gap = gap_px(self, 10)
        self.services_layout = FlowLayout(self.services_box, spacing=self._chip_gap)
        self.services_label = SpaceWrapLabel(self.services_box)  # two lines beside a long choice
        self.services_label.setObjectName("servicesLabel")
        self.services_label.setAlignment(Qt.AlignmentFlag.AlignVCenter)
        # On a short screen the services take one row and "+ n more" opens the rest, so that
        # the first view still shows the staff: the answer to the question asked.
        self.more_services = ChipButton("more", self.services_box)
        self.more_services.setObjectName("moreServices")
        self.more_services.clicked.connect(self.open_services)
        self._services_open = False
        self.staff_heading = QLabel(self.cards_box)
        self.staff_heading.setObjectName("sectionHeading")
        self.unit_heading = QLabel(self.cards_box)
        self.unit_heading.setObjectName("sectionHeading")
        # A long roster's index of first letters, beside the heading (hidden for a short one).
        self.letter_index = LetterIndex(self.cards_box)
        self.letter_index.letter_chosen.connect(self.show_letter)
        self.letter_index.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        staff_row = QHBoxLayout()
        staff_row.setSpacing(gap_px(self, 14))
        staff_row.addWidget(self.staff_heading, 0, Qt.AlignmentFlag.AlignVCenter)
        staff_row.addWidget(self.letter_index, 1, Qt.AlignmentFlag.AlignVCenter)
        self.staff_grid = QGridLayout()
        self.unit_grid = QGridLayout()
        for grid in (self.staff_grid, self.unit_grid):
            grid.setHorizontalSpacing(gap_px(self, 14))
            grid.setVerticalSpacing(gap_px(self, 14))
        box_layout = QVBoxLayout(self.cards_box)
        box_layout.setContentsMargins(4, 4, 18, 12)
        box_layout.setSpacing(gap_px(self, 12))  # 2 mm at least between rows of controls
        box_layout.addWidget(self.services_box)
        box_layout.addLayout(staff_row)
        box_layout.addLayout(self.staff_grid)
        box_layout.addSpacing(10)
        box_layout.addWidget(self.unit_heading)
        box_layout.addLayout(self.unit_grid)
        box_layout.addStretch(1)
        self.cards_scroll = QScrollArea(self)
        self.cards_scroll.setObjectName("cardsScroll")
        self.cards_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.cards_scroll.setWidgetResizable(True)
        self.cards_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards_scroll.setWidget(self.cards_box)
        self.cards_scroll.viewport().setObjectName("cardsViewport")
        self.cards_scroll.viewport().installEventFilter(self)
        self.cards_box.installEventFilter(self)
        enable_swipe(self.cards_scroll)

        self.content.addLayout(title_row)
        self.content.addWidget(self.cards_scroll, 1)

        self.card_navigation = ArrowNavigation(self)
        self.service_navigation = ArrowNavigation(self)
        self.set_roster(roster)

    # -- building -----------------------------------------------------------------------------

    def set_roster(self, roster: Roster) -> None:
        """Show the roster's active staff, units and services (retired ones never show)."""
        self._roster = roster
        for card in (*self.staff_cards, *self.unit_cards):
            card.deleteLater()
        for chip in self.service_chips.values():
            chip.deleteLater()
        self.staff_cards = [self._staff_card(m) for m in roster.active_staff()]
        self.unit_cards = [self._unit_card(u) for u in roster.active_units()]
        self.service_chips = {}
        while self.services_layout.count():
            self.services_layout.takeAt(0)
        self.services_layout.addWidget(self.services_label)
        for service in roster.active_services():
            chip = ChipButton("radio", self.services_box)
            chip.setObjectName(f"service_{service.code}")
            chip.clicked.connect(lambda _=False, code=service.code: self._service_tapped(code))
            self.services_layout.addWidget(chip)
            self.service_chips[service.code] = chip
        self.services_layout.addWidget(self.more_services)
        self.staff_heading.setVisible(bool(self.staff_cards))
        self._letter = ""
        self._index = ()
        self._index_letters()
        self.unit_heading.setVisible(bool(self.unit_cards))
        self.services_label.setVisible(bool(self.service_chips))
        self.services_box.setVisible(bool(self.service_chips))
        self._columns = 0
        self._regrid()
        self.retranslate_ui()
        self._chain()
        self._fit_services()

    def _chain(self) -> None:
        """Let Tab and the arrows reach every choice: the letters (above the cards, so that Up
        from the first row reaches them), the cards, the services, Back and the display bar."""
        letters = self.letter_index.chips() if not self.letter_index.isHidden() else []
        cards = self.cards()
        self.card_navigation.set_widgets([*letters, *cards])
        services = [*self.service_chips.values(), self.more_services]
        self.service_navigation.set_widgets(services)
        chain_focus([*letters, *cards, *services, self.back_button, *self.bar.buttons()])

    # -- the index of first letters -----------------------------------------------------------

    def _index_letters(self) -> None:
        """Offer the letters of the roster's index in the current language (none for a short
        roster); the choice goes back to all the staff, the letters of another language being
        other letters."""
        self._index = staff_index(self._roster, self.language)
        self.letter_index.set_letters([entry.letter for entry in self._index])
        self.letter_index.setVisible(bool(self._index))
        self._letter = ""
        self._show_staff()
        if hasattr(self, "back_button"):
            self._chain()

    def index_letters(self) -> list[str]:
        """Return the letters the index offers, in order (none for a roster of 12 or fewer)."""
        return [entry.letter for entry in self._index]

    def chosen_letter(self) -> str:
        """Return the letter whose staff show, "" for all."""
        return self._letter

    def show_letter(self, letter: str) -> None:
        """Show only the staff under this letter ("" for all of them), the letters on top."""
        self._letter = letter if letter in self.index_letters() else ""
        self._show_staff()
        self._index_on_top = bool(self._index)
        self._scroll_to_index()
        self.spoken_changed.emit()

    def _show_staff(self) -> None:
        """Show the cards of the staff under the chosen letter (all with no letter chosen)."""
        self.letter_index.choose(self._letter)
        under = next((e.ids() for e in self._index if e.letter == self._letter), None)
        for card in self.staff_cards:
            wanted = under is None or (card.target is not None and card.target.id in under)
            if card.isHidden() == wanted:
                card.setVisible(wanted)
        self._columns = 0
        self._regrid()

    def shown_staff_cards(self) -> list[Card]:
        """Return the staff cards on show (those under the chosen letter), in order."""
        return [card for card in self.staff_cards if not card.isHidden()]

    def _index_top(self) -> int:
        """Return where the row of the heading and the letters begins in the list."""
        box = self.cards_box.layout()
        margin = box.contentsMargins().top() if box is not None else 0
        return max(0, min(self.staff_heading.y(), self.letter_index.y()) - margin)

    def _make_room_for_cards(self) -> None:
        """Begin the view at the letters when the services above them leave no room for
        ``ROWS_IN_FIRST_VIEW`` whole rows of cards (a long roster on the 1024 x 600 panel): the
        staff are what the question asks for; the optional services are one swipe back. (Not
        once the citizen opened the services: the list stays where they are.)
        """
        shown = self.shown_staff_cards()
        if self._index_on_top or self._services_open or not self._index or not shown:
            return
        if not self.isVisible():
            return
        if self.cards_scroll.verticalScrollBar().value() != 0:
            return
        room = self.cards_scroll.viewport().height() + self.cards_scroll.viewportMargins().bottom()
        rows = sorted({card.y() for card in shown})[:ROWS_IN_FIRST_VIEW]
        needed = max(card.geometry().bottom() + 1 for card in shown if card.y() in rows)
        if needed > room:
            self._index_on_top = True
            self._scroll_to_index()

    def _scroll_to_index(self) -> None:
        """Scroll the list so that the letters are at the top, the staff they chose under them."""
        if not self._index_on_top:
            return
        self._end_at_whole_rows()
        self.cards_scroll.verticalScrollBar().setValue(self._index_top())

    def _staff_card(self, member: StaffMember) -> Card:
        """Return the card of one staff member."""
        card = Card(Target("staff", member.id), self.cards_box)
        card.setObjectName(f"staff_{member.id}")
        photo = photo_path(self._data_dir, member) if self._data_dir is not None else None
        picture = round_photo(photo, card.avatar.width()) if photo is not None else None
        if picture is not None:
            card.avatar.show_photo(picture)
        card.clicked.connect(lambda _=False, c=card: self.target_chosen.emit(c.target))
        return card

    def _unit_card(self, unit: Unit) -> Card:
        """Return the card of one unit."""
        card = Card(Target("unit", unit.id), self.cards_box)
        card.setObjectName(f"unit_{unit.id}")
        card.avatar.show_symbol("unit", UNIT_COLOUR)
        card.clicked.connect(lambda _=False, c=card: self.target_chosen.emit(c.target))
        return card

    def cards(self) -> list[Card]:
        """Return the cards in reading order, "not sure" last."""
        return [*self.staff_cards, *self.unit_cards, self.not_sure_button]

    def _regrid(self) -> None:
        """Place the cards in as many columns as fit the width (fewer with large text).

        A card is as wide as its text is large: on a denser panel the text grows with the
        density (ui/widgets/sizes.py ``text_scale``), and so does the least width of a card.
        """
        least = CARD_MIN_WIDTH_LARGE_PX if self._large else CARD_MIN_WIDTH_PX
        least = round(least * text_scale(screen_dpi(self)))
        width = self.cards_scroll.viewport().width() or self.width()
        columns = max(1, min(MAX_COLUMNS, width // least))
        if columns == self._columns:
            return
        self._columns = columns
        staff = self.shown_staff_cards()
        for grid, cards in ((self.staff_grid, staff), (self.unit_grid, self.unit_cards)):
            for card in self.staff_cards if grid is self.staff_grid else cards:
                grid.removeWidget(card)
            for index, card in enumerate(cards):
                grid.addWidget(card, index // columns, index % columns)
            for column in range(MAX_COLUMNS):
                grid.setColumnStretch(column, 1 if column < columns else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Fit the columns and the services to the cards' viewport whenever it changes size;
        end the first view at whole rows whenever the cards are laid out anew."""
        if watched is self.cards_scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._regrid()
            self._fit_services()
            self._end_at_whole_rows()
        elif watched is self.cards_box and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutRequest,
        ):
            self._end_at_whole_rows()
            self._make_room_for_cards()
            if event.type() == QEvent.Type.Resize:
                self._scroll_to_index()
        return super().eventFilter(watched, event)

    def open_services(self) -> None:
        """Show every service ("+ n more" was tapped)."""
        folded = [c for c in self.service_chips.values() if c.isHidden()]
        self._services_open = True
        self._index_on_top = False  # the citizen looks at the services: the list stays there
        self._fit_services()
        if folded:  # the first of those that were folded away: where the eye and Tab go next
            folded[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def services_folded(self) -> bool:
        """Tell whether some services wait behind "+ n more"."""
        return not self.more_services.isHidden()

    def _fit_services(self) -> None:
        """Show every service, or one row of them and "+ n more" when the cards need the room.

        The cards are the answer: the services show whole only when the whole list (every
        service and every card) fits the first view. Otherwise they take one row, and the
        chosen service always shows in it (a return with Back finds it): a long one wraps beside
        the question and "+ n more" rather than pushing them onto rows of their own.
        """
        chips = list(self.service_chips.values())
        more = self.more_services
        box = self.cards_box.layout()
        if box is None or not chips:
            more.hide()
            return
        margins = box.contentsMargins()
        # Measured as if the list scrolls (its bar takes its width): the choice must not flip
        # when folding hides the bar and the wider cards need fewer rows.
        bar = self.cards_scroll.verticalScrollBar().sizeHint().width()
        outer = self.cards_scroll.width() - 2 * self.cards_scroll.frameWidth() - bar
        width = outer - margins.left() - margins.right()
        room = self.cards_scroll.height() - 2 * self.cards_scroll.frameWidth()
        if width <= 0 or room <= 0:
            return
        flow = self.services_layout
        label = self.services_label
        for widget in (label, *chips):
            widget.setMaximumWidth(QWIDGETSIZE_MAX)
        more.setText(self._more_text(len(chips)))  # measured at its widest
        services_now = flow.heightForWidth(width) if not self.services_box.isHidden() else 0
        whole_list = box.totalHeightForWidth(outer) - services_now
        whole_list += flow.height_with(width, [label, *chips])
        shown = chips
        if not self._services_open and whole_list > room:
            chosen = [c for c in chips if c.is_on()]
            for chip in chosen:
                self._share_the_row(chip, width)
            one_row = flow.height_with(width, [label, *chosen, more])
            shown = list(chosen)
            for chip in chips:
                if chip in shown:
                    continue
                if flow.height_with(width, [label, *shown, chip, more]) > one_row:
                    break
                shown.append(chip)
        folded = len(shown) < len(chips)
        for chip in chips:
            if chip.isHidden() == (chip in shown):
                chip.setVisible(chip in shown)
        more.setText(self._more_text(len(chips) - len(shown)))
        more.setAccessibleName(more.text())
        if more.isHidden() == folded:
            more.setVisible(folded)

    def _letter_name(self, letter: str) -> str:
        """Return the words for a letter of the index, read aloud and named to a screen reader."""
        #: A chip of the index of first letters; %1 is the letter (ก, or K).
        return fill(self.tr("Names starting with %1"), letter)

    def _more_text(self, count: int) -> str:
        """Return the words on the chip that opens the folded services."""
        #: The chip that opens the services a short screen folds away; %1 is how many.
        return fill(self.tr("%1 more"), str(count))

    def _share_the_row(self, chip: ChipButton, width: int) -> None:
        """Narrow a chosen long service to share one row with the question and "+ n more".

        The chip wraps its name onto more lines; the question wraps onto two lines first, so
        that the chip needs fewer. (Not narrower than a third of the row: a chip that would be
        a column of single words takes a row of its own instead.)
        """
        label, more, gap = self.services_label, self.more_services, self._chip_gap

        def spare() -> int:
            beside = min(label.sizeHint().width(), label.maximumWidth())
            return width - beside - more.sizeHint().width() - 2 * gap

        if chip.sizeHint().width() <= spare():
            return
        label.setMaximumWidth(self._two_lines_width(label))
        if spare() >= width // 3:
            chip.setMaximumWidth(spare())
        else:
            label.setMaximumWidth(QWIDGETSIZE_MAX)

    @staticmethod
    def _two_lines_width(label: SpaceWrapLabel) -> int:
        """Return the least width at which a label's text wraps at a space onto two lines."""
        text = label.full_text()
        metrics = QFontMetrics(label.font())
        frame = label.sizeHint().width() - metrics.horizontalAdvance(text)
        words = text.split(" ")
        halves = (
            max(
                metrics.horizontalAdvance(" ".join(words[:cut])),
                metrics.horizontalAdvance(" ".join(words[cut:])),
            )
            for cut in range(1, len(words))
        )
        return min(halves, default=metrics.horizontalAdvance(text)) + frame + 1

    def _end_at_whole_rows(self) -> None:
        """End the list's view under its last whole row of cards (never through a name): the
        first view, or the view from the letters down once a letter was tapped."""
        end_at_whole_rows(self.cards_scroll, self._index_top() if self._index_on_top else 0)

    # -- the flow -----------------------------------------------------------------------------

    def _service_tapped(self, code: str) -> None:
        """Ask for a service, or for none if it was already the one chosen."""
        chip = self.service_chips[code]
        self.service_chosen.emit(None if chip.is_on() else code)

    def spoken(self) -> Spoken:
        """Return the question, "not sure" (beside it), then the names on the cards shown, in
        order (with a letter chosen, its staff only, after the words "Names starting with")."""
        cards = (*self.shown_staff_cards(), *self.unit_cards)
        names = [card.name.full_text() for card in cards]
        return Spoken(
            self.title.text(),
            details=(self._letter_name(self._letter),) if self._letter else (),
            choices=(self.not_sure_button.name.full_text(), *names),
            #: Read aloud after the first names of a long list; %1 is how many were not read.
            more=self.tr("and %1 more; swipe the list to see them"),
        )

    def first_choice(self) -> QWidget | None:
        """Focus starts on the first card."""
        return self.cards()[0]

    def enter(self, view: View) -> None:
        """Arrive at the top of the list, "not sure" measured for the current text.

        (The top once the services are folded: folding away a chip that had the focus moves it,
        and the list scrolls to where it went.)
        """
        self.not_sure_button.updateGeometry()
        self._services_open = False
        self._letter = self._letter_of_choice(view)
        self._show_staff()
        self._index_on_top = bool(self._letter)
        super().enter(view)
        self._fit_services()
        self._end_at_whole_rows()
        self.cards_scroll.verticalScrollBar().setValue(0)
        self._make_room_for_cards()
        self._scroll_to_index()

    def _letter_of_choice(self, view: View) -> str:
        """Return the letter to show on arrival: that of the staff member chosen before, on a
        return with Back (their card shows, marked); otherwise none, all the staff (a new
        citizen, after a reset to the welcome screen, always starts with all of them)."""
        session = view.session
        target = session.target
        if not (session.target_chosen and target is not None and target.kind == "staff"):
            return ""
        for entry in self._index:
            if target.id in entry.ids():
                return entry.letter
        return ""

    def show_view(self, view: View) -> None:
        """Show the service and the card chosen before, and the columns for the text size."""
        super().show_view(view)
        session = view.session
        if session.large_text != self._large:
            self._large = session.large_text
            self._columns = 0
            self._regrid()
            self.letter_index.fit()
        for code, chip in self.service_chips.items():
            chip.set_on(session.service == code)
        self._fit_services()
        for card in self.cards():
            chosen = session.target_chosen and session.target == card.target
            set_style_property(card, "chosen", chosen)

    def retranslate_ui(self) -> None:
        """Set every text in the current language, names from the roster included."""
        super().retranslate_ui()
        if not hasattr(self, "title"):
            return  # called by the base class before this screen's widgets exist
        lang = self.language
        self.title.setText(self.tr("Who served you today?"))
        self.title.setAccessibleName(self.title.text())
        self.services_label.set_full_text(self.tr("What did you come for? (optional)"))
        self.staff_heading.setText(self.tr("Staff"))
        self.staff_heading.setAccessibleName(self.staff_heading.text())
        self.letter_index.set_texts(
            #: The first chip of the index of first letters over a long list of staff.
            self.tr("All"),
            self.tr("All staff"),
            self._letter_name,
            #: The chip that turns to the next page of letters; %1 and %2 are its first and last.
            lambda first, last: fill(self.tr("%1 – %2"), first, last),
            #: The name a screen reader gives the chip to the next page of letters.
            lambda first, last: fill(self.tr("Letters %1 to %2"), first, last),
            (self.tr("Shows more letters"), self.tr("Shows the first letters again")),
        )
        if self._index and staff_index(self._roster, lang) != self._index:
            self._index_letters()  # another language, other letters: all the staff again
            self.spoken_changed.emit()
        self.unit_heading.setText(self.tr("Or the unit that served you"))
        self.unit_heading.setAccessibleName(self.unit_heading.text())
        self.not_sure_button.set_texts(self.tr("Not sure"), self.tr("Skip this question"))
        for card, member in zip(self.staff_cards, self._roster.active_staff(), strict=True):
            card.set_texts(member.display_name(lang), member.display_position(lang))
            if not card.avatar.has_photo():
                card.avatar.show_letters(initials(member, lang), avatar_colour(member.id))
        for card, unit in zip(self.unit_cards, self._roster.active_units(), strict=True):
            card.set_texts(unit.display_name(lang), "")
        for service in self._roster.active_services():
            chip = self.service_chips[service.code]
            chip.setText(service.display_name(lang))
            chip.setAccessibleName(chip.text())
        if hasattr(self, "more_services"):
            self._fit_services()
