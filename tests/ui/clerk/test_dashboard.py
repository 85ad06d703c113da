"""The dashboard on a real ledger: figures, chart, names, stories, sync state, the campaign,
identity, send now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCharts import QBarSet
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QScroller, QWidget

from collector.store import campaigns
from kiosk.campaign import FROM_USB, Heard, accept_campaign
from kiosk.config import load_config
from kiosk.demo import DEMO_ROSTER
from kiosk.resend import learn_missing, resend_accepted
from kiosk.roster import Roster, save_roster
from kiosk.save_failure import record_save_failure
from kiosk.syncstate import SyncState, save_sync_state
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from tests.ui.clerk.helpers import JOB_TIMEOUT_MS, build_kiosk, cast, idle, set_up, unlock
from ui.clerk.widgets import keep_in_view
from ui.ledger_service import LedgerService
from wire import keys
from wire.campaign import CampaignNotice, sign_notice
from wire.clock import THAI_TIME
from wire.receipt import Receipt
from wire.vote import Ballot, Target


def five_votes(ledger_service: LedgerService) -> None:
    """Cast the five votes the overview is checked against."""
    ledger = ledger_service.ledger
    assert ledger is not None
    ledger.cast_many(
        [
            Ballot("3706", 5, Target("staff", "s01"), story="เจ้าหน้าที่ใจดีมาก"),
            Ballot("3706", 5, Target("staff", "s01")),
            Ballot("3706", 4, Target("staff", "s09")),  # retired since
            Ballot("3706", 2, Target("unit", "id-card"), story="รอนานไปหน่อย"),
            Ballot("3706", 3),
        ]
    )


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    set_up(data_dir, clock)
    five_votes(ledger_service)
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


@pytest.fixture
def panel_kiosk(qtbot, switcher, clock, data_dir, ledger_service, panel):
    """A kiosk in use (45 votes, a dozen names, five stories, a failed send), built at the
    panel's density and shown at its size."""
    set_up(data_dir, clock)
    five_votes(ledger_service)
    cast(ledger_service, 40)
    failed = SyncState().failed("2026-11-24T02:00:00.000Z", "unreachable", "no route to host")
    save_sync_state(data_dir, failed)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    window.resize(panel.width_px, panel.height_px)
    return window


def chart_values(area) -> dict[int, float]:
    (series,) = area.dashboard.chart.series()
    values: dict[int, float] = {}
    for index, bar in enumerate(series.barSets()):
        assert isinstance(bar, QBarSet)
        values[index + 1] = sum(bar.at(i) for i in range(bar.count()))
    return values


def test_figures_chart_names_and_stories(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    assert board.figures["today"].text() == "5"
    assert board.figures["total"].text() == "5"
    assert board.figures["pending"].text() == "5"
    assert board.figures["last_sync"].text() == "ยังไม่เคย"
    assert chart_values(area) == {1: 0, 2: 1, 3: 1, 4: 1, 5: 2}
    names = board.names.text()
    assert "นางสาวกานดา ใจดี — 2" in names
    assert "นายไพโรจน์ ใจกว้าง (เลิกใช้แล้ว) — 1" in names  # retired, still named
    assert "งานบัตรประจำตัวประชาชน — 1" in names
    assert board.stories.text().index("รอนานไปหน่อย") < board.stories.text().index("ใจดีมาก")


def test_identity_with_qr_code_and_version(qtbot, kiosk, clock, data_dir):
    area = unlock(qtbot, kiosk, clock)
    key = keys.load_or_create(data_dir)
    board = area.dashboard
    assert board.fingerprint_line.text() == f"ลายนิ้วมือกุญแจของตู้: {key.fingerprint}"
    assert board.kiosk_id_line.text() == f"รหัสตู้: {key.kiosk_id}"
    text = board.id_text.text()
    assert "หัวตะพาน (3706)" in text
    assert "0.1.0" in text or "dev" in text
    pixmap = area.dashboard.qr.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() >= 100
    assert area.dashboard.identity is not None
    assert key.public_key_raw.hex() in area.dashboard.identity.qr_text("3706")


def test_the_last_sync_error_and_a_failed_save_in_plain_thai(qtbot, kiosk, clock, data_dir):
    save_sync_state(
        data_dir,
        SyncState().failed(
            "2026-11-24T02:00:00.000Z", "unreachable", "The collector cannot be reached"
        ),
    )
    record_save_failure(
        data_dir, "disk_full", "database or disk is full", "2026-11-24T02:30:00.000Z"
    )
    area = unlock(qtbot, kiosk, clock)
    assert area.dashboard.sync_error.isVisible()
    assert "ติดต่อระบบกลางไม่ได้" in area.dashboard.sync_error.text()
    assert "24 พ.ย. 2569 09:00" in area.dashboard.sync_error.text()  # Thai time
    assert "หน่วยความจำของแท็บเล็ตเต็ม" in area.dashboard.save_failure.text()


def test_send_now_is_only_for_an_enrolled_kiosk_and_says_why_beside_it(
    qtbot, kiosk, clock, switcher
):
    # A trial: a grey "Send now" with no word of why on a kiosk not enrolled.
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    assert not board.sync_button.isEnabled()
    assert board.sync_reason.isVisible()
    assert board.sync_reason.full_text() == (
        "ยังไม่ได้ลงทะเบียน: ลงทะเบียนที่เมนู ตั้งค่า ระหว่างนี้ส่งออกด้วยแฟลชไดรฟ์"
    )
    # Beside the button, on its row, not somewhere else in the card.
    button, reason = board.sync_button.geometry(), board.sync_reason.geometry()
    assert reason.left() >= button.right()
    assert reason.top() < button.bottom()
    assert button.top() < reason.bottom()
    switcher.set_language("en")
    qtbot.waitUntil(lambda: "Not enrolled yet" in board.sync_reason.full_text())
    assert "export on a USB stick" in board.sync_reason.full_text()


def test_a_kiosk_enrolled_by_usb_stick_without_an_address_says_why_it_cannot_send(
    qtbot, switcher, clock, data_dir, ledger_service
):
    key = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    set_up(data_dir, clock, enrolled=True, collector_key=key)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    board = unlock(qtbot, kiosk, clock).dashboard
    assert not board.sync_button.isEnabled()
    assert board.sync_reason.isVisible()
    assert board.sync_reason.full_text().startswith("ยังไม่มีที่อยู่ระบบกลาง: ใส่ที่เมนู ตั้งค่า")


@pytest.fixture
def collector(tmp_path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


def test_send_now_in_the_background_with_progress(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    set_up(data_dir, clock, batch_size=2)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 7)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    assert board.figures["pending"].text() == "7"
    assert board.sync_button.isEnabled()
    assert not board.sync_reason.isVisible()  # nothing to explain
    seen: list[int] = []
    board.sync_progress.valueChanged.connect(seen.append)
    board.sync_button.click()
    assert not board.sync_button.isEnabled()  # the screen answers at once; the work is elsewhere
    qtbot.waitUntil(lambda: board.figures["pending"].text() == "0", timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert seen
    assert max(seen) == 7
    assert "ส่งผลการประเมินครบทั้งหมดแล้ว" in board.sync_message.text()
    assert board.figures["last_sync"].text() != "ยังไม่เคย"


def test_send_now_with_nothing_to_send_checks_in_and_says_the_central_office_holds_all(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    """A clerk asked to press Send now after the central office restored its database: with
    nothing to send, the kiosk still asks, and says what the answer was."""
    set_up(data_dir, clock)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 4)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    board.sync_button.click()
    qtbot.waitUntil(lambda: board.figures["pending"].text() == "0", timeout=JOB_TIMEOUT_MS)
    idle(qtbot, area)
    assert board.sync_message.text() == "ส่งผลการประเมินครบทั้งหมดแล้ว"
    kiosk_id = keys.load_or_create(data_dir).kiosk_id
    replays = collector.store.kiosk_status(kiosk_id).replays

    board.sync_button.click()
    qtbot.waitUntil(
        lambda: collector.store.kiosk_status(kiosk_id).replays == replays + 1,
        timeout=JOB_TIMEOUT_MS,
    )
    idle(qtbot, area)
    qtbot.waitUntil(lambda: "ยืนยัน" in board.sync_message.text(), timeout=JOB_TIMEOUT_MS)
    assert board.sync_message.text() == ("ส่งผลการประเมินครบทั้งหมดแล้ว และส่วนกลางยืนยันว่าได้รับครบทุกรายการ")
    assert collector.store.total_votes() == 4


def test_a_citizen_vote_that_met_a_full_disk_shows_on_the_dashboard(
    qtbot, kiosk, clock, data_dir, ledger_service
):
    ledger = ledger_service.ledger
    assert ledger is not None
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk full"
    outcomes: list[str] = []
    ledger_service.saved.connect(lambda vote: outcomes.append("saved"))
    ledger_service.save_failed.connect(lambda code, message: outcomes.append(code))
    for n in range(1, 60):
        ledger_service.cast(Ballot("3706", 4, story="ก" * 500))
        qtbot.waitUntil(lambda n=n: len(outcomes) == n, timeout=10_000)
        if outcomes[-1] != "saved":
            break
    assert outcomes[-1] == "disk_full"
    area = unlock(qtbot, kiosk, clock)
    assert area.dashboard.save_failure.isVisible()
    assert "หน่วยความจำของแท็บเล็ตเต็ม" in area.dashboard.save_failure.text()


def drag_up(qtbot, area: QScrollArea, distance: int = 300, steps: int = 12) -> None:
    """Press on the area, move the finger up by distance, hold until the content moved, release.

    QScroller moves the content on its animation ticks, so the finger stays down until the
    scroll bar has moved (a finger lifted at once may be taken for a tap).
    """
    viewport, bar = area.viewport(), area.verticalScrollBar()
    before = bar.value()
    start = viewport.rect().center() + QPoint(0, distance // 2)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(viewport, left, none, start)
    for step in range(1, steps + 1):
        QTest.mouseMove(viewport, start - QPoint(0, distance * step // steps))
    qtbot.waitUntil(lambda: bar.value() > before)
    QTest.mouseRelease(viewport, left, none, start - QPoint(0, distance))
    scroller = QScroller.scroller(viewport)
    qtbot.waitUntil(lambda: scroller.state() is QScroller.State.Inactive)


def test_a_finger_drag_scrolls_the_overview_to_the_kiosk_identity(qtbot, kiosk, clock):
    # Issue 16: only the wheel or the thin scroll bar moved the overview, and the card with the
    # kiosk's QR code lies below the fold (as on the smallest screen, 1024×600).
    kiosk.resize(1024, 600)
    area = unlock(qtbot, kiosk, clock)
    scroll = area.dashboard.findChild(QScrollArea, "dashboardScroll")
    bar = scroll.verticalScrollBar()
    card = area.dashboard.findChild(QFrame, "identityCard")
    viewport = scroll.viewport()

    def card_shown() -> bool:
        return viewport.rect().contains(QRect(card.mapTo(viewport, QPoint(0, 0)), card.size()))

    assert bar.value() == 0
    assert not card_shown()  # below the fold
    for _ in range(10):  # a few swipes reach the end
        drag_up(qtbot, scroll)
        if bar.value() == bar.maximum():
            break
    assert card_shown()


def test_the_overview_says_when_citizens_skip_who_served_you(
    qtbot, switcher, clock, data_dir, ledger_service
):
    """After setup with an empty roster the clerk is told why citizens see two questions."""
    set_up(data_dir, clock)
    save_roster(data_dir, Roster())
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    board = unlock(qtbot, window, clock).dashboard
    assert board.empty_roster.isVisible()
    assert "ท่านได้รับบริการจากใคร" in board.empty_roster.text()
    assert "รายชื่อและบริการ" in board.empty_roster.text()  # the menu where they are added
    window.apply_roster(DEMO_ROSTER)
    board.refresh()
    assert not board.empty_roster.isVisible()


def test_no_empty_roster_message_with_the_demo_roster(qtbot, kiosk, clock):
    board = unlock(qtbot, kiosk, clock).dashboard
    assert board.figures["total"].text() == "5"
    assert board.empty_roster.isHidden()


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_top_bar_keeps_every_button_word_whole_at_the_smallest_screen(
    qtbot, kiosk, clock, switcher, language
):
    """At 1024×600 the clerk's tabs and "back to the kiosk" keep their whole words; the title
    gives up its room instead (it ends in "…", its whole text still its accessible name)."""
    switcher.set_language(language)
    kiosk.apply_config(kiosk.config.with_changes(clerk_language=language))  # the clerk's own
    kiosk.resize(1024, 600)
    area = unlock(qtbot, kiosk, clock)
    buttons = [*area.nav.values(), area.leave_button]
    qtbot.waitUntil(lambda: all(b.width() >= b.sizeHint().width() for b in buttons))
    for button in buttons:
        needed = button.fontMetrics().horizontalAdvance(button.text())
        assert button.width() >= needed, f"{button.text()!r}: {needed} px in {button.width()} px"
    assert area.heading.accessibleName().endswith("หัวตะพาน" if language == "th" else "Hua Taphan")


def whole_in_view(widget: QWidget, window: QWidget) -> bool:
    """Whether all of widget shows in the window: inside each of its parents, the scroll area's
    viewport among them (so without scrolling to it)."""
    whole = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()).contains(whole):
            return False
        parent = parent.parentWidget()
    return widget.isVisible() and window.rect().contains(whole)


def laid_out(board: QWidget) -> bool:
    """Whether the overview's figures have been laid out (they come from a background read)."""
    body = board.findChild(QScrollArea, "dashboardScroll").widget()
    return body.height() >= max(body.minimumSizeHint().height(), body.heightForWidth(body.width()))


def shown_whole(window: QWidget, board: QWidget, value: str) -> bool:
    """Whether a label of the board shows the line holding value, whole and in view."""
    for label in board.findChildren(QLabel):
        line = next((line for line in label.text().split("\n") if value in line), None)
        if line is None or not whole_in_view(label, window):
            continue
        if label.fontMetrics().horizontalAdvance(line) <= label.contentsRect().width():
            return True
    return False


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_kiosk_id_and_fingerprint_show_without_scrolling_on_every_panel(
    qtbot, panel_kiosk, clock, data_dir, switcher, language
):
    """Issue 16: asked on the phone for the kiosk's id or fingerprint, the clerk had to scroll
    to the foot of the overview (far down on the 1024×600 panel). They now stand beside the
    title, whole, on every panel, and stay there while the figures scroll."""
    switcher.set_language(language)
    area = unlock(qtbot, panel_kiosk, clock)
    board = area.dashboard
    key = keys.load_or_create(data_dir)
    scroll = board.findChild(QScrollArea, "dashboardScroll")
    bar = scroll.verticalScrollBar()

    def both_in_view() -> None:
        for value in (key.kiosk_id, key.fingerprint):
            assert shown_whole(panel_kiosk, board, value), f"{value} is not in view"

    qtbot.waitUntil(lambda: laid_out(board))
    assert bar.value() == 0
    qtbot.waitUntil(both_in_view)  # the lines are laid out once the key has been read
    bar.setValue(bar.maximum())
    both_in_view()


def test_the_qr_code_button_brings_the_qr_code_into_view(qtbot, panel_kiosk, clock):
    area = unlock(qtbot, panel_kiosk, clock)
    board = area.dashboard
    card = board.findChild(QFrame, "identityCard")
    qtbot.waitUntil(lambda: laid_out(board))
    assert not whole_in_view(card, panel_kiosk)  # below the fold on every panel
    assert whole_in_view(board.qr_button, panel_kiosk)
    board.qr_button.click()
    assert whole_in_view(card, panel_kiosk)
    assert whole_in_view(board.qr, panel_kiosk)
    assert whole_in_view(board.fingerprint_line, panel_kiosk)  # still beside the title


NOTICE = CampaignNotice(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "เสียงของคุณสำคัญ", "Your voice matters",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip


def test_the_overview_says_when_no_campaign_was_heard(qtbot, kiosk, clock, switcher):
    board = unlock(qtbot, kiosk, clock).dashboard
    assert board.campaign.names.text() == "ยังไม่ได้รับแคมเปญ: ตู้แสดงข้อความต้อนรับและคำขวัญเริ่มต้น"
    assert board.campaign.details.isHidden()
    switcher.set_language("en")
    qtbot.waitUntil(lambda: board.campaign.title.text() == "Campaign on this kiosk")
    assert board.campaign.names.text() == (
        "No campaign heard yet: the kiosk shows the default welcome and slogan."
    )


def test_the_campaign_heard_after_a_send_shows_on_the_overview(
    qtbot, switcher, clock, data_dir, ledger_service, collector
):
    """The collector defines this year's campaign; the kiosk's next pass hears it, and the
    overview names it in both languages, its year and days, and when it was heard (on the
    kiosk's clock, in Thai time)."""
    set_up(data_dir, clock)
    assert enroll(data_dir, collector.url, collector.store.issue_token("3706")).ok
    cast(ledger_service, 2)
    today = datetime.now(THAI_TIME).date()  # the served collector runs on the real clock
    first, last = today - timedelta(days=1), today + timedelta(days=30)
    campaigns.add(
        collector.store,
        campaigns.make(today.year + 543, "ประเมินอำเภอ", "District rating", str(first),
                       str(last), "เสียงของคุณสำคัญ", "Your voice matters"),
    )  # fmt: skip
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    board = unlock(qtbot, kiosk, clock).dashboard
    assert "ยังไม่ได้รับแคมเปญ" in board.campaign.names.text()
    board.sync_button.click()
    qtbot.waitUntil(lambda: board.campaign.details.isVisibleTo(board), timeout=JOB_TIMEOUT_MS)
    assert board.campaign.names.text() == "ประเมินอำเภอ\nDistrict rating"
    months = "มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม"
    months += " พฤศจิกายน ธันวาคม"
    thai = dict(enumerate(months.split(), start=1))
    days = [f"{d.day} {thai[d.month]} {d.year + 543}" for d in (first, last)]
    short = dict(
        enumerate(
            [
                "ม.ค.",
                "ก.พ.",
                "มี.ค.",
                "เม.ย.",
                "พ.ค.",
                "มิ.ย.",
                "ก.ค.",
                "ส.ค.",
                "ก.ย.",
                "ต.ค.",
                "พ.ย.",
                "ธ.ค.",
            ],
            1,
        )
    )
    heard = clock.now().astimezone(THAI_TIME)
    assert board.campaign.details.text().split("\n") == [
        f"ปี พ.ศ. {today.year + 543}",
        f"ตั้งแต่ {days[0]} ถึง {days[1]}",
        f"ได้รับจากระบบกลางล่าสุดเมื่อ {heard.day} {short[heard.month]} {heard.year + 543}"
        f" {heard:%H:%M}",  # a Thai date, as everywhere the clerk reads one; not 2026-12-05
    ]


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_campaign_card_shows_whole_on_every_panel(
    qtbot, switcher, clock, data_dir, ledger_service, panel, language
):
    """A campaign read from a USB stick, its longest names, whole on every panel once in view."""
    key = Ed25519PrivateKey.generate()
    set_up(data_dir, clock, collector_url="http://c", enrolled=True, clerk_language=language,
           collector_key=key.public_key().public_bytes_raw().hex())  # fmt: skip
    long_names = CampaignNotice(
        2569, "อำเภอสร้างสุข ปี ๒๕๖๙ — ความสุขสร้างได้ทุกวัน",
        "Happy District 2569 — happiness, built every day", NOTICE.slogan_th, NOTICE.slogan_en,
        NOTICE.starts_at, NOTICE.ends_at, NOTICE.issued_at,
    )  # fmt: skip
    heard = Heard("2026-11-24T02:30:00.000Z", FROM_USB)
    accept_campaign(data_dir, load_config(data_dir), sign_notice(key, long_names), heard)
    switcher.set_language(language)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    window.resize(panel.width_px, panel.height_px)
    board = unlock(qtbot, window, clock).dashboard
    qtbot.waitUntil(lambda: laid_out(board))
    keep_in_view(board.body_scroll, board.campaign.frame)
    expected = {
        "th": ["ปี พ.ศ. 2569", "ตั้งแต่ 1 พฤศจิกายน 2569 ถึง 30 พฤศจิกายน 2569",
               "อ่านจากแฟลชไดรฟ์เมื่อ 24 พ.ย. 2569 09:30"],
        "en": ["Year 2569 (Buddhist era)", "From 1 November 2026 to 30 November 2026",
               "Read from a USB stick on 24 Nov 2026 09:30"],
    }[language]  # fmt: skip
    assert board.campaign.details.text().split("\n") == expected
    for line in [long_names.name_th, long_names.name_en, *expected]:
        assert shown_whole(window, board, line), f"{line!r} is not shown whole"


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_card_says_plainly_that_the_campaign_ended_and_what_to_do(
    qtbot, switcher, clock, data_dir, ledger_service, panel, language
):
    """The trial: on 6 December 2569 the card still read "from 11 October to 5 December 2569"
    with no word that it had ended. Now it says so, what it means and whom to ask, whole on
    every panel; on its days it says nothing more, and before them when it starts."""
    key = Ed25519PrivateKey.generate()
    set_up(data_dir, clock, collector_url="http://c", enrolled=True, clerk_language=language,
           collector_key=key.public_key().public_bytes_raw().hex())  # fmt: skip
    heard = Heard("2026-11-24T02:30:00.000Z", FROM_USB)
    accept_campaign(data_dir, load_config(data_dir), sign_notice(key, NOTICE), heard)
    clock.set_wall(datetime(2026, 12, 6, 3, 0, tzinfo=UTC))  # six days after its last day
    switcher.set_language(language)
    window = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    window.resize(panel.width_px, panel.height_px)
    assert window.welcome.title.text() != NOTICE.name(language)  # citizens are not told it
    board = unlock(qtbot, window, clock).dashboard
    qtbot.waitUntil(lambda: laid_out(board))
    keep_in_view(board.body_scroll, board.campaign.frame)
    ended = {
        "th": "สิ้นสุดแล้วเมื่อ 30 พฤศจิกายน 2569 ตอนนี้ตู้แสดงคำต้อนรับทั่วไป"
        " และผลการประเมินจะไม่นับเข้าแคมเปญใดจนกว่าส่วนกลางจะส่งแคมเปญถัดไปมา โปรดติดต่อส่วนกลาง",
        "en": "Ended on 30 November 2026. Citizens now see the default welcome, and votes count"
        " in no campaign until the central office sends the next one: ask the central office.",
    }[language]
    assert board.campaign.state.text() == ended
    assert board.campaign.state.property("tone") == "error"
    state = board.campaign.state  # wrapped: all its lines in view, none cut
    assert whole_in_view(state, window)
    assert state.height() >= state.heightForWidth(state.width())
    heard_line = board.campaign.details.text().split("\n")[-1]
    assert "24" in heard_line  # when it was heard, still said
    assert shown_whole(window, board, heard_line)


def test_the_card_says_when_a_campaign_to_come_starts(
    qtbot, switcher, clock, data_dir, ledger_service
):
    key = Ed25519PrivateKey.generate()
    set_up(data_dir, clock, collector_url="http://c", enrolled=True,
           collector_key=key.public_key().public_bytes_raw().hex())  # fmt: skip
    heard = Heard("2026-11-24T02:30:00.000Z", FROM_USB)
    accept_campaign(data_dir, load_config(data_dir), sign_notice(key, NOTICE), heard)
    clock.set_wall(datetime(2026, 10, 25, 3, 0, tzinfo=UTC))
    board = unlock(qtbot, build_kiosk(qtbot, switcher, clock, data_dir, ledger_service), clock)
    board = board.dashboard
    qtbot.waitUntil(lambda: board.campaign.state.isVisibleTo(board))
    assert board.campaign.state.text() == ("เริ่มวันที่ 1 พฤศจิกายน 2569 ก่อนถึงวันนั้นตู้แสดงคำต้อนรับทั่วไป")
    clock.set_wall(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # a day it runs: nothing to add
    board.refresh()
    qtbot.waitUntil(lambda: board.campaign.state.isHidden())


def test_votes_the_central_office_asked_for_again_show_until_they_are_sent(
    qtbot, kiosk, clock, data_dir, ledger_service, switcher
):
    """After the collector was restored from a backup, a receipt listed delivered votes 2-4 as
    missing: the overview says so in Thai (and in English), and no more once they are sent."""
    ledger = ledger_service.ledger
    assert ledger is not None
    ledger.mark_delivered([(1, 5)], "sha256:" + "0" * 64)
    lost = Receipt(ledger.kiosk_id, None, [], [], [(1, 1), (5, 5)], [(2, 4)], "")
    assert learn_missing(ledger, lost) == 3
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    assert "ต้องส่งซ้ำ 3 รายการ (ส่วนกลางขอให้ส่งอีกครั้ง)" in board.sync_state.text()
    switcher.set_language("en")
    board.refresh()
    qtbot.waitUntil(lambda: "3 votes to send again" in board.sync_state.text())
    assert "(the central office asked for them)" in board.sync_state.text()
    resend_accepted(data_dir, [(2, 4)])  # as a receipt accepting them does
    board.refresh()
    qtbot.waitUntil(lambda: "send again" not in board.sync_state.text())


def test_every_rating_row_of_the_chart_has_room_for_its_label_on_every_panel(
    qtbot, switcher, clock, data_dir, ledger_service, panel
):
    # A kiosk not enrolled has a short sync card beside the chart: at 1920×1200 the chart kept
    # its 230 px while its labels grew with the type, and Qt left out "Very satisfied".
    set_up(data_dir, clock)
    five_votes(ledger_service)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    kiosk.resize(panel.width_px, panel.height_px)
    area = unlock(qtbot, kiosk, clock)
    board = area.dashboard
    chart = board.chart
    qtbot.waitUntil(lambda: bool(chart.series()))
    (categories, _values) = sorted(chart.axes(), key=lambda a: a.orientation() != Qt.Vertical)
    label_px = QFontMetrics(categories.labelsFont()).height()
    # Laid out once drawn: the labels then take their room beside and below the bars.
    qtbot.waitUntil(lambda: chart.plotArea().left() > label_px)
    # The design (1024×600) gives a row 1.67 label heights; Qt drops a label with much less.
    assert chart.plotArea().height() / 5 >= 1.5 * label_px
