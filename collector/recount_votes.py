"""The recount's votes: from the published files to the one counted vote of each identity.

collector/recount.py recounts a publication in two halves, and this module is the first: it owns
reading every published batch and quarantined vote against the manifest (each batch's entry,
kiosk and district; each quarantined vote's file and signature), settling the votes read into
one counted vote per (kiosk, seq) (every quarantine proven and justified, the chains across
batches) and checking that each published batch brought a counted vote. The batch files
themselves are read and checked on every core by collector/recount_files.py; the counting, the
ranking and the comparison with the announced awards are collector/recount.py's.

``Recount``, what the recount found, lives here because every check records into it; it is
given out as collector.recount.Recount.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from collector.manifest import Manifest, QuarantineEntry
from collector.ranking import Ranking, RankingMethod
from collector.recount_files import RecountProblem, checked_files, read_file
from wire.vote import VoteError, parse_vote


@dataclass(slots=True)
class VoteRead:
    """A vote as the recount read it: what counting, ranking and the chain need of it."""

    rating: int
    district: str
    prev: str


Votes = dict[tuple[str, int], dict[str, VoteRead]]  # every distinct vote read, by identity and hash


@dataclass(frozen=True, slots=True)
class BatchVotes:
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


def read_into(path: Path, result: Recount) -> bytes | None:
    """The file's bytes, or None with the problem of reading it recorded in result."""
    data = read_file(path)
    if isinstance(data, RecountProblem):
        result.problems.append(data)
        return None
    return data


def read_batches(
    files: Sequence[Path], manifest: Manifest | None, result: Recount
) -> tuple[Votes, dict[str, BatchVotes]]:
    """Check every batch file; return every distinct vote, and the published batches' votes."""
    listed = {b.sha256: b for b in manifest.batches} if manifest else {}
    listed_names = {Path(b.file).name: b for b in manifest.batches} if manifest else {}
    seen_hashes: set[str] = set()
    given_names: set[str] = set()
    votes: Votes = {}
    published: dict[str, BatchVotes] = {}  # by SHA-256
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
            published[digest] = BatchVotes(name, kiosk, tuple((v[0], v[4]) for v in checked.votes))
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
                votes[(kiosk, seq)] = {vote_hash: VoteRead(rating, named, prev)}
            elif vote_hash in copies:
                result.repeated += 1
            else:
                copies[vote_hash] = VoteRead(rating, named, prev)
    if manifest is not None:
        for b in manifest.batches:
            if b.sha256 not in seen_hashes and Path(b.file).name not in given_names:
                result.add(
                    "missing_batch", f"the published batch {b.file} was not given", name=b.file
                )
    return votes, published


def check_each_brought_a_vote(
    published: dict[str, BatchVotes],
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


def read_quarantined(
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
        data = read_into(path, result)
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
                    q.hash, VoteRead(vote.ballot.rating, vote.ballot.district, vote.prev)
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


def settle(
    votes: Votes, manifest: Manifest | None, result: Recount
) -> tuple[dict[tuple[str, int], VoteRead], dict[tuple[str, int], str]]:
    """Pick the one counted vote per identity; check quarantines and the chain across batches.

    Returns the counted votes and their hashes, by identity.
    """
    quarantined = manifest.quarantine_ids if manifest else set()
    counted: dict[tuple[str, int], VoteRead] = {}
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
    vote: VoteRead,
    counted: dict[tuple[str, int], VoteRead],
    counted_hash: dict[tuple[str, int], str],
    votes: dict[tuple[str, int], dict[str, VoteRead]],
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
