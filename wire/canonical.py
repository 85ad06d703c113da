"""RFC 8785 (JSON Canonicalization Scheme) bytes, with a fast path for the shapes we sign.

rfc8785 is the reference implementation and handles every JSON value. It is pure Python and
costs about 50 µs for one vote, a third of an Ed25519 verification, which the collector pays
for every vote it ingests. For JSON with no floating-point numbers, integers of at most 2**53
and object keys that are all ASCII, the standard library's C encoder with sorted keys, no
whitespace and ``ensure_ascii=False`` writes exactly the JCS bytes: JCS sorts keys by UTF-16
code units (the same order as code points for ASCII), escapes only ``"``, ``\\`` and U+0000 to
U+001F (with the short forms ``\\b \\f \\n \\r \\t`` and lowercase ``\\u00xx``, as ``json`` does),
and writes integers in plain decimal. Votes, batch envelopes and receipts always have that
shape. Anything else falls back to rfc8785; tests/wire/test_canonical.py checks the two agree.
"""

from __future__ import annotations

import json
from typing import Any, Final

import rfc8785

_SAFE_INT: Final = 2**53 - 1  # the integers a JSON reader holds exactly
_encode = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
).encode


def _fast_ok(value: Any) -> bool:
    if value is None or value is True or value is False or isinstance(value, str):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    if isinstance(value, dict):
        return all(isinstance(k, str) and k.isascii() and _fast_ok(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_fast_ok(v) for v in value)
    return False


def canonical_json(value: Any) -> bytes:
    """Return the RFC 8785 canonical UTF-8 bytes of a JSON value."""
    if _fast_ok(value):
        try:
            return _encode(value).encode("utf-8")
        except UnicodeEncodeError:
            pass  # a lone surrogate: let the reference implementation report it
    return rfc8785.dumps(value)


def canonical_json_known_shape(value: Any) -> bytes:
    """Return RFC 8785 bytes of a value the caller knows has the fast shape (see above).

    For the objects this project builds from literals, such as a vote: ASCII keys, no floats,
    and integers the caller has checked are within +-(2**53 - 1).
    """
    return _encode(value).encode("utf-8")
