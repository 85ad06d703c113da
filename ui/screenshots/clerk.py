"""The district clerk's screens, in Thai and English, as PNG files (for ``python -m ui.screenshots``).

Each language gets a fresh kiosk in a temporary folder, made to look like one that has been in
use: set up for Hua Taphan, enrolled, the demo roster, 140 votes over two days of which 100
were delivered, the campaign heard from the collector, the last send failed for want of
internet, and a USB stick plugged in. Changing the district office is shown on a kiosk set up
a moment ago (not enrolled, no vote yet), the setup wizard on a brand-new kiosk, and the
settings (the token, enrolling by USB stick) and the USB export of a kiosk set up without
internet (not enrolled: its request goes on the stick too) on another. Clocks stand still, so shots repeat.
"""

from __future__ import annotations

import functools
import random
import tempfile
import time
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from packaging.version import Version
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter

from kiosk.campaign import FROM_COLLECTOR, Heard, accept_campaign
from kiosk.config import KioskConfig, save_config
from kiosk.demo import DEMO_ROSTER, random_ballot
from kiosk.drives import Drive
from kiosk.flow import Flow, FlowSettings
from kiosk.folders import Place
from kiosk.ledger import Ledger
from kiosk.pin import MAX_FAILURES, PinStore
from kiosk.resend import learn_missing, resend_accepted
from kiosk.roster import save_roster
from kiosk.syncstate import SyncState, load_sync_state, save_sync_state
from kiosk.update_install import InstallPaths, point, write_state
from kiosk.update_reasons import expired
from kiosk.updates import Updates, running_version
from sync.operations import SyncOutcome
from sync.worker import SyncReport
from ui.app import KioskWindow
from ui.clerk.area import ClerkArea
from ui.clerk.widgets import keep_in_view
from ui.i18n import LanguageSwitcher
from ui.screenshots.citizen import CAMPAIGN
from ui.screenshots.shared import Inspect, StillClock, settle
from ui.speech import SpeechGuide
from ui.startup import build_main_window, create_application
from wire import keys
from wire.campaign import CampaignNotice, sign_notice
from wire.clock import format_utc
from wire.receipt import Receipt
from wire.vote import LANGUAGES, Ballot, Target

PIN: Final = "482916"
NEXT_CAMPAIGN: Final = CampaignNotice(
    2570, "ประเมินความพึงพอใจอำเภอ ปี 2570", "District satisfaction 2570",
    CAMPAIGN.slogan_th, CAMPAIGN.slogan_en,
    "2026-12-05T17:00:00.000Z", "2027-03-31T17:00:00.000Z", "2026-11-20T03:00:00.000Z",
)  # fmt: skip
NEXT_NOTICE_SUFFIX: Final = "-next.campaign.json"  # beside the kiosk's folder, off the stick
STICK_NOTICE: Final = "sangsuk-2570.campaign.json"
STICK_BYTES: Final = (7_400_000_000, 15_500_000_000)


def _settle(area: ClerkArea | None = None) -> None:
    """Deliver pending events, and wait for the clerk's background jobs to report."""
    for _ in range(200):
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        if area is None or not area.runner.busy():
            break
        time.sleep(0.02)
    settle()


def _used_kiosk(folder: Path, clock: StillClock) -> None:
    """A kiosk set up, enrolled, with a roster, votes, a campaign, a failed send and a PIN."""
    collector = Ed25519PrivateKey.generate()
    collector_key = collector.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    config = KioskConfig(
        district="3706",
        demo=False,
        enrolled=True,
        collector_url="https://sangsuk.example.go.th",
        collector_key=collector_key.hex(),
        size_group="small",
    )
    save_config(folder, config)
    save_roster(folder, DEMO_ROSTER)
    key = keys.load_or_create(folder)
    rng = random.Random(7)
    with Ledger.open(folder, key, clock) as ledger:
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(100)])
        ledger.mark_delivered([(1, 100)], "sha256:" + "0" * 64)
        clock.advance(86400)
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(38)])
        ledger.cast(
            Ballot("3706", 5, Target("staff", "s01"), story="เจ้าหน้าที่ช่วยกรอกเอกสารให้คุณยาย ใจดีมากค่ะ")
        )
        ledger.cast(Ballot("3706", 4, Target("unit", "id-card"), story="ทำบัตรใหม่ไม่ถึงสิบนาที"))
    state = SyncState().succeeded(format_utc(clock.now()))
    heard = Heard(format_utc(clock.now()), FROM_COLLECTOR)  # asked after that send
    accept_campaign(folder, config, sign_notice(collector, CAMPAIGN), heard)
    # The next year's notice, as the central office writes it to a stick (read in the shots).
    (folder.parent / f"{folder.name}{NEXT_NOTICE_SUFFIX}").write_bytes(
        sign_notice(collector, NEXT_CAMPAIGN)
    )
    clock.advance(3 * 3600)
    save_sync_state(folder, state.failed(format_utc(clock.now()), "unreachable", "cannot reach"))
    PinStore(folder, clock).set_first(PIN)


def _offline_kiosk(folder: Path, clock: StillClock) -> None:
    """A kiosk set up without internet: not enrolled, 40 votes waiting for a USB stick, a PIN."""
    save_config(folder, KioskConfig(district="3706", demo=False))
    save_roster(folder, DEMO_ROSTER)
    rng = random.Random(11)
    with Ledger.open(folder, keys.load_or_create(folder), clock) as ledger:
        ledger.cast_many([random_ballot(rng, "3706") for _ in range(40)])
    PinStore(folder, clock).set_first(PIN)


def _window(
    folder: Path, switcher: LanguageSwitcher, clock: StillClock, size: QSize
) -> KioskWindow:
    from kiosk.config import load_config

    # The clerk's screens in the language being rendered (a technician's clerk_language).
    config = load_config(folder).with_changes(clerk_language=switcher.language)
    flow = Flow(config.district, clock, FlowSettings(default_language=switcher.language))
    window = build_main_window(  # no voice: the pictures need none, and none is started
        config, switcher, windowed=True, flow=flow, data_dir=folder, speech=SpeechGuide(None)
    )
    window.timer.stop()
    window.resize(size)
    window.show()
    _settle()
    window.open_clerk()
    _settle(window.clerk)
    return window


Shot = Callable[[ClerkArea, Path], None]


def _with_stick(shot: Shot, stick: Path, area: ClerkArea) -> None:
    shot(area, stick)


def _pin(area: ClerkArea, stick: Path) -> None:
    area.pin_screen.pad.type_pin("4829")


def _pin_locked(area: ClerkArea, stick: Path) -> None:
    for _ in range(MAX_FAILURES):
        area.pins.check("000111")
    area.pin_screen.refresh()


def _unlocked(area: ClerkArea) -> None:
    area.show_page(area.dashboard)
    _settle(area)


def _dashboard(area: ClerkArea, stick: Path) -> None:
    _unlocked(area)


def _dashboard_campaign(area: ClerkArea, stick: Path) -> None:
    """The overview scrolled to the campaign the kiosk shows."""
    _unlocked(area)
    keep_in_view(area.dashboard.body_scroll, area.dashboard.campaign.frame)


def _dashboard_campaign_ended(area: ClerkArea, stick: Path) -> None:
    """The campaign card six days after the campaign's last day (30 November 2569): it says
    it ended, that votes now count in no campaign, and to ask the central office."""
    assert isinstance(area.clock, StillClock)
    area.clock.wall = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
    area.dashboard.refresh()
    _dashboard_campaign(area, stick)


def _asked_again(area: ClerkArea) -> None:
    """The central collector was restored from a backup: a receipt listed delivered votes 61-72
    as missing, so they wait to be sent again (learnt once; a second time adds nothing)."""
    key = keys.load_or_create(area.data_dir)
    with Ledger.open(area.data_dir, key) as ledger:
        missing = Receipt(key.kiosk_id, None, [], [], [(1, 100)], [(61, 72)], "")
        learn_missing(ledger, missing)


def _dashboard_resend(area: ClerkArea, stick: Path) -> None:
    """The overview with votes 61-72 to send again."""
    _asked_again(area)
    area.dashboard.refresh()
    _unlocked(area)


def _export_resend(area: ClerkArea, stick: Path) -> None:
    """The stick's plan with votes 61-72 asked for again beside the 40 not yet delivered: said
    apart, never as 52 votes not yet delivered."""
    _asked_again(area)
    _export(area, stick)


def _dashboard_checked(area: ClerkArea, stick: Path) -> None:
    """The overview after "Send now" with nothing to send: the kiosk checked in, and the
    collector's receipt listed no gap (sync/worker.py)."""
    key = keys.load_or_create(area.data_dir)
    with Ledger.open(area.data_dir, key) as ledger:
        last = ledger.head()[0]
        ledger.mark_delivered([(1, last)], "screenshot")  # everything went out earlier
    resend_accepted(area.data_dir, [(1, last)])
    state = load_sync_state(area.data_dir)
    at = state.last_attempt or format_utc(datetime(2026, 11, 25, 6, 0, tzinfo=UTC))
    save_sync_state(area.data_dir, state.answered(at).succeeded(at))
    area.dashboard.refresh()
    _unlocked(area)
    board = area.dashboard
    board._waiting = True  # as after the clerk's tap
    board._synced(SyncOutcome(SyncReport(checked=True, answered=True), 0, last))
    _settle(area)
    keep_in_view(board.body_scroll, board.sync_message)
    _settle(area)


def _roster(area: ClerkArea, stick: Path) -> None:
    _unlocked(area)
    area.show_page(area.roster_editor)
    area.roster_editor.select("s09")


def _roster_form(area: ClerkArea, stick: Path) -> None:
    _unlocked(area)
    area.show_page(area.roster_editor)
    area.roster_editor.add()
    _settle(area)
    area.roster_editor.form.name_th.clearFocus()  # the form opened with it, keyboard closed
    area.roster_editor.form.name_th.setFocus(Qt.FocusReason.MouseFocusReason)  # as a tap
    _settle(area)
    area.keyboard.type_text("นางสาวมาลี ศรีสุข")


def _export(area: ClerkArea, stick: Path) -> None:
    _unlocked(area)
    area.export._drives = lambda: [Drive(stick, "KINGSTON", *STICK_BYTES)]
    area.show_page(area.export)


def _export_done(area: ClerkArea, stick: Path) -> None:
    _export(area, stick)
    _settle(area)
    area.export.export()
    _settle(area)


def _export_campaign_foreign(area: ClerkArea, stick: Path) -> None:
    """A stick whose campaign notice another central office signed: not used, and said so."""
    notice = sign_notice(Ed25519PrivateKey.generate(), NEXT_CAMPAIGN)
    (stick / STICK_NOTICE).write_bytes(notice)
    _export(area, stick)
    _settle(area)
    area.export.import_receipts()
    _settle(area)


def _export_campaign_read(area: ClerkArea, stick: Path) -> None:
    """A stick carrying only the central office's notice of campaign 2570: read, said in the
    ok tone with its days, and that there are no receipts yet."""
    data_dir = area.data_dir
    (stick / STICK_NOTICE).write_bytes(
        (data_dir.parent / f"{data_dir.name}{NEXT_NOTICE_SUFFIX}").read_bytes()
    )
    _export(area, stick)
    _settle(area)
    area.export.import_receipts()
    _settle(area)


def _export_folder(area: ClerkArea, stick: Path) -> None:
    """The plan for a folder the clerk chose on the stick: the stick's name and the folder's."""
    _export(area, stick)
    _settle(area)
    folder = stick / "sangsuk_export_2569"
    folder.mkdir(exist_ok=True)
    area.export.set_target(folder)


def _stick_folders(stick: Path) -> None:
    """What a clerk's stick holds: folders named in Thai and English, staff photos."""
    for name in ("ส่งอำเภอ", "รูปถ่ายเจ้าหน้าที่", "เอกสารประชุม", "Backup 2567"):
        (stick / name).mkdir(exist_ok=True)
    photos = stick / "รูปถ่ายเจ้าหน้าที่"
    (photos / "ปี 2566").mkdir(exist_ok=True)
    _portrait(photos / "มาลี ศรีสุข.jpg", "#2B1D16", "#1D6B55", "#DCE8F2", long_hair=True)
    _portrait(photos / "สมชาย ใจดี.png", "#1A1A1A", "#E9A83B", "#F2E6D6", long_hair=False)
    _portrait(photos / "somsri.jpeg", "#4A2F22", "#8E3B5E", "#E4EFE0", long_hair=True)
    # A document renamed .png: the picker says it is no picture and does not offer it.
    (photos / "หนังสือเวียน.png").write_bytes(b"PK\x03\x04 a spreadsheet, renamed")


def _portrait(path: Path, hair: str, shirt: str, backdrop: str, *, long_hair: bool) -> None:
    """A drawn staff photo (a face, hair and shirt, 600x800), as the picker shows it small."""
    image = QImage(600, 800, QImage.Format.Format_RGB32)
    image.fill(QColor(backdrop))
    paint = QPainter(image)
    paint.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint.setPen(Qt.PenStyle.NoPen)
    paint.setBrush(QColor(shirt))
    paint.drawEllipse(QRectF(60, 600, 480, 420))
    paint.setBrush(QColor(hair))
    if long_hair:
        paint.drawRoundedRect(QRectF(140, 140, 320, 480), 150, 150)
    paint.setBrush(QColor("#D9A57E"))
    paint.drawRect(QRectF(255, 480, 90, 140))
    paint.drawEllipse(QRectF(175, 190, 250, 320))
    paint.setBrush(QColor(hair))
    paint.drawChord(QRectF(165, 160, 270, 220), 0, 180 * 16)
    paint.setBrush(QColor("#2A2723"))
    paint.drawEllipse(QRectF(240, 330, 26, 26))
    paint.drawEllipse(QRectF(334, 330, 26, 26))
    paint.setPen(QColor("#8C4A3C"))
    paint.setBrush(Qt.BrushStyle.NoBrush)
    paint.drawArc(QRectF(255, 380, 90, 60), 200 * 16, 140 * 16)
    paint.end()
    if not image.save(str(path), None, 85):  # the format by the suffix (.png, .jpg, .jpeg)
        raise OSError(f"could not write {path}")


def _export_picker(area: ClerkArea, stick: Path) -> None:
    """The folder picker, from the export page, at the places to start from."""
    _export(area, stick)
    _settle(area)
    _stick_folders(stick)
    area.export.folder_button.click()


def _export_picker_stick(area: ClerkArea, stick: Path) -> None:
    """The folder picker inside the stick: its folders, Up, Cancel, Use this folder."""
    _export_picker(area, stick)
    _settle(area)
    area.export.picker.open_place(Place(stick, "drive", "KINGSTON", STICK_BYTES[0]))


def _export_picker_pulled(area: ClerkArea, stick: Path) -> None:
    """The folder picker on a folder that is not there any more (the stick was pulled out)."""
    _export_picker_stick(area, stick)
    _settle(area)
    area.export.picker.open_folder(stick / "ส่งอำเภอ" / "ถอดออกแล้ว")


def _roster_photo_picker(area: ClerkArea, stick: Path) -> None:
    """The photo picker, from the staff form, in a folder of photos on the stick."""
    _roster_form(area, stick)
    _stick_folders(stick)
    roster = area.roster_editor
    roster.picker._drives = lambda: [Drive(stick, "KINGSTON", *STICK_BYTES)]
    roster.form.photo_button.click()
    _settle(area)
    roster.picker.open_place(Place(stick, "drive", "KINGSTON", STICK_BYTES[0]))
    _settle(area)
    roster.picker.open_folder(stick / "รูปถ่ายเจ้าหน้าที่")  # _settle waits for the pictures


def _settings(area: ClerkArea, stick: Path) -> None:
    _unlocked(area)
    area.show_page(area.settings)


def _settings_usb(area: ClerkArea, stick: Path) -> None:
    """Settings scrolled to enrolling by USB stick, the request just written to the stick."""
    _settings(area, stick)
    area.settings.usb._drives = lambda: [Drive(stick, "KINGSTON", *STICK_BYTES)]
    area.settings.usb.write_request()
    _settle(area)
    keep_in_view(area.settings.main_view, area.settings.usb.message)


def _settings_enrol_again(area: ClerkArea, stick: Path) -> None:
    """Settings of an enrolled kiosk, "Enrol again with a new token" tapped: the fields unfold."""
    _settings(area, stick)
    area.settings.enroll_again_button.click()
    _settle(area)
    keep_in_view(area.settings.main_view, area.settings.enroll_again_button)


def _settings_district(area: ClerkArea, stick: Path | None = None) -> None:
    """Settings scrolled to the district office: why it stays, or the way to change it."""
    _unlocked(area)
    area.show_page(area.settings)
    _settle(area)
    frame = area.settings.district.frame
    assert frame is not None
    keep_in_view(area.settings.main_view, frame)


def _change_pin(area: ClerkArea, stick: Path) -> None:
    _settings(area, stick)
    area.settings.open_change_pin()
    area.settings.change_pin.pad.type_pin("48")


def _updates(area: ClerkArea, stick: Path, state: dict[str, Any]) -> None:
    """The overview scrolled to its Updates card, on an installation whose state is state."""
    _unlocked(area)
    running = running_version()
    paths = InstallPaths(stick.parent / "opt")
    if not paths.current.is_symlink():
        paths.version_dir(running).mkdir(parents=True)
        point(paths.current, running)
    write_state(paths, state)
    scheduler = area.host.update_scheduler
    assert scheduler is not None
    scheduler.updates = Updates(paths.root, running=running)  # as if installed under /opt
    scheduler.status = scheduler.updates.status()
    area.dashboard.updates.render()
    _settle(area)
    keep_in_view(area.dashboard.body_scroll, area.dashboard.updates.frame)


def _newer() -> str:
    running = Version(running_version())
    return f"{running.major}.{running.minor + 1}.0"


def _updates_pending(area: ClerkArea, stick: Path) -> None:
    source = "https://sangsuk.example.go.th/updates"
    at = format_utc(datetime(2026, 11, 25, 6, 30, tzinfo=UTC))
    version = _newer()
    check = {
        "at": at,
        "th": f"เตรียมรุ่น {version} แล้ว: ติดตั้งเมื่อไม่มีผู้ใช้",
        "en": f"Version {version} is ready: it is applied when nobody is voting.",
        "source": source,
    }
    _updates(
        area,
        stick,
        {"pending": {"version": version, "source": source, "at": at}, "last_check": check},
    )


def _updates_refused(area: ClerkArea, stick: Path) -> None:
    at = format_utc(datetime(2026, 11, 25, 6, 30, tzinfo=UTC))
    reason = expired("timestamp", datetime(2026, 11, 20, 0, 0, tzinfo=UTC))
    refusal = {"kind": str(reason.kind), "th": reason.th, "en": reason.en, "at": at}
    check = {"at": at, "th": reason.th, "en": reason.en}
    _updates(area, stick, {"last_refusal": refusal, "last_check": check})


USED_KIOSK_SHOTS: Final[dict[str, Shot]] = {
    "clerk-pin": _pin,
    "clerk-pin-locked": _pin_locked,
    "clerk-dashboard": _dashboard,
    "clerk-dashboard-campaign": _dashboard_campaign,
    "clerk-dashboard-campaign-ended": _dashboard_campaign_ended,
    "clerk-updates-pending": _updates_pending,
    "clerk-updates-refused": _updates_refused,
    "clerk-roster": _roster,
    "clerk-roster-form": _roster_form,
    "clerk-roster-photo-picker": _roster_photo_picker,
    "clerk-settings": _settings,  # enrolled: where, and "Enrol again with a new token"
    "clerk-settings-enrol-again": _settings_enrol_again,
    "clerk-settings-district-locked": _settings_district,  # enrolled, with votes
    "clerk-change-pin": _change_pin,
    "clerk-export": _export,
    "clerk-export-folder": _export_folder,  # a folder on the stick, its name with underscores
    "clerk-export-picker": _export_picker,
    "clerk-export-picker-stick": _export_picker_stick,
    "clerk-export-picker-pulled": _export_picker_pulled,
    "clerk-export-done": _export_done,  # it exports the votes
    "clerk-export-campaign-foreign": _export_campaign_foreign,
    "clerk-export-campaign-read": _export_campaign_read,  # it keeps campaign 2570
    "clerk-dashboard-resend": _dashboard_resend,  # it leaves votes to send again
    "clerk-export-resend": _export_resend,  # it leaves votes to send again
    "clerk-dashboard-checked": _dashboard_checked,  # last: it marks every vote delivered
}


OFFLINE_KIOSK_SHOTS: Final[dict[str, Shot]] = {
    "clerk-dashboard-not-enrolled": _dashboard,  # "Send now" off, and why beside it
    "clerk-settings-not-enrolled": _settings,  # the token field, "Enrol now", the USB stick
    "clerk-settings-usb": _settings_usb,
    "clerk-export-not-enrolled": _export,
    "clerk-export-not-enrolled-done": _export_done,  # last: it exports the votes
}


def _setup_place(area: ClerkArea) -> None:
    """The province found by typing on the on-screen keyboard, as a clerk does: it is offered
    beside the field for the clerk to tap, and the keyboard stays open."""
    area.setup.next()
    area.setup.picker.province_search.setFocus(Qt.FocusReason.MouseFocusReason)  # as a tap
    _settle(area)
    area.keyboard.type_text("อำนาจ")


def _setup_pin(area: ClerkArea) -> None:
    area.setup.next()
    area.setup.choose_province("37")
    area.setup.choose_district("3706")
    area.setup.next()
    area.setup.pin_pad.type_pin("48291")


def _setup_collector(area: ClerkArea) -> None:
    _setup_pin(area)
    area.setup.pin_pad.type_pin("6")
    area.setup.pin_pad.submit()
    area.setup.pin_pad.type_pin(PIN)
    area.setup.pin_pad.submit()
    area.setup.url.setText("https://sangsuk.example.go.th")
    area.setup.token.setText("kM3v-9QpX-2hTz")
    area.setup._choose_enroll(True)


def _setup_review(area: ClerkArea) -> None:
    _setup_collector(area)
    area.setup.next()


def _set_up_kiosk(folder: Path, clock: StillClock) -> None:
    """A kiosk set up for Hua Taphan a moment ago: not enrolled, nobody has voted yet."""
    save_config(folder, KioskConfig(district="3706", demo=False))
    save_roster(folder, DEMO_ROSTER)
    PinStore(folder, clock).set_first(PIN)


def _change_district(area: ClerkArea) -> None:
    """The district office being chosen again: Chiang Mai's district chosen, keyboard hidden."""
    _settings_district(area)
    area.settings.open_change_district()
    picker = area.settings.change_district.picker
    picker.pick_province("50")
    picker.pick_district("5001")


def _change_district_keys(area: ClerkArea) -> None:
    """The district searched on the keyboard: the one name left is offered beside the field."""
    _settings_district(area)
    area.settings.open_change_district()
    picker = area.settings.change_district.picker
    picker.pick_province("50")
    picker.district_search.setFocus(Qt.FocusReason.MouseFocusReason)  # as a tap
    _settle(area)
    area.keyboard.type_text("เมืองเชียง")


def _district_changed(area: ClerkArea) -> None:
    """The district office just changed: Settings says so under the card."""
    _change_district(area)
    area.settings.change_district.save()
    _settle(area)
    frame = area.settings.district.frame
    assert frame is not None
    keep_in_view(area.settings.main_view, frame)


SET_UP_SHOTS: Final[dict[str, Callable[[ClerkArea], None]]] = {
    "clerk-settings-district": _settings_district,
    "clerk-change-district": _change_district,
    "clerk-change-district-keys": _change_district_keys,
    "clerk-district-changed": _district_changed,
}

SETUP_SHOTS: Final[dict[str, Callable[[ClerkArea], None]]] = {
    "clerk-setup-screen": lambda area: None,
    "clerk-setup-place": _setup_place,
    "clerk-setup-pin": _setup_pin,
    "clerk-setup-collector": _setup_collector,
    "clerk-setup-review": _setup_review,
}


def render_clerk_screens(
    out_dir: Path,
    *,
    size: QSize,
    languages: Sequence[str] = LANGUAGES,
    inspect: Inspect | None = None,
    only: Collection[str] | None = None,
) -> list[Path]:
    """Render every clerk screen (or those ``only`` names) in every language to
    out_dir/<screen>-<language>.png.

    ``inspect`` (the checks of every supported screen) sees each window just before its picture.
    """

    def wanted(shots: dict[str, Any]) -> dict[str, Any]:
        return shots if only is None else {k: v for k, v in shots.items() if k in only}

    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    switcher = LanguageSwitcher(app)
    written: list[Path] = []
    try:
        for language in languages:
            switcher.set_language(language)
            with tempfile.TemporaryDirectory(prefix="sangsuk-clerk-shots-") as tmp:
                root = Path(tmp)
                kiosks = (
                    ("used", _used_kiosk, wanted(USED_KIOSK_SHOTS)),
                    ("offline", _offline_kiosk, wanted(OFFLINE_KIOSK_SHOTS)),
                )
                for kind, make, shots in kiosks:
                    stick = root / kind / "KINGSTON"  # a stick of its own for each kiosk
                    stick.mkdir(parents=True)
                    folder = root / f"{kind}-kiosk"
                    folder.mkdir()
                    make(folder, StillClock())
                    for name, shot in shots.items():
                        clock = StillClock()
                        clock.advance(86400 + 4 * 3600)
                        written.append(
                            _grab(
                                out_dir,
                                name,
                                language,
                                folder,
                                switcher,
                                clock,
                                size,
                                functools.partial(_with_stick, shot, stick),
                                inspect,
                            )
                        )
                for name, step in wanted({**SET_UP_SHOTS, **SETUP_SHOTS}).items():
                    fresh = root / f"fresh-{name}"
                    fresh.mkdir()
                    if name in SET_UP_SHOTS:  # set up a moment ago; else brand-new, in demo
                        _set_up_kiosk(fresh, StillClock())
                    written.append(
                        _grab(
                            out_dir,
                            name,
                            language,
                            fresh,
                            switcher,
                            StillClock(),
                            size,
                            step,
                            inspect,
                        )
                    )
    finally:
        switcher.uninstall()
        switcher.deleteLater()
    return written


def _grab(
    out_dir: Path,
    name: str,
    language: str,
    folder: Path,
    switcher: LanguageSwitcher,
    clock: StillClock,
    size: QSize,
    bring_up: Callable[[ClerkArea], None],
    inspect: Inspect | None = None,
) -> Path:
    window = _window(folder, switcher, clock, size)
    area = window.clerk
    assert area is not None
    try:
        bring_up(area)
        _settle(area)
        if inspect is not None:
            inspect(f"{name}-{language}", window)
        path = out_dir / f"{name}-{language}.png"
        if not window.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        return path
    finally:
        area.shutdown()
        window.shutdown()
        window.deleteLater()
        _settle()


def clerk_screen_names() -> list[str]:
    """The name of every clerk screen the script renders."""
    return [*USED_KIOSK_SHOTS, *OFFLINE_KIOSK_SHOTS, *SET_UP_SHOTS, *SETUP_SHOTS]
