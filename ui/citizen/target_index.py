"""The index of first letters above a long list of staff: "All", then ก ข ค … (or A B C …).

One row of chips, as phone contacts have: a tap on a letter asks for only the staff under it,
a tap on that letter again (or on "All") for all of them. The row never wraps (a second row
would take the room the cards need on a 1024 x 600 panel): when the letters do not all fit,
they come in pages, and the last chip of the row turns to the next page, naming its letters
("ม – อ"); on the last page it turns back to the first. The page that holds the chosen letter
is the one shown.

The texts come from the screen (its translation context): this row only places them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QWidget

from ui.citizen.impression import PageChip
from ui.widgets.buttons import ChipButton
from ui.widgets.sizes import gap_px


class LetterChip(ChipButton):
    """A chip with one letter (or "All") on it, and no indicator: its green fill says it is on."""

    def __init__(self, letter: str, parent: QWidget | None = None) -> None:
        super().__init__("none", parent)
        self.letter = letter  # "" for "All"
        self.setObjectName(f"letter_{letter}" if letter else "letterAll")


class LetterIndex(QWidget):
    """A row of letter chips that pages when the letters do not fit its width."""

    letter_chosen = Signal(str)  # the letter to show the staff of, "" for all of them

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterIndex")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._gap = gap_px(self, 10)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(self._gap)
        self.all_chip = LetterChip("", self)
        self.all_chip.clicked.connect(lambda: self._tapped(""))
        self.page_chip = PageChip(self)
        self.page_chip.setObjectName("letterPages")
        self.page_chip.clicked.connect(self.next_page)
        self.letter_chips: list[LetterChip] = []
        self._chosen = ""
        self._page = 0  # the index of the page of letters on show
        self._accessible_name: Callable[[str], str] = lambda letter: letter
        self._page_name: Callable[[str, str], str] = lambda first, last: f"{first} – {last}"
        self._page_said: Callable[[str, str], str] = lambda first, last: f"{first} – {last}"
        self._page_texts = ("", "")
        self._row.addWidget(self.all_chip)
        self._row.addWidget(self.page_chip)
        self._row.addStretch(1)

    # -- what it shows ------------------------------------------------------------------------

    def set_letters(self, letters: Sequence[str]) -> None:
        """Offer these letters, in this order ("All" first); the choice goes back to all."""
        for chip in self.letter_chips:
            self._row.removeWidget(chip)
            chip.deleteLater()
        self.letter_chips = []
        for position, letter in enumerate(letters, start=1):
            chip = LetterChip(letter, self)
            chip.setText(letter)
            chip.clicked.connect(lambda _=False, c=chip: self._tapped(c.letter))
            self._row.insertWidget(position, chip)
            self.letter_chips.append(chip)
        self._chosen = ""
        self._page = 0
        self._name_chips()
        self._show_chosen()
        self.fit()

    def set_texts(
        self,
        all_text: str,
        all_name: str,
        letter_name: Callable[[str], str],
        page_name: Callable[[str, str], str],
        page_said: Callable[[str, str], str],
        page_texts: tuple[str, str],
    ) -> None:
        """Take the words in the current language: "All" and its accessible name, the accessible
        name of a letter ("Names starting with K"), the page chip's words ("M – W") and its
        accessible name ("Letters M to W"), and its descriptions (more letters, back to the
        first letters)."""
        self.all_chip.setText(all_text)
        self.all_chip.setAccessibleName(all_name)
        self._accessible_name = letter_name
        self._page_name = page_name
        self._page_said = page_said
        self._page_texts = page_texts
        self._name_chips()
        self.fit()

    def _name_chips(self) -> None:
        """Give each letter chip its accessible name in the current language."""
        for chip in self.letter_chips:
            chip.setAccessibleName(self._accessible_name(chip.letter))

    def chosen(self) -> str:
        """Return the letter chosen, "" for all."""
        return self._chosen

    def choose(self, letter: str) -> None:
        """Show this letter (or "" for all) as the one chosen, turning to its page."""
        self._chosen = letter if letter in self.letters() else ""
        for index, page in enumerate(self.pages()):
            if any(chip.letter == self._chosen for chip in page):
                self._page = index
        self._show_chosen()
        self.fit()

    def letters(self) -> list[str]:
        """Return the letters offered, in order."""
        return [chip.letter for chip in self.letter_chips]

    def chips(self) -> list[ChipButton]:
        """Return the chips in reading order: "All", the letters, the page chip."""
        return [self.all_chip, *self.letter_chips, self.page_chip]

    def _tapped(self, letter: str) -> None:
        """Ask for the staff under a letter, or for all when it was the one chosen (or "All")."""
        self.letter_chosen.emit("" if letter == self._chosen else letter)

    def _show_chosen(self) -> None:
        """Fill the chosen chip ("All" when no letter is chosen)."""
        self.all_chip.set_on(not self._chosen)
        for chip in self.letter_chips:
            chip.set_on(chip.letter == self._chosen)

    # -- pages --------------------------------------------------------------------------------

    def pages(self) -> list[list[LetterChip]]:
        """Return the letter chips in pages that each fit the row beside "All" and the page chip.

        One page when they all fit beside "All". Each page holds as many as fit, one at least.
        """
        chips = self.letter_chips
        room = self.width() - self.all_chip.sizeHint().width() - self._gap
        if room <= 0 or not chips:
            return [chips]
        widths = [chip.sizeHint().width() + self._gap for chip in chips]
        if sum(widths) - self._gap <= room:
            return [chips]
        room -= self.page_chip.sizeHint().width()
        pages: list[list[LetterChip]] = []
        page: list[LetterChip] = []
        used = 0
        for chip, width in zip(chips, widths, strict=True):
            if page and used + width > room:
                pages.append(page)
                page, used = [], 0
            page.append(chip)
            used += width
        pages.append(page)
        return pages

    def next_page(self) -> None:
        """Turn to the next page of letters (the first after the last); focus its first letter."""
        pages = self.pages()
        self._page = (self._page + 1) % len(pages)
        self.fit()
        shown = pages[self._page]
        if shown:  # where the eye and Tab go next
            shown[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def page_of_letters(self) -> list[str]:
        """Return the letters on the page on show."""
        return [chip.letter for chip in self.letter_chips if not chip.isHidden()]

    def fit(self) -> None:
        """Show the page on show, and the chip to the next page if there are pages."""
        # The page chip is as wide as its widest possible label, so that the pages can be
        # measured before it says which letters the next one holds.
        metrics = QFontMetrics(self.page_chip.font())
        widest = max(self.letters() or ["W"], key=metrics.horizontalAdvance)
        labels = (self._page_name(widest, widest),)
        if self.page_chip.labels() != labels:
            self.page_chip.set_labels(labels)
        pages = self.pages()
        self._page = min(self._page, len(pages) - 1)
        shown = pages[self._page]
        for chip in self.letter_chips:
            if chip.isHidden() == (chip in shown):
                chip.setVisible(chip in shown)
        paged = len(pages) > 1
        if paged:
            last = self._page == len(pages) - 1
            turn_to = pages[0] if last else pages[self._page + 1]
            first, final = turn_to[0].letter, turn_to[-1].letter
            text = self._page_name(first, final)
            self.page_chip.set_indicator("first" if last else "more")
            if self.page_chip.text() != text:
                self.page_chip.setText(text)
            self.page_chip.setAccessibleName(self._page_said(first, final))
            self.page_chip.setAccessibleDescription(self._page_texts[1 if last else 0])
        if self.page_chip.isHidden() == paged:
            self.page_chip.setVisible(paged)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Return one row of chips: as tall as the tallest, as wide as "All", a letter and the
        page chip."""
        chips = [self.all_chip, *self.letter_chips[:1], self.page_chip]
        height = max(chip.sizeHint().height() for chip in chips)
        width = sum(chip.sizeHint().width() for chip in chips) + self._gap * (len(chips) - 1)
        return QSize(width, height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """Never narrower than a page of one letter: the pages shrink to fit instead."""
        return self.sizeHint()

    def event(self, event: QEvent) -> bool:
        """Page the letters afresh when the row's width, or the chips' sizes, change."""
        handled = super().event(event)
        if event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.LayoutRequest,  # a chip's size changed: large text, another language
            QEvent.Type.StyleChange,
            QEvent.Type.FontChange,
        ):
            self.fit()
        return handled
