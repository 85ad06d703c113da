"""``wire.ed25519.verifier``: verify under one key, for many signatures, with ``verify``'s answers.

The batch check verifies hundreds of votes under one kiosk key through it; the key's own checks
are made once. Every vector of tests/vectors/signatures.json, under each library, must get the
answer ``verify`` gives, and so must damaged signatures and wrong lengths.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire import ed25519

VECTORS: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[1] / "vectors" / "signatures.json").read_text("utf-8")
)["vectors"]


def _parts(v: dict[str, Any]) -> tuple[bytes, bytes, bytes]:
    return bytes.fromhex(v["public_key"]), bytes.fromhex(v["signature"]), v["message"].encode()


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["name"])
def test_the_verifier_answers_each_vector_as_verify(vector, ed25519_backend):
    key, sig, message = _parts(vector)
    assert ed25519.verifier(key)(sig, message) is vector["valid"]
    assert ed25519.verify(key, sig, message) is vector["valid"]


def test_the_verifier_refuses_what_verify_refuses(ed25519_backend):
    private = Ed25519PrivateKey.generate()
    key = private.public_key().public_bytes_raw()
    check = ed25519.verifier(key)
    messages = [b"sangsuk/v1/vote\n" + bytes([i]) * (i * 7) for i in range(20)]
    for message in messages:
        sig = private.sign(message)
        s_plus_l = (int.from_bytes(sig[32:], "little") + ed25519.L).to_bytes(32, "little")
        cases = [
            (sig, message, True),
            (sig, message + b"x", False),  # another message
            (sig[:63], message, False),  # too short
            (sig + b"\0", message, False),  # too long
            (bytes([sig[0] ^ 1]) + sig[1:], message, False),  # another R
            (sig[:32] + s_plus_l, message, False),  # S not below L, same S mod L
        ]
        for signature, signed, expected in cases:
            assert check(signature, signed) is expected
            assert ed25519.verify(key, signature, signed) is expected


@pytest.mark.parametrize(
    "key", [b"", b"\1" * 31, b"\1" * 33], ids=["empty", "31 bytes", "33 bytes"]
)
def test_a_key_of_the_wrong_length_verifies_nothing(key, ed25519_backend):
    private = Ed25519PrivateKey.generate()
    sig = private.sign(b"m")
    assert ed25519.verifier(key)(sig, b"m") is False
    assert ed25519.verify(key, sig, b"m") is False
