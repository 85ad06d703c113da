"""One Ed25519 rule everywhere (wire/ed25519.py): the strict rule, the same answer from either
library, and the edges of tests/vectors/signatures.json refused by every verifier of ours."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nacl.bindings
import nacl.exceptions
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from tests.identity_r import identity_r_sign, with_identity_r_vote
from wire import ed25519
from wire.batch import check_batch
from wire.canonical import canonical_json
from wire.keys import is_weak_public_key
from wire.receipt import RECEIPT_DOMAIN, Receipt, check_receipt, sign_receipt
from wire.vote import VOTE_DOMAIN, parse_vote

ROOT = Path(__file__).resolve().parents[2]
VECTORS_DIR = ROOT / "tests" / "vectors"
FILE: dict[str, Any] = json.loads((VECTORS_DIR / "signatures.json").read_text(encoding="utf-8"))
VECTORS: list[dict[str, Any]] = FILE["vectors"]
BY_NAME = {v["name"]: v for v in VECTORS}
L = 2**252 + 27742317777372353535851937790883648493
P = 2**255 - 19


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_signature_vectors", VECTORS_DIR / "make_signature_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parts(v: dict[str, Any]) -> tuple[bytes, bytes, bytes]:
    return bytes.fromhex(v["public_key"]), bytes.fromhex(v["signature"]), v["message"].encode()


def _openssl(key: bytes, sig: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, message)
    except InvalidSignature:
        return False
    return True


def _libsodium(key: bytes, sig: bytes, message: bytes) -> bool:
    try:
        nacl.bindings.crypto_sign_open(sig + message, key)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


# --- the vectors -------------------------------------------------------------------------------


def test_the_committed_file_is_what_the_generator_builds():
    text = (VECTORS_DIR / "signatures.json").read_text(encoding="utf-8")
    assert text == _generator().text(), "run: uv run python tests/vectors/make_signature_vectors.py"


def test_the_vectors_cover_every_step_of_the_rule():
    steps = {v["refused_at"] for v in VECTORS}
    assert steps == {
        None,
        "s_not_canonical",
        "a_not_canonical",
        "a_small_order",
        "r_not_canonical",
        "r_small_order",
        "equation",
    }
    assert FILE["test_key"]["public_key_hex"] == BY_NAME["genuine"]["public_key"]


def test_the_identity_r_vector_is_recomputed_in_pure_python():
    """R = 0100..00 and S = k*a mod L, from the published test seed alone."""
    seed = bytes.fromhex(FILE["test_key"]["private_seed_hex"])
    vector = BY_NAME["identity_r"]
    public, _, message = _parts(vector)
    h = bytearray(hashlib.sha512(seed).digest()[:32])
    h[0] &= 248
    h[31] = (h[31] & 127) | 64
    a = int.from_bytes(h, "little")
    r = bytes([1]) + bytes(31)
    k = int.from_bytes(hashlib.sha512(r + public + message).digest(), "little") % L
    assert vector["signature"] == (r + (k * a % L).to_bytes(32, "little")).hex()
    key = Ed25519PrivateKey.from_private_bytes(seed)
    assert identity_r_sign(key, message).hex() == vector["signature"]


def test_openssl_alone_accepts_the_vectors_recorded_so():
    """So the refusals below are meaningful: cryptography on its own counts these."""
    accepted = {v["name"] for v in VECTORS if _openssl(*_parts(v))}
    assert accepted == {v["name"] for v in VECTORS if v["openssl_accepts"]}
    assert {"identity_r", "identity_a", "identity_a_y_p_plus_1", "order8_a"} <= accepted


def test_libsodium_alone_applies_the_rule():
    assert {v["name"] for v in VECTORS if _libsodium(*_parts(v))} == {
        v["name"] for v in VECTORS if v["valid"]
    }


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["name"])
def test_verify_answers_each_vector_under_each_library(vector, ed25519_backend):
    key, sig, message = _parts(vector)
    assert ed25519.backend() == ed25519_backend
    assert ed25519.verify(key, sig, message) is vector["valid"]
    step = vector["refused_at"]
    assert ed25519.refusal(key, sig) == (None if step in (None, "equation") else step)


def test_the_self_check_signatures_are_the_vectors():
    for key, sig, message, valid in ed25519._SELF_CHECK:
        name = "genuine" if valid else "mixed_order_r"
        assert (key, sig, message.decode()) == (
            BY_NAME[name]["public_key"],
            BY_NAME[name]["signature"],
            BY_NAME[name]["message"],
        )


# --- both libraries, every input -----------------------------------------------------------------


def _mutations(rng: random.Random) -> list[tuple[bytes, bytes, bytes]]:
    """Genuine signatures and every kind of change to them, including the edges' shapes."""
    cases = []
    for _ in range(40):
        key = Ed25519PrivateKey.generate()
        public = key.public_key().public_bytes_raw()
        message = VOTE_DOMAIN + rng.randbytes(rng.randrange(0, 600))
        sig = key.sign(message)
        s = int.from_bytes(sig[32:], "little")
        flip = rng.randrange(512)
        flipped = bytearray(sig)
        flipped[flip // 8] ^= 1 << (flip % 8)
        cases += [
            (public, sig, message),
            (public, sig, message + b"!"),
            (public, bytes(flipped), message),
            (public, sig[:32] + (s + L).to_bytes(32, "little"), message),
            (public, identity_r_sign(key, message), message),
            (public, rng.randbytes(64), message),
            (rng.randbytes(32), sig, message),
            (public, sig[:63], message),
            (public[:31], sig, message),
        ]
    for weak in ed25519.SMALL_ORDER_ENCODINGS:
        cases.append((weak, weak + bytes(32), b"any message"))
    return cases


def test_both_libraries_give_the_same_answer_on_every_input():
    rng = random.Random(21)
    cases = _mutations(rng)
    answers = {}
    before = ed25519.backend()
    try:
        for name in ed25519.BACKENDS:
            ed25519.use_backend(name)
            answers[name] = [ed25519.verify(*case) for case in cases]
    finally:
        ed25519.use_backend(before)
    assert answers["pynacl"] == answers["cryptography"]
    assert sum(answers["pynacl"]) == 40  # the genuine ones, and only those


# --- which library, and a library that does not compute the same equation ------------------------


def _backend_in_a_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from wire import ed25519; print(ed25519.backend())"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_pynacl_is_used_when_installed_and_the_environment_can_choose():
    assert _backend_in_a_fresh_process({ed25519.BACKEND_ENV: ""}).stdout.strip() == "pynacl"
    chosen = _backend_in_a_fresh_process({ed25519.BACKEND_ENV: "cryptography"})
    assert chosen.stdout.strip() == "cryptography"
    wrong = _backend_in_a_fresh_process({ed25519.BACKEND_ENV: "openssl"})
    assert wrong.returncode != 0
    assert "unknown Ed25519 library 'openssl'" in wrong.stderr
    assert "SANGSUK_ED25519 may be one of pynacl, cryptography" in wrong.stderr


def test_a_library_that_accepts_a_small_order_part_is_not_used(monkeypatch, caplog):
    """A cofactored libsodium (its development branch is one) would disagree with OpenSSL."""

    def cofactored(signed: bytes, public: bytes) -> bytes:  # accepts the mixed-order R too
        if signed[:64].hex() == BY_NAME["mixed_order_r"]["signature"]:
            return signed[64:]
        return real(signed, public)

    real = nacl.bindings.crypto_sign_open
    before = ed25519.backend()
    try:
        with monkeypatch.context() as patch:
            patch.setattr(nacl.bindings, "crypto_sign_open", cofactored)
            patch.delenv(ed25519.BACKEND_ENV, raising=False)
            assert ed25519.use_backend() == "cryptography"
            assert "not verifying Ed25519 signatures with pynacl" in caplog.text
            with pytest.raises(ed25519.BackendError, match="self-check failed"):
                ed25519.use_backend("pynacl")
    finally:
        ed25519.use_backend(before)


# --- keys ---------------------------------------------------------------------------------------


def test_the_small_order_encodings_are_exactly_the_points_of_small_order():
    gen = _generator()
    canonical = set()
    for encoding in ed25519.SMALL_ORDER_ENCODINGS:
        # As libsodium's list: y (mod p), either sign bit (x = 0 has only one point).
        unsigned = encoding[:31] + bytes([encoding[31] & 0x7F])
        point = gen.decode(encoding, reduce=True) or gen.decode(unsigned, reduce=True)
        assert point is not None
        assert gen.same(gen.mul(8, point), gen.IDENTITY)
        canonical.add(gen.encode(point))
    assert len(canonical) == 8  # all 8 points, each with its canonical encoding in the list
    assert canonical <= ed25519.SMALL_ORDER_ENCODINGS


def test_weak_keys_are_the_keys_under_which_the_rule_refuses_everything():
    genuine = bytes.fromhex(BY_NAME["genuine"]["public_key"])
    assert not is_weak_public_key(genuine)
    assert not is_weak_public_key(bytes.fromhex(BY_NAME["mixed_order_a_valid"]["public_key"]))
    for encoding in ed25519.SMALL_ORDER_ENCODINGS:
        assert is_weak_public_key(encoding)
    for y in range(P, 2**255):  # every non-canonical encoding, with either sign bit
        for sign in (0, 1):
            assert is_weak_public_key((y | sign << 255).to_bytes(32, "little"))
    assert not is_weak_public_key((P - 2).to_bytes(32, "little"))  # canonical (off the curve)
    for v in VECTORS:
        if (v["refused_at"] or "").startswith("a_"):
            assert is_weak_public_key(bytes.fromhex(v["public_key"]))


# --- every verifier of ours refuses an identity-R signature ---------------------------------------


def test_a_batch_with_an_identity_r_vote_is_refused(make_kiosk, ed25519_backend):
    kiosk = make_kiosk()
    kiosk.cast(3)
    genuine = kiosk.batch()
    assert check_batch(genuine).ok
    forged = with_identity_r_vote(kiosk.key.private_key, genuine)
    check = check_batch(forged)
    assert [(p.code, p.seq) for p in check.problems] == [("bad_signature", 3)]


def test_a_batch_envelope_signed_with_identity_r_is_refused(make_kiosk, ed25519_backend):
    kiosk = make_kiosk()
    kiosk.cast(2)
    envelope = json.loads(kiosk.batch())
    header = {k: v for k, v in envelope.items() if k not in ("votes", "sig")}
    envelope["sig"] = identity_r_sign(
        kiosk.key.private_key, b"sangsuk/v1/batch\n" + canonical_json(header)
    ).hex()
    check = check_batch(canonical_json(envelope))
    assert [p.code for p in check.problems] == ["bad_batch_signature"]


def test_a_vote_signed_with_identity_r_does_not_verify(make_kiosk, ed25519_backend):
    kiosk = make_kiosk()
    kiosk.cast(1)
    body = json.loads(kiosk.batch())["votes"][0]
    unsigned = {k: v for k, v in body.items() if k != "sig"}
    body["sig"] = identity_r_sign(kiosk.key.private_key, VOTE_DOMAIN + canonical_json(unsigned))
    body["sig"] = body["sig"].hex()
    vote = parse_vote(canonical_json(body))
    assert not vote.verify_signature(kiosk.key.public_key)
    assert not vote.verify_signature(kiosk.key.public_key_raw, canonical_json(body))


def test_a_receipt_signed_with_identity_r_is_refused_by_the_kiosk(ed25519_backend):
    collector = Ed25519PrivateKey.generate()
    receipt = Receipt("a" * 32, None, [(1, 3)], [], [(1, 3)], [], "2026-11-24T03:00:00.000Z")
    obj = json.loads(sign_receipt(collector, receipt))
    assert check_receipt(canonical_json(obj), collector.public_key(), "a" * 32).ok
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    obj["sig"] = identity_r_sign(collector, RECEIPT_DOMAIN + canonical_json(unsigned)).hex()
    result = check_receipt(canonical_json(obj), collector.public_key(), "a" * 32)
    assert [p.code for p in result.problems] == ["bad_receipt_signature"]


# --- the document -------------------------------------------------------------------------------


def test_the_protocol_states_the_rule_the_vectors_follow():
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    rule = text[text.index("### 1.1 ") : text.index("## 2. Votes")]
    assert "tests/vectors/signatures.json" in rule
    steps = re.findall(r"^\| (\d) \| .* \| `([a-z_]+)` \|$", rule, re.MULTILINE)
    assert [s for _, s in steps] == [
        "s_not_canonical",
        "a_not_canonical",
        "a_small_order",
        "r_not_canonical",
        "r_small_order",
        "equation",
    ]
    assert "L = 2^252 + 27742317777372353535851937790883648493" in rule
    keys = text[text.index("### 5.5 ") : text.index("### 5.6 ")]
    listed = {bytes.fromhex(h) for h in re.findall(r"^([0-9a-f]{64})$", keys, re.MULTILINE)}
    assert listed == ed25519.SMALL_ORDER_ENCODINGS
