"""Property-based tests of the vote (hypothesis): stable canonical bytes, signatures that break.

* Canonical bytes are stable: a signed vote parsed back gives the same signed bytes and hash,
  however its JSON was spelt (member order, whitespace, ``\\u`` escapes), and they are the
  bytes of the reference RFC 8785 implementation.
* A change to any member of a signed vote, to any value a vote may hold, is refused: the
  signature no longer verifies (or, for ``version``, the reader refuses the format).
* One flipped bit anywhere in a vote's signed bytes is refused.
* Arbitrary bytes into the vote reader give ``VoteError``, never another exception.
* A Thai ID number or phone number anywhere in a story, in its usual spellings and in Thai
  digits, is masked before the vote is signed (promise 8).

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

from kiosk.canonical import canonical_json
from kiosk.clock import format_utc
from kiosk.keys import kiosk_id_for
from kiosk.vote import (
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
_DIGITS = st.sampled_from([*"0123456789-+() .", "\u0301", "\u00a0", "\u3000"])
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

_THAI_DIGIT = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_WORDS = st.text(
    st.sampled_from([chr(c) for c in range(0x0E01, 0x0E2F)] + list(" abcxyzเแโ")), max_size=25
)


@st.composite
def thai_ids(draw: st.DrawFn) -> str:
    """A Thai national ID number with a valid check digit, written in one of its usual ways."""
    digits = [draw(st.integers(1, 8))] + [draw(st.integers(0, 9)) for _ in range(11)]
    check = (11 - sum(d * (13 - k) for k, d in enumerate(digits)) % 11) % 10
    d = "".join(map(str, [*digits, check]))
    return draw(
        st.sampled_from(
            [
                d,
                f"{d[0]}-{d[1:5]}-{d[5:10]}-{d[10:12]}-{d[12]}",
                f"{d[0]} {d[1:5]} {d[5:10]} {d[10:12]} {d[12]}",
            ]
        )
    )


@st.composite
def thai_phones(draw: st.DrawFn) -> str:
    """A Thai mobile or fixed-line number, national or with the country code."""
    if draw(st.booleans()):
        rest = draw(st.sampled_from("689")) + "".join(
            str(draw(st.integers(0, 9))) for _ in range(8)
        )
        forms = [
            f"0{rest}",
            f"0{rest[:2]}-{rest[2:5]}-{rest[5:]}",
            f"+66 {rest[:2]} {rest[2:5]} {rest[5:]}",
        ]
    else:
        rest = draw(st.sampled_from("234567")) + "".join(
            str(draw(st.integers(0, 9))) for _ in range(7)
        )
        forms = [
            f"0{rest}",
            f"0{rest[0]}-{rest[1:4]}-{rest[4:]}",
            f"(0{rest[0]}) {rest[1:4]}-{rest[4:]}",
        ]
    return draw(st.sampled_from(forms))


@FAST
@given(_WORDS, thai_ids() | thai_phones(), _WORDS, st.booleans(), ballots)
def test_a_personal_number_anywhere_in_a_story_never_reaches_the_signed_vote(
    before: str, number: str, after: str, thai_digits: bool, ballot: Ballot
) -> None:
    if thai_digits:
        number = number.translate(_THAI_DIGIT)
    story = f"{before} {number} {after}"
    vote = sign_vote(
        KEY, KIOSK, 1, "2026-11-24T03:00:00.000Z", "0" * 64, replace(ballot, story=story)
    )
    signed = vote.ballot.story
    assert not any(c.isdigit() for c in signed), (story, signed)
    assert signed.count("X") >= sum(c.isdigit() for c in number)
