"""An index of first letters for a long roster, as phone contacts have: ก ข ค … or A B C ….

A district office with many staff shows its citizens a row of letters above the staff cards;
a tap on a letter shows only the staff whose given name starts with it (the letter on their
card's avatar, kiosk/initials.py). With ``INDEX_ABOVE_STAFF`` active staff or fewer the cards
all fit a swipe or two, and there is no index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from kiosk.initials import index_letter
from kiosk.roster import Roster, StaffMember

INDEX_ABOVE_STAFF: Final = 12  # more active staff than this get an index of first letters

_THAI_CONSONANTS: Final = range(0x0E01, 0x0E2F)  # ก … ฮ: code-point order is dictionary order


@dataclass(frozen=True, slots=True)
class IndexLetter:
    """One letter of the index and the staff found under it, in the roster's order."""

    letter: str
    staff: tuple[StaffMember, ...]

    def ids(self) -> tuple[str, ...]:
        """Return the ids of the staff under this letter."""
        return tuple(member.id for member in self.staff)


def _script(letter: str) -> str:
    """Return "th" for a Thai consonant, "en" for a Latin letter, "" for anything else."""
    if ord(letter) in _THAI_CONSONANTS:
        return "th"
    if "A" <= letter.upper() <= "Z":
        return "en"
    return ""


def letter_order(letter: str, lang: str) -> tuple[int, str]:
    """Return the sort key of a letter: the language's own alphabet first (ก…ฮ or A–Z), then
    the other one (a Thai name with no English one, an English name on a Thai roster), then
    anything else (a name that starts with a digit)."""
    script = _script(letter)
    rank = 0 if script == lang else 1 if script else 2
    return rank, letter


def staff_index(roster: Roster, lang: str) -> tuple[IndexLetter, ...]:
    """Return the index of the roster's active staff in this language ("th" or "en").

    One entry per first letter that occurs, in alphabetical order; the staff under each in the
    order the clerk set. Retired staff are never indexed. Empty when the roster has
    ``INDEX_ABOVE_STAFF`` active staff or fewer: then there is no index to show.
    """
    active = roster.active_staff()
    if len(active) <= INDEX_ABOVE_STAFF:
        return ()
    found: dict[str, list[StaffMember]] = {}
    for member in active:
        found.setdefault(index_letter(member, lang), []).append(member)
    return tuple(
        IndexLetter(letter, tuple(found[letter]))
        for letter in sorted(found, key=lambda letter: letter_order(letter, lang))
    )
