"""The roster: the demo district's, initials for cards, retiring, storage and its errors."""

import json
import random
import unicodedata
from dataclasses import replace

import pytest

from kiosk.demo import (
    DEMO_ROSTER,
    DEMO_SERVICES,
    DEMO_STAFF,
    DEMO_TAGS,
    DEMO_UNITS,
    demo_roster_with_staff,
    random_ballot,
)
from kiosk.initials import initials
from kiosk.roster import (
    DEFAULT_CONCERNS,
    DEFAULT_TAGS,
    MAX_ACTIVE_CONCERNS,
    MAX_ACTIVE_STAFF,
    MAX_ACTIVE_TAGS,
    NEW_KIOSK_ROSTER,
    ROSTER_FILE_NAME,
    Concern,
    Roster,
    RosterError,
    Service,
    StaffMember,
    Tag,
    Unit,
    clean_text,
    load_roster,
    photo_path,
    roster_to_json,
    save_roster,
    store_photo,
)
from wire.vote import Target

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_the_demo_roster_is_what_the_citizen_screens_show():
    staff = DEMO_ROSTER.active_staff()
    assert 6 <= len(staff) <= 10
    assert all(m.name_th and m.name_en and m.position_th and m.position_en for m in staff)
    assert all(m.photo is None for m in DEMO_ROSTER.staff)
    assert [m.id for m in DEMO_ROSTER.staff if m.retired] == ["s09"]
    units = [u.name_th for u in DEMO_ROSTER.active_units()]
    assert {"งานทะเบียนราษฎร", "งานบัตรประจำตัวประชาชน", "ศูนย์ดำรงธรรม"} <= set(units)
    assert {"ทำบัตรประชาชน", "แจ้งเกิด", "แจ้งตาย", "จดทะเบียนสมรส"} <= {
        s.name_th for s in DEMO_ROSTER.active_services()
    }
    assert {"สะดวก", "รวดเร็ว", "เจ้าหน้าที่สุภาพ", "ขั้นตอนชัดเจน"} <= {
        t.label_th for t in DEMO_ROSTER.active_tags()
    }
    assert all(t.label_en for t in DEMO_ROSTER.tags)
    assert {"รอนาน", "ข้อมูลไม่ชัดเจน", "เอกสารยุ่งยาก", "ส่งต่อหลายจุด"} <= {
        c.label_th for c in DEMO_ROSTER.active_concerns()
    }
    assert DEMO_ROSTER.concerns == DEFAULT_CONCERNS
    assert 5 <= len(DEFAULT_CONCERNS) <= 7
    assert all(c.label_en for c in DEFAULT_CONCERNS)
    assert DEMO_ROSTER.tags == DEFAULT_TAGS  # what a kiosk just set up offers too
    assert all(t.label_th and t.label_en for t in DEFAULT_TAGS)


def test_a_kiosk_just_set_up_names_nobody_yet_but_offers_both_lists_of_tags():
    roster = NEW_KIOSK_ROSTER
    assert (roster.staff, roster.units, roster.services) == ((), (), ())
    assert roster.active_tags() == DEFAULT_TAGS
    assert roster.active_concerns() == DEFAULT_CONCERNS
    assert roster.new_id("tag") == "t01"  # a clerk's first tag takes an id none has


def test_codes_used_by_tests_vectors_and_earlier_demo_votes_still_resolve():
    for staff_id in ("s01", "s02", "s03", "s04"):
        assert DEMO_ROSTER.staff_by_id(staff_id) is not None
    for unit_id in ("civil-registration", "id-card", "damrongdhama"):
        assert DEMO_ROSTER.unit_by_id(unit_id) is not None
    for code in ("id-card", "house-registration", "certificate", "complaint"):
        assert DEMO_ROSTER.service_by_code(code) is not None
    for code in ("convenient", "fast", "polite", "clear-steps", "clean"):
        assert DEMO_ROSTER.tag_by_code(code) is not None


def test_the_demo_tuples_are_the_demo_rosters_active_entries():
    assert [s[0] for s in DEMO_STAFF] == [m.id for m in DEMO_ROSTER.active_staff()]
    assert DEMO_STAFF[0] == ("s01", "นางสาวกานดา ใจดี", "Ms Kanda Jaidee")
    assert [u[0] for u in DEMO_UNITS] == [u.id for u in DEMO_ROSTER.active_units()]
    assert [s[0] for s in DEMO_SERVICES] == [s.code for s in DEMO_ROSTER.active_services()]
    assert [t[0] for t in DEMO_TAGS] == [t.code for t in DEMO_ROSTER.active_tags()]


def test_demo_ballots_name_only_active_roster_entries():
    rng = random.Random(7)
    for _ in range(500):
        ballot = random_ballot(rng, "3706").normalized()
        if ballot.target is not None:
            found = (
                DEMO_ROSTER.staff_by_id(ballot.target.id)
                if ballot.target.kind == "staff"
                else DEMO_ROSTER.unit_by_id(ballot.target.id)
            )
            assert found is not None
            assert not found.retired
        if ballot.service is not None:
            assert DEMO_ROSTER.service_by_code(ballot.service) in DEMO_ROSTER.active_services()
        for tag in ballot.tags:
            assert DEMO_ROSTER.tag_by_code(tag) in DEMO_ROSTER.active_tags()


@pytest.mark.parametrize(
    ("name_th", "expected"),
    [
        ("นางสาวกานดา ใจดี", "ก"),
        ("นายเอกชัย บุญมา", "อ"),  # เ is a leading vowel: the first consonant is อ
        ("นางพรทิพย์ ศรีสุข", "พ"),
        ("นายไพโรจน์ ใจกว้าง", "พ"),
        ("ว่าที่ร้อยตรีประเสริฐ แก้วมณี", "ป"),
        ("ว่าที่ ร.ต.หญิง สมศรี มีสุข", "ส"),
        ("น.ส.แสงเดือน ไชยวงศ์", "ส"),
        ("ร้อยตำรวจเอกหญิงอรุณี ทองดี", "อ"),
        ("จ่าสิบเอกโกวิท พรหมมา", "ก"),
        ("นางสาว วราภรณ์ สายทอง", "ว"),  # a space after the title
        ("นางสาวิตรี คำแก้ว", "ส"),  # นาง + สาวิตรี: "ิ" cannot start a word
        ("นายิกา ศรีวงศ์", "น"),  # a given name that merely starts like นาย
        ("ฤทัย ดวงจันทร์", "ฤ"),  # no title at all
        ("นาย John Smith", "JS"),  # no Thai letter in the given name
    ],
)
def test_thai_initials_are_the_first_consonant_of_the_given_name(name_th, expected):
    assert initials(StaffMember("s01", name_th), "th") == expected


@pytest.mark.parametrize(
    ("name_en", "expected"),
    [
        ("Ms Kanda Jaidee", "KJ"),
        ("Mr. Somchai Rakngan", "SR"),
        ("Acting Sub-Lt Prasert Kaewmanee", "PK"),
        ("Dr Anucha Na Ayutthaya", "AA"),
        ("Madonna", "M"),
        ("", "ก"),  # no English name: the Thai initial
    ],
)
def test_english_initials_are_given_and_family_name(name_en, expected):
    assert initials(StaffMember("s01", "นางสาวกานดา ใจดี", name_en), "en") == expected


def test_display_names_fall_back_to_thai_when_there_is_no_english():
    member = StaffMember("s01", "นายวีระ มั่นคง", position_th="ปลัดอำเภอ")
    assert member.display_name("en") == "นายวีระ มั่นคง"
    assert member.display_position("en") == "ปลัดอำเภอ"
    kanda = DEMO_ROSTER.staff_by_id("s01")
    assert kanda is not None
    assert kanda.display_name("th") == "นางสาวกานดา ใจดี"
    assert kanda.display_name("en") == "Ms Kanda Jaidee"
    assert Unit("id-card", "งานบัตรประจำตัวประชาชน").display_name("en") == "งานบัตรประจำตัวประชาชน"
    assert Tag("fast", "รวดเร็ว", "Fast").display_name("en") == "Fast"
    assert Service("birth", "แจ้งเกิด", "Birth registration").display_name("th") == "แจ้งเกิด"


def test_retired_staff_leave_the_screens_but_still_name_their_votes():
    roster = DEMO_ROSTER.retire_staff("s02")
    assert "s02" not in [m.id for m in roster.active_staff()]
    retired = roster.staff_by_id("s02")
    assert retired is not None
    assert retired.retired
    assert roster.target_name(Target("staff", "s02"), "en") == "Mr Somchai Rakngan"
    assert roster.target_name(Target("staff", "s09"), "th") == "นายไพโรจน์ ใจกว้าง"
    assert roster.target_name(Target("unit", "id-card"), "th") == "งานบัตรประจำตัวประชาชน"
    assert roster.target_name(Target("staff", "nobody"), "th") is None
    assert DEMO_ROSTER.staff_by_id("s02") == replace(retired, retired=False)  # unchanged


def test_every_kind_can_be_retired_and_brought_back():
    roster = (
        DEMO_ROSTER.retire_unit("finance")
        .retire_service("death")
        .retire_tag("clean")
        .retire_tag("clean")  # retiring twice is harmless
    )
    assert "finance" not in [u.id for u in roster.active_units()]
    assert "death" not in [s.code for s in roster.active_services()]
    assert "clean" not in [t.code for t in roster.active_tags()]
    tag = roster.tag_by_code("clean")
    assert tag is not None
    back = roster.with_tag(replace(tag, retired=False))
    assert back.active_tags() == DEMO_ROSTER.active_tags()  # back in its place
    with pytest.raises(RosterError, match="no unit with id 'nowhere'"):
        roster.retire_unit("nowhere")


def test_with_adds_at_the_end_or_replaces_in_place():
    new = StaffMember("s10", "นางสาวปิยะนุช ศรีวงศ์", "Ms Piyanuch Sriwong")
    roster = DEMO_ROSTER.with_staff(new)
    assert roster.staff[-1] == new
    edited = replace(DEMO_ROSTER.staff[0], position_th="ปลัดอำเภอ")
    roster = roster.with_staff(edited)
    assert roster.staff[0] == edited
    assert len(roster.staff) == len(DEMO_ROSTER.staff) + 1
    roster = roster.with_unit(Unit("security", "งานความมั่นคง", "Security Affairs"))
    roster = roster.with_service(Service("firearms", "ขออนุญาตอาวุธปืน", "Firearm permits"))
    assert roster.units[-1].id == "security"
    assert roster.services[-1].code == "firearms"


def test_the_same_person_in_the_same_position_is_refused_as_a_second_card():
    first = StaffMember("s01", "นางสาวมาลี ศรีสุข", "", "เจ้าพนักงานปกครอง")
    roster = Roster(staff=(first,))
    # Typed again: other spacing, another Unicode form of the same letters, another English name.
    again = StaffMember(
        "s02", clean_text(" นางสาวมาลี   ศรีสุข"), "Ms Malee", clean_text("เจ้าพนักงาน\u200bปกครอง")
    )
    with pytest.raises(RosterError) as refused:
        roster.with_staff(again)
    assert refused.value.code == "duplicate_staff"
    # The same name in another position is someone else; editing the entry itself is fine.
    other = replace(again, position_th="ปลัดอำเภอ")
    assert roster.with_staff(other).staff[-1] == other
    assert roster.with_staff(replace(first, name_en="Ms Malee")).staff == (
        replace(first, name_en="Ms Malee"),
    )
    # A retired one is no card: the same person may come back as a new entry, not twice shown.
    assert len(roster.retire_staff("s01").with_staff(again).active_staff()) == 1
    with pytest.raises(RosterError, match="already shown"):
        roster.retire_staff("s01").with_staff(again).with_staff(first)


def test_two_units_services_or_tags_of_one_thai_name_are_refused():
    roster = Roster(
        units=(Unit("u01", "งานทะเบียน"),),
        services=(Service("id-card", "ทำบัตรประชาชน"),),
        tags=(Tag("quick", "รวดเร็ว"),),
    )
    for adding in (
        lambda: roster.with_unit(Unit("u02", clean_text("งานทะเบียน\ufeff "), "Registration")),
        lambda: roster.with_service(Service("id-card-2", "ทำบัตรประชาชน")),
        lambda: roster.with_tag(Tag("fast", "รวดเร็ว")),
    ):
        with pytest.raises(RosterError) as refused:
            adding()
        assert refused.value.code == "duplicate"


@pytest.mark.parametrize(
    "invisible", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e"]
)
def test_invisible_characters_are_left_out_and_alone_they_are_no_name(invisible):
    assert clean_text(f"{invisible}มาลี{invisible} ศรี{invisible}สุข") == "มาลี ศรีสุข"
    assert clean_text(invisible * 3) == ""
    assert clean_text(f" {invisible} ") == ""
    with pytest.raises(RosterError) as refused:
        StaffMember("s01", clean_text(invisible))
    assert refused.value.code == "empty"


def test_clean_text_keeps_every_thai_letter_vowel_and_tone_mark():
    thai = "".join(chr(c) for c in range(0x0E01, 0x0E5C) if unicodedata.name(chr(c), ""))
    assert clean_text(thai) == unicodedata.normalize("NFC", thai)
    assert clean_text("น้ำ ผู้ใหญ่ ก๊วยเตี๋ยว ฯลฯ") == "น้ำ ผู้ใหญ่ ก๊วยเตี๋ยว ฯลฯ"


def test_new_ids_never_reuse_a_retired_one():
    assert DEMO_ROSTER.new_id("staff") == "s10"  # s09 is retired, and keeps its id
    assert Roster().new_id("staff") == "s01"
    assert DEMO_ROSTER.new_id("unit") == "u01"
    roster = DEMO_ROSTER.with_tag(Tag(DEMO_ROSTER.new_id("tag"), "อบอุ่น")).retire_tag("t01")
    assert roster.new_id("tag") == "t02"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Roster(staff=(StaffMember("s01", "ก ข"), StaffMember("s01", "ค ง"))), "twice"),
        (lambda: Roster(tags=(Tag("fast", "เร็ว"), Tag("fast", "ไว"))), "twice"),
        (lambda: StaffMember("S01", "ก ข"), "staff id 'S01' must be 1-32 of a-z"),
        (lambda: StaffMember("s 1", "ก ข"), "staff id"),
        (lambda: StaffMember("x" * 33, "ก ข"), "staff id"),
        (lambda: Unit("-unit", "งาน"), "unit id"),
        (lambda: Service("ทำบัตร", "ทำบัตร"), "service code"),
        (lambda: Tag("", "สะดวก"), "tag code"),
        (lambda: StaffMember("s01", ""), "name_th must not be empty"),
        (lambda: StaffMember("s01", " ก ข"), "spaces"),
        (lambda: StaffMember("s01", "ก ข", "Rene\u0301"), "NFC"),
        (lambda: StaffMember("s01", "ก\nข"), "control character"),
        (lambda: StaffMember("s01", "ก" * 101), "at most 100"),
        (lambda: StaffMember("s01", "ก ข", photo="../key.jpg"), "photo"),
        (lambda: StaffMember("s01", "ก ข", photo="s01.gif"), "photo"),
        (lambda: StaffMember("s01", "ก ข", retired="yes"), "retired must be true or false"),
    ],
)
def test_bad_entries_are_refused_with_a_clear_error(build, message):
    with pytest.raises(RosterError, match=message):
        build()


def test_a_vote_tag_resolves_in_either_list_and_concerns_retire_like_tags():
    long_wait = DEMO_ROSTER.tag_by_code("long-wait")
    assert long_wait == Concern("long-wait", "รอนาน", "Long wait")
    assert long_wait.display_name("en") == "Long wait"
    assert DEMO_ROSTER.tag_by_code("fast") == Tag("fast", "รวดเร็ว", "Fast")
    assert DEMO_ROSTER.tag_by_code("nothing") is None
    roster = DEMO_ROSTER.retire_concern("long-wait")
    assert "long-wait" not in [c.code for c in roster.active_concerns()]
    assert roster.tag_by_code("long-wait").retired  # still names the votes that carry it
    back = roster.with_concern(replace(roster.concerns[0], retired=False))
    assert back == DEMO_ROSTER
    with pytest.raises(RosterError, match="no concern tag with code 'nothing'"):
        roster.retire_concern("nothing")


def test_new_tag_codes_are_unique_across_both_lists():
    assert DEMO_ROSTER.new_id("concern") == "c01"
    roster = DEMO_ROSTER.with_concern(Concern(DEMO_ROSTER.new_id("concern"), "ห้องน้ำไม่สะอาด"))
    assert roster.concerns[-1].code == "c01"
    assert roster.new_id("concern") == "c02"
    # A hand-made file may have given a concern a "t" code: a new tag does not take it.
    roster = roster.with_concern(Concern("t01", "ที่จอดรถไม่พอ"))
    assert roster.new_id("tag") == "t02"
    roster.with_tag(Tag(roster.new_id("tag"), "ที่จอดรถสะดวก"))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Roster(tags=(Tag("wait", "รอไม่นาน"),), concerns=(Concern("wait", "รอนาน"),)),
        lambda: DEMO_ROSTER.with_concern(Concern("fast", "เร็วเกินไป")),
        lambda: DEMO_ROSTER.with_tag(Tag("long-wait", "รอนานแต่คุ้ม")),
    ],
)
def test_a_code_in_both_lists_is_refused_clearly(build):
    with pytest.raises(RosterError, match="names both an impression tag and a concern tag"):
        build()


def test_only_as_many_active_concerns_as_a_vote_can_carry():
    concerns = tuple(Concern(f"c{i:02d}", f"เรื่อง {i}") for i in range(MAX_ACTIVE_CONCERNS))
    full = Roster(concerns=concerns)
    with pytest.raises(RosterError, match="at most 12 active concern entries"):
        full.with_concern(Concern("one-more", "อีกหนึ่ง"))


def test_the_same_code_may_name_a_unit_and_a_service():
    assert DEMO_ROSTER.unit_by_id("id-card") is not None
    assert DEMO_ROSTER.service_by_code("id-card") is not None


def test_a_roster_serves_2_or_40_staff_and_refuses_too_many():
    two = demo_roster_with_staff(2)
    assert [m.id for m in two.active_staff()] == ["s01", "s02"]
    forty = demo_roster_with_staff(40)
    staff = forty.active_staff()
    assert len(staff) == 40
    assert len({m.id for m in staff}) == 40
    assert len({m.name_th for m in staff}) == 40
    assert len({m.name_en for m in staff}) == 40
    assert all(len(initials(m, "th")) == 1 for m in staff)
    assert all(len(initials(m, "en")) == 2 for m in staff)
    assert forty.units == DEMO_ROSTER.units
    assert len(demo_roster_with_staff(MAX_ACTIVE_STAFF).active_staff()) == MAX_ACTIVE_STAFF
    with pytest.raises(RosterError, match=f"at most {MAX_ACTIVE_STAFF} active staff"):
        demo_roster_with_staff(MAX_ACTIVE_STAFF + 1)


def test_only_as_many_active_tags_as_a_vote_can_carry():
    tags = tuple(Tag(f"t{i:02d}", f"แท็ก {i}") for i in range(MAX_ACTIVE_TAGS))
    full = Roster(tags=tags)
    with pytest.raises(RosterError, match="active tag"):
        full.with_tag(Tag("one-more", "อีกหนึ่ง"))
    assert len(full.retire_tag("t00").with_tag(Tag("one-more", "อีกหนึ่ง")).active_tags()) == len(tags)


def test_clean_text_gives_what_the_roster_accepts():
    assert clean_text("  นางสาวกานดา   ใจดี \n") == "นางสาวกานดา ใจดี"
    assert clean_text("Rene\u0301") == "Ren\u00e9"
    StaffMember("s01", clean_text(" ก  ข "), clean_text("Rene\u0301 X"))


# --- storage -------------------------------------------------------------------------------


def test_with_no_file_the_default_roster_is_used(tmp_path):
    assert load_roster(tmp_path, default=DEMO_ROSTER) == DEMO_ROSTER  # as a demo kiosk asks
    assert load_roster(tmp_path) == NEW_KIOSK_ROSTER  # as a kiosk a clerk has just set up
    assert list(tmp_path.iterdir()) == []  # loading never writes


def test_the_default_tags_are_saved_with_the_clerks_first_change_and_stay_theirs(tmp_path):
    first = load_roster(tmp_path).with_staff(StaffMember("s01", "นางสาวกานดา ใจดี"))
    save_roster(tmp_path, first)
    assert load_roster(tmp_path).tags == DEFAULT_TAGS
    assert load_roster(tmp_path).concerns == DEFAULT_CONCERNS
    # Every tag retired is the clerk's choice: the defaults do not come back.
    retired = first
    for tag in DEFAULT_TAGS:
        retired = retired.retire_tag(tag.code)
    save_roster(tmp_path, retired)
    assert load_roster(tmp_path).active_tags() == ()


def test_a_roster_survives_a_save_and_load(tmp_path):
    roster = (
        demo_roster_with_staff(40)
        .with_staff(StaffMember("s41", "นายธนากร สายทอง", photo="s41-0123456789abcdef.jpg"))
        .retire_staff("s03")
        .retire_tag("clean")
    )
    save_roster(tmp_path / "data", roster)
    assert load_roster(tmp_path / "data", default=DEMO_ROSTER) == roster
    path = tmp_path / "data" / ROSTER_FILE_NAME
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["version"] == 2
    assert stored["concerns"][0] == {
        "code": "long-wait",
        "label_th": "รอนาน",
        "label_en": "Long wait",
        "retired": False,
    }
    assert stored["staff"][0] == {
        "id": "s01",
        "name_th": "นางสาวกานดา ใจดี",
        "name_en": "Ms Kanda Jaidee",
        "position_th": "เจ้าพนักงานปกครอง",
        "position_en": "Administration Officer",
        "photo": None,
        "retired": False,
    }
    assert "กานดา" in path.read_text(encoding="utf-8")  # Thai stays readable in the file
    assert sorted(p.name for p in path.parent.iterdir()) == [ROSTER_FILE_NAME]


def test_the_file_keeps_its_members_in_their_order(tmp_path):
    """roster.json is written byte for byte as before: every kind's members in one order."""
    save_roster(tmp_path, DEMO_ROSTER)
    stored = json.loads((tmp_path / ROSTER_FILE_NAME).read_text(encoding="utf-8"))
    kinds = ("staff", "units", "services", "tags", "concerns")
    assert list(stored) == ["version", *kinds]
    assert [list(stored[kind][0]) for kind in kinds] == [
        ["id", "name_th", "name_en", "position_th", "position_en", "photo", "retired"],
        ["id", "name_th", "name_en", "retired"],
        ["code", "name_th", "name_en", "retired"],
        ["code", "label_th", "label_en", "retired"],
        ["code", "label_th", "label_en", "retired"],
    ]
    assert (
        (tmp_path / ROSTER_FILE_NAME)
        .read_text(encoding="utf-8")
        .startswith('{\n  "version": 2,\n  "staff": [\n    {\n      "id": "s01",\n')
    )


def test_optional_members_may_be_left_out_of_the_file(tmp_path):
    (tmp_path / ROSTER_FILE_NAME).write_text(
        json.dumps(
            {
                "version": 1,
                "staff": [{"id": "s01", "name_th": "นายวีระ มั่นคง"}],
                "units": [{"id": "id-card", "name_th": "งานบัตรประจำตัวประชาชน"}],
                "services": [],
                "tags": [{"code": "fast", "label_th": "รวดเร็ว"}],
            }
        ),
        encoding="utf-8",
    )
    roster = load_roster(tmp_path, default=DEMO_ROSTER)
    assert roster.staff == (StaffMember("s01", "นายวีระ มั่นคง"),)
    assert roster.active_tags() == (Tag("fast", "รวดเร็ว"),)


OLD_FILE = {  # roster.json as Sangsuk wrote it before concern tags: format 1, no "concerns"
    "version": 1,
    "staff": [{"id": "s01", "name_th": "นายวีระ มั่นคง", "retired": False}],
    "units": [],
    "services": [],
    "tags": [
        {"code": "fast", "label_th": "รวดเร็ว", "label_en": "Fast", "retired": False},
        {"code": "t01", "label_th": "ที่จอดรถสะดวก", "label_en": "", "retired": True},
    ],
}


def test_a_file_from_before_concern_tags_loads_with_the_default_ones(tmp_path):
    (tmp_path / ROSTER_FILE_NAME).write_text(json.dumps(OLD_FILE), encoding="utf-8")
    before = (tmp_path / ROSTER_FILE_NAME).read_bytes()
    roster = load_roster(tmp_path)
    assert [t.code for t in roster.tags] == ["fast", "t01"]
    assert roster.concerns == DEFAULT_CONCERNS
    assert (tmp_path / ROSTER_FILE_NAME).read_bytes() == before  # loading never writes
    save_roster(tmp_path, roster)  # the next save writes them out, as format 2
    stored = json.loads((tmp_path / ROSTER_FILE_NAME).read_text(encoding="utf-8"))
    assert (stored["version"], len(stored["concerns"])) == (2, len(DEFAULT_CONCERNS))
    assert load_roster(tmp_path) == roster


def test_an_old_file_whose_tag_has_a_default_concerns_code_keeps_its_tag(tmp_path):
    old = {**OLD_FILE, "tags": [{"code": "long-wait", "label_th": "รอไม่นาน"}]}
    (tmp_path / ROSTER_FILE_NAME).write_text(json.dumps(old), encoding="utf-8")
    roster = load_roster(tmp_path)
    assert [t.code for t in roster.tags] == ["long-wait"]
    assert roster.concerns == tuple(c for c in DEFAULT_CONCERNS if c.code != "long-wait")


def test_a_file_with_an_empty_concern_list_keeps_it_empty(tmp_path):
    save_roster(tmp_path, replace(DEMO_ROSTER, concerns=()))
    assert load_roster(tmp_path).concerns == ()  # the clerk's choice, not the defaults


def _file(**changes):
    obj = roster_to_json(DEMO_ROSTER)
    obj.update(changes)
    return json.dumps(obj, ensure_ascii=False).encode()


def _staff_file(**changes):
    return _file(staff=[{"id": "s01", "name_th": "นายวีระ มั่นคง", **changes}])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe{}", "UTF-8"),
        (b"[1, 2]", "JSON object"),
        (b'{"version": 1, "version": 1}', "twice"),
        (_file(version="1"), "version must be a whole number"),
        (_file(version=1.5), "whole numbers"),
        (json.dumps({"staff": []}).encode(), "has no"),
        (_file(extra=1), "unknown member"),
        (_file(staff={}), "staff must be a list"),
        (_file(staff=["s01"]), "staff entry 1 must be a JSON object"),
        (_staff_file(name_th=None), "name_th must be text"),
        (_staff_file(nickname="ก"), "staff entry 1 has unknown member"),
        (_staff_file(id="S01"), "staff id"),
        (_staff_file(photo="/etc/passwd"), "photo"),
        (_staff_file(retired=1), "retired must be true or false"),
        (_file(units=[{"id": "a", "name_th": "ก"}, {"id": "a", "name_th": "ข"}]), "twice"),
        (_file(tags=[{"code": "fast"}]), "tag entry 1 has no label_th"),
        (_file(concerns={}), "concerns must be a list"),
        (_file(concerns=[{"code": "long-wait"}]), "concern entry 1 has no label_th"),
        (_file(concerns=[{"code": "Long wait", "label_th": "รอนาน"}]), "concern code"),
        (
            _file(concerns=[{"code": "fast", "label_th": "เร็วเกินไป"}]),
            "'fast' names both an impression tag and a concern tag",
        ),
        (_file(version=3), "format 3, written by a newer Sangsuk; this one reads format 2"),
        (
            _file(staff=[{"id": f"s{i}", "name_th": "ก"} for i in range(MAX_ACTIVE_STAFF + 1)]),
            "at most",
        ),
    ],
)
def test_a_bad_roster_file_is_a_clear_error_and_left_alone(tmp_path, content, message):
    path = tmp_path / ROSTER_FILE_NAME
    path.write_bytes(content)
    with pytest.raises(RosterError, match=message) as caught:
        load_roster(tmp_path, default=DEMO_ROSTER)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == [ROSTER_FILE_NAME]


def test_an_unreadable_roster_file_is_a_clear_error(tmp_path):
    (tmp_path / ROSTER_FILE_NAME).mkdir()  # a folder where the file should be
    with pytest.raises(RosterError, match="cannot be read"):
        load_roster(tmp_path, default=DEMO_ROSTER)


# --- photos --------------------------------------------------------------------------------


def test_a_card_without_a_photo_file_shows_initials(tmp_path):
    member = StaffMember("s01", "นางสาวกานดา ใจดี", photo="s01.jpg")
    assert photo_path(tmp_path, DEMO_ROSTER.staff[0]) is None  # no photo named
    assert photo_path(tmp_path, member) is None  # named, but not there
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "s01.jpg").write_bytes(b"\xff\xd8\xff")
    assert photo_path(tmp_path, member) == tmp_path / "photos" / "s01.jpg"


def test_a_photo_is_copied_into_the_data_folder_under_its_own_name(tmp_path):
    source = tmp_path / "Kanda portrait.PNG"
    source.write_bytes(PNG)
    name = store_photo(tmp_path / "data", "s01", source)
    assert name.startswith("s01-")
    assert name.endswith(".png")
    member = StaffMember("s01", "นางสาวกานดา ใจดี", photo=name)
    found = photo_path(tmp_path / "data", member)
    assert found is not None
    assert found.read_bytes() == PNG
    assert store_photo(tmp_path / "data", "s01", source) == name  # same picture, same file


@pytest.mark.parametrize(
    ("file_name", "content", "message"),
    [
        ("kanda.gif", b"GIF89a", r"\.png or \.jpg"),
        ("kanda.jpg", PNG, "not a JPG image"),
        ("kanda.png", b"", "not a PNG image"),
    ],
)
def test_a_photo_that_is_not_a_png_or_jpeg_is_refused(tmp_path, file_name, content, message):
    source = tmp_path / file_name
    source.write_bytes(content)
    with pytest.raises(RosterError, match=message):
        store_photo(tmp_path / "data", "s01", source)
    assert not (tmp_path / "data" / "photos").exists() or not any(
        (tmp_path / "data" / "photos").iterdir()
    )


def test_a_missing_photo_source_is_a_clear_error(tmp_path):
    with pytest.raises(RosterError, match="cannot be read"):
        store_photo(tmp_path, "s01", tmp_path / "gone.jpg")
