"""The clerk's actions without Qt: setup, enrolling, export with a CSV, receipts, sync now."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli import main as collector_main
from kiosk.config import KioskConfig, load_config, save_config
from kiosk.demo import DEMO_ROSTER, random_ballot
from kiosk.ledger import Ledger
from kiosk.pin import PinError, PinStore
from kiosk.roster import save_roster
from kiosk.setup import SetupAnswers
from sync.operations import (
    SyncJob,
    cast_demo_votes,
    complete_setup,
    export_to,
    import_receipts_in,
)
from sync.usb import UsbError
from sync.usb_export import BOM, summary_bytes, summary_rows
from tests.collector_server import RunningCollector, serve_collector
from tests.fakes import FakeClock
from wire import keys
from wire.stick import BATCH_SUFFIX, PARTIAL_SUFFIX, RECEIPT_SUFFIX, SUMMARY_SUFFIX
from wire.vote import Ballot, Target, sign_vote

PIN = "482916"


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central" / "collector.sqlite3", [("3706", "small")]) as c:
        yield c


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "kiosk"
    folder.mkdir()
    return folder


def cast(data_dir: Path, n: int, district: str = "3706", seed: int = 1) -> None:
    rng = random.Random(seed)
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key, FakeClock()) as ledger:
        ledger.cast_many([random_ballot(rng, district) for _ in range(n)])


def answers(**changes) -> SetupAnswers:
    base = {
        "district": "3706",
        "pin": PIN,
        "collector_url": None,
        "token": None,
        "enroll_now": False,
        "default_language": "th",
    }
    return SetupAnswers(**{**base, **changes})


def test_demo_votes_need_a_positive_count_and_nothing_is_cast_without_one(data_dir):
    assert cast_demo_votes(data_dir, 3, seed=1).last_seq == 3
    for count in (0, -1):
        with pytest.raises(ValueError, match="at least 1"):
            cast_demo_votes(data_dir, count)
    assert cast_demo_votes(data_dir, 1).first_seq == 4


def test_setup_offline_sets_demo_votes_aside_and_saves_district_and_pin(data_dir, clock):
    cast(data_dir, 7, "3706")
    result = complete_setup(data_dir, answers(district="4712"), PinStore(data_dir, clock))
    assert result.demo_votes_set_aside == 7
    assert result.enroll is None
    config = load_config(data_dir)
    assert (config.district, config.demo, config.enrolled) == ("4712", False, False)
    assert PinStore(data_dir, clock).check(PIN).ok
    assert len(list(data_dir.glob("demo-ledger-*.sqlite3"))) == 1


def test_setup_refuses_while_the_ledger_is_open_and_changes_nothing(data_dir, clock):
    cast(data_dir, 3)
    key = keys.load_or_create(data_dir)
    pins = PinStore(data_dir, clock)
    with Ledger.open(data_dir, key), pytest.raises((OSError, sqlite3.Error)):
        complete_setup(data_dir, answers(), pins)
    assert load_config(data_dir).demo
    assert not PinStore(data_dir, clock).is_set()


def test_setup_never_replaces_a_pin(data_dir, clock):
    pins = PinStore(data_dir, clock)
    pins.set_first("739251")
    with pytest.raises(PinError):
        complete_setup(data_dir, answers(), pins)
    assert load_config(data_dir).demo


def test_setup_and_enroll_now_with_a_real_collector(data_dir, collector, clock):
    token = collector.store.issue_token("3706")
    result = complete_setup(
        data_dir,
        answers(collector_url=collector.url, token=token, enroll_now=True),
        PinStore(data_dir, clock),
    )
    assert result.enroll is not None
    assert result.enroll.ok, result.enroll.problem
    assert result.config.enrolled
    assert result.config.collector_key == collector.collector_key_hex


def test_a_failed_enrollment_leaves_setup_done_and_names_the_reason(data_dir, collector, clock):
    result = complete_setup(
        data_dir,
        answers(collector_url=collector.url, token="not-a-token", enroll_now=True),
        PinStore(data_dir, clock),
    )
    assert result.enroll is not None
    assert not result.enroll.ok
    assert result.enroll.code == "token_unknown"
    config = load_config(data_dir)
    assert not config.enrolled
    assert config.district == "3706"
    assert config.collector_url == collector.url


def test_setup_offline_when_the_collector_cannot_be_reached(data_dir, clock):
    result = complete_setup(
        data_dir,
        answers(collector_url="http://127.0.0.1:9", token="abc", enroll_now=True),
        PinStore(data_dir, clock),
    )
    assert result.enroll is not None
    assert result.enroll.code == "unreachable"
    assert not load_config(data_dir).demo


def enrolled_kiosk(data_dir: Path, collector: RunningCollector, clock) -> None:
    token = collector.store.issue_token("3706")
    result = complete_setup(
        data_dir,
        answers(collector_url=collector.url, token=token, enroll_now=True),
        PinStore(data_dir, clock),
    )
    assert result.config.enrolled
    save_config(data_dir, load_config(data_dir).with_changes(batch_size=10))
    save_roster(data_dir, DEMO_ROSTER)


def test_export_to_a_folder_that_the_collector_imports_then_the_receipts_mark_delivered(
    data_dir, collector, tmp_path, clock
):
    enrolled_kiosk(data_dir, collector, clock)
    cast(data_dir, 25)
    stick = tmp_path / "stick"
    stick.mkdir()
    progress: list[tuple[int, int]] = []
    result = export_to(data_dir, stick, lambda done, total: progress.append((done, total)))
    assert len(result.files) == 3
    assert result.votes == 25
    assert progress == [(0, 25), (10, 25), (20, 25), (25, 25)]
    assert result.summary is not None
    assert result.summary.name.endswith("-00000001-00000025" + SUMMARY_SUFFIX)
    assert not list(stick.glob("*" + PARTIAL_SUFFIX))

    raw = result.summary.read_bytes()
    assert raw.startswith(BOM.encode("utf-8"))
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "ลำดับ (seq)"
    assert [r[0] for r in rows[1:]] == [str(s) for s in range(1, 26)]
    assert any(r[6] == "นางสาวกานดา ใจดี" for r in rows[1:]) or any(r[4] == "หน่วยงาน" for r in rows)

    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0
    receipts = import_receipts_in(data_dir, stick)
    assert receipts.marked == 25
    assert receipts.files == 3
    assert receipts.refused == ()
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        assert ledger.counts().pending == 0
    assert export_to(data_dir, tmp_path).files == ()  # nothing left to export


def test_a_stick_pulled_mid_export_leaves_no_file_that_looks_valid(
    data_dir, collector, tmp_path, clock
):
    enrolled_kiosk(data_dir, collector, clock)
    cast(data_dir, 25)
    stick = tmp_path / "stick"
    stick.mkdir()

    def pull(done: int, total: int) -> None:
        if done == 10:  # the first file is written: the stick goes
            shutil.rmtree(stick)
            stick.write_text("")  # and something else appears at its path

    with pytest.raises(UsbError) as caught:
        export_to(data_dir, stick, pull)
    assert caught.value.code == "write_failed"
    assert "incomplete" in caught.value.message
    assert len(caught.value.written) == 1
    parent = list(tmp_path.rglob("*" + BATCH_SUFFIX + "*"))
    assert not [p for p in parent if "stick" in str(p)]
    key = keys.load_or_create(data_dir)
    with Ledger.open(data_dir, key) as ledger:
        assert ledger.counts().pending == 25  # nothing is marked until a receipt comes


def test_export_refuses_a_demo_kiosk(data_dir, tmp_path):
    cast(data_dir, 2)
    with pytest.raises(UsbError) as caught:
        export_to(data_dir, tmp_path)
    assert caught.value.code == "demo"


def test_a_tampered_receipt_is_refused_and_nothing_marked(data_dir, collector, tmp_path, clock):
    enrolled_kiosk(data_dir, collector, clock)
    cast(data_dir, 5)
    stick = tmp_path / "stick"
    stick.mkdir()
    export_to(data_dir, stick)
    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0
    (receipt,) = stick.glob("*" + RECEIPT_SUFFIX)
    record = json.loads(receipt.read_bytes())
    record["server_time"] = "2020-01-01T00:00:00.000Z"  # any change breaks the signature
    receipt.write_text(json.dumps(record))
    receipts = import_receipts_in(data_dir, stick)
    assert receipts.marked == 0
    assert [code for _, code, _ in receipts.refused] == ["bad_receipt_signature"]


def test_receipts_need_an_enrolled_kiosk(data_dir, tmp_path):
    save_config(data_dir, KioskConfig(district="3706", demo=False))
    with pytest.raises(UsbError) as caught:
        import_receipts_in(data_dir, tmp_path)
    assert caught.value.code == "not_enrolled"


def test_sync_now_sends_everything_with_progress(data_dir, collector, clock):
    enrolled_kiosk(data_dir, collector, clock)
    cast(data_dir, 25)
    seen: list[tuple[int, int]] = []
    outcome = SyncJob(data_dir).run(lambda done, total: seen.append((done, total)))
    assert outcome.report.ok
    assert (outcome.pending, outcome.delivered) == (0, 25)
    assert seen[0] == (0, 25)
    assert seen[-1] == (25, 25)


def test_sync_now_on_a_kiosk_not_enrolled(data_dir):
    outcome = SyncJob(data_dir).run()
    assert outcome.report.error is not None
    assert outcome.report.error.code == "not_enrolled"


def test_a_story_that_looks_like_a_formula_is_not_one_in_excel():
    private = Ed25519PrivateKey.generate()
    ballot = Ballot(
        district="3706",
        rating=5,
        target=Target("staff", "s01"),
        story='=HYPERLINK("http://evil","ดี")',
    )
    vote = sign_vote(private, "0" * 32, 1, "2026-11-24T03:00:00.000Z", "0" * 64, ballot)
    rows = summary_rows([(vote, "x.batch.json")], DEMO_ROSTER)
    assert rows[1][9].startswith("'=")
    assert rows[1][1] == "2026-11-24 10:00"  # Thai time
    assert summary_bytes(rows).endswith(b"\r\n")


def test_the_csv_names_concern_tags_in_thai_like_impression_tags():
    private = Ed25519PrivateKey.generate()
    ballot = Ballot(district="3706", rating=1, tags=("long-wait", "paperwork", "t99"))
    vote = sign_vote(private, "0" * 32, 1, "2026-11-24T03:00:00.000Z", "0" * 64, ballot)
    rows = summary_rows([(vote, "x.batch.json")], DEMO_ROSTER)
    assert rows[1][8] == "รอนาน, เอกสารยุ่งยาก, t99"  # a code the roster lacks stays a code


def test_the_export_command_writes_the_same_csv_beside_the_batch_files(data_dir, tmp_path):
    from sync.terminal import export, said

    save_config(data_dir, KioskConfig(district="3706", demo=False))
    cast(data_dir, 4)
    stick = tmp_path / "stick"
    stick.mkdir()
    outcome = export(data_dir, stick)
    assert outcome.exit_code == 0, outcome.said
    (summary,) = stick.glob("*" + SUMMARY_SUFFIX)
    assert said("summary_written", path=summary) in outcome.said
    assert summary.read_bytes().startswith(BOM.encode("utf-8"))
    assert len(summary.read_bytes().decode("utf-8-sig").splitlines()) == 5
