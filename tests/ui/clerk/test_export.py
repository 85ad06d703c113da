"""USB export from the clerk's screen: a fake drive, a real folder, a real collector import."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from collector.cli import main as collector_main
from collector.store import campaigns
from kiosk.config import load_config
from kiosk.demo import random_ballot
from kiosk.drives import Drive
from kiosk.ledger import Ledger
from kiosk.resend import learn_missing
from sync.operations import enroll
from sync.usb_enroll import export_enroll_request, find_answer, import_enroll_answer
from tests.collector_server import RunningCollector, serve_collector
from tests.namespaces import run_read_only
from tests.ui.clerk.helpers import JOB_TIMEOUT_MS, build_kiosk, cast, idle, set_up, unlock
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from ui.widgets.labels import WrapLabel
from wire import keys
from wire.clock import THAI_TIME
from wire.receipt import Receipt
from wire.stick import BATCH_SUFFIX, ENROLL_REQUEST_SUFFIX, PARTIAL_SUFFIX, SUMMARY_SUFFIX


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def stick(tmp_path) -> Path:
    folder = tmp_path / "media" / "clerk" / "KINGSTON"
    folder.mkdir(parents=True)
    return folder


def open_export(
    qtbot, switcher, clock, data_dir, ledger_service, drives
) -> tuple[KioskWindow, ClerkArea]:
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    area.export._drives = drives
    area.nav[area.export].click()
    idle(qtbot, area)
    return kiosk, area


def pull_out_after_the_first_file(monkeypatch, stick: Path) -> None:
    """The clerk pulls the stick out once the export has written its first file: the export
    itself runs as ever; only the moment of the pull is chosen."""
    import sync.usb_export

    original = sync.usb_export.export_batches

    def pulled_after_the_first_file(*args, **kwargs):
        inner = kwargs["on_batch"]

        def on_batch(path, batch, votes):
            inner(path, batch, votes)
            shutil.rmtree(stick)

        kwargs["on_batch"] = on_batch
        return original(*args, **kwargs)

    monkeypatch.setattr(sync.usb_export, "export_batches", pulled_after_the_first_file)


def test_export_to_a_stick_that_the_collector_imports_then_read_the_receipts(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    set_up(data_dir, clock, batch_size=10)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 23)
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    screen = area.export
    assert screen.drive_list.count() == 1
    assert "KINGSTON" in screen.drive_list.item(0).text()
    assert screen.target == stick  # the only stick is chosen
    assert "23" in screen.plan_label.text()
    assert screen.export_button.isEnabled()

    seen: list[int] = []
    screen.progress.valueChanged.connect(seen.append)
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert max(seen) == 23
    assert "ถอดแฟลชไดรฟ์ได้อย่างปลอดภัย" in screen.message.text()
    batches = sorted(stick.glob("*" + BATCH_SUFFIX))
    assert len(batches) == 3
    assert not list(stick.glob("*" + PARTIAL_SUFFIX))
    (summary,) = stick.glob("*" + SUMMARY_SUFFIX)
    rows = list(csv.reader(io.StringIO(summary.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 24
    assert summary.read_bytes().startswith(b"\xef\xbb\xbf")

    # At the central office: `sangsuk-collector import` accepts the stick and writes receipts.
    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0
    screen.receipts_button.click()
    idle(qtbot, area)
    assert "23" in screen.message.text()
    assert "บันทึกว่าส่งถึงแล้ว" in screen.message.text()
    assert ledger_service.ledger is not None
    assert ledger_service.ledger.counts().pending == 0
    assert "ไม่มีอะไรต้องส่งออก" in screen.plan_label.text() or not screen.export_button.isEnabled()


def test_a_campaign_notice_on_the_stick_is_shown_to_the_next_citizen(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    clock.set_wall(datetime.now(UTC))  # the campaign runs on the served collector's real day
    set_up(data_dir, clock, batch_size=10)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 3)
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    default_title = kiosk.welcome.title.text()
    area.export.export_button.click()
    qtbot.waitUntil(lambda: area.export.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    # At the central office: the stick is imported, and the campaign's notice written to it.
    today = datetime.now(THAI_TIME).date()  # the served collector runs on the real clock
    campaigns.add(
        collector.store,
        campaigns.make(
            today.year + 543, "ประเมินอำเภอ", "District rating", str(today - timedelta(days=1)),
            str(today + timedelta(days=30)), "เสียงของคุณสำคัญ", "Your voice matters",
        ),
    )  # fmt: skip
    db = str(collector.db_path)
    assert collector_main(["import", str(stick), "--db", db]) == 0
    notice = stick / "sangsuk.campaign.json"
    assert collector_main(["campaigns", "--db", db, "notice", "--to", str(notice)]) == 0
    area.export.receipts_button.click()
    idle(qtbot, area)
    assert "3" in area.export.message.text()
    assert kiosk.welcome.title.text() == "ประเมินอำเภอ" != default_title
    assert kiosk.thanks.slogan.text() == "เสียงของคุณสำคัญ"


def test_a_stick_pulled_mid_export_gives_a_clear_message_and_no_file_that_looks_valid(
    qtbot, switcher, clock, data_dir, ledger_service, stick, monkeypatch
):
    set_up(data_dir, clock, batch_size=10)
    cast(ledger_service, 25)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, list)
    screen = area.export
    assert screen.no_drives.isVisible()  # no stick found: the folder chooser is offered
    screen._folder_chooser = lambda chosen: chosen(stick)
    screen.folder_button.click()
    assert screen.target == stick

    pull_out_after_the_first_file(monkeypatch, stick)
    screen.export_button.click()
    idle(qtbot, area)
    assert screen.message.property("tone") == "error"
    assert "ไม่มีไฟล์ที่เขียนไม่ครบค้างอยู่" in screen.message.text()
    assert not stick.exists() or not list(stick.iterdir())
    assert ledger_service.ledger is not None
    assert ledger_service.ledger.counts().pending == 25  # still here, nothing marked
    # Another stick chosen: what was said of the first one goes.
    other = stick.parent / "SANDISK"
    other.mkdir()
    screen._folder_chooser = lambda chosen: chosen(other)
    screen.folder_button.click()
    assert screen.target == other
    assert screen.message.text() == ""


def test_a_demo_kiosk_does_not_export(qtbot, switcher, clock, data_dir, ledger_service, stick):
    from kiosk.pin import PinStore

    PinStore(data_dir, clock).set_first("482916")
    cast(ledger_service, 3)
    assert load_config(data_dir).demo
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, list)
    area.export.set_target(stick)
    area.export.export_button.click()
    idle(qtbot, area)
    assert "โหมดทดลอง" in area.export.message.text()
    assert not list(stick.iterdir())


def test_a_full_stick_is_pointed_out_before_writing(
    qtbot, switcher, clock, data_dir, ledger_service, stick, monkeypatch
):
    set_up(data_dir, clock)
    cast(ledger_service, 5)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, list)
    monkeypatch.setattr(area.export, "_free_bytes", lambda folder: 10)
    area.export.set_target(stick)
    assert "ไม่พอ" in area.export.plan_label.text()
    assert not area.export.export_button.isEnabled()  # the reason is said: no press to fail


def test_a_write_protected_stick_is_named_so_and_logged(tmp_path, clock, data_dir, stick):
    """A real read-only disk (a read-only mount: chmod does not stop root), in a child process."""
    set_up(data_dir, clock)
    with Ledger.open(data_dir, keys.load_or_create(data_dir), clock) as ledger:
        ledger.cast_many([random_ballot(random.Random(1), "3706") for _ in range(5)])
    done = run_read_only(
        stick,
        [
            sys.executable,
            "-m",
            "tests.ui.clerk.read_only_export",
            str(data_dir),
            str(stick),
            str(tmp_path / "qm-cache"),
        ],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    told = json.loads(done.stdout.strip().splitlines()[-1])
    assert "ป้องกันการเขียน" in told["th"]  # write-protected
    assert "ไม่พบแฟลชไดรฟ์" not in told["th"]  # not "no stick found"
    assert "write-protected" in told["en"]
    assert "lock switch" in told["en"]
    assert told["tone"] == "error"
    assert told["files"] == []
    assert "(read_only)" in done.stderr  # logged, with why
    assert not list(stick.iterdir())


def test_a_kiosk_not_enrolled_is_told_and_its_request_goes_with_the_votes(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    set_up(data_dir, clock, batch_size=10)  # set up offline: not enrolled
    cast(ledger_service, 12)
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    screen = area.export
    # Told before exporting: the votes count only once the kiosk is enrolled.
    assert "ยังไม่ได้ลงทะเบียน" in screen.plan_label.text()
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    told = screen.message.text()
    assert "ยังไม่ได้ลงทะเบียน" in told
    assert "คำขอลงทะเบียน" in told
    assert keys.load_or_create(data_dir).fingerprint in told
    (_request,) = stick.glob("*" + ENROLL_REQUEST_SUFFIX)

    # At the central office the import enrolls the kiosk from its request, then counts the votes.
    assert (
        collector_main(
            ["import", str(stick), "--db", str(collector.db_path), "--approve", "somchai"]
        )
        == 0
    )
    assert collector.store.total_votes() == 12
    # Back at the kiosk: the answer on the stick is the one to the request it holds.
    answer = find_answer(stick, data_dir)
    assert import_enroll_answer(data_dir, answer).enrollment.ok
    screen.receipts_button.click()
    idle(qtbot, area)
    assert ledger_service.ledger is not None
    assert ledger_service.ledger.counts().pending == 0


def test_the_request_written_with_a_token_goes_again_unchanged(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick, tmp_path
):
    set_up(data_dir, clock)
    earlier_stick = tmp_path / "earlier"
    earlier_stick.mkdir()
    token = collector.store.issue_token("3706")
    earlier = export_enroll_request(data_dir, earlier_stick, token).path.read_bytes()
    cast(ledger_service, 3)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, list)
    area.export.set_target(stick)
    area.export.export_button.click()
    qtbot.waitUntil(lambda: area.export.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    (request,) = stick.glob("*" + ENROLL_REQUEST_SUFFIX)
    assert request.read_bytes() == earlier  # its token, and the answer to it is still accepted
    assert collector_main(["import", str(stick), "--db", str(collector.db_path)]) == 0
    assert import_enroll_answer(data_dir, find_answer(stick, data_dir)).enrollment.ok


def test_an_enrolled_kiosk_writes_no_request(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    set_up(data_dir, clock)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 3)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, list)
    assert "ลงทะเบียน" not in area.export.plan_label.text()
    area.export.set_target(stick)
    area.export.export_button.click()
    qtbot.waitUntil(lambda: area.export.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert not list(stick.glob("*" + ENROLL_REQUEST_SUFFIX))
    assert "ลงทะเบียน" not in area.export.message.text()


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_long_message_after_exporting_from_a_kiosk_not_enrolled_shows_whole(
    qtbot, switcher, clock, data_dir, ledger_service, stick, panel, language
):
    """What the clerk is told (done, and the request on the stick) is read whole on every
    panel: on the smallest the page scrolls to it, not cut at the page's fold."""
    set_up(data_dir, clock)  # not enrolled
    cast(ledger_service, 5)
    if language == "en":
        switcher.set_language("en")
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    kiosk.resize(panel.width_px, panel.height_px)
    screen = area.export
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    message, view = screen.message, screen.page.viewport()
    assert message.text().count("\n") == 1  # done, then the request on the stick

    def whole() -> bool:
        top_left = message.mapTo(view, QPoint(0, 0))
        return view.rect().contains(QRect(top_left, message.size()))

    qtbot.waitUntil(whole)
    assert in_view(screen.export_button, screen.page.viewport())  # Export not below the fold


def in_view(widget: QWidget, view: QWidget) -> bool:
    """Whether the whole of widget shows in the scrolled page's viewport."""
    return view.rect().contains(QRect(widget.mapTo(view, QPoint(0, 0)), widget.size()))


def plugged(*folders: Path):
    """A drive detector that finds those of folders that exist (a stick pulled out is gone)."""
    return lambda: [Drive(f, f.name, 8_000_000_000, 16_000_000_000) for f in folders if f.is_dir()]


def tap_row(screen, row: int) -> None:
    """Touch a stick in the list, as the clerk does."""
    listing = screen.drive_list
    rect = listing.visualItemRect(listing.item(row))
    QTest.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_with_two_sticks_the_chosen_one_stays_chosen_and_the_result_stays_said(
    qtbot, switcher, clock, data_dir, ledger_service, stick
):
    set_up(data_dir, clock, batch_size=10)
    cast(ledger_service, 5)
    other = stick.parent / "SANDISK"
    other.mkdir()
    _kiosk, area = open_export(
        qtbot, switcher, clock, data_dir, ledger_service, plugged(stick, other)
    )
    screen = area.export
    assert screen.target is None  # two sticks: the clerk chooses
    tap_row(screen, 1)
    assert screen.target == other
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert "ถอดแฟลชไดรฟ์ได้อย่างปลอดภัย" in screen.message.text()  # still said after the rescan
    assert screen.message.isVisible()
    assert screen.target == other
    (selected,) = screen.drive_list.selectedItems()
    assert "SANDISK" in selected.text()
    screen.rescan_button.click()  # Look again: the same stick, the same words
    assert screen.target == other
    assert "ถอดแฟลชไดรฟ์ได้อย่างปลอดภัย" in screen.message.text()
    assert list(other.glob("*" + BATCH_SUFFIX))
    assert not list(stick.iterdir())  # nothing went to the stick not chosen


def test_a_chosen_stick_pulled_out_leaves_nothing_chosen_and_says_so(
    qtbot, switcher, clock, data_dir, ledger_service, stick, monkeypatch
):
    set_up(data_dir, clock, batch_size=10)
    cast(ledger_service, 25)
    other = stick.parent / "SANDISK"
    other.mkdir()
    _kiosk, area = open_export(
        qtbot, switcher, clock, data_dir, ledger_service, plugged(stick, other)
    )
    screen = area.export
    tap_row(screen, 1)
    assert screen.target == other

    pull_out_after_the_first_file(monkeypatch, other)
    screen.export_button.click()
    qtbot.waitUntil(lambda: not other.exists(), timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert screen.message.property("tone") == "error"  # the failure stays on screen
    assert "ไม่มีไฟล์ที่เขียนไม่ครบค้างอยู่" in screen.message.text()
    assert screen.target is None  # not the other stick, silently
    assert not screen.drive_list.selectedItems()
    assert not screen.export_button.isEnabled()
    assert "ถูกถอดออกแล้ว" in screen.plan_label.text()  # why Export cannot be pressed
    assert not list(stick.iterdir())
    # Plugged in again: it is the stick chosen again.
    other.mkdir()
    screen.rescan_button.click()
    assert screen.target == other
    assert screen.export_button.isEnabled()


@pytest.mark.parametrize("language", ["th", "en"])
def test_after_an_error_export_stays_in_view(
    qtbot, switcher, clock, data_dir, ledger_service, stick, panel, language
):
    """A stick refused (here: pulled out before Export) is said, and Export stays on screen."""
    set_up(data_dir, clock)
    cast(ledger_service, 5)
    if language == "en":
        switcher.set_language("en")
    kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, plugged(stick))
    kiosk.resize(panel.width_px, panel.height_px)
    screen = area.export
    assert screen.target == stick
    stick.rmdir()
    screen.export_button.click()
    idle(qtbot, area)
    assert screen.message.property("tone") == "error"
    view = screen.page.viewport()
    qtbot.waitUntil(lambda: in_view(screen.message, view))
    assert in_view(screen.export_button, view)


def lowest_ink(label: WrapLabel) -> int:
    """The lowest row with text drawn in it (dark on the light page) of the label's picture, at
    the height it claims (a layout short of room gives it no more, as on the 1024×600 panel)."""
    label.resize(label.width(), label.lines_height(label.width()))
    image = label.grab().toImage()
    rows = [
        y
        for y in range(image.height())
        if any(image.pixelColor(x, y).lightness() < 128 for x in range(image.width()))
    ]
    return max(rows)


def test_the_plan_names_the_stick_and_the_folder_on_it_never_a_system_path(
    qtbot, switcher, clock, data_dir, ledger_service, stick, panel
):
    # A trial: "To: /media/root/KINGSTON/…" meant nothing to the clerk; the stick's name and
    # free space (as its row in the list says) and the folder's name do.
    set_up(data_dir, clock, batch_size=10)
    cast(ledger_service, 5)
    kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, plugged(stick))
    kiosk.resize(panel.width_px, panel.height_px)
    screen = area.export
    assert screen.target == stick  # the one stick plugged in
    qtbot.waitUntil(lambda: "5 รายการ" in screen.plan_label.text())
    assert "ปลายทาง: แฟลชไดรฟ์ KINGSTON (ว่าง 7.5 GB)" in screen.plan_label.text()
    assert "/" not in screen.plan_label.text()
    folder = stick / "sangsuk_export_2569"
    folder.mkdir()
    screen._folder_chooser = lambda chosen: chosen(folder)
    screen.folder_button.click()
    assert screen.target == folder
    where = "ปลายทาง: แฟลชไดรฟ์ KINGSTON (ว่าง 7.5 GB) · โฟลเดอร์ sangsuk_export_2569"
    assert where in screen.plan_label.text()
    assert "/" not in screen.plan_label.text()
    # Sarabun draws "_" below its descent: on the plan's last line it shows all the same.
    plan = screen.plan_label.text()
    screen.plan_label.setText("ปลายทาง\nAB")
    plain = lowest_ink(screen.plan_label)
    screen.plan_label.setText("ปลายทาง\nA_B")
    assert lowest_ink(screen.plan_label) > plain  # the underscore, under A and B
    screen.plan_label.setText(plan)
    # Pulled out: the message names the stick, not where it was mounted.
    shutil.rmtree(stick)
    screen.rescan_button.click()
    assert "แฟลชไดรฟ์ที่เลือกไว้ (แฟลชไดรฟ์ KINGSTON · โฟลเดอร์ sangsuk_export_2569)" in (
        screen.plan_label.text()
    )
    assert "/" not in screen.plan_label.text()


def test_after_a_collector_restore_the_receipts_say_what_the_next_stick_carries_again(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick, tmp_path
):
    """The central office restores its database from a backup made before this kiosk's stick
    was imported: the receipt for the next stick lists the first stick's votes as missing; the
    stick page says they go on the next stick, and that stick fills the gap."""
    set_up(data_dir, clock, batch_size=10)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    backup = tmp_path / "restored" / "central.sqlite3"
    backup.parent.mkdir()
    src, dst = sqlite3.connect(collector.db_path), sqlite3.connect(backup)
    src.backup(dst)  # SQLite's backup, as docs/operations.md says, before any vote arrived
    dst.close()
    src.close()
    key_file = collector.db_path.with_name("central.key.pem")
    shutil.copy2(key_file, backup.with_name(key_file.name))  # the key is backed up once
    cast(ledger_service, 5)
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    screen = area.export

    def export_and_import(db: Path) -> None:
        screen.refresh()
        idle(qtbot, area)
        screen.last_result = None
        screen.export_button.click()
        qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
        idle(qtbot, area)
        assert collector_main(["import", str(stick), "--db", str(db)]) == 0
        screen.receipts_button.click()
        idle(qtbot, area)

    export_and_import(collector.db_path)  # votes 1-5 delivered, then the collector is restored
    for old in stick.iterdir():
        old.unlink()
    cast(ledger_service, 2)
    export_and_import(backup)  # votes 6-7: the receipt lists 1-5 as missing
    assert "ต้องส่งซ้ำ 5 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)" in screen.message.text()
    assert "5" in screen.plan_label.text()
    # They were delivered once: asked for again, not "not yet delivered".
    assert "ส่งผลการประเมินครบทุกรายการแล้ว" in screen.plan_label.text()
    assert "ที่ยังไม่ได้ส่ง" not in screen.plan_label.text()
    for old in stick.iterdir():
        old.unlink()
    export_and_import(backup)
    assert sorted(p.name[-28:] for p in stick.glob("*" + BATCH_SUFFIX)) == [
        "00000001-00000005.batch.json"
    ]
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT seq) FROM votes").fetchone() == (7, 7)
    finally:
        conn.close()
    assert "ส่งซ้ำ" not in screen.message.text()


def test_votes_asked_for_again_are_told_apart_from_votes_not_yet_delivered(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    """Votes 1-5 were delivered; after a restore the collector asked for 2-4 again; 2 new votes
    wait. The plan says 2 not yet delivered and 3 asked for again (never "5 not yet delivered":
    a clerk who delivered every vote must not think 5 are late), in Thai and in English, and
    the message after writing them says how many of them were asked for again."""
    set_up(data_dir, clock)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 5)
    ledger = ledger_service.ledger
    assert ledger is not None
    ledger.mark_delivered([(1, 5)], "sha256:" + "0" * 64)
    lost = Receipt(ledger.kiosk_id, None, [], [], [(1, 1), (5, 5)], [(2, 4)], "")
    assert learn_missing(ledger, lost) == 3
    cast(ledger_service, 2, seed=2)
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    screen = area.export
    plan = screen.plan_label.text()
    assert "จะเขียนผลการประเมินที่ยังไม่ได้ส่ง 2 รายการ" in plan
    assert "จะเขียนผลการประเมินที่ส่งถึงแล้ว 3 รายการ ซึ่งส่วนกลางขอให้ส่งอีกครั้ง" in plan
    assert "ขนาดรวมประมาณ" in plan
    assert "ยังไม่ได้ส่ง 5" not in plan
    switcher.set_language("en")
    screen.refresh()
    idle(qtbot, area)
    plan = screen.plan_label.text()
    assert "2 votes not yet delivered will be written." in plan
    assert "3 delivered votes the central office asked for again go too" in plan
    assert "About " in plan
    assert "5 votes not yet delivered" not in plan
    screen.export_button.click()
    qtbot.waitUntil(lambda: screen.last_result is not None, timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert screen.last_result.votes == 5
    assert screen.last_result.resent == 3
    text = screen.message.text()
    assert "Done: 5 votes written and checked" in text
    assert "3 of them are votes the central office asked for again (delivered before)." in text


def test_when_only_votes_asked_for_again_wait_the_plan_says_every_vote_was_delivered(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    set_up(data_dir, clock)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 3)
    ledger = ledger_service.ledger
    assert ledger is not None
    ledger.mark_delivered([(1, 3)], "sha256:" + "0" * 64)
    assert learn_missing(ledger, Receipt(ledger.kiosk_id, None, [], [], [], [(2, 2)], "")) == 1
    drive = Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)
    _kiosk, area = open_export(qtbot, switcher, clock, data_dir, ledger_service, lambda: [drive])
    assert area.export.plan_label.text().startswith("ส่งผลการประเมินครบทุกรายการแล้ว\n")
    switcher.set_language("en")
    area.export.refresh()
    idle(qtbot, area)
    plan = area.export.plan_label.text().split("\n")
    assert plan[:2] == [
        "Every vote has been delivered.",
        "1 delivered vote the central office asked for again goes too (it lost it when it"
        " restored a backup).",
    ]
    assert area.export.export_button.isEnabled()
