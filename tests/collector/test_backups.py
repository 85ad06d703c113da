"""A backup, restored into a fresh database, recounts to the same awards (docs/operations.md).

SQLite: the backup API (what `sqlite3 .backup` does) while the collector is open. PostgreSQL:
pg_dump in its custom format and pg_restore into a new, empty database, as a database team
does it. Either way the restored database serves, publishes, and its publication recounts to
the awards of the original.
"""

from __future__ import annotations

import json
import sqlite3

from collector.cli import main
from collector.manifest import MANIFEST_NAME
from collector.store import CollectorStore
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from tests.pg_backup import dump, restore

DISTRICTS = "collector/data/districts-demo.csv"


def campaign(db: str, make_kiosk) -> None:
    """Three offices' votes, one replayed batch and a second batch by USB."""
    assert main(["districts", "--load", DISTRICTS, "--db", db]) == 0
    with CollectorStore(db, FakeClock()) as store:
        for n, (name, district, votes) in enumerate(
            (("a", "3706", 60), ("b", "4408", 45), ("c", "4712", 50))
        ):
            k = make_kiosk(name, district)
            enroll(store, k)
            k.cast(votes, seed=n)
            ingest(store, k.batch(limit=votes // 2))
            ingest(store, k.batch(limit=votes // 2))
            ingest(store, k.batch(first=votes // 2 + 1), source="usb")


def awards(db: str, folder) -> dict[str, object]:
    """Publish db into folder, recount it, and return the published awards."""
    assert main(["publish", "--db", db, "--to", str(folder)]) == 0
    assert main(["recount", str(folder)]) == 0
    manifest = json.loads((folder / MANIFEST_NAME).read_bytes())
    return {"awards": manifest["awards"], "counted": manifest["counted"]}


def test_a_sqlite_backup_taken_while_open_restores_to_the_same_awards(tmp_path, make_kiosk):
    db = str(tmp_path / "central" / "collector.sqlite3")
    campaign(db, make_kiosk)
    backup = tmp_path / "backup" / "collector.sqlite3"
    backup.parent.mkdir()
    with CollectorStore(db):  # the server still has it open
        source, target = sqlite3.connect(db), sqlite3.connect(backup)
        source.backup(target)
        target.close()
        source.close()
    (backup.parent / "collector.key.pem").write_bytes(
        (tmp_path / "central" / "collector.key.pem").read_bytes()
    )
    assert awards(str(backup), tmp_path / "from-backup") == awards(db, tmp_path / "original")


def test_a_postgresql_dump_restored_into_a_fresh_database_recounts_the_same(
    make_pg_url, pg_url, tmp_path, make_kiosk
):
    campaign(pg_url, make_kiosk)
    dump(pg_url, tmp_path / "collector.dump")
    fresh = make_pg_url()
    restore(tmp_path / "collector.dump", fresh)
    restored = awards(fresh, tmp_path / "from-backup")
    assert restored == awards(pg_url, tmp_path / "original")
    assert restored["counted"] == {"votes": 155, "kiosks": 3}
    with CollectorStore(fresh) as store:  # and it carries on: the tallies came along
        assert store.total_votes() == 155
