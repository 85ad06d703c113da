"""The roster editor: changes are saved and reach the citizen screens at once; retired stay named."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from kiosk.demo import DEMO_ROSTER
from kiosk.roster import Concern, load_roster
from tests.ui.citizen.helpers import human, stored_votes
from tests.ui.clerk.helpers import build_kiosk, idle, set_up, tap_field, unlock


def item_text(roster, key: str) -> str:
    roster.select(key)
    return roster.list.currentItem().text()


@pytest.fixture
def kiosk(qtbot, switcher, clock, data_dir, ledger_service):
    set_up(data_dir, clock)
    return build_kiosk(qtbot, switcher, clock, data_dir, ledger_service)


@pytest.fixture
def editor(qtbot, kiosk, clock):
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.roster_editor].click()
    return area


def test_add_a_staff_member_typed_on_the_thai_keyboard_with_a_photo(
    qtbot, kiosk, editor, data_dir, tmp_path
):
    roster = editor.roster_editor
    roster.add_button.click()
    form = roster.form
    tap_field(form.name_th)
    assert editor.keyboard.isVisible()
    editor.keyboard.type_text("นางสาวมาลี  ศรีสุข")
    tap_field(form.position_th)
    editor.keyboard.type_text("เจ้าพนักงานปกครอง")
    photo = tmp_path / "malee.png"
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(photo), "PNG")
    form.set_photo_file(photo)
    form.save_button.click()
    idle(qtbot, editor)

    saved = load_roster(data_dir)
    member = saved.staff[-1]
    assert member.name_th == "นางสาวมาลี ศรีสุข"  # spaces tidied
    assert member.id == "s10"
    assert member.photo is not None
    assert (data_dir / "photos" / member.photo).is_file()
    assert "นางสาวมาลี ศรีสุข" in roster.message.text()
    assert any(card.objectName() == "staff_s10" for card in kiosk.target.staff_cards)
    assert kiosk.target.findChild(object, "staff_s10").avatar.has_photo()


def test_retire_hides_from_citizens_and_bring_back_restores(qtbot, kiosk, editor, data_dir):
    roster = editor.roster_editor
    roster.select("s02")
    roster.retire_button.click()
    idle(qtbot, editor)
    assert load_roster(data_dir).staff_by_id("s02").retired
    assert "staff_s02" not in {c.objectName() for c in kiosk.target.staff_cards}
    assert "เลิกใช้แล้ว" in item_text(roster, "s02")
    assert "เลิกใช้แล้ว" not in item_text(roster, "s01")
    roster.select("s02")
    assert roster.restore_button.isEnabled()
    roster.restore_button.click()
    idle(qtbot, editor)
    assert not load_roster(data_dir).staff_by_id("s02").retired
    assert "staff_s02" in {c.objectName() for c in kiosk.target.staff_cards}


def test_edit_a_unit_and_add_a_tag_reach_the_citizen_screens(
    qtbot, kiosk, editor, data_dir, clock, ledger_service
):
    roster = editor.roster_editor
    roster.tabs["unit"].click()
    roster.select("finance")
    roster.edit_button.click()
    roster.form.name_th.setText("งานการเงิน")
    roster.form.save_button.click()
    idle(qtbot, editor)
    assert load_roster(data_dir).unit_by_id("finance").name_th == "งานการเงิน"
    roster.tabs["tag"].click()
    roster.add_button.click()
    roster.form.name_th.setText("ที่จอดรถสะดวก")
    roster.form.name_en.setText("Easy parking")
    roster.form.save_button.click()
    idle(qtbot, editor)
    assert load_roster(data_dir).tag_by_code("t01").label_th == "ที่จอดรถสะดวก"
    assert "t01" in kiosk.impression.tag_chips
    # A citizen picks the new tag on the rebuilt screen, and the vote carries it.
    editor.leave_button.click()
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    human(clock)
    kiosk.impression.tag_chips["t01"].click()
    assert kiosk.impression.tag_chips["t01"].is_on()
    with qtbot.waitSignal(ledger_service.saved, timeout=20_000):
        kiosk.impression.send_button.click()
    assert stored_votes(data_dir)[-1].ballot.tags == ("t01",)


def rate_and_reach_the_last_question(kiosk, clock, rating: int) -> None:
    """Back on the kiosk: a face, "not sure", and the impression screen."""
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[rating].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    human(clock)
    assert kiosk.current_screen() is kiosk.impression


def test_add_a_concern_tag_in_thai_and_english_and_a_citizen_picks_it(
    qtbot, kiosk, editor, data_dir, clock, ledger_service
):
    roster = editor.roster_editor
    roster.tabs["concern"].click()
    assert roster.tabs["concern"].text() == "เรื่องที่ควรปรับปรุง"
    assert [roster.list.item(i).text() for i in range(roster.list.count())][:2] == [
        "รอนาน",
        "เจ้าหน้าที่ไม่สุภาพ",
    ]
    roster.add_button.click()
    form = roster.form
    assert form.title.text() == "เพิ่มเรื่องที่ควรปรับปรุง"
    assert form.labels[form.name_th].text() == "ข้อความ (ภาษาไทย)"
    assert not form.position_th.isVisible()
    assert not form.photo_button.isVisible()
    tap_field(form.name_th)
    editor.keyboard.type_text("ที่จอดรถไม่พอ")
    form.name_en.setText("Not enough parking")
    form.save_button.click()
    idle(qtbot, editor)
    saved = load_roster(data_dir)
    assert saved.concerns[-1] == Concern("c01", "ที่จอดรถไม่พอ", "Not enough parking")
    assert saved.tags == DEMO_ROSTER.tags  # the impression tags are left as they were
    assert "t01" not in kiosk.impression.tag_chips
    assert "c01" in kiosk.impression.concern_chips
    assert "ที่จอดรถไม่พอ" in roster.message.text()

    editor.leave_button.click()
    rate_and_reach_the_last_question(kiosk, clock, rating=1)
    chip = kiosk.impression.concern_chips["c01"]
    assert chip.isVisible()
    assert chip.text() == "ที่จอดรถไม่พอ"
    chip.click()
    with qtbot.waitSignal(ledger_service.saved, timeout=20_000):
        kiosk.impression.send_button.click()
    assert stored_votes(data_dir)[-1].ballot.tags == ("c01",)


def test_rename_retire_and_bring_back_a_concern_tag(qtbot, kiosk, editor, data_dir, clock):
    roster = editor.roster_editor
    roster.tabs["concern"].click()
    roster.select("paperwork")
    roster.edit_button.click()
    assert roster.form.title.text() == "แก้ไขเรื่องที่ควรปรับปรุง"
    assert roster.form.name_th.text() == "เอกสารยุ่งยาก"
    assert roster.form.name_en.text() == "Too much paperwork"
    roster.form.name_th.setText("ขอเอกสารมากเกินไป")
    roster.form.name_en.setText("Asked for too many documents")
    roster.form.save_button.click()
    idle(qtbot, editor)
    assert load_roster(data_dir).tag_by_code("paperwork") == Concern(
        "paperwork", "ขอเอกสารมากเกินไป", "Asked for too many documents"
    )
    assert kiosk.impression.concern_chips["paperwork"].text() == "ขอเอกสารมากเกินไป"

    roster.select("unfair-queue")
    roster.retire_button.click()
    idle(qtbot, editor)
    assert load_roster(data_dir).tag_by_code("unfair-queue").retired
    assert "unfair-queue" not in kiosk.impression.concern_chips
    assert "เลิกใช้แล้ว" in item_text(roster, "unfair-queue")
    roster.select("unfair-queue")
    roster.restore_button.click()
    idle(qtbot, editor)
    assert not load_roster(data_dir).tag_by_code("unfair-queue").retired
    assert "unfair-queue" in kiosk.impression.concern_chips


def test_the_concern_tab_and_form_speak_english_too(qtbot, kiosk, editor, switcher):
    switcher.set_language("en")
    roster = editor.roster_editor
    qtbot.waitUntil(lambda: roster.tabs["concern"].text() == "Concern tags")
    assert roster.tabs["tag"].text() == "Impression tags"
    roster.tabs["concern"].click()
    assert item_text(roster, "long-wait") == "Long wait"
    roster.select("long-wait")
    roster.edit_button.click()
    assert roster.form.title.text() == "Edit concern tag"
    assert roster.form.labels[roster.form.name_en].text() == "Label (English, optional)"


@pytest.mark.parametrize("language", ["th", "en"])
def test_all_five_tabs_keep_their_whole_words_at_the_smallest_screen(
    qtbot, kiosk, clock, switcher, language
):
    switcher.set_language(language)
    kiosk.resize(1024, 600)
    area = unlock(qtbot, kiosk, clock)
    area.nav[area.roster_editor].click()
    tabs = list(area.roster_editor.tabs.values())
    assert len(tabs) == 5
    qtbot.waitUntil(lambda: all(t.width() >= t.sizeHint().width() for t in tabs))
    for tab in tabs:
        needed = tab.fontMetrics().horizontalAdvance(tab.text())
        assert tab.width() >= needed, f"{tab.text()!r}: {needed} px in {tab.width()} px"
    right = max(t.geometry().right() for t in tabs)
    assert right < area.roster_editor.width()


def test_a_name_is_required_and_the_roster_is_left_alone(qtbot, kiosk, editor, data_dir):
    before = (data_dir / "roster.json").read_bytes()
    roster = editor.roster_editor
    roster.add_button.click()
    roster.form.name_th.setText("   ")
    roster.form.save_button.click()
    assert roster.form.message.isVisible()
    assert "ภาษาไทย" in roster.form.message.text()
    assert (data_dir / "roster.json").read_bytes() == before


def test_a_photo_that_is_not_an_image_is_refused_clearly(qtbot, kiosk, editor, data_dir, tmp_path):
    fake = tmp_path / "not-a-photo.png"
    fake.write_text("hello")
    before = (data_dir / "roster.json").read_bytes()
    roster = editor.roster_editor
    roster.select("s01")
    roster.edit_button.click()
    roster.form.set_photo_file(fake)
    roster.form.save_button.click()
    idle(qtbot, editor)
    assert roster.form.message.isVisible()
    told = roster.form.message.text()
    assert "บันทึกไม่ได้" in told
    assert "ไม่ใช่รูปภาพ" in told  # in the clerk's words: not a picture
    assert "not a PNG image" not in told  # not the log's English
    assert (data_dir / "roster.json").read_bytes() == before


def test_an_unwritable_roster_file_leaves_it_as_it_was(qtbot, kiosk, editor, data_dir):
    path: Path = data_dir / "roster.json"
    path.unlink()
    path.mkdir()  # the atomic rename cannot replace a folder
    roster = editor.roster_editor
    roster.select("s03")
    roster.retire_button.click()
    idle(qtbot, editor)
    assert "บันทึกรายชื่อไม่สำเร็จ" in roster.message.text()
    assert "staff_s03" in {c.objectName() for c in kiosk.target.staff_cards}


def test_a_photo_refused_is_said_in_english_too(qtbot, kiosk, editor, data_dir, tmp_path, switcher):
    fake = tmp_path / "fake.png"
    fake.write_text("hello")
    switcher.set_language("en")
    roster = editor.roster_editor
    roster.select("s01")
    roster.edit_button.click()
    roster.form.set_photo_file(fake)
    roster.form.save_button.click()
    idle(qtbot, editor)
    told = roster.form.message.text()
    assert "is not a picture" in told
    assert "'fake.png'" not in told


def test_the_same_staff_member_added_twice_is_refused_in_words(qtbot, kiosk, editor, data_dir):
    before = (data_dir / "roster.json").read_bytes()
    cards = len(kiosk.target.staff_cards)
    roster = editor.roster_editor
    first = load_roster(data_dir).staff[0]
    roster.add_button.click()
    form = roster.form
    tap_field(form.name_th)
    editor.keyboard.type_text(first.name_th.replace(" ", "  "))  # typed with a double space
    tap_field(form.position_th)
    editor.keyboard.type_text(first.position_th)
    form.save_button.click()
    idle(qtbot, editor)
    assert form.message.isVisible()
    assert "มีเจ้าหน้าที่ชื่อนี้ในตำแหน่งนี้อยู่แล้ว" in form.message.text()
    assert (data_dir / "roster.json").read_bytes() == before
    assert len(kiosk.target.staff_cards) == cards  # no second card alike


def test_a_name_of_only_invisible_characters_is_no_name(qtbot, kiosk, editor, data_dir):
    before = (data_dir / "roster.json").read_bytes()
    roster = editor.roster_editor
    roster.add_button.click()
    roster.form.name_th.setText("\u200b\u200b\ufeff")
    roster.form.save_button.click()
    idle(qtbot, editor)
    assert "ภาษาไทย" in roster.form.message.text()  # please type the name in Thai
    assert (data_dir / "roster.json").read_bytes() == before
