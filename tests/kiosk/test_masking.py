"""Personal numbers in a story are masked before a vote is signed (promise 8)."""

import pytest

from kiosk.masking import ascii_digits, is_thai_national_id, mask_personal_numbers

VALID_ID = "1101700230708"  # check digit verified by the formula in docs/protocol.md


def test_check_digit_formula():
    assert is_thai_national_id(VALID_ID)
    assert not is_thai_national_id(VALID_ID[:-1] + "9")
    assert not is_thai_national_id("123")


@pytest.mark.parametrize(
    ("story", "masked"),
    [
        (f"บัตร {VALID_ID} ค่ะ", "บัตร XXXXXXXXXXXXX ค่ะ"),
        ("บัตร 1-1017-00230-70-8 ค่ะ", "บัตร X-XXXX-XXXXX-XX-X ค่ะ"),
        ("บัตร 1 1017 00230 70 8", "บัตร X XXXX XXXXX XX X"),
        ("โทร 0812345678 นะคะ", "โทร XXXXXXXXXX นะคะ"),
        ("โทร 081-234-5678", "โทร XXX-XXX-XXXX"),
        ("โทร 081 234 5678 2 ครั้ง", "โทร XXX XXX XXXX 2 ครั้ง"),
        ("สำนักงาน 02-123-4567", "สำนักงาน XX-XXX-XXXX"),
        ("+66 81 234 5678", "+XX XX XXX XXXX"),
        ("66812345678", "XXXXXXXXXXX"),
        ("โทร ๐๘๑๒๓๔๕๖๗๘", "โทร XXXXXXXXXX"),
        ("เลขบัตร ๑๑๐๑๗๐๐๒๓๐๗๐๘", "เลขบัตร XXXXXXXXXXXXX"),
    ],
)
def test_personal_numbers_are_masked(story, masked):
    assert mask_personal_numbers(story) == masked
    assert len(mask_personal_numbers(story)) == len(story)


@pytest.mark.parametrize(
    "story",
    [
        "มาเมื่อปี 2564 ได้ 5 ดาว",
        "รอคิว 15 นาที เวลา 10.30 น.",
        "1101700230709",  # 13 digits but a wrong check digit: not an ID number
        "0112345678",  # 01 is not a Thai phone prefix
        "ราคา 1,500 บาท",
    ],
)
def test_ordinary_numbers_are_kept(story):
    assert mask_personal_numbers(story) == story


def test_masking_is_idempotent():
    once = mask_personal_numbers(f"บัตร {VALID_ID} โทร 0812345678")
    assert mask_personal_numbers(once) == once


def test_thai_digits_read_as_digits():
    assert ascii_digits("๐๘๑-2") == "0812"


@pytest.mark.parametrize(
    ("story", "masked"),
    [
        ("(02) 123-4567", "(XX) XXX-XXXX"),
        ("+66 (0) 81 234 5678", "+XX (X) XX XXX XXXX"),
        ("081–234–5678", "XXX–XXX–XXXX"),  # en dashes
        ("081  234 5678", "XXX  XXX XXXX"),  # two spaces
        ("+0812345678", "+XXXXXXXXXX"),
    ],
)
def test_common_ways_of_writing_phone_numbers_are_masked(story, masked):
    assert mask_personal_numbers(story) == masked
