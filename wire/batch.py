"""Batches and receipts: what crosses the office wall, by network or on a USB stick.

A *batch* is one JSON document (the HTTP body and the USB file are the same bytes):

    {"kind": "sangsuk-batch", "version": 1, "kiosk": ..., "public_key": ...,
     "first_seq": a, "last_seq": b, "count": n, "votes_hash": ..., "made_at": ...,
     "votes": [vote a, ..., vote b], "sig": ...}

``votes`` are complete signed votes (wire/vote.py) with consecutive seqs, each chained to the
one before it. ``votes_hash`` is SHA-256 over the concatenated 32-byte hashes of the votes in
order. ``sig`` is the kiosk's Ed25519 signature over ``BATCH_DOMAIN`` + the RFC 8785 bytes of
the *header*: the envelope without ``votes`` and ``sig``. The header names ``votes_hash``, which
names every vote's hash, which covers every vote's bytes, so one signature binds the whole.

A *receipt* is the collector's signed answer to a batch; its format, signing and checking are
in wire/receipt.py.

Checking never raises: it returns every problem it found, each with a code, a message a
person can read and, where it has one, the seq. docs/protocol.md is the normative text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, NamedTuple

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.ed25519 import verifier
from wire.keys import is_weak_public_key, kiosk_id_for
from wire.receipt import PROTOCOL_VERSION, Problem, Ranges, is_hex, is_int, is_seq, signature_ok
from wire.vote import (
    Vote,
    VoteError,
    chained_vote_json_ok,
    genesis_prev,
    parse_json_object,
    vote_from_json,
    vote_from_json_fast,
    vote_signature_input,
)

BATCH_KIND: Final = "sangsuk-batch"
BATCH_DOMAIN: Final = b"sangsuk/v1/batch\n"
MAX_BATCH_VOTES: Final = 1000
MAX_BATCH_BYTES: Final = 4 * 1024 * 1024
DEFAULT_BATCH_VOTES: Final = 500

_BATCH_MEMBERS: Final = frozenset(
    {
        "kind",
        "version",
        "kiosk",
        "public_key",
        "first_seq",
        "last_seq",
        "count",
        "votes_hash",
        "made_at",
        "votes",
        "sig",
    }
)


class VoteRecord(NamedTuple):
    """The members of a checked vote that the collector stores, in one flat tuple."""

    seq: int
    prev: str
    cast_at: str
    district: str
    rating: int
    target_kind: str | None
    target_id: str | None
    service: str | None
    tags: tuple[str, ...]
    story: str
    lang: str
    burst: bool


@dataclass(slots=True)
class BatchCheck:
    """The result of checking a batch: its parts where readable, and every problem found.

    The votes of a batch are kept in one of two forms. The strict reader keeps Vote objects
    and their signed bytes. The fast reader, which handles every batch a kiosk writes, keeps
    the decoded JSON objects it checked: the collector stores their members as they are, and
    Vote objects or bytes are made only if someone asks (``votes``, ``body``).
    """

    problems: list[Problem] = field(default_factory=list)
    kiosk: str | None = None
    public_key: bytes | None = None
    first_seq: int | None = None
    last_seq: int | None = None
    votes_hash: str | None = None
    made_at: str | None = None
    hashes: list[str] = field(default_factory=list)
    _votes: list[Vote] | None = field(default=None, repr=False)
    _bodies: list[bytes] | None = field(default=None, repr=False)
    _decoded: list[dict[str, Any]] | None = field(default=None, repr=False)
    _detached: bool = field(default=False, repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def add(self, code: str, message: str, seq: int | None = None) -> None:
        """Record a problem."""
        self.problems.append(Problem(code, message, seq))

    def summary(self) -> str:
        """All problems in one line, for a log or an audit row."""
        return "; ".join(p.message for p in self.problems)

    def add_vote(self, vote: Vote, digest: str, body: bytes) -> None:
        """Keep a vote the strict reader read, with its hash and signed bytes."""
        if self._votes is None:
            self._votes, self._bodies = [], []
        assert self._bodies is not None
        self._votes.append(vote)
        self._bodies.append(body)
        self.hashes.append(digest)

    @property
    def votes(self) -> list[Vote]:
        """The votes read, in batch order (all of them only if the batch is ``ok``)."""
        if self._votes is None:
            votes = []
            for obj in self._decoded_votes() if self._detached else self._decoded or ():
                vote = vote_from_json_fast(obj)
                if vote is None:  # the fast check accepted it: the two readers disagree
                    raise RuntimeError(f"vote {obj.get('seq')} was accepted but cannot be read")
                votes.append(vote)
            self._votes = votes
        return self._votes

    def body(self, index: int) -> bytes:
        """The signed RFC 8785 bytes of the vote at this position."""
        if self._bodies is not None:
            return self._bodies[index]
        return _dumps_sorted(self._decoded_votes()[index])

    def records(self) -> list[VoteRecord]:
        """The stored members of each vote read, in batch order."""
        if self._decoded is None and not self._detached:
            return [_record_of_vote(v) for v in self.votes]
        return [_record_of_json(o) for o in self._decoded_votes()]

    def detached(self) -> BatchCheck:
        """This result without the decoded votes, to send to another process cheaply.

        The receiver gets them back with ``reattach`` and the same batch bytes: a batch the
        fast reader accepted is canonical, so decoding its bytes again gives the same votes.
        A result of the strict reader keeps its Vote objects and travels whole.
        """
        if self._decoded is None:
            return self
        return replace(self, _decoded=None, _detached=True)

    def reattach(self, data: bytes) -> BatchCheck:
        """Undo ``detached`` with the batch's bytes; return self."""
        if self._detached:
            self._decoded = orjson.loads(data)["votes"]
            self._detached = False
        return self

    def _decoded_votes(self) -> list[dict[str, Any]]:
        if self._decoded is None:
            raise RuntimeError("the votes of a detached batch check need reattach(data)")
        return self._decoded


def _record_of_vote(v: Vote) -> VoteRecord:
    b, t = v.ballot, v.ballot.target
    return VoteRecord(
        v.seq, v.prev, v.cast_at, b.district, b.rating, t.kind if t else None,
        t.id if t else None, b.service, b.tags, b.story, b.lang, b.burst,
    )  # fmt: skip


def _record_of_json(o: dict[str, Any]) -> VoteRecord:
    t = o["target"]
    # tuple.__new__ with the fields in order: a NamedTuple's own __new__ is Python code, and
    # this runs for every vote the collector stores.
    return _new_record(VoteRecord, (
        o["seq"], o["prev"], o["cast_at"], o["district"], o["rating"],
        t["kind"] if t else None, t["id"] if t else None,
        o["service"], tuple(o["tags"]), o["story"], o["lang"], o["burst"],
    ))  # fmt: skip


_new_record = tuple.__new__


def to_ranges(seqs: Iterable[int]) -> Ranges:
    """Collapse seqs into sorted inclusive ranges: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    out: Ranges = []
    for s in sorted(set(seqs)):
        if out and s == out[-1][1] + 1:
            out[-1] = (out[-1][0], s)
        else:
            out.append((s, s))
    return out


def gaps(held: Ranges) -> Ranges:
    """Return the ranges missing below the highest held seq (held must be sorted ranges)."""
    out: Ranges = []
    expected = 1
    for a, b in held:
        if a > expected:
            out.append((expected, a - 1))
        expected = max(expected, b + 1)
    return out


# --- hashing and signing -------------------------------------------------------------------


def votes_hash(hashes: Sequence[str]) -> str:
    """SHA-256 over the concatenated raw 32-byte vote hashes, as lowercase hex."""
    return hashlib.sha256(b"".join(bytes.fromhex(h) for h in hashes)).hexdigest()


def _header(envelope: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in envelope.items() if k not in ("votes", "sig")}


def build_batch(
    key: Ed25519PrivateKey, bodies: Sequence[bytes], hashes: Sequence[str], made_at: str
) -> bytes:
    """Wrap stored signed votes (consecutive seqs) into a signed batch; return its bytes."""
    if not bodies or len(bodies) != len(hashes):
        raise ValueError("a batch needs one hash per vote and at least one vote")
    votes = [parse_json_object(b) for b in bodies]
    public_raw = key.public_key().public_bytes_raw()
    envelope: dict[str, Any] = {
        "kind": BATCH_KIND,
        "version": PROTOCOL_VERSION,
        "kiosk": kiosk_id_for(public_raw),
        "public_key": public_raw.hex(),
        "first_seq": votes[0]["seq"],
        "last_seq": votes[-1]["seq"],
        "count": len(votes),
        "votes_hash": votes_hash(hashes),
        "made_at": made_at,
    }
    envelope["sig"] = key.sign(BATCH_DOMAIN + canonical_json(envelope)).hex()
    envelope["votes"] = votes
    return canonical_json(envelope)


def check_batch(
    data: bytes, *, max_votes: int = MAX_BATCH_VOTES, max_bytes: int = MAX_BATCH_BYTES
) -> BatchCheck:
    """Check a batch on its own (format, every vote, chain inside it, hashes, signatures)."""
    # The fast reader only ever accepts: whatever it finds wrong is checked again by the
    # strict reader, so a refusal names exactly the problems the strict reader names.
    result = _checked(data, max_votes, max_bytes, fast=True)
    if not result.ok:
        result = _checked(data, max_votes, max_bytes, fast=False)
    return result


def _checked(data: bytes, max_votes: int, max_bytes: int, *, fast: bool) -> BatchCheck:
    result = BatchCheck()
    try:
        _check_batch(data, result, max_votes, max_bytes, fast)
    except Exception as exc:  # the promise is "never an exception to the caller"
        result.add("unreadable", f"the batch could not be checked: {type(exc).__name__}: {exc}")
    return result


def _check_batch(
    data: bytes, result: BatchCheck, max_votes: int, max_bytes: int, fast: bool
) -> None:
    if len(data) > max_bytes:
        result.add("too_large", f"the batch is {len(data)} bytes; at most {max_bytes} are accepted")
        return
    env, canonical = _load_batch(data) if fast else (None, False)
    if env is None:
        try:
            env = parse_json_object(data, "batch")
        except VoteError as exc:
            result.add(exc.code, str(exc))
            return
    if env.get("kind") != BATCH_KIND:
        result.add("not_a_batch", f"this is not a Sangsuk batch: {_kind_said(env)}")
        return
    if not is_int(env.get("version")) or env.get("version") != PROTOCOL_VERSION:
        result.add(
            "unsupported_version",
            f"batch format version {env.get('version')!r} is not supported (this collector knows {PROTOCOL_VERSION})",
        )
        return
    missing = _BATCH_MEMBERS - env.keys()
    extra = env.keys() - _BATCH_MEMBERS
    if missing or extra:
        result.add(
            "bad_envelope",
            "the batch envelope "
            + ", ".join(
                part
                for part in (
                    f"lacks {', '.join(sorted(missing))}" if missing else "",
                    f"has unknown {', '.join(sorted(extra))}" if extra else "",
                )
                if part
            ),
        )
        return
    kiosk, public_hex = env["kiosk"], env["public_key"]
    if not is_hex(public_hex, 64):
        result.add("bad_public_key", "public_key must be 64 lowercase hex digits")
        return
    public_raw = bytes.fromhex(public_hex)
    if is_weak_public_key(public_raw):
        result.add(
            "bad_public_key",
            "public_key is a small-order point, under which anyone can sign, or not a canonical"
            " encoding",
        )
        return
    if kiosk != kiosk_id_for(public_raw):
        result.add("kiosk_key_mismatch", "the kiosk id is not the one derived from the public key")
        return
    result.kiosk, result.public_key = kiosk, public_raw
    first, last, count = env["first_seq"], env["last_seq"], env["count"]
    if not all(is_seq(x) for x in (first, last)) or not is_int(count) or last < first:
        result.add(
            "bad_range", "first_seq, last_seq and count must be whole numbers with first <= last"
        )
        return
    result.first_seq, result.last_seq = first, last
    votes = env["votes"]
    if not isinstance(votes, list) or not votes:
        result.add("no_votes", "the batch holds no votes")
        return
    if len(votes) > max_votes:
        result.add(
            "too_many_votes",
            f"the batch holds {len(votes)} votes; at most {max_votes} are accepted",
        )
        return
    if count != len(votes) or last - first + 1 != len(votes):
        result.add(
            "bad_range",
            f"the batch says votes {first}-{last} ({count}) but holds {len(votes)} votes",
        )
    if not isinstance(env["made_at"], str):
        result.add("bad_made_at", "made_at must be a timestamp")
    else:
        try:
            parse_utc(env["made_at"])
            result.made_at = env["made_at"]
        except ValueError as exc:
            result.add("bad_made_at", str(exc))
    try:
        signing_input = BATCH_DOMAIN + canonical_json(_header(env))
    except (ValueError, TypeError):  # e.g. a header integer beyond 2**53: no valid signature
        signing_input = b""
    if not (
        isinstance(env["sig"], str)
        and signing_input
        and signature_ok(public_raw, env["sig"], signing_input)
    ):
        result.add(
            "bad_batch_signature",
            "the batch envelope's signature is not valid for this kiosk's key",
        )
    _check_votes(votes, result, kiosk, first, public_raw, canonical)
    if result.hashes and len(result.hashes) == len(votes):
        computed = votes_hash(result.hashes)
        result.votes_hash = computed
        if env["votes_hash"] != computed:
            result.add("hash_mismatch", "votes_hash does not match the votes in the batch")


def _kind_said(env: dict[str, Any]) -> str:
    """Why a JSON object is not a batch, in words: the kind it names, or that it names none."""
    if "kind" not in env:
        return "it has no kind"
    kind = env["kind"]
    if kind is None:
        return "its kind is null"
    if not isinstance(kind, str):
        what = {bool: "true or false", int: "a number", list: "a list"}.get(type(kind), "an object")
        return f"its kind is {what}, not text"
    shown = kind if len(kind) <= 40 else kind[:40] + "…"
    return f"its kind is {shown!r}, not {BATCH_KIND!r}"


def _load_batch(data: bytes) -> tuple[dict[str, Any] | None, bool]:
    """Read a batch the fast way if its bytes are already canonical; else (None, False).

    Kiosks always write RFC 8785 bytes. orjson (compiled) parses them, and writing the result
    back with sorted keys gives exactly the JCS bytes for every value a valid batch can hold
    (text, booleans, null and integers; tests/wire/test_batch.py checks this against
    rfc8785). So when the two byte strings are equal, the document is canonical JSON with no
    duplicate keys (a repeated key would be written once and the bytes would differ), and
    each vote's signed bytes are orjson's bytes for that vote. Anything else (other spacing,
    a duplicate key, a huge number, bad UTF-8, deep nesting) returns None and takes the strict
    reader in wire/vote.py, which gives the precise reason. Floats survive the round trip
    ("1.0"), but every member of a batch is type-checked afterwards, and no float is allowed.
    """
    try:
        env = orjson.loads(data)
        if isinstance(env, dict) and _dumps_sorted(env) == data:
            return env, True
    except (orjson.JSONDecodeError, orjson.JSONEncodeError):
        pass
    return None, False


def _dumps_sorted(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def _check_votes(
    raw_votes: list[Any],
    result: BatchCheck,
    kiosk: str,
    first: int,
    public_raw: bytes,
    canonical: bool,
) -> None:
    if canonical:
        _check_votes_fast(raw_votes, result, kiosk, first, public_raw)
        return
    prev_hash: str | None = None
    for index, raw in enumerate(raw_votes):
        expected_seq = first + index
        try:
            vote = vote_from_json(raw)
        except VoteError as exc:
            result.add(
                f"bad_vote:{exc.code}", f"vote {expected_seq} is not valid: {exc}", expected_seq
            )
            prev_hash = None
            continue
        body = vote.signed_bytes()
        digest = hashlib.sha256(body).hexdigest()
        if vote.kiosk != kiosk:
            result.add("foreign_vote", f"vote {vote.seq} belongs to another kiosk", vote.seq)
        if vote.seq != expected_seq:
            result.add(
                "seq_not_contiguous",
                f"expected vote {expected_seq} at position {index + 1}, found vote {vote.seq}",
                vote.seq,
            )
        if not vote.verify_signature(public_raw, body):
            result.add("bad_signature", f"bad signature at seq {vote.seq}", vote.seq)
        if prev_hash is not None and vote.prev != prev_hash:
            result.add(
                "chain_broken",
                f"chain broken between {vote.seq - 1} and {vote.seq}",
                vote.seq,
            )
        if vote.seq == 1 and vote.prev != genesis_prev(public_raw):
            result.add("chain_broken", "vote 1 does not start from the kiosk's public key", 1)
        prev_hash = digest
        result.add_vote(vote, digest, body)


def _check_votes_fast(
    raw_votes: list[Any],
    result: BatchCheck,
    kiosk: str,
    first: int,
    public_raw: bytes,
) -> None:
    """The same rules as the strict loop for a canonical batch, stopping at the first problem.

    Whatever it finds wrong, the strict loop checks again (see check_batch), so it only has
    to notice, not to explain. In a canonical batch each vote's JCS bytes are orjson's bytes
    for it, which are its own text in the document.
    """
    if result.problems:
        return  # refused already: the strict loop will list everything
    hashes: list[str] = []
    signed: list[tuple[bytes, bytes]] = []
    prev_hash = genesis_prev(public_raw) if first == 1 else None
    seq = first
    sha256 = hashlib.sha256
    # All the Python work first, then all the signatures in one tight loop: the two evict
    # each other's data from the CPU caches, and taking turns per vote costs a few percent.
    for raw in raw_votes:
        # The batch's kiosk is the one its key names; prev is None only for the first vote of
        # a batch that does not start at 1, whose prev is checked for its form.
        if not chained_vote_json_ok(raw, kiosk, prev_hash) or raw["seq"] != seq:
            result.add("recheck", f"vote {seq} needs the strict reader", seq)
            return
        body = _dumps_sorted(raw)
        signed.append(vote_signature_input(raw["sig"], body))  # sig is hex: checked above
        prev_hash = sha256(body).hexdigest()
        hashes.append(prev_hash)
        seq += 1
    verify_signature = verifier(public_raw)
    for seq, (signature, message) in enumerate(signed, start=first):
        if not verify_signature(signature, message):
            result.add("recheck", f"vote {seq} has a bad signature", seq)
            return
    result.hashes = hashes
    result._decoded = raw_votes
