"""Batches and receipts: built, checked, and every kind of damage named precisely."""

import json
import pickle
import random

import orjson
import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from tests.fakes import FakeClock
from wire import keys
from wire.batch import BATCH_DOMAIN, build_batch, check_batch, gaps, to_ranges
from wire.canonical import canonical_json
from wire.receipt import Receipt, check_receipt, sign_receipt
from wire.vote import Ballot


def codes(result):
    return [p.code for p in result.problems]


def edit(batch: bytes, change) -> bytes:
    env = json.loads(batch)
    change(env)
    return json.dumps(env, ensure_ascii=False).encode()


def resign(env, key):
    header = {k: v for k, v in env.items() if k not in ("votes", "sig")}
    env["sig"] = key.sign(BATCH_DOMAIN + canonical_json(header)).hex()


@pytest.fixture
def kiosk(make_kiosk):
    k = make_kiosk()
    k.cast(10)
    return k


@pytest.fixture(scope="module")
def signed_batch(tmp_path_factory):
    """One valid batch of 3 votes, made once for the property tests of this module."""
    data_dir = tmp_path_factory.mktemp("batch")
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key, FakeClock()) as ledger:
        rng = random.Random(7)
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(3)])
        stored = ledger.pending(limit=3)
    return build_batch(
        key.private_key,
        [s.body for s in stored],
        [s.hash for s in stored],
        "2026-11-24T03:00:00.000Z",
    )


def test_a_batch_checks_out_and_carries_its_votes(kiosk):
    result = check_batch(kiosk.batch())
    assert result.ok, result.summary()
    assert (result.kiosk, result.first_seq, result.last_seq) == (kiosk.key.kiosk_id, 1, 10)
    assert [v.seq for v in result.votes] == list(range(1, 11))
    assert result.hashes == [s.hash for s in kiosk.ledger.pending(limit=10)]


def test_the_usb_file_and_the_http_body_are_the_same_canonical_bytes(kiosk):
    batch = kiosk.batch()
    assert canonical_json(json.loads(batch)) == batch


def test_a_later_batch_starts_mid_chain(kiosk):
    result = check_batch(kiosk.batch(first=6))
    assert result.ok
    assert result.first_seq == 6


def test_flipped_byte_in_a_story_is_a_bad_signature_at_that_seq(kiosk):
    kiosk.ledger.cast(Ballot("3706", 5, story="ดีมาก"))
    batch = kiosk.batch()
    tampered = batch.replace("ดีมาก".encode(), "ดีมาข".encode())
    result = check_batch(tampered)
    assert ("bad_signature", 11) in [(p.code, p.seq) for p in result.problems]
    assert "bad signature at seq 11" in result.summary()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda e: e["votes"][3].__setitem__("rating", 1 if e["votes"][3]["rating"] != 1 else 2),
            "bad_signature",
        ),
        (
            lambda e: e["votes"].__setitem__(slice(2, 4), [e["votes"][3], e["votes"][2]]),
            "seq_not_contiguous",
        ),
        (lambda e: e["votes"].pop(4), "bad_range"),
        (lambda e: e["votes"].insert(5, e["votes"][4]), "bad_range"),
        (lambda e: e.__setitem__("version", 2), "unsupported_version"),
        (lambda e: e.__setitem__("made_at", "2027-01-01T00:00:00.000Z"), "bad_batch_signature"),
        (lambda e: e.__setitem__("votes_hash", "0" * 64), "bad_batch_signature"),
        (lambda e: e.__setitem__("kind", "something-else"), "not_a_batch"),
        (lambda e: e.__setitem__("extra", True), "bad_envelope"),
        (lambda e: e["votes"][0].__setitem__("seq", 2**60), "bad_vote:bad_seq"),
        (lambda e: e.__setitem__("first_seq", 1e3), "bad_number"),
        (lambda e: e.__setitem__("first_seq", "1"), "bad_range"),
        (lambda e: e.__setitem__("votes", []), "no_votes"),
    ],
)
def test_tampering_is_named(kiosk, change, expected):
    result = check_batch(edit(kiosk.batch(), change))
    assert not result.ok
    assert expected in codes(result), result.summary()


def test_dropped_middle_vote_is_a_broken_chain_even_if_resigned(kiosk):
    def drop(env):
        env["votes"].pop(4)
        env["last_seq"] -= 1
        env["count"] -= 1

    result = check_batch(edit(kiosk.batch(), drop))
    assert {"seq_not_contiguous", "bad_batch_signature"} <= set(codes(result))


def test_votes_of_another_kiosk_mixed_in_are_named(kiosk, make_kiosk):
    other = make_kiosk("k2")
    other.cast(10)
    foreign = json.loads(other.batch())["votes"][4]
    result = check_batch(edit(kiosk.batch(), lambda e: e["votes"].__setitem__(4, foreign)))
    assert "foreign_vote" in codes(result)
    assert "bad_signature" in codes(result)


def test_envelope_resigned_by_another_kiosk_is_refused(kiosk, make_kiosk):
    other = make_kiosk("k2")

    def steal(env):
        env["public_key"] = other.key.public_key_raw.hex()
        env["kiosk"] = other.key.kiosk_id
        resign(env, other.key.private_key)

    result = check_batch(edit(kiosk.batch(), steal))
    assert "foreign_vote" in codes(result)
    assert "bad_signature" in codes(result)


def test_kiosk_id_must_come_from_the_key(kiosk):
    result = check_batch(edit(kiosk.batch(), lambda e: e.__setitem__("kiosk", "0" * 32)))
    assert codes(result) == ["kiosk_key_mismatch"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "bad_json"),
        (b"\xff\xfe\x00", "bad_utf8"),
        (b'{"kind": "sangsuk-batch", "kind": "x"}', "duplicate_key"),
        (b"[1, 2, 3]", "bad_json"),
        (b'{"version": 1e400}', "bad_number"),
    ],
)
def test_garbage_is_refused_cleanly(data, code):
    result = check_batch(data)
    assert codes(result) == [code]


def test_truncated_file_is_refused(kiosk):
    batch = kiosk.batch()
    result = check_batch(batch[: len(batch) // 2])
    assert codes(result) == ["bad_json"]
    assert result.summary() == (
        f"the batch is not valid JSON: it ends at byte {len(batch) // 2}, in the middle of the"
        " JSON (a file cut short?)"
    )


@pytest.mark.parametrize(
    ("data", "said"),
    [
        # json's "Unterminated string starting at" once read "… starting at at 8280".
        (b'{"kind": "sangsuk-bat', "it ends at byte 21, in the middle of the JSON"),
        (b'{"kind": "sangsuk-batch",', "it ends at byte 25, in the middle of the JSON"),
        (b"", "the batch is not valid JSON: it is empty"),
        (b"\xef\xbb\xbf{}", "it begins with a byte order mark (EF BB BF)"),
        (
            b'{"a": 1,, "b": 2}',
            "not valid JSON: expecting property name enclosed in double quotes at",
        ),
        # bytes, not characters: each Thai letter is three
        ('{"story": "ดีมาก", x}'.encode(), "double quotes at byte 29"),
        (b'{"a": 1} x', "not valid JSON: extra data at byte 9"),
        (b'{"a": "x\ty"}', "not valid JSON: invalid control character at byte 8"),
        (b'{"version": 1}', "this is not a Sangsuk batch: it has no kind"),
        (
            b'{"kind": "sangsuk-receipt"}',
            "this is not a Sangsuk batch: its kind is 'sangsuk-receipt', not 'sangsuk-batch'",
        ),
        (b'{"kind": null}', "this is not a Sangsuk batch: its kind is null"),
        (b'{"kind": 7}', "this is not a Sangsuk batch: its kind is a number, not text"),
    ],
)
def test_a_file_that_is_no_batch_is_said_in_words(data, said):
    result = check_batch(data)
    assert said in result.summary()
    assert " at at " not in result.summary()


def test_size_and_count_limits(kiosk):
    batch = kiosk.batch()
    assert codes(check_batch(batch, max_bytes=len(batch) - 1)) == ["too_large"]
    assert codes(check_batch(batch, max_votes=5)) == ["too_many_votes"]


def test_text_not_in_nfc_is_refused(kiosk):
    kiosk.ledger.cast(Ballot("3706", 5, story="café"))
    batch = kiosk.batch()
    decomposed = batch.replace("café".encode(), "cafe\u0301".encode())
    assert "bad_vote:story_not_normal" in codes(check_batch(decomposed))


# --- receipts ------------------------------------------------------------------------------

COLLECTOR = Ed25519PrivateKey.from_private_bytes(b"\x07" * 32)


def receipt(kiosk_id="a" * 32, batch="b" * 64):
    return Receipt(
        kiosk_id, batch, [(1, 10)], [4], [(1, 10), (20, 25)], [(11, 19)], "2026-11-24T03:00:00.000Z"
    )


def test_a_receipt_round_trips():
    data = sign_receipt(COLLECTOR, receipt())
    result = check_receipt(data, COLLECTOR.public_key(), "a" * 32, "b" * 64)
    assert result.ok
    assert result.receipt == receipt()
    assert result.receipt.accepted_seqs() == set(range(1, 11)) - {4}


def test_a_receipt_from_another_collector_is_refused():
    impostor = Ed25519PrivateKey.generate()
    result = check_receipt(sign_receipt(impostor, receipt()), COLLECTOR.public_key(), "a" * 32)
    assert [p.code for p in result.problems] == ["bad_receipt_signature"]


def test_a_receipt_for_another_kiosk_or_batch_is_refused():
    data = sign_receipt(COLLECTOR, receipt())
    assert [p.code for p in check_receipt(data, COLLECTOR.public_key(), "c" * 32).problems] == [
        "wrong_kiosk"
    ]
    assert [
        p.code for p in check_receipt(data, COLLECTOR.public_key(), "a" * 32, "d" * 64).problems
    ] == ["wrong_batch"]


def test_an_altered_receipt_is_refused():
    data = sign_receipt(COLLECTOR, receipt())
    forged = data.replace(b"[[1,10]]", b"[[1,99]]", 1)
    assert not check_receipt(forged, COLLECTOR.public_key(), "a" * 32).ok
    assert not check_receipt(b"not json", COLLECTOR.public_key(), "a" * 32).ok


def test_ranges_and_gaps():
    assert to_ranges([7, 1, 2, 3, 3, 9, 8]) == [(1, 3), (7, 9)]
    assert to_ranges([]) == []
    assert gaps([(1, 3), (7, 9), (12, 12)]) == [(4, 6), (10, 11)]
    assert gaps([(3, 5)]) == [(1, 2)]


# --- hardening found by the independent verifier -------------------------------------------

IDENTITY_KEY = "01" + "00" * 31  # a small-order point: the all-accepting key


def test_a_batch_under_a_small_order_key_is_refused(kiosk):
    from wire.keys import kiosk_id_for

    def forge(env):
        env["public_key"] = IDENTITY_KEY
        env["kiosk"] = kiosk_id_for(bytes.fromhex(IDENTITY_KEY))
        env["sig"] = "01" + "00" * 63  # R = identity, S = 0 verifies for every message

    assert codes(check_batch(edit(kiosk.batch(), forge))) == ["bad_public_key"]


def test_version_true_is_not_version_1(kiosk):
    assert codes(check_batch(edit(kiosk.batch(), lambda e: e.__setitem__("version", True)))) == [
        "unsupported_version"
    ]


def test_an_enormous_header_integer_is_a_bad_signature_and_the_votes_are_still_checked(kiosk):
    def enormous(env):
        env["count"] = 2**53
        env["votes"][1]["rating"] = 1 if env["votes"][1]["rating"] != 1 else 2

    found = codes(check_batch(edit(kiosk.batch(), enormous)))
    assert "bad_batch_signature" in found
    assert "bad_signature" in found
    assert "unreadable" not in found


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("conflicts", ["3"]),
        ("conflicts", "34"),
        ("conflicts", [4, 3]),
        ("server_time", 5),
        ("accepted", [[5, 6], [1, 2]]),
        ("held", [[1, 5], [3, 8]]),
        ("version", True),
    ],
)
def test_a_receipt_must_be_well_formed_even_when_signed(member, value):
    obj = receipt().to_json()
    obj[member] = value
    obj["sig"] = COLLECTOR.sign(b"sangsuk/v1/receipt\n" + canonical_json(obj)).hex()
    result = check_receipt(canonical_json(obj), COLLECTOR.public_key(), "a" * 32)
    assert not result.ok


# --- the canonical fast reader (wire/batch.py, _load_batch) ---------------------------------

_json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53 - 1), max_value=2**53 - 1)
    | st.text(alphabet=st.characters(codec="utf-8"))
)
_json_values = st.recursive(
    _json_scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(alphabet=st.characters(codec="ascii"), max_size=8), inner, max_size=4
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_the_fast_writer_gives_the_rfc8785_bytes_of_every_value_a_batch_can_hold(value):
    # The fast reader trusts orjson's sorted output to be the JCS bytes; the reference decides.
    assert orjson.dumps(value, option=orjson.OPT_SORT_KEYS) == rfc8785.dumps(value)


def test_a_batch_that_is_not_canonical_is_read_strictly_and_gives_the_same_votes(kiosk):
    batch = kiosk.batch()
    pretty = json.dumps(json.loads(batch), ensure_ascii=False, indent=2).encode()
    fast, strict = check_batch(batch), check_batch(pretty)
    assert fast.ok, fast.summary()
    assert strict.ok, strict.summary()
    stored = kiosk.ledger.pending(limit=10)
    assert [fast.body(i) for i in range(10)] == [strict.body(i) for i in range(10)]
    assert [fast.body(i) for i in range(10)] == [s.body for s in stored]
    assert fast.hashes == strict.hashes == [s.hash for s in stored]
    assert fast.votes == strict.votes
    assert fast.records() == strict.records()
    assert [r.seq for r in fast.records()] == list(range(1, 11))


def test_a_checked_batch_sent_to_another_process_carries_no_votes_and_gets_them_back(kiosk):
    # The collector checks batches in worker processes and stores them in the HTTP process:
    # only the findings cross over, and the votes are decoded again from the same bytes.
    batch = kiosk.batch()
    check = check_batch(batch)
    sent = pickle.dumps(check.detached())
    assert len(sent) < len(batch) // 2  # the hashes and the header, not the votes
    received = pickle.loads(sent)
    with pytest.raises(RuntimeError, match="reattach"):
        received.records()
    received.reattach(batch)
    assert received.ok
    assert received.records() == check.records()
    assert received.votes == check.votes
    assert received.hashes == check.hashes
    assert [received.body(i) for i in range(10)] == [check.body(i) for i in range(10)]


def test_a_batch_read_strictly_travels_whole_to_another_process(kiosk):
    pretty = json.dumps(json.loads(kiosk.batch()), indent=2).encode()
    check = check_batch(pretty)
    assert check.ok, check.summary()
    received = pickle.loads(pickle.dumps(check.detached())).reattach(pretty)
    assert received.records() == check.records()
    assert [received.body(i) for i in range(10)] == [check.body(i) for i in range(10)]


def test_a_refused_canonical_batch_names_every_problem_not_only_the_first(kiosk):
    def damage(env):
        env["votes"][2]["rating"] = 1 if env["votes"][2]["rating"] != 1 else 2
        env["votes"][6]["rating"] = 1 if env["votes"][6]["rating"] != 1 else 2

    batch = canonical_json(json.loads(edit(kiosk.batch(), damage)))
    result = check_batch(batch)
    assert [(p.code, p.seq) for p in result.problems if p.code == "bad_signature"] == [
        ("bad_signature", 3),
        ("bad_signature", 7),
    ]


@settings(max_examples=150, deadline=None)
@given(position=st.integers(min_value=0), byte=st.integers(min_value=0, max_value=255))
def test_a_changed_byte_is_never_accepted_by_the_fast_reader(signed_batch, position, byte):
    data = bytearray(signed_batch)
    position %= len(data)
    if data[position] == byte:
        return
    data[position] = byte
    assert not check_batch(bytes(data)).ok
