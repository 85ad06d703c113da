"""The roster: staff, units, services and impression tags that citizens pick on the kiosk.

A vote names a staff member or a unit, a service and tags by code (wire/vote.py), never by
name, so the roster is what turns those codes back into names. That is why nothing is ever
deleted: a staff member who leaves is *retired*, hidden from the citizen screens but still found
by id, so past votes keep resolving to a name. For the same reason an id is never reused for
someone else (``new_id`` picks one no entry has ever had); editing an entry keeps its id.

The roster is kept as ``roster.json`` in the data folder, written atomically. Lists are in
display order. Photos are files in the data folder's ``photos/``; the roster stores only the
file name, and a missing file just means the card shows initials.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, Literal, Protocol, Self, TypeVar

from wire.files import write_atomically
from wire.vote import CODE_PATTERN, FORBIDDEN_CHARS, MAX_TAGS, Target, VoteError, parse_json_object

ROSTER_FILE_NAME: Final = "roster.json"
PHOTOS_DIR_NAME: Final = "photos"
ROSTER_FORMAT_VERSION: Final = 1
MAX_ACTIVE_STAFF: Final = 200
MAX_ACTIVE_UNITS: Final = 40
MAX_ACTIVE_SERVICES: Final = 40
# A citizen may tick every quick-pick tag, and a vote carries at most MAX_TAGS of them.
MAX_ACTIVE_TAGS: Final = MAX_TAGS
MAX_ENTRIES: Final = 1000  # per kind, retired ones included: keeps the file small
MAX_TEXT_CHARS: Final = 100
MAX_FILE_BYTES: Final = 2_000_000
MAX_PHOTO_BYTES: Final = 5_000_000
PHOTO_SUFFIXES: Final = (".png", ".jpg", ".jpeg")
_PHOTO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_PHOTO_MAGIC: Final = {
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
}

Kind = Literal["staff", "unit", "service", "tag"]
_ID_PREFIX: Final[dict[Kind, str]] = {"staff": "s", "unit": "u", "service": "sv", "tag": "t"}


class RosterError(Exception):
    """The roster, or an entry in it, cannot be used; its file is left as it is."""


# --- entries -------------------------------------------------------------------------------


def _check_code(value: object, what: str) -> None:
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        raise RosterError(
            f"{what} {value!r} must be 1-32 of a-z, 0-9, '_' or '-', starting with a letter or digit"
        )


def _check_text(value: object, what: str, *, required: bool) -> None:
    if not isinstance(value, str):
        raise RosterError(f"{what} must be text, not {value!r}")
    if required and not value:
        raise RosterError(f"{what} must not be empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RosterError(f"{what} contains characters that are not valid text") from None
    bad = FORBIDDEN_CHARS.search(value)
    if bad:
        raise RosterError(f"{what} contains the control character U+{ord(bad.group()):04X}")
    if value != value.strip():
        raise RosterError(f"{what} {value!r} must not begin or end with spaces")
    if not unicodedata.is_normalized("NFC", value):
        raise RosterError(f"{what} {value!r} is not in Unicode normal form (NFC)")
    if len(value) > MAX_TEXT_CHARS:
        raise RosterError(f"{what} has {len(value)} characters; at most {MAX_TEXT_CHARS}")


def _check_retired(value: object, what: str) -> None:
    if not isinstance(value, bool):
        raise RosterError(f"{what} retired must be true or false, not {value!r}")


def _check_photo(value: object, what: str) -> None:
    if value is None:
        return
    if (
        not isinstance(value, str)
        or not _PHOTO_NAME.fullmatch(value)
        or not value.lower().endswith(PHOTO_SUFFIXES)
    ):
        raise RosterError(
            f"{what} photo {value!r} must be the plain name of a .png or .jpg file in"
            f" {PHOTOS_DIR_NAME}/ (letters, digits, '.', '_', '-'), or null"
        )


def _pick(lang: str, th: str, en: str) -> str:
    """Return the English text for "en" when there is one, else the Thai."""
    return en if lang == "en" and en else th


def clean_text(text: str) -> str:
    """Return text as the roster stores it: NFC, inner runs of spaces made one, trimmed."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A person who serves citizens; English name and positions may be empty (Thai is shown)."""

    id: str
    name_th: str
    name_en: str = ""
    position_th: str = ""
    position_en: str = ""
    photo: str | None = None  # a file name in the data folder's photos/, or None
    retired: bool = False

    def __post_init__(self) -> None:
        _check_code(self.id, "staff id")
        what = f"staff {self.id}"
        _check_text(self.name_th, f"{what} name_th", required=True)
        _check_text(self.name_en, f"{what} name_en", required=False)
        _check_text(self.position_th, f"{what} position_th", required=False)
        _check_text(self.position_en, f"{what} position_en", required=False)
        _check_photo(self.photo, what)
        _check_retired(self.retired, what)

    @property
    def key(self) -> str:
        """Return the id votes name this member by."""
        return self.id

    def as_retired(self) -> Self:
        """Return this member retired."""
        return replace(self, retired=True)

    def display_name(self, lang: str) -> str:
        """Return the name in lang ("en" or "th"; Thai when there is no English name)."""
        return _pick(lang, self.name_th, self.name_en)

    def display_position(self, lang: str) -> str:
        """Return the position in lang (Thai when there is no English one); may be empty."""
        return _pick(lang, self.position_th, self.position_en)


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit of the district office (งาน, ศูนย์) that a citizen can name instead of a person."""

    id: str
    name_th: str
    name_en: str = ""
    retired: bool = False

    def __post_init__(self) -> None:
        _check_code(self.id, "unit id")
        _check_text(self.name_th, f"unit {self.id} name_th", required=True)
        _check_text(self.name_en, f"unit {self.id} name_en", required=False)
        _check_retired(self.retired, f"unit {self.id}")

    @property
    def key(self) -> str:
        """Return the id votes name this unit by."""
        return self.id

    def as_retired(self) -> Self:
        """Return this unit retired."""
        return replace(self, retired=True)

    def display_name(self, lang: str) -> str:
        """Return the name in lang ("en" or "th"; Thai when there is no English name)."""
        return _pick(lang, self.name_th, self.name_en)


@dataclass(frozen=True, slots=True)
class Service:
    """A service citizens come for (ทำบัตรประชาชน, แจ้งเกิด …)."""

    code: str
    name_th: str
    name_en: str = ""
    retired: bool = False

    def __post_init__(self) -> None:
        _check_code(self.code, "service code")
        _check_text(self.name_th, f"service {self.code} name_th", required=True)
        _check_text(self.name_en, f"service {self.code} name_en", required=False)
        _check_retired(self.retired, f"service {self.code}")

    @property
    def key(self) -> str:
        """Return the code votes name this service by."""
        return self.code

    def as_retired(self) -> Self:
        """Return this service retired."""
        return replace(self, retired=True)

    def display_name(self, lang: str) -> str:
        """Return the name in lang ("en" or "th"; Thai when there is no English name)."""
        return _pick(lang, self.name_th, self.name_en)


@dataclass(frozen=True, slots=True)
class Tag:
    """A quick-pick impression tag (สะดวก, รวดเร็ว …)."""

    code: str
    label_th: str
    label_en: str = ""
    retired: bool = False

    def __post_init__(self) -> None:
        _check_code(self.code, "tag code")
        _check_text(self.label_th, f"tag {self.code} label_th", required=True)
        _check_text(self.label_en, f"tag {self.code} label_en", required=False)
        _check_retired(self.retired, f"tag {self.code}")

    @property
    def key(self) -> str:
        """Return the code votes name this tag by."""
        return self.code

    def as_retired(self) -> Self:
        """Return this tag retired."""
        return replace(self, retired=True)

    def display_name(self, lang: str) -> str:
        """Return the label in lang ("en" or "th"; Thai when there is no English label)."""
        return _pick(lang, self.label_th, self.label_en)


class _Entry(Protocol):
    @property
    def key(self) -> str: ...

    @property
    def retired(self) -> bool: ...

    def as_retired(self) -> Self: ...


_E = TypeVar("_E", bound=_Entry)


def _check_entries(entries: tuple[_E, ...], cls: type, what: str, max_active: int) -> None:
    if not isinstance(entries, tuple) or not all(isinstance(e, cls) for e in entries):
        raise RosterError(f"the {what} list must be a tuple of {cls.__name__}")
    if len(entries) > MAX_ENTRIES:
        raise RosterError(f"at most {MAX_ENTRIES} {what} entries, retired ones included")
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            raise RosterError(f"the {what} {_key_name(what)} {entry.key!r} appears twice")
        seen.add(entry.key)
    active = sum(not e.retired for e in entries)
    if active > max_active:
        raise RosterError(f"at most {max_active} active {what} entries, not {active}")


def _key_name(what: str) -> str:
    return "code" if what in ("service", "tag") else "id"


def _put(entries: tuple[_E, ...], entry: _E) -> tuple[_E, ...]:
    if any(e.key == entry.key for e in entries):
        return tuple(entry if e.key == entry.key else e for e in entries)
    return (*entries, entry)


def _retire(entries: tuple[_E, ...], key: str, what: str) -> tuple[_E, ...]:
    if not any(e.key == key for e in entries):
        raise RosterError(f"there is no {what} with {_key_name(what)} {key!r}")
    return tuple(e.as_retired() if e.key == key else e for e in entries)


def _find(entries: tuple[_E, ...], key: str) -> _E | None:
    return next((e for e in entries if e.key == key), None)


# --- the roster ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Roster:
    """Staff, units, services and tags, each in display order, retired entries included."""

    staff: tuple[StaffMember, ...] = ()
    units: tuple[Unit, ...] = ()
    services: tuple[Service, ...] = ()
    tags: tuple[Tag, ...] = ()

    def __post_init__(self) -> None:
        _check_entries(self.staff, StaffMember, "staff", MAX_ACTIVE_STAFF)
        _check_entries(self.units, Unit, "unit", MAX_ACTIVE_UNITS)
        _check_entries(self.services, Service, "service", MAX_ACTIVE_SERVICES)
        _check_entries(self.tags, Tag, "tag", MAX_ACTIVE_TAGS)

    # What the citizen screens show.

    def active_staff(self) -> tuple[StaffMember, ...]:
        """Return the staff who are not retired, in display order."""
        return tuple(m for m in self.staff if not m.retired)

    def active_units(self) -> tuple[Unit, ...]:
        """Return the units that are not retired, in display order."""
        return tuple(u for u in self.units if not u.retired)

    def active_services(self) -> tuple[Service, ...]:
        """Return the services that are not retired, in display order."""
        return tuple(s for s in self.services if not s.retired)

    def active_tags(self) -> tuple[Tag, ...]:
        """Return the tags that are not retired, in display order."""
        return tuple(t for t in self.tags if not t.retired)

    # Lookups, retired entries included, so that past votes still resolve to a name.

    def staff_by_id(self, staff_id: str) -> StaffMember | None:
        """Return the staff member with this id, retired or not, or None."""
        return _find(self.staff, staff_id)

    def unit_by_id(self, unit_id: str) -> Unit | None:
        """Return the unit with this id, retired or not, or None."""
        return _find(self.units, unit_id)

    def service_by_code(self, code: str) -> Service | None:
        """Return the service with this code, retired or not, or None."""
        return _find(self.services, code)

    def tag_by_code(self, code: str) -> Tag | None:
        """Return the tag with this code, retired or not, or None."""
        return _find(self.tags, code)

    def target_name(self, target: Target, lang: str) -> str | None:
        """Return the name of a vote's staff or unit target in lang, or None when unknown."""
        found: StaffMember | Unit | None = None
        if target.kind == "staff":
            found = self.staff_by_id(target.id)
        elif target.kind == "unit":
            found = self.unit_by_id(target.id)
        return None if found is None else found.display_name(lang)

    # For the roster editor: each returns a new, validated roster.

    def new_id(self, kind: Kind) -> str:
        """Return an id no entry of this kind has ever had, e.g. "s09" after "s08"."""
        prefix = _ID_PREFIX[kind]
        keys = {
            "staff": [m.id for m in self.staff],
            "unit": [u.id for u in self.units],
            "service": [s.code for s in self.services],
            "tag": [t.code for t in self.tags],
        }[kind]
        pattern = re.compile(re.escape(prefix) + r"([0-9]+)")
        numbers = [int(m.group(1)) for key in keys if (m := pattern.fullmatch(key))]
        return f"{prefix}{max(numbers, default=0) + 1:02d}"

    def with_staff(self, member: StaffMember) -> Roster:
        """Return the roster with member added at the end, or replacing the one with its id."""
        return replace(self, staff=_put(self.staff, member))

    def retire_staff(self, staff_id: str) -> Roster:
        """Return the roster with this staff member retired (kept for past votes)."""
        return replace(self, staff=_retire(self.staff, staff_id, "staff member"))

    def with_unit(self, unit: Unit) -> Roster:
        """Return the roster with unit added at the end, or replacing the one with its id."""
        return replace(self, units=_put(self.units, unit))

    def retire_unit(self, unit_id: str) -> Roster:
        """Return the roster with this unit retired (kept for past votes)."""
        return replace(self, units=_retire(self.units, unit_id, "unit"))

    def with_service(self, service: Service) -> Roster:
        """Return the roster with service added at the end, or replacing the one with its code."""
        return replace(self, services=_put(self.services, service))

    def retire_service(self, code: str) -> Roster:
        """Return the roster with this service retired (kept for past votes)."""
        return replace(self, services=_retire(self.services, code, "service"))

    def with_tag(self, tag: Tag) -> Roster:
        """Return the roster with tag added at the end, or replacing the one with its code."""
        return replace(self, tags=_put(self.tags, tag))

    def retire_tag(self, code: str) -> Roster:
        """Return the roster with this tag retired (kept for past votes)."""
        return replace(self, tags=_retire(self.tags, code, "tag"))


# --- initials for a card with no photo -----------------------------------------------------

_THAI_CONSONANTS: Final = frozenset(chr(c) for c in range(0x0E01, 0x0E2F))  # ก … ฮ
_THAI_LEADING_VOWELS: Final = frozenset("เแโใไ")
# A title before a Thai given name: นาย, นาง, นางสาว; ranks such as ร้อยตรี, พันตำรวจโท,
# จ่าสิบเอก, optionally after ว่าที่ and before หญิง; and dotted abbreviations (น.ส., ร.ต., ดร.).
_THAI_TITLE = re.compile(
    r"(?:ว่าที่\s*)?"
    r"(?:(?:ร้อย|พันจ่า|พัน|จ่าสิบ|จ่า|สิบ|นาวา|เรือ)(?:ตำรวจ|อากาศ)?(?:ตรี|โท|เอก)"
    r"|นางสาว|นาง|นาย|(?:[ก-ฮ]{1,3}\.)+)"
    r"(?:\s*หญิง)?\s*"
    # A word never starts with a following vowel or a tone mark, so "นายิกา" is a given name,
    # not นาย + "ิกา", and "นางสาวิตรี" is นาง + สาวิตรี.
    r"(?=[ก-ฮเ-ไA-Za-z])"
)
# Titles and ranks as they are written in English ("Acting Sub-Lt", "Pol Capt", "Dr."),
# compared in lower case without a final dot.
_ENGLISH_TITLES: Final = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "acting", "sub-lt", "sub", "lt", "lt-col", "capt"}
    | {"maj", "col", "pol", "sgt", "cpl"}
)


def _strip_thai_titles(name: str) -> str:
    rest = name.strip()
    while match := _THAI_TITLE.match(rest):
        rest = rest[match.end() :]
    return rest


def _thai_initial(name: str) -> str:
    for char in name:
        if char in _THAI_LEADING_VOWELS:
            continue
        return char if char in _THAI_CONSONANTS else ""
    return ""


def _latin_initials(name: str) -> str:
    words = [w for w in name.split() if any(c.isalnum() for c in w)]
    first = 0
    while first < len(words) - 1 and words[first].lower().rstrip(".") in _ENGLISH_TITLES:
        first += 1
    given = words[first:]
    picked = given if len(given) <= 1 else [given[0], given[-1]]
    return "".join(next(c for c in w if c.isalnum()).upper() for w in picked)


def initials(member: StaffMember, lang: str) -> str:
    """Return the letters for a card with no photo, after any title.

    Thai: the first consonant of the given name, leading vowels (เ แ โ ใ ไ) skipped, as Thai
    abbreviations do: "นางสาวกานดา ใจดี" gives "ก", "นายเอกชัย บุญมา" gives "อ".
    English: the first letters of the given and family names, "Ms Kanda Jaidee" gives "KJ".
    With no English name the Thai initial is used, and a name with no Thai letter falls back to
    the English rule.
    """
    if lang == "en" and member.name_en:
        found = _latin_initials(member.name_en)
    else:
        given = _strip_thai_titles(member.name_th)
        found = _thai_initial(given) or _latin_initials(given)
    return found or member.name_th[:1]


# --- storage -------------------------------------------------------------------------------

_STAFF_MEMBERS: Final = {
    "id",
    "name_th",
    "name_en",
    "position_th",
    "position_en",
    "photo",
    "retired",
}
_UNIT_MEMBERS: Final = {"id", "name_th", "name_en", "retired"}
_SERVICE_MEMBERS: Final = {"code", "name_th", "name_en", "retired"}
_TAG_MEMBERS: Final = {"code", "label_th", "label_en", "retired"}
_ROSTER_MEMBERS: Final = {"version", "staff", "units", "services", "tags"}


def _members(obj: object, allowed: set[str], required: set[str], what: str) -> dict[str, Any]:
    if not isinstance(obj, Mapping):
        raise RosterError(f"{what} must be a JSON object")
    missing = required - obj.keys()
    if missing:
        raise RosterError(f"{what} has no {', '.join(sorted(missing))}")
    extra = obj.keys() - allowed
    if extra:
        raise RosterError(f"{what} has unknown member(s): {', '.join(sorted(extra))}")
    return dict(obj)


def _entries(raw: Mapping[str, Any], name: str) -> list[Any]:
    value = raw[name]
    if not isinstance(value, list):
        raise RosterError(f"{name} must be a list")
    return value


def roster_from_json(raw: object) -> Roster:
    """Build a roster from its decoded JSON object, checking everything; raises RosterError."""
    obj = _members(raw, _ROSTER_MEMBERS, _ROSTER_MEMBERS, "the roster")
    version = obj["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise RosterError(f"version must be a whole number from 1, not {version!r}")
    if version > ROSTER_FORMAT_VERSION:
        raise RosterError(
            f"the roster is in format {version}, written by a newer Sangsuk;"
            f" this one reads format {ROSTER_FORMAT_VERSION}"
        )
    staff = [
        StaffMember(**_members(e, _STAFF_MEMBERS, {"id", "name_th"}, f"staff entry {i}"))
        for i, e in enumerate(_entries(obj, "staff"), 1)
    ]
    units = [
        Unit(**_members(e, _UNIT_MEMBERS, {"id", "name_th"}, f"unit entry {i}"))
        for i, e in enumerate(_entries(obj, "units"), 1)
    ]
    services = [
        Service(**_members(e, _SERVICE_MEMBERS, {"code", "name_th"}, f"service entry {i}"))
        for i, e in enumerate(_entries(obj, "services"), 1)
    ]
    tags = [
        Tag(**_members(e, _TAG_MEMBERS, {"code", "label_th"}, f"tag entry {i}"))
        for i, e in enumerate(_entries(obj, "tags"), 1)
    ]
    return Roster(tuple(staff), tuple(units), tuple(services), tuple(tags))


def roster_to_json(roster: Roster) -> dict[str, Any]:
    """Return the roster as the JSON object stored in roster.json."""
    return {
        "version": ROSTER_FORMAT_VERSION,
        "staff": [
            {
                "id": m.id,
                "name_th": m.name_th,
                "name_en": m.name_en,
                "position_th": m.position_th,
                "position_en": m.position_en,
                "photo": m.photo,
                "retired": m.retired,
            }
            for m in roster.staff
        ],
        "units": [
            {"id": u.id, "name_th": u.name_th, "name_en": u.name_en, "retired": u.retired}
            for u in roster.units
        ],
        "services": [
            {"code": s.code, "name_th": s.name_th, "name_en": s.name_en, "retired": s.retired}
            for s in roster.services
        ],
        "tags": [
            {"code": t.code, "label_th": t.label_th, "label_en": t.label_en, "retired": t.retired}
            for t in roster.tags
        ],
    }


def load_roster(data_dir: Path, *, demo: bool) -> Roster:
    """Read roster.json from data_dir; with no file, the demo roster (demo) or an empty one."""
    path = data_dir / ROSTER_FILE_NAME
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return DEMO_ROSTER if demo else Roster()
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
    _check_code(staff_id, "staff id")
    suffix = source.suffix.lower()
    if suffix not in PHOTO_SUFFIXES:
        raise RosterError(f"the photo {source.name!r} must be a .png or .jpg file")
    try:
        with source.open("rb") as f:
            data = f.read(MAX_PHOTO_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"the photo {source} cannot be read: {exc}") from exc
    if len(data) > MAX_PHOTO_BYTES:
        raise RosterError(f"the photo {source.name!r} is larger than {MAX_PHOTO_BYTES} bytes")
    if not data.startswith(_PHOTO_MAGIC[suffix]):
        raise RosterError(f"the photo {source.name!r} is not a {suffix[1:].upper()} image")
    # Named by content: a new photo never overwrites one an older roster still names.
    name = f"{staff_id}-{hashlib.sha256(data).hexdigest()[:16]}{suffix.replace('.jpeg', '.jpg')}"
    folder = data_dir / PHOTOS_DIR_NAME
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / name, data)
    return name


# --- the demo district's roster ------------------------------------------------------------

DEMO_ROSTER: Final = Roster(
    staff=(
        StaffMember(
            "s01",
            "นางสาวกานดา ใจดี",
            "Ms Kanda Jaidee",
            "เจ้าพนักงานปกครอง",
            "Administration Officer",
        ),
        StaffMember(
            "s02", "นายสมชาย รักงาน", "Mr Somchai Rakngan", "ปลัดอำเภอ", "Assistant District Chief"
        ),
        StaffMember(
            "s03", "นางพรทิพย์ ศรีสุข", "Mrs Pornthip Srisuk", "เจ้าพนักงานธุรการ", "Clerical Officer"
        ),
        StaffMember(
            "s04", "นายวีระ มั่นคง", "Mr Weera Mankong", "นายทะเบียนอำเภอ", "District Registrar"
        ),
        StaffMember(
            "s05",
            "นายเอกชัย บุญมา",
            "Mr Ekkachai Boonma",
            "เจ้าพนักงานปกครอง",
            "Administration Officer",
        ),
        StaffMember(
            "s06",
            "ว่าที่ร้อยตรีประเสริฐ แก้วมณี",
            "Acting Sub-Lt Prasert Kaewmanee",
            "ปลัดอำเภอ (ศูนย์ดำรงธรรม)",
            "Assistant District Chief (Damrongdhama Centre)",
        ),
        StaffMember(
            "s07",
            "นางสาวอรุณี ทองดี",
            "Ms Arunee Thongdee",
            "เจ้าพนักงานการเงินและบัญชี",
            "Finance and Accounts Officer",
        ),
        StaffMember(
            "s08",
            "นางสุดารัตน์ แสงทอง",
            "Mrs Sudarat Saengthong",
            "พนักงานบันทึกข้อมูล",
            "Data Entry Clerk",
        ),
        # Transferred to another district: hidden from citizens, kept for the votes about him.
        StaffMember(
            "s09",
            "นายไพโรจน์ ใจกว้าง",
            "Mr Pairoj Jaikwang",
            "ปลัดอำเภอ",
            "Assistant District Chief",
            retired=True,
        ),
    ),
    units=(
        Unit("civil-registration", "งานทะเบียนราษฎร", "Civil Registration"),
        Unit("id-card", "งานบัตรประจำตัวประชาชน", "ID Card Service"),
        Unit("damrongdhama", "ศูนย์ดำรงธรรม", "Damrongdhama Centre"),
        Unit("administration", "งานปกครอง", "Local Administration"),
        Unit("general-registration", "งานทะเบียนทั่วไป", "General Registration"),
        Unit("finance", "งานการเงินและบัญชี", "Finance and Accounts"),
    ),
    services=(
        Service("id-card", "ทำบัตรประชาชน", "ID card"),
        Service("birth", "แจ้งเกิด", "Birth registration"),
        Service("death", "แจ้งตาย", "Death registration"),
        Service("house-registration", "ย้ายที่อยู่/ทะเบียนบ้าน", "Change of address"),
        Service("certificate", "ขอหนังสือรับรอง", "Certificates"),
        Service("marriage", "จดทะเบียนสมรส", "Marriage registration"),
        Service("name-change", "เปลี่ยนชื่อ-ชื่อสกุล", "Change of name"),
        Service("complaint", "ร้องเรียน/ร้องทุกข์", "Complaints"),
        Service("other", "อื่น ๆ", "Other"),
    ),
    tags=(
        Tag("convenient", "สะดวก", "Convenient"),
        Tag("fast", "รวดเร็ว", "Fast"),
        Tag("polite", "เจ้าหน้าที่สุภาพ", "Polite staff"),
        Tag("clear-steps", "ขั้นตอนชัดเจน", "Clear steps"),
        Tag("clean", "สถานที่สะอาด", "Clean place"),
        Tag("good-advice", "ให้คำแนะนำดี", "Good advice"),
        Tag("friendly", "ยิ้มแย้มแจ่มใส", "Friendly and smiling"),
        Tag("short-wait", "รอไม่นาน", "Short wait"),
        Tag("elder-care", "ใส่ใจผู้สูงอายุ", "Caring for the elderly"),
    ),
)

# (Thai title, English title, Thai given name, English given name) and family names, for
# generated staff: fictional, but the kind of names a district office's roster holds.
_GIVEN: Final = (
    ("นาย", "Mr", "ธนากร", "Thanakorn"),
    ("นางสาว", "Ms", "วราภรณ์", "Waraporn"),
    ("นาง", "Mrs", "สมศรี", "Somsri"),
    ("นาย", "Mr", "อนุชา", "Anucha"),
    ("นางสาว", "Ms", "ปิยะนุช", "Piyanuch"),
    ("ว่าที่ร้อยตรี", "Acting Sub-Lt", "ณัฐพล", "Nattapon"),
    ("นาง", "Mrs", "บุษบา", "Busaba"),
    ("นาย", "Mr", "ชัยวัฒน์", "Chaiwat"),
    ("นางสาว", "Ms", "เพ็ญศรี", "Pensri"),
    ("นาย", "Mr", "สุรเชษฐ์", "Surachet"),
    ("นาง", "Mrs", "รัตนา", "Rattana"),
    ("นาย", "Mr", "ไพศาล", "Paisan"),
    ("นางสาว", "Ms", "จิราพร", "Jiraporn"),
    ("นาย", "Mr", "ธีรวัฒน์", "Teerawat"),
    ("นาง", "Mrs", "อำไพ", "Ampai"),
    ("นาย", "Mr", "โกวิท", "Kowit"),
    ("นางสาว", "Ms", "ศิริพร", "Siriporn"),
    ("นาย", "Mr", "บุญเลิศ", "Boonlert"),
    ("นาง", "Mrs", "มาลัย", "Malai"),
    ("นางสาว", "Ms", "แสงเดือน", "Saengduean"),
)
_FAMILY: Final = (
    ("สายทอง", "Saithong"),
    ("พรหมมา", "Promma"),
    ("ศรีวงศ์", "Sriwong"),
    ("คำแก้ว", "Khamkaew"),
    ("บุญเรือง", "Boonruang"),
    ("จันทร์หอม", "Chanhom"),
    ("ทองคำ", "Thongkham"),
    ("วงศ์ใหญ่", "Wongyai"),
    ("สุขสวัสดิ์", "Suksawat"),
    ("อินทร์แก้ว", "Inkaew"),
    ("มีสุข", "Meesuk"),
    ("พันธ์ดี", "Pandee"),
    ("เรืองศรี", "Ruangsri"),
    ("ศรีสมบูรณ์", "Srisomboon"),
    ("แก้วประเสริฐ", "Kaewprasert"),
    ("ชัยมงคล", "Chaimongkol"),
    ("นาคสุข", "Naksuk"),
    ("ประทุมมา", "Prathumma"),
    ("ไชยวงศ์", "Chaiwong"),
    ("บุญประเสริฐ", "Boonprasert"),
    ("ดวงจันทร์", "Duangchan"),
)
_POSITIONS: Final = (
    ("เจ้าพนักงานปกครอง", "Administration Officer"),
    ("ปลัดอำเภอ", "Assistant District Chief"),
    ("เจ้าพนักงานธุรการ", "Clerical Officer"),
    ("พนักงานบันทึกข้อมูล", "Data Entry Clerk"),
    ("เจ้าพนักงานการเงินและบัญชี", "Finance and Accounts Officer"),
    ("นักจัดการงานทั่วไป", "General Administration Officer"),
)


def demo_roster_with_staff(n: int) -> Roster:
    """Return the demo roster with n active staff: the demo's own first, then generated ones."""
    if n < 0:
        raise RosterError(f"a roster cannot have {n} staff")
    staff = list(DEMO_ROSTER.active_staff()[:n])
    for i in range(len(staff), n):
        # 20 given and 21 family names: every (given, family) pair differs for i < 420.
        th_title, en_title, given_th, given_en = _GIVEN[i % len(_GIVEN)]
        family_th, family_en = _FAMILY[i % len(_FAMILY)]
        position_th, position_en = _POSITIONS[i % len(_POSITIONS)]
        staff.append(
            StaffMember(
                f"s{i + 1:02d}",
                f"{th_title}{given_th} {family_th}",
                f"{en_title} {given_en} {family_en}",
                position_th,
                position_en,
            )
        )
    return replace(DEMO_ROSTER, staff=tuple(staff))
