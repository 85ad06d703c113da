"""USB export and receipt import: verified files, clean failures, counting once either way."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.keys import load_collector_key
from kiosk.syncstate import archived_receipts
from sync.uploader import Uploader
from sync.usb import (
    UsbError,
    batch_file_name,
    export_batches,
    import_receipt,
)
from sync.worker import SyncService
from tests.collector_server import RunningCollector, serve_collector
from wire.batch import check_batch
from wire.keys import public_key_from_raw
from wire.receipt import Receipt, sign_receipt
from wire.stick import receipt_file_for


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def kiosk(make_kiosk, collector):
    k = make_kiosk()
    collector.store.enroll(collector.store.issue_token("3706"), k.key.public_key_raw.hex())
    return k


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def pinned(collector: RunningCollector):
    return public_key_from_raw(bytes.fromhex(collector.collector_key_hex))


def collector_import(collector: RunningCollector, path: Path) -> Path:
    """What `sangsuk-collector import` does with a batch file: ingest it, write the receipt."""
    data = path.read_bytes()
    check = check_batch(data)
    assert check.ok, check.summary()
    result = collector.store.ingest(check, data, "usb", str(path))
    signing = load_collector_key(collector.db_path).private_key
    receipt = receipt_file_for(path)
    receipt.write_bytes(sign_receipt(signing, result.receipt))
    return receipt


def export(kiosk, stick: Path, batch_size: int = 500) -> list[Path]:
    return export_batches(kiosk.ledger, kiosk.key, kiosk.district, stick, batch_size)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- export ---------------------------------------------------------------------------------


def test_file_names_say_district_kiosk_and_seq_range():
    assert (
        batch_file_name("3706", "3f2a91c07b44e015" * 2, 1, 500)
        == "sangsuk-3706-3f2a91c0-00000001-00000500.batch.json"
    )
    batch = Path("/media/usb/sangsuk-3706-3f2a91c0-00000001-00000500.batch.json")
    assert receipt_file_for(batch).name == "sangsuk-3706-3f2a91c0-00000001-00000500.receipt.json"


def test_export_writes_verified_batch_files_with_the_documented_names(kiosk, stick):
    kiosk.cast(1201)
    files = export(kiosk, stick)
    short = kiosk.key.kiosk_id[:8]
    assert [p.name for p in files] == [
        f"sangsuk-3706-{short}-00000001-00000500.batch.json",
        f"sangsuk-3706-{short}-00000501-00001000.batch.json",
        f"sangsuk-3706-{short}-00001001-00001201.batch.json",
    ]
    assert leftovers(stick) == sorted(p.name for p in files)  # nothing partial left
    for path, (first, last) in zip(files, [(1, 500), (501, 1000), (1001, 1201)], strict=True):
        check = check_batch(path.read_bytes())
        assert check.ok, check.summary()
        assert (check.kiosk, check.first_seq, check.last_seq) == (kiosk.key.kiosk_id, first, last)
    assert kiosk.ledger.counts().pending == 1201  # pending until a receipt comes back


def test_export_of_nothing_pending_writes_nothing(kiosk, stick):
    assert export(kiosk, stick) == []
    assert leftovers(stick) == []


def test_export_to_a_missing_folder_says_so(kiosk, tmp_path):
    kiosk.cast(1)
    with pytest.raises(UsbError) as caught:
        export(kiosk, tmp_path / "no-stick")
    assert caught.value.code == "no_folder"


def test_a_full_stick_leaves_no_file_that_looks_like_a_batch(kiosk, stick, monkeypatch):
    kiosk.cast(20)

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick)
    monkeypatch.undo()
    assert caught.value.code == "write_failed"
    assert "the USB stick is full" in caught.value.message
    assert leftovers(stick) == []
    assert kiosk.ledger.counts().pending == 20


def test_a_write_cut_off_halfway_leaves_nothing(kiosk, stick, monkeypatch):
    kiosk.cast(20)
    real_write = os.write
    calls = []

    def half_then_fail(fd: int, data) -> int:
        calls.append(fd)
        if len(calls) == 1:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick)
    monkeypatch.undo()
    assert caught.value.code == "write_failed"
    assert "Input/output error" in caught.value.message
    assert leftovers(stick) == []


def test_a_failure_after_some_files_keeps_the_verified_ones_and_names_them(
    kiosk, stick, monkeypatch
):
    kiosk.cast(30)
    real_fsync = os.fsync
    fsyncs = []

    def fail_on_the_second_file(fd: int) -> None:
        fsyncs.append(fd)
        if len(fsyncs) == 3:  # file 1, the folder, then file 2
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fail_on_the_second_file)
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick, batch_size=10)
    monkeypatch.undo()
    assert [p.name for p in caught.value.written] == leftovers(stick)
    assert len(caught.value.written) == 1
    assert check_batch(caught.value.written[0].read_bytes()).ok


def test_a_stick_that_turns_read_only_half_way_says_read_only_and_keeps_what_was_written(
    kiosk, stick, monkeypatch
):
    """Linux remounts a failing stick read-only: the next file's write is refused with EROFS."""
    kiosk.cast(30)
    real_open = os.open
    opened = []

    def read_only_from_the_second_file(path, flags, *args, **kwargs) -> int:
        if flags & os.O_CREAT:
            opened.append(path)
            if len(opened) == 2:
                raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only_from_the_second_file)
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick, batch_size=10)
    monkeypatch.undo()
    assert caught.value.code == "read_only"  # the clerk is told the stick is write-protected
    assert "Read-only file system" in caught.value.message
    assert [p.name for p in caught.value.written] == leftovers(stick)
    assert len(caught.value.written) == 1
    assert kiosk.ledger.counts().pending == 30


def test_a_stick_that_reads_back_other_bytes_is_caught(kiosk, stick, monkeypatch):
    kiosk.cast(20)
    real_read = os.read

    def bit_rot(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        return data[:100] + bytes([data[100] ^ 1]) + data[101:] if len(data) > 200 else data

    monkeypatch.setattr(os, "read", bit_rot)
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick)
    monkeypatch.undo()
    assert caught.value.code == "verify_failed"
    assert "try another USB stick" in caught.value.message
    assert leftovers(stick) == []


def test_a_folder_in_the_way_of_the_temporary_file_is_a_clean_error(kiosk, stick):
    kiosk.cast(5)
    name = batch_file_name("3706", kiosk.key.kiosk_id, 1, 5)
    (stick / (name + ".partial")).mkdir()
    with pytest.raises(UsbError) as caught:
        export(kiosk, stick)
    assert caught.value.code == "write_failed"
    assert not (stick / name).exists()


# --- receipts from a USB import --------------------------------------------------------------


def test_a_collector_receipt_marks_the_exported_votes_delivered(kiosk, stick, collector):
    kiosk.cast(700)
    files = export(kiosk, stick)
    receipts = [collector_import(collector, f) for f in files]
    assert [r.name for r in receipts] == [
        f.name.replace(".batch.json", ".receipt.json") for f in files
    ]
    assert import_receipt(kiosk.ledger, receipts[0], pinned(collector), kiosk.key.kiosk_id) == 500
    assert kiosk.ledger.counts().pending == 200
    assert import_receipt(kiosk.ledger, receipts[1], pinned(collector), kiosk.key.kiosk_id) == 200
    assert kiosk.ledger.counts().pending == 0
    # The same receipt again marks nothing new.
    assert import_receipt(kiosk.ledger, receipts[1], pinned(collector), kiosk.key.kiosk_id) == 0


def test_a_receipt_laid_out_differently_still_counts_and_is_archived_canonically(
    kiosk, stick, collector
):
    kiosk.cast(10)
    (batch,) = export(kiosk, stick)
    receipt = collector_import(collector, batch)
    signed = receipt.read_bytes()
    receipt.write_text(json.dumps(json.loads(signed), indent=2) + "\n")
    assert import_receipt(kiosk.ledger, receipt, pinned(collector), kiosk.key.kiosk_id) == 10
    assert list(archived_receipts(kiosk.data_dir).values()) == [signed]


def test_a_receipt_signed_by_another_key_marks_nothing(kiosk, stick, collector):
    kiosk.cast(10)
    (batch,) = export(kiosk, stick)
    receipt = collector_import(collector, batch)
    impostor = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(UsbError) as caught:
        import_receipt(kiosk.ledger, receipt, impostor, kiosk.key.kiosk_id)
    assert caught.value.code == "bad_receipt_signature"
    assert "not signed by the collector this kiosk enrolled with" in caught.value.message
    assert kiosk.ledger.counts().delivered == 0


def test_a_receipt_for_another_kiosk_marks_nothing(kiosk, make_kiosk, stick, collector):
    other = make_kiosk("k2")
    collector.store.enroll(collector.store.issue_token("3706"), other.key.public_key_raw.hex())
    other.cast(10)
    kiosk.cast(10)
    (batch,) = export_batches(other.ledger, other.key, "3706", stick, 500)
    receipt = collector_import(collector, batch)
    with pytest.raises(UsbError) as caught:
        import_receipt(kiosk.ledger, receipt, pinned(collector), kiosk.key.kiosk_id)
    assert caught.value.code == "wrong_kiosk"
    assert kiosk.ledger.counts().delivered == 0


def test_a_genuine_receipt_for_other_votes_marks_nothing(kiosk, stick, collector, tmp_path):
    kiosk.cast(10)
    forged = Receipt(
        kiosk=kiosk.key.kiosk_id,
        batch="ab" * 32,  # not the hash of this kiosk's votes 1-10
        accepted=[(1, 10)],
        conflicts=[],
        held=[(1, 10)],
        missing=[],
        server_time="2026-11-24T03:00:00.000Z",
    )
    path = tmp_path / "odd.receipt.json"
    path.write_bytes(sign_receipt(load_collector_key(collector.db_path).private_key, forged))
    with pytest.raises(UsbError) as caught:
        import_receipt(kiosk.ledger, path, pinned(collector), kiosk.key.kiosk_id)
    assert caught.value.code == "wrong_batch"
    assert kiosk.ledger.counts().delivered == 0


def test_a_file_that_is_not_a_receipt_is_named(kiosk, stick, collector):
    kiosk.cast(3)
    (batch,) = export(kiosk, stick)
    with pytest.raises(UsbError) as caught:
        import_receipt(kiosk.ledger, batch, pinned(collector), kiosk.key.kiosk_id)
    assert caught.value.code == "not_a_receipt"
    assert kiosk.ledger.counts().delivered == 0


# --- the same votes both ways count once ----------------------------------------------------


def test_votes_sent_by_usb_and_by_network_count_once(kiosk, stick, collector):
    kiosk.cast(600)
    for path in export(kiosk, stick):
        collector_import(collector, path)
    assert collector.store.total_votes() == 600
    # The receipts never made it back to the kiosk: the network sends the same votes again.
    with Uploader(collector.url, pinned(collector), wait=lambda s: False) as up:
        report = SyncService(kiosk.ledger, up, kiosk.data_dir).sync_once()
    assert report.ok
    assert report.sent == 600
    assert kiosk.ledger.counts().delivered == 600
    assert collector.store.total_votes() == 600
    assert collector.store.quarantined() == []


def test_votes_sent_by_network_then_imported_from_usb_count_once(kiosk, stick, collector):
    kiosk.cast(50)
    files = export(kiosk, stick)
    with Uploader(collector.url, pinned(collector), wait=lambda s: False) as up:
        assert SyncService(kiosk.ledger, up, kiosk.data_dir).sync_once().ok
    receipt = collector_import(collector, files[0])
    assert collector.store.total_votes() == 50
    assert import_receipt(kiosk.ledger, receipt, pinned(collector), kiosk.key.kiosk_id) == 0
    assert kiosk.ledger.counts().delivered == 50
