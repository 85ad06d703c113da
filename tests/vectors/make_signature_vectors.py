"""Build tests/vectors/signatures.json: the Ed25519 edges every Sangsuk verifier must refuse.

Run from the project root:

    uv run python tests/vectors/make_signature_vectors.py

Each vector is a public key, a signature and a message, whether it is valid by the strict rule
of docs/protocol.md 1.1 and, if not, the first step of that rule that refuses it. The edge
signatures are computed here in pure Python (the curve arithmetic of RFC 8032 section 5.1),
because no library makes them: a signature with R the identity (nonce r = 0), with R of small
order or with a small-order part, under a small-order or non-canonically encoded key, with
S + L. For each, the file also records what two lax verifiers answer: OpenSSL (through
``cryptography``, asked here) and a cofactored verifier (8[S]B = 8R + 8[k]A, computed here),
to show which edges each rule step is there for. tests/wire/test_ed25519.py checks the
committed file equals this script's output and that every verifier of the project agrees.

The seed is the TEST-ONLY key of tests/vectors/votes.json. No kiosk may ever use it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

OUTPUT: Final = Path(__file__).with_name("signatures.json")
TEST_SEED: Final = bytes(range(32))  # TEST-ONLY, as in votes.json

# --- the curve, from RFC 8032 section 5.1 --------------------------------------------------

P: Final = 2**255 - 19
L: Final = 2**252 + 27742317777372353535851937790883648493
D: Final = -121665 * pow(121666, P - 2, P) % P
SQRT_M1: Final = pow(2, (P - 1) // 4, P)
Point = tuple[int, int, int, int]  # extended coordinates (X, Y, Z, T), x = X/Z, y = Y/Z
IDENTITY: Final[Point] = (0, 1, 1, 0)


def add(p: Point, q: Point) -> Point:
    """The sum of two points (RFC 8032 5.1.4)."""
    a = (p[1] - p[0]) * (q[1] - q[0]) % P
    b = (p[1] + p[0]) * (q[1] + q[0]) % P
    c = 2 * p[3] * q[3] * D % P
    d = 2 * p[2] * q[2] % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def mul(n: int, p: Point) -> Point:
    """[n]p."""
    q = IDENTITY
    while n:
        if n & 1:
            q = add(q, p)
        p, n = add(p, p), n >> 1
    return q


def neg(p: Point) -> Point:
    """-p."""
    return (-p[0] % P, p[1], p[2], -p[3] % P)


def encode(p: Point) -> bytes:
    """The canonical 32-byte encoding (RFC 8032 5.1.2)."""
    zi = pow(p[2], P - 2, P)
    x, y = p[0] * zi % P, p[1] * zi % P
    return (y | (x & 1) << 255).to_bytes(32, "little")


def decode(s: bytes, *, reduce: bool = False) -> Point | None:
    """The point an encoding names (RFC 8032 5.1.3), or None; reduce: take y mod p."""
    n = int.from_bytes(s, "little")
    y, sign = n & ((1 << 255) - 1), n >> 255
    if y >= P and not reduce:
        return None
    y %= P
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if v * x * x % P != u:
        if v * x * x % P != -u % P:
            return None
        x = x * SQRT_M1 % P
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def same(p: Point, q: Point) -> bool:
    """Whether two points are equal."""
    return (p[0] * q[2] - q[0] * p[2]) % P == 0 and (p[1] * q[2] - q[1] * p[2]) % P == 0


BASE: Final = decode((4 * pow(5, P - 2, P) % P).to_bytes(32, "little"))
assert BASE is not None
ORDER8: Final = decode(
    bytes.fromhex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a")
)
assert ORDER8 is not None
assert same(mul(8, ORDER8), IDENTITY)


def scalar(s: bytes) -> int:
    """A little-endian scalar."""
    return int.from_bytes(s, "little")


def challenge(r: bytes, a: bytes, message: bytes) -> int:
    """k = SHA-512(R || A || M) mod L."""
    return scalar(hashlib.sha512(r + a + message).digest()) % L


def secret_scalar(seed: bytes) -> int:
    """The clamped secret scalar a of a private key seed (RFC 8032 5.1.5)."""
    h = bytearray(hashlib.sha512(seed).digest()[:32])
    h[0] &= 248
    h[31] = (h[31] & 127) | 64
    return scalar(bytes(h))


def signature(r: bytes, s: int) -> bytes:
    """R || S."""
    return r + s.to_bytes(32, "little")


# --- two lax verifiers, for the record -----------------------------------------------------


def openssl_accepts(public_key: bytes, sig: bytes, message: bytes) -> bool:
    """What OpenSSL, through cryptography, answers."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(sig, message)
    except InvalidSignature:
        return False
    return True


def cofactored_accepts(public_key: bytes, sig: bytes, message: bytes) -> bool:
    """A cofactored verifier with no other check: 8([S]B - R - [k]A) is the identity."""
    a, r, s = decode(public_key, reduce=True), decode(sig[:32], reduce=True), scalar(sig[32:])
    if a is None or r is None or s >= L:
        return False
    k = challenge(sig[:32], public_key, message)
    return same(mul(8, add(mul(s, BASE), neg(add(r, mul(k, a))))), IDENTITY)


# --- the vectors ---------------------------------------------------------------------------


def vectors() -> Iterator[dict[str, Any]]:
    """Every vector: (name, why, key, signature, message, valid, first refusing step)."""
    seed = TEST_SEED
    private = Ed25519PrivateKey.from_private_bytes(seed)
    a_raw = private.public_key().public_bytes_raw()
    a = secret_scalar(seed)
    identity = encode(IDENTITY)

    def vector(name: str, why: str, key: bytes, sig: bytes, msg: bytes, refused: str | None):
        return {
            "name": name,
            "why": why,
            "public_key": key.hex(),
            "signature": sig.hex(),
            "message": msg.decode("ascii"),
            "valid": refused is None,
            "refused_at": refused,
            "openssl_accepts": openssl_accepts(key, sig, msg),
            "cofactored_accepts": cofactored_accepts(key, sig, msg),
        }

    msg = b"sangsuk signature vector: genuine"
    genuine = private.sign(msg)
    yield vector("genuine", "A signature made by the test key, as any kiosk makes one.",
                 a_raw, genuine, msg, None)  # fmt: skip

    msg = b"sangsuk signature vector: identity R"
    k = challenge(identity, a_raw, msg)
    yield vector(
        "identity_r",
        "Made with the private key and the nonce r = 0: R is the identity point 0100..00 and"
        " S = k*a mod L, k = SHA-512(R || A || M) mod L, a the clamped secret scalar. The"
        " equation holds, and OpenSSL accepts it; R has small order, so it is refused.",
        a_raw, signature(identity, k * a % L), msg, "r_small_order",
    )  # fmt: skip

    for name, r_bytes, refused, what in (
        ("identity_r_y_p_plus_1", bytes.fromhex("ee" + "ff" * 30 + "7f"), "r_not_canonical",
         "y = p + 1, a non-canonical encoding of the identity"),
        ("identity_r_sign_bit", bytes.fromhex("01" + "00" * 30 + "80"), "r_small_order",
         "x = 0 with the sign bit set, a non-canonical encoding of the identity"),
    ):  # fmt: skip
        msg = f"sangsuk signature vector: {name}".encode()
        k = challenge(r_bytes, a_raw, msg)
        yield vector(
            name,
            f"As identity_r, with R written as {what}; S = k*a mod L for these R bytes. A"
            " verifier that decodes R and compares points would accept it.",
            a_raw, signature(r_bytes, k * a % L), msg, refused,
        )  # fmt: skip

    msg = b"sangsuk signature vector: order-8 R"
    r_bytes = encode(ORDER8)
    k = challenge(r_bytes, a_raw, msg)
    yield vector(
        "order8_r",
        "R is a point of order 8 and S = k*a mod L: [S]B - [k]A is the identity, not R, so"
        " the cofactorless equation fails; a cofactored verifier accepts it.",
        a_raw, signature(r_bytes, k * a % L), msg, "r_small_order",
    )  # fmt: skip

    msg = b"sangsuk signature vector: mixed-order R"
    r = scalar(hashlib.sha512(b"nonce" + msg).digest()) % L
    r_bytes = encode(add(mul(r, BASE), ORDER8))
    k = challenge(r_bytes, a_raw, msg)
    yield vector(
        "mixed_order_r",
        "R = [r]B + T with T of order 8, S = r + k*a mod L: R is not of small order, but"
        " [S]B - [k]A = [r]B is not R. Refused by the cofactorless equation (OpenSSL and"
        " libsodium releases), accepted by a cofactored verifier.",
        a_raw, signature(r_bytes, (r + k * a) % L), msg, "equation",
    )  # fmt: skip

    msg = b"sangsuk signature vector: S + L"
    yield vector(
        "s_plus_l",
        "The genuine signature of this message with L added to S: the same point equation"
        " holds, but S is not below L.",
        a_raw, signature(private.sign(msg)[:32], scalar(private.sign(msg)[32:]) + L), msg,
        "s_not_canonical",
    )  # fmt: skip

    msg = b"sangsuk signature vector: S + 2L"
    yield vector(
        "s_plus_2l",
        "As s_plus_l with 2L: S still fits in 32 bytes below 2^253 and is refused.",
        a_raw, signature(private.sign(msg)[:32], scalar(private.sign(msg)[32:]) + 2 * L), msg,
        "s_not_canonical",
    )  # fmt: skip

    s = scalar(hashlib.sha512(b"any scalar").digest()) % L
    for name, key, refused, what in (
        ("identity_a", identity, "a_small_order", "the identity point 0100..00"),
        ("identity_a_y_p_plus_1", bytes.fromhex("ee" + "ff" * 30 + "7f"), "a_not_canonical",
         "y = p + 1, a non-canonical encoding of the identity that OpenSSL reads as y mod p"),
    ):  # fmt: skip
        msg = f"sangsuk signature vector: {name}".encode()
        yield vector(
            name,
            f"The key is {what}. Without any private key, R = [S]B for any S satisfies"
            " [S]B = R + [k]A for every message: OpenSSL accepts it.",
            key, signature(encode(mul(s, BASE)), s), msg, refused,
        )  # fmt: skip

    name, key = "order8_a", encode(ORDER8)
    for attempt in range(64):  # each try succeeds with probability 1/8
        msg = f"sangsuk signature vector: {name} ({attempt})".encode()
        guess = attempt % 8
        r_bytes = encode(add(mul(s, BASE), neg(mul(guess, ORDER8))))
        if challenge(r_bytes, key, msg) % 8 == guess:
            break
    else:
        raise AssertionError("no message found in 64 tries")
    yield vector(
        name,
        "The key is a point T of order 8. Without any private key: R = [S]B - [j]T, retrying"
        " the message until k = j mod 8, satisfies [S]B = R + [k]A; OpenSSL accepts it.",
        key, signature(r_bytes, s), msg, "a_small_order",
    )  # fmt: skip

    y = next(y for y in range(2, 19) if decode(y.to_bytes(32, "little")) is not None)
    noncanonical = (P + y).to_bytes(32, "little")
    msg = b"sangsuk signature vector: non-canonical A"
    yield vector(
        "a_y_p_plus_small",
        f"The key is y = p + {y}, a non-canonical encoding of a point of large order. No"
        " signature under it is valid; this one is the genuine signature of the message.",
        noncanonical, private.sign(msg), msg, "a_not_canonical",
    )  # fmt: skip

    msg = b"sangsuk signature vector: non-canonical R"
    yield vector(
        "r_y_p_plus_small",
        f"The genuine signature of the message with R replaced by y = p + {y}, a non-canonical"
        " encoding of a point of large order.",
        a_raw, noncanonical + private.sign(msg)[32:], msg, "r_not_canonical",
    )  # fmt: skip

    msg = b"sangsuk signature vector: mixed-order A"
    mixed_a = encode(add(mul(a, BASE), ORDER8))
    r = scalar(hashlib.sha512(b"nonce" + msg).digest()) % L
    r_bytes = encode(mul(r, BASE))
    k = challenge(r_bytes, mixed_a, msg)
    if k % 8 == 0:
        raise AssertionError("pick another message: k = 0 mod 8 makes this one valid")
    yield vector(
        "mixed_order_a",
        "The key is A = [a]B + T, T of order 8 (canonical, not of small order); R = [r]B and"
        " S = r + k*a mod L: [S]B - [k]A = R - [k]T is not R, as k is not a multiple of 8."
        " Refused by the cofactorless equation, accepted by a cofactored verifier.",
        mixed_a, signature(r_bytes, (r + k * a) % L), msg, "equation",
    )  # fmt: skip

    for attempt in range(64):  # as order8_a
        msg = f"sangsuk signature vector: mixed-order A, valid ({attempt})".encode()
        r_bytes = encode(add(mul(r, BASE), neg(mul(attempt % 8, ORDER8))))
        k = challenge(r_bytes, mixed_a, msg)
        if k % 8 == attempt % 8:
            break
    else:
        raise AssertionError("no message found in 64 tries")
    yield vector(
        "mixed_order_a_valid",
        "Under the key of mixed_order_a: R = [r]B - [j]T with j = k mod 8 and S = r + k*a:"
        " the cofactorless equation holds. The rule refuses keys of small order, not keys with"
        " a small-order part, so this is valid, for libsodium and OpenSSL alike.",
        mixed_a, signature(r_bytes, (r + k * a) % L), msg, None,
    )  # fmt: skip


def build() -> dict[str, Any]:
    """The whole file."""
    private = Ed25519PrivateKey.from_private_bytes(TEST_SEED)
    return {
        "about": "Ed25519 test vectors for docs/protocol.md 1.1: which signatures are valid."
        " Generated by tests/vectors/make_signature_vectors.py; do not edit by hand. Keys and"
        " signatures are lowercase hex, messages ASCII text. refused_at is the first step of"
        " the rule that refuses the vector (null: valid). openssl_accepts and"
        " cofactored_accepts are what two lax verifiers answer, for the record.",
        "test_key": {
            "WARNING": "TEST-ONLY key, published on purpose. Never use it for a real kiosk.",
            "private_seed_hex": TEST_SEED.hex(),
            "public_key_hex": private.public_key().public_bytes_raw().hex(),
        },
        "group_order_l": str(L),
        "vectors": list(vectors()),
    }


def text() -> str:
    """The file's text."""
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(text(), encoding="utf-8")
    print(f"wrote {OUTPUT}")
