"""A second recount, written from docs/protocol.md alone (sections 1.1, 2, 3.6 and 7), to hold
`recount` to the document: every test of a publication runs both and wants the same answer.

It uses none of collector/ and of wire/ only the vote reader of section 2 (``vote_from_json``,
for the members' values and the story's normal form, which tests/wire/test_vectors.py checks
on its own). JSON Canonicalization is the rfc8785 package; Ed25519 is PyNaCl (libsodium) or
`cryptography` (OpenSSL) with steps 1 to 5 of 1.1 made first, as 1.1 says; the 14 small-order
encodings are read from section 5.5 of the document itself.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import nacl.bindings
import nacl.exceptions
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from wire.vote import VoteError, vote_from_json

PROTOCOL_MD = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
# Written out here on purpose, not imported: the document fixes these bytes and numbers.
VOTE_PREFIX = b"sangsuk/v1/vote\n"
BATCH_PREFIX = b"sangsuk/v1/batch\n"
PUBLICATION_PREFIX = b"sangsuk/v1/publication\n"
P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
MAX_SEQ = 2**53 - 1
GROUPS = ("small", "medium", "large")
HEX = re.compile(r"[0-9a-f]*")
TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z")
SCORE = re.compile(r"(0|[1-9][0-9]*)\.[0-9]{4}")
MANIFEST_MEMBERS = {
    "announced",
    "awards",
    "batches",
    "campaign",
    "collector_key",
    "counted",
    "districts",
    "kind",
    "kiosks",
    "published_at",
    "quarantined",
    "ranking",
    "seqs",
    "sig",
    "version",
}
BATCH_MEMBERS = {
    "count",
    "first_seq",
    "kind",
    "kiosk",
    "last_seq",
    "made_at",
    "public_key",
    "sig",
    "version",
    "votes",
    "votes_hash",
}


class RefusedError(Exception):
    """The publication does not verify; the message says where."""


def _small_order() -> set[bytes]:
    text = PROTOCOL_MD.read_text(encoding="utf-8")
    section = text[text.index("### 5.5 Small-order keys") : text.index("### 5.6")]
    found = {bytes.fromhex(h) for h in re.findall(r"^([0-9a-f]{64})$", section, re.M)}
    assert len(found) == 14
    return found


SMALL_ORDER = _small_order()


def _canonical(encoding: bytes) -> bool:
    return int.from_bytes(encoding, "little") & ~(1 << 255) < P


def _libsodium(key: bytes, sig: bytes, message: bytes) -> bool:
    try:
        nacl.bindings.crypto_sign_open(sig + message, key)
    except nacl.exceptions.BadSignatureError:
        return False
    return True


def _openssl(key: bytes, sig: bytes, message: bytes) -> bool:
    r, s = sig[:32], int.from_bytes(sig[32:], "little")
    if s >= L or not _canonical(key) or key in SMALL_ORDER:  # steps 1 to 3
        return False
    if not _canonical(r) or r in SMALL_ORDER:  # steps 4 and 5
        return False
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(sig, message)  # step 6
    except (InvalidSignature, ValueError):
        return False
    return True


VERIFIERS: dict[str, Callable[[bytes, bytes, bytes], bool]] = {
    "pynacl": _libsodium,
    "cryptography": _openssl,
}


def _strict_json(data: bytes) -> Any:
    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for name, value in pairs:
            if name in obj:
                raise RefusedError("a member named twice")
            obj[name] = value
        return obj

    def refuse(text: str) -> Any:
        raise RefusedError(f"not an integer: {text}")

    try:
        value = json.loads(
            data.decode("utf-8"),
            object_pairs_hook=members,
            parse_float=refuse,
            parse_constant=refuse,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RefusedError(f"not strict JSON: {exc}") from None
    if not isinstance(value, dict):
        raise RefusedError("not a JSON object")
    return value


def _whole(value: Any, low: int = 0, high: int = MAX_SEQ) -> bool:
    return type(value) is int and low <= value <= high


def _hex(value: Any, digits: int) -> bool:
    return isinstance(value, str) and len(value) == digits and HEX.fullmatch(value) is not None


def _moment(value: Any) -> bool:
    """A timestamp of 2.4: the exact form, and a real moment."""
    if not isinstance(value, str) or not TIMESTAMP.fullmatch(value):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return False
    return True


def _need(ok: bool, why: str) -> None:
    if not ok:
        raise RefusedError(why)


@dataclass
class SpecVote:
    """What the recount keeps of a vote."""

    rating: int
    district: str
    prev: str


@dataclass
class SpecResult:
    """The verified count: what `recount` must also find."""

    counted: int
    kiosks: int
    awards: dict[str, list[dict[str, Any]]]


class SpecRecount:
    """docs/protocol.md 7.4 over a publication folder."""

    def __init__(self, folder: Path, trusted_key: str, library: str) -> None:
        self.folder, self.trusted_key = folder, trusted_key
        self.verify = VERIFIERS[library]

    def _signed(self, key_hex: str, sig: Any, message: bytes) -> bool:
        return _hex(sig, 128) and self.verify(bytes.fromhex(key_hex), bytes.fromhex(sig), message)

    def read(self, name: str) -> bytes:
        """A published file's bytes; a file that is missing refuses the publication."""
        try:
            return (self.folder / name).read_bytes()
        except OSError as exc:
            raise RefusedError(f"{name}: {exc}") from None

    def run(self) -> SpecResult:
        """Recount, or raise RefusedError."""
        m = self.manifest()
        votes: dict[tuple[str, int], dict[str, SpecVote]] = {}
        published = []
        for entry in m["batches"]:
            kiosk, seqs = entry["kiosk"], self.batch(m, entry, votes)
            published.append((kiosk, seqs))
        for q in m["quarantined"]:
            self.quarantined(m, q, votes)
        for folder, suffix, listed in (
            ("batches", ".batch.json", {b["file"] for b in m["batches"]}),
            ("quarantine", ".vote.json", {q["file"] for q in m["quarantined"]}),
        ):
            for path in (self.folder / folder).glob("*" + suffix):
                _need(f"{folder}/{path.name}" in listed, f"{path.name} is not published")
        quarantined = {(q["kiosk"], q["seq"], q["hash"]) for q in m["quarantined"]}
        counted: dict[tuple[str, int], tuple[str, SpecVote]] = {}
        for (kiosk, seq), copies in votes.items():
            kept = [(h, v) for h, v in copies.items() if (kiosk, seq, h) not in quarantined]
            _need(len(kept) <= 1, f"two counted votes {seq} of {kiosk}")
            if kept:
                counted[(kiosk, seq)] = kept[0]
        for (kiosk, seq), (_, vote) in counted.items():
            before = counted.get((kiosk, seq - 1))
            _need(before is None or vote.prev == before[0], f"{kiosk} {seq} does not chain")
        for q in m["quarantined"]:
            self.justified(q, votes, counted, quarantined)
        brought: dict[tuple[str, int], int] = {}  # each counted vote: the batch that brought it
        for number, (kiosk, seqs) in enumerate(published, start=1):  # in the order received
            new = {(kiosk, s) for s, h in seqs if counted.get((kiosk, s), ("",))[0] == h}
            _need(bool(new - brought.keys()), "a published batch brought no new counted vote")
            for key in new - brought.keys():
                brought[key] = number
        if m["seqs"] is not None:  # 7.4 step 4a: the seqs it names, no others
            counted = {(k, s): v for (k, s), v in counted.items() if _in_runs(m["seqs"], k, s)}
        _need(len(counted) == m["counted"]["votes"], "counted.votes")
        _need(len({k for k, _ in counted}) == m["counted"]["kiosks"], "counted.kiosks")
        awards = self.rank(m, [v for _, v in counted.values()])
        for group, held in m["announced"].items():  # step 8: on the votes it was decided on
            keys = [key for key in counted if _in_runs(held["seqs"], *key)]
            named = sum(b - a + 1 for runs in held["seqs"].values() for a, b in runs)
            _need(len(keys) == named, f"announced.{group} names votes not counted")
            upto = max((brought[key] for key in keys), default=0)  # all the first batches brought
            _need(
                set(keys) == {key for key in counted if brought[key] <= upto},
                f"announced.{group} is not what the first {upto} batches brought",
            )
            _need(held["at"] <= m["published_at"], f"announced.{group} after the publication")
            awards[group] = self.rank(m, [counted[key][1] for key in keys])[group]
        _need(awards == m["awards"], "the awards differ")
        return SpecResult(len(counted), m["counted"]["kiosks"], awards)

    def manifest(self) -> dict[str, Any]:
        """7.2 and 7.3."""
        m = _strict_json(self.read("publication.json"))
        _need(m.get("kind") == "sangsuk-publication", "kind")
        _need(_whole(m.get("version")) and m["version"] == 4, "version")
        _need(set(m) == MANIFEST_MEMBERS, "members")
        _need(m["collector_key"] == self.trusted_key, "not the trusted key")
        try:
            unsigned = rfc8785.dumps({k: v for k, v in m.items() if k != "sig"})
        except rfc8785.CanonicalizationError:
            raise RefusedError("not canonical") from None
        _need(self._signed(self.trusted_key, m["sig"], PUBLICATION_PREFIX + unsigned), "sig")
        _need(_moment(m["published_at"]), "published_at")
        ranking = m["ranking"]
        _need(
            isinstance(ranking, dict)
            and set(ranking) == {"min_votes", "prior_weight"}
            and _whole(ranking["prior_weight"], 0, 1_000_000)
            and _whole(ranking["min_votes"], 1, 1_000_000),
            "ranking",
        )
        districts = m["districts"]
        _need(
            isinstance(districts, dict)
            and all(re.fullmatch(r"[0-9]{4}", c) and g in GROUPS for c, g in districts.items()),
            "districts",
        )
        for kiosk, info in m["kiosks"].items():
            _need(
                isinstance(info, dict)
                and set(info) == {"district", "public_key", "revoked"}
                and _hex(info["public_key"], 64)
                and hashlib.sha256(bytes.fromhex(info["public_key"])).hexdigest()[:32] == kiosk
                and info["district"] in districts
                and isinstance(info["revoked"], bool),
                f"kiosk {kiosk}",
            )
        hashes = set()
        for n, b in enumerate(m["batches"], start=1):
            _need(
                isinstance(b, dict)
                and set(b) == {"file", "first_seq", "kiosk", "last_seq", "sha256"}
                and b["kiosk"] in m["kiosks"]
                and _whole(b["first_seq"], 1)
                and _whole(b["last_seq"], b["first_seq"])
                and _hex(b["sha256"], 64)
                and b["sha256"] not in hashes,
                f"batch entry {n}",
            )
            hashes.add(b["sha256"])
            name = f"batches/{n:06d}-{b['kiosk'][:8]}-{b['first_seq']:08d}-{b['last_seq']:08d}"
            _need(b["file"] == name + ".batch.json", f"batch entry {n}'s file")
        before = None
        for n, q in enumerate(m["quarantined"], start=1):
            _need(
                isinstance(q, dict)
                and set(q) == {"file", "hash", "kiosk", "reason", "seq"}
                and q["kiosk"] in m["kiosks"]
                and _whole(q["seq"], 1)
                and _hex(q["hash"], 64)
                and q["reason"] in ("conflict", "chain_fork")
                and q["file"] == f"quarantine/{n:06d}-{q['kiosk'][:8]}-{q['seq']:08d}.vote.json",
                f"quarantine entry {n}",
            )
            key = (q["kiosk"], q["seq"], q["hash"])
            _need(before is None or key > before, "quarantine order")
            before = key
        counted = m["counted"]
        _need(
            isinstance(counted, dict)
            and set(counted) == {"kiosks", "votes"}
            and _whole(counted["votes"])
            and _whole(counted["kiosks"], 0, counted["votes"]),
            "counted",
        )
        campaign = m["campaign"]
        _need(
            campaign is None
            or (
                isinstance(campaign, dict)
                and set(campaign) == {"ends_at", "name_en", "name_th", "starts_at", "year"}
                and _whole(campaign["year"], 1, 9999)
                and isinstance(campaign["name_th"], str)
                and isinstance(campaign["name_en"], str)
                and _moment(campaign["starts_at"])
                and _moment(campaign["ends_at"])
                and campaign["starts_at"] < campaign["ends_at"]
            ),
            "campaign",
        )
        _need(
            _runs_ok(m, m["seqs"])
            if m["seqs"] is not None
            else campaign is None and m["announced"] == {},
            "seqs",
        )
        _need(isinstance(m["announced"], dict) and set(m["announced"]) <= set(GROUPS), "announced")
        for group, held in m["announced"].items():
            _need(
                isinstance(held, dict)
                and set(held) == {"at", "seqs"}
                and _moment(held["at"])
                and _runs_ok(m, held["seqs"])
                and all(  # each run inside one run of seqs (they are apart)
                    any(c <= a and b <= d for c, d in m["seqs"].get(k, ()))
                    for k, runs in held["seqs"].items()
                    for a, b in runs
                ),
                f"announced.{group}",
            )
        _need(isinstance(m["awards"], dict) and set(m["awards"]) == set(GROUPS), "awards")
        for group, ranked in m["awards"].items():
            for a in ranked:
                _need(
                    isinstance(a, dict)
                    and set(a) == {"code", "score", "votes"}
                    and districts.get(a["code"]) == group
                    and isinstance(a["score"], str)
                    and SCORE.fullmatch(a["score"]) is not None
                    and _whole(a["votes"], ranking["min_votes"]),
                    f"award {a}",
                )
        return m

    def batch(
        self, m: dict[str, Any], entry: dict[str, Any], votes: dict[Any, dict[str, SpecVote]]
    ) -> list[tuple[int, str]]:
        """7.4 step 2: the file, checked as in 3.6, is the entry's batch of an enrolled kiosk."""
        data = self.read(entry["file"])
        _need(hashlib.sha256(data).hexdigest() == entry["sha256"], "batch SHA-256")
        _need(len(data) <= 4 * 1024 * 1024, "too large")
        env = _strict_json(data)
        _need(env.get("kind") == "sangsuk-batch" and env.get("version") == 1, "not a batch")
        _need(set(env) == BATCH_MEMBERS, "envelope members")
        public = env["public_key"]
        kiosk = entry["kiosk"]
        _need(public == m["kiosks"][kiosk]["public_key"], "not the enrolled key")
        genesis = hashlib.sha256(bytes.fromhex(public)).hexdigest()
        _need(env["kiosk"] == kiosk == genesis[:32], "kiosk")
        first, last, raw = env["first_seq"], env["last_seq"], env["votes"]
        _need(
            (first, last) == (entry["first_seq"], entry["last_seq"])
            and isinstance(raw, list)
            and 1 <= len(raw) <= 1000
            and env["count"] == len(raw) == last - first + 1,
            "range",
        )
        _need(_moment(env["made_at"]), "made_at")
        header = rfc8785.dumps({k: v for k, v in env.items() if k not in ("votes", "sig")})
        _need(self._signed(public, env["sig"], BATCH_PREFIX + header), "batch signature")
        hashes, prev = [], genesis if first == 1 else None
        district = m["kiosks"][kiosk]["district"]
        for seq, vote in enumerate(raw, start=first):
            h, v = self.vote(vote, public, kiosk, seq)
            _need(prev is None or v.prev == prev, "chain")
            _need(v.district == district, "not the enrolled district")
            votes.setdefault((kiosk, seq), {})[h] = v
            hashes.append(h)
            prev = h
        joined = b"".join(bytes.fromhex(h) for h in hashes)
        _need(env["votes_hash"] == hashlib.sha256(joined).hexdigest(), "votes_hash")
        return list(enumerate(hashes, start=first))

    def vote(self, vote: Any, public: str, kiosk: str, seq: int) -> tuple[str, SpecVote]:
        """2.10 steps 1 to 10 for one vote; its hash and what the count needs."""
        try:
            vote_from_json(vote)
        except VoteError as exc:
            raise RefusedError(f"vote {seq}: {exc.code}") from None
        _need(vote["kiosk"] == kiosk and vote["seq"] == seq, "vote identity")
        unsigned = rfc8785.dumps({k: v for k, v in vote.items() if k != "sig"})
        _need(self._signed(public, vote["sig"], VOTE_PREFIX + unsigned), f"vote {seq} signature")
        digest = hashlib.sha256(rfc8785.dumps(vote)).hexdigest()
        return digest, SpecVote(vote["rating"], vote["district"], vote["prev"])

    def quarantined(
        self, m: dict[str, Any], q: dict[str, Any], votes: dict[Any, dict[str, SpecVote]]
    ) -> None:
        """7.4 step 3: the file is the vote the entry names, signed by its kiosk."""
        data = self.read(q["file"])
        _need(hashlib.sha256(data).hexdigest() == q["hash"], "quarantined vote SHA-256")
        vote = _strict_json(data)
        _need(rfc8785.dumps(vote) == data, "not the vote's signed bytes")
        h, v = self.vote(vote, m["kiosks"][q["kiosk"]]["public_key"], q["kiosk"], q["seq"])
        votes.setdefault((q["kiosk"], q["seq"]), {})[h] = v

    def justified(
        self,
        q: dict[str, Any],
        votes: dict[Any, dict[str, SpecVote]],
        counted: dict[tuple[str, int], tuple[str, SpecVote]],
        quarantined: set[tuple[str, int, str]],
    ) -> None:
        """7.4 step 5."""
        kiosk, seq, h = q["kiosk"], q["seq"], q["hash"]
        vote = votes[(kiosk, seq)][h]
        held = counted.get((kiosk, seq))
        conflict = held is not None and held[0] != h
        if q["reason"] == "conflict":
            _need(conflict, f"{kiosk} {seq} is no conflict")
            return
        before, after = counted.get((kiosk, seq - 1)), counted.get((kiosk, seq + 1))
        _need(
            conflict
            or (before is not None and vote.prev != before[0])
            or (after is not None and after[1].prev != h)
            or (before is None and (kiosk, seq - 1, vote.prev) in quarantined),
            f"{kiosk} {seq} is quarantined without a reason",
        )

    def rank(self, m: dict[str, Any], counted: list[SpecVote]) -> dict[str, list[dict[str, Any]]]:
        """7.4 step 8: the Bayesian average, exactly, per size group."""
        weight, minimum = m["ranking"]["prior_weight"], m["ranking"]["min_votes"]
        districts: dict[str, list[int]] = {}
        for vote in counted:
            _need(vote.district in m["districts"], "a district without a size group")
            districts.setdefault(vote.district, []).append(vote.rating)
        awards: dict[str, list[dict[str, Any]]] = {g: [] for g in GROUPS}
        if not counted:
            return awards
        mean = Fraction(sum(v.rating for v in counted), len(counted))
        rows = []
        for code, ratings in districts.items():
            n, total = len(ratings), sum(ratings)
            if n >= minimum:
                score = (weight * mean + total) / (weight + n)
                rows.append((m["districts"][code], -score, -n, code, score))
        for group, _, _, code, score in sorted(rows):
            votes = len(districts[code])
            text = _four_decimals(score)
            awards[group].append({"code": code, "score": text, "votes": votes})
        return awards


def _runs_ok(m: dict[str, Any], value: Any) -> bool:
    """7.2's runs: kiosks of the manifest to [[first, last], ...], ascending, apart."""
    return isinstance(value, dict) and all(
        k in m["kiosks"]
        and isinstance(runs, list)
        and len(runs) > 0
        and all(
            isinstance(r, list) and len(r) == 2 and _whole(r[0], 1) and _whole(r[1], r[0])
            for r in runs
        )
        and all(later[0] > earlier[1] + 1 for earlier, later in itertools.pairwise(runs))
        for k, runs in value.items()
    )


def _in_runs(runs: dict[str, list[list[int]]], kiosk: str, seq: int) -> bool:
    return any(a <= seq <= b for a, b in runs.get(kiosk, ()))


def _four_decimals(score: Fraction) -> str:
    """The score rounded half to even to 4 decimals, written with exactly 4 (7.2)."""
    scaled = score * 10_000
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest > scaled.denominator or (2 * rest == scaled.denominator and whole % 2):
        whole += 1
    return f"{whole // 10_000}.{whole % 10_000:04d}"


def spec_recount(folder: Path, trusted_key: str, library: str) -> SpecResult:
    """Recount the publication in folder from the document alone; raise RefusedError if it fails."""
    return SpecRecount(folder, trusted_key, library).run()
