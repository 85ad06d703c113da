"""The on-screen keyboard's layouts and the text buffer it edits (no Qt)."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.keyboard_layouts import (
    DOTTED_CIRCLE,
    ENGLISH_QWERTY,
    LAYOUTS,
    THAI_CONSONANTS,
    THAI_KEDMANEE,
    Key,
    Layout,
    TextBuffer,
    character_key,
    is_combining_mark,
)
from wire.vote import STORY_MAX_CHARS, normalize_story

SHAPE = [12, 13, 11, 10]

# Kedmanee written a second way, by Unicode names, from xkeyboard-config's symbols/th "basic"
# (its keysym names follow the same Thai romanisation), to catch a look-alike typed in the
# module: ่ for ้, ุ for ู, ข for ฃ. One token per key; one character stands for itself.
_THAI_BY_NAME = {
    "normal": [
        "LAKKHANGYAO / - PHO_SAMPHAO THO_THUNG SARA_U SARA_UE KHO_KHWAI TO_TAO CHO_CHAN KHO_KHAI CHO_CHANG",
        "MAIYAMOK SARA_AI_MAIMALAI SARA_AM PHO_PHAN SARA_A MAI_HAN-AKAT SARA_II RO_RUA NO_NU YO_YAK BO_BAIMAI LO_LING KHO_KHUAT",
        "FO_FAN HO_HIP KO_KAI DO_DEK SARA_E MAI_THO MAI_EK SARA_AA SO_SUA WO_WAEN NGO_NGU",
        "PHO_PHUNG PO_PLA SARA_AE O_ANG SARA_I SARA_UEE THO_THAHAN MO_MA SARA_AI_MAIMUAN FO_FA",
    ],
    "shift": [
        "+ DIGIT_ONE DIGIT_TWO DIGIT_THREE DIGIT_FOUR SARA_UU BAHT DIGIT_FIVE DIGIT_SIX DIGIT_SEVEN DIGIT_EIGHT DIGIT_NINE",
        'DIGIT_ZERO " DO_CHADA THO_NANGMONTHO THO_THONG NIKHAHIT MAI_TRI NO_NEN PAIYANNOI YO_YING THO_THAN , KHO_KHON',
        "RU KHO_RAKHANG TO_PATAK SARA_O CHO_CHOE MAITAIKHU MAI_CHATTAWA SO_RUSI SO_SALA SO_SO .",
        "( ) CHO_CHING HO_NOKHUK PHINTHU THANTHAKHAT ? THO_PHUTHAO LO_CHULA LU",
    ],
}
MARKS = "ัิีึืุู่้๊๋็์ํฺ"


def _from_name(token: str) -> str:
    """Return the character a token of _THAI_BY_NAME stands for."""
    if len(token) == 1:
        return token
    name = token.replace("_", " ")
    for prefix in ("THAI CHARACTER ", "THAI ", "THAI CURRENCY SYMBOL "):
        try:
            return unicodedata.lookup(prefix + name)
        except KeyError:
            continue
    raise KeyError(token)


def values(layer: tuple[tuple[Key, ...], ...]) -> list[list[str]]:
    """Return a layer as rows of the characters its keys insert."""
    return [[key.value for key in row] for row in layer]


def type_with(layout: Layout, text: str, buffer: TextBuffer) -> list[str]:
    """Type text key by key on layout, as a citizen would; return "normal"/"shift" per key."""
    layers = []
    for ch in text:
        if ch == " ":  # the space bar is not part of the layout's layers
            assert buffer.insert(" ")
            layers.append("space")
            continue
        found = [
            (name, key)
            for name, layer in (("normal", layout.normal), ("shift", layout.shift))
            for row in layer
            for key in row
            if key.value == ch
        ]
        assert len(found) == 1, f"{ch!r} is on {len(found)} keys"
        name, key = found[0]
        assert buffer.insert(key.value)
        layers.append(name)
    return layers


@pytest.mark.parametrize("layout", [THAI_KEDMANEE, ENGLISH_QWERTY], ids=["th", "en"])
def test_both_layers_have_the_shape_of_a_us_keyboard(layout: Layout) -> None:
    assert [len(row) for row in layout.normal] == SHAPE
    assert [len(row) for row in layout.shift] == SHAPE
    assert len(layout.all_keys()) == 2 * sum(SHAPE) == 92
    assert all(len(key.value) == 1 for key in layout.all_keys())
    assert len({key.value for key in layout.all_keys()}) == 92  # no character on two keys


def test_thai_layers_are_kedmanee_row_by_row() -> None:
    for layer_name, rows in _THAI_BY_NAME.items():
        expected = [[_from_name(token) for token in row.split()] for row in rows]
        assert values(THAI_KEDMANEE.layer(layer_name == "shift")) == expected, layer_name


def test_thai_rows_read_as_on_a_thai_keyboard() -> None:
    assert [" ".join(row) for row in values(THAI_KEDMANEE.normal)] == [
        "ๅ / - ภ ถ ุ ึ ค ต จ ข ช",
        "ๆ ไ ำ พ ะ ั ี ร น ย บ ล ฃ",
        "ฟ ห ก ด เ ้ ่ า ส ว ง",
        "ผ ป แ อ ิ ื ท ม ใ ฝ",
    ]
    assert [" ".join(row) for row in values(THAI_KEDMANEE.shift)] == [
        "+ ๑ ๒ ๓ ๔ ู ฿ ๕ ๖ ๗ ๘ ๙",
        '๐ " ฎ ฑ ธ ํ ๊ ณ ฯ ญ ฐ , ฅ',
        "ฤ ฆ ฏ โ ฌ ็ ๋ ษ ศ ซ .",
        "( ) ฉ ฮ ฺ ์ ? ฒ ฬ ฦ",
    ]


def test_english_is_us_qwerty_with_shift() -> None:
    assert ["".join(row) for row in values(ENGLISH_QWERTY.normal)] == [
        "1234567890-=",
        "qwertyuiop[]\\",
        "asdfghjkl;'",
        "zxcvbnm,./",
    ]
    assert ["".join(row) for row in values(ENGLISH_QWERTY.shift)] == [
        "!@#$%^&*()_+",
        "QWERTYUIOP{}|",
        'ASDFGHJKL:"',
        "ZXCVBNM<>?",
    ]
    letters = {key.value for key in ENGLISH_QWERTY.all_keys() if key.value.isalpha()}
    assert letters == set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_layouts_by_language_and_their_captions() -> None:
    assert LAYOUTS == {"th": THAI_KEDMANEE, "en": ENGLISH_QWERTY}
    assert (THAI_KEDMANEE.language, THAI_KEDMANEE.caption) == ("th", "ไทย")
    assert (ENGLISH_QWERTY.language, ENGLISH_QWERTY.caption) == ("en", "ABC")


def test_every_thai_consonant_is_on_some_key() -> None:
    assert len(THAI_CONSONANTS) == 44
    assert THAI_CONSONANTS[0] == "ก"
    assert THAI_CONSONANTS[-1] == "ฮ"
    assert "ฃ" in THAI_CONSONANTS
    assert "ฅ" in THAI_CONSONANTS
    assert "ฤ" not in THAI_CONSONANTS
    on_keys = {key.value for key in THAI_KEDMANEE.all_keys()}
    assert set(THAI_CONSONANTS) - on_keys == set()
    # ... and every Thai digit, ฿, ฯ and ๆ too.
    assert set("๐๑๒๓๔๕๖๗๘๙฿ฯๆ") <= on_keys


def test_marks_are_labelled_on_a_dotted_circle_but_insert_only_the_mark() -> None:
    marks = [key for key in THAI_KEDMANEE.all_keys() if key.is_mark]
    assert sorted(key.value for key in marks) == sorted(MARKS)
    for key in marks:
        assert key.label == DOTTED_CIRCLE + key.value
        assert key.label == "\u25cc" + key.value
        assert unicodedata.category(key.value) == "Mn"
    ordinary = [key for key in THAI_KEDMANEE.all_keys() if not key.is_mark]
    assert all(key.label == key.value for key in ordinary)
    assert character_key("ำ").label == "ำ"  # sara am is a spacing vowel: no circle
    assert character_key("้") == Key(value="้", label="◌้")
    assert not any(key.is_mark for key in ENGLISH_QWERTY.all_keys())


def test_a_key_inserts_exactly_one_code_point() -> None:
    with pytest.raises(ValueError, match="one code point"):
        character_key("กา")
    with pytest.raises(ValueError, match="one code point"):
        character_key("")
    assert is_combining_mark("่")
    assert not is_combining_mark("ก่")
    assert not is_combining_mark("a")


@pytest.mark.parametrize(
    ("sentence", "layers"),
    [
        ("เจ้าหน้าที่ใจดีมาก", None),
        (
            "ผู้ใหญ่บ้านน่ารัก",
            "normal shift normal normal normal shift normal normal normal normal normal "
            "normal normal normal normal normal normal",
        ),
        ("เจ้าหน้าที่พูดจาสุภาพ ขอบคุณค่ะ", None),
    ],
)
def test_typing_key_values_gives_the_thai_sentence(sentence: str, layers: str | None) -> None:
    buffer = TextBuffer()
    used = type_with(THAI_KEDMANEE, sentence, buffer)
    assert buffer.text == sentence
    assert [hex(ord(ch)) for ch in buffer.text] == [hex(ord(ch)) for ch in sentence]
    if layers is not None:
        assert used == layers.split()
    assert buffer.remaining() == STORY_MAX_CHARS - len(sentence)


def test_typing_english_with_shift() -> None:
    buffer = TextBuffer()
    used = type_with(ENGLISH_QWERTY, "Thank you!", buffer)
    assert buffer.text == "Thank you!"
    assert used[0] == "shift"
    assert used[-1] == "shift"
    assert used[1:4] == ["normal"] * 3


def test_backspace_removes_one_code_point_a_tone_mark_alone() -> None:
    buffer = TextBuffer(text="ผู้")
    assert [len(buffer.text), buffer.remaining()] == [3, STORY_MAX_CHARS - 3]
    assert buffer.backspace()
    assert buffer.text == "ผู"  # the tone mark went, the vowel stayed
    assert buffer.backspace()
    assert buffer.text == "ผ"
    assert buffer.backspace()
    assert buffer.text == ""
    assert not buffer.backspace()  # nothing left: nothing happens
    assert buffer.text == ""


def test_insertion_past_the_limit_is_refused_whole() -> None:
    buffer = TextBuffer(max_length=5)
    assert not buffer.insert("สวัสดี")
    assert buffer.text == ""  # six code points do not fit in five: nothing is inserted
    assert buffer.insert("สวัส")
    assert buffer.remaining() == 1
    assert buffer.can_insert("ด")
    assert not buffer.can_insert("ดี")
    assert not buffer.insert("ดี")
    assert buffer.text == "สวัส"
    assert buffer.insert("ด")
    assert buffer.remaining() == 0
    assert not buffer.insert("ี")
    assert not buffer.insert(" ")
    assert buffer.text == "สวัสด"
    assert buffer.backspace()
    assert buffer.insert("ี")  # room again after a backspace


def test_the_default_limit_is_the_votes() -> None:
    buffer = TextBuffer()
    assert buffer.max_length == STORY_MAX_CHARS == 500
    assert buffer.insert("ก" * 499)
    assert buffer.remaining() == 1
    assert buffer.insert("่")
    assert buffer.remaining() == 0
    assert not buffer.insert("ก")
    assert len(normalize_story(buffer.text)) <= STORY_MAX_CHARS


def test_the_limit_counts_code_points_after_nfc_as_the_vote_does() -> None:
    # e + combining acute is two code points typed but one after NFC, as the vote counts it.
    buffer = TextBuffer(max_length=3)
    assert buffer.insert("e\u0301")
    assert buffer.length() == 1
    assert buffer.text == "e\u0301"  # kept as typed; the vote normalises it
    assert buffer.insert("ab")
    assert not buffer.insert("c")
    # A Thai story is its own NFC form when typed in the usual order.
    story = "ผู้ใหญ่บ้านน่ารัก"
    assert unicodedata.normalize("NFC", story) == story


def test_the_text_stays_as_typed_even_in_an_unusual_order() -> None:
    buffer = TextBuffer()
    assert buffer.insert("ผ")
    assert buffer.insert("้")  # tone mark first ...
    assert buffer.insert("ู")  # ... then the vowel below
    assert buffer.text == "ผู้"
    assert buffer.backspace()
    assert buffer.text == "ผ้"  # backspace takes back the last key pressed


def test_set_text_and_a_lower_limit_cut_the_text() -> None:
    buffer = TextBuffer(max_length=10, text="ขอบคุณมากครับท่าน")
    assert buffer.text == "ขอบคุณมากค"
    buffer.max_length = 4
    assert buffer.text == "ขอบค"
    assert buffer.remaining() == 0
    buffer.max_length = 8
    assert buffer.remaining() == 4
    buffer.set_text("e\u0301")
    assert buffer.text == "\u00e9"  # text set from outside is normalised
    buffer.clear()
    assert buffer.text == ""
    assert buffer.remaining() == 8
    with pytest.raises(ValueError, match="negative"):
        TextBuffer(max_length=-1)
    with pytest.raises(ValueError, match="negative"):
        buffer.max_length = -1
