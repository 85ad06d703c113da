"""The publication's manifest: its members, its signature, and every rule a member must follow.

``sangsuk-collector publish`` (collector/publish.py) writes it; ``recount`` (collector/recount.py)
reads it here and then checks every member against the published files. docs/protocol.md
section 7 defines it; this module checks everything that can be checked on the manifest alone
(the shapes, the ranges, the order, the file names, that each kiosk id is its key's), so a
recount only has the files left to compare with.

Version 2 publishes the signed bytes of every quarantined vote (``quarantine/``) and names its
file in the quarantine entry; version 1 did not, and is still read (its quarantine list is
then the collector's word, which the recount says). Version 3 adds ``campaign``: null for a
publication of every vote, or the campaign it counts, with its period and, per kiosk, the one
run of seqs the collector placed in that period; the totals and awards are then that
campaign's, and a recount counts exactly those seqs (docs/protocol.md 7.3). Version 4 moves the
seqs counted out of the campaign into ``seqs`` (null: every vote), each kiosk's as runs, and
adds ``announced``: for each size group whose awards were announced, when, and the runs of seqs
those awards were decided on, a part of ``seqs``; that group's awards are ranked from them.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from dataclasses import dataclass, field
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.ranking import Ranking, RankingMethod
from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.districts import SIZE_GROUPS, valid_district
from wire.ed25519 import verify
from wire.stick import BATCH_SUFFIX
from wire.vote import MAX_SEQ, VoteError, parse_json_object

PUBLICATION_KIND: Final = "sangsuk-publication"
PUBLICATION_VERSION: Final = 4
# 1: quarantined votes listed, not published; 3: campaign; 4: seqs as runs, announced groups
READABLE_VERSIONS: Final = (1, 2, 3, 4)
PUBLICATION_DOMAIN: Final = b"sangsuk/v1/publication\n"
MANIFEST_NAME: Final = "publication.json"
BATCHES_DIR: Final = "batches"
QUARANTINE_DIR: Final = "quarantine"
VOTE_SUFFIX: Final = ".vote.json"
QUARANTINE_REASONS: Final = ("conflict", "chain_fork")
_MEMBERS: Final = frozenset(
    {
        "kind",
        "version",
        "collector_key",
        "published_at",
        "ranking",
        "districts",
        "kiosks",
        "batches",
        "quarantined",
        "counted",
        "awards",
        "sig",
    }
)
_MEMBERS_OF: Final = {
    1: _MEMBERS,
    2: _MEMBERS,
    3: _MEMBERS | {"campaign"},
    4: _MEMBERS | {"campaign", "seqs", "announced"},
}
_CAMPAIGN_MEMBERS: Final = frozenset({"year", "name_th", "name_en", "starts_at", "ends_at"})
_CAMPAIGN_MEMBERS_V3: Final = _CAMPAIGN_MEMBERS | {"seqs"}
_KIOSK_MEMBERS: Final = frozenset({"district", "public_key", "revoked"})
_BATCH_MEMBERS: Final = frozenset({"file", "sha256", "kiosk", "first_seq", "last_seq"})
_QUARANTINE_MEMBERS: Final = {
    1: frozenset({"hash", "kiosk", "reason", "seq"}),
    2: frozenset({"file", "hash", "kiosk", "reason", "seq"}),
    3: frozenset({"file", "hash", "kiosk", "reason", "seq"}),
    4: frozenset({"file", "hash", "kiosk", "reason", "seq"}),
}
_AWARD_MEMBERS: Final = frozenset({"code", "score", "votes"})
_SCORE: Final = re.compile(r"(0|[1-9][0-9]*)\.[0-9]{4}", re.ASCII)
_HEX: Final = re.compile(r"[0-9a-f]*", re.ASCII)


def batch_file_name(number: int, kiosk: str, first: int, last: int) -> str:
    """The path of the number-th published batch (from 1), as 7.1 fixes it."""
    return f"{BATCHES_DIR}/{number:06d}-{kiosk[:8]}-{first:08d}-{last:08d}{BATCH_SUFFIX}"


def quarantine_file_name(number: int, kiosk: str, seq: int) -> str:
    """The path of the number-th quarantined vote of the list (from 1), as 7.2 fixes it."""
    return f"{QUARANTINE_DIR}/{number:06d}-{kiosk[:8]}-{seq:08d}{VOTE_SUFFIX}"


def manifest_awards(ranking: Ranking) -> dict[str, list[dict[str, Any]]]:
    """The awards as the manifest holds them: every ranked district, the score as text.

    Signed Sangsuk JSON holds integers only (docs/protocol.md 2.2), so the score, a fraction,
    is written as decimal text with exactly 4 decimals ("4.7312", "4.7000"); `awards --json`
    and `recount --json` write the same rounded score as a JSON number (4.7312, 4.7).
    """
    return {
        group: [
            {"code": r.code, "score": f"{r.score_rounded:.4f}", "votes": r.votes}
            for r in ranking.groups[group]
        ]
        for group in SIZE_GROUPS
    }


def sign_manifest(key: Ed25519PrivateKey, manifest: dict[str, Any]) -> bytes:
    """Sign a manifest (without ``sig``) with the collector key; return its JCS bytes."""
    unsigned = {k: v for k, v in manifest.items() if k != "sig"}
    signed = dict(unsigned, sig=key.sign(PUBLICATION_DOMAIN + canonical_json(unsigned)).hex())
    return canonical_json(signed)


@dataclass(frozen=True, slots=True)
class PublishedKiosk:
    """A kiosk as the manifest describes it: its key and the district it is enrolled for."""

    public_key: str
    district: str
    revoked: bool


@dataclass(frozen=True, slots=True)
class PublishedBatch:
    """A batch file as the manifest lists it."""

    file: str
    sha256: str
    kiosk: str
    first_seq: int
    last_seq: int


@dataclass(frozen=True, slots=True)
class QuarantineEntry:
    """A quarantined vote as the manifest lists it; file is None in a version 1 manifest."""

    kiosk: str
    seq: int
    hash: str
    reason: str
    file: str | None


@dataclass(frozen=True, slots=True)
class PublishedCampaign:
    """The campaign a version 3 or 4 publication counts: its year, names and period."""

    year: int
    name_th: str
    name_en: str
    starts_at: str
    ends_at: str


@dataclass(frozen=True, slots=True)
class CountedSeqs:
    """Which votes count, as each kiosk's runs of seqs: ascending, apart, never empty."""

    runs: dict[str, tuple[tuple[int, int], ...]]

    def holds(self, kiosk: str, seq: int) -> bool:
        """True when the vote (kiosk, seq) is one of these."""
        return self._run_of(kiosk, seq) is not None

    def within(self, other: CountedSeqs) -> bool:
        """True when every vote of these is one of other's."""
        return all(
            (run := other._run_of(kiosk, first)) is not None and last <= run[1]
            for kiosk, kept in self.runs.items()
            for first, last in kept
        )

    @property
    def votes(self) -> int:
        """How many votes these are."""
        return sum(last - first + 1 for kept in self.runs.values() for first, last in kept)

    def _run_of(self, kiosk: str, seq: int) -> tuple[int, int] | None:
        kept = self.runs.get(kiosk, ())
        at = bisect.bisect_right(kept, (seq, MAX_SEQ)) - 1
        return kept[at] if at >= 0 and kept[at][0] <= seq <= kept[at][1] else None


@dataclass(frozen=True, slots=True)
class AnnouncedGroup:
    """A size group whose awards in the manifest are the announced ones, decided on seqs."""

    at: str
    seqs: CountedSeqs


@dataclass(slots=True)
class Manifest:
    """A verified manifest's content."""

    version: int
    collector_key: str
    published_at: str
    method: RankingMethod
    districts: dict[str, str]
    kiosks: dict[str, PublishedKiosk]
    batches: list[PublishedBatch]
    quarantined: list[QuarantineEntry]
    counted_votes: int
    counted_kiosks: int
    awards: dict[str, Any]
    campaign: PublishedCampaign | None = None
    seqs: CountedSeqs | None = None  # None: every vote of every published batch counts
    announced: dict[str, AnnouncedGroup] = field(default_factory=dict)

    @property
    def quarantine_ids(self) -> set[tuple[str, int, str]]:
        """Every quarantined vote as (kiosk, seq, hash)."""
        return {(q.kiosk, q.seq, q.hash) for q in self.quarantined}


class ManifestError(ValueError):
    """The manifest cannot be trusted or read; the message says why, in English, and ``kind``
    (a recount problem's kind, collector/recount_files.py) with ``facts`` in other words."""

    def __init__(self, message: str, kind: str = "manifest_rules", **facts: object) -> None:
        """A refusal of the manifest: its English message, its kind and the facts it names."""
        super().__init__(message)
        self.kind = kind
        self.facts = facts


def _hex(value: Any, length: int) -> bool:
    return isinstance(value, str) and len(value) == length and _HEX.fullmatch(value) is not None


def _whole(value: Any, low: int = 0, high: int = MAX_SEQ) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def read_manifest(data: bytes, pinned_key: str | None = None) -> Manifest:
    """Check a manifest's signature (by the pinned key, if given) and every member's rules."""
    try:
        obj = parse_json_object(data, "publication")
    except VoteError as exc:
        raise ManifestError(
            f"the manifest is not valid JSON ({exc})", "manifest_not_json", error=str(exc)
        ) from None
    version = obj.get("version")
    if obj.get("kind") != PUBLICATION_KIND or not _whole(version, 1, 1 << 20):
        raise ManifestError("this is not a Sangsuk publication manifest", "manifest_not_a_manifest")
    if version not in READABLE_VERSIONS:
        raise ManifestError(
            f"this publication is of version {version}, which this recount does not know; "
            "recount it with a newer Sangsuk",
            "manifest_version",
            version=version,
        )
    if set(obj) != _MEMBERS_OF[version]:
        raise ManifestError("the manifest has missing or unknown members", "manifest_members")
    key_hex, sig = obj["collector_key"], obj["sig"]
    if not _hex(key_hex, 64) or not _hex(sig, 128):
        raise ManifestError(
            "the manifest's collector_key or sig is not lowercase hex", "manifest_not_hex"
        )
    if pinned_key is not None and key_hex != pinned_key:
        raise ManifestError(
            f"the manifest is signed by collector key {key_hex}, not by the pinned key {pinned_key}",
            "manifest_other_key",
            key=key_hex,
            pinned=pinned_key,
        )
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    try:
        signed = PUBLICATION_DOMAIN + canonical_json(unsigned)
    except (TypeError, ValueError):  # e.g. an integer beyond 2**53: nothing valid is signed so
        signed = b""
    if not (signed and verify(bytes.fromhex(key_hex), bytes.fromhex(sig), signed)):
        raise ManifestError(
            "the manifest's signature is not valid: it was changed after the collector signed it",
            "manifest_signature",
        )
    try:
        return _content(obj)
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(
            f"the manifest is signed but breaks its rules: {exc}", rule=str(exc)
        ) from None


def _objects(value: Any, members: frozenset[str], what: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(v, dict) and set(v) == members for v in value
    ):
        raise ValueError(
            f"{what} must be a list of objects with exactly {', '.join(sorted(members))}"
        )
    return value


def _content(obj: dict[str, Any]) -> Manifest:
    version = obj["version"]
    parse_utc(obj["published_at"])
    method = RankingMethod.from_json(obj["ranking"])
    districts = obj["districts"]
    if not (
        isinstance(districts, dict)
        and all(valid_district(c) and g in SIZE_GROUPS for c, g in districts.items())
    ):
        raise ValueError("districts must map district codes to small, medium or large")
    kiosks: dict[str, PublishedKiosk] = {}
    if not isinstance(obj["kiosks"], dict):
        raise ValueError("kiosks must be an object")
    for kiosk, info in obj["kiosks"].items():
        if not (isinstance(info, dict) and set(info) == _KIOSK_MEMBERS):
            raise ValueError(f"kiosk {kiosk!r} must have exactly district, public_key and revoked")
        public = info["public_key"]
        if not (
            _hex(public, 64) and hashlib.sha256(bytes.fromhex(public)).hexdigest()[:32] == kiosk
        ):
            raise ValueError(f"kiosk {kiosk!r} is not the kiosk id of its public key")
        if not (info["district"] in districts and isinstance(info["revoked"], bool)):
            raise ValueError(
                f"kiosk {kiosk} names a district without a size group, or revoked is "
                "not true or false"
            )
        kiosks[kiosk] = PublishedKiosk(public, info["district"], info["revoked"])
    batches = []
    seen: set[str] = set()
    for number, b in enumerate(_objects(obj["batches"], _BATCH_MEMBERS, "batches"), start=1):
        kiosk, first, last = b["kiosk"], b["first_seq"], b["last_seq"]
        if not (
            _hex(b["sha256"], 64) and kiosk in kiosks and _whole(first, 1) and _whole(last, first)
        ):
            raise ValueError(
                f"batch entry {number} has no lowercase SHA-256, an unknown kiosk, or seqs "
                "that are not 1 <= first_seq <= last_seq"
            )
        if b["file"] != batch_file_name(number, kiosk, first, last):
            raise ValueError(
                f"batch entry {number} names the file {b['file']!r}, not "
                f"{batch_file_name(number, kiosk, first, last)!r}"
            )
        if b["sha256"] in seen:
            raise ValueError(f"batch entry {number} lists a batch already listed ({b['sha256']})")
        seen.add(b["sha256"])
        batches.append(PublishedBatch(b["file"], b["sha256"], kiosk, first, last))
    quarantined: list[QuarantineEntry] = []
    entries = _objects(obj["quarantined"], _QUARANTINE_MEMBERS[version], "quarantined")
    for number, q in enumerate(entries, start=1):
        kiosk, seq, digest = q["kiosk"], q["seq"], q["hash"]
        if not (kiosk in kiosks and _whole(seq, 1) and _hex(digest, 64)):
            raise ValueError(
                f"quarantine entry {number} has an unknown kiosk, a seq that is not 1 to "
                "2^53 - 1, or no lowercase hash"
            )
        if q["reason"] not in QUARANTINE_REASONS:
            raise ValueError(f"quarantine entry {number}'s reason is not conflict or chain_fork")
        file = q.get("file")
        if version > 1 and file != quarantine_file_name(number, kiosk, seq):
            raise ValueError(
                f"quarantine entry {number} names the file {file!r}, not "
                f"{quarantine_file_name(number, kiosk, seq)!r}"
            )
        if quarantined and (kiosk, seq, digest) <= _key(quarantined[-1]):
            raise ValueError(
                f"quarantine entry {number} is out of order (by kiosk, seq and hash) or "
                "listed twice"
            )
        quarantined.append(QuarantineEntry(kiosk, seq, digest, q["reason"], file))
    counted = obj["counted"]
    if not (
        isinstance(counted, dict)
        and set(counted) == {"votes", "kiosks"}
        and _whole(counted["votes"])
        and _whole(counted["kiosks"], 0, counted["votes"])
    ):
        raise ValueError("counted must be {votes, kiosks}, whole numbers with kiosks <= votes")
    awards = obj["awards"]
    if not isinstance(awards, dict) or set(awards) != set(SIZE_GROUPS):
        raise ValueError("awards must have exactly small, medium and large")
    for group, ranked in awards.items():
        for a in _objects(ranked, _AWARD_MEMBERS, f"awards.{group}"):
            if not (
                districts.get(a["code"]) == group
                and isinstance(a["score"], str)
                and _SCORE.fullmatch(a["score"]) is not None
                and _whole(a["votes"], method.min_votes)
            ):
                raise ValueError(
                    f"award {a!r} is not a {group} district with a score of 4 decimals "
                    f"and at least {method.min_votes} votes"
                )
    campaign, seqs, announced = _counted_seqs(obj, version, kiosks)
    return Manifest(
        version,
        obj["collector_key"],
        obj["published_at"],
        method,
        dict(districts),
        kiosks,
        batches,
        quarantined,
        counted["votes"],
        counted["kiosks"],
        awards,
        campaign,
        seqs,
        announced,
    )


def _counted_seqs(
    obj: dict[str, Any], version: int, kiosks: dict[str, PublishedKiosk]
) -> tuple[PublishedCampaign | None, CountedSeqs | None, dict[str, AnnouncedGroup]]:
    """The manifest's campaign, the seqs it counts and its announced groups (7.3)."""
    if version < 3:
        return None, None, {}
    value = obj["campaign"]
    campaign = None
    seqs = None
    if value is not None:
        members = _CAMPAIGN_MEMBERS_V3 if version == 3 else _CAMPAIGN_MEMBERS
        if not (isinstance(value, dict) and set(value) == members):
            raise ValueError(f"campaign must be null or have exactly {', '.join(sorted(members))}")
        starts, ends = parse_utc(value["starts_at"]), parse_utc(value["ends_at"])
        if not (
            _whole(value["year"], 1, 9999)
            and isinstance(value["name_th"], str)
            and isinstance(value["name_en"], str)
            and starts < ends
        ):
            raise ValueError(
                "campaign's year must be a whole number, its names text, and it must start"
                " before it ends"
            )
        campaign = PublishedCampaign(
            value["year"], value["name_th"], value["name_en"], value["starts_at"],
            value["ends_at"],
        )  # fmt: skip
        if version == 3:  # one [first, last] run per kiosk
            if not isinstance(value["seqs"], dict):
                raise ValueError("campaign.seqs must be an object")
            seqs = _runs({k: [r] for k, r in value["seqs"].items()}, kiosks, "campaign.seqs")
    if version == 3:
        return campaign, seqs, {}
    if obj["seqs"] is not None:
        seqs = _runs(obj["seqs"], kiosks, "seqs")
    elif campaign is not None:
        raise ValueError("a campaign's publication must name the seqs it counts")
    announced: dict[str, AnnouncedGroup] = {}
    if not (isinstance(obj["announced"], dict) and set(obj["announced"]) <= set(SIZE_GROUPS)):
        raise ValueError("announced must be an object of size groups")
    for group, held in obj["announced"].items():
        if not (isinstance(held, dict) and set(held) == {"at", "seqs"}):
            raise ValueError(f"announced.{group} must have exactly at and seqs")
        parse_utc(held["at"])
        kept = _runs(held["seqs"], kiosks, f"announced.{group}.seqs")
        if seqs is None or not kept.within(seqs):
            raise ValueError(f"announced.{group}.seqs names votes that seqs does not count")
        announced[group] = AnnouncedGroup(held["at"], kept)
    return campaign, seqs, announced


def _runs(value: Any, kiosks: dict[str, PublishedKiosk], what: str) -> CountedSeqs:
    """Each kiosk's runs: [[first, last], ...], 1 <= first <= last, ascending and apart."""
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be an object")
    runs: dict[str, tuple[tuple[int, int], ...]] = {}
    for kiosk, kept in value.items():
        if not (
            kiosk in kiosks
            and isinstance(kept, list)
            and kept
            and all(
                isinstance(run, list) and len(run) == 2 and _whole(run[0], 1)
                and _whole(run[1], run[0])
                for run in kept
            )
            and all(b[0] > a[1] + 1 for a, b in itertools.pairwise(kept))
        ):  # fmt: skip
            raise ValueError(
                f"{what} of {kiosk!r} must be a published kiosk's runs [[first, last], ...],"
                " 1 <= first <= last, ascending, with a gap between each two"
            )
        runs[kiosk] = tuple((first, last) for first, last in kept)
    return CountedSeqs(runs)


def _key(q: QuarantineEntry) -> tuple[str, int, str]:
    return (q.kiosk, q.seq, q.hash)
