"""The roster: staff, units, services and the quick-pick tags that citizens pick on the kiosk.

There are two lists of tags: impression tags (สะดวก, รวดเร็ว …), offered after a rating of 3 to
5, and concern tags (รอนาน, ข้อมูลไม่ชัดเจน …), offered after 1 or 2 (kiosk/flow.py). A vote
carries either kind in its one ``tags`` list, so a code names one tag across both lists.

A vote names a staff member or a unit, a service and tags by code (wire/vote.py), never by
name, so the roster is what turns those codes back into names. That is why nothing is ever
deleted: a staff member who leaves is *retired*, hidden from the citizen screens but still found
by id, so past votes keep resolving to a name. For the same reason an id is never reused for
someone else (``new_id`` picks one no entry has ever had); editing an entry keeps its id.

The roster is kept as ``roster.json`` in the data folder, written atomically. Lists are in
display order. A kiosk with no roster.json yet (just set up) has ``NEW_KIOSK_ROSTER``: nobody
to name, and the default impression and concern tags, which the clerk may change. Photos are
files in the data folder's ``photos/``; the roster stores only the file name, and a missing
file just means the card shows initials.

Two modules: the entries and their rules (kiosk/roster/entries.py), and the file and photos
(kiosk/roster/storage.py). Import from ``kiosk.roster``, which offers both.
"""

from kiosk.roster.entries import (
    DEFAULT_CONCERNS,
    DEFAULT_TAGS,
    MAX_ACTIVE_CONCERNS,
    MAX_ACTIVE_SERVICES,
    MAX_ACTIVE_STAFF,
    MAX_ACTIVE_TAGS,
    MAX_ACTIVE_UNITS,
    MAX_ENTRIES,
    MAX_TEXT_CHARS,
    NEW_KIOSK_ROSTER,
    PHOTO_SUFFIXES,
    PHOTOS_DIR_NAME,
    Concern,
    Entry,
    Kind,
    Roster,
    RosterError,
    Service,
    StaffMember,
    Tag,
    Unit,
    clean_text,
)
from kiosk.roster.storage import (
    MAX_FILE_BYTES,
    MAX_PHOTO_BYTES,
    ROSTER_FILE_NAME,
    ROSTER_FORMAT_VERSION,
    load_roster,
    photo_path,
    roster_from_json,
    roster_to_json,
    save_roster,
    store_photo,
)

__all__ = [
    "DEFAULT_CONCERNS",
    "DEFAULT_TAGS",
    "MAX_ACTIVE_CONCERNS",
    "MAX_ACTIVE_SERVICES",
    "MAX_ACTIVE_STAFF",
    "MAX_ACTIVE_TAGS",
    "MAX_ACTIVE_UNITS",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_PHOTO_BYTES",
    "MAX_TEXT_CHARS",
    "NEW_KIOSK_ROSTER",
    "PHOTOS_DIR_NAME",
    "PHOTO_SUFFIXES",
    "ROSTER_FILE_NAME",
    "ROSTER_FORMAT_VERSION",
    "Concern",
    "Entry",
    "Kind",
    "Roster",
    "RosterError",
    "Service",
    "StaffMember",
    "Tag",
    "Unit",
    "clean_text",
    "load_roster",
    "photo_path",
    "roster_from_json",
    "roster_to_json",
    "save_roster",
    "store_photo",
]
