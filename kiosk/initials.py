"""Initials for a staff card with no photo: the letters a Thai or English reader expects.

Thai names start with a title (นาย, นางสาว, ranks such as ร้อยตรี) and may start with a
leading vowel (เ แ โ ใ ไ) written before the consonant it follows in speech; English names
give the first letters of the given and family names.
"""

from __future__ import annotations

import re
from typing import Final

from kiosk.roster import StaffMember

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


def index_letter(member: StaffMember, lang: str) -> str:
    """Return the one letter a staff member is found under in an index of first letters.

    It is the first of the card's initials (``initials``): the first consonant of the Thai given
    name after its titles and leading vowels, or the first letter of the English given name.
    """
    return initials(member, lang)[:1]
