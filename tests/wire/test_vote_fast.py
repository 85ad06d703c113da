"""The collector's quick vote reader agrees with the strict one (wire/vote.py).

``vote_from_json_fast`` may only say "the same Vote" or "ask the strict reader": it must never
accept a vote that ``vote_from_json`` refuses, nor read one differently.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.wire.test_vote_properties import (
    FAST,
    KEY,
    KIOSK,
    MEMBER_VALUES,
    json_values,
    signed_votes,
)
from wire.vote import (
    MAX_SEQ,
    Ballot,
    Target,
    Vote,
    VoteError,
    sign_vote,
    vote_from_json,
    vote_from_json_fast,
)


def make_vote() -> Vote:
    """A valid vote that uses every member: a target, a service, tags and a Thai story."""
    ballot = Ballot("3706", 4, Target("staff", "s1"), "id-card", ("fast", "kind"), "ขอบคุณค่ะ")
    return sign_vote(KEY, KIOSK, 7, "2026-11-24T03:15:30.123Z", "ab" * 32, ballot)


def strict(obj: Any) -> Vote | None:
    """The strict reader's answer: the vote, or None when it refuses."""
    try:
        return vote_from_json(obj)
    except VoteError:
        return None


@FAST
@given(signed_votes())
def test_every_valid_vote_is_read_the_same_way(vote: Vote) -> None:
    obj = vote.to_json()
    fast = vote_from_json_fast(obj)
    assert fast is not None
    assert fast == vote_from_json(obj) == vote


@FAST
@given(signed_votes(), st.data())
def test_any_value_in_any_member_is_never_accepted_against_the_strict_reader(
    vote: Vote, data: st.DataObject
) -> None:
    obj = vote.to_json()
    member = data.draw(st.sampled_from(sorted(obj)), label="member")
    choices = [json_values]
    if member in MEMBER_VALUES:
        choices.append(MEMBER_VALUES[member])
    obj[member] = data.draw(st.one_of(*choices), label="value")
    fast = vote_from_json_fast(obj)
    assert fast is None or fast == strict(obj)


# Damage just beside what is allowed, each refused by the strict reader for its own reason.
NEAR_MISSES: list[tuple[str, Any]] = [
    ("version", True),
    ("version", 2),
    ("version", 1.0),
    ("rating", True),
    ("rating", 0),
    ("rating", 6),
    ("rating", 3.0),
    ("seq", 0),
    ("seq", MAX_SEQ + 1),
    ("seq", False),
    ("burst", 0),
    ("burst", None),
    ("kiosk", "A" * 32),
    ("kiosk", "a" * 31),
    ("prev", "F" * 64),
    ("prev", "f" * 63 + "\n"),
    ("sig", "0" * 127),
    ("district", "1001"),  # Bangkok: a khet, not an amphoe
    ("district", "9999"),
    ("district", 3706),
    ("district", "๓๗๐๖"),  # Thai digits
    ("lang", "TH"),
    ("lang", "fr"),
    ("cast_at", "2026-02-30T03:00:00.000Z"),
    ("cast_at", "2026-11-24T03:00:00Z"),
    ("cast_at", "2026-11-24 03:00:00.000Z"),
    ("story", "a\u0000b"),
    ("story", "bidi \u202e"),
    ("story", " padded "),
    ("story", "e\u0301"),  # not NFC
    ("story", "call 0812345678"),  # a phone number not masked
    ("story", "ก" * 501),
    ("story", None),
    ("service", "Bad Code"),
    ("service", ""),
    ("service", 5),
    ("tags", ["b", "a"]),
    ("tags", ["a", "a"]),
    ("tags", [f"t{i:02d}" for i in range(13)]),
    ("tags", ["UPPER"]),
    ("tags", "a"),
    ("tags", [1]),
    ("target", {"kind": "staff"}),
    ("target", {"kind": "Staff", "id": "s1"}),
    ("target", {"kind": "staff", "id": "s 1"}),
    ("target", {"kind": "staff", "id": "s1", "extra": 1}),
    ("target", ["staff", "s1"]),
]


@pytest.mark.parametrize(("member", "value"), NEAR_MISSES)
def test_near_misses_are_left_to_the_strict_reader(member: str, value: Any) -> None:
    obj = make_vote().to_json()
    assert vote_from_json_fast(obj) is not None
    obj[member] = value
    with pytest.raises(VoteError):
        vote_from_json(obj)
    assert vote_from_json_fast(obj) is None


@pytest.mark.parametrize("change", ["drop", "add"])
def test_a_missing_or_unknown_member_is_left_to_the_strict_reader(change: str) -> None:
    obj = make_vote().to_json()
    if change == "drop":
        del obj["story"]
    else:
        obj["note"] = "x"
    with pytest.raises(VoteError):
        vote_from_json(obj)
    assert vote_from_json_fast(obj) is None
    assert vote_from_json_fast([obj]) is None
