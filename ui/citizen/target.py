"""Who served you: cards for the roster's active staff and units, "not sure", and an optional service.

A tap on a card chooses and moves on. The cards sit in a scroll area that scrolls by swipe
(QScroller on the viewport: a touch or mouse drag scrolls, a tap still taps), so the screen works
for a district with two staff or forty. The service chips above the cards are optional; a
second tap on the chosen service clears it.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
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
from ui.citizen.screen import CitizenScreen
from ui.i18n import LanguageSwitcher, fill
from ui.widgets.buttons import ChipButton, TouchButton
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.focus import ArrowNavigation, chain_focus
from ui.widgets.labels import SpaceWrapLabel
from ui.widgets.scrolling import enable_swipe, end_at_whole_rows
from ui.widgets.sizes import QWIDGETSIZE_MAX, design_px, gap_px, screen_dpi, text_scale
from ui.widgets.style import HIGH_CONTRAST_PROPERTY, set_style_property, window_flag
from wire.vote import Target

AVATAR_PX: Final = 64
CARD_MARGIN_X_PX: Final = 16
CARD_MARGIN_Y_PX: Final = 12
CARD_SPACING_PX: Final = 14  # between the avatar and the text
CARD_TEXT_SPACING_PX: Final = 2  # between the name and the detail line
CARD_MIN_WIDTH_PX: Final = 330
CARD_MIN_WIDTH_LARGE_PX: Final = 420
MAX_COLUMNS: Final = 4
# Circle colours for initials, each at least 4.5:1 with white text (tests/ui/test_contrast.py).
AVATAR_COLOURS: Final = ("#1D6B55", "#8A4B2A", "#2F5D8A", "#6B4A8A", "#8A2F4B", "#56621C")
UNIT_COLOUR: Final = QColor("#5C4F42")
UNSURE_COLOUR: Final = QColor("#7A6A56")  # 5.2:1 with the white "?"


def avatar_colour(key: str) -> QColor:
    """Return a calm colour for a staff member's circle, the same every time for the same id."""
    return QColor(AVATAR_COLOURS[zlib.crc32(key.encode("utf-8")) % len(AVATAR_COLOURS)])


def round_photo(path: Path, side: int) -> QPixmap | None:
    """Return the photo cut to a circle of side pixels (cropped to its centre), or None if unreadable."""
    source = QPixmap(str(path))
    if source.isNull():
        return None
    scaled = source.scaled(
        side * 2,
        side * 2,
        Qt.AspectRatioMode.KeepAspectRatioByExpanding,
        Qt.TransformationMode.SmoothTransformation,
    )
    square = scaled.copy(
        (scaled.width() - side * 2) // 2, (scaled.height() - side * 2) // 2, side * 2, side * 2
    )
    result = QPixmap(side * 2, side * 2)
    result.fill(Qt.GlobalColor.transparent)
    painter = QPainter(result)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    clip = QPainterPath()
    clip.addEllipse(QRectF(0, 0, side * 2, side * 2))
    painter.setClipPath(clip)
    painter.drawPixmap(0, 0, square)
    painter.end()
    result.setDevicePixelRatio(2.0)
    return result


class Avatar(QWidget):
    """A round picture on a card: a photo, initials on a colour, a building for a unit, or "?"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        side = design_px(self, AVATAR_PX)
        self.setFixedSize(side, side)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self._photo: QPixmap | None = None
        self._letters = ""
        self._shape = "letters"
        self._colour = UNIT_COLOUR

    def show_photo(self, photo: QPixmap) -> None:
        """Show a round photo."""
        self._photo, self._shape = photo, "photo"
        self.update()

    def show_letters(self, letters: str, colour: QColor) -> None:
        """Show initials on a coloured circle."""
        self._letters, self._colour, self._shape = letters, colour, "letters"
        self.update()

    def show_symbol(self, shape: str, colour: QColor) -> None:
        """Show a drawn symbol: "unit" (a building) or "unsure" (a question mark)."""
        self._shape, self._colour = shape, colour
        self.update()

    def letters(self) -> str:
        """Return the initials shown (empty for a photo or a symbol)."""
        return self._letters if self._shape == "letters" else ""

    def has_photo(self) -> bool:
        """Tell whether a photo is shown."""
        return self._shape == "photo"

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        """Draw the circle and what is on it."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        circle = QRectF(1.5, 1.5, side - 3, side - 3)
        high_contrast = window_flag(self, HIGH_CONTRAST_PROPERTY)
        if self._shape == "photo" and self._photo is not None:
            painter.drawPixmap(circle.toRect(), self._photo)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#000000") if high_contrast else self._colour)
            painter.drawEllipse(circle)
            painter.setPen(QColor("#FFFFFF"))
            if self._shape == "letters":
                font = QFont(self.font())
                font.setPixelSize(round(side * (0.44 if len(self._letters) < 2 else 0.36)))
                font.setWeight(QFont.Weight.Bold)
                painter.setFont(font)
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, self._letters)
            elif self._shape == "unit":
                _paint_building(painter, circle)
            else:
                font = QFont(self.font())
                font.setPixelSize(round(side * 0.55))
                font.setWeight(QFont.Weight.Bold)
                painter.setFont(font)
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "?")
        if high_contrast:
            ring = QPen(QColor("#FFFFFF"))
            ring.setWidthF(3.0)
            painter.setPen(ring)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle)
        painter.end()


def _paint_building(painter: QPainter, circle: QRectF) -> None:
    """Draw a small office building (a roof, columns and a step) in white."""
    c = circle.center()
    s = circle.width()
    pen = QPen(QColor("#FFFFFF"))
    pen.setWidthF(max(2.0, s * 0.05))
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(QColor("#FFFFFF"))
    roof = QPainterPath(QPointF(c.x() - s * 0.3, c.y() - s * 0.08))
    roof.lineTo(QPointF(c.x(), c.y() - s * 0.28))
    roof.lineTo(QPointF(c.x() + s * 0.3, c.y() - s * 0.08))
    roof.closeSubpath()
    painter.drawPath(roof)
    for dx in (-0.2, 0.0, 0.2):
        x = c.x() + s * dx
        painter.drawLine(QPointF(x, c.y() - s * 0.02), QPointF(x, c.y() + s * 0.18))
    painter.drawLine(
        QPointF(c.x() - s * 0.3, c.y() + s * 0.25), QPointF(c.x() + s * 0.3, c.y() + s * 0.25)
    )


class Card(TouchButton):
    """A card to tap: an avatar, a name and a detail line, laid out by labels that wrap."""

    def __init__(self, target: Target | None, parent: QWidget | None = None) -> None:
        super().__init__("card", parent)
        self.target = target
        self.setProperty("chosen", False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.avatar = Avatar(self)
        self.name = SpaceWrapLabel(self)
        self.name.setObjectName("cardName")
        self.detail = SpaceWrapLabel(self)
        self.detail.setObjectName("cardDetail")
        for label in (self.name, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(CARD_TEXT_SPACING_PX)
        text.addStretch(1)
        text.addWidget(self.name)
        text.addWidget(self.detail)
        text.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(
            CARD_MARGIN_X_PX, CARD_MARGIN_Y_PX, CARD_MARGIN_X_PX, CARD_MARGIN_Y_PX
        )
        layout.setSpacing(CARD_SPACING_PX)
        layout.addWidget(self.avatar, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(text, 1)

    def set_texts(self, name: str, detail: str) -> None:
        """Show a name and a detail line (hidden when empty); the name is the accessible name."""
        self.name.set_full_text(name)
        self.detail.set_full_text(detail)
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(name)
        self.setAccessibleDescription(detail)
        self.updateGeometry()

    def is_chosen(self) -> bool:
        """Tell whether this is the card the citizen chose before going back."""
        return self.property("chosen") is True

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return what the avatar and the labels need on one line each (measured afresh)."""
        labels = [self.name, *([self.detail] if self.detail.isVisibleTo(self) else [])]
        width = max(label.sizeHint().width() for label in labels)
        height = sum(label.sizeHint().height() for label in labels) + CARD_TEXT_SPACING_PX
        return self.touch_size(
            QSize(
                CARD_MARGIN_X_PX * 2 + self.avatar.width() + CARD_SPACING_PX + width,
                CARD_MARGIN_Y_PX * 2 + max(self.avatar.height(), height),
            )
        )

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return the least the card's labels need."""
        layout = self.layout()
        if layout is None:
            return super().minimumSizeHint()
        return self.touch_size(layout.totalMinimumSize())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        """Wrapped names make the height depend on the width."""
        return True

    def event(self, event: QEvent) -> bool:
        """When the labels change size (language, large text), let the layout around know."""
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return handled

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt override)
        """Return the height the wrapped labels need at this width."""
        layout = self.layout()
        if layout is None:
            return super().heightForWidth(width)
        return self.touch_size(QSize(width, layout.totalHeightForWidth(width))).height()


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
        self.staff_grid = QGridLayout()
        self.unit_grid = QGridLayout()
        for grid in (self.staff_grid, self.unit_grid):
            grid.setHorizontalSpacing(gap_px(self, 14))
            grid.setVerticalSpacing(gap_px(self, 14))
        box_layout = QVBoxLayout(self.cards_box)
        box_layout.setContentsMargins(4, 4, 18, 12)
        box_layout.setSpacing(12)
        box_layout.addWidget(self.services_box)
        box_layout.addWidget(self.staff_heading)
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
        self.unit_heading.setVisible(bool(self.unit_cards))
        self.services_label.setVisible(bool(self.service_chips))
        self.services_box.setVisible(bool(self.service_chips))
        self._columns = 0
        self._regrid()
        cards = self.cards()
        self.card_navigation.set_widgets(cards)
        services = [*self.service_chips.values(), self.more_services]
        self.service_navigation.set_widgets(services)
        chain = [*cards, *services, self.back_button, *self.bar.buttons()]
        chain_focus(chain)
        self.retranslate_ui()
        self._fit_services()

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
        for grid, cards in ((self.staff_grid, self.staff_cards), (self.unit_grid, self.unit_cards)):
            for card in cards:
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
        return super().eventFilter(watched, event)

    def open_services(self) -> None:
        """Show every service ("+ n more" was tapped)."""
        folded = [c for c in self.service_chips.values() if c.isHidden()]
        self._services_open = True
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
        """End the list's first view under its last whole row of cards (never through a name)."""
        end_at_whole_rows(self.cards_scroll)

    # -- the flow -----------------------------------------------------------------------------

    def _service_tapped(self, code: str) -> None:
        """Ask for a service, or for none if it was already the one chosen."""
        chip = self.service_chips[code]
        self.service_chosen.emit(None if chip.is_on() else code)

    def spoken(self) -> Spoken:
        """Return the question, "not sure" (beside it), then the names on the cards in order."""
        names = [card.name.full_text() for card in (*self.staff_cards, *self.unit_cards)]
        return Spoken(
            self.title.text(),
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
        super().enter(view)
        self._fit_services()
        self.cards_scroll.verticalScrollBar().setValue(0)

    def show_view(self, view: View) -> None:
        """Show the service and the card chosen before, and the columns for the text size."""
        super().show_view(view)
        session = view.session
        if session.large_text != self._large:
            self._large = session.large_text
            self._columns = 0
            self._regrid()
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
