"""The independent recount: the awards recomputed from published batch files alone.

No database, no network: the input is what ``sangsuk-collector publish`` writes (docs/recount.md,
docs/protocol.md section 7):

* ``batches/*.batch.json``: every batch the collector accepted a vote from, byte for byte as the
  kiosk sent it (network) or exported it (USB), signed by the kiosk. The collector cannot sign
  for a kiosk, so it publishes the envelopes it received, never envelopes of its own.
* ``quarantine/*.vote.json``: every vote the collector quarantined, as its kiosk signed it.
* ``publication.json``: the *manifest* (collector/manifest.py), signed by the collector's key,
  naming every district's size group, which kiosk key is enrolled for which district, every
  published batch file with its SHA-256, kiosk and seqs, every quarantined vote with its file,
  the totals, the ranking method and the awards the collector announced.

``recount`` checks every batch completely (wire.batch.check_batch: format, every vote's
signature, the chain inside the batch, the votes hash, the kiosk's signature), then across
batches: each vote counted once by (kiosk, seq); two different votes with one identity must be
settled by the manifest's quarantine list, and every quarantine must be proven by its signed
vote and justified by the counted ones; consecutive counted votes of a kiosk must chain; every
vote names its kiosk's enrolled district; each batch entry is its file's kiosk and seqs, and
each batch brought a counted vote. Then it counts and ranks (collector.ranking) and compares
its totals and awards with the announced ones. Any problem means *not verified*: the caller gets every problem, each with the
file it concerns, its kind and its facts (collector/recount_files.py, PROBLEMS), and no awards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from collector.manifest import (
    Manifest,
    ManifestError,
    QuarantineEntry,
    manifest_awards,
    read_manifest,
)
from collector.ranking import Ranking, RankingMethod, Tally, rank
from collector.recount_files import (
    RecountProblem,
    checked_files,
    collector_paused,
    expand,
    read_file,
)
from wire.vote import VoteError, parse_vote

# --- the recount ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Vote:
    rating: int
    district: str
    prev: str


Votes = dict[tuple[str, int], dict[str, _Vote]]  # every distinct vote read, by identity and hash


@dataclass(frozen=True, slots=True)
class _BatchVotes:
    """A published batch's votes, to check that it brought at least one counted vote."""

    file: str
    kiosk: str
    votes: tuple[tuple[int, str], ...]  # seq, hash


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
    quarantined_excluded: int = 0  # quarantined votes read (from their files or batches)
    kiosks: int = 0
    agrees: bool | None = None  # with the manifest's announced awards (None without one)
    outside_campaign: int = 0  # counted votes of other campaigns (or of none), not counted here

    @property
    def ok(self) -> bool:
        """True when everything verified (and agrees with the announced awards, if any)."""
        return not self.problems and self.ranking is not None

    def add(
        self, code: str, message: str, file: str | None = None, kind: str = "", **facts: object
    ) -> None:
        """Record a problem: its code, English message and file; its kind (in PROBLEMS, the
        code if not given) and the facts that kind's words name."""
        self.problems.append(RecountProblem(code, message, file, kind, facts))


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
    # Every step, not only the reading: the settled votes, the tallies and the batches' order
    # are hundreds of thousands of objects too, and with the collector running again after
    # the reading it cost a 100,000-vote recount 0.4 s on one core while the others waited.
    with collector_paused():
        return _recount(paths, districts, method_changes, collector_key)


def _recount(
    paths: Sequence[Path],
    districts: dict[str, str] | None,
    method_changes: Mapping[str, int] | None,
    collector_key: str | None,
) -> Recount:
    result = Recount()
    manifests, batch_files, vote_files = expand(paths)
    if len(manifests) > 1:
        result.add(
            "two_manifests", "more than one publication manifest was given", n=len(manifests)
        )
        return result
    if manifests:
        data = _read(manifests[0], result)
        if data is None:
            return result
        try:
            result.manifest = read_manifest(data, collector_key)
        except ManifestError as exc:
            result.add("bad_manifest", str(exc), str(manifests[0]), exc.kind, **exc.facts)
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
    votes, published = _read_batches(batch_files, manifest, result)
    if manifest is not None:
        _read_quarantined(vote_files, manifest, votes, result)
    elif vote_files:
        result.add(
            "no_manifest",
            "quarantined votes were given without the manifest that lists them",
            str(vote_files[0]),
        )
    counted, counted_hash = _settle(votes, manifest, result)
    brought_by = _check_each_brought_a_vote(published, manifest, counted_hash, result)
    seqs = manifest.seqs if manifest is not None else None
    if seqs is not None:
        # A publication that names its seqs (a campaign's) counts exactly those: every batch
        # was checked above (the chains and the quarantine span them all), but only the votes
        # the collector placed in the campaign's period are this count's.
        result.outside_campaign = sum(1 for k, q in counted if not seqs.holds(k, q))
        counted = {(k, q): v for (k, q), v in counted.items() if seqs.holds(k, q)}
    tallies = _tallies(counted, districts, result)
    result.counted = len(counted)
    result.kiosks = len({k for k, _ in counted})
    if manifest is not None and not result.problems:
        if result.counted != manifest.counted_votes:
            result.add(
                "count_differs",
                f"the batches hold {result.counted} countable votes, the collector announced "
                f"{manifest.counted_votes}",
                counted=result.counted,
                announced=manifest.counted_votes,
            )
        if result.kiosks != manifest.counted_kiosks:
            result.add(
                "kiosk_count_differs",
                f"the counted votes come from {result.kiosks} kiosks, the collector announced "
                f"{manifest.counted_kiosks}",
                kiosks=result.kiosks,
                announced=manifest.counted_kiosks,
            )
    if result.problems:
        return result
    result.ranking = rank(tallies.values(), result.method)
    if manifest is not None and manifest.announced:
        result.ranking = _as_announced(
            result.ranking, counted, brought_by, districts, manifest, result
        )
        if result.problems:
            result.ranking = None
            return result
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


def _tallies(
    counted: dict[tuple[str, int], _Vote], districts: dict[str, str], result: Recount
) -> dict[str, Tally]:
    """Each district's tally of the counted votes (a vote of no known district is a problem)."""
    tallies = {code: Tally(code, group) for code, group in districts.items()}
    for (kiosk, seq), vote in sorted(counted.items()):
        tally = tallies.get(vote.district)
        if tally is None:
            result.add(
                "unknown_district",
                f"vote {seq} of kiosk {kiosk} names district {vote.district}, which has no size group",
                seq=seq,
                kiosk=kiosk,
                district=vote.district,
            )
            continue
        tally.add(vote.rating)
    return tallies


def _as_announced(
    ranking: Ranking,
    counted: dict[tuple[str, int], _Vote],
    brought_by: dict[tuple[str, int], int],
    districts: dict[str, str],
    manifest: Manifest,
    result: Recount,
) -> Ranking:
    """The ranking with each announced group ranked from the votes its announcement counted.

    An announced group's awards were decided on the votes held when it was announced (every
    kiosk's: the national mean is of them all), which the manifest names; votes of the period
    that arrived later count in the totals but cannot move an announced award (7.4 step 8).
    Those votes must be what the first batches of the list brought, all of it, up to some
    batch: the collector stores a batch's new votes in one transaction and numbers the batches
    in that order, so the votes held at any moment are those. Any other set would be votes
    picked to decide an award.
    """
    groups = dict(ranking.groups)
    below = dict(ranking.below_minimum)
    for group, announced in sorted(manifest.announced.items()):
        kept = {(k, q): v for (k, q), v in counted.items() if announced.seqs.holds(k, q)}
        if len(kept) != announced.seqs.votes:
            result.add(
                "announced_votes_missing",
                f"the {group} group's awards were announced on {announced.seqs.votes} votes,"
                f" but the batches hold {len(kept)} of them",
                group=group,
                announced=announced.seqs.votes,
                held=len(kept),
            )
        unknown = len(manifest.batches) + 1  # (every counted vote came in a batch: not expected)
        last = max((brought_by.get(key, unknown) for key in kept), default=0)
        before = sum(1 for key in counted if brought_by.get(key, unknown) <= last)
        if before != len(kept):
            result.add(
                "announced_votes_picked",
                f"the {group} group's awards were announced on {len(kept)} votes, but the first"
                f" {last} batches brought {before} votes of this count: an announcement counts"
                " every vote held when it was made, not a choice of them",
                group=group,
                kept=len(kept),
                batches=last,
                before=before,
            )
        if announced.at > manifest.published_at:
            result.add(
                "announced_after_publication",
                f"the {group} group is said to be announced at {announced.at}, after the"
                f" publication was made ({manifest.published_at})",
                group=group,
                at=announced.at,
                published_at=manifest.published_at,
            )
        decided = rank(_tallies(kept, districts, result).values(), ranking.method)
        groups[group], below[group] = decided.groups[group], decided.below_minimum[group]
    return replace(ranking, groups=groups, below_minimum=below)


def _read_batches(
    files: Sequence[Path], manifest: Manifest | None, result: Recount
) -> tuple[Votes, dict[str, _BatchVotes]]:
    """Check every batch file; return every distinct vote, and the published batches' votes."""
    listed = {b.sha256: b for b in manifest.batches} if manifest else {}
    listed_names = {Path(b.file).name: b for b in manifest.batches} if manifest else {}
    seen_hashes: set[str] = set()
    given_names: set[str] = set()
    votes: Votes = {}
    published: dict[str, _BatchVotes] = {}  # by SHA-256
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
        kiosk = checked.kiosk
        if manifest is not None:
            entry = listed.get(digest)
            if entry is None:
                changed = path.name in listed_names
                result.add(
                    "not_published",
                    "its SHA-256 is not the published one: the file was changed after publication"
                    if changed
                    else "the file is not one of the publication's batches",
                    name,
                    "batch_changed" if changed else "not_a_published_batch",
                )
                continue
            if digest in seen_hashes:
                continue  # the same file given twice
            seen_hashes.add(digest)
            first, last = checked.votes[0][0], checked.votes[-1][0]
            if (entry.kiosk, entry.first_seq, entry.last_seq) != (kiosk, first, last):
                result.add(
                    "batch_entry_differs",
                    f"the manifest lists it as votes {entry.first_seq} to {entry.last_seq} of "
                    f"kiosk {entry.kiosk}, but it holds votes {first} to {last} of kiosk {kiosk}",
                    name,
                    listed_first=entry.first_seq,
                    listed_last=entry.last_seq,
                    listed_kiosk=entry.kiosk,
                    first=first,
                    last=last,
                    kiosk=kiosk,
                )
            enrolled = manifest.kiosks.get(kiosk)
            if enrolled is None or enrolled.public_key != checked.public_key:
                result.add(
                    "unknown_kiosk",
                    f"kiosk {kiosk} is not enrolled in the publication with this key",
                    name,
                    kiosk=kiosk,
                )
                continue
            district = enrolled.district
            published[digest] = _BatchVotes(name, kiosk, tuple((v[0], v[4]) for v in checked.votes))
        else:
            district = kiosk_district.setdefault(kiosk, checked.votes[0][2])
        wrong = [seq for seq, _, named, _, _ in checked.votes if named != district]
        if wrong:
            result.add(
                "district_mismatch",
                f"vote {wrong[0]} names another district than {district}, the district "
                f"kiosk {kiosk} is enrolled for",
                name,
                seq=wrong[0],
                district=district,
                kiosk=kiosk,
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
                result.add(
                    "missing_batch", f"the published batch {b.file} was not given", name=b.file
                )
    return votes, published


def _check_each_brought_a_vote(
    published: dict[str, _BatchVotes],
    manifest: Manifest | None,
    counted_hash: dict[tuple[str, int], str],
    result: Recount,
) -> dict[tuple[str, int], int]:
    """In the order received, each published batch holds a counted vote no earlier one holds;
    return, for each counted vote, the number (from 1) of the batch that brought it.

    The collector keeps a batch only when it stores a new vote from it (protocol 7.1), and a
    stored vote stays counted: so a batch that brought nothing was never received as listed.
    """
    brought: dict[tuple[str, int], int] = {}
    for number, entry in enumerate(manifest.batches if manifest else (), start=1):
        batch = published.get(entry.sha256)
        if batch is None:
            continue  # not given, or refused: already a problem
        new = {
            (batch.kiosk, seq)
            for seq, h in batch.votes
            if counted_hash.get((batch.kiosk, seq)) == h and (batch.kiosk, seq) not in brought
        }
        if not new:
            result.add(
                "batch_brought_nothing",
                "the batch holds no counted vote that an earlier batch does not hold, but the "
                "collector publishes only the batches that brought a new vote",
                batch.file,
            )
        brought.update(dict.fromkeys(new, number))
    return brought


def _read_quarantined(
    files: Sequence[Path], manifest: Manifest, votes: Votes, result: Recount
) -> None:
    """Check every quarantined vote's file (version 2): the kiosk signed that very vote.

    Each proven vote joins the votes read, so that settling sees it and must find it
    justified like a quarantined vote in a batch; every entry needs its file.
    """
    entries: dict[str, list[QuarantineEntry]] = {}
    for q in manifest.quarantined if manifest.version >= 2 else ():
        entries.setdefault(q.hash, []).append(q)
    names = {Path(q.file).name for q in manifest.quarantined if q.file}
    found: set[str] = set()
    given: set[str] = set()
    for path in files:
        data = _read(path, result)
        if data is None:
            continue
        name = str(path)
        given.add(path.name)
        digest = hashlib.sha256(data).hexdigest()
        if digest not in entries:
            changed = path.name in names
            result.add(
                "not_published",
                "its SHA-256 is not the published vote's hash: the file was changed after "
                "publication"
                if changed
                else "the file is not one of the publication's quarantined votes",
                name,
                "vote_changed" if changed else "not_a_published_vote",
            )
            continue
        if digest in found:
            continue  # the same file given twice
        found.add(digest)
        try:
            vote = parse_vote(data)
        except VoteError as exc:
            result.add(exc.code, f"refused: {exc}", name, "not_a_vote", error=str(exc))
            continue
        for q in entries[digest]:
            public_key = bytes.fromhex(manifest.kiosks[q.kiosk].public_key)
            if (vote.kiosk, vote.seq, vote.hash()) != (q.kiosk, q.seq, q.hash):
                result.add(
                    "quarantine_entry_differs",
                    f"it is vote {vote.seq} of kiosk {vote.kiosk} in its canonical form, "
                    f"not vote {q.seq} of kiosk {q.kiosk} with hash {q.hash}",
                    name,
                    seq=vote.seq,
                    kiosk=vote.kiosk,
                    listed_seq=q.seq,
                    listed_kiosk=q.kiosk,
                    hash=q.hash,
                )
            elif not vote.verify_signature(public_key, data):
                result.add(
                    "bad_signature",
                    f"refused: bad signature: kiosk {q.kiosk} did not sign this vote",
                    name,
                    "vote_not_signed",
                    seq=q.seq,
                    kiosk=q.kiosk,
                )
            else:
                copies = votes.setdefault((q.kiosk, q.seq), {})
                copies.setdefault(
                    q.hash, _Vote(vote.ballot.rating, vote.ballot.district, vote.prev)
                )
    for q in manifest.quarantined if manifest.version >= 2 else ():
        if q.hash not in found and Path(q.file or "").name not in given:
            result.add(
                "missing_quarantined",
                f"kiosk {q.kiosk}: the quarantined vote {q.seq} was not given ({q.file}); "
                "without it the quarantine is not proven",
                seq=q.seq,
                kiosk=q.kiosk,
                name=q.file,
            )


def _settle(
    votes: Votes, manifest: Manifest | None, result: Recount
) -> tuple[dict[tuple[str, int], _Vote], dict[tuple[str, int], str]]:
    """Pick the one counted vote per identity; check quarantines and the chain across batches.

    Returns the counted votes and their hashes, by identity.
    """
    quarantined = manifest.quarantine_ids if manifest else set()
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
                n=len(kept),
                seq=seq,
                kiosk=kiosk,
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
                seq=seq,
                before=seq - 1,
                kiosk=kiosk,
            )
    # Every quarantined vote read must have its reason in the published data.
    for q in manifest.quarantined if manifest else ():
        read = votes.get((q.kiosk, q.seq), {}).get(q.hash)
        if read is None:
            continue  # not read: version 1 publishes no file for it (or its file was refused)
        held = counted_hash.get((q.kiosk, q.seq))
        if q.reason == "conflict" and held in (None, q.hash):
            result.add(
                "wrong_reason",
                f"kiosk {q.kiosk}: vote {q.seq} is quarantined as a conflict, but no other vote "
                "with its number is counted",
                seq=q.seq,
                kiosk=q.kiosk,
            )
        elif not _justified(
            q.kiosk, q.seq, q.hash, read, counted, counted_hash, votes, quarantined
        ):
            result.add(
                "unjustified_quarantine",
                f"kiosk {q.kiosk}: vote {q.seq} is quarantined, but no published vote conflicts "
                "with it",
                seq=q.seq,
                kiosk=q.kiosk,
            )
    return counted, counted_hash


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
