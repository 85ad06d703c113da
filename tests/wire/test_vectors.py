"""The vote test vectors (tests/vectors/votes.json) agree with docs/protocol.md and the code.

Most checks recompute the vectors *independently* of wire.vote, with only rfc8785, hashlib and
cryptography, the way a second implementation would; the rest check that the project's own
code produces exactly the recorded bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import unicodedata
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from wire.keys import fingerprint_for, kiosk_id_for
from wire.masking import mask_personal_numbers, mask_required
from wire.vote import (
    VOTE_DOMAIN,
    Ballot,
    Target,
    VoteError,
    genesis_prev,
    normalize_story,
    parse_vote,
    sign_vote,
    valid_district,
)

ROOT = Path(__file__).resolve().parents[2]
VECTORS_DIR = ROOT / "tests" / "vectors"
PROTOCOL_MD = ROOT / "docs" / "protocol.md"
VECTORS: dict[str, Any] = json.loads((VECTORS_DIR / "votes.json").read_text(encoding="utf-8"))
VOTES: list[dict[str, Any]] = VECTORS["votes"]

# Written out here on purpose, not imported: the document fixes these bytes.
DOMAIN = b"sangsuk/v1/vote\n"
MEMBERS = {
    "burst",
    "cast_at",
    "district",
    "kiosk",
    "lang",
    "prev",
    "rating",
    "seq",
    "service",
    "sig",
    "story",
    "tags",
    "target",
    "version",
}
THAI_COMBINING = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def _public_key() -> tuple[Ed25519PublicKey, bytes]:
    raw = bytes.fromhex(VECTORS["test_key"]["public_key_hex"])
    return Ed25519PublicKey.from_public_bytes(raw), raw


def _private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        bytes.fromhex(VECTORS["test_key"]["private_seed_hex"])
    )


def _vote_id(vector: dict[str, Any]) -> str:
    return f"{vector['seq']}-{vector['name']}"


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_vote_vectors", VECTORS_DIR / "make_vote_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the file has what the issue asks for ------------------------------------------------------


def test_vectors_cover_the_required_cases():
    stories = [v["signed"]["story"] for v in VOTES]
    inputs = [v["ballot"]["story"] for v in VOTES]
    assert len(VOTES) >= 3
    assert any(THAI_COMBINING.search(s) for s in stories), "a story with Thai combining marks"
    assert any(
        any(unicodedata.category(ch) == "So" and ord(ch) > 0xFFFF for ch in s) for s in stories
    ), "a story with an emoji"
    assert any(re.search(r"X-XXXX-XXXXX-XX-X", s) for s in stories), "a masked ID number"
    assert any(re.search(r"[0-9]-[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]", s) for s in inputs)
    assert any(not unicodedata.is_normalized("NFC", s) for s in inputs), "a non-NFC input"
    assert [v["seq"] for v in VOTES] == list(range(1, len(VOTES) + 1))
    assert "TEST-ONLY" in VECTORS["test_key"]["WARNING"]


def test_the_committed_file_is_what_the_generator_builds():
    generator = _load_generator()
    expected = generator.render(generator.build())
    actual = (VECTORS_DIR / "votes.json").read_text(encoding="utf-8")
    assert actual == expected, "run: uv run python tests/vectors/make_vote_vectors.py"


# --- independent recomputation ------------------------------------------------------------


def test_key_material():
    public_key, raw = _public_key()
    derived = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    assert derived == raw
    digest = hashlib.sha256(raw).hexdigest()
    key = VECTORS["test_key"]
    assert key["kiosk_id"] == digest[:32]
    assert key["genesis_prev"] == digest
    head = digest[:16].upper()
    assert key["fingerprint"] == f"{head[0:4]}-{head[4:8]}-{head[8:12]}-{head[12:16]}"
    assert isinstance(public_key, Ed25519PublicKey)


def test_domain_prefix():
    assert VECTORS["domain_prefix"]["hex"] == "73616e6773756b2f76312f766f74650a"
    assert bytes.fromhex(VECTORS["domain_prefix"]["hex"]) == DOMAIN
    assert VECTORS["domain_prefix"]["ascii"] == DOMAIN.decode("ascii")


@pytest.mark.parametrize("vector", VOTES, ids=_vote_id)
def test_vote_bytes_recomputed_independently(vector):
    public_key, raw = _public_key()
    signed = vector["signed"]
    assert set(signed) == MEMBERS
    unsigned = {k: v for k, v in signed.items() if k != "sig"}

    canonical = rfc8785.dumps(unsigned)
    assert canonical.hex() == vector["canonical_hex"]
    signing_input = DOMAIN + canonical
    assert signing_input.hex() == vector["signing_input_hex"]
    assert re.fullmatch(r"[0-9a-f]{128}", signed["sig"])
    assert signed["sig"] == vector["signature_hex"]
    public_key.verify(bytes.fromhex(signed["sig"]), signing_input)
    # Ed25519 is deterministic: the seed signs the same input to the same signature.
    assert _private_key().sign(signing_input).hex() == signed["sig"]

    signed_bytes = rfc8785.dumps(signed)
    assert signed_bytes.hex() == vector["signed_bytes_hex"]
    assert hashlib.sha256(signed_bytes).hexdigest() == vector["hash"]
    assert json.loads(signed_bytes.decode("utf-8")) == signed

    assert signed["kiosk"] == hashlib.sha256(raw).hexdigest()[:32]
    assert signed["seq"] == vector["seq"]
    assert signed["cast_at"] == vector["cast_at"]
    assert signed["prev"] == vector["prev"]
    assert signed["version"] == 1


@pytest.mark.parametrize("vector", VOTES, ids=_vote_id)
def test_signed_ballot_is_the_normalised_input(vector):
    ballot, signed = vector["ballot"], vector["signed"]
    assert bytes.fromhex(ballot["story_utf8_hex"]).decode("utf-8") == ballot["story"]
    assert vector["input_story_is_nfc"] == unicodedata.is_normalized("NFC", ballot["story"])
    for name in ("district", "rating", "target", "service", "lang", "burst"):
        assert signed[name] == ballot[name]
    assert signed["tags"] == sorted(ballot["tags"])
    story = signed["story"]
    assert unicodedata.is_normalized("NFC", story)
    assert story == story.strip()
    assert len(story) == len(unicodedata.normalize("NFC", ballot["story"]).strip())
    assert len(story) <= 500


def test_chain_links_each_vote_to_the_one_before():
    _, raw = _public_key()
    prev = hashlib.sha256(raw).hexdigest()
    for expected_seq, vector in enumerate(VOTES, start=1):
        signed = vector["signed"]
        assert signed["seq"] == expected_seq
        assert signed["prev"] == prev
        prev = hashlib.sha256(rfc8785.dumps(signed)).hexdigest()


def test_signature_with_s_plus_l_is_refused():
    """RFC 8032 5.1.7: S must be below the group order L, so a signature has one encoding."""
    public_key, _ = _public_key()
    vector = VOTES[0]
    sig = bytes.fromhex(vector["signature_hex"])
    order = 2**252 + 27742317777372353535851937790883648493
    s_plus_l = int.from_bytes(sig[32:], "little") + order
    assert s_plus_l < 2**256
    with pytest.raises(InvalidSignature):
        public_key.verify(
            sig[:32] + s_plus_l.to_bytes(32, "little"),
            bytes.fromhex(vector["signing_input_hex"]),
        )


def test_tampered_vote_parses_but_does_not_verify():
    public_key, _ = _public_key()
    obj = json.loads(VECTORS["tampered"]["json"])
    vote = parse_vote(VECTORS["tampered"]["json"].encode("utf-8"))
    assert vote.to_json() == obj
    with pytest.raises(InvalidSignature):
        public_key.verify(
            bytes.fromhex(obj["sig"]),
            DOMAIN + rfc8785.dumps({k: v for k, v in obj.items() if k != "sig"}),
        )
    assert not vote.verify_signature(public_key)


# --- the project's code produces exactly the recorded bytes -------------------------------


@pytest.mark.parametrize("vector", VOTES, ids=_vote_id)
def test_sign_vote_reproduces_the_vector(vector):
    b = vector["ballot"]
    ballot = Ballot(
        district=b["district"],
        rating=b["rating"],
        target=Target(b["target"]["kind"], b["target"]["id"]) if b["target"] else None,
        service=b["service"],
        tags=tuple(b["tags"]),
        story=b["story"],
        lang=b["lang"],
        burst=b["burst"],
    )
    vote = sign_vote(
        _private_key(),
        VECTORS["test_key"]["kiosk_id"],
        vector["seq"],
        vector["cast_at"],
        vector["prev"],
        ballot,
    )
    assert vote.canonical_bytes().hex() == vector["canonical_hex"]
    assert vote.sig == vector["signature_hex"]
    assert vote.signed_bytes().hex() == vector["signed_bytes_hex"]
    assert vote.hash() == vector["hash"]
    assert vote.to_json() == vector["signed"]


@pytest.mark.parametrize("vector", VOTES, ids=_vote_id)
def test_parse_vote_reads_the_vector(vector):
    public_key, _ = _public_key()
    vote = parse_vote(bytes.fromhex(vector["signed_bytes_hex"]))
    assert vote.to_json() == vector["signed"]
    assert vote.canonical_bytes().hex() == vector["canonical_hex"]
    assert vote.signed_bytes().hex() == vector["signed_bytes_hex"]
    assert vote.hash() == vector["hash"]
    assert vote.verify_signature(public_key)


def test_project_key_helpers_agree():
    _, raw = _public_key()
    key = VECTORS["test_key"]
    assert kiosk_id_for(raw) == key["kiosk_id"]
    assert fingerprint_for(raw) == key["fingerprint"]
    assert genesis_prev(raw) == key["genesis_prev"]
    assert VOTE_DOMAIN == DOMAIN


@pytest.mark.parametrize("case", VECTORS["masking"], ids=lambda c: c["input"])
def test_masking_vectors(case):
    assert mask_required(case["input"]) == case["masked"]
    assert len(case["masked"]) == len(case["input"])
    assert mask_required(case["masked"]) == case["masked"]


@pytest.mark.parametrize("case", VECTORS["kiosk_masking"], ids=lambda c: c["input"])
def test_kiosk_masking_vectors(case):
    assert mask_personal_numbers(case["input"]) == case["masked"]
    assert len(case["masked"]) == len(case["input"])
    assert mask_personal_numbers(case["masked"]) == case["masked"]
    assert mask_required(case["masked"]) == case["masked"], "every reader accepts it"


def test_a_vote_from_an_older_kiosk_is_read_and_verifies():
    public_key, _ = _public_key()
    data = VECTORS["older_kiosk_vote"]["json"].encode("utf-8")
    obj = json.loads(data)
    assert rfc8785.dumps(obj) == data
    public_key.verify(
        bytes.fromhex(obj["sig"]),
        DOMAIN + rfc8785.dumps({k: v for k, v in obj.items() if k != "sig"}),
    )
    assert mask_required(obj["story"]) == obj["story"] != mask_personal_numbers(obj["story"])
    vote = parse_vote(data)
    assert vote.to_json() == obj
    assert vote.verify_signature(public_key)


@pytest.mark.parametrize("case", VECTORS["stories"], ids=lambda c: c["why"])
def test_story_normalisation_vectors(case):
    text = bytes.fromhex(case["input_utf8_hex"]).decode("utf-8")
    assert text == case["input"]
    assert normalize_story(text) == case["signed"]
    assert normalize_story(case["signed"]) == case["signed"]


@pytest.mark.parametrize("case", VECTORS["story_refusals"], ids=lambda c: c["why"])
def test_story_refusal_vectors(case):
    with pytest.raises(VoteError) as caught:
        normalize_story(bytes.fromhex(case["input_utf8_hex"]).decode("utf-8"))
    assert caught.value.code == case["code"]


@pytest.mark.parametrize("case", VECTORS["vote_refusals"], ids=lambda c: c["why"])
def test_vote_refusal_vectors(case):
    with pytest.raises(VoteError) as caught:
        parse_vote(case["json"].encode("utf-8"))
    assert caught.value.code == case["code"]


# --- docs/protocol.md says the same -----------------------------------------------------------


def _doc() -> str:
    return PROTOCOL_MD.read_text(encoding="utf-8")


def test_protocol_doc_lists_exactly_the_valid_district_codes():
    block = re.search(
        r"<!-- district-codes:begin -->\n```\n(.*?)```\n<!-- district-codes:end -->", _doc(), re.S
    )
    assert block, "docs/protocol.md has the district code list between its markers"
    listed: set[str] = set()
    for line in block.group(1).splitlines():
        province, _, ranges = line.partition(":")
        for part in ranges.split(","):
            first, _, last = part.strip().partition("-")
            assert first[:2] == province
            for n in range(int(first), int(last or first) + 1):
                listed.add(f"{n:04d}")
    assert listed == {f"{n:04d}" for n in range(10000) if valid_district(f"{n:04d}")}
    assert len(listed) == 878


def test_protocol_doc_shows_the_first_vector():
    doc = _doc()
    first = VOTES[0]
    assert VECTORS["test_key"]["public_key_hex"] in doc
    assert first["signature_hex"] in doc
    assert first["hash"] in doc
    assert bytes.fromhex(first["canonical_hex"]).decode("utf-8") in doc
    assert VECTORS["domain_prefix"]["hex"] in doc


@pytest.mark.parametrize(
    ("heading", "end", "section"),
    [
        ("**Masking, worked examples**", "#### 2.6.2", "masking"),
        ("**The kiosk's masking, worked examples**", "### 2.7", "kiosk_masking"),
    ],
)
def test_protocol_doc_masking_examples_are_vectors(heading, end, section):
    doc = _doc()
    table = doc[doc.index(heading) : doc.index(end)]
    rows = re.findall(r"^\| `(.+?)` +\| (?:`(.+?)`|unchanged) +\|", table, re.M)
    assert len(rows) >= 10
    recorded = {case["input"]: case["masked"] for case in VECTORS[section]}
    for shown_input, shown_output in rows:
        text = shown_input.replace("␠", " ")
        assert text in recorded, f"{shown_input} is not in the {section} vectors"
        assert recorded[text] == (shown_output.replace("␠", " ") or text), shown_input
