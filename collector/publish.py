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
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass
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
from collector.ranking import RankingMethod
from collector.store import CollectorStore
from wire.files import fsync_dir, write_atomically
from wire.keys import DeviceKey

DISTRICTS_CSV: Final = "districts.csv"


class PublishError(Exception):
    """The publication cannot be written; the message says why, and nothing is left half-made."""


@dataclass(frozen=True, slots=True)
class Published:
    """What publish wrote."""

    folder: Path
    batches: int
    votes: int
    kiosks: int
    quarantined: int
    collector_key: str


def publish(
    store: CollectorStore, key: DeviceKey, folder: Path, method: RankingMethod, now: str
) -> Published:
    """Write the publication of the store's database into folder (new or empty)."""
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
        folder.mkdir(parents=True, exist_ok=True)
        (folder / BATCHES_DIR).mkdir()
        entries = _write_batches(conn, folder)
        fsync_dir(folder / BATCHES_DIR)
        ranking = results.rank_conn(conn, method)
        districts = {
            str(code): str(group)
            for code, group in rows("SELECT code, size_group FROM districts ORDER BY code")
        }
        kiosks = {
            kiosk: {"public_key": public, "district": district, "revoked": revoked is not None}
            for kiosk, public, district, revoked in rows(
                "SELECT kiosk, public_key, district, revoked_at FROM kiosks ORDER BY kiosk"
            )
        }
        (folder / QUARANTINE_DIR).mkdir()
        quarantined = _write_quarantined(conn, folder)
        fsync_dir(folder / QUARANTINE_DIR)
        votes, voting_kiosks = rows("SELECT COUNT(*), COUNT(DISTINCT kiosk) FROM votes")[0]
    collector_key = key.public_key_raw.hex()
    manifest: dict[str, Any] = {
        "kind": PUBLICATION_KIND,
        "version": PUBLICATION_VERSION,
        "collector_key": collector_key,
        "published_at": now,
        "ranking": method.to_json(),
        "districts": districts,
        "kiosks": kiosks,
        "batches": entries,
        "quarantined": quarantined,
        "counted": {"votes": int(votes), "kiosks": int(voting_kiosks)},
        "awards": manifest_awards(ranking),
    }
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["code", "size_group"])
    writer.writerows(sorted(districts.items()))
    write_atomically(folder / DISTRICTS_CSV, table.getvalue().encode("utf-8"))
    # The manifest last: a folder without it is an unfinished publication.
    write_atomically(folder / MANIFEST_NAME, sign_manifest(key.private_key, manifest))
    return Published(
        folder, len(entries), int(votes), int(voting_kiosks), len(quarantined), collector_key
    )


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
