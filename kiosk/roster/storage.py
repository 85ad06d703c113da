"""The roster on disk: roster.json (read and checked, written atomically) and staff photos.

roster.json holds every entry, retired ones too, in display order, under a format version; a
file from a newer Sangsuk is refused rather than misread, and one from before concern tags reads
with the default concerns. A kiosk with no roster.json yet has ``NEW_KIOSK_ROSTER``. Photos are
files in the data folder's ``photos/``, named by their content; the roster stores only the file
name, and a missing file just means the card shows initials.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, TypeVar

from kiosk.roster.entries import (
    DEFAULT_CONCERNS,
    NEW_KIOSK_ROSTER,
    PHOTO_SUFFIXES,
    PHOTOS_DIR_NAME,
    Concern,
    Entry,
    Roster,
    RosterError,
    Service,
    StaffMember,
    Tag,
    Unit,
    check_code,
    json_members,
)
from wire.files import write_atomically
from wire.vote import VoteError, parse_json_object

ROSTER_FILE_NAME: Final = "roster.json"
# 2 added the concern tags; a format 1 file (none) reads with DEFAULT_CONCERNS.
ROSTER_FORMAT_VERSION: Final = 2
MAX_FILE_BYTES: Final = 2_000_000
MAX_PHOTO_BYTES: Final = 5_000_000
_PHOTO_MAGIC: Final = {
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}
_E = TypeVar("_E", bound=Entry)


_REQUIRED_MEMBERS: Final = {"version", "staff", "units", "services", "tags"}
_ROSTER_MEMBERS: Final = _REQUIRED_MEMBERS | {"concerns"}


def _entries(raw: Mapping[str, Any], name: str, cls: type[_E]) -> tuple[_E, ...]:
    value = raw[name]
    if not isinstance(value, list):
        raise RosterError(f"{name} must be a list")
    return tuple(cls.from_json(e, f"{cls.KIND} entry {i}") for i, e in enumerate(value, 1))


def roster_from_json(raw: object) -> Roster:
    """Build a roster from its decoded JSON object, checking everything; raises RosterError."""
    obj = json_members(raw, _ROSTER_MEMBERS, _REQUIRED_MEMBERS, "the roster")
    version = obj["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RosterError(f"version must be a whole number from 1, not {version!r}")
    if version > ROSTER_FORMAT_VERSION:
        raise RosterError(
            f"the roster is in format {version}, written by a newer Sangsuk;"
            f" this one reads format {ROSTER_FORMAT_VERSION}"
        )
    tags = _entries(obj, "tags", Tag)
    if "concerns" in obj:
        concerns = _entries(obj, "concerns", Concern)
    else:  # from before concern tags: the defaults, less any code the file's tags already use
        concerns = tuple(c for c in DEFAULT_CONCERNS if all(t.code != c.code for t in tags))
    return Roster(
        _entries(obj, "staff", StaffMember),
        _entries(obj, "units", Unit),
        _entries(obj, "services", Service),
        tags,
        concerns,
    )


def roster_to_json(roster: Roster) -> dict[str, Any]:
    """Return the roster as the JSON object stored in roster.json."""
    return {
        "version": ROSTER_FORMAT_VERSION,
        "staff": [m.to_json() for m in roster.staff],
        "units": [u.to_json() for u in roster.units],
        "services": [s.to_json() for s in roster.services],
        "tags": [t.to_json() for t in roster.tags],
        "concerns": [c.to_json() for c in roster.concerns],
    }


def load_roster(data_dir: Path, *, default: Roster | None = None) -> Roster:
    """Read roster.json from data_dir; with no file, default (the demo's, say) or a new kiosk's."""
    path = data_dir / ROSTER_FILE_NAME
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return default if default is not None else NEW_KIOSK_ROSTER
    except OSError as exc:
        raise RosterError(f"the roster file {path} cannot be read: {exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise RosterError(f"the roster file {path} is larger than {MAX_FILE_BYTES} bytes")
    try:
        return roster_from_json(parse_json_object(data, "roster file"))
    except (VoteError, RosterError) as exc:
        raise RosterError(f"the roster file {path} cannot be used: {exc}") from exc


def save_roster(data_dir: Path, roster: Roster) -> None:
    """Write roster.json atomically (a crash leaves the old file or the new one, never half)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(roster_to_json(roster), ensure_ascii=False, indent=2) + "\n"
    write_atomically(data_dir / ROSTER_FILE_NAME, text.encode("utf-8"))


def photo_path(data_dir: Path, member: StaffMember) -> Path | None:
    """Return the member's photo file if it exists, else None (the card shows initials)."""
    if member.photo is None:
        return None
    path = data_dir / PHOTOS_DIR_NAME / member.photo
    return path if path.is_file() else None


def store_photo(data_dir: Path, staff_id: str, source: Path) -> str:
    """Copy a .png or .jpg into photos/ under a name of its own and return that file name."""
    check_code(staff_id, "staff id")
    suffix = source.suffix.lower()
    if suffix not in PHOTO_SUFFIXES:
        raise RosterError(f"the photo {source.name!r} must be a .png or .jpg file", "photo_type")
    try:
        with source.open("rb") as f:
            data = f.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"the photo {source} cannot be read: {exc}", "photo_unreadable") from exc
    if len(data) > MAX_PHOTO_BYTES:
        too_big = f"the photo {source.name!r} is larger than {MAX_PHOTO_BYTES} bytes"
        raise RosterError(too_big, "photo_too_large")
    if not data.startswith(_PHOTO_MAGIC[suffix]):
        not_image = f"the photo {source.name!r} is not a {suffix[1:].upper()} image"
        raise RosterError(not_image, "photo_not_image")
    # Named by content: a new photo never overwrites one an older roster still names.
    name = f"{staff_id}-{hashlib.sha256(data).hexdigest()[:16]}{suffix.replace('.jpeg', '.jpg')}"
    folder = data_dir / PHOTOS_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / name, data)
    return name
