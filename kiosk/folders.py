"""What a folder holds, for the clerk's folder and photo picker (ui/clerk/file_picker.py), without Qt.

The picker starts at the likely places (the USB sticks the drive detector finds, the home
folder, and this computer's top folder for a stick mounted somewhere unusual), and from there
lists a folder's subfolders, and in photo mode its PNG and JPEG files, sorted as a person
expects: folders first, then names in Thai dictionary order (wire/thai_order.py: the key works
on any text, Latin letters and digits coming before Thai ones), without minding upper and lower
case. Hidden files and the folders a system leaves on a stick (``System Volume Information``)
are left out. A folder that cannot be read raises ``FolderError`` with a code the picker words.

In photo mode the picker shows a small picture of each photo: ``thumbnail_entries`` says which
photos of a listing get one (the first ``MAX_THUMBNAILS``, none over ``MAX_THUMBNAIL_BYTES``),
so a folder of 2,000 camera photos costs no more than a folder of a few.

Reading a folder touches the disk (a slow or pulled-out stick): callers run ``read_folder`` and
``find_places`` off the GUI thread.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from kiosk.drives import Drive
from wire.thai_order import thai_sort_key

PHOTO_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg"})
MAX_ENTRIES: Final = 500  # a folder of thousands of photos shows this many; the rest is counted
MAX_THUMBNAILS: Final = 60  # the photos of a folder that get a picture in their row, in order
MAX_THUMBNAIL_BYTES: Final = 25 << 20  # a bigger file keeps the plain icon (a scan, a RAW photo)
# What Windows, macOS and Linux file systems leave on a stick, that no clerk put there.
SYSTEM_NAMES: Final = frozenset(
    {"system volume information", "$recycle.bin", "lost+found", "recycler", "found.000"}
)
FolderProblem = Literal["missing", "denied", "not_folder", "unreadable"]
PlaceKind = Literal["drive", "home", "computer"]
PickerMode = Literal["folder", "photo"]


class FolderError(Exception):
    """A folder could not be read: ``code`` says why (missing, denied, not_folder, unreadable)."""

    def __init__(self, code: FolderProblem, folder: Path, detail: str) -> None:
        super().__init__(f"{folder}: {detail}")
        self.code: FolderProblem = code
        self.folder = folder


@dataclass(frozen=True, slots=True)
class Entry:
    """A subfolder, or a photo file and its size in bytes, in a folder's listing."""

    path: Path
    is_folder: bool
    size: int = 0

    @property
    def name(self) -> str:
        """The entry's name as the folder shows it."""
        return self.path.name


@dataclass(frozen=True, slots=True)
class Listing:
    """What a folder holds for the picker: entries in order, and how many more were left out."""

    folder: Path
    entries: tuple[Entry, ...]
    left_out: int = 0


@dataclass(frozen=True, slots=True)
class Place:
    """A place the picker starts from: a USB stick, the home folder or the computer's top."""

    path: Path
    kind: PlaceKind
    name: str
    free_bytes: int | None = None


def name_key(name: str) -> tuple[tuple[str, str], str]:
    """A sort key for file and folder names: Thai dictionary order, upper and lower case alike."""
    return thai_sort_key(name.casefold()), name


def is_photo_name(name: str) -> bool:
    """Whether a file name ends in .png, .jpg or .jpeg (in any case)."""
    return Path(name).suffix.casefold() in PHOTO_SUFFIXES


def _hidden(entry: os.DirEntry[str]) -> bool:
    """A dot file, a system folder, or a file Windows marks hidden."""
    if entry.name.startswith(".") or entry.name.casefold() in SYSTEM_NAMES:
        return True
    try:
        attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
    except OSError:
        return True  # gone while being read: nothing to show
    return bool(attributes & (stat.FILE_ATTRIBUTE_HIDDEN | stat.FILE_ATTRIBUTE_SYSTEM))


def _entry(entry: os.DirEntry[str], mode: PickerMode) -> Entry | None:
    """The entry as the picker lists it, or None when it does not belong in the list."""
    if _hidden(entry):
        return None
    try:
        if entry.is_dir():
            return Entry(Path(entry.path), is_folder=True)
        if mode == "photo" and is_photo_name(entry.name) and entry.is_file():
            return Entry(Path(entry.path), is_folder=False, size=entry.stat().st_size)
    except OSError:
        return None  # a broken link, or gone while being read
    return None


def read_folder(folder: Path, mode: PickerMode, limit: int = MAX_ENTRIES) -> Listing:
    """List folder's subfolders (and in photo mode its photos), folders first, by name.

    Raises FolderError when the folder is not there, may not be read, is not a folder, or
    fails while being read (a stick pulled out).
    """
    try:
        with os.scandir(folder) as found:
            entries = [each for each in (_entry(e, mode) for e in found) if each is not None]
    except FileNotFoundError as exc:
        raise FolderError("missing", folder, str(exc)) from exc
    except PermissionError as exc:
        raise FolderError("denied", folder, str(exc)) from exc
    except NotADirectoryError as exc:
        raise FolderError("not_folder", folder, str(exc)) from exc
    except OSError as exc:
        raise FolderError("unreadable", folder, str(exc)) from exc
    entries.sort(key=lambda e: (not e.is_folder, name_key(e.name)))
    return Listing(folder, tuple(entries[:limit]), max(0, len(entries) - limit))


def thumbnail_entries(
    listing: Listing, limit: int = MAX_THUMBNAILS, max_bytes: int = MAX_THUMBNAIL_BYTES
) -> tuple[Entry, ...]:
    """The photos of listing that get a small picture: the first limit, none over max_bytes."""
    photos = (e for e in listing.entries if not e.is_folder and 0 < e.size <= max_bytes)
    return tuple(photos)[:limit]


def find_places(drives: Callable[[], list[Drive]], home: Path) -> list[Place]:
    """The places to start from: each USB stick drives() finds, home, and the computer's top."""
    try:
        found = drives()
    except OSError:
        found = []
    return places(found, home)


def places(drives: Iterable[Drive], home: Path) -> list[Place]:
    """The USB sticks first (by name), then the home folder, then the top of its disk."""
    sticks = sorted(drives, key=lambda d: name_key(d.label))
    found = [Place(d.path, "drive", d.label, d.free_bytes) for d in sticks]
    found.append(Place(home, "home", home.name))
    found.append(Place(Path(home.anchor), "computer", home.anchor))
    return found


def trail(place: Place, folder: Path) -> tuple[str, ...]:
    """The folders from place down to folder (place itself not named), for a breadcrumb."""
    try:
        return folder.relative_to(place.path).parts
    except ValueError:  # not under the place: the whole path
        return folder.parts


def place_holding(folder: Path, found: Iterable[Place]) -> Place | None:
    """The place folder is in, or None: the deepest, so a stick wins over the computer's top."""
    holding = [p for p in found if folder == p.path or p.path in folder.parents]
    return max(holding, key=lambda p: len(p.path.parts), default=None)


def parent_in(place: Place, folder: Path) -> Path | None:
    """The folder above folder, or None at the place itself (Up goes back to the places)."""
    if folder == place.path or folder.parent == folder:
        return None
    try:
        folder.relative_to(place.path)
    except ValueError:
        return None
    return folder.parent


def size_text(size: int) -> str:
    """Bytes as a person reads them: 850 B, 12.4 KB, 3.1 MB, 7.8 GB."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover - the loop returns
