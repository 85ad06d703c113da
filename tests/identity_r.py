"""Signatures whose R is the identity point, as anyone holding a key can make them (nonce r = 0).

With r = 0, R = [0]B is the identity, encoded 0100..00, and S = k*a mod L, where
k = SHA-512(R || A || M) mod L and a is the clamped secret scalar. The Ed25519 equation
[S]B = R + [k]A holds, so OpenSSL (``cryptography``) accepts the signature; libsodium refuses
it because R has small order, and so does Sangsuk's strict rule (docs/protocol.md 1.1). A
kiosk that signs its own votes this way must not get them counted by one verifier and not by
another. Pure Python: no library makes such a signature.

A pytest plugin too (tests/conftest.py): ``ed25519_backend`` runs a test under each library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, Final

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire import ed25519
from wire.batch import BATCH_DOMAIN, votes_hash
from wire.canonical import canonical_json
from wire.vote import VOTE_DOMAIN

L: Final = 2**252 + 27742317777372353535851937790883648493
IDENTITY: Final = bytes([1]) + bytes(31)


def identity_r_sign(key: Ed25519PrivateKey, message: bytes) -> bytes:
    """The 64-byte signature of message by key with R the identity point."""
    public = key.public_key().public_bytes_raw()
    h = bytearray(hashlib.sha512(key.private_bytes_raw()).digest()[:32])
    h[0] &= 248
    h[31] = (h[31] & 127) | 64
    a = int.from_bytes(h, "little")
    k = int.from_bytes(hashlib.sha512(IDENTITY + public + message).digest(), "little") % L
    return IDENTITY + (k * a % L).to_bytes(32, "little")


def with_identity_r_vote(key: Ed25519PrivateKey, batch: bytes) -> bytes:
    """The batch with its last vote signed with R the identity, and everything else genuine.

    The last vote, so that no vote after it names its (changed) hash; the votes hash is
    recomputed and the envelope signed again, genuinely, by the same key.
    """
    envelope: dict[str, Any] = orjson.loads(batch)
    vote = envelope["votes"][-1]
    unsigned = {k: v for k, v in vote.items() if k != "sig"}
    vote["sig"] = identity_r_sign(key, VOTE_DOMAIN + canonical_json(unsigned)).hex()
    hashes = [hashlib.sha256(canonical_json(v)).hexdigest() for v in envelope["votes"]]
    envelope["votes_hash"] = votes_hash(hashes)
    header = {k: v for k, v in envelope.items() if k not in ("votes", "sig")}
    envelope["sig"] = key.sign(BATCH_DOMAIN + canonical_json(header)).hex()
    return canonical_json(envelope)


@pytest.fixture(params=ed25519.BACKENDS)
def ed25519_backend(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Each Ed25519 library in turn doing the arithmetic, here and in processes started here."""
    before = ed25519.backend()
    monkeypatch.setenv(ed25519.BACKEND_ENV, request.param)
    ed25519.use_backend(request.param)
    try:
        yield request.param
    finally:
        ed25519.use_backend(before)
