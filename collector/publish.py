"""`sangsuk-collector publish`: everything an outside auditor needs to recount, in one folder.

What is written (docs/recount.md, docs/protocol.md section 7):

    DIR/batches/000001-<kiosk>-<first>-<last>.batch.json   each accepted batch, as received
    DIR/quarantine/000001-<kiosk>-<seq>.vote.json          each quarantined vote, as signed
    DIR/districts.csv                                       code,size_group (for people)
    DIR/publication.json                                    the signed manifest, written last

A batch envelope is signed by its kiosk, and the collector cannot sign for a kiosk; so the
published batches are the exact bytes the collector received (kept in the ``batches`` table
for this purpose), never envelopes remade by the collector. Every accepted vote arrived in
such a batch, so together they hold every counted vote with its kiosk's signatures. Batches
are numbered in the order they were received. A quarantined vote may have come in a batch
that brought nothing new, which is not kept; the vote's own signed bytes are (the
``quarantine`` table), and they are what proves the quarantine: the kiosk signed this vote too.
Everything is read in one read transaction, so the manifest's awards describe exactly the
published batches even while kiosks keep sending.
A campaign with no counted vote is not published (``NothingToRecountError``, for the console and
the CLI alike): there would be nothing to recount, and the pages would offer it as the newest.
A publication of a campaign (``campaign=``) publishes the same files (every batch: the chains
and the quarantine are proven across them) and names the campaign, its period and each
kiosk's runs of seqs placed in it; its totals and awards are the campaign's, which a recount
counts from exactly those seqs. An announced size group's awards are the announced ones, with
the runs they were decided on, however many votes of the period arrived since (manifest
version 4, docs/protocol.md 7.3).
The console publishes into the collector's home instead (``publish_in_home``):
``<home>/publications/<UTC stamp>/``, the same folder as above, and beside it
``<UTC stamp>.zip`` holding it, for download. A publication is listed only once its manifest is
written, with the campaign it counts (``Publication.campaign``: the pages of a campaign offer
only that campaign's); one that failed half-way is removed. A name is the stamp and nothing else
(``valid_name``), so a name asked for in a web address can never reach another file.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from collector import results
from collector.manifest import (
    BATCHES_DIR,
    MANIFEST_NAME,
    PUBLICATION_KIND,
    PUBLICATION_VERSION,
    QUARANTINE_DIR,
    batch_file_name,
    manifest_awards,
    quarantine_file_name,
    sign_manifest,
)
from collector.ranking import RankingMethod, rank
from collector.store import CollectorStore, announcements, runs
from collector.store.announcements import NO_CAMPAIGN
from collector.store.campaigns import Campaign
from wire.files import fsync_dir, write_atomically
from wire.keys import DeviceKey

DISTRICTS_CSV: Final = "districts.csv"
PUBLICATIONS_DIR: Final = "publications"  # in the collector's home
ZIP_PREFIX: Final = "sangsuk-publication-"  # the folder inside a zip, and the download's name
_NAME: Final = re.compile(r"[0-9]{8}T[0-9]{6}Z")  # 20261231T090000Z: a UTC second, nothing else


class PublishError(Exception):
    """The publication cannot be written; the message says why, and nothing is left half-made."""


class MethodChangedError(PublishError):
    """Two groups of the campaign were announced with different ranking methods (before one
    method per campaign was kept): one publication ranks a campaign by one method."""

    def __init__(self, group: str, announced: RankingMethod, now: RankingMethod) -> None:
        super().__init__(
            f"the {group} group's awards were announced with the ranking method"
            f" {json.dumps(announced.to_json(), sort_keys=True)}, but another group of the"
            f" same campaign was announced with {json.dumps(now.to_json(), sort_keys=True)};"
            " a publication ranks a campaign by one method"
        )
        self.group, self.announced, self.now = group, announced, now


class NothingToRecountError(PublishError):
    """A campaign with no counted vote (not started yet, or no vote of its days arrived): its
    publication would list nothing for an auditor to recount, and the pages would offer it."""

    def __init__(self, campaign: Campaign, started: bool) -> None:
        when = "it has no counted votes" if started else f"it starts on {campaign.starts_on}"
        super().__init__(
            f"campaign {campaign.year} ({campaign.starts_on} to {campaign.ends_on}) has no votes"
            f" to publish ({when}), so there is nothing to recount; publish it once votes of its"
            " days have arrived"
        )
        self.campaign, self.started = campaign, started


@dataclass(frozen=True, slots=True)
class Published:
    """What publish wrote."""

    folder: Path
    batches: int
    votes: int
    kiosks: int
    quarantined: int
    collector_key: str
    method: RankingMethod  # ranked by: the campaign's announced method, else the saved one


def publish(
    store: CollectorStore,
    key: DeviceKey,
    folder: Path,
    method: RankingMethod,
    now: str,
    campaign: Campaign | None = None,
) -> Published:
    """Write the publication of the store's database into folder (new or empty): of one
    campaign's votes, or of every vote (campaign None), ranked by method (or, once the
    campaign's awards are announced, by the method they were announced with)."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise PublishError(
            f"{folder} already exists and is not an empty folder; publish into a new folder"
        )
    with store.reading() as conn:  # one snapshot for every read below

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in conn.execute(sa.text(sql))]

        uncovered = rows(
            "SELECT COUNT(*) FROM votes v WHERE NOT EXISTS"
            " (SELECT 1 FROM batches b WHERE b.hash = v.batch)"
        )[0][0]
        if uncovered:
            raise PublishError(
                f"{uncovered} counted votes have no stored batch to publish them from; "
                "the database is not the one the collector wrote"
            )
        counted = _counted(conn, method, campaign)  # first: it may refuse, before any file
        if campaign is not None and counted.votes == 0:
            raise NothingToRecountError(campaign, campaign.starts_at <= now)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / BATCHES_DIR).mkdir()
        entries = _write_batches(conn, folder)
        fsync_dir(folder / BATCHES_DIR)
        # The campaign's own size groups where it kept them (store/classification.py).
        districts = results.groups(conn, campaign.year if campaign else None)
        kiosks = {
            kiosk: {"public_key": public, "district": district, "revoked": revoked is not None}
            for kiosk, public, district, revoked in rows(
                "SELECT kiosk, public_key, district, revoked_at FROM kiosks ORDER BY kiosk"
            )
        }
        (folder / QUARANTINE_DIR).mkdir()
        quarantined = _write_quarantined(conn, folder)
        fsync_dir(folder / QUARANTINE_DIR)
    collector_key = key.public_key_raw.hex()
    manifest: dict[str, Any] = {
        "kind": PUBLICATION_KIND,
        "version": PUBLICATION_VERSION,
        "collector_key": collector_key,
        "published_at": now,
        "ranking": counted.method.to_json(),
        "districts": districts,
        "kiosks": kiosks,
        "batches": entries,
        "quarantined": quarantined,
        "counted": {"votes": counted.votes, "kiosks": counted.kiosks},
        "awards": counted.awards,
        "campaign": _campaign(campaign),
        "seqs": counted.seqs,
        "announced": counted.announced,
    }
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["code", "size_group"])
    writer.writerows(sorted(districts.items()))
    write_atomically(folder / DISTRICTS_CSV, table.getvalue().encode("utf-8"))
    # The manifest last: a folder without it is an unfinished publication.
    write_atomically(folder / MANIFEST_NAME, sign_manifest(key.private_key, manifest))
    return Published(
        folder, len(entries), counted.votes, counted.kiosks, len(quarantined), collector_key,
        counted.method,
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Counted:
    """What the manifest says is counted: the totals, the awards, which votes (7.3)."""

    votes: int
    kiosks: int
    awards: dict[str, list[dict[str, Any]]]
    seqs: dict[str, list[list[int]]] | None  # None: every vote of every batch
    announced: dict[str, dict[str, Any]]
    method: RankingMethod  # the campaign's announced method, else the one saved


def _counted(conn: Connection, method: RankingMethod, campaign: Campaign | None) -> _Counted:
    """The votes a publication counts and its awards.

    A campaign's publication counts the runs of seqs the collector placed in its period; every
    vote's publication (campaign None) counts every vote, and names no runs unless an award
    was announced over every vote (campaign 0). An announced size group's awards are those
    announced, decided on the runs its announcement kept (store/runs.py), which the manifest
    names beside them, so a recount checks the announced awards however many votes of the
    period arrived since.
    """
    year = campaign.year if campaign else NO_CAMPAIGN
    announced = announcements.read(conn, year)
    # A campaign announced is ranked by the method it was announced with (one for all its
    # groups, store/announcements.py), whatever is saved since for the campaigns after it.
    by = sorted(announced.items())
    method = results.campaign_method(conn, year, method)
    differs = next((a for _, a in by if a.method != method.to_json()), None)
    if differs is not None:  # announced before one method per campaign was kept
        raise MethodChangedError(
            differs.size_group, RankingMethod.from_json(differs.method), method
        )
    awards = manifest_awards(results.rank_conn(conn, method, campaign.year if campaign else None))
    kept = runs.announced_runs(conn, year)
    for group, held in by:
        awards[group] = [
            {"code": a["code"], "score": f"{a['score']:.4f}", "votes": a["votes"]}
            for a in held.awards
        ]
        # What a recount will do (7.4 step 8), done first: a publication that could not
        # recount to the announced awards is refused here, not found out by an auditor.
        again = manifest_awards(rank(results.announced_tallies(conn, year, group), method))
        if runs.count(kept.get(group, {})) != held.votes or again[group] != awards[group]:
            raise PublishError(
                f"the {group} group's announced awards do not follow from the"
                f" {runs.count(kept.get(group, {}))} votes kept with the announcement"
                f" ({held.votes} counted then) with the size groups loaded now; was a district's"
                " size group changed since? Nothing was published"
            )
    if campaign is None and not announced:
        votes, voting_kiosks = conn.execute(
            sa.text("SELECT COUNT(*), COUNT(DISTINCT kiosk) FROM votes")
        ).one()
        return _Counted(int(votes), int(voting_kiosks), awards, None, {}, method)
    held_runs = runs.held_runs(conn, (campaign.starts_at, campaign.ends_at) if campaign else None)
    return _Counted(
        runs.count(held_runs),
        len(held_runs),
        awards,
        _as_json(held_runs),
        {
            group: {"at": held.announced_at, "seqs": _as_json(kept.get(group, {}))}
            for group, held in sorted(announced.items())
        },
        method,
    )


def _campaign(campaign: Campaign | None) -> dict[str, Any] | None:
    """The manifest's campaign: its year, names and period (null for every vote's)."""
    if campaign is None:
        return None
    return {
        "year": campaign.year, "name_th": campaign.name_th, "name_en": campaign.name_en,
        "starts_at": campaign.starts_at, "ends_at": campaign.ends_at,
    }  # fmt: skip


def _as_json(found: runs.Runs) -> dict[str, list[list[int]]]:
    return {kiosk: [[first, last] for first, last in kept] for kiosk, kept in sorted(found.items())}


def _write_batches(conn: Connection, folder: Path) -> list[dict[str, Any]]:
    entries = []
    # In the order received, the same on every backend. The bodies are read a batch at a
    # time: a publication can be larger than the memory.
    rows = conn.execute(
        sa.text("SELECT kiosk, first_seq, last_seq, body FROM batches ORDER BY arrival, hash"),
        execution_options={"yield_per": 100},
    )
    for number, (kiosk, first, last, body) in enumerate(rows, start=1):
        name = batch_file_name(number, kiosk, first, last)
        data = bytes(body)
        _write_new(folder / name, data)
        entries.append(
            {
                "file": name,
                "sha256": hashlib.sha256(data).hexdigest(),
                "kiosk": kiosk,
                "first_seq": first,
                "last_seq": last,
            }
        )
    return entries


def _write_quarantined(conn: Connection, folder: Path) -> list[dict[str, Any]]:
    """Write each quarantined vote's signed bytes; return the manifest's entries for them."""
    rows = conn.execute(sa.text("SELECT kiosk, seq, hash, reason, body FROM quarantine"))
    # Sorted here, not by the database, so that the order is byte order on every backend.
    quarantined = sorted((str(k), int(s), str(h), str(r), bytes(b)) for k, s, h, r, b in rows)
    entries = []
    for number, (kiosk, seq, digest, reason, body) in enumerate(quarantined, start=1):
        name = quarantine_file_name(number, kiosk, seq)
        _write_new(folder / name, body)  # the vote's RFC 8785 bytes: their SHA-256 is its hash
        entries.append({"file": name, "hash": digest, "kiosk": kiosk, "reason": reason, "seq": seq})
    return entries


def _write_new(path: Path, data: bytes) -> None:
    with open(path, "xb") as f:  # a new file in a new folder: never overwrite
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


# --- publications in the collector's home (the console) ------------------------------------


@dataclass(frozen=True, slots=True)
class Publication:
    """A finished publication in the collector's home, as its manifest describes it."""

    name: str
    folder: Path
    published_at: str
    votes: int
    kiosks: int
    batches: int
    collector_key: str
    campaign: int | None  # the year of the campaign it counts (None: every vote)
    method: RankingMethod  # the method it ranks by
    zip_bytes: int | None  # the zip's size (None until it is made)


def valid_name(name: str) -> bool:
    """True when name is a publication's name: a UTC stamp like 20261231T090000Z, nothing else."""
    return _NAME.fullmatch(name) is not None


def publication_name(moment: datetime) -> str:
    """The name of a publication made at moment (UTC)."""
    return f"{moment:%Y%m%dT%H%M%SZ}"


def publications_folder(home: Path) -> Path:
    """Where the console keeps its publications."""
    return home / PUBLICATIONS_DIR


def publish_in_home(
    store: CollectorStore,
    key: DeviceKey,
    home: Path,
    method: RankingMethod,
    moment: datetime,
    campaign: Campaign | None = None,
) -> Publication:
    """Publish into a new folder under home named after moment, and zip it for download.

    PublishError when a publication of that second exists already, or the data cannot be
    published; nothing half-made is left behind (OSError passes on, after the clean-up).
    """
    name = publication_name(moment)
    parent = publications_folder(home)
    parent.mkdir(parents=True, exist_ok=True)
    folder = parent / name
    try:
        folder.mkdir()  # exclusive: two officers publishing in the same second get one each
    except FileExistsError:
        raise PublishError(f"a publication named {name} exists already") from None
    try:
        publish(store, key, folder, method, store.now(), campaign)
        make_zip(folder, parent / f"{name}.zip")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    found = publication(home, name)
    assert found is not None
    return found


def make_zip(folder: Path, target: Path) -> None:
    """Zip a publication folder (inside it: sangsuk-publication-<name>/...) into target, atomically."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                inner = ZIP_PREFIX + folder.name
                for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                    archive.write(path, f"{inner}/{path.relative_to(folder).as_posix()}")
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # a publication is for everyone
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def publications(home: Path) -> list[Publication]:
    """The finished publications in home, newest first."""
    try:
        entries = list(publications_folder(home).iterdir())
    except OSError:  # none made yet (or the folder cannot be read: then none can be offered)
        return []
    names = sorted((p.name for p in entries if valid_name(p.name)), reverse=True)
    return [found for name in names if (found := publication(home, name)) is not None]


def newest_of(home: Path, campaign: int | None) -> Publication | None:
    """The newest finished publication in home of campaign (a year; None: of every vote)."""
    return next((p for p in publications(home) if p.campaign == campaign), None)


def publication(home: Path, name: str) -> Publication | None:
    """The finished publication called name in home, or None (a bad name is None too)."""
    if not valid_name(name):
        return None
    folder = publications_folder(home) / name
    manifest = folder / MANIFEST_NAME
    try:
        stat = manifest.stat()
    except OSError:
        return None  # not there, or not finished
    summary = _summary(manifest, stat.st_mtime_ns, stat.st_size)
    if summary is None:
        return None
    zipped = folder.with_name(f"{name}.zip")
    size = zipped.stat().st_size if zipped.is_file() else None
    return Publication(name, folder, *summary, size)


def publication_zip(home: Path, name: str) -> Path | None:
    """The zip of the finished publication name (made now if it is missing), else None."""
    found = publication(home, name)
    if found is None:
        return None
    target = found.folder.with_name(f"{name}.zip")
    if found.zip_bytes is None:
        make_zip(found.folder, target)
    return target


@functools.lru_cache(maxsize=64)
def _summary(
    manifest: Path, _mtime_ns: int, _size: int
) -> tuple[str, int, int, int, str, int | None, RankingMethod] | None:
    # A manifest never changes once written; the cache keys on its time and size all the same.
    try:
        data = json.loads(manifest.read_bytes())
        campaign = data.get("campaign")  # versions 1 and 2 have none: they count every vote
        return (
            str(data["published_at"]),
            int(data["counted"]["votes"]),
            int(data["counted"]["kiosks"]),
            len(data["batches"]),
            str(data["collector_key"]),
            None if campaign is None else int(campaign["year"]),
            RankingMethod.from_json(data["ranking"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
