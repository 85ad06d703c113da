"""The vote record: its fields, validation, canonical bytes, hash and Ed25519 signature.

A vote is a JSON object. Its *canonical bytes* are the RFC 8785 (JCS) serialisation of the
object without its ``sig`` member; the signature is Ed25519 over ``VOTE_DOMAIN`` followed by
those bytes (wire/canonical.py). The vote's *hash* is SHA-256 over the JCS serialisation of the whole signed
object (``sig`` included), and the next vote names it in ``prev``. docs/protocol.md is the
normative description; this module and tests/vectors/ must agree with it.

Two ways in:

* ``Ballot`` + ``sign_vote`` on the kiosk: what the citizen gave is normalised (NFC, personal
  numbers masked) and validated, then numbered, chained and signed.
* ``parse_vote`` anywhere a signed vote arrives as bytes: strict parsing (exact members,
  exact types, no duplicate keys, text already in normal form) that never raises anything
  but ``VoteError``.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire import ed25519
from wire.canonical import canonical_json, canonical_json_known_shape
from wire.clock import parse_utc
from wire.districts import valid_district
from wire.ed25519 import PublicKey, raw_public_key
from wire.masking import mask_personal_numbers, mask_required

FORMAT_VERSION: Final = 1
VOTE_DOMAIN: Final = b"sangsuk/v1/vote\n"
STORY_MAX_CHARS: Final = 500
MAX_TAGS: Final = 12
LANGUAGES: Final = ("th", "en")
TARGET_KINDS: Final = ("staff", "unit")
MAX_SEQ: Final = 2**53 - 1  # the largest integer every JSON reader holds exactly
MAX_INT_DIGITS: Final = 4300  # a longer integer is refused unread (bad_number); see 2.2

CODE_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_KIOSK_ID = re.compile(r"[0-9a-f]{32}")
# Control characters (Unicode category Cc) and the bidirectional embedding/override/isolate
# controls, which could make a story display differently from what it says.
FORBIDDEN_CHARS: Final = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

Rating = Literal[1, 2, 3, 4, 5]


class VoteError(ValueError):
    """A vote, or what a citizen gave, is not acceptable. ``code`` names the problem."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.field = field


@dataclass(frozen=True, slots=True)
class Target:
    """Who served the citizen: a staff member or a unit, by roster id."""

    kind: str
    id: str

    def to_json(self) -> dict[str, str]:
        """Return the target as its JSON object."""
        return {"id": self.id, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Ballot:
    """What a citizen gave, before it is numbered, chained and signed."""

    district: str
    rating: int
    target: Target | None = None
    service: str | None = None
    tags: tuple[str, ...] = ()
    story: str = ""
    lang: str = "th"
    burst: bool = False

    def normalized(self) -> Ballot:
        """Return the ballot with its story normalised and masked and its tags sorted, validated."""
        story = normalize_story(self.story)
        tags = tuple(sorted(self.tags))
        ballot = Ballot(
            district=self.district,
            rating=self.rating,
            target=self.target,
            service=self.service,
            tags=tags,
            story=story,
            lang=self.lang,
            burst=self.burst,
        )
        _check_ballot(ballot)
        return ballot


@dataclass(frozen=True, slots=True)
class Vote:
    """A signed vote. Build one with ``sign_vote`` or read one with ``parse_vote``."""

    kiosk: str
    seq: int
    cast_at: str
    prev: str
    ballot: Ballot
    sig: str = field(default="")
    version: int = FORMAT_VERSION

    def unsigned_json(self) -> dict[str, Any]:
        """Return the vote's JSON object without its signature."""
        b = self.ballot
        return {
            "burst": b.burst,
            "cast_at": self.cast_at,
            "district": b.district,
            "kiosk": self.kiosk,
            "lang": b.lang,
            "prev": self.prev,
            "rating": b.rating,
            "seq": self.seq,
            "service": b.service,
            "story": b.story,
            "tags": list(b.tags),
            "target": b.target.to_json() if b.target else None,
            "version": self.version,
        }

    def to_json(self) -> dict[str, Any]:
        """Return the vote's full JSON object, signature included."""
        return {**self.unsigned_json(), "sig": self.sig}

    def _canonical(self, obj: dict[str, Any]) -> bytes:
        # The keys are the literals above and the only numbers are these three integers, so
        # when they are in the safe range the fast encoder's bytes are exactly RFC 8785's.
        if all(
            type(n) is int and -MAX_SEQ <= n <= MAX_SEQ
            for n in (self.seq, self.version, self.ballot.rating)
        ):
            try:
                return canonical_json_known_shape(obj)
            except (UnicodeEncodeError, TypeError, ValueError):
                pass
        return canonical_json(obj)

    def canonical_bytes(self) -> bytes:
        """Return the RFC 8785 bytes of the vote without ``sig``: what the signature covers."""
        return self._canonical(self.unsigned_json())

    def signed_bytes(self) -> bytes:
        """Return the RFC 8785 bytes of the whole signed vote: what is stored and sent."""
        return self._canonical(self.to_json())

    def hash(self) -> str:
        """Return the SHA-256 (hex) of the signed bytes: what the next vote names in ``prev``."""
        return hashlib.sha256(self.signed_bytes()).hexdigest()

    def verify_signature(self, public_key: PublicKey, signed_bytes: bytes | None = None) -> bool:
        """Tell whether ``sig`` is a valid signature of this vote by ``public_key``.

        A caller that already has ``signed_bytes()`` may pass it to save serialising twice.
        """
        if signed_bytes is not None:
            return verify_vote_signature(public_key, self.sig, signed_bytes)
        try:
            signature, message = bytes.fromhex(self.sig), VOTE_DOMAIN + self.canonical_bytes()
        except (ValueError, UnicodeEncodeError):
            return False
        return ed25519.verify(raw_public_key(public_key), signature, message)


def verify_vote_signature(public_key: PublicKey, sig: str, signed_bytes: bytes) -> bool:
    """Tell whether ``sig`` (hex) signs the vote whose RFC 8785 bytes, sig included, are given."""
    try:
        signature, message = vote_signature_input(sig, signed_bytes)
    except (ValueError, UnicodeEncodeError):
        return False
    return ed25519.verify(raw_public_key(public_key), signature, message)


_SIG_START: Final = b',"sig":"'


def vote_signature_input(sig: str, signed_bytes: bytes) -> tuple[bytes, bytes]:
    """Return (signature, signed message) for ``wire.ed25519.verify`` from a vote's signed bytes.

    Raises ValueError (UnicodeEncodeError is one) if ``sig`` is not hex.
    """
    # In JCS the signed bytes are the unsigned bytes with the member ',"sig":"<hex>"' inserted
    # in key order ("sig" is never the first key, and the text ,"sig":" can not occur inside a
    # JSON string, whose quotes are escaped).
    member = b',"sig":"' + sig.encode("ascii") + b'"'
    # Looking for the member's short start is several times faster than looking for the whole
    # member (1.1 µs a vote); where the first start is not the member, the whole is looked for.
    at = signed_bytes.find(_SIG_START)
    if at < 0 or signed_bytes[at : at + len(member)] != member:
        return bytes.fromhex(sig), VOTE_DOMAIN + signed_bytes.replace(member, b"", 1)
    return bytes.fromhex(sig), b"".join(
        (VOTE_DOMAIN, signed_bytes[:at], signed_bytes[at + len(member) :])
    )


def normalize_story(text: str, mask: Callable[[str], str] = mask_personal_numbers) -> str:
    """Return a story as it is signed: NFC, stripped, personal numbers masked, NFC again.

    Readers check a signed story against ``mask_required`` (docs/protocol.md 2.6), which every
    kiosk's stories pass, those signed before the kiosk's wider rule among them.
    """
    if not isinstance(text, str):
        raise VoteError("story_type", "the story must be text", "story")
    _check_text(text, "story")
    masked = mask(unicodedata.normalize("NFC", text).strip())
    # "X" can compose with a combining mark that followed a digit (X + U+0307 is one
    # character), so normalise once more; the result is stable under this function.
    return unicodedata.normalize("NFC", masked)


def genesis_prev(public_key_raw: bytes) -> str:
    """Return what the first vote of a kiosk names as ``prev``: SHA-256 of its public key."""
    return hashlib.sha256(public_key_raw).hexdigest()


def sign_vote(
    key: Ed25519PrivateKey, kiosk: str, seq: int, cast_at: str, prev: str, ballot: Ballot
) -> Vote:
    """Number, chain and sign a ballot; the ballot is normalised and validated first."""
    unsigned = Vote(kiosk=kiosk, seq=seq, cast_at=cast_at, prev=prev, ballot=ballot.normalized())
    _check_envelope(unsigned)
    signature = key.sign(VOTE_DOMAIN + unsigned.canonical_bytes())
    return Vote(
        kiosk=kiosk,
        seq=seq,
        cast_at=cast_at,
        prev=prev,
        ballot=unsigned.ballot,
        sig=signature.hex(),
    )


# --- parsing -------------------------------------------------------------------------------

_MEMBERS: Final = frozenset(
    {
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
)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise VoteError("duplicate_key", f"the member {key!r} appears twice", key)
        seen[key] = value
    return seen


def _reject_constant(name: str) -> Any:
    raise VoteError("bad_number", f"{name} is not a JSON number")


def _reject_float(text: str) -> Any:
    raise VoteError("bad_number", f"only whole numbers are allowed, not {text}")


def _read_int(text: str) -> int:
    # The limit is stated here, not left to the interpreter's setting (PYTHONINTMAXSTRDIGITS
    # can change that): docs/protocol.md 2.2 gives it as a number.
    if len(text) - text.startswith("-") > MAX_INT_DIGITS:
        raise VoteError("bad_number", f"an integer of more than {MAX_INT_DIGITS} digits")
    return int(text)


def _json_error(exc: json.JSONDecodeError) -> str:
    """What is wrong with a JSON text, in words, where it is counted in bytes of the file."""
    if not exc.doc.strip():
        return "it is empty"
    if exc.msg.startswith("Unexpected UTF-8 BOM"):
        return "it begins with a byte order mark (EF BB BF)"
    size = len(exc.doc.encode("utf-8"))
    if exc.msg.startswith("Unterminated string") or exc.pos >= len(exc.doc.rstrip()):
        return f"it ends at byte {size}, in the middle of the JSON (a file cut short?)"
    # json's own words, some ending in "at" ("Invalid control character 'x' at").
    reason = exc.msg.removesuffix(" at")
    at = len(exc.doc[: exc.pos].encode("utf-8"))
    return f"{reason[:1].lower()}{reason[1:]} at byte {at}"


def parse_json_object(data: bytes, what: str = "vote") -> dict[str, Any]:
    """Decode UTF-8 JSON bytes into an object, refusing duplicate keys and non-integer numbers."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise VoteError("bad_utf8", f"the {what} is not valid UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_reject_constant,
            parse_float=_reject_float,
            parse_int=_read_int,
        )
    except json.JSONDecodeError as exc:
        raise VoteError("bad_json", f"the {what} is not valid JSON: {_json_error(exc)}") from None
    except RecursionError:
        raise VoteError("bad_json", f"the {what} is nested too deeply") from None
    except VoteError:
        raise
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise VoteError(
            "bad_number", f"the {what} holds a number that cannot be read: {exc}"
        ) from None
    if not isinstance(value, dict):
        raise VoteError("bad_json", f"the {what} must be a JSON object")
    return value


def parse_vote(data: bytes) -> Vote:
    """Parse a signed vote from its JSON bytes, strictly; raises only ``VoteError``."""
    return vote_from_json(parse_json_object(data))


def vote_from_json(obj: Mapping[str, Any]) -> Vote:
    """Build a signed vote from its decoded JSON object, strictly; raises only ``VoteError``."""
    if not isinstance(obj, Mapping):
        raise VoteError("bad_json", "a vote must be a JSON object")
    if obj.keys() != _MEMBERS:
        missing = _MEMBERS - obj.keys()
        extra = obj.keys() - _MEMBERS
        if missing:
            raise VoteError("missing_member", f"missing member(s): {', '.join(sorted(missing))}")
        raise VoteError("unknown_member", f"unknown member(s): {', '.join(sorted(extra))}")
    version = obj["version"]
    if _int(version, "version") != FORMAT_VERSION:
        raise VoteError(
            "unsupported_version",
            f"vote format version {version} is not supported (this reader knows {FORMAT_VERSION})",
            "version",
        )
    target_obj = obj["target"]
    target: Target | None = None
    if target_obj is not None:
        if not isinstance(target_obj, Mapping) or set(target_obj.keys()) != {"id", "kind"}:
            raise VoteError("bad_target", "target must be null or {kind, id}", "target")
        target = Target(
            kind=_str(target_obj["kind"], "target"), id=_str(target_obj["id"], "target")
        )
    tags = obj["tags"]
    if not isinstance(tags, list):
        raise VoteError("bad_tags", "tags must be a list", "tags")
    burst = obj["burst"]
    if not isinstance(burst, bool):
        raise VoteError("bad_burst", "burst must be true or false", "burst")
    service = obj["service"]
    ballot = Ballot(
        district=_str(obj["district"], "district"),
        rating=_int(obj["rating"], "rating"),
        target=target,
        service=None if service is None else _str(service, "service"),
        tags=tuple(_str(t, "tags") for t in tags),
        story=_str(obj["story"], "story"),
        lang=_str(obj["lang"], "lang"),
        burst=burst,
    )
    vote = Vote(
        kiosk=_str(obj["kiosk"], "kiosk"),
        seq=_int(obj["seq"], "seq"),
        cast_at=_str(obj["cast_at"], "cast_at"),
        prev=_str(obj["prev"], "prev"),
        ballot=ballot,
        sig=_str(obj["sig"], "sig"),
        version=FORMAT_VERSION,
    )
    # A signed vote must already be in normal form: nothing may be changed after signing.
    if ballot.story and normalize_story(ballot.story, mask_required) != ballot.story:
        raise VoteError(
            "story_not_normal",
            "the story is not in normal form (NFC, trimmed, personal numbers masked)",
            "story",
        )
    if list(ballot.tags) != sorted(ballot.tags):
        raise VoteError("tags_not_sorted", "tags must be sorted", "tags")
    _check_ballot(ballot)
    _check_envelope(vote)
    if not _HEX128.fullmatch(vote.sig):
        raise VoteError("bad_sig", "sig must be 128 lowercase hex digits", "sig")
    return vote


def vote_from_json_fast(obj: Any) -> Vote | None:
    """Read a decoded vote the quick way: the same Vote as ``vote_from_json``, or None.

    The collector reads hundreds of thousands of votes, almost all of them valid. This is
    ``vote_from_json`` with every rule kept and the reasons dropped: it returns None as soon
    as anything is off, and the caller then asks ``vote_from_json`` why. It must never
    accept what ``vote_from_json`` refuses, nor read a vote differently; tests/kiosk/
    test_vote_fast.py checks both on valid votes and on every kind of damage.
    """
    if not vote_json_ok(obj):
        return None
    target_obj = obj["target"]
    target = None if target_obj is None else Target(target_obj["kind"], target_obj["id"])
    ballot = Ballot(
        obj["district"], obj["rating"], target, obj["service"], tuple(obj["tags"]),
        obj["story"], obj["lang"], obj["burst"],
    )  # fmt: skip
    return Vote(obj["kiosk"], obj["seq"], obj["cast_at"], obj["prev"], ballot, obj["sig"])


def vote_json_ok(obj: Any) -> bool:
    """Tell whether ``vote_from_json`` would accept this decoded vote, without building it.

    This is the check ``vote_from_json_fast`` makes; the collector calls it alone, since for
    a valid batch it needs the decoded members, not Vote objects.
    """
    return chained_vote_json_ok(obj, None, None)


def chained_vote_json_ok(obj: Any, kiosk: str | None, prev: str | None) -> bool:
    """``vote_json_ok``, and the vote is this kiosk's and names this prev (None: any).

    A batch check knows both for almost every vote (the kiosk from the batch's key, prev from
    the vote before it), and comparing replaces checking their form: the caller passes only a
    valid kiosk id and a valid hash.
    """
    if type(obj) is not dict or obj.keys() != _MEMBERS:
        return False
    kiosk_ok = obj["kiosk"] == kiosk if kiosk is not None else _is(obj["kiosk"], _KIOSK_ID)
    prev_ok = obj["prev"] == prev if prev is not None else _is(obj["prev"], _HEX64)
    seq, cast_at, sig = obj["seq"], obj["cast_at"], obj["sig"]
    district, rating, lang, story = obj["district"], obj["rating"], obj["lang"], obj["story"]
    service, tags, target_obj = obj["service"], obj["tags"], obj["target"]
    if not (
        kiosk_ok
        and prev_ok
        and obj["version"] == FORMAT_VERSION
        and type(obj["version"]) is int
        and type(obj["burst"]) is bool
        and type(rating) is int
        and 1 <= rating <= 5
        and type(seq) is int
        and 1 <= seq <= MAX_SEQ
        and type(sig) is str
        and _HEX128.fullmatch(sig)
        and type(district) is str
        and valid_district(district)
        and (lang == "th" or lang == "en")
        and type(lang) is str
        and type(cast_at) is str
        and type(story) is str
        and len(story) <= STORY_MAX_CHARS
        and (service is None or (type(service) is str and CODE_PATTERN.fullmatch(service)))
        and type(tags) is list
        and len(tags) <= MAX_TAGS
    ):
        return False
    for i, tag in enumerate(tags):
        # Strictly ascending: sorted and without repeats.
        if type(tag) is not str or not CODE_PATTERN.fullmatch(tag) or (i and tags[i - 1] >= tag):
            return False
    if target_obj is not None:
        if type(target_obj) is not dict or target_obj.keys() != {"id", "kind"}:
            return False
        kind, target_id = target_obj["kind"], target_obj["id"]
        if not (
            (kind == "staff" or kind == "unit")
            and type(kind) is str
            and type(target_id) is str
            and CODE_PATTERN.fullmatch(target_id)
        ):
            return False
    try:
        parse_utc(cast_at)
        return not story or normalize_story(story, mask_required) == story
    except ValueError:  # VoteError is one
        return False


def _is(value: Any, pattern: re.Pattern[str]) -> bool:
    return type(value) is str and pattern.fullmatch(value) is not None


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise VoteError(f"bad_{name}", f"{name} must be text", name)
    return value


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise VoteError(f"bad_{name}", f"{name} must be a whole number", name)
    return value


# --- validation ----------------------------------------------------------------------------


def _check_text(text: str, name: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise VoteError(
            "bad_text", f"{name} contains characters that are not valid text", name
        ) from None
    bad = FORBIDDEN_CHARS.search(text)
    if bad:
        raise VoteError(
            "control_character",
            f"{name} contains the control character U+{ord(bad.group()):04X}",
            name,
        )


def _check_code(value: str, name: str) -> None:
    if not CODE_PATTERN.fullmatch(value):
        raise VoteError(
            f"bad_{name}",
            f"{name} {value!r} must be 1-32 of a-z, 0-9, '_' or '-', starting with a letter or digit",
            name,
        )


def _check_ballot(b: Ballot) -> None:
    if not isinstance(b.district, str) or not valid_district(b.district):
        raise VoteError(
            "unknown_district",
            f"district {b.district!r} is not the 4-digit code of a district office",
            "district",
        )
    if isinstance(b.rating, bool) or not isinstance(b.rating, int) or not 1 <= b.rating <= 5:
        raise VoteError("bad_rating", f"rating must be 1 to 5, not {b.rating!r}", "rating")
    if b.target is not None:
        if b.target.kind not in TARGET_KINDS:
            raise VoteError(
                "bad_target", f"target kind must be staff or unit, not {b.target.kind!r}", "target"
            )
        _check_code(b.target.id, "target")
    if b.service is not None:
        _check_code(b.service, "service")
    if len(b.tags) > MAX_TAGS:
        raise VoteError("bad_tags", f"at most {MAX_TAGS} tags, not {len(b.tags)}", "tags")
    for tag in b.tags:
        _check_code(tag, "tags")
    if len(set(b.tags)) != len(b.tags):
        raise VoteError("bad_tags", "a tag appears twice", "tags")
    if len(b.story) > STORY_MAX_CHARS:
        raise VoteError(
            "story_too_long",
            f"the story has {len(b.story)} characters; at most {STORY_MAX_CHARS} are allowed",
            "story",
        )
    if b.lang not in LANGUAGES:
        raise VoteError("bad_lang", f"lang must be th or en, not {b.lang!r}", "lang")
    if not isinstance(b.burst, bool):
        raise VoteError("bad_burst", "burst must be true or false", "burst")


def _check_envelope(v: Vote) -> None:
    if not _KIOSK_ID.fullmatch(v.kiosk):
        raise VoteError("bad_kiosk", "kiosk must be 32 lowercase hex digits", "kiosk")
    if isinstance(v.seq, bool) or not isinstance(v.seq, int) or not 1 <= v.seq <= MAX_SEQ:
        raise VoteError("bad_seq", f"seq must be a whole number from 1 to {MAX_SEQ}", "seq")
    try:
        parse_utc(v.cast_at)
    except ValueError as exc:
        raise VoteError("bad_cast_at", str(exc), "cast_at") from None
    if not _HEX64.fullmatch(v.prev):
        raise VoteError("bad_prev", "prev must be 64 lowercase hex digits", "prev")
