"""A collector restored from last night's backup gets back the votes it lost, from the kiosks.

Real parts throughout: the kiosk's SQLite ledger and Ed25519 key, `sangsuk-kiosk` as a clerk
runs it, a real collector served by uvicorn on 127.0.0.1 (or `sangsuk-collector import` for a
stick), its SQLite database backed up with SQLite's backup as docs/operations.md says, and
restored as it says (the file put back, the old -wal and -shm deleted).
"""

from __future__ import annotations

import json
import logging
import random
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli.main import main as collector_main
from collector.keys import load_collector_key
from collector.store import CollectorStore
from kiosk.config import load_config, save_config
from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from kiosk.resend import RESEND_FILE_NAME, learn_missing, load_resend
from sync import operations
from sync.usb import UsbError, import_receipt
from tests.collector_server import RunningCollector, serve_collector
from ui.cli import main
from wire import keys
from wire.receipt import Receipt, sign_receipt
from wire.stick import receipt_file_for

DISTRICTS = [("3706", "small")]
SEND_AGAIN_EN = "3 votes to send again (the central office asked for them)"
SEND_AGAIN_TH = "ต้องส่งซ้ำ 3 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def status(capsys, data_dir: Path) -> tuple[dict, str]:
    """`sangsuk-kiosk status --json` and `sangsuk-kiosk status`, as the officer reads them."""
    code, out, err = run(capsys, "status", "--json", "--data-dir", str(data_dir))
    assert code == 0, err
    code, text, err = run(capsys, "status", "--data-dir", str(data_dir))
    assert code == 0, err
    return json.loads(out), text


def sync(capsys, data_dir: Path) -> str:
    code, out, err = run(capsys, "sync", "--once", "--data-dir", str(data_dir))
    assert code == 0, err
    return out


def cast(data_dir: Path, n: int, seed: int) -> None:
    """n votes as citizens cast them, through the kiosk's ledger."""
    rng = random.Random(seed)
    with Ledger.open(data_dir, keys.load_or_create(data_dir)) as ledger:
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(n)])


def back_up(db: Path, copy: Path) -> None:
    """SQLite's backup, as docs/operations.md "Backups" gives it, while the server runs."""
    src, dst = sqlite3.connect(db), sqlite3.connect(copy)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def restore(copy: Path, db: Path) -> None:
    """Put the backup in place and delete the old file's -wal and -shm (the server stopped)."""
    db.write_bytes(copy.read_bytes())
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


@contextmanager
def serving(db: Path, data_dir: Path | None = None) -> Iterator[RunningCollector]:
    """Serve the collector on db; an enrolled kiosk in data_dir is pointed at its new port."""
    with serve_collector(db, DISTRICTS) as running:
        if data_dir is not None:
            config = load_config(data_dir)
            if config.enrolled:
                save_config(data_dir, config.with_changes(collector_url=running.url))
        yield running


def held(db: Path, kiosk_id: str) -> tuple[int, list, list]:
    """Votes held, and the held and missing ranges, of a kiosk, read from the collector's file."""
    with CollectorStore(db) as store:
        found = store.kiosk_status(kiosk_id)
        return store.total_votes(), list(found.held), list(found.missing)


def each_vote_once(db: Path) -> list[tuple[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(
            "SELECT seq, COUNT(*) FROM votes GROUP BY seq HAVING COUNT(*) != 1"
        ).fetchall()
    finally:
        conn.close()


def restore_after_backup(tmp_path: Path, capsys) -> tuple[Path, Path, str]:
    """A kiosk that sent 40 votes, then 3 more after the collector's nightly backup, and a
    collector restored from that backup (it holds 1-40)."""
    db, copy, data_dir = tmp_path / "collector.sqlite3", tmp_path / "backup.sqlite3", tmp_path / "k"
    with serving(db) as collector:
        token = collector.store.issue_token("3706")
        code, _, err = run(
            capsys, "enroll", "--collector", collector.url, "--token", token,
            "--data-dir", str(data_dir),
        )  # fmt: skip
        assert code == 0, err
        cast(data_dir, 40, seed=1)
        sync(capsys, data_dir)
        back_up(db, copy)
        cast(data_dir, 3, seed=2)
        sync(capsys, data_dir)
        kiosk_id = keys.load(data_dir / keys.KEY_FILE_NAME).kiosk_id
        assert collector.store.total_votes() == 43
    restore(copy, db)
    assert held(db, kiosk_id) == (40, [(1, 40)], [])
    return db, data_dir, kiosk_id


@pytest.fixture
def restored(tmp_path: Path, capsys) -> tuple[Path, Path, str]:
    """The collector restored from its backup (restore_after_backup); the kiosk has cast 3 more
    votes since."""
    db, data_dir, kiosk_id = restore_after_backup(tmp_path, capsys)
    cast(data_dir, 3, seed=3)
    info, _ = status(capsys, data_dir)
    assert (info["total"], info["delivered"], info["pending"], info["resend"]) == (46, 43, 3, 0)
    return db, data_dir, kiosk_id


# --- over the network --------------------------------------------------------------------------


def test_after_a_restore_the_next_sync_fills_the_gap_and_status_shows_the_resend_meanwhile(
    restored, capsys
):
    db, data_dir, kiosk_id = restored
    seen: list[tuple[dict, str]] = []
    with serving(db, data_dir):
        # The clerk's "send now": the officer looks at the status after each batch.
        outcome = operations.SyncJob(data_dir).run(
            on_progress=lambda done, total: seen.append(status(capsys, data_dir))
        )
        assert outcome.report.ok, outcome.report.error
        # 44-46 first; its receipt listed 41-43 as missing, and they went in the same pass.
        assert (outcome.report.batches, outcome.report.sent) == (2, 6)
        first, text = seen[1]  # the status read right after the first batch's receipt
        assert first["resend"] == 3
        assert SEND_AGAIN_TH in text
        assert SEND_AGAIN_EN in text
        assert text.index(SEND_AGAIN_TH) < text.index(SEND_AGAIN_EN)  # Thai first

        out = sync(capsys, data_dir)  # the second sync: nothing more to send
        assert "Nothing to send: all 46 votes are delivered." in out

    assert held(db, kiosk_id) == (46, [(1, 46)], [])
    assert each_vote_once(db) == []
    info, text = status(capsys, data_dir)
    assert (info["delivered"], info["pending"], info["resend"]) == (46, 0, 0)
    assert "send again" not in text
    assert "ส่งซ้ำ" not in text
    assert load_resend(data_dir) == []


def test_the_cli_sync_alone_recovers_the_lost_votes(restored, capsys):
    db, data_dir, kiosk_id = restored
    with serving(db, data_dir):
        out = sync(capsys, data_dir)
    # The three sent again were delivered before: the line says where they went.
    assert (
        "Sent 6 votes in 2 batches: 3 newly delivered, 0 still pending. 3 of them were sent"
        " again because the central office asked for them, and it now holds them." in out
    )
    assert "ในจำนวนนี้ 3 รายการเป็นการส่งซ้ำตามที่ส่วนกลางขอ และส่วนกลางได้รับแล้ว" in out
    assert held(db, kiosk_id) == (46, [(1, 46)], [])
    assert each_vote_once(db) == []


def test_a_kiosk_with_no_new_vote_checks_in_and_gets_back_what_the_restore_lost(tmp_path, capsys):
    """Nobody has voted since the restore: `sangsuk-kiosk sync` sends the newest vote alone (a
    check-in), its receipt lists 41-42 as missing, and they go in the same pass."""
    db, data_dir, kiosk_id = restore_after_backup(tmp_path, capsys)
    with serving(db, data_dir):
        out = sync(capsys, data_dir)
        assert (
            "Sent 2 votes in 1 batch: 0 newly delivered, 0 still pending. 2 of them were sent"
            " again because the central office asked for them, and it now holds them." in out
        )
        assert held(db, kiosk_id) == (43, [(1, 43)], [])
        assert each_vote_once(db) == []
        info, _ = status(capsys, data_dir)
        assert (info["delivered"], info["pending"], info["resend"]) == (43, 0, 0)

        out = sync(capsys, data_dir)  # asked again: the collector now holds every vote
    assert (
        "Nothing to send: all 43 votes are delivered. The central office confirmed that it holds"
        " every vote of this kiosk." in out
    )
    assert "ส่วนกลางยืนยันแล้วว่าได้รับผลการประเมินของเครื่องนี้ครบทุกรายการ" in out
    assert held(db, kiosk_id) == (43, [(1, 43)], [])
    assert each_vote_once(db) == []


# --- on a stick ----------------------------------------------------------------------------------


def collector_import(capsys, db: Path, stick: Path) -> str:
    """`sangsuk-collector import` of the stick: it writes a receipt beside each batch file."""
    code = collector_main(["import", str(stick), "--db", str(db)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return out


def test_a_usb_kiosk_learns_from_the_receipt_stick_and_its_next_stick_fills_the_gap(
    restored, capsys, tmp_path
):
    db, data_dir, kiosk_id = restored
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 0, err
    (batch,) = sorted(stick.glob("*.batch.json"))
    assert batch.name.endswith("-00000044-00000046.batch.json")  # only what is pending so far
    collector_import(capsys, db, stick)
    code, out, err = run(
        capsys, "import-receipt", str(receipt_file_for(batch)), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    assert SEND_AGAIN_EN in out  # the clerk learns it at once, with the next stick to bring
    info, text = status(capsys, data_dir)
    assert (info["pending"], info["resend"]) == (0, 3)
    assert SEND_AGAIN_EN in text
    assert SEND_AGAIN_TH in text

    second = tmp_path / "usb2"
    second.mkdir()
    code, out, err = run(capsys, "export", "--to", str(second), "--data-dir", str(data_dir))
    assert code == 0, err
    (batch,) = sorted(second.glob("*.batch.json"))
    assert batch.name.endswith("-00000041-00000043.batch.json")
    assert "3 votes" in out
    # Delivered before and asked for again: not called pending (status says 0 pending too).
    assert "All of them were delivered before and are sent again" in out
    assert "none is pending" in out
    assert "ไม่มีรายการค้างส่ง" in out
    assert "They stay pending" not in out
    collector_import(capsys, db, second)
    assert held(db, kiosk_id) == (46, [(1, 46)], [])
    assert each_vote_once(db) == []
    code, _, err = run(
        capsys, "import-receipt", str(receipt_file_for(batch)), "--data-dir", str(data_dir)
    )
    assert code == 0, err
    info, text = status(capsys, data_dir)
    assert (info["pending"], info["resend"]) == (0, 0)
    assert "send again" not in text
    code, out, _ = run(capsys, "export", "--to", str(tmp_path), "--data-dir", str(data_dir))
    assert not list(tmp_path.glob("*.batch.json"))  # nothing more to carry


# --- receipts that must change nothing ---------------------------------------------------------


@pytest.fixture
def delivered(tmp_path: Path, capsys) -> tuple[Path, Path, str]:
    """A kiosk whose 10 votes the collector accepted, and the collector's database."""
    db, data_dir = tmp_path / "collector.sqlite3", tmp_path / "k"
    with serving(db) as collector:
        token = collector.store.issue_token("3706")
        code, _, err = run(
            capsys, "enroll", "--collector", collector.url, "--token", token,
            "--data-dir", str(data_dir),
        )  # fmt: skip
        assert code == 0, err
        cast(data_dir, 10, seed=1)
        sync(capsys, data_dir)
    return db, data_dir, keys.load(data_dir / keys.KEY_FILE_NAME).kiosk_id


def signed_receipt(key, kiosk_id: str, missing: list[tuple[int, int]]) -> bytes:
    receipt = Receipt(kiosk_id, None, [], [], [(15, 15)], missing, "2026-12-06T03:00:00.000Z")
    return sign_receipt(key, receipt)


def test_a_receipt_listing_votes_the_kiosk_never_had_changes_nothing(delivered, caplog, tmp_path):
    db, data_dir, kiosk_id = delivered
    file = tmp_path / "sangsuk-3706-x-00000011-00000014.receipt.json"
    file.write_bytes(signed_receipt(load_collector_key(db).private_key, kiosk_id, [(11, 14)]))
    collector_key = load_config(data_dir).collector_public_key
    assert collector_key is not None
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        with caplog.at_level(logging.WARNING, logger="kiosk.resend"):
            assert import_receipt(ledger, file, collector_key, kiosk_id) == 0
        assert ledger.counts().delivered == 10
    assert "votes 11-14 as missing, but this kiosk's last vote is 10" in caplog.text
    assert load_resend(data_dir) == []
    assert not (data_dir / RESEND_FILE_NAME).exists()


def test_a_forged_receipt_listing_missing_votes_changes_nothing(delivered, tmp_path):
    _db, data_dir, kiosk_id = delivered
    file = tmp_path / "forged.receipt.json"
    file.write_bytes(signed_receipt(Ed25519PrivateKey.generate(), kiosk_id, [(1, 10)]))
    collector_key = load_config(data_dir).collector_public_key
    assert collector_key is not None
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        with pytest.raises(UsbError) as refused:
            import_receipt(ledger, file, collector_key, kiosk_id)
        assert refused.value.code == "bad_receipt_signature"
    unsigned = json.loads(file.read_bytes())
    del unsigned["sig"]
    file.write_text(json.dumps(unsigned))
    with (
        Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger,
        pytest.raises(UsbError),
    ):
        import_receipt(ledger, file, collector_key, kiosk_id)
    assert load_resend(data_dir) == []


def test_only_held_delivered_votes_the_collector_listed_are_queued(delivered):
    _db, data_dir, kiosk_id = delivered
    cast(data_dir, 2, seed=5)  # 11-12, not delivered: they are sent anyway, not "again"
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        receipt = Receipt(kiosk_id, None, [], [], [(20, 20)], [(3, 4), (9, 19)], "x")
        assert learn_missing(ledger, receipt) == 4
        assert learn_missing(ledger, receipt) == 0  # the same receipt again adds nothing
    assert load_resend(data_dir) == [3, 4, 9, 10]


def test_an_export_says_which_of_its_votes_were_asked_for_again(delivered, capsys, tmp_path):
    """2 new votes and 4 delivered ones the collector asked for again: `sangsuk-kiosk export`
    says 6 exported, 4 of them sent again, and only the new ones stay pending."""
    _db, data_dir, kiosk_id = delivered
    cast(data_dir, 2, seed=5)
    with Ledger.open(data_dir, keys.load(data_dir / keys.KEY_FILE_NAME)) as ledger:
        receipt = Receipt(kiosk_id, None, [], [], [(10, 10)], [(3, 6)], "x")
        assert learn_missing(ledger, receipt) == 4
    stick = tmp_path / "usb"
    stick.mkdir()
    code, out, err = run(capsys, "export", "--to", str(stick), "--data-dir", str(data_dir))
    assert code == 0, err
    assert "Exported 6 votes in 2 files to" in out
    assert (
        "4 of them were delivered before and are sent again because the central office asked"
        " for them (it lost them when it was restored from a backup). The new ones stay pending,"
        " and those asked for again stay on the list to send again, until the collector's"
        " receipt is imported (sangsuk-kiosk import-receipt FILE)."
    ) in out
    assert "ในจำนวนนี้ 4 รายการเคยส่งถึงแล้ว และส่งอีกครั้งเพราะส่วนกลางขอ" in out
    assert "รายการใหม่ยังนับว่าค้างส่ง" in out
    info, _text = status(capsys, data_dir)
    assert (info["pending"], info["resend"]) == (2, 4)
