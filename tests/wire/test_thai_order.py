"""Thai names sort as a Thai dictionary orders them, not by code point."""

import geothai

from wire.thai_order import thai_sort_key


def test_a_leading_vowel_sorts_by_the_consonant_after_it():
    names = ["เชียงใหม่", "อ่างทอง", "ชุมพร", "แพร่", "ภูเก็ต", "เพชรบุรี", "ชัยนาท", "เลย", "ลำปาง"]
    assert sorted(names, key=thai_sort_key) == [
        "ชัยนาท", "ชุมพร", "เชียงใหม่", "เพชรบุรี", "แพร่", "ภูเก็ต", "ลำปาง", "เลย", "อ่างทอง",
    ]  # fmt: skip


def test_every_province_sorts_under_its_first_consonant():
    ordered = sorted((p.name_th for p in geothai.provinces()), key=thai_sort_key)
    firsts = [thai_sort_key(name)[0][0] for name in ordered]
    assert firsts == sorted(firsts)  # never back to ก after ช, as code-point order went
    assert ordered.index("แม่ฮ่องสอน") < ordered.index("ยโสธร")
    assert ordered[-1] == "อุบลราชธานี"


def test_tone_marks_weigh_last():
    assert sorted(["ก้า", "กา", "กาก"], key=thai_sort_key) == ["กา", "ก้า", "กาก"]
