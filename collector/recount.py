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

This module owns the steps in order and the second half: the counting, the ranking (each
announced group from the votes its announcement counted) and the comparison with the manifest.
The first half, from the published files to the one counted vote of each identity, is
collector/recount_votes.py's, over collector/recount_files.py, which reads and checks the batch
files on every core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from collector.manifest import Manifest, ManifestError, manifest_awards, read_manifest
from collector.ranking import Ranking, RankingMethod, Tally, rank
from collector.recount_files import collector_paused, expand
from collector.recount_votes import (
    Recount,
    VoteRead,
    check_each_brought_a_vote,
    read_batches,
    read_into,
    read_quarantined,
    settle,
)

__all__ = ["Recount", "recount"]  # Recount is recount_votes's, given out here with recount

# --- the recount ---------------------------------------------------------------------------


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
        data = read_into(manifests[0], result)
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
    votes, published = read_batches(batch_files, manifest, result)
    if manifest is not None:
        read_quarantined(vote_files, manifest, votes, result)
    elif vote_files:
        result.add(
            "no_manifest",
            "quarantined votes were given without the manifest that lists them",
            str(vote_files[0]),
        )
    counted, counted_hash = settle(votes, manifest, result)
    brought_by = check_each_brought_a_vote(published, manifest, counted_hash, result)
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
    counted: dict[tuple[str, int], VoteRead], districts: dict[str, str], result: Recount
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
    counted: dict[tuple[str, int], VoteRead],
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
