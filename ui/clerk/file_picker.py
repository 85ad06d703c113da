"""Choosing a folder (where to export) or a staff photo by finger, inside the clerk's screens.

Qt's file dialog is a desktop window: small arrows, small rows, a path to type. This picker is
a clerk page shown in place of the page that asks (ui/clerk/export.py, ui/clerk/roster.py):
it starts at the likely places (the USB sticks found, the home folder, the whole computer),
shows where it is as a breadcrumb ("USB stick KINGSTON › รูปถ่าย"), lists the folder's
subfolders (and in photo mode its PNG and JPEG files) in large rows, and has Up, Cancel and,
for a folder, "Use this folder". A folder that cannot be read says so in the page, and Up,
Cancel and the places still work. What a folder holds is read off the GUI thread (kiosk/folders.py
on the TaskRunner); an answer for a folder the clerk has already left is dropped.

In photo mode each photo's row shows a small picture of it, so the clerk sees whose face it
is. The rows come at once with the plain file icon; the pictures are decoded one after the
other on the TaskRunner (ui/clerk/thumbnails.py), at most ``MAX_THUMBNAILS`` of a folder and
none of a huge file, and each replaces its row's icon as it comes. Leaving the folder stops
them, and a picture for a folder already left is dropped; a file that is not really a picture
keeps the plain icon.

``ask(on_chosen)`` starts a choice: on_chosen(path) is called once if the clerk chooses, never
if they cancel; ``closed`` tells the page that asked to show itself again either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QHBoxLayout, QListWidgetItem, QStyle, QWidget

from kiosk.drives import DriveDetector
from kiosk.folders import (
    Entry,
    FolderError,
    Listing,
    PickerMode,
    Place,
    find_places,
    parent_in,
    read_folder,
    size_text,
    thumbnail_entries,
    trail,
)
from ui.clerk.thumbnails import is_picture, plain_icon, read_thumbnail, thumbnail_icon
from ui.clerk.widgets import ClerkList, ClerkPage, set_message, spaced
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.sizes import mm_to_px

ROW_ROLE: Final = Qt.ItemDataRole.UserRole  # the Place or Entry a row stands for
ICON_MM: Final = 7.0
THUMBNAIL_MM: Final = 13.0  # a photo's picture in its row: a face a clerk knows again
SEPARATOR: Final = " › "
Chosen = Callable[[Path], object]
log = logging.getLogger(__name__)


def _read_or_say_why(folder: Path, mode: PickerMode) -> Listing | FolderError:
    """What folder holds, or why it cannot be read (an answer, not a failure: it is logged here)."""
    try:
        return read_folder(folder, mode)
    except FolderError as exc:
        log.warning("the picker cannot read %s (%s): %s", folder, exc.code, exc)
        return exc


class FilePicker(ClerkPage):
    """A folder or photo chooser in large touch rows, reading folders off the GUI thread."""

    chosen = Signal(object)  # the Path chosen
    cancelled = Signal()
    closed = Signal()  # chosen or cancelled: the page that asked shows itself again
    shown_folder = Signal()  # a folder's listing, the places or a problem is on show
    thumbnail_shown = Signal(object)  # the Path of a photo whose row now shows its picture
    thumbnails_done = Signal()  # every photo of the folder on show that gets a picture has one

    def __init__(
        self,
        mode: PickerMode,
        runner: TaskRunner,
        drives: DriveDetector,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("filePicker", parent)
        self.nest()  # in place of the page that asked, within its margins
        self.mode: PickerMode = mode
        self._runner = runner
        self._drives = drives
        self._on_chosen: Chosen | None = None
        self._serial = 0  # bumped at each move: an answer for an older one is dropped
        self.places: list[Place] = []
        self.place: Place | None = None  # None: the places are on show
        self.folder: Path | None = None
        self.listing: Listing | None = None
        self.problem: FolderError | None = None
        self.loading = False
        self.thumbnails: dict[Path, QIcon] = {}  # the pictures come so far, for the folder on show
        self.not_pictures: set[Path] = set()  # files of the folder on show found to be no picture
        self._rows: dict[Path, QListWidgetItem] = {}
        self.where = self.label("cardTitle")
        self.message = self.label("clerkMessage")
        self.list = ClerkList("pickerList", self)
        self.list.setProperty("photos", mode == "photo")  # rows with less room around a picture
        self.icon_px = mm_to_px(self, ICON_MM)
        self.thumbnail_px = mm_to_px(self, THUMBNAIL_MM) if mode == "photo" else self.icon_px
        self.list.setIconSize(QSize(self.thumbnail_px, self.thumbnail_px))
        self.list.itemClicked.connect(self._tapped)
        self.up_button = self.button("pickerUp")
        self.up_button.clicked.connect(self.go_up)
        self.cancel_button = self.button("pickerCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button = self.button("pickerUseFolder", "primary")
        self.use_button.clicked.connect(self.use_folder)
        self.use_button.setVisible(mode == "folder")
        buttons = spaced(QHBoxLayout(), self)
        buttons.addWidget(self.up_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.use_button)
        self.root.addWidget(self.where)
        self.root.addWidget(self.message)
        self.root.addWidget(self.list, 1)
        self.root.addLayout(buttons)
        self.retranslate_ui()

    # --- the clerk's moves -----------------------------------------------------------------------

    def ask(self, on_chosen: Chosen) -> None:
        """Start a choice at the places; on_chosen(path) is called if the clerk chooses."""
        self._on_chosen = on_chosen
        self.show_places()

    def active(self) -> bool:
        """Whether a choice is under way."""
        return self._on_chosen is not None

    def show_places(self) -> None:
        """List the USB sticks found now, the home folder and the computer (off the GUI thread)."""
        self.place, self.folder = None, None
        drives = self._drives
        self._read(lambda _progress: find_places(drives, Path.home()), self._places_found)

    def open_place(self, place: Place) -> None:
        """Open a stick, the home folder or the computer's top folder."""
        self.place = place
        self.open_folder(place.path)

    def open_folder(self, folder: Path) -> None:
        """Show what folder holds (read off the GUI thread); the place stays where it was."""
        if self.place is None:
            self.place = Place(Path(folder.anchor), "computer", folder.anchor)
        self.folder = folder
        mode = self.mode
        self._read(lambda _progress: _read_or_say_why(folder, mode), self._listed)

    def go_up(self) -> None:
        """The folder above; from the place's own folder, back to the places."""
        if self.place is None or self.folder is None:
            return
        above = parent_in(self.place, self.folder)
        if above is None:
            self.show_places()
        else:
            self.open_folder(above)

    def use_folder(self) -> None:
        """Choose the folder on show (folder mode, once it has been read)."""
        if self.folder is not None and self.listing is not None and self.mode == "folder":
            self._choose(self.folder)

    def cancel(self) -> None:
        """Give up choosing: nothing is chosen."""
        if self.active():
            self._finish()
            self.cancelled.emit()

    def _tapped(self, item: QListWidgetItem) -> None:
        row = item.data(ROW_ROLE)
        if isinstance(row, Place):
            self.open_place(row)
        elif isinstance(row, Entry) and row.is_folder:
            self.open_folder(row.path)
        elif isinstance(row, Entry) and row.path in self.not_pictures:
            #: A file tapped in the photo picker whose content is no picture: %1 its name.
            template = self.tr("%1 is not a picture. Choose another photo.")
            set_message(self.message, fill(template, row.name), tone="error")
        elif isinstance(row, Entry):
            self._choose(row.path)

    def _choose(self, path: Path) -> None:
        on_chosen = self._on_chosen
        self._finish()
        self.chosen.emit(path)
        if on_chosen is not None:
            on_chosen(path)

    def _finish(self) -> None:
        self._serial += 1  # what is still being read is of no use now
        self._on_chosen = None
        self.loading = False
        self.closed.emit()

    # --- reading, off the GUI thread -------------------------------------------------------------

    def _read(self, job: Callable[[Progress], object], done: Callable[[object], None]) -> None:
        self._serial += 1
        serial = self._serial
        self.listing, self.problem, self.loading = None, None, True
        self.thumbnails = {}
        self.not_pictures = set()
        self._render()

        def answered(result: object) -> None:
            if serial == self._serial:
                done(result)

        def failed(exc: BaseException) -> None:
            if serial == self._serial:
                self._failed(exc)

        self._runner.submit(job, answered, failed)

    def _places_found(self, found: object) -> None:
        assert isinstance(found, list)
        self.places = found
        self.loading = False
        self._render()
        self.shown_folder.emit()

    def _listed(self, listing: object) -> None:
        if isinstance(listing, FolderError):
            self._failed(listing)
            return
        assert isinstance(listing, Listing)
        self.listing, self.loading = listing, False
        self._render()
        self.shown_folder.emit()
        if self.mode == "photo":
            self._draw_next(self._serial, list(thumbnail_entries(listing)))

    def _draw_next(self, serial: int, waiting: list[Entry]) -> None:
        """Decode the next photo's picture on the pool, one at a time (the pool stays free for
        the next folder); stop when the clerk has moved on."""
        if serial != self._serial:
            return
        if not waiting:
            self.thumbnails_done.emit()
            return
        entry, rest = waiting[0], waiting[1:]
        box = self.thumbnail_px

        def drawn(image: object) -> None:
            if serial != self._serial:
                return  # the clerk has left the folder: the picture is dropped
            if isinstance(image, QImage):
                self._show_thumbnail(entry.path, image)
            elif image is False:
                self._not_a_picture(entry.path)
            self._draw_next(serial, rest)

        def failed(_exc: BaseException) -> None:  # logged by the runner; the plain icon stays
            drawn(None)

        def draw(_progress: Progress) -> QImage | bool:
            # No picture: False when the file is no picture at all (a text file named .png).
            return read_thumbnail(entry.path, box) or is_picture(entry.path)

        self._runner.submit(draw, drawn, failed)

    def _show_thumbnail(self, path: Path, image: QImage) -> None:
        icon = thumbnail_icon(image)
        self.thumbnails[path] = icon
        item = self._rows.get(path)
        if item is not None:
            item.setIcon(icon)
        self.thumbnail_shown.emit(path)

    def _not_a_picture(self, path: Path) -> None:
        """A file found to be no picture: said in its row, which can no longer be chosen."""
        self.not_pictures.add(path)
        item = self._rows.get(path)
        if item is not None:
            self._mark_not_a_picture(item)

    def _mark_not_a_picture(self, item: QListWidgetItem) -> None:
        #: In a photo's row, after its name and size: the file's content is no picture.
        item.setText(fill(self.tr("%1 · not a picture"), item.text()))
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)

    def _failed(self, exc: BaseException) -> None:
        folder = self.folder or Path()
        self.problem = (
            exc if isinstance(exc, FolderError) else FolderError("unreadable", folder, "")
        )
        self.loading = False
        self._render()
        self.shown_folder.emit()

    # --- showing ---------------------------------------------------------------------------------

    def _render(self) -> None:
        """Show the breadcrumb, the message and the rows for where the picker is now."""
        self.list.clear()
        self._rows = {}
        place, folder = self.place, self.folder
        self.up_button.setEnabled(place is not None)
        self.use_button.setEnabled(self.listing is not None and self.mode == "folder")
        if place is None or folder is None:
            self.where.setText(self.tr("USB sticks and folders of this kiosk"))
            if not self.loading:
                for each in self.places:
                    self._add_row(self.place_name(each, free=True), each, self._place_icon(each))
        else:
            self.where.setText(SEPARATOR.join([self.place_name(place), *trail(place, folder)]))
        if self.listing is not None:
            folder_icon = self._plain(QStyle.StandardPixmap.SP_DirIcon)
            file_icon = self._plain(QStyle.StandardPixmap.SP_FileIcon)
            for entry in self.listing.entries:
                if entry.is_folder:
                    self._add_row(entry.name, entry, folder_icon)
                else:
                    icon = self.thumbnails.get(entry.path, file_icon)
                    self._add_row(f"{entry.name} · {size_text(entry.size)}", entry, icon)
                    if entry.path in self.not_pictures:
                        self._mark_not_a_picture(self._rows[entry.path])
        text, tone = self._saying()
        set_message(self.message, text, tone=tone)

    def _add_row(self, text: str, row: Place | Entry, icon: QIcon) -> None:
        item = QListWidgetItem(icon, text)
        item.setData(ROW_ROLE, row)
        self.list.addItem(item)
        if isinstance(row, Entry):
            self._rows[row.path] = item

    def _plain(self, standard: QStyle.StandardPixmap) -> QIcon:
        """One of Qt's icons, every one drawn at the same size."""
        return plain_icon(self.style().standardIcon(standard), self.icon_px, self.thumbnail_px)

    def _place_icon(self, place: Place) -> QIcon:
        return self._plain(
            {
                "drive": QStyle.StandardPixmap.SP_DriveHDIcon,
                "home": QStyle.StandardPixmap.SP_DirHomeIcon,
                "computer": QStyle.StandardPixmap.SP_ComputerIcon,
            }[place.kind]
        )

    def place_name(self, place: Place, *, free: bool = False) -> str:
        """A place as the clerk reads it: USB stick KINGSTON (with its free space in the list)."""
        if place.kind == "drive":
            if free and place.free_bytes is not None:
                #: A USB stick among the places: %1 its name, %2 its free space (e.g. 3.2 GB).
                template = self.tr("USB stick %1 (%2 free)")
                return fill(template, place.name, size_text(place.free_bytes))
            #: A USB stick at the start of the breadcrumb: %1 its name.
            return fill(self.tr("USB stick %1"), place.name)
        if place.kind == "home":
            return self.tr("Home folder")
        return self.tr("This computer (every folder)") if free else self.tr("This computer")

    def _saying(self) -> tuple[str, str]:
        """What the message above the rows says now, and its tone."""
        if self.loading:
            return self.tr("Opening…"), "info"
        if self.problem is not None:
            return self.problem_text(self.problem.code), "error"
        if self.place is None:
            if self.mode == "folder":
                return self.tr("Tap the USB stick, or the folder that holds it."), "info"
            return self.tr("Tap the USB stick or the folder that holds the photo."), "info"
        listing = self.listing
        if listing is None:
            return "", "info"
        if not listing.entries:
            if self.mode == "folder":
                return self.tr(
                    "There are no folders in here. Tap \u201cUse this folder\u201d to use this one."
                ), "info"
            return self.tr("There are no photos (PNG or JPEG) or folders in here."), "info"
        if listing.left_out:
            #: %1 how many rows are shown of a folder that holds more.
            template = self.tr("Only the first %1 are shown: this folder holds too many.")
            return fill(template, str(len(listing.entries))), "info"
        if self.mode == "folder":
            return self.tr(
                "Tap a folder to open it. Tap \u201cUse this folder\u201d when the one you want"
                " is open."
            ), "info"
        return self.tr("Tap a folder to open it, or tap the photo (PNG or JPEG)."), "info"

    def problem_text(self, code: str) -> str:
        """Why a folder cannot be shown, in the clerk's words."""
        messages = {
            "missing": self.tr(
                "This folder is not there any more: was the USB stick pulled out? Plug it back"
                " in, then tap \u201cUp one level\u201d or choose it again."
            ),
            "denied": self.tr(
                "The kiosk is not allowed to open this folder. Tap \u201cUp one level\u201d and"
                " choose another folder."
            ),
            "not_folder": self.tr(
                "This is not a folder any more. Tap \u201cUp one level\u201d and choose again."
            ),
        }
        return messages.get(
            code,
            self.tr(
                "This folder could not be read: was the USB stick pulled out, or is it damaged?"
                " Plug it back in and tap \u201cUp one level\u201d, or choose another folder."
            ),
        )

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        if self.mode == "folder":
            self.title.setText(self.tr("Choose a folder"))
        else:
            self.title.setText(self.tr("Choose a photo"))
        self.up_button.setText(self.tr("Up one level"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.use_button.setText(self.tr("Use this folder"))
        self.list.setAccessibleName(self.title.text())
        self._render()
