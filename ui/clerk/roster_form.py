"""Adding or editing one roster entry: names in Thai and English, a position and a photo.

Text is typed on the on-screen keyboard (Thai for Thai names, English for English ones).
The screen only gathers what was typed; ui/clerk/roster.py checks it with kiosk/roster/
and saves it off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.roster import Concern, Kind, Service, StaffMember, Tag, Unit, clean_text
from ui.clerk.file_picker import Chosen
from ui.clerk.widgets import ClerkPage, PageScroll, TextField, set_message, spaced

Entry = StaffMember | Unit | Service | Tag | Concern
# Asks the clerk for a photo file, and calls back with it if one is chosen (never on Cancel):
# the roster screen's photo picker (ui/clerk/file_picker.py), or a test's own.
PhotoChooser = Callable[[Chosen], None]


@dataclass(frozen=True, slots=True)
class FormAnswers:
    """What the clerk typed, tidied (NFC, single spaces)."""

    kind: Kind
    key: str | None  # None: a new entry
    name_th: str
    name_en: str
    position_th: str
    position_en: str
    photo_file: Path | None  # a new photo to copy in
    photo_kept: str | None  # the photo the entry already had, if kept


class RosterForm(ClerkPage):
    """The form for one staff member, unit, service, impression tag or concern tag."""

    save_requested = Signal(object)  # FormAnswers
    cancel_requested = Signal()

    def __init__(self, choose_photo: PhotoChooser, parent: QWidget | None = None) -> None:
        super().__init__("rosterForm", parent)
        self._choose_photo = choose_photo
        self._kind: Kind = "staff"
        self._key: str | None = None
        self._photo_file: Path | None = None
        self._photo_kept: str | None = None
        self.name_th = self.text_field("nameTh", keyboard_language="th")
        self.name_en = self.text_field("nameEn", keyboard_language="en")
        self.position_th = self.text_field("positionTh", keyboard_language="th")
        self.position_en = self.text_field("positionEn", keyboard_language="en")
        self.labels = {
            field: self.label("fieldLabel")
            for field in (self.name_th, self.name_en, self.position_th, self.position_en)
        }
        self.photo_label = self.label("fieldLabel")
        self.photo_state = self.label("cardText")
        self.photo_button = self.button("choosePhoto")
        self.photo_button.clicked.connect(self._pick_photo)
        self.no_photo_button = self.button("noPhoto")
        self.no_photo_button.clicked.connect(self.clear_photo)
        self.message = self.label("clerkMessage")
        self.save_button = self.button("saveEntry", "primary")
        self.save_button.clicked.connect(self._save)
        self.cancel_button = self.button("cancelEntry")
        self.cancel_button.clicked.connect(self.cancel_requested)

        grid = spaced(QGridLayout(), self)
        for row, field in enumerate(
            (self.name_th, self.name_en, self.position_th, self.position_en)
        ):
            self.labels[field].setBuddy(field)
            grid.addWidget(self.labels[field], row, 0)
            grid.addWidget(field, row, 1)
        photo_row = spaced(QHBoxLayout(), self)
        photo_row.addWidget(self.photo_state, 1)
        photo_row.addWidget(self.photo_button)
        photo_row.addWidget(self.no_photo_button)
        grid.addWidget(self.photo_label, 4, 0)
        grid.addLayout(photo_row, 4, 1)
        grid.setColumnStretch(1, 1)
        buttons = spaced(QHBoxLayout(), self)
        buttons.addWidget(self.message, 1)
        buttons.addStretch(0)  # the buttons keep their width while there is no message
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        fields = QWidget(self)
        fields.setObjectName("rosterFields")
        fields_layout = spaced(QVBoxLayout(fields), self)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addLayout(grid)
        fields_layout.addStretch(1)
        self.nest()  # inside the roster page
        self.root.addWidget(PageScroll(fields, self), 1)
        self.root.addLayout(buttons)
        set_message(self.message, "")
        self.retranslate_ui()

    def keyboard_shown(self, shown: bool) -> None:
        """While typing, the fields have the room above the keyboard to themselves; the
        message, Save and Cancel come back when the keyboard is hidden."""
        super().keyboard_shown(shown)
        self.save_button.setVisible(not shown)
        self.cancel_button.setVisible(not shown)
        self.message.setVisible(not shown and bool(self.message.text()))

    def fields(self) -> list[TextField]:
        """The text fields, in order."""
        return [self.name_th, self.name_en, self.position_th, self.position_en]

    def edit(self, kind: Kind, entry: Entry | None) -> None:
        """Fill the form for a new entry of kind (entry None) or for editing entry."""
        self._kind = kind
        self._key = None if entry is None else entry.key
        self._photo_file = None
        self._photo_kept = entry.photo if isinstance(entry, StaffMember) else None
        names = ("", "")
        if isinstance(entry, Tag | Concern):
            names = (entry.label_th, entry.label_en)
        elif entry is not None:
            names = (entry.name_th, entry.name_en)
        self.name_th.setText(names[0])
        self.name_en.setText(names[1])
        self.position_th.setText(entry.position_th if isinstance(entry, StaffMember) else "")
        self.position_en.setText(entry.position_en if isinstance(entry, StaffMember) else "")
        staff = kind == "staff"
        for widget in (
            self.position_th,
            self.position_en,
            self.labels[self.position_th],
            self.labels[self.position_en],
            self.photo_label,
            self.photo_state,
            self.photo_button,
            self.no_photo_button,
        ):
            widget.setVisible(staff)
        set_message(self.message, "")
        self.retranslate_ui()

    def show_error(self, text: str) -> None:
        """Say why the entry cannot be saved."""
        set_message(self.message, text, tone="error")

    def set_photo_file(self, path: Path) -> None:
        """Use this file as the photo."""
        self._photo_file = path
        self._photo_kept = None
        self._show_photo()

    def clear_photo(self) -> None:
        """No photo: the card shows initials."""
        self._photo_file = None
        self._photo_kept = None
        self._show_photo()

    def _pick_photo(self) -> None:
        self._choose_photo(self.set_photo_file)

    def _show_photo(self) -> None:
        if self._photo_file is not None:
            self.photo_state.setText(self._photo_file.name)
        elif self._photo_kept is not None:
            self.photo_state.setText(self.tr("The current photo"))
        else:
            self.photo_state.setText(self.tr("No photo (initials are shown)"))

    def _save(self) -> None:
        self.save_requested.emit(
            FormAnswers(
                kind=self._kind,
                key=self._key,
                name_th=clean_text(self.name_th.text()),
                name_en=clean_text(self.name_en.text()),
                position_th=clean_text(self.position_th.text()),
                position_en=clean_text(self.position_en.text()),
                photo_file=self._photo_file,
                photo_kept=self._photo_kept,
            )
        )

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        titles = {
            "staff": (self.tr("New staff member"), self.tr("Edit staff member")),
            "unit": (self.tr("New unit"), self.tr("Edit unit")),
            "service": (self.tr("New service"), self.tr("Edit service")),
            "tag": (self.tr("New impression tag"), self.tr("Edit impression tag")),
            "concern": (self.tr("New concern tag"), self.tr("Edit concern tag")),
        }
        self.title.setText(titles[self._kind][0 if self._key is None else 1])
        label = self.tr("Label") if self._kind in ("tag", "concern") else self.tr("Name")
        self.labels[self.name_th].setText(label + self.tr(" (Thai)"))
        self.labels[self.name_en].setText(label + self.tr(" (English, optional)"))
        self.labels[self.position_th].setText(self.tr("Position (Thai)"))
        self.labels[self.position_en].setText(self.tr("Position (English)"))
        self.photo_label.setText(self.tr("Photo"))
        self.photo_button.setText(self.tr("Choose a photo…"))
        self.no_photo_button.setText(self.tr("No photo"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self._show_photo()
        for field in self.fields():
            field.setAccessibleName(self.labels[field].text())
        self.name_th.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
