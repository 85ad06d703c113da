"""Every Ed25519 signature check in Sangsuk: one rule, the strict one, whichever library computes.

``verify`` is the only place a signature is checked: votes, batch envelopes, receipts and the
publication manifest, at the kiosk, at the collector's intake and in ``recount``. The rule is
the one libsodium's releases apply (docs/protocol.md 1.1); checked in this order, a signature
``R || S`` of message ``M`` under public key ``A`` is refused when

1. ``S`` is not below the group order ``L`` (``s_not_canonical``);
2. ``A`` is not a canonical encoding, its y at least p = 2^255 - 19 (``a_not_canonical``);
3. ``A`` is one of the 14 encodings of the 8 points of small order (``a_small_order``);
4. ``R`` is not a canonical encoding (``r_not_canonical``);
5. ``R`` is one of those 14 encodings (``r_small_order``);
6. ``A`` does not decode to a curve point, or the encoding of [S]B - [k]A, with
   k = SHA-512(R || A || M) mod L, is not ``R`` byte for byte (``equation``: cofactorless).

Steps 1 to 5 are byte comparisons made here, before either library sees the signature.
OpenSSL (through ``cryptography``) skips 3 and 5 (it accepts the identity R of a kiosk that
signs with r = 0, and anything under the identity key), libsodium applies them all; both then
compute step 6 the same way. So both give the same answer on every input, and the faster one
does the arithmetic: PyNaCl (libsodium) when it can be imported, else ``cryptography``.
``SANGSUK_ED25519=pynacl|cryptography`` in the environment, or ``use_backend``, picks one.
Before a library is used it must pass a self-check: accept a genuine signature and refuse
one whose R has a small-order component (``_SELF_CHECK``). A cofactored verifier (libsodium's
development branch is one) accepts that signature, and would then disagree with OpenSSL on
such inputs; the default falls back to ``cryptography`` rather than use it.
tests/vectors/signatures.json holds a vector for every step.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

log = logging.getLogger(__name__)

BACKENDS: Final = ("pynacl", "cryptography")  # fastest first
BACKEND_ENV: Final = "SANGSUK_ED25519"
P: Final = 2**255 - 19
L: Final = 2**252 + 27742317777372353535851937790883648493

# The encodings of the 8 points of order 1, 2, 4 and 8 with either sign bit: libsodium's
# blocklist (ge25519_has_small_order ignores the sign bit). 8 are canonical; 6 are not (the
# identity and the point of order 2 with the sign bit set, and y = p and y = p + 1).
SMALL_ORDER_ENCODINGS: Final = frozenset(
    bytes.fromhex(h)
    for h in (
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    )
)
_Y_MASK: Final = (1 << 255) - 1

# (public key, signature, message): a genuine signature, and one whose R = rB + T, T of order
# 8, with S = r + k*a: the cofactorless equation refuses it, a cofactored one accepts it.
# From tests/vectors/signatures.json ("genuine", "mixed_order_r"); a test checks they agree.
_SELF_CHECK: Final = (
    (
        "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
        "84a0fb413b923c51bbd55f9743524dae089ab6ff3fa8666c3f2245776a1d4879"
        "62ca835970184f5eb0336c191830994f20c19be5d1e8e0a138699d071c2f7403",
        b"sangsuk signature vector: genuine",
        True,
    ),
    (
        "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8",
        "b640e9e72d78e2186bc7d082b116e9bac8c4f35c6a713e6a22b98c9bbe5faa9d"
        "8eb81ed4e96129ebf7e04d8374b39e8e7a1dd6930bada1e927a63059f07ebc0a",
        b"sangsuk signature vector: mixed-order R",
        False,
    ),
)

Arithmetic = Callable[[bytes, bytes, bytes], bool]
PublicKey = Ed25519PublicKey | bytes  # what callers hold: a loaded key, or its raw 32 bytes


class BackendError(RuntimeError):
    """The Ed25519 library asked for cannot be used; the message says why."""


def raw_public_key(key: PublicKey) -> bytes:
    """The raw 32 bytes of a public key, loaded or raw already."""
    return key if isinstance(key, bytes) else key.public_bytes_raw()


def canonical_point(encoding: bytes) -> bool:
    """Tell whether a 32-byte point encoding has y below p (the sign bit aside)."""
    return (encoding[31] & 0x7F) != 0x7F or int.from_bytes(encoding, "little") & _Y_MASK < P


def public_key_refusal(public_key: bytes) -> str | None:
    """Why no signature under this raw public key can be valid (steps 2 and 3), or None."""
    if len(public_key) != 32:
        return "a_length"
    if not canonical_point(public_key):
        return "a_not_canonical"
    if public_key in SMALL_ORDER_ENCODINGS:
        return "a_small_order"
    return None


def refusal(public_key: bytes, signature: bytes) -> str | None:
    """The first of steps 1 to 5 that refuses this key and signature, or None.

    Step 6, the equation, is the library's; ``verify`` applies all six.
    """
    if len(signature) != 64:
        return "s_length"
    if int.from_bytes(signature[32:], "little") >= L:
        return "s_not_canonical"
    refused = public_key_refusal(public_key)
    if refused is not None:
        return refused
    return _r_refusal(signature)


def _r_refusal(signature: bytes) -> str | None:
    """Steps 4 and 5, on a 64-byte signature."""
    r = signature[:32]
    if not canonical_point(r):
        return "r_not_canonical"
    if r in SMALL_ORDER_ENCODINGS:
        return "r_small_order"
    return None


def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """Tell whether signature (64 bytes) is public_key's (32 bytes) signature of message.

    The strict rule of the module docstring, with the same answer from either library.
    """
    return refusal(public_key, signature) is None and _arithmetic(public_key, signature, message)


def verifier(public_key: bytes) -> Callable[[bytes, bytes], bool]:
    """``verify`` under one public key, for many signatures: (signature, message) -> bool.

    The same answer as ``verify`` for every input; the key's own checks (steps 2 and 3) are
    made once here, not once per signature, and the library is the one in use now.
    """
    if public_key_refusal(public_key) is not None:
        return lambda signature, message: False
    arithmetic = _arithmetic

    def verify_under_key(signature: bytes, message: bytes) -> bool:
        return (
            len(signature) == 64
            and int.from_bytes(signature[32:], "little") < L
            and _r_refusal(signature) is None
            and arithmetic(public_key, signature, message)
        )

    return verify_under_key


# --- the libraries -------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _openssl_key(public_key: bytes) -> Ed25519PublicKey:
    # A batch's votes share one key: loading it once per batch, not per vote, saves a few µs.
    return Ed25519PublicKey.from_public_bytes(public_key)


def _with_cryptography(public_key: bytes, signature: bytes, message: bytes) -> bool:
    try:
        _openssl_key(public_key).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def _pynacl() -> tuple[Arithmetic, Arithmetic]:
    """libsodium's verify, called directly, and the same through PyNaCl's binding of it."""
    # Imported here: PyNaCl is optional, and a missing one is not an error. Importing
    # nacl.bindings initialises libsodium (sodium_init).
    from nacl._sodium import ffi, lib  # type: ignore[import-not-found]  # (compiled, no stubs)
    from nacl.bindings import crypto_sign_open
    from nacl.exceptions import BadSignatureError

    null, sign_open = ffi.NULL, lib.crypto_sign_open

    def with_pynacl(public_key: bytes, signature: bytes, message: bytes) -> bool:
        # crypto_sign_open is crypto_sign_verify_detached on signature || message (PyNaCl
        # has no binding of the detached call); cffi releases the GIL while libsodium runs.
        # Given no buffer for the opened message (NULL, which libsodium allows), it only
        # verifies: PyNaCl's wrapper would copy the message out and cost about 2 µs more a
        # signature, 4 % of the verify. The C function reads 32 bytes of key: checked here.
        signed = signature + message
        return len(public_key) == 32 and sign_open(null, null, signed, len(signed), public_key) == 0

    def with_binding(public_key: bytes, signature: bytes, message: bytes) -> bool:
        try:
            crypto_sign_open(signature + message, public_key)
        except BadSignatureError:
            return False
        return True

    return with_pynacl, with_binding


def _load(name: str) -> Arithmetic:
    """The arithmetic of the named library, after its self-check; BackendError if unusable."""
    if name == "cryptography":
        arithmetic: Arithmetic = _with_cryptography
        checked = [arithmetic]
    elif name == "pynacl":
        try:
            arithmetic, binding = _pynacl()
        except ImportError as exc:
            raise BackendError(f"PyNaCl cannot be imported ({exc})") from exc
        checked = [arithmetic, binding]  # one libsodium: both ways in must pass
    else:
        raise BackendError(
            f"unknown Ed25519 library {name!r}; {BACKEND_ENV} may be one of {', '.join(BACKENDS)}"
        )
    for key, sig, message, expected in _SELF_CHECK:
        if any(f(bytes.fromhex(key), bytes.fromhex(sig), message) != expected for f in checked):
            raise BackendError(
                f"{name} does not compute the cofactorless Ed25519 equation of"
                " docs/protocol.md 1.1 (its self-check failed)"
            )
    return arithmetic


def use_backend(name: str | None = None) -> str:
    """Make ``verify`` use the named library; None: $SANGSUK_ED25519, else the fastest usable.

    Returns the name in use. Raises BackendError for a library named that cannot be used.
    """
    global _arithmetic, _backend
    wanted = name or os.environ.get(BACKEND_ENV) or None
    if wanted is not None:
        _arithmetic, _backend = _load(wanted), wanted
        return wanted
    for candidate in BACKENDS:
        try:
            _arithmetic, _backend = _load(candidate), candidate
            return candidate
        except BackendError as exc:
            log.warning("not verifying Ed25519 signatures with %s: %s", candidate, exc)
    raise BackendError("no Ed25519 library passes the self-check")  # cryptography always does


def backend() -> str:
    """The name of the library ``verify`` uses."""
    return _backend


_arithmetic: Arithmetic = _with_cryptography
_backend: str = "cryptography"
use_backend()
