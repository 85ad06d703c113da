"""Masking of personal numbers in a citizen's story (promise 8 of the design).

A story is free text typed by an anonymous citizen. Before a vote is signed and stored, two
kinds of personal number are replaced digit by digit with ``X`` (separators are kept, so the
text keeps its shape and length):

* Thai national ID numbers: 13 digits whose last digit is the check digit of the first 12,
  written together or grouped with dashes or spaces (``1-2345-67890-12-1``);
* Thai telephone numbers: mobile ``0[689]`` + 8 digits, fixed line ``0[2-7]`` + 7 digits, or
  the same with the country code ``66``/``+66`` in place of the leading 0 (or before it, as
  in ``+66 (0) 81 234 5678``).

Digit groups may be joined by up to three separator characters: spaces, dots, hyphens, en and
em dashes and parentheses, so ``(02) 123-4567`` and ``081–234–5678`` are found. Thai digits
(๐-๙), which the Kedmanee keyboard offers, count as digits. The exact rule is in
docs/protocol.md; it is part of the vote format, because a vote's story must already be in
this masked form for its signature to be accepted.
"""

from __future__ import annotations

import re
import unicodedata

MASK = "X"

# A run of digit groups joined by single separators, optionally after a plus sign. Masking
# looks inside such a run for the longest window of whole groups that is an ID or a phone
# number, so "โทร 081-234-5678 2 ครั้ง" still finds the phone in the middle.
_SEPARATORS = " .\\-\u2013\u2014()"
_RUN = re.compile(rf"\+?\(?[0-9๐-๙]+(?:[{_SEPARATORS}]{{1,3}}[0-9๐-๙]+)*")
_GROUP = re.compile(r"[0-9๐-๙]+")
_PHONE_NATIONAL = re.compile(r"0(?:[689][0-9]{8}|[2-7][0-9]{7})")
_PHONE_INTERNATIONAL = re.compile(r"660?(?:[689][0-9]{8}|[2-7][0-9]{7})")


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


def _mask_span(text: str) -> str:
    return "".join(MASK if ch.isdigit() else ch for ch in text)


def _mask_run(run: str) -> str:
    groups = [(m.start(), m.end()) for m in _GROUP.finditer(run)]
    out = list(run)
    i = 0
    while i < len(groups):
        match_end = -1
        for j in range(len(groups) - 1, i - 1, -1):
            if _is_personal(ascii_digits(run[groups[i][0] : groups[j][1]])):
                match_end = j
                break
        if match_end < 0:
            i += 1
            continue
        start, end = groups[i][0], groups[match_end][1]
        out[start:end] = _mask_span(run[start:end])
        i = match_end + 1
    return "".join(out)


def mask_personal_numbers(text: str) -> str:
    """Replace the digits of Thai national ID and phone numbers in text with X."""
    return _RUN.sub(lambda m: _mask_run(m.group(0)), text)
