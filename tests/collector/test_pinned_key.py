"""Every server on one database signs with one key: the database records the collector's key
the first time a server uses it, and a server with another key, or with none, is refused
before it signs anything (collector/keys.py, collector/store/pinned_key.py).

On PostgreSQL each server keeps its key in its own home ($SANGSUK_COLLECTOR_HOME), so a second
server set up without a copy of the first one's key used to make a key of its own, and every
kiosk the load balancer sent there refused its receipts.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from collector.cli import main
from collector.keys import CollectorKeyError, collector_key_path, make_new_collector_key
from collector.store import CollectorStore, pinned_key
from collector.store.audit import AuditFilter
from collector.store.target import HOME_ENV
from tests.collector_db import one, sql
from tests.collector_server import REPO_ROOT
from wire import keys

DEMO_CSV = str(REPO_ROOT / "collector" / "data" / "districts-demo.csv")


def test_a_second_server_with_its_own_key_is_refused_and_makes_nothing(pg_url, tmp_path):
    first, second = tmp_path / "server-a", tmp_path / "server-b"
    loaded = _cli(["districts", "--load", DEMO_CSV, "--db", pg_url], {HOME_ENV: str(first)})
    assert loaded.returncode == 0, loaded.stderr
    env_first = {HOME_ENV: str(first)}
    assert _cli(["token", "--district", "3706", "--db", pg_url], env_first).returncode == 0
    key_a = keys.load(first / "collector.key.pem")

    # The second server's home has no key: it is not made, and the words say to copy it.
    done = _cli(["token", "--district", "3706", "--db", pg_url], {HOME_ENV: str(second)})
    assert done.returncode == 2
    assert f"this database already has the collector's key (fingerprint {key_a.fingerprint})" in (
        done.stderr
    )
    assert "copy it from another server on this database" in done.stderr
    assert not (second / "collector.key.pem").exists()

    # With a key of its own, it is refused too, naming both fingerprints, before it serves.
    other = keys.create(second / "collector.key.pem")
    served = _cli(["serve", "--db", pg_url, "--port", "0"], {HOME_ENV: str(second)})
    assert served.returncode == 2
    assert f"(fingerprint {other.fingerprint}) is not the key this database" in served.stderr
    assert f"first used with (fingerprint {key_a.fingerprint})" in served.stderr

    # Nothing changed: one token issued, and the recorded key is the first server's.
    with CollectorStore(pg_url) as store:
        assert pinned_key.recorded(store) == key_a.public_key_raw.hex()
        assert one(store, "SELECT COUNT(*) FROM tokens") == 1


def test_the_same_key_copied_to_a_second_server_is_taken(pg_url, tmp_path):
    first, second = tmp_path / "server-a", tmp_path / "server-b"
    loaded = _cli(["districts", "--load", DEMO_CSV, "--db", pg_url], {HOME_ENV: str(first)})
    assert loaded.returncode == 0, loaded.stderr
    assert (
        _cli(["token", "--district", "3706", "--db", pg_url], {HOME_ENV: str(first)}).returncode
        == 0
    )
    second.mkdir(mode=0o700)
    (second / "collector.key.pem").write_bytes((first / "collector.key.pem").read_bytes())
    (second / "collector.key.pem").chmod(0o600)
    done = _cli(["token", "--district", "3701", "--db", pg_url], {HOME_ENV: str(second)})
    assert done.returncode == 0, done.stderr
    with CollectorStore(pg_url) as store:
        assert one(store, "SELECT COUNT(*) FROM tokens") == 2


def test_a_database_from_before_the_rule_records_the_key_it_has_been_using(tmp_path):
    db = tmp_path / "collector.sqlite3"
    assert main(["districts", "--load", DEMO_CSV, "--db", str(db)]) == 0
    assert main(["token", "--district", "3706", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        sql(store, "DELETE FROM settings WHERE key = :key", key=pinned_key.SETTING)
    assert main(["token", "--district", "3706", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        using = keys.load(collector_key_path(db)).public_key_raw.hex()
        assert pinned_key.recorded(store) == using


def _cli(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`sangsuk-collector ARGV` in a process of its own, with env added to this one's."""
    return subprocess.run(
        [sys.executable, "-m", "collector", *argv, "--language", "en"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), **env},
        timeout=120,
    )


def test_a_lost_key_with_no_backup_is_replaced_only_deliberately(tmp_path):
    """The documented way out when the key is lost with no backup: a new key, recorded in the
    database in place of the old, audited; the commands then take it."""
    db = tmp_path / "collector.sqlite3"
    assert main(["districts", "--load", DEMO_CSV, "--db", str(db)]) == 0
    assert main(["token", "--district", "3706", "--db", str(db)]) == 0
    old = keys.load(collector_key_path(db))
    with pytest.raises(CollectorKeyError, match="already"):
        make_new_collector_key(db)  # never over a key that is there
    collector_key_path(db).unlink()
    assert main(["token", "--district", "3706", "--db", str(db)]) == 2  # not made silently
    new = make_new_collector_key(db)
    assert new.public_key_raw != old.public_key_raw
    assert main(["token", "--district", "3706", "--db", str(db)]) == 0
    with CollectorStore(db) as store:
        assert pinned_key.recorded(store) == new.public_key_raw.hex()
        details = [r["detail"] for r in store.audit_rows(50, AuditFilter(kind="settings"))]
        assert f"collector_public_key set to {new.public_key_raw.hex()}" in details
