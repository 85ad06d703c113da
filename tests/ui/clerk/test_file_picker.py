"""The clerk's folder and photo picker: real widgets on a real folder tree, tapped as a finger does.

The picker alone (folder and photo mode), then as the export screen and the roster form use it.
A folder the kiosk may not read is shown by a child process running as nobody (chmod does not
stop root): tests/ui/clerk/picker_as_nobody.py.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QListWidgetItem, QStyle

from kiosk.drives import Drive
from kiosk.folders import MAX_THUMBNAILS, Place
from kiosk.roster import load_roster
from kiosk.setup import SUPPORTED_PANELS
from tests.ui.clerk.helpers import (
    JOB_TIMEOUT_MS,
    build_kiosk,
    cast,
    idle,
    set_up,
    tap_field,
    unlock,
)
from ui.clerk.file_picker import FilePicker
from ui.clerk.thumbnails import plain_icon
from ui.tasks import TaskRunner
from ui.widgets.sizes import assume_dpi

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """A stick with Thai and English folders, photos and things that are not photos."""
    root = tmp_path / "media" / "clerk" / "KINGSTON"
    (root / "รูปถ่าย" / "2567").mkdir(parents=True)
    (root / "เอกสาร").mkdir()
    (root / "Backup").mkdir()
    (root / ".Trash-1000").mkdir()
    for name in ("มาลี.png", "somchai.JPG"):
        image = QImage(32, 32, QImage.Format.Format_RGB32)
        image.fill(QColor("#336699"))
        assert image.save(str(root / "รูปถ่าย" / name), "PNG")
    (root / "รูปถ่าย" / "notes.txt").write_text("not a photo")
    return root


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    done = TaskRunner()
    yield done
    done.wait()


def make_picker(qtbot, runner: TaskRunner, stick: Path, mode: str) -> FilePicker:
    picker = FilePicker(mode, runner, lambda: [Drive(stick, "KINGSTON", 3_400_000_000, 8 << 30)])  # type: ignore[arg-type]
    qtbot.addWidget(picker)
    picker.resize(1024, 520)
    picker.show()
    qtbot.waitExposed(picker)
    return picker


def rows(picker: FilePicker) -> list[str]:
    return [picker.list.item(i).text() for i in range(picker.list.count())]


def shows(qtbot, picker: FilePicker, action: Callable[[], object]) -> None:
    """Do action (a tap) and wait until the picker shows what it leads to."""
    with qtbot.waitSignal(picker.shown_folder, timeout=JOB_TIMEOUT_MS):
        action()


def tap_row(picker: FilePicker, starts: str) -> Callable[[], None]:
    """A finger's tap on the row whose text starts with starts."""

    def tap() -> None:
        (item,) = [
            picker.list.item(i)
            for i in range(picker.list.count())
            if picker.list.item(i).text().startswith(starts)
        ]
        picker.list.scrollToItem(item)
        point = picker.list.visualItemRect(item).center()
        QTest.mouseClick(
            picker.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
        )

    return tap


def test_down_into_a_thai_folder_up_again_and_use_it(qtbot, switcher, runner, stick) -> None:
    picker = make_picker(qtbot, runner, stick, "folder")
    chosen: list[Path] = []
    shows(qtbot, picker, lambda: picker.ask(chosen.append))
    assert picker.title.text() == "เลือกโฟลเดอร์"
    assert rows(picker)[0] == "แฟลชไดรฟ์ KINGSTON (ว่าง 3.2 GB)"
    assert rows(picker)[1:] == ["โฟลเดอร์หลัก", "ทั้งเครื่อง (ทุกโฟลเดอร์)"]
    assert not picker.up_button.isEnabled()
    assert not picker.use_button.isEnabled()

    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์ KINGSTON"))
    assert picker.where.text() == "แฟลชไดรฟ์ KINGSTON"
    assert rows(picker) == ["Backup", "รูปถ่าย", "เอกสาร"]  # no hidden folder, no file
    shows(qtbot, picker, tap_row(picker, "รูปถ่าย"))
    assert picker.where.text() == "แฟลชไดรฟ์ KINGSTON › รูปถ่าย"
    assert rows(picker) == ["2567"]
    shows(qtbot, picker, tap_row(picker, "2567"))
    assert rows(picker) == []
    assert "ในนี้ไม่มีโฟลเดอร์ย่อย" in picker.message.text()
    shows(qtbot, picker, picker.up_button.click)
    assert picker.where.text() == "แฟลชไดรฟ์ KINGSTON › รูปถ่าย"
    shows(qtbot, picker, picker.up_button.click)
    shows(qtbot, picker, picker.up_button.click)  # from the stick itself: the places again
    assert rows(picker)[0].startswith("แฟลชไดรฟ์ KINGSTON")

    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์"))
    shows(qtbot, picker, tap_row(picker, "รูปถ่าย"))
    assert picker.use_button.isEnabled()
    with qtbot.waitSignal(picker.closed, timeout=1000):
        picker.use_button.click()
    assert chosen == [stick / "รูปถ่าย"]
    assert not picker.active()


def test_a_photo_is_chosen_by_a_tap_and_only_photos_are_listed(
    qtbot, switcher, runner, stick
) -> None:
    picker = make_picker(qtbot, runner, stick, "photo")
    chosen: list[Path] = []
    shows(qtbot, picker, lambda: picker.ask(chosen.append))
    assert picker.title.text() == "เลือกรูปถ่าย"
    assert not picker.use_button.isVisible()  # a tap on the photo chooses it
    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์"))
    shows(qtbot, picker, tap_row(picker, "รูปถ่าย"))
    assert [row.split(" · ")[0] for row in rows(picker)] == ["2567", "somchai.JPG", "มาลี.png"]
    assert rows(picker)[2].endswith(" KB") or rows(picker)[2].endswith(" B")
    with qtbot.waitSignal(picker.chosen, timeout=1000) as told:
        tap_row(picker, "somchai.JPG")()
    assert told.args == [stick / "รูปถ่าย" / "somchai.JPG"]
    assert chosen == [stick / "รูปถ่าย" / "somchai.JPG"]


def test_cancel_chooses_nothing(qtbot, switcher, runner, stick) -> None:
    picker = make_picker(qtbot, runner, stick, "photo")
    chosen: list[Path] = []
    shows(qtbot, picker, lambda: picker.ask(chosen.append))
    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์"))
    assert picker.cancel_button.text() == "ยกเลิก"
    with qtbot.waitSignal(picker.cancelled, timeout=1000):
        picker.cancel_button.click()
    assert chosen == []
    assert not picker.active()


def test_a_folder_that_vanishes_says_so_and_the_picker_still_works(
    qtbot, switcher, runner, stick
) -> None:
    picker = make_picker(qtbot, runner, stick, "folder")
    shows(qtbot, picker, lambda: picker.ask(lambda _path: None))
    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์"))
    shutil.rmtree(stick / "เอกสาร")  # gone between the listing and the tap
    shows(qtbot, picker, tap_row(picker, "เอกสาร"))
    assert picker.message.property("tone") == "error"
    assert picker.message.text().startswith("ไม่พบโฟลเดอร์นี้แล้ว แฟลชไดรฟ์ถูกถอดออกหรือไม่")
    assert picker.where.text() == "แฟลชไดรฟ์ KINGSTON › เอกสาร"
    assert rows(picker) == []
    assert not picker.use_button.isEnabled()  # a folder not there cannot be exported to
    switcher.set_language("en")  # every widget is told, by an event
    qtbot.waitUntil(lambda: "was the USB stick pulled out?" in picker.message.text())
    shows(qtbot, picker, picker.up_button.click)
    assert rows(picker) == ["Backup", "รูปถ่าย"]
    assert picker.message.property("tone") == "info"
    shutil.rmtree(stick)  # the whole stick pulled out
    shows(qtbot, picker, tap_row(picker, "Backup"))
    assert "not there any more" in picker.message.text()
    shows(qtbot, picker, picker.up_button.click)
    shows(qtbot, picker, picker.up_button.click)
    assert picker.place is None  # back at the places, read afresh


def test_reading_happens_off_the_gui_thread_and_a_late_answer_is_dropped(
    qtbot, switcher, runner, tmp_path
) -> None:
    big = tmp_path / "scans"
    big.mkdir()
    for index in range(3000):
        (big / f"scan{index:05d}.jpg").touch()
    picker = make_picker(qtbot, runner, tmp_path, "photo")
    picker.place = Place(tmp_path, "drive", "KINGSTON", 0)
    shows(qtbot, picker, lambda: picker.open_folder(tmp_path))
    picker.open_folder(big)  # returns at once: the folder is read on the pool
    assert picker.loading
    assert picker.message.text() == "กำลังเปิด…"
    assert picker.up_button.isEnabled()  # the clerk can still go elsewhere meanwhile
    shows(qtbot, picker, picker.up_button.click)
    assert picker.folder == tmp_path
    runner.wait()  # the big folder's answer comes, and is dropped
    qtbot.waitUntil(lambda: not runner.busy(), timeout=JOB_TIMEOUT_MS)
    assert picker.folder == tmp_path
    assert rows(picker) == ["scans"]


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A folder anyone may walk into (pytest's own are its owner's only)."""
    with tempfile.TemporaryDirectory(prefix="sangsuk-picker-") as name:
        Path(name).chmod(0o755)
        yield Path(name)


def test_a_folder_the_kiosk_may_not_read_is_said_in_the_page(open_tmp: Path) -> None:
    """As nobody, in a child process: root reads every folder."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root, and no setpriv to become nobody")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    tmp_path = open_tmp
    tree = tmp_path / "tree"
    (tree / "ลับ").mkdir(parents=True)
    (tree / "เปิดได้").mkdir()
    (tree / "ลับ").chmod(0o000)
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o777)
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / "cache")}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "tests.ui.clerk.picker_as_nobody", str(tree)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    told = json.loads(done.stdout.strip().splitlines()[-1])
    assert told["th"] == ("เครื่องไม่ได้รับอนุญาตให้เปิดโฟลเดอร์นี้ แตะ “ขึ้นไปหนึ่งชั้น” แล้วเลือกโฟลเดอร์อื่น")
    assert told["en"].startswith("The kiosk is not allowed to open this folder.")
    assert told["tone"] == "error"
    assert told["rows"] == []
    assert told["up_rows"] == ["เปิดได้", "ลับ"]  # Up still works, and lists the folder above
    assert "(denied)" in done.stderr  # logged, with why


def test_the_export_screen_exports_to_a_folder_chosen_in_the_picker(
    qtbot, switcher, clock, data_dir, ledger_service, stick
) -> None:
    set_up(data_dir, clock)
    cast(ledger_service, 4)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    screen = area.export
    screen._drives = lambda: [Drive(stick, "KINGSTON", 3_400_000_000, 8 << 30)]
    area.nav[screen].click()
    idle(qtbot, area)
    picker = screen.picker
    shows(qtbot, picker, screen.folder_button.click)
    assert picker.isVisible()
    assert not screen.page.isVisible()
    assert not screen.title.isVisible()  # the picker's title instead
    shows(qtbot, picker, tap_row(picker, "แฟลชไดรฟ์ KINGSTON"))
    shows(qtbot, picker, tap_row(picker, "เอกสาร"))
    picker.use_button.click()
    assert screen.page.isVisible()
    assert screen.title.isVisible()
    assert screen.target == stick / "เอกสาร"
    assert "ปลายทาง: แฟลชไดรฟ์ KINGSTON (ว่าง 3.2 GB) · โฟลเดอร์ เอกสาร" in screen.plan_label.text()
    screen.export_button.click()
    idle(qtbot, area)
    assert screen.message.property("tone") != "error"
    assert list((stick / "เอกสาร").iterdir())

    # A choice left open when the clerk goes to another page is given up.
    shows(qtbot, picker, screen.folder_button.click)
    area.nav[area.dashboard].click()
    idle(qtbot, area)
    area.nav[screen].click()
    idle(qtbot, area)
    assert screen.page.isVisible()
    assert not picker.isVisible()


def test_the_roster_form_takes_a_photo_tapped_in_the_picker(
    qtbot, switcher, clock, data_dir, ledger_service, stick
) -> None:
    set_up(data_dir, clock)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.roster_editor].click()
    roster = area.roster_editor
    roster.add_button.click()
    form = roster.form
    tap_field(form.name_th)
    area.keyboard.type_text("นางสาวมาลี ศรีสุข")
    assert area.keyboard.isVisible()
    picker = roster.picker
    with qtbot.waitSignal(picker.shown_folder, timeout=JOB_TIMEOUT_MS):
        form.photo_button.click()
    assert picker.isVisible()
    assert not area.keyboard.isVisible()  # nothing to type in the picker
    assert not roster.title.isVisible()
    assert not any(tab.isVisible() for tab in roster.tabs.values())
    assert picker.title.text() == "เลือกรูปถ่าย"

    # Cancel: back to the form as it was.
    picker.cancel_button.click()
    assert form.isVisible()
    assert form.name_th.text() == "นางสาวมาลี ศรีสุข"
    assert form.photo_state.text() == "ไม่มีรูป (แสดงอักษรย่อแทน)"

    shows(qtbot, picker, form.photo_button.click)
    picker.place = Place(stick, "drive", "KINGSTON", 0)  # as if the stick had been tapped
    shows(qtbot, picker, lambda: picker.open_folder(stick / "รูปถ่าย"))
    tap_row(picker, "มาลี.png")()
    qtbot.waitUntil(form.isVisible, timeout=2000)
    assert roster.title.isVisible()
    assert form.photo_state.text() == "มาลี.png"
    form.save_button.click()
    idle(qtbot, area)
    member = load_roster(data_dir).staff[-1]
    assert member.name_th == "นางสาวมาลี ศรีสุข"
    assert member.photo is not None
    assert (data_dir / "photos" / member.photo).is_file()


def test_the_keyboard_opens_only_when_the_clerk_taps_a_field_not_by_itself(
    qtbot, switcher, clock, data_dir, ledger_service, stick
) -> None:
    """A trial: tapping Edit, and coming back from the photo picker, opened the keyboard by
    itself over Save, Cancel and the chosen file's name (the guide says it never does)."""
    set_up(data_dir, clock)
    kiosk = build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)
    kiosk.resize(1024, 600)
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.roster_editor].click()
    roster = area.roster_editor
    roster.list.setCurrentRow(0)
    roster.edit_button.click()
    form = roster.form
    qtbot.waitUntil(form.isVisible)
    assert not area.keyboard.isVisible()
    assert form.save_button.isVisible()
    assert form.cancel_button.isVisible()

    picker = roster.picker
    shows(qtbot, picker, form.photo_button.click)
    picker.place = Place(stick, "drive", "KINGSTON", 0)  # as if the stick had been tapped
    shows(qtbot, picker, lambda: picker.open_folder(stick / "รูปถ่าย"))
    tap_row(picker, "มาลี.png")()
    qtbot.waitUntil(form.isVisible, timeout=2000)
    assert not area.keyboard.isVisible()
    assert form.photo_state.text() == "มาลี.png"
    for shown in (form.photo_state, form.save_button, form.cancel_button):
        assert shown.isVisible(), shown.objectName()
        assert not shown.visibleRegion().isEmpty(), shown.objectName()

    tap_field(form.position_th)  # the clerk's tap: now it opens, typing into that field
    qtbot.waitUntil(area.keyboard.isVisible)
    assert area.keyboard.field is form.position_th


# --- the pictures of the photos ----------------------------------------------------------------


def save_photo(path: Path, colour: str, width: int = 120, height: int = 160) -> None:
    """A real picture of one colour, as PNG or JPEG by its name."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG" if path.suffix == ".png" else "JPEG")


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    """A folder of staff photos as a clerk's stick holds them, with one that is not a picture."""
    folder = tmp_path / "รูปถ่าย"
    (folder / "ปี 2566").mkdir(parents=True)
    save_photo(folder / "มาลี.png", "#D02020")  # portrait, red
    save_photo(folder / "somchai.jpg", "#2040C0", width=200, height=100)  # landscape, blue
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not the rest of a JPEG" * 50)
    return folder


def item_of(picker: FilePicker, starts: str) -> QListWidgetItem:
    (item,) = [
        picker.list.item(i)
        for i in range(picker.list.count())
        if picker.list.item(i).text().startswith(starts)
    ]
    return item


def drawn(picker: FilePicker, icon: QIcon) -> QImage:
    """The icon as the row draws it."""
    return icon.pixmap(picker.list.iconSize()).toImage()


def plain_file(picker: FilePicker) -> QImage:
    icon = picker.style().standardIcon(QStyle.StandardPixmap.SP_FileIcon)
    return drawn(picker, plain_icon(icon, picker.icon_px, picker.thumbnail_px))


def near(colour: QColor, expected: str) -> bool:
    want = QColor(expected)
    return all(
        abs(a - b) <= 12 for a, b in zip(colour.getRgb()[:3], want.getRgb()[:3], strict=True)
    )


def test_each_photo_row_shows_a_picture_of_the_photo_and_a_broken_one_keeps_the_icon(
    qtbot, switcher, runner, photos, caplog
) -> None:
    caplog.set_level(logging.WARNING)
    picker = make_picker(qtbot, runner, photos.parent, "photo")
    picker.place = Place(photos.parent, "drive", "KINGSTON", 0)
    shows(qtbot, picker, lambda: picker.open_folder(photos))
    # The rows are there at once, each photo with the plain file icon until its picture comes.
    assert [row.split(" · ")[0] for row in rows(picker)] == [
        "ปี 2566",
        "broken.jpg",
        "somchai.jpg",
        "มาลี.png",
    ]
    plain = plain_file(picker)
    for name in ("broken.jpg", "somchai.jpg", "มาลี.png"):
        assert drawn(picker, item_of(picker, name).icon()) == plain
    with qtbot.waitSignal(picker.thumbnails_done, timeout=JOB_TIMEOUT_MS):
        pass

    box = picker.thumbnail_px
    assert box > picker.icon_px  # a picture is larger than an icon
    red = drawn(picker, item_of(picker, "มาลี.png").icon())
    assert (red.width(), red.height()) == (box, box)  # every row's icon one square
    assert near(red.pixelColor(box // 2, box // 2), "#D02020")
    assert near(red.pixelColor(box // 2, 0), "#D02020")  # upright, as tall as the square
    assert red.pixelColor(1, box // 2).alpha() == 0  # its shape kept: room left and right
    blue = drawn(picker, item_of(picker, "somchai.jpg").icon())
    assert near(blue.pixelColor(box // 2, box // 2), "#2040C0")
    assert near(blue.pixelColor(0, box // 2), "#2040C0")
    assert blue.pixelColor(box // 2, 1).alpha() == 0  # wide: room above and below
    assert drawn(picker, item_of(picker, "broken.jpg").icon()) == plain
    assert any(
        r.levelno == logging.WARNING and "broken.jpg" in r.getMessage() for r in caplog.records
    )
    assert set(picker.thumbnails) == {photos / "somchai.jpg", photos / "มาลี.png"}

    # The pictures stay when the page is worded again (the rows are made afresh).
    switcher.set_language("en")
    qtbot.waitUntil(lambda: picker.title.text() == "Choose a photo")
    red = drawn(picker, item_of(picker, "มาลี.png").icon())
    assert near(red.pixelColor(box // 2, box // 2), "#D02020")
    # A photo tapped is still chosen by its row.
    with qtbot.waitSignal(picker.chosen, timeout=1000) as told:
        tap_row(picker, "มาลี.png")()
    assert told.args == [photos / "มาลี.png"]


def test_pictures_for_a_folder_the_clerk_has_left_are_dropped(
    qtbot, switcher, runner, photos
) -> None:
    for index in range(12):
        save_photo(photos / f"staff{index:02d}.jpg", "#20A040")
    picker = make_picker(qtbot, runner, photos.parent, "photo")
    picker.place = Place(photos.parent, "drive", "KINGSTON", 0)
    shown: list[Path] = []
    picker.thumbnail_shown.connect(shown.append)
    shows(qtbot, picker, lambda: picker.open_folder(photos))
    shows(qtbot, picker, picker.up_button.click)  # before any picture has come
    qtbot.waitUntil(lambda: not runner.busy(), timeout=JOB_TIMEOUT_MS)
    assert shown == []  # none came for the folder left, and the rest were never decoded
    assert picker.thumbnails == {}
    assert picker.folder == photos.parent

    # Back in the folder, its pictures come again.
    with qtbot.waitSignal(picker.thumbnails_done, timeout=JOB_TIMEOUT_MS):
        shows(qtbot, picker, tap_row(picker, "รูปถ่าย"))
    assert len(shown) == 14
    green = drawn(picker, item_of(picker, "staff07.jpg").icon())
    assert near(green.pixelColor(green.width() // 2, green.height() // 2), "#20A040")


def test_a_folder_of_many_photos_draws_only_the_first(qtbot, switcher, runner, tmp_path) -> None:
    folder = tmp_path / "DCIM"
    folder.mkdir()
    for index in range(MAX_THUMBNAILS + 15):
        save_photo(folder / f"IMG_{index:04d}.jpg", "#808080", width=16, height=12)
    picker = make_picker(qtbot, runner, tmp_path, "photo")
    picker.place = Place(tmp_path, "drive", "KINGSTON", 0)
    with qtbot.waitSignal(picker.thumbnails_done, timeout=JOB_TIMEOUT_MS):
        shows(qtbot, picker, lambda: picker.open_folder(folder))
    assert len(rows(picker)) == MAX_THUMBNAILS + 15  # every photo is listed
    assert len(picker.thumbnails) == MAX_THUMBNAILS
    last = item_of(picker, f"IMG_{MAX_THUMBNAILS + 14:04d}.jpg")
    assert drawn(picker, last.icon()) == plain_file(picker)


@pytest.mark.parametrize("panel", SUPPORTED_PANELS, ids=lambda p: f"{p.width_px}x{p.height_px}")
def test_the_places_icons_are_one_size_on_every_panel(
    qtbot, switcher, runner, stick, panel
) -> None:
    """Qt has no computer icon over 32 px: at 1920x1200 it was drawn smaller than the others."""
    assume_dpi(panel.dpi)
    try:
        for mode in ("folder", "photo"):
            picker = make_picker(qtbot, runner, stick, mode)
            shows(qtbot, picker, lambda picker=picker: picker.ask(lambda _path: None))
            sizes = {
                picker.list.item(i).text(): drawn(picker, picker.list.item(i).icon()).size()
                for i in range(picker.list.count())
            }
            assert len(sizes) == 3
            box = picker.icon_px if mode == "folder" else picker.thumbnail_px
            assert {(s.width(), s.height()) for s in sizes.values()} == {(box, box)}, sizes
    finally:
        assume_dpi(None)


def test_a_file_named_png_that_is_no_picture_is_said_so_and_cannot_be_chosen(
    qtbot, switcher, runner, photos
) -> None:
    (photos / "fake.png").write_text("hello, this is text")
    picker = make_picker(qtbot, runner, photos.parent, "photo")
    picker.place = Place(photos.parent, "drive", "KINGSTON", 0)
    chosen: list[Path] = []
    picker.chosen.connect(chosen.append)
    shows(qtbot, picker, lambda: picker.open_folder(photos))
    with qtbot.waitSignal(picker.thumbnails_done, timeout=JOB_TIMEOUT_MS):
        pass
    fake = item_of(picker, "fake.png")
    assert fake.text().endswith("ไม่ใช่รูปภาพ")  # said in its row at once
    assert not fake.flags() & Qt.ItemFlag.ItemIsEnabled  # greyed: not offered
    tap_row(picker, "fake.png")()
    assert chosen == []
    assert picker.message.property("tone") == "error"
    assert "fake.png ไม่ใช่รูปภาพ" in picker.message.text()
    # A damaged JPEG is not known to be no picture: it stays offered (the save says why).
    assert "ไม่ใช่รูปภาพ" not in item_of(picker, "broken.jpg").text()
    # Worded again in English, the row still says so.
    switcher.set_language("en")
    qtbot.waitUntil(lambda: item_of(picker, "fake.png").text().endswith("not a picture"))
    assert not item_of(picker, "fake.png").flags() & Qt.ItemFlag.ItemIsEnabled
    tap_row(picker, "มาลี.png")()
    assert chosen == [photos / "มาลี.png"]
