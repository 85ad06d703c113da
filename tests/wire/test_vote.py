"""The vote record: normalisation, validation with clear errors, canonical bytes, signatures."""

import json
import sys
import unicodedata

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.keys import kiosk_id_for
from wire.vote import (
    STORY_MAX_CHARS,
    VOTE_DOMAIN,
    Ballot,
    Target,
    VoteError,
    genesis_prev,
    parse_vote,
    sign_vote,
    valid_district,
)

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
PUB = KEY.public_key()
PUB_RAW = PUB.public_bytes_raw()
KIOSK = kiosk_id_for(PUB_RAW)
WHEN = "2026-11-24T03:15:30.123Z"


def signed(ballot: Ballot, seq: int = 1, prev: str | None = None):
    return sign_vote(KEY, KIOSK, seq, WHEN, prev or genesis_prev(PUB_RAW), ballot)


def test_signed_vote_round_trips_and_verifies():
    vote = signed(Ballot("3706", 5, Target("staff", "s01"), "id-card", ("polite", "fast"), "ดีมาก"))
    assert vote.verify_signature(PUB)
    again = parse_vote(vote.signed_bytes())
    assert again == vote
    assert again.ballot.tags == ("fast", "polite")  # stored sorted


def test_canonical_bytes_are_jcs_without_sig_and_signature_covers_domain():
    vote = signed(Ballot("3706", 4, story="ขอบคุณ"))
    obj = json.loads(vote.signed_bytes())
    assert obj["sig"] == vote.sig
    del obj["sig"]
    assert vote.canonical_bytes() == rfc8785.dumps(obj)
    PUB.verify(bytes.fromhex(vote.sig), VOTE_DOMAIN + vote.canonical_bytes())


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("rating", 1),
        ("district", "4408"),
        ("story", "แก้ไขแล้ว"),
        ("seq", 2),
        ("cast_at", "2026-11-24T03:15:31.123Z"),
        ("target", {"id": "s02", "kind": "staff"}),
        ("tags", ["clean"]),
        ("lang", "en"),
        ("burst", True),
        ("kiosk", "0" * 32),
        ("prev", "0" * 64),
        ("service", "complaint"),
    ],
)
def test_changing_any_member_breaks_the_signature(member, value):
    vote = signed(Ballot("3706", 5, Target("staff", "s01"), "id-card", ("fast",), "ดีมาก"))
    obj = json.loads(vote.signed_bytes())
    obj[member] = value
    tampered = parse_vote(json.dumps(obj, ensure_ascii=False).encode())
    assert not tampered.verify_signature(PUB)


@pytest.mark.parametrize(
    ("ballot", "code"),
    [
        (Ballot("3706", 0), "bad_rating"),
        (Ballot("3706", 6), "bad_rating"),
        (Ballot("3706", True), "bad_rating"),
        (Ballot("9999", 5), "unknown_district"),
        (Ballot("1001", 5), "unknown_district"),  # a Bangkok khet is not an amphoe office
        (Ballot("37O6", 5), "unknown_district"),
        (Ballot("3706", 5, story="ก" * (STORY_MAX_CHARS + 1)), "story_too_long"),
        (Ballot("3706", 5, story="สวัสดี\x07"), "control_character"),
        (Ballot("3706", 5, story="ab\u202ecd"), "control_character"),
        (Ballot("3706", 5, story="bad \udcff text"), "bad_text"),
        (Ballot("3706", 5, Target("boss", "s01")), "bad_target"),
        (Ballot("3706", 5, Target("staff", "S 01")), "bad_target"),
        (Ballot("3706", 5, tags=("fast", "fast")), "bad_tags"),
        (Ballot("3706", 5, tags=tuple(f"t{i}" for i in range(13))), "bad_tags"),
        (Ballot("3706", 5, service="ทำบัตร"), "bad_service"),
        (Ballot("3706", 5, lang="fr"), "bad_lang"),
    ],
)
def test_bad_ballots_are_refused_with_a_clear_reason(ballot, code):
    with pytest.raises(VoteError) as info:
        signed(ballot)
    assert info.value.code == code
    assert str(info.value)  # a message a person can read


def test_story_length_is_counted_after_nfc():
    # "e" + a combining acute accent is two code points, one character after NFC.
    decomposed = "e\u0301" * STORY_MAX_CHARS
    assert len(decomposed) == 2 * STORY_MAX_CHARS
    vote = signed(Ballot("3706", 5, story=decomposed))
    assert vote.ballot.story == unicodedata.normalize("NFC", decomposed)
    assert len(vote.ballot.story) == STORY_MAX_CHARS


def test_story_is_masked_and_trimmed_before_signing():
    vote = signed(Ballot("3706", 5, story="  ติดต่อ 081-234-5678 ได้ค่ะ  "))
    assert vote.ballot.story == "ติดต่อ XXX-XXX-XXXX ได้ค่ะ"
    assert "081" not in vote.signed_bytes().decode()


def test_district_rule():
    assert valid_district("3706")
    assert valid_district("4712")
    assert not valid_district("1001")
    assert not valid_district("370")


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe{}", "bad_utf8"),
        (b"{not json", "bad_json"),
        (b"[]", "bad_json"),
        (b'{"a": 1, "a": 2}', "duplicate_key"),
        (b'{"rating": 5.0}', "bad_number"),
        (b'{"rating": NaN}', "bad_number"),
        (b"[" * 100_000, "bad_json"),
    ],
)
def test_malformed_bytes_give_a_clean_error(data, code):
    with pytest.raises(VoteError) as info:
        parse_vote(data)
    assert info.value.code == code


def _mutated(**changes):
    obj = json.loads(signed(Ballot("3706", 5, story="ดี")).signed_bytes())
    obj.update(changes)
    return json.dumps(obj, ensure_ascii=False).encode()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"version": 2}, "unsupported_version"),
        ({"extra": 1}, "unknown_member"),
        ({"rating": "5"}, "bad_rating"),
        ({"rating": True}, "bad_rating"),
        ({"seq": 0}, "bad_seq"),
        ({"seq": 2**53}, "bad_seq"),
        ({"story": "e\u0301"}, "story_not_normal"),
        ({"story": "โทร 0812345678"}, "story_not_normal"),
        ({"tags": ["polite", "fast"]}, "tags_not_sorted"),
        ({"cast_at": "24/11/2026"}, "bad_cast_at"),
        ({"sig": "zz"}, "bad_sig"),
        ({"burst": 0}, "bad_burst"),
    ],
)
def test_signed_votes_that_break_the_format_are_refused(changes, code):
    with pytest.raises(VoteError) as info:
        parse_vote(_mutated(**changes))
    assert info.value.code == code


def test_missing_member_is_named():
    obj = json.loads(signed(Ballot("3706", 5)).signed_bytes())
    del obj["lang"]
    with pytest.raises(VoteError, match="lang"):
        parse_vote(json.dumps(obj).encode())


def test_a_masked_digit_followed_by_a_combining_mark_still_gives_a_readable_vote():
    vote = signed(Ballot("3706", 5, story="โทร 0812345678\u0307"))
    assert parse_vote(vote.signed_bytes()) == vote


@pytest.mark.parametrize("interpreter_limit", [0, 4300, 10_000])
def test_integers_of_up_to_4300_digits_are_read_and_longer_ones_refused(interpreter_limit):
    """The limit is the protocol's (2.2), not the interpreter's own setting (at least 4300)."""
    before = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        longest, longer = _mutated(seq=10**4299), _mutated(seq=10**4300)  # 4300, 4301 digits
        sys.set_int_max_str_digits(interpreter_limit)
        with pytest.raises(VoteError) as read:
            parse_vote(longest)  # read, then out of range
        with pytest.raises(VoteError) as unread:
            parse_vote(longer)  # refused unread
    finally:
        sys.set_int_max_str_digits(before)
    assert (read.value.code, unread.value.code) == ("bad_seq", "bad_number")


def test_an_enormous_integer_is_a_vote_error():
    with pytest.raises(VoteError) as info:
        parse_vote(b'{"seq": ' + b"9" * 5000 + b"}")
    assert info.value.code == "bad_number"
