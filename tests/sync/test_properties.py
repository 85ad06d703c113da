"""Property-based tests of what crosses the office wall (hypothesis).

Promise 9 for the parsers: whatever arrives (arbitrary bytes, arbitrary JSON, a genuine batch
or receipt with any one member replaced by any JSON value) the batch checker and the receipt
checker answer with problems named by documented codes, and never let an exception escape.
``unreadable`` (the checker's own last resort when something unexpected went wrong inside it)
must never be needed. A genuine batch with any member changed is refused.

Example counts are moderate (100-200 each) so CI stays fast.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import random
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kiosk.demo import random_ballot
from sync.uploader import _error_body
from wire.batch import build_batch, check_batch
from wire.canonical import canonical_json
from wire.keys import kiosk_id_for
from wire.receipt import RECEIPT_DOMAIN, Receipt, check_receipt, sign_receipt
from wire.vote import genesis_prev, sign_vote

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KIOSK_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KIOSK = kiosk_id_for(KIOSK_KEY.public_key().public_bytes_raw())
COLLECTOR_KEY = Ed25519PrivateKey.from_private_bytes(b"\x42" * 32)
COLLECTOR = COLLECTOR_KEY.public_key()

# The codes of docs/protocol.md 3.6 (batches) and 4.4 (receipts), and the vote reader's (2.10).
BATCH_CODES = {
    "too_large",
    "bad_utf8",
    "bad_json",
    "duplicate_key",
    "bad_number",
    "not_a_batch",
    "unsupported_version",
    "bad_envelope",
    "bad_public_key",
    "kiosk_key_mismatch",
    "bad_range",
    "no_votes",
    "too_many_votes",
    "bad_made_at",
    "bad_batch_signature",
    "foreign_vote",
    "seq_not_contiguous",
    "bad_signature",
    "chain_broken",
    "hash_mismatch",
}
VOTE_CODES = {
    "bad_json",
    "missing_member",
    "unknown_member",
    "bad_version",
    "unsupported_version",
    "unknown_district",
    "tags_not_sorted",
    "bad_text",
    "control_character",
    "story_not_normal",
    "story_too_long",
} | {
    f"bad_{m}"
    for m in (
        *("seq", "rating", "target", "tags", "service", "lang", "burst"),
        *("kiosk", "prev", "sig", "cast_at", "district", "story"),
    )
}
RECEIPT_CODES = {
    "bad_utf8",
    "bad_json",
    "duplicate_key",
    "bad_number",
    "not_a_receipt",
    "bad_receipt",
    "bad_receipt_signature",
    "wrong_kiosk",
    "wrong_batch",
}


def _genuine_batch() -> bytes:
    rng = random.Random(7)
    prev = genesis_prev(KIOSK_KEY.public_key().public_bytes_raw())
    bodies, hashes = [], []
    for seq in range(1, 4):
        vote = sign_vote(
            KIOSK_KEY, KIOSK, seq, "2026-11-24T03:00:00.000Z", prev, random_ballot(rng, "3706")
        )
        body = vote.signed_bytes()
        prev = hashlib.sha256(body).hexdigest()
        bodies.append(body)
        hashes.append(prev)
    return build_batch(KIOSK_KEY, bodies, hashes, "2026-11-24T05:00:00.000Z")


BATCH = _genuine_batch()
BATCH_OBJ = json.loads(BATCH)
VOTES_HASH = BATCH_OBJ["votes_hash"]
RECEIPT = sign_receipt(
    COLLECTOR_KEY,
    Receipt(KIOSK, VOTES_HASH, [(1, 3)], [], [(1, 3)], [], "2026-11-24T05:00:07.000Z"),
)
RECEIPT_OBJ = json.loads(RECEIPT)
assert check_batch(BATCH).ok
assert check_receipt(RECEIPT, COLLECTOR, KIOSK, VOTES_HASH).ok

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def assert_clean_batch_refusal(data: bytes) -> None:
    """check_batch returned (it did not raise), refused, with documented codes only."""
    result = check_batch(data)
    assert not result.ok
    for problem in result.problems:
        if problem.code.startswith("bad_vote:"):
            assert problem.code.removeprefix("bad_vote:") in VOTE_CODES, problem
        else:
            assert problem.code in BATCH_CODES, problem
        assert problem.message


def assert_clean_receipt_check(data: bytes) -> None:
    """check_receipt returned, and named every problem with a documented code."""
    result = check_receipt(data, COLLECTOR, KIOSK, VOTES_HASH)
    assert all(p.code in RECEIPT_CODES and p.message for p in result.problems), result.problems
    if result.ok:
        assert result.receipt is not None


# --- batches --------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_are_refused_cleanly(data: bytes) -> None:
    assert_clean_batch_refusal(data)


@FAST
@given(json_values)
def test_arbitrary_json_is_refused_cleanly(value: Any) -> None:
    assert_clean_batch_refusal(json.dumps(value).encode())


@FAST
@given(st.dictionaries(st.sampled_from(sorted(BATCH_OBJ)), json_values, min_size=1))
def test_an_envelope_of_arbitrary_members_is_refused_cleanly(members: dict[str, Any]) -> None:
    env = {**BATCH_OBJ, **members}
    assume(env != BATCH_OBJ)
    assert_clean_batch_refusal(json.dumps(env).encode())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value where a member or element could be replaced."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


BATCH_PATHS = _paths(BATCH_OBJ)


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return copy


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@FAST
@given(st.sampled_from(BATCH_PATHS), json_values)
def test_a_genuine_batch_with_anything_replaced_anywhere_is_refused(
    path: tuple[Any, ...], new: Any
) -> None:
    old = _get(BATCH_OBJ, path)
    assume(not (type(new) is type(old) and new == old))
    assert_clean_batch_refusal(json.dumps(_replace(BATCH_OBJ, path, new)).encode())


@FAST
@given(st.integers(0, len(BATCH) - 1), st.integers(0, 7))
def test_a_genuine_batch_with_one_bit_flipped_is_refused(at: int, bit: int) -> None:
    assert_clean_batch_refusal(BATCH[:at] + bytes([BATCH[at] ^ (1 << bit)]) + BATCH[at + 1 :])


# --- receipts -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1000))
def test_arbitrary_bytes_as_a_receipt_are_refused_cleanly(data: bytes) -> None:
    result = check_receipt(data, COLLECTOR, KIOSK, VOTES_HASH)
    assert not result.ok
    assert_clean_receipt_check(data)


@FAST
@given(st.dictionaries(st.sampled_from(sorted(RECEIPT_OBJ)), json_values, min_size=1))
def test_a_receipt_of_arbitrary_members_signed_by_the_collector_is_checked_cleanly(
    members: dict[str, Any],
) -> None:
    """Signed, so the checks after the signature (ranges, seqs, kiosk, batch) are reached."""
    obj = {**RECEIPT_OBJ, **members}
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    # Not serialisable as JCS (a float, a huge integer): the sig stays as drawn.
    with contextlib.suppress(ValueError):
        obj["sig"] = COLLECTOR_KEY.sign(RECEIPT_DOMAIN + canonical_json(unsigned)).hex()
    data = json.dumps(obj).encode()
    assert_clean_receipt_check(data)
    result = check_receipt(data, COLLECTOR, KIOSK, VOTES_HASH)
    if result.ok:  # then it really is a well-formed receipt for this kiosk and batch
        assert result.receipt is not None
        assert (result.receipt.kiosk, result.receipt.batch) == (KIOSK, VOTES_HASH)
        for ranges in (result.receipt.accepted, result.receipt.held, result.receipt.missing):
            assert all(1 <= a <= b for a, b in ranges)
            assert all(b1 + 1 < a2 for (_, b1), (a2, _) in itertools.pairwise(ranges))


@FAST
@given(json_values)
def test_arbitrary_json_as_a_receipt_is_refused_cleanly(value: Any) -> None:
    data = json.dumps(value).encode()
    assert not check_receipt(data, COLLECTOR, KIOSK, VOTES_HASH).ok
    assert_clean_receipt_check(data)


# --- the kiosk reading a collector's error answer ------------------------------------------


@FAST
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_any_error_answer_is_read_without_an_exception(body: bytes) -> None:
    response = requests.Response()
    response.status_code = 422
    response._content = body
    error, message, problems = _error_body(response)
    assert error is None or isinstance(error, str)
    assert message is None or isinstance(message, str)
    assert all(isinstance(p.code, str) for p in problems)


@FAST
@given(
    st.fixed_dictionaries({"error": json_values, "message": json_values, "problems": json_values})
)
def test_an_error_answer_of_the_right_shape_with_any_values_is_read(body: dict[str, Any]) -> None:
    response = requests.Response()
    response.status_code = 422
    response._content = json.dumps(body).encode()
    error, _, problems = _error_body(response)
    assert error is None or isinstance(error, str)
    assert all(isinstance(p.code, str) for p in problems)


def test_a_deeply_nested_error_answer_is_read_without_an_exception() -> None:
    response = requests.Response()
    response.status_code = 503
    response._content = b"[" * 100_000
    assert _error_body(response) == (None, None, [])
