"""Publications for the recount tests: a collector with kiosks, published, and the tools of a
dishonest collector (change a published file or the manifest, and sign the manifest again)."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from collector.cli import main
from collector.keys import load_collector_key
from collector.manifest import MANIFEST_NAME, quarantine_file_name, sign_manifest
from collector.store import CollectorStore
from kiosk.ledger import Ledger
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire import keys


class Cli:
    """Runs `sangsuk-collector` in-process and keeps what it printed."""

    def __init__(self, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys
        self.out = self.err = ""

    def __call__(self, *argv: object, db: bool = True) -> int:
        """Run the command with these arguments (and --db, unless db is False)."""
        code = main([*map(str, argv), *(["--db", str(self.db)] if db else [])])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A collector database with its key and three districts."""
    path = tmp_path / "central" / "collector.sqlite3"
    path.parent.mkdir()
    load_collector_key(path)
    with CollectorStore(path, FakeClock()) as store:
        store.load_districts([("3706", "small"), ("3701", "small"), ("4408", "medium")])
    return path


@pytest.fixture
def cli(db: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line on db, with a ranking method that ranks the few votes of the tests."""
    run = Cli(db, capsys)
    assert run("awards", "--prior-weight", "5", "--min-votes", "3", "--save") == 0
    return run


@pytest.fixture
def campaign(db: Path, cli: Cli, make_kiosk: Callable[..., Kiosk]) -> dict[str, Kiosk]:
    """Three kiosks: one by network, one by USB, one both ways (its votes arrive twice)."""
    kiosks = {}
    with CollectorStore(db, FakeClock()) as store:
        for name, district, votes, seed in (
            ("a", "3706", 12, 1),
            ("b", "3701", 9, 2),
            ("c", "4408", 7, 3),
        ):
            k = make_kiosk(name, district)
            enroll(store, k)
            k.cast(votes, seed)
            kiosks[name] = k
        ingest(store, kiosks["a"].batch(), "http")
        ingest(store, kiosks["b"].batch(), "usb")
        ingest(store, kiosks["c"].batch(limit=4), "http")
        ingest(store, kiosks["c"].batch(), "usb")  # 1-7 again by USB: 1-4 counted once
    return kiosks


@pytest.fixture
def fork(db: Path, cli: Cli, make_kiosk: Callable[..., Kiosk], tmp_path: Path) -> Kiosk:
    """Protocol 4.6 `fork`: a restored copy of a kiosk sends its own votes 1' and 2'.

    The collector holds 3 and 4 of the real kiosk, counts 1' and quarantines 2' (it does not
    lead to 3), then the real 1 (a conflict with 1') and the real 2 (a fork), which came in a
    batch that brought nothing new: only the quarantine keeps their bytes.
    """
    real = make_kiosk("real", "3706")
    copy_dir = tmp_path / "restored"
    copy_dir.mkdir()
    shutil.copy2(real.data_dir / keys.KEY_FILE_NAME, copy_dir / keys.KEY_FILE_NAME)
    copy = Kiosk(copy_dir, real.key, Ledger.open(copy_dir, real.key, FakeClock()), "3706")
    try:
        real.cast(4, seed=1)
        copy.cast(2, seed=99)
        with CollectorStore(db, FakeClock()) as store:
            enroll(store, real)
            ingest(store, real.batch(first=3), "http")  # 3 and 4 are held
            result = ingest(store, copy.batch(), "usb")  # 1' new; 2' does not lead to 3
            assert result.conflicts == [2]
            result = ingest(store, real.batch(), "http")  # 1 conflicts with 1'; 2 forks
            assert result.conflicts == [1, 2]
            assert result.new == 0
    finally:
        copy.ledger.close()
    return real


def published(cli: Cli, tmp_path: Path) -> Path:
    """Publish the collector's database into a new folder."""
    folder = tmp_path / "publication"
    assert cli("publish", "--to", folder) == 0, cli.err
    return folder


def awards(cli: Cli) -> Any:
    """The collector's own awards, as `awards --json` prints them for each size group (what a
    recount's --json must print; beside them it says what was announced and the live ranking)."""
    assert cli("awards", "--json") == 0, cli.err
    printed = json.loads(cli.out)
    assert set(printed) == {"small", "medium", "large", "announced", "live"}
    return {g: printed[g] for g in ("small", "medium", "large")}


def manifest_of(folder: Path) -> dict[str, Any]:
    """The published manifest as JSON."""
    result: dict[str, Any] = json.loads((folder / MANIFEST_NAME).read_bytes())
    return result


def resign(folder: Path, db: Path, change: Callable[[dict[str, Any]], object]) -> None:
    """Change the manifest and sign it again with the collector's key: a dishonest collector."""
    manifest = manifest_of(folder)
    change(manifest)
    manifest.pop("sig", None)
    key = load_collector_key(db)
    (folder / MANIFEST_NAME).write_bytes(sign_manifest(key.private_key, manifest))


def republish(folder: Path, db: Path, victim: Path, data: bytes) -> None:
    """Replace a published batch file, list its new SHA-256 and sign the manifest again."""
    old = hashlib.sha256(victim.read_bytes()).hexdigest()
    victim.write_bytes(data)

    def change(manifest: dict[str, Any]) -> None:
        (entry,) = [b for b in manifest["batches"] if b["sha256"] == old]
        entry["sha256"] = hashlib.sha256(data).hexdigest()

    resign(folder, db, change)


def requarantine(
    folder: Path,
    db: Path,
    entries: list[dict[str, Any]],
    files: dict[str, bytes],
) -> None:
    """Publish this quarantine list (hash -> a vote's bytes in files), numbered and signed anew.

    Every quarantined vote file is written again under its new number, as a careful dishonest
    collector would, so that only what the test changes is wrong.
    """
    shutil.rmtree(folder / "quarantine")
    (folder / "quarantine").mkdir()
    entries = sorted(entries, key=lambda q: (q["kiosk"], q["seq"], q["hash"]))
    for number, q in enumerate(entries, start=1):
        q["file"] = quarantine_file_name(number, q["kiosk"], q["seq"])
        if q["hash"] in files:
            (folder / q["file"]).write_bytes(files[q["hash"]])
    resign(folder, db, lambda m: m.update(quarantined=entries))


def quarantined_files(folder: Path) -> dict[str, bytes]:
    """Every published quarantined vote's bytes, by its hash (the SHA-256 of the bytes)."""
    return {
        hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes()
        for p in (folder / "quarantine").iterdir()
    }
