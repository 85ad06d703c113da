"""The independent recount: the awards recomputed from published batch files alone.

No database, no network: the input is what ``sangsuk-collector publish`` writes (docs/recount.md,
docs/protocol.md section 7):

* ``batches/*.batch.json``: every batch the collector accepted a vote from, byte for byte as the
  kiosk sent it (network) or exported it (USB), signed by the kiosk. The collector cannot sign
  for a kiosk, so it publishes the envelopes it received, never envelopes of its own.
* ``publication.json``: the *manifest*, signed by the collector's key, naming every district's
  size group, which kiosk key is enrolled for which district, every published batch file with
  its SHA-256, the votes the collector quarantined, the ranking method and the awards the
  collector announced.

``recount`` checks every batch completely (wire.batch.check_batch: format, every vote's
signature, the chain inside the batch, the votes hash, the kiosk's signature), then across
batches: each vote counted once by (kiosk, seq); two different votes with one identity must be
settled by the manifest's quarantine list, and every quarantine must be justified by the
published data; consecutive counted votes of a kiosk must chain; every vote names its kiosk's
enrolled district. Then it counts and ranks (collector.ranking) and compares its awards with the
announced ones. Any problem means *not verified*: the caller gets every problem, each with the
file it concerns, and no awards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.ranking import Ranking, RankingMethod, Tally, rank
from collector.recount_files import RecountProblem, checked_files, collector_paused, read_file
from wire.canonical import canonical_json
from wire.clock import parse_utc
from wire.districts import SIZE_GROUPS, valid_district
from wire.ed25519 import verify
from wire.stick import BATCH_SUFFIX
from wire.vote import VoteError, parse_json_object

PUBLICATION_KIND: Final = "sangsuk-publication"
PUBLICATION_VERSION: Final = 1
PUBLICATION_DOMAIN: Final = b"sangsuk/v1/publication\n"
MANIFEST_NAME: Final = "publication.json"
BATCHES_DIR: Final = "batches"
_MANIFEST_MEMBERS: Final = frozenset(
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


# --- the manifest --------------------------------------------------------------------------


def manifest_awards(ranking: Ranking) -> dict[str, list[dict[str, Any]]]:
    """The awards as the manifest holds them: the score as text with 4 decimals.

    Signed Sangsuk JSON holds integers only (docs/protocol.md 2.2), so the score, a fraction,
    is written as decimal text ("4.7312"); otherwise the shape of `awards --json`.
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


@dataclass(slots=True)
class Manifest:
    """A verified manifest's content."""

    collector_key: str
    published_at: str
    method: RankingMethod
    districts: dict[str, str]
    kiosks: dict[str, PublishedKiosk]
    batches: list[PublishedBatch]
    quarantined: set[tuple[str, int, str]]
    counted_votes: int
    awards: dict[str, Any]


class ManifestError(ValueError):
    """The manifest cannot be trusted or read; the message says why."""


def _hex(value: Any, length: int) -> bool:
    return (
        isinstance(value, str)
        and len(value) == length
        and all(c in "0123456789abcdef" for c in value)
    )


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_manifest(data: bytes, pinned_key: str | None = None) -> Manifest:
    """Check a manifest's signature (by the pinned key, if given) and read it."""
    try:
        obj = parse_json_object(data, "publication")
    except VoteError as exc:
        raise ManifestError(f"the manifest is not valid JSON ({exc})") from None
    if obj.get("kind") != PUBLICATION_KIND or obj.get("version") != PUBLICATION_VERSION:
        raise ManifestError("this is not a Sangsuk publication manifest of version 1")
    if set(obj) != _MANIFEST_MEMBERS:
        raise ManifestError("the manifest has missing or unknown members")
    key_hex, sig = obj["collector_key"], obj["sig"]
    if not _hex(key_hex, 64) or not _hex(sig, 128):
        raise ManifestError("the manifest's collector_key or sig is not lowercase hex")
    if pinned_key is not None and key_hex != pinned_key:
        raise ManifestError(
            f"the manifest is signed by collector key {key_hex}, not by the pinned key {pinned_key}"
        )
    unsigned = {k: v for k, v in obj.items() if k != "sig"}
    try:
        signed = PUBLICATION_DOMAIN + canonical_json(unsigned)
    except (TypeError, ValueError):  # e.g. an integer beyond 2**53: nothing valid is signed so
        signed = b""
    if not (signed and verify(bytes.fromhex(key_hex), bytes.fromhex(sig), signed)):
        raise ManifestError(
            "the manifest's signature is not valid: it was changed after the collector signed it"
        )
    try:
        return _manifest_content(obj)
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"the manifest is signed but malformed: {exc}") from None


def _manifest_content(obj: dict[str, Any]) -> Manifest:
    parse_utc(obj["published_at"])
    districts = obj["districts"]
    if not isinstance(districts, dict) or not all(
        valid_district(c) and g in SIZE_GROUPS for c, g in districts.items()
    ):
        raise ValueError("districts must map district codes to small, medium or large")
    kiosks: dict[str, PublishedKiosk] = {}
    for kiosk, info in obj["kiosks"].items():
        if not _hex(kiosk, 32) or not _hex(info["public_key"], 64):
            raise ValueError(f"kiosk {kiosk!r} is not a kiosk id with a public key")
        if info["district"] not in districts or not isinstance(info["revoked"], bool):
            raise ValueError(f"kiosk {kiosk} names an unknown district")
        kiosks[kiosk] = PublishedKiosk(info["public_key"], info["district"], info["revoked"])
    batches = []
    for b in obj["batches"]:
        if not (
            isinstance(b["file"], str)
            and _hex(b["sha256"], 64)
            and _hex(b["kiosk"], 32)
            and _int(b["first_seq"])
            and _int(b["last_seq"])
        ):
            raise ValueError(f"batch entry {b!r} is malformed")
        batches.append(
            PublishedBatch(b["file"], b["sha256"], b["kiosk"], b["first_seq"], b["last_seq"])
        )
    quarantined = set()
    for q in obj["quarantined"]:
        if not (_hex(q["kiosk"], 32) and _int(q["seq"]) and _hex(q["hash"], 64)):
            raise ValueError(f"quarantine entry {q!r} is malformed")
        quarantined.add((q["kiosk"], q["seq"], q["hash"]))
    counted = obj["counted"]["votes"]
    if not _int(counted):
        raise ValueError("counted.votes must be a whole number")
    awards = obj["awards"]
    if not isinstance(awards, dict) or set(awards) != set(SIZE_GROUPS):
        raise ValueError("awards must have exactly small, medium and large")
    return Manifest(
        obj["collector_key"],
        obj["published_at"],
        RankingMethod.from_json(obj["ranking"]),
        dict(districts),
        kiosks,
        batches,
        quarantined,
        counted,
        awards,
    )


# --- the recount ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Vote:
    rating: int
    district: str
    prev: str


@dataclass(slots=True)
class Recount:
    """What the recount found."""

    problems: list[RecountProblem] = field(default_factory=list)
    manifest: Manifest | None = None
    method: RankingMethod = field(default_factory=RankingMethod)
    ranking: Ranking | None = None
    files: int = 0
    votes_read: int = 0
    counted: int = 0
    repeated: int = 0  # copies of a vote already read (a batch sent twice, network and USB)
    quarantined_excluded: int = 0
    kiosks: int = 0
    agrees: bool | None = None  # with the manifest's announced awards (None without one)

    @property
    def ok(self) -> bool:
        """True when everything verified (and agrees with the announced awards, if any)."""
        return not self.problems and self.ranking is not None

    def add(self, code: str, message: str, file: str | None = None) -> None:
        """Record a problem."""
        self.problems.append(RecountProblem(code, message, file))


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """Split the given paths into (manifests, batch files); a folder gives what it holds."""
    manifests: list[Path] = []
    batches: list[Path] = []
    for path in paths:
        if path.is_dir():
            if (path / MANIFEST_NAME).is_file():
                manifests.append(path / MANIFEST_NAME)
            batches.extend(sorted(path.glob("*" + BATCH_SUFFIX)))
            batches.extend(sorted((path / BATCHES_DIR).glob("*" + BATCH_SUFFIX)))
        elif path.name == MANIFEST_NAME:
            manifests.append(path)
        else:
            batches.append(path)
    return manifests, batches


def _read(path: Path, result: Recount) -> bytes | None:
    data = read_file(path)
    if isinstance(data, RecountProblem):
        result.problems.append(data)
        return None
    return data


def recount(
    paths: Sequence[Path],
    *,
    districts: dict[str, str] | None = None,
    method_changes: Mapping[str, int] | None = None,
    collector_key: str | None = None,
) -> Recount:
    """Recount the awards from published files (see the module docstring).

    districts replaces the manifest's size groups (and is needed without a manifest);
    method_changes (prior_weight, min_votes) changes the manifest's ranking method, and then
    there is nothing published to compare with; collector_key pins the manifest's signer.
    """
    result = Recount()
    manifests, batch_files = expand(paths)
    if len(manifests) > 1:
        result.add("two_manifests", "more than one publication manifest was given")
        return result
    if manifests:
        data = _read(manifests[0], result)
        if data is None:
            return result
        try:
            result.manifest = read_manifest(data, collector_key)
        except ManifestError as exc:
            result.add("bad_manifest", str(exc), str(manifests[0]))
            return result
    manifest = result.manifest
    if manifest is not None and districts is None:
        districts = manifest.districts
    base = manifest.method if manifest is not None else RankingMethod()
    result.method = replace(base, **method_changes) if method_changes else base
    if districts is None:
        result.add(
            "no_districts",
            "no size groups: give the publication's manifest, or a districts table",
        )
        return result
    if not batch_files:
        result.add("no_batches", "no batch files were given")
        return result
    with collector_paused():
        votes = _read_batches(batch_files, manifest, result)
        counted = _settle(votes, manifest, result)
    tallies = {code: Tally(code, group) for code, group in districts.items()}
    for (kiosk, seq), vote in sorted(counted.items()):
        tally = tallies.get(vote.district)
        if tally is None:
            result.add(
                "unknown_district",
                f"vote {seq} of kiosk {kiosk} names district {vote.district}, which has no size group",
            )
            continue
        tally.add(vote.rating)
    result.counted = len(counted)
    result.kiosks = len({k for k, _ in counted})
    if manifest is not None and result.counted != manifest.counted_votes and not result.problems:
        result.add(
            "count_differs",
            f"the batches hold {result.counted} countable votes, the collector announced "
            f"{manifest.counted_votes}",
        )
    if result.problems:
        return result
    result.ranking = rank(tallies.values(), result.method)
    if manifest is not None:
        if result.method == manifest.method:
            result.agrees = manifest_awards(result.ranking) == manifest.awards
            if not result.agrees:
                result.add(
                    "awards_differ",
                    "the recounted awards differ from the awards the collector announced",
                )
                result.ranking = None
        else:
            result.agrees = None  # another method was asked for: nothing to compare with
    return result


def _read_batches(
    files: Sequence[Path], manifest: Manifest | None, result: Recount
) -> dict[tuple[str, int], dict[str, _Vote]]:
    """Check every batch file; return every distinct vote by identity and hash."""
    listed = {b.sha256: b for b in manifest.batches} if manifest else {}
    listed_names = {Path(b.file).name: b for b in manifest.batches} if manifest else {}
    seen_hashes: set[str] = set()
    given_names: set[str] = set()
    votes: dict[tuple[str, int], dict[str, _Vote]] = {}
    kiosk_district: dict[str, str] = {}
    for checked in checked_files(files):
        path, digest = checked.path, checked.digest
        name = str(path)
        if not digest:
            assert checked.problem is not None
            result.problems.append(checked.problem)
            continue
        result.files += 1
        given_names.add(path.name)
        if checked.problem is not None:
            result.problems.append(checked.problem)
            continue
        if manifest is not None:
            if digest not in listed:
                result.add(
                    "not_published",
                    "its SHA-256 is not the published one: the file was changed after publication"
                    if path.name in listed_names
                    else "the file is not one of the publication's batches",
                    name,
                )
                continue
            if digest in seen_hashes:
                continue  # the same file given twice
            seen_hashes.add(digest)
        kiosk = checked.kiosk
        if manifest is not None:
            enrolled = manifest.kiosks.get(kiosk)
            if enrolled is None or enrolled.public_key != checked.public_key:
                result.add(
                    "unknown_kiosk",
                    f"kiosk {kiosk} is not enrolled in the publication with this key",
                    name,
                )
                continue
            district = enrolled.district
        else:
            district = kiosk_district.setdefault(kiosk, checked.votes[0][2])
        wrong = [seq for seq, _, named, _, _ in checked.votes if named != district]
        if wrong:
            result.add(
                "district_mismatch",
                f"vote {wrong[0]} names another district than {district}, the district "
                f"kiosk {kiosk} is enrolled for",
                name,
            )
            continue
        result.votes_read += len(checked.votes)
        for seq, rating, named, prev, vote_hash in checked.votes:
            copies = votes.get((kiosk, seq))
            if copies is None:
                votes[(kiosk, seq)] = {vote_hash: _Vote(rating, named, prev)}
            elif vote_hash in copies:
                result.repeated += 1
            else:
                copies[vote_hash] = _Vote(rating, named, prev)
    if manifest is not None:
        for b in manifest.batches:
            if b.sha256 not in seen_hashes and Path(b.file).name not in given_names:
                result.add("missing_batch", f"the published batch {b.file} was not given")
    return votes


def _settle(
    votes: dict[tuple[str, int], dict[str, _Vote]], manifest: Manifest | None, result: Recount
) -> dict[tuple[str, int], _Vote]:
    """Pick the one counted vote per identity; check quarantines and the chain across batches."""
    quarantined = manifest.quarantined if manifest else set()
    counted: dict[tuple[str, int], _Vote] = {}
    counted_hash: dict[tuple[str, int], str] = {}
    for (kiosk, seq), copies in votes.items():
        if len(copies) == 1 and not quarantined:  # by far the most common: no choice to make
            for h, v in copies.items():
                counted[(kiosk, seq)] = v
                counted_hash[(kiosk, seq)] = h
            continue
        kept = {h: v for h, v in copies.items() if (kiosk, seq, h) not in quarantined}
        result.quarantined_excluded += len(copies) - len(kept)
        if len(kept) > 1:
            result.add(
                "conflict",
                f"kiosk {kiosk} has {len(kept)} different votes numbered {seq}, and the "
                "publication quarantines none of them but one",
            )
            continue
        for h, v in kept.items():
            counted[(kiosk, seq)] = v
            counted_hash[(kiosk, seq)] = h
    # The chain across batches: two counted votes with consecutive numbers must link.
    for (kiosk, seq), vote in counted.items():
        before = counted_hash.get((kiosk, seq - 1))
        if before is not None and vote.prev != before:
            result.add(
                "chain_broken",
                f"kiosk {kiosk}: counted vote {seq} does not name counted vote {seq - 1}",
            )
    # Every quarantine the published data shows must have its reason in that data.
    for (kiosk, seq), copies in votes.items() if quarantined else ():
        for h, v in copies.items():
            if (kiosk, seq, h) in quarantined and not _justified(
                kiosk, seq, h, v, counted, counted_hash, votes, quarantined
            ):
                result.add(
                    "unjustified_quarantine",
                    f"kiosk {kiosk}: vote {seq} is quarantined, but no published vote conflicts "
                    "with it",
                )
    return counted


def _justified(
    kiosk: str,
    seq: int,
    digest: str,
    vote: _Vote,
    counted: dict[tuple[str, int], _Vote],
    counted_hash: dict[tuple[str, int], str],
    votes: dict[tuple[str, int], dict[str, _Vote]],
    quarantined: set[tuple[str, int, str]],
) -> bool:
    """A quarantined vote is justified by a conflict or a broken link (protocol 4.3)."""
    held = counted_hash.get((kiosk, seq))
    if held is not None and held != digest:
        return True  # another vote with this identity is counted: a conflict
    before = counted_hash.get((kiosk, seq - 1))
    if before is not None and vote.prev != before:
        return True  # (a) it does not follow the counted vote before it
    after = counted.get((kiosk, seq + 1))
    if after is not None and after.prev != digest:
        return True  # (b) the counted vote after it does not follow it
    if before is None:
        for h in votes.get((kiosk, seq - 1), {}):
            if (kiosk, seq - 1, h) in quarantined and vote.prev == h:
                return True  # (c) it continues a quarantined branch
    return False


def awards_text(
    ranking: Ranking, names: dict[str, str] | None = None, top: int = 10
) -> Iterator[str]:
    """The ranking as lines for a terminal (shared by `awards` and `recount`)."""
    mean = ranking.national_mean
    yield (
        f"Ranking: Bayesian average toward the national mean ({float(mean):.4f} over "
        f"{ranking.total_votes} votes), prior weight {ranking.method.prior_weight}, at least "
        f"{ranking.method.min_votes} votes; ties: more votes, then the lower code."
        if mean is not None
        else "No votes have been counted."
    )
    for group in SIZE_GROUPS:
        ranked = ranking.groups[group]
        yield ""
        yield (
            f"{group.upper()}: {len(ranked)} districts ranked, "
            f"{len(ranking.below_minimum[group])} below {ranking.method.min_votes} votes"
        )
        for r in ranked[:top]:
            name = (names or {}).get(r.code, "")
            yield (
                f"  {r.rank:>3}. {r.code} {name}  score {r.score_rounded:.4f}  "
                f"votes {r.votes}  mean {float(r.mean):.2f}"
            )
