"""Files holding votes are not world-readable: the data folder's files are owner-only (0600)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, save_config
from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from kiosk.logs import LOG_DIR_NAME
from kiosk.syncstate import RECEIPTS_FILE_NAME, SyncState, archive_receipt, save_sync_state
from ui.cli import main
from wire import keys
from wire.files import PrivateRotatingFileHandler
from wire.vote import Ballot

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")


@pytest.fixture(autouse=True)
def _usual_umask() -> Iterator[None]:
    """The umask most systems start with (022), whatever the test runner's was."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def files_in(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): mode(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_file_the_kiosk_makes_is_owner_only(tmp_path):
    data_dir = tmp_path / "kiosk"
    # The command makes the folder, its log, the device key and the ledger.
    assert main(["demo-votes", "--count", "3", "--data-dir", str(data_dir)]) == 0
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    save_sync_state(data_dir, SyncState().succeeded("2026-11-24T03:00:00.000Z"))
    archive_receipt(data_dir, b'{"kind":"sangsuk-receipt"}')
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        ledger.cast(Ballot("3706", 5))
        ledger_files = files_in(data_dir)  # while it is open: with its -wal and -shm
    assert {LEDGER_FILE_NAME + "-wal", LEDGER_FILE_NAME + "-shm", RECEIPTS_FILE_NAME} <= set(
        ledger_files
    )
    assert f"{LOG_DIR_NAME}/kiosk.log" in ledger_files
    assert ledger_files == dict.fromkeys(ledger_files, 0o600)
    assert (mode(data_dir), mode(data_dir / LOG_DIR_NAME)) == (0o700, 0o700)


def test_files_an_older_version_left_readable_are_tightened_on_open(tmp_path, caplog):
    data_dir = tmp_path / "kiosk"
    assert main(["demo-votes", "--count", "3", "--data-dir", str(data_dir)]) == 0
    archive_receipt(data_dir, b'{"kind":"sangsuk-receipt"}')
    (data_dir / "demo-ledger-20261124T030000Z.sqlite3").write_bytes(b"demo votes set aside")
    (data_dir / LOG_DIR_NAME / "kiosk.log.1").write_text("an older log\n", encoding="utf-8")
    for path in (data_dir / LEDGER_FILE_NAME, *data_dir.glob("*.*"), *data_dir.glob("logs/*")):
        path.chmod(0o644)  # as the version before this one made them
    readable = [p for p in files_in(data_dir) if p != keys.KEY_FILE_NAME]
    caplog.set_level(logging.WARNING)
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)):
        pass
    found = files_in(data_dir)
    assert found == dict.fromkeys(found, 0o600)
    said = "\n".join(r.getMessage() for r in caplog.records)
    for name in (*readable, keys.KEY_FILE_NAME):
        assert f"{data_dir / name} was readable by others (mode 644); it is now 600" in said


def test_a_rotated_log_and_the_new_one_are_owner_only(tmp_path):
    path = tmp_path / "kiosk.log"
    handler = PrivateRotatingFileHandler(path, max_bytes=200, backups=2)
    log = logging.getLogger("test_privacy.rotation")
    log.addHandler(handler)
    log.propagate = False
    try:
        for n in range(20):
            log.warning("line %d of a log that a clerk's input could appear in", n)
    finally:
        log.removeHandler(handler)
        handler.close()
        log.propagate = True
    assert files_in(tmp_path) == {"kiosk.log": 0o600, "kiosk.log.1": 0o600, "kiosk.log.2": 0o600}
