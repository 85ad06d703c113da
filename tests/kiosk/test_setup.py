"""The setup wizard as a state machine: every step, every refusal, without Qt."""

import pytest

from kiosk.setup import (
    ScreenCheck,
    SetupError,
    SetupStep,
    SetupWizard,
    districts,
    offered,
    provinces,
)
from wire.thai_order import thai_sort_key

PIN = "482916"


def test_provinces_are_searched_in_thai_and_english_and_bangkok_is_not_offered():
    assert [p.code for p in provinces("อำนาจ")] == ["37"]
    assert [p.code for p in provinces("จังหวัด อำนาจเจริญ")] == ["37"]
    assert [p.code for p in provinces("amnat")] == ["37"]
    everything = provinces()
    assert len(everything) == 76
    assert "10" not in {p.code for p in everything}
    names = [p.name_th for p in everything]
    assert names == sorted(names, key=thai_sort_key)  # a Thai dictionary's order:
    assert names.index("ชุมพร") < names.index("เชียงใหม่") < names.index("ตรัง")  # not at the end


def test_districts_of_a_province_are_searched():
    names = {d.code: d.name_th for d in districts("37")}
    assert len(names) == 7
    assert names["3706"] == "หัวตะพาน"
    assert [d.code for d in districts("37", "หัวตะ")] == ["3706"]
    assert [d.code for d in districts("37", "Hua Taphan")] == ["3706"]
    assert districts("37", "ไม่มีชื่อนี้") == []


def test_the_whole_way_through():
    wizard = SetupWizard()
    assert wizard.step is SetupStep.SCREEN
    assert wizard.measure_screen(ScreenCheck(1280, 800, 217, 136))
    wizard.next()
    with pytest.raises(SetupError) as caught:
        wizard.next()
    assert caught.value.code == "no_province"
    wizard.choose_province("37")
    with pytest.raises(SetupError) as caught:
        wizard.next()
    assert caught.value.code == "no_district"
    wizard.choose_district("3706")
    assert wizard.next() is SetupStep.PIN
    with pytest.raises(SetupError):
        wizard.next()
    wizard.set_pin(PIN, PIN)
    assert wizard.next() is SetupStep.COLLECTOR
    wizard.set_collector("", "", enroll_now=False)  # offline: nothing to give
    assert wizard.next() is SetupStep.REVIEW
    answers = wizard.answers()
    assert answers.district == "3706"
    assert answers.pin == PIN
    assert answers.collector_url is None
    assert not answers.enroll_now
    assert PIN not in repr(answers)
    assert PIN not in repr(wizard)


def test_back_keeps_answers_and_a_new_province_forgets_the_district():
    wizard = SetupWizard(step=SetupStep.PLACE)
    wizard.choose_province("37")
    wizard.choose_district("3706")
    wizard.next()
    assert wizard.back() is SetupStep.PLACE
    assert wizard.district == "3706"
    wizard.choose_province("37")
    assert wizard.district == "3706"
    wizard.choose_province("50")
    assert wizard.district is None


@pytest.mark.parametrize("code", ["10", "99", ""])
def test_no_bangkok_or_unknown_province(code):
    with pytest.raises(SetupError):
        SetupWizard().choose_province(code)


def test_a_district_must_be_in_the_chosen_province():
    wizard = SetupWizard()
    with pytest.raises(SetupError):
        wizard.choose_district("3706")  # no province yet
    wizard.choose_province("50")
    with pytest.raises(SetupError):
        wizard.choose_district("3706")


@pytest.mark.parametrize(
    ("first", "second", "code"),
    [
        ("4829", "4829", "pin_format"),
        ("48291a", "48291a", "pin_format"),
        ("111111", "111111", "pin_simple"),
        (PIN, "482917", "pin_mismatch"),
    ],
)
def test_the_pin_is_checked_and_typed_twice(first, second, code):
    wizard = SetupWizard(step=SetupStep.PIN)
    with pytest.raises(SetupError) as caught:
        wizard.set_pin(first, second)
    assert caught.value.code == code
    assert first not in str(caught.value)
    assert not wizard.pin_given


@pytest.mark.parametrize(("pin", "code"), [("123456", "pin_simple"), ("4829", "pin_format")])
def test_a_pin_that_could_never_be_taken_is_refused_at_its_first_typing(pin, code):
    wizard = SetupWizard(step=SetupStep.PIN)
    with pytest.raises(SetupError) as caught:
        wizard.check_first_pin(pin)
    assert caught.value.code == code
    wizard.check_first_pin(PIN)  # a good one passes, and is taken only when typed again
    assert not wizard.pin_given


def test_thai_digits_give_the_same_pin():
    wizard = SetupWizard()
    wizard.set_pin("๔๘๒๙๑๖", PIN)
    assert wizard.pin_given


@pytest.mark.parametrize(
    ("url", "token", "now", "code"),
    [
        ("ftp://example", "", False, "bad_url"),
        ("collector.example", "", False, "bad_url"),
        ("", "abc", True, "no_url"),
        ("https://c.example", "", True, "no_token"),
        ("https://c.example", "x" * 201, True, "token_too_long"),
    ],
)
def test_collector_answers_are_checked(url, token, now, code):
    with pytest.raises(SetupError) as caught:
        SetupWizard().set_collector(url, token, enroll_now=now)
    assert caught.value.code == code


def test_the_collector_address_and_token_are_tidied():
    wizard = SetupWizard()
    wizard.set_collector("  https://c.example/ ", " abc def\n", enroll_now=True)
    wizard.district, wizard._pin = "3706", PIN
    answers = wizard.answers()
    assert answers.collector_url == "https://c.example"
    assert answers.token == "abcdef"
    assert answers.enroll_now


@pytest.mark.parametrize(
    ("check", "large"),
    [
        (ScreenCheck(1280, 800, 217, 136), True),
        (ScreenCheck(800, 1280, 136, 217), False),  # portrait: not supported
        (ScreenCheck(1280, 800), True),  # size in mm unknown: pixels decide
        (ScreenCheck(1024, 600, 154, 90), False),  # a 7-inch tablet
        (ScreenCheck(800, 480), False),
    ],
)
def test_the_screen_check(check, large):
    assert check.large_enough is large


def test_answers_need_a_district_and_a_pin():
    with pytest.raises(SetupError) as caught:
        SetupWizard().answers()
    assert caught.value.code == "not_finished"


def test_typing_a_whole_name_offers_that_name_and_no_other() -> None:
    # The wizard offers what typing leaves; the clerk's tap chooses it. Every province and
    # district office typed whole, in Thai or English, is offered, even when its name is part
    # of another's (a district typed "อำนาจ" is not offered: two names hold it).
    for province in provinces():
        for name in (province.name_th, province.name_en):
            assert offered(name, provinces(name)) == province, name
        for district in districts(province.code):
            found = districts(province.code, district.name_th)
            assert offered(district.name_th, found) == district, district.name_th
    assert offered("ชล", provinces("ชล")) == next(p for p in provinces() if p.code == "20")
    assert offered("อำนาจ", districts("37", "อำนาจ")) is None
    assert offered("", provinces()) is None
    assert offered("  ", provinces("  ")) is None
