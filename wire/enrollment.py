"""Enrollment by USB and the collector's signed answer: the two files, signing and checking them.

A kiosk with no network writes an *enrollment request* to a stick; the central office imports
it and writes the signed *enrollment answer* beside it; the kiosk imports the answer. The
collector returns the same signed answer over the network (``answer`` in the reply to
POST /api/v1/enroll). docs/protocol.md section 5.8 is the normative text:

    request: {"kind": "sangsuk-enroll-request", "version": 1, "kiosk": ..., "public_key": ...,
              "district": "3706", "token": "..." or null, "made_at": ..., "sig": ...}
    answer:  {"kind": "sangsuk-enroll-answer", "version": 1, "kiosk": ..., "public_key": ...,
              "district": ..., "size_group": ..., "name_th": ..., "name_en": ...,
              "province_th": ..., "province_en": ..., "collector_key": ...,
              "request": sha256 hex of the request file or null, "issued_at": ..., "sig": ...}

Each ``sig`` is an Ed25519 signature over its own domain prefix + the RFC 8785 bytes of the
object without ``sig``: the request's by the kiosk's key (``public_key``), the answer's by the
collector's key (``collector_key``). A file holds exactly those canonical bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.districts import SIZE_GROUPS, valid_district
from wire.keys import fingerprint_for, is_weak_public_key, kiosk_id_for, public_key_from_raw
from wire.receipt import is_hex, is_int, signature_ok
from wire.vote import VoteError, parse_json_object

REQUEST_KIND: Final = "sangsuk-enroll-request"
ANSWER_KIND: Final = "sangsuk-enroll-answer"
ENROLL_VERSION: Final = 1
REQUEST_DOMAIN: Final = b"sangsuk/v1/enroll-request\n"
ANSWER_DOMAIN: Final = b"sangsuk/v1/enroll-answer\n"
MAX_ENROLL_FILE_BYTES: Final = 16 * 1024  # either file is well under 2 KB
MAX_TOKEN_CHARS: Final = 200

_REQUEST_MEMBERS: Final = frozenset(
    {"kind", "version", "kiosk", "public_key", "district", "token", "made_at", "sig"}
)
_ANSWER_MEMBERS: Final = frozenset(
    {
        "kind",
        "version",
        "kiosk",
        "public_key",
        "district",
        "size_group",
        "name_th",
        "name_en",
        "province_th",
        "province_en",
        "collector_key",
        "request",
        "issued_at",
        "sig",
    }
)


class EnrollFileError(Exception):
    """An enrollment request or answer that is refused. ``code`` names why (docs/protocol.md)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class EnrollRequest:
    """A kiosk's request to be enrolled (see the module docstring)."""

    public_key: str  # 64 lowercase hex digits
    district: str
    token: str | None
    made_at: str

    @property
    def kiosk(self) -> str:
        """The kiosk id of the public key."""
        return kiosk_id_for(bytes.fromhex(self.public_key))

    def to_json(self) -> dict[str, Any]:
        """The request as its JSON object, without signature."""
        return {
            "kind": REQUEST_KIND,
            "version": ENROLL_VERSION,
            "kiosk": self.kiosk,
            "public_key": self.public_key,
            "district": self.district,
            "token": self.token,
            "made_at": self.made_at,
        }


@dataclass(frozen=True, slots=True)
class EnrollAnswer:
    """The collector's signed enrollment (see the module docstring)."""

    kiosk: str
    public_key: str
    district: str
    size_group: str
    name_th: str
    name_en: str
    province_th: str
    province_en: str
    collector_key: str
    request: str | None  # SHA-256 hex of the request file answered; None over the network
    issued_at: str

    def to_json(self) -> dict[str, Any]:
        """The answer as its JSON object, without signature."""
        return {
            "kind": ANSWER_KIND,
            "version": ENROLL_VERSION,
            "kiosk": self.kiosk,
            "public_key": self.public_key,
            "district": self.district,
            "size_group": self.size_group,
            "name_th": self.name_th,
            "name_en": self.name_en,
            "province_th": self.province_th,
            "province_en": self.province_en,
            "collector_key": self.collector_key,
            "request": self.request,
            "issued_at": self.issued_at,
        }

    @property
    def collector_fingerprint(self) -> str:
        """The collector key's fingerprint, as printed on the enrollment sheet."""
        return fingerprint_for(bytes.fromhex(self.collector_key))


def public_hex(key: Ed25519PrivateKey) -> str:
    """The raw public key of a private key, as 64 lowercase hex digits."""
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def _sign(key: Ed25519PrivateKey, domain: bytes, obj: dict[str, Any]) -> bytes:
    obj = dict(obj)
    obj["sig"] = key.sign(domain + canonical_json(obj)).hex()
    return canonical_json(obj)


def sign_request(key: Ed25519PrivateKey, district: str, token: str | None, made_at: str) -> bytes:
    """The bytes of a request file signed by the kiosk's key."""
    return _sign(
        key, REQUEST_DOMAIN, EnrollRequest(public_hex(key), district, token, made_at).to_json()
    )


def sign_answer(key: Ed25519PrivateKey, answer: EnrollAnswer) -> bytes:
    """The bytes of an answer signed by the collector's key; its collector_key must be key's."""
    if answer.collector_key != public_hex(key):
        raise ValueError("the answer must name the key that signs it")
    return _sign(key, ANSWER_DOMAIN, answer.to_json())


def request_hash(data: bytes) -> str:
    """What an answer names as ``request``: the SHA-256 of the request file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _object(data: bytes, kind: str, members: frozenset[str], what: str) -> dict[str, Any]:
    if len(data) > MAX_ENROLL_FILE_BYTES:
        raise EnrollFileError("too_large", f"the {what} is larger than any {what} can be")
    try:
        obj = parse_json_object(data, what)
    except VoteError as exc:
        raise EnrollFileError("not_" + kind.rsplit("-", 1)[-1], str(exc)) from None
    if (
        obj.get("kind") != kind
        or not is_int(obj.get("version"))
        or obj["version"] != ENROLL_VERSION
    ):
        raise EnrollFileError(
            "not_" + kind.rsplit("-", 1)[-1], f"this is not a Sangsuk {what} of a known version"
        )
    if set(obj) != members:
        raise EnrollFileError("malformed", f"the {what} has missing or unknown members")
    if canonical_json(obj) != data:
        raise EnrollFileError("malformed", f"the {what} is not in its canonical bytes")
    return obj


def _key_hex(value: Any, what: str) -> str:
    if not is_hex(value, 64) or is_weak_public_key(bytes.fromhex(value)):
        raise EnrollFileError("malformed", f"{what} is not a usable Ed25519 public key")
    assert isinstance(value, str)
    return value


def _stamp(value: Any, what: str) -> str:
    try:
        if not isinstance(value, str):
            raise ValueError
        parse_utc(value)
    except ValueError:
        raise EnrollFileError("malformed", f"{what} is not a timestamp") from None
    return value


def _signed(obj: dict[str, Any], key_hex: str, domain: bytes) -> bool:
    sig = obj["sig"]
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    return isinstance(sig, str) and signature_ok(
        public_key_from_raw(bytes.fromhex(key_hex)), sig, domain + canonical_json(unsigned)
    )


def read_request(data: bytes) -> EnrollRequest:
    """Check a request file: its form, that its kiosk id is its key's, and its signature.

    The signature proves the request was made by the holder of the kiosk's private key; it
    says nothing about who may enroll (that is the token, or the officer's approval).
    """
    obj = _object(data, REQUEST_KIND, _REQUEST_MEMBERS, "enrollment request")
    public_key = _key_hex(obj["public_key"], "the request's public_key")
    district, token = obj["district"], obj["token"]
    if not isinstance(district, str) or not valid_district(district):
        raise EnrollFileError("malformed", f"the request names no known district ({district!r})")
    if token is not None and not (isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_CHARS):
        raise EnrollFileError("malformed", "the request's token must be text or null")
    made_at = _stamp(obj["made_at"], "the request's made_at")
    if obj["kiosk"] != kiosk_id_for(bytes.fromhex(public_key)):
        raise EnrollFileError("malformed", "the request's kiosk id is not its public key's")
    if not _signed(obj, public_key, REQUEST_DOMAIN):
        raise EnrollFileError(
            "bad_signature", "the request is not signed by the kiosk key it names: it was altered"
        )
    return EnrollRequest(public_key, district, token, made_at)


def read_answer(data: bytes) -> EnrollAnswer:
    """Check an answer file's form and that it is signed by the collector key it names.

    Whom it is for, and whether that collector key is to be trusted, is the reader's check:
    see check_answer.
    """
    obj = _object(data, ANSWER_KIND, _ANSWER_MEMBERS, "enrollment answer")
    collector_key = _key_hex(obj["collector_key"], "the answer's collector_key")
    public_key = _key_hex(obj["public_key"], "the answer's public_key")
    texts = ("kiosk", "district", "size_group", "name_th", "name_en", "province_th", "province_en")
    if not all(isinstance(obj[k], str) for k in texts):
        raise EnrollFileError("malformed", "the answer's names must be text")
    if not valid_district(obj["district"]) or obj["size_group"] not in SIZE_GROUPS:
        raise EnrollFileError("malformed", "the answer names an unknown district or size group")
    if not (obj["request"] is None or is_hex(obj["request"], 64)):
        raise EnrollFileError("malformed", "the answer's request must be a hash or null")
    issued_at = _stamp(obj["issued_at"], "the answer's issued_at")
    if not _signed(obj, collector_key, ANSWER_DOMAIN):
        raise EnrollFileError(
            "bad_signature",
            "the answer is not signed by the collector key it names: it was altered",
        )
    return EnrollAnswer(
        kiosk=obj["kiosk"],
        public_key=public_key,
        district=obj["district"],
        size_group=obj["size_group"],
        name_th=obj["name_th"],
        name_en=obj["name_en"],
        province_th=obj["province_th"],
        province_en=obj["province_en"],
        collector_key=collector_key,
        request=obj["request"],
        issued_at=issued_at,
    )


def check_answer(
    data: bytes,
    public_key: str,
    *,
    pinned_collector_key: str | None = None,
    request: bytes | None = None,
) -> EnrollAnswer:
    """Check an answer as the kiosk whose raw public key (hex) is public_key must.

    Refused (EnrollFileError) when it is altered or not signed by the key it names
    (``bad_signature``), for another kiosk or another key of this kiosk (``wrong_kiosk``),
    signed by another collector than the one already pinned (``wrong_collector``), or, given
    the request file this kiosk last wrote, an answer to another request (``stale_answer``:
    an old answer replayed).
    """
    answer = read_answer(data)
    if answer.public_key != public_key or answer.kiosk != kiosk_id_for(bytes.fromhex(public_key)):
        raise EnrollFileError(
            "wrong_kiosk", f"the answer is for another kiosk ({answer.kiosk}), not this one"
        )
    if pinned_collector_key is not None and answer.collector_key != pinned_collector_key:
        raise EnrollFileError(
            "wrong_collector",
            "the answer is signed by another collector than the one this kiosk already trusts",
        )
    if request is not None and answer.request != request_hash(request):
        raise EnrollFileError(
            "stale_answer",
            "the answer answers another enrollment request than the one this kiosk last wrote",
        )
    return answer
