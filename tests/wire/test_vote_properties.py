"""Property-based tests of the vote (hypothesis): stable canonical bytes, signatures that break.

* Canonical bytes are stable: a signed vote parsed back gives the same signed bytes and hash,
  however its JSON was spelt (member order, whitespace, ``\\u`` escapes), and they are the
  bytes of the reference RFC 8785 implementation.
* A change to any member of a signed vote, to any value a vote may hold, is refused: the
  signature no longer verifies (or, for ``version``, the reader refuses the format).
* One flipped bit anywhere in a vote's signed bytes is refused.
* Arbitrary bytes into the vote reader give ``VoteError``, never another exception.
* A Thai ID number or phone number anywhere in a story, in every spelling the masking rule
  covers (any separator between its groups, digits of any script it reads), is masked before
  the vote is signed (promise 8); dates, times, amounts and queue numbers are kept; what the
  kiosk masks always passes the readers' rule, and masking twice changes nothing.

Example counts are kept moderate (about 100-200 each) so the suite stays fast; the search is
random, so each CI run tries other examples.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from wire.canonical import canonical_json
from wire.clock import format_utc
from wire.keys import kiosk_id_for
from wire.masking import mask_personal_numbers, mask_required
from wire.vote import (
    MAX_SEQ,
    Ballot,
    Target,
    Vote,
    VoteError,
    normalize_story,
    parse_vote,
    sign_vote,
    valid_district,
    vote_from_json,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUBLIC = KEY.public_key()
KIOSK = kiosk_id_for(PUBLIC.public_bytes_raw())
DISTRICTS = ("3706", "4408", "4712", "5014", "6505", "8001", "2104", "3103", "5701")
assert all(valid_district(d) for d in DISTRICTS)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text a citizen could type: anything but control characters, bidi controls and surrogates,
# with Thai, digits and separators weighted in so that masking and NFC reordering happen.
_ANY = st.characters(
    exclude_categories=("Cc", "Cs"),
    exclude_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
)
_THAI = st.sampled_from(
    [chr(c) for c in range(0x0E01, 0x0E3B)] + [chr(c) for c in range(0x0E40, 0x0E5C)]
)
_DIGITS = st.sampled_from(
    [*"0123456789-+() ./,:_๐๕０٨", "\u0301", "\u00a0", "\u3000", "\u2000", "\uff0f"]
)
stories = st.text(st.one_of(_ANY, _THAI, _DIGITS), max_size=60)
codes = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,31}", fullmatch=True)
targets = st.none() | st.builds(Target, st.sampled_from(("staff", "unit")), codes)
timestamps = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
).map(format_utc)
hex64 = st.binary(min_size=32, max_size=32).map(bytes.hex)
seqs = st.integers(min_value=1, max_value=MAX_SEQ)
ballots = st.builds(
    Ballot,
    district=st.sampled_from(DISTRICTS),
    rating=st.integers(1, 5),
    target=targets,
    service=st.none() | codes,
    tags=st.lists(codes, max_size=12, unique=True).map(tuple),
    story=stories,
    lang=st.sampled_from(("th", "en")),
    burst=st.booleans(),
)


@st.composite
def signed_votes(draw: st.DrawFn) -> Vote:
    """A vote signed with the test key, from any ballot a kiosk could be given."""
    return sign_vote(KEY, KIOSK, draw(seqs), draw(timestamps), draw(hex64), draw(ballots))


# The values each member may hold, to change one member of a signed vote into another value
# it could validly hold (so that only the signature can tell).
MEMBER_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "burst": st.booleans(),
    "cast_at": timestamps,
    "district": st.sampled_from(DISTRICTS),
    "kiosk": st.binary(min_size=16, max_size=16).map(bytes.hex),
    "lang": st.sampled_from(("th", "en")),
    "prev": hex64,
    "rating": st.integers(1, 5),
    "seq": seqs,
    "service": st.none() | codes,
    "story": stories.map(normalize_story).filter(lambda s: len(s) <= 500),
    "tags": st.lists(codes, max_size=12, unique=True).map(sorted),
    "target": targets.map(lambda t: t.to_json() if t else None),
    "sig": st.binary(min_size=64, max_size=64).map(bytes.hex),
}


def respell(obj: Any, rng: random.Random) -> Any:
    """The same JSON value with members in another order (spelling is chosen when dumping)."""
    if isinstance(obj, dict):
        items = list(obj.items())
        rng.shuffle(items)
        return {k: respell(v, rng) for k, v in items}
    if isinstance(obj, list):
        return [respell(v, rng) for v in obj]
    return obj


@FAST
@given(
    signed_votes(), st.randoms(use_true_random=False), st.booleans(), st.none() | st.integers(0, 3)
)
def test_canonical_bytes_are_stable_however_the_json_is_spelt(
    vote: Vote, rng: random.Random, ascii_only: bool, indent: int | None
) -> None:
    signed = vote.signed_bytes()
    assert signed == rfc8785.dumps(vote.to_json())
    assert vote.canonical_bytes() == rfc8785.dumps(vote.unsigned_json())
    spelt = json.dumps(respell(json.loads(signed), rng), ensure_ascii=ascii_only, indent=indent)
    again = parse_vote(spelt.encode())
    assert again == vote
    assert again.signed_bytes() == signed
    assert again.hash() == vote.hash()
    assert canonical_json(json.loads(spelt)) == signed
    assert again.verify_signature(PUBLIC)


@FAST
@given(signed_votes(), st.data())
def test_a_change_to_any_member_of_a_vote_is_refused(vote: Vote, data: st.DataObject) -> None:
    assert vote.verify_signature(PUBLIC)
    member = data.draw(st.sampled_from([*MEMBER_VALUES, "version"]), label="member")
    obj = vote.to_json()
    if member == "version":
        obj["version"] = data.draw(st.integers().filter(lambda n: n != 1), label="version")
        with pytest.raises(VoteError) as refused:
            vote_from_json(obj)
        assert refused.value.code == "unsupported_version"
        return
    new = data.draw(MEMBER_VALUES[member], label="value")
    assume(new != obj[member])
    obj[member] = new
    changed = vote_from_json(obj)  # a value it could validly hold: the reader takes it
    assert not changed.verify_signature(PUBLIC)
    assert not changed.verify_signature(PUBLIC, changed.signed_bytes())


@settings(max_examples=100, deadline=None)
@given(signed_votes(), st.data())
def test_one_flipped_bit_anywhere_is_refused(vote: Vote, data: st.DataObject) -> None:
    signed = vote.signed_bytes()
    at = data.draw(st.integers(0, len(signed) - 1), label="byte")
    bit = data.draw(st.integers(0, 7), label="bit")
    flipped = signed[:at] + bytes([signed[at] ^ (1 << bit)]) + signed[at + 1 :]
    try:
        changed = parse_vote(flipped)
    except VoteError:
        return  # refused by the reader
    assert not changed.verify_signature(PUBLIC)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600))
def test_arbitrary_bytes_give_a_vote_error_and_nothing_else(data: bytes) -> None:
    error: VoteError | None = None
    try:
        parse_vote(data)
    except VoteError as exc:
        error = exc
    assert error is None or (error.code and str(error))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(signed_votes(), st.data())
def test_any_json_value_in_any_member_gives_a_vote_error_or_a_failing_signature(
    vote: Vote, data: st.DataObject
) -> None:
    obj = vote.to_json()
    member = data.draw(st.sampled_from(sorted(obj)), label="member")
    new = data.draw(json_values, label="value")
    assume(not (type(new) is type(obj[member]) and new == obj[member]))
    obj[member] = new
    try:
        changed = parse_vote(json.dumps(obj).encode())
    except VoteError:
        return
    assert not changed.verify_signature(PUBLIC)


# --- promise 8: personal numbers never reach a signed vote ----------------------------------

# The digits and separators of docs/protocol.md 2.6.2, written out here from the document.
_DIGIT_ZEROS = (0x30, 0x660, 0x6F0, 0xE50, 0xED0, 0x1040, 0x17E0, 0xFF10)
_SPACES = [" ", "\u00a0", "\u1680", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000"]
_MARKS = [*"-.,/:_()", *map(chr, range(0x2010, 0x2016)), "\u2212", *"（），－．／：＿"]
_WORDS = st.text(
    st.sampled_from([chr(c) for c in range(0x0E01, 0x0E2F)] + list(" abcxyzเแโ")), max_size=25
)
# A gap between two digit groups: one to three separators, a run of spaces counting as one.
_GAPS = st.lists(
    st.text(st.sampled_from(_SPACES), min_size=1, max_size=6) | st.sampled_from(_MARKS),
    min_size=1,
    max_size=3,
).map("".join)


def _digits(draw: st.DrawFn, n: int) -> str:
    return "".join(str(draw(st.integers(0, 9))) for _ in range(n))


@st.composite
def personal_numbers(draw: st.DrawFn) -> tuple[str, list[list[int]]]:
    """ASCII digits of an ID or phone number, with the groupings people write it in."""
    kind = draw(st.sampled_from(["id", "mobile", "fixed", "mobile66", "fixed66"]))
    if kind == "id":
        first = [int(d) for d in _digits(draw, 12)]
        check = (11 - sum(d * (13 - k) for k, d in enumerate(first)) % 11) % 10
        return "".join(map(str, [*first, check])), [[13], [1, 4, 5, 2, 1], [1, 12], [4, 4, 5]]
    if kind.startswith("mobile"):
        rest = draw(st.sampled_from("689")) + _digits(draw, 8)
        if kind == "mobile":
            return "0" + rest, [[10], [3, 3, 4], [3, 7], [2, 4, 4], [2, 8]]
        if draw(st.booleans()):  # +66 (0) 81 234 5678
            return "660" + rest, [[12], [2, 1, 2, 3, 4], [2, 1, 9], [3, 9]]
        return "66" + rest, [[11], [2, 2, 3, 4], [2, 9], [2, 1, 4, 4]]
    rest = draw(st.sampled_from("234567")) + _digits(draw, 7)
    if kind == "fixed":
        return "0" + rest, [[9], [2, 3, 4], [3, 3, 3], [3, 6]]
    if draw(st.booleans()):
        return "660" + rest, [[11], [2, 1, 1, 3, 4], [2, 1, 8]]
    return "66" + rest, [[10], [2, 1, 3, 4], [2, 8]]


@st.composite
def in_any_script(draw: st.DrawFn, digits: str) -> str:
    """The digits in one script, or each in a script of its own."""
    if draw(st.booleans()):
        zero = draw(st.sampled_from(_DIGIT_ZEROS))
        return "".join(chr(zero + int(d)) for d in digits)
    return "".join(chr(draw(st.sampled_from(_DIGIT_ZEROS)) + int(d)) for d in digits)


@st.composite
def spelled_personal_numbers(draw: st.DrawFn) -> str:
    """An ID or phone number in any spelling the masking rule covers.

    Either a usual grouping with any gap between each two groups, or any grouping at all with
    one gap throughout (one digit a group included); a leading "+" before a country code.
    """
    digits, groupings = draw(personal_numbers())
    text = draw(in_any_script(digits))
    if draw(st.booleans()):
        sizes = draw(st.sampled_from([*groupings, [1] * len(digits)]))
        gaps = [draw(_GAPS) for _ in sizes[1:]]
    else:
        cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=len(digits) - 1)))
        sizes = [b - a for a, b in zip([0, *cuts], [*cuts, len(digits)], strict=True)]
        gaps = [draw(_GAPS)] * (len(sizes) - 1)
    groups, at = [], 0
    for size in sizes:
        groups.append(text[at : at + size])
        at += size
    spelled = groups[0] + "".join(gap + group for gap, group in zip(gaps, groups[1:], strict=True))
    plus = draw(st.sampled_from(["+", "＋", ""])) if digits.startswith("66") else ""
    return plus + spelled


@FAST
@given(
    _WORDS,
    st.sampled_from(["", " ", "โทร ", "โทร:", "(", "บัตร ", "เบอร์"]),
    spelled_personal_numbers(),
    st.sampled_from(["", " ", ",", ".", ")", " ค่ะ", "/"]),
    _WORDS,
    ballots,
)
def test_a_personal_number_anywhere_in_a_story_never_reaches_the_signed_vote(
    before: str, lead: str, number: str, trail: str, after: str, ballot: Ballot
) -> None:
    story = f"{before} {lead}{number}{trail} {after}"
    vote = sign_vote(
        KEY, KIOSK, 1, "2026-11-24T03:00:00.000Z", "0" * 64, replace(ballot, story=story)
    )
    signed = vote.ballot.story
    assert not any(c.isdecimal() for c in signed), (story, signed)
    assert signed.count("X") >= sum(c.isdecimal() for c in number)
    assert parse_vote(vote.signed_bytes()) == vote  # and every reader accepts it


@st.composite
def ordinary_numbers(draw: st.DrawFn) -> str:
    """A date, time, amount, queue number, year or count, alone or as people combine them."""

    def number(low: int, high: int, width: int = 1) -> str:
        return str(draw(st.integers(low, high))).zfill(draw(st.integers(width, 2)))

    def date(seps: str) -> str:
        sep = draw(st.sampled_from(seps))
        year = draw(st.sampled_from([f"{draw(st.integers(0, 99)):02d}", number(1900, 2699)]))
        return sep.join([number(1, 31), number(1, 12), year])

    def time(seps: str = ":.：．") -> str:
        return number(0, 23) + draw(st.sampled_from(seps)) + f"{draw(st.integers(0, 59)):02d}"

    amount = f"{draw(st.integers(1, 9_999_999)):,}" + draw(
        st.sampled_from(["", f".{draw(st.integers(0, 99)):02d}"])
    )
    text = draw(
        st.sampled_from(
            [
                date("/-.／－．"),
                time(),
                amount,
                f"A{draw(st.integers(0, 999)):03d}",
                str(draw(st.integers(0, 9999))),
                f"{date('/／')} {time()}",  # 06/10/2566 10:30
                f"{date('/／')} {draw(st.integers(1, 99))}",  # 05/11/2566 3 (ครั้ง)
                f"{time()}{draw(st.sampled_from(['-', ' - ', '–']))}{time()}",  # 08.30-16.30
                " ".join(time(":：") for _ in range(draw(st.integers(2, 4)))),
            ]
        )
    )
    zero = draw(st.sampled_from(_DIGIT_ZEROS))
    return "".join(chr(zero + int(c)) if c.isdigit() else c for c in text)


@FAST
@given(st.lists(st.tuples(_WORDS, ordinary_numbers()), min_size=1, max_size=4), _WORDS)
def test_dates_times_amounts_and_queue_numbers_are_kept(
    parts: list[tuple[str, str]], end: str
) -> None:
    story = "".join(f"{words} คือ {number} " for words, number in parts) + end
    assert mask_personal_numbers(story) == story


_MASKABLE = st.text(
    st.one_of(
        st.sampled_from([*"0123456789", *"0123456789", "๐", "๘", "６", "٨", "໙"]),
        st.sampled_from(_SPACES + _MARKS + ["+", "ก", "x"]),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(_MASKABLE | st.builds("{} {}".format, _MASKABLE, spelled_personal_numbers()))
def test_the_kiosks_masking_passes_the_readers_rule_and_is_stable(text: str) -> None:
    masked = mask_personal_numbers(text)
    assert len(masked) == len(text)
    assert mask_required(masked) == masked  # every reader's check (2.6.1) accepts it
    assert mask_personal_numbers(masked) == masked
    assert all(a == b or (a.isdecimal() and b == "X") for a, b in zip(text, masked, strict=True))
