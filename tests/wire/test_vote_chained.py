"""``chained_vote_json_ok``: the batch check's vote check with a known kiosk and prev.

Comparing with the kiosk and prev the batch check knows replaces checking their form; every
other rule is ``vote_json_ok``'s, so it must never accept what that refuses.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.wire.test_vote_properties import FAST, KIOSK, MEMBER_VALUES, json_values, signed_votes
from wire.vote import Vote, chained_vote_json_ok, vote_json_ok


@FAST
@given(signed_votes())
def test_a_valid_vote_passes_with_its_own_kiosk_and_prev(vote: Vote) -> None:
    obj = vote.to_json()
    assert chained_vote_json_ok(obj, None, None)
    assert chained_vote_json_ok(obj, KIOSK, vote.prev)
    assert chained_vote_json_ok(obj, None, vote.prev)
    assert chained_vote_json_ok(obj, KIOSK, None)


@FAST
@given(signed_votes())
def test_another_kiosk_or_prev_fails(vote: Vote) -> None:
    obj = vote.to_json()
    other_prev = ("0" if vote.prev[0] != "0" else "1") + vote.prev[1:]
    other_kiosk = ("0" if KIOSK[0] != "0" else "1") + KIOSK[1:]
    assert not chained_vote_json_ok(obj, KIOSK, other_prev)
    assert not chained_vote_json_ok(obj, other_kiosk, vote.prev)
    assert not chained_vote_json_ok(obj, other_kiosk, None)
    assert not chained_vote_json_ok(obj, None, other_prev)


@FAST
@given(signed_votes(), st.data())
def test_damage_anywhere_is_never_accepted_against_vote_json_ok(
    vote: Vote, data: st.DataObject
) -> None:
    obj: dict[str, Any] = vote.to_json()
    member = data.draw(st.sampled_from(sorted(obj)), label="member")
    choices = [json_values]
    if member in MEMBER_VALUES:
        choices.append(MEMBER_VALUES[member])
    obj[member] = data.draw(st.one_of(*choices), label="value")
    chained = chained_vote_json_ok(obj, KIOSK, vote.prev)
    # The comparison stands in for the form of kiosk and prev; everything else is the same.
    expected = vote_json_ok(obj) and obj["kiosk"] == KIOSK and obj["prev"] == vote.prev
    assert chained == expected
