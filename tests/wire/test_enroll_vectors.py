"""The enrollment request and answer vectors (docs/protocol.md 5.8), recomputed independently.

The signatures are checked with only the domain prefix, the RFC 8785 reference encoder and
Ed25519 from ``cryptography``; then every file goes through wire.enrollment as a kiosk or the
collector reads it, and each tampered one must be refused with the code the vectors name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any, Final

import pytest
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from wire.enrollment import EnrollFileError, check_answer, read_answer, read_request

VECTORS_DIR: Final = Path(__file__).resolve().parents[1] / "vectors"
VECTORS: Final = json.loads((VECTORS_DIR / "enrollment.json").read_text(encoding="utf-8"))
REQUEST_PREFIX: Final = b"sangsuk/v1/enroll-request\n"
ANSWER_PREFIX: Final = b"sangsuk/v1/enroll-answer\n"


def _verify(data: bytes, prefix: bytes, key_hex: str) -> None:
    obj = json.loads(data)
    sig = bytes.fromhex(obj.pop("sig"))
    assert rfc8785.dumps({**obj, "sig": sig.hex()}) == data  # the file is its canonical bytes
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(key_hex)).verify(
        sig, prefix + rfc8785.dumps(obj)
    )


def test_the_committed_file_is_what_the_generator_builds():
    spec = importlib.util.spec_from_file_location(
        "make_enroll_vectors", VECTORS_DIR / "make_enroll_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    actual = (VECTORS_DIR / "enrollment.json").read_text(encoding="utf-8")
    assert actual == module.render(module.build()), (
        "run: uv run python tests/vectors/make_enroll_vectors.py"
    )


def test_prefixes_and_keys():
    assert VECTORS["domain_prefixes"]["request"]["hex"] == REQUEST_PREFIX.hex()
    assert VECTORS["domain_prefixes"]["answer"]["hex"] == ANSWER_PREFIX.hex()
    for prefix in (b"sangsuk/v1/vote\n", b"sangsuk/v1/batch\n", b"sangsuk/v1/receipt\n"):
        for ours in (REQUEST_PREFIX, ANSWER_PREFIX):
            assert not ours.startswith(prefix)
            assert not prefix.startswith(ours)
    for entry in (VECTORS["kiosk_key"], VECTORS["collector_key"]):
        assert "TEST-ONLY" in entry["WARNING"]
        seed = bytes.fromhex(entry["private_seed_hex"])
        public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
        assert public.hex() == entry["public_key_hex"]


def test_the_request_verifies_independently():
    data = VECTORS["request"]["bytes"].encode("utf-8")
    kiosk_key = VECTORS["kiosk_key"]["public_key_hex"]
    _verify(data, REQUEST_PREFIX, kiosk_key)
    obj = json.loads(data)
    assert obj["kiosk"] == hashlib.sha256(bytes.fromhex(kiosk_key)).hexdigest()[:32]
    assert VECTORS["request"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert VECTORS["request"]["file_name"] == f"sangsuk-enroll-3706-{obj['kiosk'][:8]}.request.json"
    request = read_request(data)
    assert (request.district, request.token) == ("3706", obj["token"])
    assert read_request(VECTORS["request_without_token"]["bytes"].encode("utf-8")).token is None


def test_the_answer_verifies_independently():
    data = VECTORS["answer"]["bytes"].encode("utf-8")
    collector = VECTORS["collector_key"]["public_key_hex"]
    _verify(data, ANSWER_PREFIX, collector)
    obj = json.loads(data)
    assert obj["collector_key"] == collector
    assert obj["public_key"] == VECTORS["kiosk_key"]["public_key_hex"]
    assert obj["request"] == VECTORS["request"]["sha256"]
    assert VECTORS["answer"]["file_name"].endswith(".answer.json")
    answer = check_answer(
        data,
        VECTORS["kiosk_key"]["public_key_hex"],
        pinned_collector_key=collector,
        request=VECTORS["request"]["bytes"].encode("utf-8"),
    )
    assert (answer.district, answer.size_group, answer.name_th) == ("3706", "small", "หัวตะพาน")


@pytest.mark.parametrize("vector", VECTORS["tampered_answers"], ids=lambda v: v["name"])
def test_a_tampered_answer_is_refused(vector: dict[str, Any]):
    with pytest.raises(EnrollFileError) as caught:
        check_answer(
            vector["answer"].encode("utf-8"),
            VECTORS["kiosk_key"]["public_key_hex"],
            pinned_collector_key=vector["pinned_collector_key"],
            request=vector["request_written"].encode("utf-8"),
        )
    assert caught.value.code == vector["refused_with"]


def test_a_changed_request_is_refused():
    (vector,) = VECTORS["tampered_requests"]
    data = vector["bytes"].encode("utf-8")
    with pytest.raises(InvalidSignature):
        _verify(data, REQUEST_PREFIX, VECTORS["kiosk_key"]["public_key_hex"])
    with pytest.raises(EnrollFileError) as caught:
        read_request(data)
    assert caught.value.code == vector["refused_with"]


def test_an_answer_read_as_a_request_and_the_reverse_are_refused():
    with pytest.raises(EnrollFileError) as caught:
        read_request(VECTORS["answer"]["bytes"].encode("utf-8"))
    assert caught.value.code == "not_request"
    with pytest.raises(EnrollFileError) as caught:
        read_answer(b"\xff not json")
    assert caught.value.code == "not_answer"
    with pytest.raises(EnrollFileError) as caught:
        read_answer(b" " * 20_000)
    assert caught.value.code == "too_large"


def test_the_protocol_quotes_the_vectors_byte_for_byte():
    text = (VECTORS_DIR.parents[1] / "docs" / "protocol.md").read_text(encoding="utf-8")
    section = text[text.index("### 5.8") : text.index("## 6. Test vectors")]
    assert f"\n{VECTORS['request']['bytes']}\n" in section
    assert f"\n{VECTORS['answer']['bytes']}\n" in section
    assert VECTORS["request"]["sha256"] in section
    assert REQUEST_PREFIX.hex() in section
    assert ANSWER_PREFIX.hex() in section
    for vector in VECTORS["tampered_answers"]:
        assert f"`{vector['refused_with']}`" in section
