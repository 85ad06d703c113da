"""The roster's entries and rules: staff, units, services, impression and concern tags.

What an entry may hold (the checks), its key and names, retiring, the ``Roster`` that holds
every kind and its limits, and the defaults of a new kiosk. Reading and writing roster.json
and the photos are kiosk/roster/storage.py; ``kiosk.roster`` offers both under one name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar, Final, Literal, Self, TypeVar

from wire.vote import CODE_PATTERN, FORBIDDEN_CHARS, MAX_TAGS, Target

PHOTOS_DIR_NAME: Final = "photos"
MAX_ACTIVE_STAFF: Final = 200
MAX_ACTIVE_UNITS: Final = 40
MAX_ACTIVE_SERVICES: Final = 40
# A citizen may tick every quick-pick tag of the list offered, and a vote carries at most
# MAX_TAGS of them; the citizen is offered one list, so each list may hold that many.
MAX_ACTIVE_TAGS: Final = MAX_TAGS
MAX_ACTIVE_CONCERNS: Final = MAX_TAGS
MAX_ENTRIES: Final = 1000  # per kind, retired ones included: keeps the file small
MAX_TEXT_CHARS: Final = 100
PHOTO_SUFFIXES: Final = (".png", ".jpg", ".jpeg")
_PHOTO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")

Kind = Literal["staff", "unit", "service", "tag", "concern"]


class RosterError(Exception):
    """The roster, or an entry in it, cannot be used; its file is left as it is.

    ``code`` says why in a word the clerk's screen puts in theirs (ui/clerk/text.py
    ``roster_error``): empty, control_char, too_long, too_many, duplicate_staff (the same name
    and position as another staff member shown), duplicate (the same Thai name), photo_type,
    photo_unreadable, photo_too_large, photo_not_image, or invalid (anything else); the
    message is for the log.
    """

    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code


# --- entries -------------------------------------------------------------------------------


def check_code(value: object, what: str) -> None:
    """Raise RosterError unless value is a code or id as votes carry them (wire/vote.py)."""
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        raise RosterError(
            f"{what} {value!r} must be 1-32 of a-z, 0-9, '_' or '-', starting with a letter or digit"
        )


def _check_text(value: object, what: str, *, required: bool) -> None:
    if not isinstance(value, str):
        raise RosterError(f"{what} must be text, not {value!r}")
    if required and not value:
        raise RosterError(f"{what} must not be empty", "empty")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise RosterError(f"{what} contains characters that are not valid text") from None
    bad = FORBIDDEN_CHARS.search(value)
    if bad:
        bad_char = f"U+{ord(bad.group()):04X}"
        raise RosterError(f"{what} contains the control character {bad_char}", "control_char")
    if value != value.strip():
        raise RosterError(f"{what} {value!r} must not begin or end with spaces")
    if not unicodedata.is_normalized("NFC", value):
        raise RosterError(f"{what} {value!r} is not in Unicode normal form (NFC)")
    if len(value) > MAX_TEXT_CHARS:
        raise RosterError(
            f"{what} has {len(value)} characters; at most {MAX_TEXT_CHARS}", "too_long"
        )


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
    """Return text as the roster stores it: invisible format characters (zero-width space,
    joiners, BOM, direction marks: category Cf, none of which Thai needs) left out, NFC, inner
    runs of spaces made one, trimmed. Text of only such characters comes out empty."""
    seen = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(unicodedata.normalize("NFC", seen).split())


def json_members(obj: object, allowed: set[str], required: set[str], what: str) -> dict[str, Any]:
    """Return a JSON object's members; RosterError if one required is missing or one unknown."""
    if not isinstance(obj, Mapping):
        raise RosterError(f"{what} must be a JSON object")
    missing = required - obj.keys()
    if missing:
        raise RosterError(f"{what} has no {', '.join(sorted(missing))}")
    extra = obj.keys() - allowed
    if extra:
        raise RosterError(f"{what} has unknown member(s): {', '.join(sorted(extra))}")
    return dict(obj)


class Entry:
    """What every kind of roster entry shares: its checks, its key, retiring, names and JSON.

    Each kind is a frozen dataclass whose fields, in order, are its JSON members in roster.json:
    the key (``KEY``, "id" or "code"), the Thai and English name (``NAME``), any others, and
    ``retired`` last. Every field holds text, except ``photo`` (a file name or None) and
    ``retired``.
    """

    __slots__ = ()
    __dataclass_fields__: ClassVar[dict[str, Any]]  # each kind is a dataclass
    KIND: ClassVar[Kind]  # how errors name the kind: "staff entry 3", "the unit list"
    NOUN: ClassVar[str]  # how a clerk calls one: "staff member", "unit" …
    KEY: ClassVar[str]
    NAME: ClassVar[tuple[str, str]]
    SAME: ClassVar[tuple[str, ...]] = ()  # what two shown must differ in (): the Thai name
    ID_PREFIX: ClassVar[str]  # of ids new_id picks: "s09"
    retired: bool

    def __post_init__(self) -> None:
        """Check every field: bad values raise RosterError naming the entry and the field."""
        check_code(self.key, f"{self.KIND} {self.KEY}")
        what = f"{self.KIND} {self.key}"
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name == "photo":
                _check_photo(value, what)
            elif field.name == "retired":
                _check_retired(value, what)
            elif field.name != self.KEY:
                _check_text(value, f"{what} {field.name}", required=field.name == self.NAME[0])

    @property
    def key(self) -> str:
        """Return the id or code votes name this entry by."""
        key: str = getattr(self, self.KEY)
        return key

    def looks(self) -> tuple[str, ...]:
        """What a citizen tells this entry from the others by (spaces and case aside)."""
        names = self.SAME or self.NAME[:1]
        return tuple(clean_text(getattr(self, name)).casefold() for name in names)

    def as_retired(self) -> Self:
        """Return this entry retired."""
        return replace(self, retired=True)

    def display_name(self, lang: str) -> str:
        """Return the name in lang ("en" or "th"; Thai when there is no English name)."""
        return _pick(lang, getattr(self, self.NAME[0]), getattr(self, self.NAME[1]))

    def to_json(self) -> dict[str, Any]:
        """Return the entry as its JSON object in roster.json, members in field order."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @classmethod
    def from_json(cls, obj: object, what: str) -> Self:
        """Build an entry from its JSON object, checking everything; what names it in errors."""
        allowed = {field.name for field in fields(cls)}
        return cls(**json_members(obj, allowed, {cls.KEY, cls.NAME[0]}, what))


@dataclass(frozen=True, slots=True)
class StaffMember(Entry):
    """A person who serves citizens; English name and positions may be empty (Thai is shown)."""

    KIND = "staff"
    NOUN = "staff member"
    KEY = "id"
    NAME = ("name_th", "name_en")
    SAME = ("name_th", "position_th")
    ID_PREFIX = "s"

    id: str
    name_th: str
    name_en: str = ""
    position_th: str = ""
    position_en: str = ""
    photo: str | None = None  # a file name in the data folder's photos/, or None
    retired: bool = False

    def display_position(self, lang: str) -> str:
        """Return the position in lang (Thai when there is no English one); may be empty."""
        return _pick(lang, self.position_th, self.position_en)


@dataclass(frozen=True, slots=True)
class Unit(Entry):
    """A unit of the district office (งาน, ศูนย์) that a citizen can name instead of a person."""

    KIND = "unit"
    NOUN = "unit"
    KEY = "id"
    NAME = ("name_th", "name_en")
    ID_PREFIX = "u"

    id: str
    name_th: str
    name_en: str = ""
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Service(Entry):
    """A service citizens come for (ทำบัตรประชาชน, แจ้งเกิด …)."""

    KIND = "service"
    NOUN = "service"
    KEY = "code"
    NAME = ("name_th", "name_en")
    ID_PREFIX = "sv"

    code: str
    name_th: str
    name_en: str = ""
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Tag(Entry):
    """A quick-pick impression tag (สะดวก, รวดเร็ว …), offered after a rating of 3 to 5."""

    KIND = "tag"
    NOUN = "tag"
    KEY = "code"
    NAME = ("label_th", "label_en")
    ID_PREFIX = "t"

    code: str
    label_th: str
    label_en: str = ""
    retired: bool = False


@dataclass(frozen=True, slots=True)
class Concern(Entry):
    """A quick-pick concern tag (รอนาน, ข้อมูลไม่ชัดเจน …), offered after a rating of 1 or 2."""

    KIND = "concern"
    NOUN = "concern tag"
    KEY = "code"
    NAME = ("label_th", "label_en")
    ID_PREFIX = "c"

    code: str
    label_th: str
    label_en: str = ""
    retired: bool = False


# What could be better at a district office, for a roster file from before concern tags.
DEFAULT_CONCERNS: Final = (
    Concern("long-wait", "รอนาน", "Long wait"),
    Concern("impolite", "เจ้าหน้าที่ไม่สุภาพ", "Impolite staff"),
    Concern("unclear-info", "ข้อมูลไม่ชัดเจน", "Unclear information"),
    Concern("paperwork", "เอกสารยุ่งยาก", "Too much paperwork"),
    Concern("sent-around", "ส่งต่อหลายจุด", "Sent from desk to desk"),
    Concern("come-back", "ต้องมาหลายครั้ง", "Had to come back again"),
    Concern("unfair-queue", "คิวไม่เป็นธรรม", "Unfair queue"),
)

# What pleases people at a district office: the impression tags a new kiosk offers until the
# clerk changes them (the demo offers the same). A new kiosk offers DEFAULT_CONCERNS too.
DEFAULT_TAGS: Final = (
    Tag("convenient", "สะดวก", "Convenient"),
    Tag("fast", "รวดเร็ว", "Fast"),
    Tag("polite", "เจ้าหน้าที่สุภาพ", "Polite staff"),
    Tag("clear-steps", "ขั้นตอนชัดเจน", "Clear steps"),
    Tag("clean", "สถานที่สะอาด", "Clean place"),
    Tag("good-advice", "ให้คำแนะนำดี", "Good advice"),
    Tag("friendly", "ยิ้มแย้มแจ่มใส", "Friendly and smiling"),
    Tag("short-wait", "รอไม่นาน", "Short wait"),
    Tag("elder-care", "ใส่ใจผู้สูงอายุ", "Caring for the elderly"),
)

_KINDS: Final[dict[Kind, type[Entry]]] = {
    "staff": StaffMember,
    "unit": Unit,
    "service": Service,
    "tag": Tag,
    "concern": Concern,
}
_E = TypeVar("_E", bound=Entry)


def _check_entries(entries: tuple[_E, ...], cls: type[_E], max_active: int) -> None:
    what = cls.KIND
    if not isinstance(entries, tuple) or not all(isinstance(e, cls) for e in entries):
        raise RosterError(f"the {what} list must be a tuple of {cls.__name__}")
    if len(entries) > MAX_ENTRIES:
        raise RosterError(
            f"at most {MAX_ENTRIES} {what} entries, retired ones included", "too_many"
        )
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            raise RosterError(f"the {what} {cls.KEY} {entry.key!r} appears twice")
        seen.add(entry.key)
    active = sum(not e.retired for e in entries)
    if active > max_active:
        raise RosterError(f"at most {max_active} active {what} entries, not {active}", "too_many")


def _put(entries: tuple[_E, ...], entry: _E) -> tuple[_E, ...]:
    looks = entry.looks()
    if not entry.retired and any(
        e.key != entry.key and not e.retired and e.looks() == looks for e in entries
    ):  # citizens would see two cards alike
        name = entry.display_name("th")
        code = "duplicate_staff" if entry.KIND == "staff" else "duplicate"
        raise RosterError(f"a {entry.NOUN} {name!r} like this one is already shown", code)
    if any(e.key == entry.key for e in entries):
        return tuple(entry if e.key == entry.key else e for e in entries)
    return (*entries, entry)


def _retire(entries: tuple[_E, ...], key: str, cls: type[_E]) -> tuple[_E, ...]:
    if not any(e.key == key for e in entries):
        raise RosterError(f"there is no {cls.NOUN} with {cls.KEY} {key!r}")
    return tuple(e.as_retired() if e.key == key else e for e in entries)


def _find(entries: tuple[_E, ...], key: str) -> _E | None:
    return next((e for e in entries if e.key == key), None)


def _active(entries: tuple[_E, ...]) -> tuple[_E, ...]:
    return tuple(e for e in entries if not e.retired)


# --- the roster ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Roster:
    """Staff, units, services, tags and concern tags, in display order, retired ones included."""

    staff: tuple[StaffMember, ...] = ()
    units: tuple[Unit, ...] = ()
    services: tuple[Service, ...] = ()
    tags: tuple[Tag, ...] = ()
    concerns: tuple[Concern, ...] = ()

    def __post_init__(self) -> None:
        _check_entries(self.staff, StaffMember, MAX_ACTIVE_STAFF)
        _check_entries(self.units, Unit, MAX_ACTIVE_UNITS)
        _check_entries(self.services, Service, MAX_ACTIVE_SERVICES)
        _check_entries(self.tags, Tag, MAX_ACTIVE_TAGS)
        _check_entries(self.concerns, Concern, MAX_ACTIVE_CONCERNS)
        # A vote carries both kinds in one list of codes: a code must say which tag it is.
        both = sorted({t.code for t in self.tags} & {c.code for c in self.concerns})
        if both:
            raise RosterError(
                f"the code {both[0]!r} names both an impression tag and a concern tag;"
                " a tag code must be used once across both lists"
            )

    # What the citizen screens show.

    def active_staff(self) -> tuple[StaffMember, ...]:
        """Return the staff who are not retired, in display order."""
        return _active(self.staff)

    def active_units(self) -> tuple[Unit, ...]:
        """Return the units that are not retired, in display order."""
        return _active(self.units)

    def active_services(self) -> tuple[Service, ...]:
        """Return the services that are not retired, in display order."""
        return _active(self.services)

    def active_tags(self) -> tuple[Tag, ...]:
        """Return the impression tags that are not retired, in display order."""
        return _active(self.tags)

    def active_concerns(self) -> tuple[Concern, ...]:
        """Return the concern tags that are not retired, in display order."""
        return _active(self.concerns)

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

    def tag_by_code(self, code: str) -> Tag | Concern | None:
        """Return the impression or concern tag with this code (a vote's tag), retired or not."""
        return _find(self.tags, code) or _find(self.concerns, code)

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
        entries: tuple[Entry, ...] = {
            "staff": self.staff,
            "unit": self.units,
            "service": self.services,
            "tag": self.tags + self.concerns,  # one code names one tag across both lists
            "concern": self.tags + self.concerns,
        }[kind]
        prefix = _KINDS[kind].ID_PREFIX
        pattern = re.compile(re.escape(prefix) + r"([0-9]+)")
        numbers = [int(m.group(1)) for e in entries if (m := pattern.fullmatch(e.key))]
        return f"{prefix}{max(numbers, default=0) + 1:02d}"

    def with_staff(self, member: StaffMember) -> Roster:
        """Return the roster with member added at the end, or replacing the one with its id."""
        return replace(self, staff=_put(self.staff, member))

    def retire_staff(self, staff_id: str) -> Roster:
        """Return the roster with this staff member retired (kept for past votes)."""
        return replace(self, staff=_retire(self.staff, staff_id, StaffMember))

    def with_unit(self, unit: Unit) -> Roster:
        """Return the roster with unit added at the end, or replacing the one with its id."""
        return replace(self, units=_put(self.units, unit))

    def retire_unit(self, unit_id: str) -> Roster:
        """Return the roster with this unit retired (kept for past votes)."""
        return replace(self, units=_retire(self.units, unit_id, Unit))

    def with_service(self, service: Service) -> Roster:
        """Return the roster with service added at the end, or replacing the one with its code."""
        return replace(self, services=_put(self.services, service))

    def retire_service(self, code: str) -> Roster:
        """Return the roster with this service retired (kept for past votes)."""
        return replace(self, services=_retire(self.services, code, Service))

    def with_tag(self, tag: Tag) -> Roster:
        """Return the roster with tag added at the end, or replacing the one with its code."""
        return replace(self, tags=_put(self.tags, tag))

    def retire_tag(self, code: str) -> Roster:
        """Return the roster with this tag retired (kept for past votes)."""
        return replace(self, tags=_retire(self.tags, code, Tag))

    def with_concern(self, concern: Concern) -> Roster:
        """Return the roster with concern added at the end, or replacing the one with its code."""
        return replace(self, concerns=_put(self.concerns, concern))

    def retire_concern(self, code: str) -> Roster:
        """Return the roster with this concern tag retired (kept for past votes)."""
        return replace(self, concerns=_retire(self.concerns, code, Concern))


# A kiosk a clerk has just set up: no staff, units or services yet, but tags to pick, so that
# the citizen's last question is never an empty one. Saved with the clerk's first change.
NEW_KIOSK_ROSTER: Final = Roster(tags=DEFAULT_TAGS, concerns=DEFAULT_CONCERNS)
