"""Masking of personal numbers in a citizen's story (promise 8 of the design).

A story is free text typed by an anonymous citizen. Before a vote is signed and stored, two
kinds of personal number are replaced digit by digit with ``X`` (separators are kept, so the
text keeps its shape and length):

* Thai national ID numbers: 13 digits whose last digit is the check digit of the first 12;
* Thai telephone numbers: mobile ``0[689]`` + 8 digits, fixed line ``0[2-7]`` + 7 digits, or
  the same with the country code ``66``/``+66`` in place of the leading 0 (or before it, as
  in ``+66 (0) 81 234 5678``).

There are two rules, both defined exactly in docs/protocol.md (2.6.1 and 2.6.2):

* The **required rule** (``mask_required``): ASCII and Thai digits, groups joined by up to
  three of ``space . - – — ( )``. It is part of the vote format: every signed story is already
  masked by it, and every reader (the kiosk's ledger, the collector, an auditor's verifier)
  checks exactly this. It must never change, so that every vote ever signed stays readable.
* The **kiosk's rule** (``mask_personal_numbers``), applied when a story is signed and when a
  story is shown on a public page. It also reads Arabic-Indic, Lao, Myanmar, Khmer and
  full-width digits and any separator a person types between digit groups (``/ , : _``, runs
  of spaces of any kind, dashes of any kind, full-width punctuation), and it keeps dates
  (``06/10/2566``) and times (``10:30``) and the numbers written against them. It runs the
  required rule too, so what it signs always passes the readers' check.

Both find a number only as whole digit groups, and only up to 13 digits a window, so they take
time linear in the length of the text whatever it holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Final

MASK: Final = "X"
# The longest personal number: an ID number has 13 digits, a phone number at most 12.
_MAX_DIGITS: Final = 13

# Digits: the first code point of each block of ten decimal digits read (value = offset).
_DIGIT_BLOCKS: Final = (
    0x0030,  # ASCII 0-9
    0x0660,  # Arabic-Indic
    0x06F0,  # Extended Arabic-Indic (Persian, Urdu)
    0x0E50,  # Thai, on the Kedmanee keyboard
    0x0ED0,  # Lao
    0x1040,  # Myanmar
    0x17E0,  # Khmer
    0xFF10,  # full-width, from East Asian input methods
)
_TO_ASCII: Final = str.maketrans({chr(b + v): str(v) for b in _DIGIT_BLOCKS for v in range(10)})

# --- the required rule (docs/protocol.md 2.6.1) -------------------------------------------------

# A run of digit groups joined by one to three separators, optionally after a plus sign.
_REQUIRED_RUN: Final = re.compile(r"\+?\(?[0-9๐-๙]+(?:[ .\-\u2013\u2014()]{1,3}[0-9๐-๙]+)*")
_REQUIRED_GROUP: Final = re.compile(r"[0-9๐-๙]+")

# --- the kiosk's rule (docs/protocol.md 2.6.2) ------------------------------------------------

_DIGIT_CLASS: Final = "".join(f"{chr(b)}-{chr(b + 9)}" for b in _DIGIT_BLOCKS)
# Space separators (Unicode category Zs); a run of them counts as one separator.
_SPACE_CLASS: Final = " \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
# Other separators: ASCII - . , / : _ ( ), the hyphens and dashes U+2010-U+2015, the minus
# sign U+2212, and the full-width forms of the ASCII ones.
_MARK_CLASS: Final = r"\-.,/:_()\u2010-\u2015\u2212\uff08\uff09\uff0c\uff0d\uff0e\uff0f\uff1a\uff3f"
# Possessive quantifiers: a run is found without backtracking, in linear time.
_WIDE_RUN: Final = re.compile(
    rf"[{_DIGIT_CLASS}]++(?:(?:[{_SPACE_CLASS}]++|[{_MARK_CLASS}]){{1,3}}[{_DIGIT_CLASS}]++)*+"
)
_WIDE_GROUP: Final = re.compile(rf"[{_DIGIT_CLASS}]+")
_DATE_SEPARATORS: Final = frozenset("/-.\uff0f\uff0d\uff0e")
_TIME_SEPARATORS: Final = frozenset(":.\uff1a\uff0e")

_PHONE_NATIONAL: Final = re.compile(r"0(?:[689][0-9]{8}|[2-7][0-9]{7})")
_PHONE_INTERNATIONAL: Final = re.compile(r"660?(?:[689][0-9]{8}|[2-7][0-9]{7})")


def ascii_digits(text: str) -> str:
    """Return the digits of text as ASCII digits (Thai digits ๐-๙ become 0-9)."""
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())


def is_thai_national_id(digits: str) -> bool:
    """Tell whether 13 ASCII digits form a Thai national ID with a valid check digit."""
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


def is_thai_phone(digits: str) -> bool:
    """Tell whether ASCII digits form a Thai phone number (national or with country code 66)."""
    return (
        _PHONE_NATIONAL.fullmatch(digits) is not None
        or _PHONE_INTERNATIONAL.fullmatch(digits) is not None
    )


def _is_personal(digits: str) -> bool:
    return is_thai_national_id(digits) or is_thai_phone(digits)


def _personal_windows(values: Sequence[str], kept: Sequence[bool]) -> Iterator[tuple[int, int]]:
    """Yield the windows (first group, last group) of a run that are masked, left to right.

    From each group i, the longest window of whole groups that is personal is masked and the
    search goes on after it; if there is none, it goes on from group i + 1. A window holding a
    kept group (of a date or time) is never personal, and one of more than 13 digits cannot be,
    so the search from i stops at either.
    """
    i = 0
    while i < len(values):
        last, digits = -1, ""
        for j in range(i, len(values)):
            digits += values[j]
            if kept[j] or len(digits) > _MAX_DIGITS:
                break
            if _is_personal(digits):
                last = j
        if last < 0:
            i += 1
        else:
            yield i, last
            i = last + 1


def _mask_groups(run: str, group: re.Pattern[str], keep_dates_and_times: bool) -> str:
    spans = [m.span() for m in group.finditer(run)]
    values = [run[a:b].translate(_TO_ASCII) for a, b in spans]
    if keep_dates_and_times:
        gaps = [run[spans[k][1] : spans[k + 1][0]] for k in range(len(spans) - 1)]
        kept = _dates_and_times(values, gaps)
    else:
        kept = [False] * len(values)
    out = list(run)
    for i, j in _personal_windows(values, kept):
        for a, b in spans[i : j + 1]:
            out[a:b] = MASK * (b - a)
    return "".join(out)


def _dates_and_times(values: Sequence[str], gaps: Sequence[str]) -> list[bool]:
    """Mark the groups of a run that form a date (d/m/y) or a time (h:mm); see 2.6.2."""
    n = len(values)
    kept = [False] * n

    def alone(first: int, last: int, sep: str) -> bool:
        # The separator does not also join a group before first or after last.
        return (first == 0 or gaps[first - 1] != sep) and (last == n - 1 or gaps[last] != sep)

    for k in range(n - 1):
        sep = gaps[k]
        if sep in _TIME_SEPARATORS and _is_time(values[k], values[k + 1]) and alone(k, k + 1, sep):
            kept[k] = kept[k + 1] = True
        if (
            k + 2 < n
            and sep in _DATE_SEPARATORS
            and gaps[k + 1] == sep
            and _is_date(values[k], values[k + 1], values[k + 2])
            and alone(k, k + 2, sep)
        ):
            kept[k] = kept[k + 1] = kept[k + 2] = True
    return kept


def _is_time(hour: str, minute: str) -> bool:
    return len(hour) <= 2 and int(hour) <= 23 and len(minute) == 2 and int(minute) <= 59


def _is_date(day: str, month: str, year: str) -> bool:
    return (
        len(day) <= 2
        and 1 <= int(day) <= 31
        and len(month) <= 2
        and 1 <= int(month) <= 12
        and len(year) in (2, 4)
    )


def mask_required(text: str) -> str:
    """Mask personal numbers by the required rule (2.6.1): what every signed story has passed."""
    return _REQUIRED_RUN.sub(lambda m: _mask_groups(m.group(0), _REQUIRED_GROUP, False), text)


def _mask_wide(text: str) -> str:
    return _WIDE_RUN.sub(lambda m: _mask_groups(m.group(0), _WIDE_GROUP, True), text)


def mask_personal_numbers(text: str) -> str:
    """Replace the digits of Thai national ID and phone numbers in text with X (2.6.2).

    The wider rule runs first, so that it sees each number whole; then the required rule,
    which masks a few date-and-number spellings the wider one keeps (so that every reader
    accepts the result); then the wider rule again, for digits that the required rule's
    masks cut off from a date or time. The result is a fixed point of both rules.
    """
    return _mask_wide(mask_required(_mask_wide(text)))
