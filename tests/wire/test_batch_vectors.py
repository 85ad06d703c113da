"""The batch and receipt test vectors (tests/vectors/batches.json) agree with docs/protocol.md.

Most checks recompute the vectors *independently* of wire.batch, with only rfc8785, hashlib
and cryptography, the way a second implementation would: ``spec_check_batch`` and
``spec_check_receipt`` below are verifiers written from sections 3 and 4 of docs/protocol.md.
For the content of one vote they use the vote reader of section 2 (``wire.vote.vote_from_json``),
which tests/wire/test_vectors.py checks on its own. The rest check that the project's code
produces exactly the recorded bytes and problem codes, and that a real collector store answers
the recorded scenarios with exactly the recorded receipts.
"""

from __future__ import annotations

import hashlib
import importlib.util
import itertools
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from collector.store import CollectorStore
from tests.fakes import FakeClock
from wire.batch import (
    BATCH_DOMAIN,
    DEFAULT_BATCH_VOTES,
    MAX_BATCH_BYTES,
    MAX_BATCH_VOTES,
    build_batch,
    check_batch,
)
from wire.receipt import RECEIPT_DOMAIN, Receipt, check_receipt, sign_receipt
from wire.vote import VoteError, vote_from_json

ROOT = Path(__file__).resolve().parents[2]
VECTORS_DIR = ROOT / "tests" / "vectors"
PROTOCOL_MD = ROOT / "docs" / "protocol.md"
VECTORS: dict[str, Any] = json.loads((VECTORS_DIR / "batches.json").read_text(encoding="utf-8"))
VOTE_VECTORS: dict[str, Any] = json.loads((VECTORS_DIR / "votes.json").read_text(encoding="utf-8"))
BATCHES: dict[str, dict[str, Any]] = {b["name"]: b for b in VECTORS["batches"]}
RECEIPTS: list[dict[str, Any]] = VECTORS["receipts"]

# Written out here on purpose, not imported: the document fixes these bytes and numbers.
VOTE_PREFIX = b"sangsuk/v1/vote\n"
BATCH_PREFIX = b"sangsuk/v1/batch\n"
RECEIPT_PREFIX = b"sangsuk/v1/receipt\n"
MAX_VOTES = 1000
MAX_BYTES = 4 * 1024 * 1024
BATCH_MEMBERS = {
    "count",
    "first_seq",
    "kind",
    "kiosk",
    "last_seq",
    "made_at",
    "public_key",
    "sig",
    "version",
    "votes",
    "votes_hash",
}
RECEIPT_MEMBERS = {
    "accepted",
    "batch",
    "conflicts",
    "held",
    "kind",
    "kiosk",
    "missing",
    "server_time",
    "sig",
    "version",
}
MAX_SEQ = 2**53 - 1
HEX64 = re.compile(r"[0-9a-f]{64}")
HEX128 = re.compile(r"[0-9a-f]{128}")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")

Problems = list[tuple[str, int | None]]


# --- a verifier written from docs/protocol.md sections 3 and 4 ------------------------------------


class _RefusedError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _strict_json(data: bytes) -> Any:
    """Strict JSON of section 2.2: UTF-8, no member twice, integers only."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _RefusedError("bad_utf8") from None

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for name, value in pairs:
            if name in obj:
                raise _RefusedError("duplicate_key")
            obj[name] = value
        return obj

    def not_an_integer(_: str) -> Any:
        raise _RefusedError("bad_number")

    try:
        value = json.loads(
            text,
            object_pairs_hook=members,
            parse_float=not_an_integer,
            parse_constant=not_an_integer,
        )
    except _RefusedError:
        raise
    except (json.JSONDecodeError, RecursionError):
        raise _RefusedError("bad_json") from None
    except ValueError:  # an integer too long to read
        raise _RefusedError("bad_number") from None
    if not isinstance(value, dict):
        raise _RefusedError("bad_json")
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_seq(value: Any) -> bool:
    return _is_int(value) and 1 <= value <= MAX_SEQ


def _is_timestamp(value: Any) -> bool:
    if not isinstance(value, str) or not TIMESTAMP.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return False
    return True


def _verifies(public_raw: bytes, sig: Any, message: bytes) -> bool:
    if not isinstance(sig, str) or not HEX128.fullmatch(sig):
        return False
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(bytes.fromhex(sig), message)
    except InvalidSignature:
        return False
    return True


def _without(obj: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k not in names}


def spec_check_batch(
    data: bytes, max_votes: int = MAX_VOTES, max_bytes: int = MAX_BYTES
) -> Problems:
    """docs/protocol.md 3.6: stage A stops at the first failure; stage B reports everything."""
    if len(data) > max_bytes:
        return [("too_large", None)]
    try:
        env = _strict_json(data)
    except _RefusedError as refused:
        return [(refused.code, None)]
    if env.get("kind") != "sangsuk-batch":
        return [("not_a_batch", None)]
    if not (_is_int(env.get("version")) and env["version"] == 1):
        return [("unsupported_version", None)]
    if set(env) != BATCH_MEMBERS:
        return [("bad_envelope", None)]
    if not (isinstance(env["public_key"], str) and HEX64.fullmatch(env["public_key"])):
        return [("bad_public_key", None)]
    public_raw = bytes.fromhex(env["public_key"])
    genesis = hashlib.sha256(public_raw).hexdigest()
    if env["kiosk"] != genesis[:32]:
        return [("kiosk_key_mismatch", None)]
    first, last, count = env["first_seq"], env["last_seq"], env["count"]
    if not (_is_seq(first) and _is_seq(last) and _is_int(count) and first <= last):
        return [("bad_range", None)]
    votes = env["votes"]
    if not isinstance(votes, list) or not votes:
        return [("no_votes", None)]
    if len(votes) > max_votes:
        return [("too_many_votes", None)]

    problems: Problems = []
    if count != len(votes) or last - first + 1 != len(votes):
        problems.append(("bad_range", None))
    if not _is_timestamp(env["made_at"]):
        problems.append(("bad_made_at", None))
    try:
        header_jcs = rfc8785.dumps(_without(env, "votes", "sig"))
    except rfc8785.CanonicalizationError:  # an integer JCS cannot write: nothing was signed
        header_jcs = None
    if header_jcs is None or not _verifies(public_raw, env["sig"], BATCH_PREFIX + header_jcs):
        problems.append(("bad_batch_signature", None))
    hashes: list[str] = []
    previous: str | None = None
    all_read = True
    for index, vote in enumerate(votes):
        position_seq = first + index
        try:
            vote_from_json(vote)  # section 2: members, types, values, story
        except VoteError as exc:
            problems.append((f"bad_vote:{exc.code}", position_seq))
            previous, all_read = None, False
            continue
        seq = vote["seq"]
        if vote["kiosk"] != env["kiosk"]:
            problems.append(("foreign_vote", seq))
        if seq != position_seq:
            problems.append(("seq_not_contiguous", seq))
        if not _verifies(
            public_raw, vote["sig"], VOTE_PREFIX + rfc8785.dumps(_without(vote, "sig"))
        ):
            problems.append(("bad_signature", seq))
        if previous is not None and vote["prev"] != previous:
            problems.append(("chain_broken", seq))
        if seq == 1 and vote["prev"] != genesis:
            problems.append(("chain_broken", seq))
        previous = hashlib.sha256(rfc8785.dumps(vote)).hexdigest()
        hashes.append(previous)
    if all_read:
        computed = hashlib.sha256(b"".join(bytes.fromhex(h) for h in hashes)).hexdigest()
        if env["votes_hash"] != computed:
            problems.append(("hash_mismatch", None))
    return problems


def _is_ranges(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(r, list) and len(r) == 2 and _is_seq(r[0]) and _is_seq(r[1]) and r[0] <= r[1]
        for r in value
    )


def spec_check_receipt(
    data: bytes, collector_public_raw: bytes, kiosk: str, batch: str | None
) -> list[str]:
    """docs/protocol.md 4.4: what a kiosk checks before it believes a receipt."""
    try:
        obj = _strict_json(data)
    except _RefusedError as refused:
        return [refused.code]
    if obj.get("kind") != "sangsuk-receipt" or not (
        _is_int(obj.get("version")) and obj["version"] == 1
    ):
        return ["not_a_receipt"]
    if set(obj) != RECEIPT_MEMBERS:
        return ["bad_receipt"]
    try:
        unsigned_jcs = rfc8785.dumps(_without(obj, "sig"))
    except rfc8785.CanonicalizationError:  # an integer JCS cannot write
        return ["bad_receipt"]
    if not _verifies(collector_public_raw, obj["sig"], RECEIPT_PREFIX + unsigned_jcs):
        return ["bad_receipt_signature"]
    if not (
        all(_is_ranges(obj[name]) for name in ("accepted", "held", "missing"))
        and isinstance(obj["conflicts"], list)
        and all(_is_seq(s) for s in obj["conflicts"])
    ):
        return ["bad_receipt"]
    problems = []
    if obj["kiosk"] != kiosk:
        problems.append("wrong_kiosk")
    if batch is not None and obj["batch"] != batch:
        problems.append("wrong_batch")
    return problems


def _seqs(ranges: list[list[int]]) -> set[int]:
    return {s for first, last in ranges for s in range(first, last + 1)}


def _gaps(held: list[list[int]]) -> list[list[int]]:
    top = max((last for _, last in held), default=0)
    have = _seqs(held)
    out: list[list[int]] = []
    for s in range(1, top + 1):
        if s in have:
            continue
        if out and out[-1][1] == s - 1:
            out[-1][1] = s
        else:
            out.append([s, s])
    return out


# --- helpers ----------------------------------------------------------------------------------


def _kiosk_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(VECTORS["kiosk_key"]["private_seed_hex"])
    )


def _collector_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(VECTORS["collector_key"]["private_seed_hex"])
    )


def _collector_public_raw() -> bytes:
    return bytes.fromhex(VECTORS["collector_key"]["public_key_hex"])


def _batch_bytes(vector: dict[str, Any]) -> bytes:
    if "batch_hex" in vector:
        return bytes.fromhex(vector["batch_hex"])
    return vector["batch"].encode("utf-8")


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_batch_vectors", VECTORS_DIR / "make_batch_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name(vector: dict[str, Any]) -> str:
    return str(vector["name"])


# --- the file has what the issue asks for ------------------------------------------------------


def test_vectors_cover_the_required_cases():
    whole = BATCHES["votes-1-4"]
    assert [v["seq"] for v in whole["envelope"]["votes"]] == [1, 2, 3, 4]
    assert BATCHES["votes-3-4"]["first_seq"] == 3
    tampered = {t["name"] for t in VECTORS["tampered_batches"]}
    assert {
        "rating-changed",
        "votes-reordered",
        "middle-vote-dropped",
        "vote-duplicated",
        "foreign-vote-mixed-in",
        "made-at-changed",
        "resigned-by-another-key",
        "truncated",
        "duplicate-key",
        "unknown-version",
    } <= tampered
    fresh = next(r for r in RECEIPTS if r["answers"] == "votes-1-4")
    assert fresh["receipt"]["accepted"] == [[1, 4]]
    assert any(
        r["receipt"]["held"] == [[1, 2], [4, 4]]
        and r["receipt"]["missing"] == [[3, 3]]
        and r["receipt"]["conflicts"]
        for r in RECEIPTS
    )
    for key in ("kiosk_key", "other_kiosk_key", "collector_key"):
        assert "TEST-ONLY" in VECTORS[key]["WARNING"]


def test_the_committed_file_is_what_the_generator_builds():
    generator = _load_generator()
    expected = generator.render(generator.build())
    actual = (VECTORS_DIR / "batches.json").read_text(encoding="utf-8")
    assert actual == expected, "run: uv run python tests/vectors/make_batch_vectors.py"


# --- independent recomputation ------------------------------------------------------------


def test_domain_prefixes_and_limits():
    prefixes = VECTORS["domain_prefixes"]
    assert prefixes["batch"]["hex"] == "73616e6773756b2f76312f62617463680a"
    assert prefixes["receipt"]["hex"] == "73616e6773756b2f76312f726563656970740a"
    assert bytes.fromhex(prefixes["batch"]["hex"]) == BATCH_PREFIX
    assert bytes.fromhex(prefixes["receipt"]["hex"]) == RECEIPT_PREFIX
    assert prefixes["batch"]["ascii"] == BATCH_PREFIX.decode("ascii")
    assert prefixes["receipt"]["ascii"] == RECEIPT_PREFIX.decode("ascii")
    # No prefix is a prefix of another, so no signing input can be read as another kind.
    for a in (VOTE_PREFIX, BATCH_PREFIX, RECEIPT_PREFIX):
        for b in (VOTE_PREFIX, BATCH_PREFIX, RECEIPT_PREFIX):
            assert a == b or not b.startswith(a)
    assert VECTORS["limits"] == {
        "max_batch_votes": MAX_VOTES,
        "max_batch_bytes": MAX_BYTES,
        "default_batch_votes": 500,
    }


def test_keys():
    kiosk = VECTORS["kiosk_key"]
    assert kiosk["private_seed_hex"] == VOTE_VECTORS["test_key"]["private_seed_hex"]
    assert kiosk["public_key_hex"] == VOTE_VECTORS["test_key"]["public_key_hex"]
    assert _kiosk_key().public_key().public_bytes_raw().hex() == kiosk["public_key_hex"]
    for entry in (kiosk, VECTORS["other_kiosk_key"]):
        raw = bytes.fromhex(entry["public_key_hex"])
        seed = bytes.fromhex(entry["private_seed_hex"])
        assert Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw() == raw
        assert entry["kiosk_id"] == hashlib.sha256(raw).hexdigest()[:32]
        assert entry["genesis_prev"] == hashlib.sha256(raw).hexdigest()
    assert VECTORS["collector_key"]["private_seed_hex"] == "42" * 32
    assert _collector_key().public_key().public_bytes_raw() == _collector_public_raw()


@pytest.mark.parametrize("vector", VECTORS["batches"], ids=_name)
def test_batch_recomputed_independently(vector):
    envelope = vector["envelope"]
    assert set(envelope) == BATCH_MEMBERS
    public_raw = bytes.fromhex(envelope["public_key"])
    assert envelope["kind"] == "sangsuk-batch"
    assert envelope["version"] == 1
    assert envelope["kiosk"] == hashlib.sha256(public_raw).hexdigest()[:32]

    header = _without(envelope, "votes", "sig")
    assert header == vector["header"]
    header_jcs = rfc8785.dumps(header)
    assert header_jcs.hex() == vector["header_jcs_hex"]
    assert header_jcs.decode("ascii") == vector["header_jcs"]
    signing_input = BATCH_PREFIX + header_jcs
    assert signing_input.hex() == vector["signing_input_hex"]
    assert envelope["sig"] == vector["sig"]
    Ed25519PublicKey.from_public_bytes(public_raw).verify(
        bytes.fromhex(vector["sig"]), signing_input
    )
    assert _kiosk_key().sign(signing_input).hex() == vector["sig"]  # Ed25519 is deterministic

    votes = envelope["votes"]
    hashes = [hashlib.sha256(rfc8785.dumps(v)).hexdigest() for v in votes]
    assert hashes == vector["vote_hashes"]
    concatenated = b"".join(bytes.fromhex(h) for h in hashes)
    assert len(concatenated) == 32 * len(votes)
    assert concatenated.hex() == vector["votes_hash_input_hex"]
    assert (
        hashlib.sha256(concatenated).hexdigest() == vector["votes_hash"] == envelope["votes_hash"]
    )

    first, last = envelope["first_seq"], envelope["last_seq"]
    assert (first, last) == (vector["first_seq"], vector["last_seq"])
    assert [v["seq"] for v in votes] == list(range(first, last + 1))
    assert envelope["count"] == len(votes)
    for before, after in zip(hashes, votes[1:], strict=False):
        assert after["prev"] == before
    for vote in votes:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(
            bytes.fromhex(vote["sig"]), VOTE_PREFIX + rfc8785.dumps(_without(vote, "sig"))
        )

    data = bytes.fromhex(vector["batch_hex"])
    assert data == rfc8785.dumps(envelope)  # the batch bytes are the JCS of the whole envelope
    assert json.loads(data) == envelope
    assert len(data) == vector["batch_length"]
    assert hashlib.sha256(data).hexdigest() == vector["batch_sha256"]
    # Each vote's signed bytes appear in the batch exactly as they are stored and hashed.
    for vote in votes:
        assert rfc8785.dumps(vote) in data
    assert spec_check_batch(data) == []


def test_the_whole_chain_carries_the_vote_vectors():
    votes = BATCHES["votes-1-4"]["envelope"]["votes"]
    assert votes == [v["signed"] for v in VOTE_VECTORS["votes"]]
    assert BATCHES["votes-1-4"]["vote_hashes"] == [v["hash"] for v in VOTE_VECTORS["votes"]]
    assert BATCHES["votes-3-4"]["envelope"]["votes"] == votes[2:]
    assert BATCHES["votes-1-2"]["envelope"]["votes"] == votes[:2]
    fork = BATCHES["fork-vote-4"]["envelope"]["votes"][0]
    assert fork["seq"] == votes[3]["seq"]
    assert fork != votes[3]


@pytest.mark.parametrize("vector", VECTORS["batches"], ids=_name)
def test_usb_file_name_convention(vector):
    env = vector["envelope"]
    district = env["votes"][0]["district"]
    assert vector["usb_file_name"] == (
        f"sangsuk-{district}-{env['kiosk'][:8]}-{env['first_seq']:08d}-{env['last_seq']:08d}"
        ".batch.json"
    )


@pytest.mark.parametrize("variant", VECTORS["accepted_variants"], ids=_name)
def test_any_json_spelling_of_a_batch_is_the_same_batch(variant):
    data = _batch_bytes(variant)
    base = bytes.fromhex(BATCHES[variant["of"]]["batch_hex"])
    assert data != base
    assert rfc8785.dumps(json.loads(data)) == base
    assert spec_check_batch(data) == []


@pytest.mark.parametrize("case", VECTORS["tampered_batches"], ids=_name)
def test_tampered_batch_problems_recomputed_independently(case):
    expected = [(p["code"], p["seq"]) for p in case["problems"]]
    assert spec_check_batch(_batch_bytes(case)) == expected


@pytest.mark.parametrize("case", VECTORS["limits_checked"], ids=lambda c: c["why"])
def test_limits_recomputed_independently(case):
    data = bytes.fromhex(BATCHES[case["batch"]]["batch_hex"])
    limits = {k: case[k] for k in ("max_votes", "max_bytes") if k in case}
    assert [code for code, _ in spec_check_batch(data, **limits)] == case["problems"]


@pytest.mark.parametrize("vector", RECEIPTS, ids=_name)
def test_receipt_recomputed_independently(vector):
    receipt = vector["receipt"]
    assert set(receipt) == RECEIPT_MEMBERS
    assert (receipt["kind"], receipt["version"]) == ("sangsuk-receipt", 1)
    unsigned = _without(receipt, "sig")
    unsigned_jcs = rfc8785.dumps(unsigned)
    assert unsigned_jcs.hex() == vector["unsigned_jcs_hex"]
    assert unsigned_jcs.decode("ascii") == vector["unsigned_jcs"]
    signing_input = RECEIPT_PREFIX + unsigned_jcs
    assert signing_input.hex() == vector["signing_input_hex"]
    assert receipt["sig"] == vector["sig"]
    Ed25519PublicKey.from_public_bytes(_collector_public_raw()).verify(
        bytes.fromhex(vector["sig"]), signing_input
    )
    assert _collector_key().sign(signing_input).hex() == vector["sig"]
    data = bytes.fromhex(vector["receipt_hex"])
    assert data == rfc8785.dumps(receipt)

    batch = BATCHES[vector["answers"]]
    assert receipt["kiosk"] == batch["envelope"]["kiosk"]
    assert receipt["batch"] == batch["votes_hash"]
    assert _is_timestamp(receipt["server_time"])
    for name in ("accepted", "held", "missing"):
        ranges = receipt[name]
        assert _is_ranges(ranges)
        # sorted, and maximal: two ranges never overlap or touch
        for (_, last), (first, _) in itertools.pairwise(ranges):
            assert first >= last + 2
    assert receipt["conflicts"] == sorted(set(receipt["conflicts"]))
    assert receipt["missing"] == _gaps(receipt["held"])
    sent = set(range(batch["first_seq"], batch["last_seq"] + 1))
    assert _seqs(receipt["accepted"]) <= sent
    assert set(receipt["conflicts"]) <= sent
    assert _seqs(receipt["accepted"]) <= _seqs(receipt["held"])
    deliverable = (_seqs(receipt["accepted"]) - set(receipt["conflicts"])) & sent
    assert sorted(deliverable) == vector["deliverable"]
    assert (
        spec_check_receipt(data, _collector_public_raw(), receipt["kiosk"], receipt["batch"]) == []
    )


@pytest.mark.parametrize("case", VECTORS["tampered_receipts"], ids=_name)
def test_tampered_receipt_problems_recomputed_independently(case):
    data = case["receipt"].encode("ascii")
    assert (
        spec_check_receipt(data, _collector_public_raw(), case["kiosk"], case["batch"])
        == (case["problems"])
    )


# --- the project's code produces exactly the recorded bytes -------------------------------


@pytest.mark.parametrize("vector", VECTORS["batches"], ids=_name)
def test_build_batch_reproduces_the_vector(vector):
    votes = vector["envelope"]["votes"]
    data = build_batch(
        _kiosk_key(),
        [rfc8785.dumps(v) for v in votes],
        vector["vote_hashes"],
        vector["made_at"],
    )
    assert data.hex() == vector["batch_hex"]


@pytest.mark.parametrize("vector", VECTORS["batches"], ids=_name)
def test_check_batch_accepts_the_vector(vector):
    result = check_batch(bytes.fromhex(vector["batch_hex"]))
    assert result.ok, result.summary()
    envelope = vector["envelope"]
    assert result.kiosk == envelope["kiosk"]
    assert result.public_key == bytes.fromhex(envelope["public_key"])
    assert (result.first_seq, result.last_seq) == (vector["first_seq"], vector["last_seq"])
    assert result.votes_hash == vector["votes_hash"]
    assert result.made_at == vector["made_at"]
    assert result.hashes == vector["vote_hashes"]
    assert [result.body(i) for i in range(len(result.hashes))] == [
        rfc8785.dumps(v) for v in envelope["votes"]
    ]


@pytest.mark.parametrize("variant", VECTORS["accepted_variants"], ids=_name)
def test_check_batch_accepts_any_json_spelling(variant):
    result = check_batch(_batch_bytes(variant))
    assert result.ok, result.summary()
    assert result.votes_hash == BATCHES[variant["of"]]["votes_hash"]


@pytest.mark.parametrize("case", VECTORS["tampered_batches"], ids=_name)
def test_check_batch_names_exactly_the_recorded_problems(case):
    result = check_batch(_batch_bytes(case))
    assert [(p.code, p.seq) for p in result.problems] == [
        (p["code"], p["seq"]) for p in case["problems"]
    ]


@pytest.mark.parametrize("case", VECTORS["limits_checked"], ids=lambda c: c["why"])
def test_check_batch_limits(case):
    data = bytes.fromhex(BATCHES[case["batch"]]["batch_hex"])
    limits = {k: case[k] for k in ("max_votes", "max_bytes") if k in case}
    assert [p.code for p in check_batch(data, **limits).problems] == case["problems"]


def test_project_constants_are_the_documented_ones():
    assert (BATCH_DOMAIN, RECEIPT_DOMAIN) == (BATCH_PREFIX, RECEIPT_PREFIX)
    assert (MAX_BATCH_VOTES, MAX_BATCH_BYTES, DEFAULT_BATCH_VOTES) == (MAX_VOTES, MAX_BYTES, 500)


def _receipt_value(obj: dict[str, Any]) -> Receipt:
    return Receipt(
        kiosk=obj["kiosk"],
        batch=obj["batch"],
        accepted=[(a, b) for a, b in obj["accepted"]],
        conflicts=list(obj["conflicts"]),
        held=[(a, b) for a, b in obj["held"]],
        missing=[(a, b) for a, b in obj["missing"]],
        server_time=obj["server_time"],
    )


@pytest.mark.parametrize("vector", RECEIPTS, ids=_name)
def test_sign_receipt_reproduces_the_vector(vector):
    data = sign_receipt(_collector_key(), _receipt_value(vector["receipt"]))
    assert data.hex() == vector["receipt_hex"]


@pytest.mark.parametrize("vector", RECEIPTS, ids=_name)
def test_check_receipt_accepts_the_vector(vector):
    receipt = vector["receipt"]
    result = check_receipt(
        bytes.fromhex(vector["receipt_hex"]),
        Ed25519PublicKey.from_public_bytes(_collector_public_raw()),
        receipt["kiosk"],
        BATCHES[vector["answers"]]["votes_hash"],
    )
    assert result.ok, result.problems
    assert result.receipt == _receipt_value(receipt)
    sent = set(
        range(BATCHES[vector["answers"]]["first_seq"], BATCHES[vector["answers"]]["last_seq"] + 1)
    )
    assert sorted(result.receipt.accepted_seqs() & sent) == vector["deliverable"]


@pytest.mark.parametrize("case", VECTORS["tampered_receipts"], ids=_name)
def test_check_receipt_names_exactly_the_recorded_problems(case):
    result = check_receipt(
        case["receipt"].encode("ascii"),
        Ed25519PublicKey.from_public_bytes(_collector_public_raw()),
        case["kiosk"],
        case["batch"],
    )
    assert [p.code for p in result.problems] == case["problems"]
    assert not result.ok


@pytest.mark.parametrize("scenario", VECTORS["scenarios"], ids=_name)
def test_the_collector_answers_each_scenario_with_the_recorded_receipts(scenario, tmp_path):
    receipts = [r for r in RECEIPTS if r["scenario"] == scenario["name"]]
    assert [r["answers"] for r in receipts] == scenario["steps"]
    clock = FakeClock()
    with CollectorStore(tmp_path / "collector.sqlite3", clock) as store:
        store.load_districts([(scenario["district"], scenario["size_group"])])
        store.enroll(
            store.issue_token(scenario["district"]), VECTORS["kiosk_key"]["public_key_hex"]
        )
        for vector in receipts:
            server_time = vector["receipt"]["server_time"]
            clock.set_wall(
                datetime.strptime(server_time, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            )
            data = bytes.fromhex(BATCHES[vector["answers"]]["batch_hex"])
            result = store.ingest(check_batch(data), data, "usb", "vectors")
            assert sign_receipt(_collector_key(), result.receipt).hex() == vector["receipt_hex"]


# --- docs/protocol.md says the same -----------------------------------------------------------


def test_protocol_doc_shows_the_vectors():
    doc = PROTOCOL_MD.read_text(encoding="utf-8")
    whole = BATCHES["votes-1-4"]
    fresh = RECEIPTS[0]
    for text in (
        VECTORS["domain_prefixes"]["batch"]["hex"],
        VECTORS["domain_prefixes"]["receipt"]["hex"],
        VECTORS["collector_key"]["public_key_hex"],
        whole["header_jcs"],
        whole["votes_hash"],
        whole["sig"],
        whole["batch_sha256"],
        whole["usb_file_name"],
        fresh["unsigned_jcs"],
        fresh["sig"],
        next(r for r in RECEIPTS if r["receipt"]["conflicts"])["unsigned_jcs"],
    ):
        assert text in doc, text
    for code in {p["code"] for c in VECTORS["tampered_batches"] for p in c["problems"]}:
        assert f"`{code.split(':')[0]}" in doc, code
    for code in {p for c in VECTORS["tampered_receipts"] for p in c["problems"]}:
        assert f"`{code}`" in doc, code
