"""The roster editor: staff, units, services and both kinds of tags; add, edit, retire, restore.

Nothing is deleted: a retired entry is hidden from citizens but keeps its id, so past votes
still show its name (kiosk/roster/). Every change is checked by kiosk/roster/, saved
atomically off the GUI thread, and handed to the kiosk window, so the next citizen sees it.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QWidget

from kiosk.drives import DriveDetector, removable_drives
from kiosk.roster import (
    Concern,
    Kind,
    Roster,
    RosterError,
    Service,
    StaffMember,
    Tag,
    Unit,
    save_roster,
    store_photo,
)
from ui.clerk.file_picker import Chosen, FilePicker
from ui.clerk.host import ClerkHost
from ui.clerk.roster_form import Entry, FormAnswers, PhotoChooser, RosterForm
from ui.clerk.text import roster_error
from ui.clerk.widgets import ClerkList, ClerkPage, PageStack, set_message, spaced, ui_language
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.buttons import TouchButton

KINDS: Final[tuple[Kind, ...]] = ("staff", "unit", "service", "tag", "concern")
KEY_ROLE: Final = Qt.ItemDataRole.UserRole
log = logging.getLogger(__name__)


def entries_of(roster: Roster, kind: Kind) -> tuple[Entry, ...]:
    """The entries of one kind, retired ones included, in display order."""
    if kind == "staff":
        return roster.staff
    if kind == "unit":
        return roster.units
    if kind == "service":
        return roster.services
    if kind == "tag":
        return roster.tags
    return roster.concerns


def with_entry(roster: Roster, entry: Entry) -> Roster:
    """The roster with entry added or replaced."""
    if isinstance(entry, StaffMember):
        return roster.with_staff(entry)
    if isinstance(entry, Unit):
        return roster.with_unit(entry)
    if isinstance(entry, Service):
        return roster.with_service(entry)
    if isinstance(entry, Tag):
        return roster.with_tag(entry)
    return roster.with_concern(entry)


def build_entry(roster: Roster, answers: FormAnswers, photo: str | None) -> Entry:
    """Make the entry the form describes (raises RosterError when it is not valid)."""
    key = answers.key or roster.new_id(answers.kind)
    old = next((e for e in entries_of(roster, answers.kind) if e.key == key), None)
    retired = old.retired if old is not None else False
    if answers.kind == "staff":
        return StaffMember(
            key,
            answers.name_th,
            answers.name_en,
            answers.position_th,
            answers.position_en,
            photo,
            retired,
        )
    if answers.kind == "unit":
        return Unit(key, answers.name_th, answers.name_en, retired)
    if answers.kind == "service":
        return Service(key, answers.name_th, answers.name_en, retired)
    if answers.kind == "tag":
        return Tag(key, answers.name_th, answers.name_en, retired)
    return Concern(key, answers.name_th, answers.name_en, retired)


class RosterScreen(ClerkPage):
    """Lists of staff, units, services and both kinds of tags, with a form to add or edit one."""

    def __init__(
        self,
        host: ClerkHost,
        data_dir: Path,
        runner: TaskRunner,
        parent: QWidget | None = None,
        choose_photo: PhotoChooser | None = None,
        *,
        drives: DriveDetector = removable_drives,
    ) -> None:
        super().__init__("rosterScreen", parent)
        self._host = host
        self._data_dir = data_dir
        self._runner = runner
        self._saving = False
        self.kind: Kind = "staff"
        self.tabs: dict[Kind, TouchButton] = {}
        tabs_row = spaced(QHBoxLayout(), self)
        for kind in KINDS:
            tab = TouchButton("clerkTab", self)
            tab.setObjectName(f"rosterTab_{kind}")
            tab.clicked.connect(lambda _=False, k=kind: self.show_kind(k))
            tabs_row.addWidget(tab)
            self.tabs[kind] = tab
        tabs_row.addStretch(1)
        self.list = ClerkList("rosterList", self)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.add_button = self.button("addEntry", "primary")
        self.add_button.clicked.connect(self.add)
        self.edit_button = self.button("editEntry")
        self.edit_button.clicked.connect(self.edit_selected)
        self.retire_button = self.button("retireEntry")
        self.retire_button.clicked.connect(self.retire_selected)
        self.restore_button = self.button("restoreEntry")
        self.restore_button.clicked.connect(self.restore_selected)
        self.message = self.label("clerkMessage")
        actions = spaced(QHBoxLayout(), self)
        actions.addWidget(self.add_button)
        actions.addWidget(self.edit_button)
        actions.addWidget(self.retire_button)
        actions.addWidget(self.restore_button)
        actions.addStretch(1)

        list_page = QWidget(self)
        list_layout = spaced(QHBoxLayout(list_page), self)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.list)
        # The photo picker, in place of the form while the clerk chooses (tests may pass another).
        self.picker = FilePicker("photo", runner, drives, self)
        self.picker.closed.connect(self._picker_closed)
        self.form = RosterForm(choose_photo or self.open_photo_picker, self)
        self.form.save_requested.connect(self.save)
        self.form.cancel_requested.connect(self.show_list)
        self.stack = PageStack(self)
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.form)
        self.stack.addWidget(self.picker)
        self._list_page = list_page
        self.root.addLayout(tabs_row)
        self.root.addWidget(self.stack, 1)
        self.root.addWidget(self.message)
        self.root.addLayout(actions)
        self._actions = [self.add_button, self.edit_button, self.retire_button, self.restore_button]
        set_message(self.message, "")
        self.retranslate_ui()

    # --- showing ---------------------------------------------------------------------------------

    @property
    def roster(self) -> Roster:
        """The roster the citizen screens show."""
        return self._host.roster

    def refresh(self) -> None:
        """Show the list of the current kind."""
        self.show_list()

    def show_kind(self, kind: Kind) -> None:
        """Show staff, units, services, impression tags or concern tags."""
        self.kind = kind
        self.show_list()

    def show_list(self) -> None:
        """Back from the form to the list (a photo being chosen is given up)."""
        self.picker.cancel()
        self.stack.setCurrentWidget(self._list_page)
        for button in self._actions:
            button.setVisible(True)
        for kind, tab in self.tabs.items():
            tab.setProperty("current", kind == self.kind)
            tab.style().unpolish(tab)
            tab.style().polish(tab)
        self._fill_list()

    def _fill_list(self, select: str | None = None) -> None:
        lang = ui_language()
        self.list.clear()
        for entry in entries_of(self.roster, self.kind):
            text = entry.display_name(lang)
            if isinstance(entry, StaffMember) and entry.display_position(lang):
                text += f" — {entry.display_position(lang)}"
            if entry.retired:
                text += " · " + self.tr("retired (kept for past votes)")
            item = QListWidgetItem(text)
            item.setData(KEY_ROLE, entry.key)
            if entry.retired:
                item.setForeground(Qt.GlobalColor.darkGray)
            self.list.addItem(item)
            if entry.key == select:
                self.list.setCurrentItem(item)
        self._selection_changed()

    def selected(self) -> Entry | None:
        """The entry chosen in the list."""
        item = self.list.currentItem()
        if item is None or not item.isSelected():
            return None
        key = item.data(KEY_ROLE)
        return next((e for e in entries_of(self.roster, self.kind) if e.key == key), None)

    def select(self, key: str) -> None:
        """Choose the entry with this id or code in the list."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(KEY_ROLE) == key:
                self.list.setCurrentItem(item)
                item.setSelected(True)
                return
        raise KeyError(key)

    def _selection_changed(self) -> None:
        entry = self.selected()
        self.edit_button.setEnabled(entry is not None)
        self.retire_button.setEnabled(entry is not None and not entry.retired)
        self.restore_button.setEnabled(entry is not None and entry.retired)

    def keyboard_shown(self, shown: bool) -> None:
        """While typing, only the form shows above the keyboard."""
        super().keyboard_shown(shown)
        self._show_tabs(not shown)
        self.form.keyboard_shown(shown)

    def _show_tabs(self, shown: bool) -> None:
        """The title and tabs show, unless the keyboard is open or a photo is being chosen (the
        picker has a title of its own, and a tab would leave the form)."""
        shown = shown and self.stack.currentWidget() is not self.picker
        self.title.setVisible(shown)
        for tab in self.tabs.values():
            tab.setVisible(shown)

    def open_photo_picker(self, chosen: Chosen) -> None:
        """Show the photo picker in place of the form; chosen(file) if the clerk picks one."""
        self.stack.setCurrentWidget(self.picker)  # the form's keyboard closes as it hides
        self._show_tabs(False)
        self.picker.ask(chosen)

    def _picker_closed(self) -> None:
        if self.stack.currentWidget() is self.picker:
            self.stack.setCurrentWidget(self.form)
        self._show_tabs(True)

    # --- changing --------------------------------------------------------------------------------

    def add(self) -> None:
        """Open the form for a new entry."""
        self._open_form(None)

    def edit_selected(self) -> None:
        """Open the form for the chosen entry."""
        entry = self.selected()
        if entry is not None:
            self._open_form(entry)

    def _open_form(self, entry: Entry | None) -> None:
        set_message(self.message, "")
        self.form.edit(self.kind, entry)
        self.stack.setCurrentWidget(self.form)
        for button in self._actions:
            button.setVisible(False)
        self.form.name_th.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self, answers: FormAnswers) -> None:
        """Check and save the form's entry, off the GUI thread."""
        if not answers.name_th:
            self.form.show_error(self.tr("Please type the name in Thai."))
            return
        roster, data_dir = self.roster, self._data_dir

        def job(_progress: Progress) -> tuple[Roster, str]:
            photo = answers.photo_kept
            key = answers.key or roster.new_id(answers.kind)
            if answers.photo_file is not None:
                photo = store_photo(data_dir, key, answers.photo_file)
            entry = build_entry(roster, dataclasses.replace(answers, key=key), photo)
            new = with_entry(roster, entry)
            save_roster(data_dir, new)
            return new, entry.display_name(ui_language())

        self._run(
            job, lambda result: self._saved(result, self.tr("Saved: %1")), self.form.show_error
        )

    def retire_selected(self) -> None:
        """Retire the chosen entry: hidden from citizens, kept for past votes."""
        entry = self.selected()
        if entry is None or entry.retired:
            return
        self._change(
            with_entry(self.roster, entry.as_retired()),
            entry,
            self.tr("Retired: %1. Past votes still show the name."),
        )

    def restore_selected(self) -> None:
        """Bring a retired entry back to the citizen screens."""
        entry = self.selected()
        if entry is None or not entry.retired:
            return
        try:
            restored = with_entry(self.roster, dataclasses.replace(entry, retired=False))
        except RosterError as exc:
            set_message(self.message, self._roster_problem(exc), tone="error")
            return
        self._change(restored, entry, self.tr("Back on the kiosk: %1"))

    def _change(self, new: Roster, entry: Entry, template: str) -> None:
        data_dir = self._data_dir
        name = entry.display_name(ui_language())

        def job(_progress: Progress) -> tuple[Roster, str]:
            save_roster(data_dir, new)
            return new, name

        self._run(
            job,
            lambda result: self._saved(result, template),
            lambda text: set_message(self.message, text, tone="error"),
        )

    def _run(
        self,
        job: Callable[[Progress], tuple[Roster, str]],
        done: Callable[[tuple[Roster, str]], None],
        show_error: Callable[[str], None],
    ) -> None:
        if self._saving:
            return
        self._saving = True

        def failed(exc: BaseException) -> None:
            self._saving = False
            show_error(self._roster_problem(exc))

        def finished(result: tuple[Roster, str]) -> None:
            self._saving = False
            done(result)

        self._runner.submit(job, finished, failed)

    def _saved(self, result: tuple[Roster, str], template: str) -> None:
        roster, name = result
        self._host.apply_roster(roster)
        self.show_list()
        set_message(self.message, fill(template, name), tone="ok")

    def _roster_problem(self, exc: BaseException) -> str:
        if isinstance(exc, RosterError):
            log.warning("roster change refused (%s): %s", exc.code, exc)
            return fill(self.tr("This cannot be saved: %1"), roster_error(exc.code))
        if isinstance(exc, OSError):
            return fill(
                self.tr("The roster could not be saved (%1). Nothing was changed."),
                exc.strerror or str(exc),
            )
        return self.tr("The roster could not be saved. Nothing was changed.")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Staff, units, services and tags"))
        names = {
            "staff": self.tr("Staff"),
            "unit": self.tr("Units"),
            "service": self.tr("Services"),
            "tag": self.tr("Impression tags"),
            #: The tags offered after an unhappy face: long wait, unclear information …
            "concern": self.tr("Concern tags"),
        }
        for kind, tab in self.tabs.items():
            tab.setText(names[kind])
        self.add_button.setText(self.tr("Add"))
        self.edit_button.setText(self.tr("Edit"))
        self.retire_button.setText(self.tr("Retire"))
        self.restore_button.setText(self.tr("Bring back"))
        if hasattr(self, "stack") and self.stack.currentWidget() is self._list_page:
            self._fill_list()
