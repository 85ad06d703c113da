"""The index of first letters on a long roster: which letters, and which staff under each."""

from __future__ import annotations

from kiosk.demo import demo_roster_with_staff
from kiosk.initials import index_letter
from kiosk.roster import Roster, StaffMember
from kiosk.staff_index import INDEX_ABOVE_STAFF, letter_order, staff_index


def member(n: int, name_th: str, name_en: str = "", *, retired: bool = False) -> StaffMember:
    """Return a staff member with a plain id."""
    return StaffMember(f"s{n:02d}", name_th, name_en, retired=retired)


def roster_of(*named: StaffMember) -> Roster:
    """Return a roster of these staff, filled up past the index's threshold with others."""
    filler = tuple(
        member(90 + i, f"นายอนันต์{i} ทดสอบ", f"Mr Anan{i} Test")
        for i in range(INDEX_ABOVE_STAFF + 1 - len(named))
    )
    return Roster(staff=(*named, *filler))


def test_the_letter_follows_the_given_name_after_titles_and_leading_vowels() -> None:
    assert index_letter(member(1, "นางสาวกานดา ใจดี", "Ms Kanda Jaidee"), "th") == "ก"
    assert index_letter(member(1, "นางสาวกานดา ใจดี", "Ms Kanda Jaidee"), "en") == "K"
    assert index_letter(member(2, "ว่าที่ร้อยตรีณัฐพล ศรีวงศ์", "Acting Sub-Lt Nattapon"), "th") == "ณ"
    assert index_letter(member(2, "ว่าที่ร้อยตรีณัฐพล ศรีวงศ์", "Acting Sub-Lt Nattapon"), "en") == "N"
    assert index_letter(member(3, "นายเอกชัย บุญมา"), "th") == "อ"  # เ is a leading vowel
    assert index_letter(member(4, "นางไพศาล ทองคำ"), "th") == "พ"
    assert index_letter(member(5, "น.ส.แสงเดือน มีสุข"), "th") == "ส"
    assert index_letter(member(6, "นายิกา สุขใจ"), "th") == "น"  # a given name, not นาย + ิกา


def test_a_name_with_no_thai_letter_and_a_name_with_no_english_one() -> None:
    assert index_letter(member(1, "John Smith", "John Smith"), "th") == "J"
    assert index_letter(member(2, "นายสมชาย รักงาน"), "en") == "ส"  # Thai shown, Thai letter


def test_thai_letters_in_dictionary_order_each_with_its_staff_in_roster_order() -> None:
    roster = roster_of(
        member(1, "นายสมชาย รักงาน", "Mr Somchai Rakngan"),
        member(2, "นางสาวกานดา ใจดี", "Ms Kanda Jaidee"),
        member(3, "นางสุดา ใจงาม", "Mrs Suda Jaingam"),
        member(4, "นายเกษม ดีมาก", "Mr Kasem Deemak"),
        member(5, "John Smith", "John Smith"),
    )
    index = staff_index(roster, "th")
    letters = [entry.letter for entry in index]
    assert letters == ["ก", "ส", "อ", "J"]  # ก…ฮ, then a name with no Thai letter
    assert index[0].ids() == ("s02", "s04")  # the clerk's order, not the names' order
    assert index[1].ids() == ("s01", "s03")
    assert len(index[2].staff) == INDEX_ABOVE_STAFF + 1 - 5  # the filler, all อนันต์

    english = staff_index(roster, "en")
    assert [entry.letter for entry in english] == ["A", "J", "K", "S"]
    assert english[2].ids() == ("s02", "s04")


def test_retired_staff_are_never_indexed() -> None:
    roster = roster_of(
        member(1, "นายสมชาย รักงาน"),
        member(2, "นายบุญมี ย้ายไป", retired=True),
    )
    index = staff_index(roster, "th")
    assert "บ" not in [entry.letter for entry in index]
    assert all(m.id != "s02" for entry in index for m in entry.staff)


def test_twelve_staff_or_fewer_have_no_index_thirteen_do() -> None:
    assert staff_index(demo_roster_with_staff(INDEX_ABOVE_STAFF), "th") == ()
    assert staff_index(Roster(), "en") == ()
    index = staff_index(demo_roster_with_staff(INDEX_ABOVE_STAFF + 1), "th")
    assert index
    assert sum(len(entry.staff) for entry in index) == INDEX_ABOVE_STAFF + 1


def test_every_active_member_is_under_exactly_one_letter() -> None:
    roster = demo_roster_with_staff(40)
    for lang in ("th", "en"):
        ids = [i for entry in staff_index(roster, lang) for i in entry.ids()]
        assert sorted(ids) == sorted(m.id for m in roster.active_staff())


def test_the_order_puts_the_language_s_own_letters_first() -> None:
    assert sorted(["Z", "ก", "ฮ", "1", "A"], key=lambda c: letter_order(c, "th")) == [
        "ก", "ฮ", "A", "Z", "1",
    ]  # fmt: skip
    assert sorted(["Z", "ก", "A"], key=lambda c: letter_order(c, "en")) == ["A", "Z", "ก"]
