"""Reading a USB stick that carries the central office's campaign notice: the clerk is told, in
Thai (and English), which campaign was read and its days, that there were no receipts yet, and
that a notice signed by another central office was not used. A real collector signs the notice
(`sangsuk-collector campaigns notice`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli import main as collector_main
from collector.store import campaigns
from kiosk.campaign import load_campaign
from kiosk.config import load_config
from kiosk.drives import Drive
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from tests.sync.test_campaign_refresh import load_notice
from tests.ui.clerk.helpers import build_kiosk, idle, set_up, unlock
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from wire.campaign import sign_notice

NOTICE_NAME = "sangsuk-2570.campaign.json"


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def stick(tmp_path, collector: RunningCollector) -> Path:
    """A stick the central office wrote campaign 2570's signed notice to, and nothing else."""
    folder = tmp_path / "media" / "clerk" / "KINGSTON"
    folder.mkdir(parents=True)
    campaigns.add(
        collector.store,
        campaigns.make(2570, "ประเมินความพึงพอใจอำเภอ ปี 2570", "District satisfaction 2570",
                       "2026-12-06", "2027-03-31", "เสียงของคุณสำคัญ", "Your voice matters"),
    )  # fmt: skip
    db = str(collector.db_path)
    to = str(folder / NOTICE_NAME)
    assert collector_main(["campaigns", "--db", db, "notice", "--year", "2570", "--to", to]) == 0
    return folder


def read_stick(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
) -> tuple[KioskWindow, ClerkArea]:
    """The trial's kiosk B on 6 December 2569: enrolled, the stick read from the USB page."""
    clock.set_wall(datetime(2026, 12, 6, 5, 0, tzinfo=UTC))
    set_up(data_dir, clock, batch_size=10)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    area.export._drives = lambda: [Drive(stick, "KINGSTON", 8_000_000_000, 16_000_000_000)]
    area.nav[area.export].click()
    idle(qtbot, area)
    area.export.receipts_button.click()
    idle(qtbot, area)
    return kiosk, area


def test_a_stick_with_only_the_campaign_says_the_campaign_was_read(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    """The trial: the kiosk took campaign 2570 but said only, in red, that there were no
    receipts. Now it says, in the ok tone, which campaign was read and its days."""
    kiosk, area = read_stick(qtbot, switcher, clock, data_dir, ledger_service, collector, stick)
    message = area.export.message
    assert message.text().split("\n") == [
        "อ่านแคมเปญจากแฟลชไดรฟ์แล้ว: ประเมินความพึงพอใจอำเภอ ปี 2570 (ปี พ.ศ. 2570)"
        " ตั้งแต่ 6 ธันวาคม 2569 ถึง 31 มีนาคม 2570",
        "ยังไม่มีใบตอบรับในแฟลชไดรฟ์นี้",
    ]
    assert message.property("tone") == "ok"
    kept = load_campaign(data_dir, load_config(data_dir))
    assert kept is not None
    assert kept.year == 2570
    qtbot.waitUntil(lambda: kiosk.welcome.title.text() == "ประเมินความพึงพอใจอำเภอ ปี 2570")
    switcher.set_language("en")
    area.export.receipts_button.click()
    idle(qtbot, area)
    assert message.text().split("\n") == [
        "Campaign read from the USB stick: District satisfaction 2570 (year 2570),"
        " from 6 December 2026 to 31 March 2027.",
        "There are no receipts on this USB stick yet.",
    ]


def test_a_campaign_signed_by_another_central_office_is_refused_in_words(
    qtbot, switcher, clock, data_dir, ledger_service, collector, stick
):
    """A notice signed by another collector used to be refused in the log only: the clerk now
    reads that the file is not from this kiosk's central office and was not used."""
    notice = stick / NOTICE_NAME
    notice.write_bytes(sign_notice(Ed25519PrivateKey.generate(), load_notice(notice)))
    kiosk, area = read_stick(qtbot, switcher, clock, data_dir, ledger_service, collector, stick)
    message = area.export.message
    assert message.text().split("\n") == [
        f"{NOTICE_NAME}: ไฟล์แคมเปญนี้ไม่ได้มาจากส่วนกลางของตู้นี้ จึงไม่ได้นำมาใช้ โปรดติดต่อส่วนกลาง",
        "ยังไม่มีใบตอบรับในแฟลชไดรฟ์นี้",
    ]
    assert message.property("tone") == "error"
    assert load_campaign(data_dir, load_config(data_dir)) is None  # nothing kept
    assert kiosk.welcome.title.text() != "ประเมินความพึงพอใจอำเภอ ปี 2570"
