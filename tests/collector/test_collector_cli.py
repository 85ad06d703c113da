"""The `sangsuk-collector` command on real databases, real keys and real kiosk batch files."""

import argparse
import csv
import io
import json
import logging
import os
import re
import resource
import shutil
import socket
import ssl
import stat
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest

from collector.cli import build_parser, main
from collector.data import make_demo_districts
from collector.keys import collector_key_path, load_collector_key
from collector.store import CollectorStore, StoreError
from kiosk.ledger import Ledger
from kiosk.roster import Roster
from sync import usb, usb_export
from tests.fakes import FakeClock
from tests.kiosks import Kiosk
from tests.tls import self_signed
from wire.batch import check_batch
from wire.receipt import check_receipt
from wire.stick import receipt_file_for
from wire.vote import Ballot

WINNERS = {"3706": "small", "4408": "medium", "4712": "large"}
ROOT = Path(__file__).resolve().parents[2]


class Cli:
    """Runs `sangsuk-collector` in-process on one database and keeps what it printed."""

    def __init__(self, db, capsys):
        self.db = db
        self.capsys = capsys
        self.out = self.err = ""

    def __call__(self, *argv):
        code = main([*map(str, argv), "--db", str(self.db)])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code


@pytest.fixture
def db(tmp_path):
    return tmp_path / "central" / "collector.sqlite3"


@pytest.fixture
def cli(db, capsys):
    return Cli(db, capsys)


@pytest.fixture
def loaded(cli):
    assert cli("districts", "--load", "demo") == 0, cli.err
    return cli


def enroll(cli, kiosk):
    assert cli("token", "--district", kiosk.district) == 0, cli.err
    token = cli.out.strip().splitlines()[-1]
    with CollectorStore(cli.db) as store:
        return store.enroll(token, kiosk.key.public_key_raw.hex())


@pytest.fixture
def kiosk(loaded, make_kiosk):
    k = make_kiosk()
    enroll(loaded, k)
    return k


def write_batch(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def total(db):
    with CollectorStore(db) as store:
        return store.report()["total"]


def audit_rows(db):
    with CollectorStore(db) as store:
        return store.audit_rows()


# --- districts and tokens ------------------------------------------------------------------


def test_the_demo_csv_is_what_its_script_makes():
    data = make_demo_districts.demo_path().read_bytes()
    assert data == make_demo_districts.render(), (
        "run: uv run python -m collector.data.make_demo_districts"
    )
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 878
    assert len({r["code"] for r in rows}) == 878
    assert {r["code"]: r["size_group"] for r in rows if r["code"] in WINNERS} == WINNERS
    groups = [r["size_group"] for r in rows]
    assert (groups.count("small"), groups.count("medium"), groups.count("large")) == (533, 250, 95)
    assert not any(r["code"].startswith("10") for r in rows)  # Bangkok has khet, not amphoe


def test_demo_districts_then_a_token_that_enrolls(loaded, make_kiosk):
    assert "878 districts" in loaded.out
    assert "not the department's official classification" in loaded.out
    kiosk = make_kiosk(district="4712")
    assert loaded("token", "--district", "4712") == 0
    lines = loaded.out.strip().splitlines()
    assert "อำเภอ 4712 สว่างแดนดิน จังหวัดสกลนคร" in lines[0]  # in Thai, then in English
    lines = lines[1:]
    assert "สว่างแดนดิน" in lines[0]
    assert "Sawang Daen Din" in lines[0]
    assert "one kiosk, once" in lines[0]
    # With no sheet, the officer passes on the fingerprint the kiosk will show (they must match).
    with CollectorStore(loaded.db) as store:
        key = load_collector_key(loaded.db, store.enrolled_count())
    assert f"the collector key fingerprint {key.fingerprint}, which the kiosk shows" in lines[0]
    token = lines[-1]
    assert " " not in token
    assert len(token) >= 20
    with CollectorStore(loaded.db) as store:
        enrolled = store.enroll(token, kiosk.key.public_key_raw.hex())
    assert (enrolled.district, enrolled.size_group) == ("4712", "large")
    assert loaded("districts") == 0
    assert "878 districts: 533 small, 250 medium, 95 large; 1 kiosk enrolled." in loaded.out


def test_the_unused_tokens_of_a_lost_sheet_are_voided_and_no_longer_enroll(loaded, make_kiosk):
    kiosk, late = make_kiosk(district="4712"), make_kiosk(district="4712")
    assert loaded("token", "--district", "4712") == 0
    used = loaded.out.strip().splitlines()[-1]
    assert loaded("token", "--district", "4712") == 0
    lost = loaded.out.strip().splitlines()[-1]
    with CollectorStore(loaded.db) as store:
        store.enroll(used, kiosk.key.public_key_raw.hex())
    assert loaded("token", "--district", "4712", "--void") == 0, loaded.err
    assert "Voided 1 unused enrollment token of district 4712" in loaded.out
    with CollectorStore(loaded.db) as store:
        with pytest.raises(StoreError) as refused:
            store.enroll(lost, late.key.public_key_raw.hex())
        assert refused.value.code == "token_unknown"
        assert store.enroll(used, kiosk.key.public_key_raw.hex()).district == "4712"  # kept
        [audited] = [r for r in store.audit_rows(20) if r["reason"] == "voided"]
        assert "1 unused enrollment token(s) of district 4712 voided" in audited["detail"]
    assert loaded("token", "--district", "4712", "--void") == 1
    assert "no unused enrollment token; nothing was changed" in loaded.out


def test_token_for_an_unknown_or_unloaded_district_is_a_clear_error(cli, tmp_path):
    assert cli("token", "--district", "9999") == 2
    assert "not the 4-digit code of a district office" in cli.err
    assert "Traceback" not in cli.err
    (tmp_path / "small.csv").write_text("code,size_group\n3706,small\n")
    assert cli("districts", "--load", tmp_path / "small.csv") == 0
    assert cli("token", "--district", "4408") == 2
    assert "not loaded" in cli.err
    assert cli("token", "--district", "1001") == 2
    assert "Bangkok" in cli.err


def test_a_bad_csv_row_is_named_and_nothing_is_loaded(cli, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("code,size_group\n3706,small\n")
    assert cli("districts", "--load", good) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name_en,size_group\n"
        "3706,Hua Taphan,large\n"  # would change 3706, but the file is refused whole
        "4408,Phayakkhaphum Phisai,medium\n"
        "9999,Nowhere,small\n"
        "4712,Sawang Daen Din,huge\n"
        "3706,Hua Taphan,large\n",
        encoding="utf-8",
    )
    assert cli("districts", "--load", bad) == 2
    assert "Line 4: '9999' is not the code of a district office." in cli.err
    assert "Line 5: the size group must be small, medium or large, not 'huge'." in cli.err
    assert "Line 6: district 3706 is already on line 2." in cli.err
    assert "Nothing was loaded" in cli.err
    with CollectorStore(cli.db) as store:
        districts = store.report()["districts"]
    assert [(d["code"], d["size_group"]) for d in districts] == [("3706", "small")]


def test_an_excel_csv_loads(cli, tmp_path):
    path = tmp_path / "excel.csv"
    text = (
        "\ufeffCode;Size Group;ชื่อ\r\n3706;ขนาดเล็ก;หัวตะพาน\r\n4408;Medium;x\r\n;;\r\n4712;ใหญ่;y\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    assert cli("districts", "--load", path) == 0, cli.err
    assert "Loaded 3 districts" in cli.out
    assert "1 small, 1 medium, 1 large" in cli.out
    with CollectorStore(cli.db) as store:
        groups = {d["code"]: d["size_group"] for d in store.report()["districts"]}
    assert groups == WINNERS


def test_a_csv_without_the_columns_or_not_utf8(cli, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("district,group\n3706,small\n")
    assert cli("districts", "--load", path) == 2
    assert "must name the columns `code` and `size_group`" in cli.err
    path.write_bytes("code,size_group\n3706,เล็ก\n".encode("cp874"))
    assert cli("districts", "--load", path) == 2
    assert "not UTF-8" in cli.err
    assert cli("districts", "--load", tmp_path / "missing.csv") == 2
    assert "Cannot read" in cli.err
    assert not cli.db.exists()


# --- import --------------------------------------------------------------------------------


def test_import_writes_a_receipt_the_kiosk_can_verify(kiosk, cli, tmp_path):
    kiosk.cast(10)
    path = write_batch(tmp_path / "usb", "sangsuk-batch-1-10.json", kiosk.batch())
    assert cli("import", path) == 0, cli.err
    assert "10 new, 0 already held, 0 conflicts" in cli.out
    assert "votes 1-10" in cli.out
    assert "3706 หัวตะพาน" in cli.out
    receipt_file = tmp_path / "usb" / "sangsuk-batch-1-10.receipt.json"
    assert receipt_file.exists()
    collector_key = load_collector_key(cli.db).public_key
    votes_hash = check_batch(path.read_bytes()).votes_hash
    checked = check_receipt(
        receipt_file.read_bytes(), collector_key, kiosk.key.kiosk_id, votes_hash
    )
    assert checked.ok, checked.problems
    assert checked.receipt is not None
    assert checked.receipt.accepted_seqs() == set(range(1, 11))
    assert not list((tmp_path / "usb").glob(".*.tmp"))


def test_receipts_are_named_as_the_kiosk_expects(kiosk, cli, tmp_path):
    kiosk.cast(3)
    name = usb.batch_file_name("3706", kiosk.key.kiosk_id, 1, 3)
    path = write_batch(tmp_path / "usb", name, kiosk.batch())
    assert cli("import", path) == 0, cli.out
    expected = receipt_file_for(path)
    assert expected.name.endswith("-00000003.receipt.json")
    assert expected.is_file()
    for other, receipt in (
        ("plain.json", "plain.receipt.json"),
        ("x.batch.json", "x.receipt.json"),
        ("noext", "noext.receipt.json"),
    ):
        assert receipt_file_for(tmp_path / other) == tmp_path / receipt


def test_a_kiosks_usb_export_round_trip_marks_its_votes_delivered(kiosk, cli, tmp_path):
    kiosk.cast(25)
    stick = tmp_path / "stick"
    stick.mkdir()
    files = usb.export_batches(kiosk.ledger, kiosk.key, "3706", stick, 10)
    assert len(files) == 3
    assert cli("import", stick) == 0, cli.out
    assert "3 files: 3 accepted (25 new votes, 0 already held)." in cli.out
    collector_key = load_collector_key(cli.db).public_key
    marked = sum(
        usb.import_receipt(kiosk.ledger, receipt_file_for(f), collector_key, kiosk.key.kiosk_id)
        for f in files
    )
    assert marked == 25
    assert kiosk.ledger.counts().pending == 0


def test_the_same_file_imported_twice_counts_once(kiosk, cli, tmp_path):
    kiosk.cast(10)
    path = write_batch(tmp_path / "usb", "b.json", kiosk.batch())
    assert cli("import", path) == 0
    assert total(cli.db) == 10
    assert cli("import", path) == 0
    assert "0 new, 10 already held" in cli.out
    assert total(cli.db) == 10


def test_a_tampered_file_is_refused_audited_and_stores_nothing(kiosk, cli, tmp_path):
    kiosk.cast(10)
    tampered = kiosk.batch().replace(b'"rating":5', b'"rating":4', 1)
    assert tampered != kiosk.batch()
    path = write_batch(tmp_path / "usb", "t.json", tampered)
    assert cli("import", path) == 1
    assert "t.json: REFUSED, bad signature at seq" in cli.out
    assert "Traceback" not in cli.err
    assert "0 accepted" in cli.out
    assert "1 refused or unreadable" in cli.out
    assert total(cli.db) == 0
    row = audit_rows(cli.db)[0]
    assert (row["kind"], row["reason"], row["source"], row["source_addr"]) == (
        "refused",
        "bad_signature",
        "usb",
        str(path),
    )
    assert not (tmp_path / "usb" / "t.receipt.json").exists()


def test_an_unknown_kiosks_file_is_refused(loaded, make_kiosk, tmp_path):
    stranger = make_kiosk("stranger")
    stranger.cast(3)
    path = write_batch(tmp_path / "usb", "s.json", stranger.batch())
    assert loaded("import", path) == 1
    assert "REFUSED" in loaded.out
    assert "is not enrolled" in loaded.out
    assert total(loaded.db) == 0
    assert audit_rows(loaded.db)[0]["reason"] == "unknown_kiosk"


def test_unreadable_files_are_reported_and_the_others_still_imported(kiosk, cli, tmp_path):
    kiosk.cast(5)
    good = write_batch(tmp_path / "usb", "good.json", kiosk.batch())
    not_json = write_batch(tmp_path / "usb", "notes.json", b"hello")
    missing = tmp_path / "usb" / "gone.json"
    assert cli("import", missing, not_json, good) == 1
    assert "gone.json: NOT IMPORTED, the path does not exist (no file or folder" in cli.out
    assert "notes.json: REFUSED" in cli.out
    assert "good.json: kiosk" in cli.out
    assert "3 files: 1 accepted (5 new votes, 0 already held); 2 refused or unreadable." in cli.out
    assert total(cli.db) == 5
    assert {r["reason"] for r in audit_rows(cli.db)} >= {"unreadable_file", "bad_json"}


def test_a_folder_imports_its_batches_and_skips_receipts(kiosk, cli, tmp_path):
    kiosk.cast(8)
    usb = tmp_path / "usb"
    write_batch(usb, "a.json", kiosk.batch(first=1, limit=4))
    write_batch(usb, "b.json", kiosk.batch(first=5, limit=4))
    assert cli("import", usb) == 0, cli.err
    assert "2 files: 2 accepted (8 new votes, 0 already held)." in cli.out
    assert sorted(p.name for p in usb.iterdir()) == [
        "a.json",
        "a.receipt.json",
        "b.json",
        "b.receipt.json",
    ]
    assert cli("import", usb) == 0  # again: the receipts are skipped, the batches are duplicates
    assert "Skipped 2 receipts (*.receipt.json): a.receipt.json, b.receipt.json." in cli.out
    assert "2 files: 2 accepted (0 new votes, 8 already held); 2 other entries skipped" in cli.out
    assert total(cli.db) == 8
    assert cli("import", usb / "a.receipt.json", tmp_path / "empty-folder-that-is-not-there") == 1
    assert cli("import", usb / "a.receipt.json") == 2
    assert "No batch files were found" in cli.err


def export_to_stick(kiosk, stick):
    """The kiosk's own export, as the clerk's screen runs it: batch files and the CSV summary."""
    stick.mkdir()
    result = usb_export.export_with_summary(
        kiosk.ledger, kiosk.key, kiosk.district, stick, 10, Roster()
    )
    assert len(result.files) == 3
    assert result.summary is not None
    return result


def test_a_stick_imports_as_the_clerk_hands_it_over_as_a_folder_or_with_a_star(
    kiosk, cli, tmp_path
):
    kiosk.cast(25)
    stick = tmp_path / "stick"
    exported = export_to_stick(kiosk, stick)
    # What computers leave on a stick, and what people add to it.
    (stick / "System Volume Information").mkdir()
    (stick / ".Trash-1000").mkdir()
    (stick / f"._{exported.files[0].name}").write_bytes(b"\x00\x05\x16\x07 AppleDouble")
    (stick / "old").mkdir()
    (stick / "notes.txt").write_text("บันทึก")
    (stick / "stick.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # an empty zip
    star = [p for p in sorted(stick.iterdir()) if not p.name.startswith(".")]  # /media/usb/*

    assert cli("import", *star) == 0, cli.out
    summary = exported.summary.name
    assert f"Skipped 1 summary for Excel (*.summary.csv): {summary}. A summary is" in cli.out
    assert "Skipped 1 system entry: System Volume Information. A computer" in cli.out
    assert "Skipped 1 other file: notes.txt. Only files whose names end in .json" in cli.out
    assert (
        "Skipped 1 compressed file (*.zip): stick.zip. A batch inside a compressed file is"
        in cli.out
    )
    assert "unzip it first" in cli.out
    assert "REFUSED" not in cli.out
    assert "3 files: 3 accepted (25 new votes, 0 already held); 4 other entries skipped" in cli.out

    assert cli("import", stick) == 0, cli.out  # again, the folder itself: the receipts are there
    receipts = ", ".join(sorted(p.name for p in stick.glob("*.receipt.json")))
    assert "Skipped 3 receipts (*.receipt.json): " + receipts in cli.out
    assert f"Skipped 1 summary for Excel (*.summary.csv): {summary}." in cli.out
    assert (
        f"Skipped 3 system entries: .Trash-1000, ._{exported.files[0].name}, "
        "System Volume Information." in cli.out
    )
    assert "Skipped 1 folder inside a folder: old. They are not searched" in cli.out
    assert "3 files: 3 accepted (0 new votes, 25 already held); 10 other entries skipped" in cli.out
    assert not [r for r in audit_rows(cli.db) if r["kind"] == "refused"]
    collector_key = load_collector_key(cli.db).public_key
    marked = sum(
        usb.import_receipt(kiosk.ledger, receipt_file_for(f), collector_key, kiosk.key.kiosk_id)
        for f in exported.files
    )
    assert marked == 25


def _little_memory():  # pragma: no cover - runs in the child before exec
    """At most 256 MiB of address space: a 300 MB file read whole, or /dev/zero, fails."""
    resource.setrlimit(resource.RLIMIT_AS, (256 << 20, 256 << 20))


@pytest.mark.skipif(os.name != "posix", reason="named pipes, links and rlimits as on Linux")
def test_import_opens_only_regular_files_in_the_folder_and_checks_the_size_first(
    kiosk, cli, tmp_path
):
    kiosk.cast(10)
    stick = tmp_path / "stick"
    good = write_batch(stick, "sangsuk-a.batch.json", kiosk.batch(first=1, limit=5))
    secret = write_batch(tmp_path / "elsewhere", "other.batch.json", kiosk.batch(first=6, limit=5))
    os.mkfifo(stick / "pipe.batch.json")  # opened for reading, it would wait for a writer
    (stick / "pipe-link.batch.json").symlink_to("pipe.batch.json")
    (stick / "zero.batch.json").symlink_to("/dev/zero")  # read whole, it never ends
    (stick / "outside.batch.json").symlink_to(secret)
    (stick / "inside.batch.json").symlink_to(good.name)  # a link inside the folder is followed
    with open(stick / "huge.batch.json", "wb") as f:
        f.truncate(300 * 1024 * 1024)  # sparse: no disk is used
    refused = {
        "huge.batch.json": "REFUSED, the file is 314,572,800 bytes (300.0 MiB); a batch is at"
        " most 4,194,304 bytes (4.0 MiB), so it was not read.",
        "outside.batch.json": f"REFUSED, the file is a link to {secret}, outside the folder"
        f" {stick}; links are followed only to files inside the folder, so it was not opened.",
        "pipe-link.batch.json": "REFUSED, the file is a named pipe, not a regular file;"
        " it was not opened.",
        "pipe.batch.json": "REFUSED, the file is a named pipe, not a regular file;"
        " it was not opened.",
        "zero.batch.json": "REFUSED, the file is a link to /dev/zero, outside the folder",
    }
    for given in ([stick], sorted(stick.iterdir())):  # the folder, and /media/usb/*
        # A real process with little memory, so that a read of everything fails loudly.
        done = run_module("import", *given, "--db", cli.db, preexec_fn=_little_memory)
        lines = done.stdout.splitlines()
        assert done.returncode == 1, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        for name, words in refused.items():
            thai, line = [line for line in lines if line.startswith(f"{stick / name}:")]
            assert thai.startswith(f"{stick / name}: ปฏิเสธ ")  # in Thai, then in English
            assert line.startswith(f"{stick / name}: {words}")
        inside_at = f"{stick / 'inside.batch.json'}:"
        thai, inside = [line for line in lines if line.startswith(inside_at)]
        assert "ผลการประเมินลำดับ 1-5" in thai
        assert "votes 1-5" in inside
        assert lines[-1].startswith("7 files: 2 accepted (")
        assert lines[-1].endswith("; 5 refused or unreadable.")
    assert total(cli.db) == 5  # the batch outside the folder was never read
    reasons = Counter(r["reason"] for r in audit_rows(cli.db) if r["kind"] == "refused")
    assert reasons == {"too_large": 2, "link_outside": 4, "not_a_file": 4}  # one each, twice
    assert sorted(p.name for p in stick.glob("*.receipt.json")) == [
        "inside.receipt.json",
        "sangsuk-a.receipt.json",
    ]


def test_a_receipt_that_cannot_be_written_is_said_and_the_votes_stay(kiosk, cli, tmp_path):
    kiosk.cast(3)
    path = write_batch(tmp_path / "usb", "r.json", kiosk.batch())
    (tmp_path / "usb" / "r.receipt.json").mkdir()  # something in the way, as a read-only stick
    assert cli("import", path) == 1
    assert "the votes are stored but the receipt" in cli.out
    assert "--receipts DIR" in cli.out
    assert total(cli.db) == 3
    elsewhere = tmp_path / "receipts"
    elsewhere.mkdir()
    assert cli("import", path, "--receipts", elsewhere) == 0
    assert (elsewhere / "r.receipt.json").is_file()


def test_kiosks_lists_the_highest_seq_and_the_gaps(kiosk, cli, tmp_path):
    kiosk.cast(30)
    usb = tmp_path / "usb"
    first = write_batch(usb, "1-10.json", kiosk.batch(first=1, limit=10))
    later = write_batch(usb, "21-30.json", kiosk.batch(first=21, limit=10))
    assert cli("import", first, later) == 0
    assert cli("kiosks", "--json") == 0
    (listed,) = json.loads(cli.out)
    assert listed["kiosk"] == kiosk.key.kiosk_id
    assert listed["fingerprint"] == kiosk.key.fingerprint
    assert (listed["highest_contiguous"], listed["max_seq"], listed["votes"]) == (10, 30, 20)
    assert listed["missing"] == [[11, 20]]
    assert listed["district"] == "3706"
    assert listed["enrolled_at"]
    assert listed["revoked"] is False
    assert cli("kiosks") == 0
    assert kiosk.key.fingerprint in cli.out
    assert "3706 หัวตะพาน" in cli.out
    assert "11-20" in cli.out
    assert "1 kiosk(s); 1 with gaps" in cli.out


def test_kiosks_counts_a_file_imported_again_as_a_replay_not_as_contact(kiosk, cli, tmp_path):
    kiosk.cast(5)
    path = write_batch(tmp_path / "usb", "b.batch.json", kiosk.batch())
    assert cli("import", path) == 0
    assert cli("kiosks", "--json") == 0
    (first,) = json.loads(cli.out)
    assert (first["replays"], first["last_replay_at"]) == (0, None)
    assert cli("import", path) == 0  # the same bytes: acknowledged again, nothing new
    assert cli("kiosks", "--json") == 0
    (listed,) = json.loads(cli.out)
    assert listed["last_seen"] == first["last_seen"]
    assert listed["replays"] == 1
    assert listed["last_replay_at"] > first["last_seen"]
    assert cli("kiosks") == 0
    thai, header, _, row = cli.out.splitlines()[:4]  # the titles in Thai, then in English
    assert "ส่งซ้ำ" in thai
    assert "replayed" in header
    assert "1, last 20" in row  # the count and the Thai time of the last one


def test_revoke_then_import_is_refused_as_revoked(kiosk, cli, tmp_path):
    kiosk.cast(10)
    usb = tmp_path / "usb"
    before = write_batch(usb, "1-5.json", kiosk.batch(first=1, limit=5))
    after = write_batch(usb, "6-10.json", kiosk.batch(first=6, limit=5))
    assert cli("import", before) == 0
    assert cli("revoke", kiosk.key.fingerprint) == 0  # as a clerk reads it off the kiosk
    assert f"Revoked kiosk {kiosk.key.kiosk_id}" in cli.out
    assert "5 votes already held stay counted" in cli.out
    assert cli("import", after) == 1
    assert "REFUSED" in cli.out
    assert "was revoked" in cli.out
    assert total(cli.db) == 5
    assert cli("kiosks") == 0
    assert "REVOKED" in cli.out
    assert cli("audit") == 0
    assert "revoked" in cli.out


def test_revoke_an_unknown_kiosk_is_a_clear_error(loaded):
    assert loaded("revoke", "0123456789abcdef") == 2
    assert "No enrolled kiosk matches" in loaded.err
    assert loaded("revoke", "not-a-kiosk") == 2
    assert "is not a kiosk id" in loaded.err


def test_a_missing_collector_key_is_not_silently_replaced(kiosk, cli, tmp_path):
    kiosk.cast(2)
    path = write_batch(tmp_path / "usb", "k.json", kiosk.batch())
    assert cli("import", path) == 0
    collector_key_path(cli.db).unlink()
    assert cli("import", path) == 2
    assert "Restore the key file from the backup" in cli.err
    assert not collector_key_path(cli.db).exists()


# --- report and audit ----------------------------------------------------------------------


def test_report_json_has_the_documented_shape(loaded, make_kiosk, tmp_path):
    small, large = make_kiosk("s", district="3706"), make_kiosk("l", district="4712")
    enroll(loaded, small)
    enroll(loaded, large)
    small.cast(7)
    large.cast(4)
    usb = tmp_path / "usb"
    files = [write_batch(usb, "s.json", small.batch()), write_batch(usb, "l.json", large.batch())]
    assert loaded("import", *files) == 0
    assert loaded("report", "--json") == 0
    report = json.loads(loaded.out)
    assert report["total"] == 11
    assert report["size_groups"] == {"small": 7, "medium": 0, "large": 4}
    assert len(report["districts"]) == 878
    by_code = {d["code"]: d for d in report["districts"]}
    assert {k: by_code["3706"][k] for k in ("code", "size_group", "votes", "kiosks")} == {
        "code": "3706",
        "size_group": "small",
        "votes": 7,
        "kiosks": 1,
    }
    assert by_code["4712"]["votes"] == 4
    assert by_code["4408"]["votes"] == 0
    assert by_code["3706"]["name_en"] == "Hua Taphan"
    assert loaded("report") == 0
    assert "Total: 11 votes." in loaded.out
    assert "SMALL: 533 districts, 7 votes, 1 with votes" in loaded.out
    assert "หัวตะพาน" in loaded.out
    assert "(532 districts with no votes yet; --all lists them)" in loaded.out


def test_audit_says_how_many_times_a_grouped_refusal_happened(cli):
    with CollectorStore(cli.db) as store:
        for _ in range(6):  # one address guessing tokens: one row with its count
            store.audit("refused", "token_unknown", "no such token", None, "enroll", "10.0.0.9")
    assert cli("audit") == 0
    (row,) = [line for line in cli.out.splitlines() if "token_unknown" in line]
    assert re.search(r"\b6, last \d", row), row


def test_audit_shows_refusals_and_quarantined_conflicts(kiosk, cli, tmp_path):
    kiosk.cast(4)
    kiosk.ledger.close()
    fork_dir = tmp_path / "fork"
    shutil.copytree(kiosk.data_dir, fork_dir)  # a backup restored later: same key, same chain
    kiosk.ledger = Ledger.open(kiosk.data_dir, kiosk.key, FakeClock())
    kiosk.ledger.cast(Ballot("3706", 5, story="ต้นฉบับ"))
    usb = tmp_path / "usb"
    assert cli("import", write_batch(usb, "orig.json", kiosk.batch())) == 0
    fork = Kiosk(fork_dir, kiosk.key, Ledger.open(fork_dir, kiosk.key, FakeClock()), "3706")
    try:
        fork.ledger.cast(Ballot("3706", 1, story="สำเนา"))
        forked = write_batch(usb, "fork.json", fork.batch(first=5))
    finally:
        fork.ledger.close()
    assert cli("import", forked) == 1  # stored file, but a conflict needs a look
    assert "1 conflicts (seq 5 quarantined)" in cli.out
    assert total(cli.db) == 5
    assert cli("audit", "--json") == 0
    audit = json.loads(cli.out)
    assert audit["audit"][0]["kind"] == "conflict"
    assert [(q["seq"], q["reason"]) for q in audit["quarantine"]] == [(5, "conflict")]
    assert cli("audit", "--limit", "5") == 0
    assert "Quarantined votes (1)" in cli.out
    assert "the held copy counts and is never overwritten" in cli.out
    assert str(forked) in cli.out


def test_reading_commands_need_an_existing_database(cli):
    for command in ("report", "kiosks", "audit", "districts"):
        assert cli(command) == 2
        assert "There is no collector database" in cli.err
    assert not cli.db.parent.exists()  # a mistyped --db leaves nothing behind


# --- serve ---------------------------------------------------------------------------------


def test_serve_refuses_a_lone_or_missing_tls_file(cli, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("not a certificate")
    assert cli("serve", "--tls-cert", cert) == 2
    assert "--tls-cert and --tls-key go together" in cli.err
    assert "Traceback" not in cli.err
    assert cli("serve", "--tls-cert", cert, "--tls-key", tmp_path / "nokey.pem") == 2
    assert "nokey.pem does not exist" in cli.err
    key = tmp_path / "key.pem"
    key.write_text("not a key either")
    assert cli("serve", "--tls-cert", cert, "--tls-key", key) == 2
    assert "cannot be used together" in cli.err


def test_usage_errors_exit_2(cli, capsys):
    assert cli("serve", "--workers", "0") == 2
    assert "at least 1" in cli.err
    assert main([]) == 2
    capsys.readouterr()


# --- as a process --------------------------------------------------------------------------


def run_module(*argv, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "collector", *map(str, argv)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
        cwd=ROOT,
        **kwargs,
    )


def test_the_module_entry_point_runs_the_command(db):
    done = run_module("districts", "--load", "demo", "--db", db)
    assert done.returncode == 0, done.stderr
    done = run_module("token", "--district", "3706", "--db", db)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    assert len(token) >= 20
    done = run_module("token", "--district", "0000", "--db", db)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert (db.parent / "logs" / "collector.log").exists()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_over_tls_with_two_workers_answers_health(db, tmp_path):
    assert run_module("districts", "--load", "demo", "--db", db).returncode == 0
    cert, key = self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    port = free_port()
    out = (tmp_path / "serve.out").open("wb")  # a file: the workers share it, it never fills
    child = subprocess.Popen(
        [
            *(sys.executable, "-m", "collector", "serve", "--db", str(db)),
            *(
                "--port",
                str(port),
                "--workers",
                "2",
                "--tls-cert",
                str(cert),
                "--tls-key",
                str(key),
            ),
        ],
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.PIPE,
    )
    try:
        health = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"https://127.0.0.1:{port}/api/v1/health", timeout=2, context=trust
                ) as answer:
                    health = json.loads(answer.read())
                break
            except OSError:
                time.sleep(0.2)  # polling another process; there is no signal to wait on
        assert health is not None, child.stderr.read().decode() if child.poll() else "no answer"
        assert health["status"] == "ok"
        assert health["collector_key"] == load_collector_key(db).public_key_raw.hex()
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        child.stderr.close()
        out.close()
    said = (tmp_path / "serve.out").read_text(encoding="utf-8")
    assert "SANGSUK_COLLECTOR_DB" not in os.environ  # set only in the serving process
    # What the officer who started it reads first: where, which database, which key.
    fingerprint = load_collector_key(db).fingerprint
    assert (
        f"ระบบกลางให้บริการที่ https://127.0.0.1:{port} (คอนโซล: https://127.0.0.1:{port}/console)"
        in said
    )
    assert (
        f"Serving https://127.0.0.1:{port} (the console: https://127.0.0.1:{port}/console);"
        f" serving processes: 2; database {db}; collector key fingerprint {fingerprint}"
    ) in said


def test_the_operations_guide_names_every_command_and_option():
    guide = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    parser = build_parser()
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    for name, sub in commands.choices.items():
        assert f"sangsuk-collector {name}" in guide, name
        for action in sub._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in guide, f"{name} {option}"


def every_command(parser, path=()):
    """(the words that name it, its parser) for each command and each action of a command."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield path, parser
    for sub in subs:
        for name, child in sub.choices.items():
            yield from every_command(child, (*path, name))


def required_arguments(parser):
    """Words that fill a parser's required arguments (the first choice, else a number)."""
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        value = str(action.choices[0]) if action.choices else "1"
        if not action.option_strings:
            yield value
        elif action.required:
            yield from (action.option_strings[0], value)


def test_every_command_and_action_takes_db_last(tmp_path):
    """operations.md: every command takes --db PATH, and README puts it last, so each action of
    a command with actions (users add, campaigns list …) takes it too, a future one as well."""
    db = str(tmp_path / "collector.sqlite3")
    found = list(every_command(build_parser()))
    assert ("users", "add") in [path for path, _ in found]
    assert ("campaigns", "list") in [path for path, _ in found]
    for path, parser in found:
        words = [*path, *required_arguments(parser)]
        assert build_parser().parse_args([*words, "--db", db]).db == db, path
        assert build_parser().parse_args([path[0], "--db", db, *words[1:]]).db == db, path
        assert build_parser().parse_args(["--db", db, *words]).db == db, path
        assert build_parser().parse_args(words).db is None, path


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    # `sangsuk-collector report | head -1`: the pipe closes before everything is written.
    db = tmp_path / "c.sqlite3"
    assert main(["districts", "--db", str(db), "--load", "demo"]) == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "collector", "districts", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before the first line
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert b"Traceback" not in err
    assert b"unexpectedly" not in err


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_collector_log_is_owner_only(loaded):
    """The log names kiosks, client addresses and file paths: owner-only, and tightened if not."""
    log_file = loaded.db.parent / "logs" / "collector.log"
    umask = os.umask(0o022)  # the usual umask, which leaves new files readable by all
    try:
        assert loaded("kiosks") == 0, loaded.err
        assert log_file.is_file()
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(log_file.parent.stat().st_mode) == 0o700
        for handler in logging.getLogger().handlers[:]:  # as a new process would start
            if getattr(handler, "baseFilename", None) == str(log_file.absolute()):
                logging.getLogger().removeHandler(handler)
                handler.close()
        log_file.chmod(0o644)  # as an older version left it
        assert loaded("kiosks") == 0, loaded.err
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600
    finally:
        os.umask(umask)
