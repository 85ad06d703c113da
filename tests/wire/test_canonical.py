"""The fast canonical form is byte-for-byte RFC 8785, checked against the rfc8785 package."""

import json

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from wire.canonical import canonical_json

# Any text, including Thai, emoji, control characters and astral-plane characters (but no lone
# surrogates, which are not text and which both implementations refuse).
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
ints = st.integers(min_value=-(2**53) - 2, max_value=2**53 + 2)
scalars = st.none() | st.booleans() | ints | text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300)
@given(json_values)
def test_same_bytes_as_the_reference_implementation(value):
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.IntegerDomainError:
        with pytest.raises(rfc8785.IntegerDomainError):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


@given(st.dictionaries(st.text(st.characters(codec="ascii"), max_size=8), text, max_size=8))
def test_vote_like_objects_take_the_fast_path_and_agree(value):
    assert canonical_json(value) == rfc8785.dumps(value)
    assert json.loads(canonical_json(value)) == value


@pytest.mark.parametrize(
    "value",
    [
        {"a": 1.5},  # floats go to the reference implementation
        {"é": 1, "z": 2, "\U0001f600": 3, "\uffff": 4},  # non-ASCII keys: UTF-16 ordering
        {"big": 2**60},  # beyond 2**53: the reference decides
    ],
)
def test_other_shapes_fall_back_to_the_reference(value):
    try:
        expected = rfc8785.dumps(value)
    except Exception as exc:  # the reference refuses it: so must we
        with pytest.raises(type(exc)):
            canonical_json(value)
    else:
        assert canonical_json(value) == expected


def test_control_characters_escape_as_rfc8785_says():
    assert canonical_json({"s": "a\x01\n\t\x7f\u2028"}) == b'{"s":"a\\u0001\\n\\t\x7f\xe2\x80\xa8"}'


vote_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=200)
@given(
    seq=st.integers(min_value=-(2**54), max_value=2**54),
    rating=st.integers(min_value=-10, max_value=10),
    story=vote_text,
    tags=st.lists(vote_text, max_size=4),
    service=st.none() | vote_text,
)
def test_a_votes_bytes_are_rfc8785_whatever_its_content(seq, rating, story, tags, service):
    """Even an unvalidated vote serialises as RFC 8785 (or is refused as the reference does)."""
    from wire.vote import Ballot, Target, Vote

    vote = Vote(
        kiosk="k" * 32,
        seq=seq,
        cast_at="2026-11-24T03:00:00.000Z",
        prev="0" * 64,
        ballot=Ballot("3706", rating, Target("staff", story), service, tuple(tags), story),
        sig="ab" * 64,
    )
    for build, obj in (
        (vote.canonical_bytes, vote.unsigned_json()),
        (vote.signed_bytes, vote.to_json()),
    ):
        try:
            expected = rfc8785.dumps(obj)
        except rfc8785.CanonicalizationError:
            with pytest.raises(rfc8785.CanonicalizationError):
                build()
        else:
            assert build() == expected
