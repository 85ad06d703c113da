"""The on-screen keyboard's layouts (Thai Kedmanee, US English) and the text it edits. No Qt.

The kiosk cannot rely on the operating system's keyboard, and Qt's virtual keyboard has no
Thai, so ui/widgets/keyboard.py draws its own from these tables. Every key inserts exactly one code
point. Thai above and below vowels and tone marks are combining marks: their key shows the
mark on a dotted circle (U+25CC) so it is visible on its own, but inserts only the mark.

Thai Kedmanee, row by row as printed on Thai keyboards and as Windows ("Thai Kedmanee") and
X11 ship it: the layout ``th(basic)`` of xkeyboard-config, file ``symbols/th``
(https://gitlab.freedesktop.org/xkeyboard-config/xkeyboard-config). That is the TIS 820-2531
(1988) arrangement. Its 1995 revision TIS 820-2538 (xkeyboard-config ``th(tis)``) moves ฿ to
the 1 key, puts the rare ๎ (yamakkan) where ฿ was and swaps ฃ and ฅ; IBM notes that the
revision "is not widely used" and that Windows keeps TIS 820-2531
(https://www-01.ibm.com/software/globalization/topics/thai/keyboard.html), so the kiosk keeps
the arrangement citizens know. The key left of 1 (``_`` and ``%``) is left out: a story needs
neither, and the number row then has the same twelve keys in both languages.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Final

from wire.vote import STORY_MAX_CHARS

DOTTED_CIRCLE: Final = "\u25cc"  # the base Thai dictionaries draw a lone mark on
SPACE: Final = " "
# The 44 Thai consonants, ก (U+0E01) to ฮ (U+0E2E), with the obsolete ฃ and ฅ; without ฤ and
# ฦ (U+0E24, U+0E26), which sit among them in Unicode but are vowels.
THAI_CONSONANTS: Final = "".join(
    chr(code) for code in range(0x0E01, 0x0E2F) if code not in (0x0E24, 0x0E26)
)


def is_combining_mark(text: str) -> bool:
    """Tell whether text is one non-spacing mark (a Thai vowel above or below, a tone mark)."""
    return len(text) == 1 and unicodedata.category(text) == "Mn"


@dataclass(frozen=True)
class Key:
    """One character key: the code point it inserts and what its key cap shows."""

    value: str
    label: str

    @property
    def is_mark(self) -> bool:
        """Tell whether the key inserts a combining mark (its label then has a dotted circle)."""
        return is_combining_mark(self.value)


def character_key(value: str) -> Key:
    """Return the key that inserts one code point, labelled on a dotted circle if it is a mark."""
    if len(value) != 1:
        raise ValueError(f"a key inserts exactly one code point, not {value!r}")
    label = DOTTED_CIRCLE + value if is_combining_mark(value) else value
    return Key(value=value, label=label)


Row = tuple[Key, ...]
Layer = tuple[Row, ...]


def _layer(*rows: str) -> Layer:
    """Build a layer from rows written as space-separated characters."""
    return tuple(tuple(character_key(item) for item in row.split(" ")) for row in rows)


@dataclass(frozen=True)
class Layout:
    """A keyboard layout: its language, the caption naming it, and its normal and shift layers."""

    language: str
    caption: str  # written in its own script, on the key that switches TO this layout
    normal: Layer
    shift: Layer

    def layer(self, shifted: bool) -> Layer:
        """Return the shift layer if shifted, else the normal one."""
        return self.shift if shifted else self.normal

    def all_keys(self) -> tuple[Key, ...]:
        """Return every character key of both layers."""
        return tuple(key for layer in (self.normal, self.shift) for row in layer for key in row)


THAI_KEDMANEE: Final = Layout(
    language="th",
    caption="ไทย",
    normal=_layer(
        "ๅ / - ภ ถ ุ ึ ค ต จ ข ช",
        "ๆ ไ ำ พ ะ ั ี ร น ย บ ล ฃ",
        "ฟ ห ก ด เ ้ ่ า ส ว ง",
        "ผ ป แ อ ิ ื ท ม ใ ฝ",
    ),
    shift=_layer(
        "+ ๑ ๒ ๓ ๔ ู ฿ ๕ ๖ ๗ ๘ ๙",
        '๐ " ฎ ฑ ธ ํ ๊ ณ ฯ ญ ฐ , ฅ',
        "ฤ ฆ ฏ โ ฌ ็ ๋ ษ ศ ซ .",
        "( ) ฉ ฮ ฺ ์ ? ฒ ฬ ฦ",
    ),
)

# US QWERTY on the same 46 key positions, so switching language keeps every key in place.
ENGLISH_QWERTY: Final = Layout(
    language="en",
    caption="ABC",
    normal=_layer(
        "1 2 3 4 5 6 7 8 9 0 - =",
        "q w e r t y u i o p [ ] \\",
        "a s d f g h j k l ; '",
        "z x c v b n m , . /",
    ),
    shift=_layer(
        "! @ # $ % ^ & * ( ) _ +",
        "Q W E R T Y U I O P { } |",
        'A S D F G H J K L : "',
        "Z X C V B N M < > ?",
    ),
)

LAYOUTS: Final[dict[str, Layout]] = {"th": THAI_KEDMANEE, "en": ENGLISH_QWERTY}


def story_length(text: str) -> int:
    """Return the length the vote checks: code points after NFC (masking keeps the length)."""
    return len(unicodedata.normalize("NFC", text))


class TextBuffer:
    """The story being typed: inserts that would pass the limit are refused whole.

    The text is kept exactly as typed; the vote normalises it (NFC) when it is signed. The
    limit counts code points after NFC, as the vote does, so a story that fits here fits there.
    """

    def __init__(self, max_length: int = STORY_MAX_CHARS, text: str = "") -> None:
        if max_length < 0:
            raise ValueError(f"max_length must not be negative, not {max_length}")
        self._max_length = max_length
        self._text = ""
        self.set_text(text)

    @property
    def text(self) -> str:
        """Return the text as typed."""
        return self._text

    @property
    def max_length(self) -> int:
        """Return the most code points (after NFC) the text may hold."""
        return self._max_length

    @max_length.setter
    def max_length(self, value: int) -> None:
        """Change the limit; text beyond a lower limit is cut off."""
        if value < 0:
            raise ValueError(f"max_length must not be negative, not {value}")
        self._max_length = value
        self.set_text(self._text)

    def length(self) -> int:
        """Return the length that counts against the limit."""
        return story_length(self._text)

    def remaining(self) -> int:
        """Return how many more code points may be typed."""
        return max(0, self._max_length - self.length())

    def can_insert(self, text: str) -> bool:
        """Tell whether inserting text would stay within the limit."""
        return story_length(self._text + text) <= self._max_length

    def insert(self, text: str) -> bool:
        """Append text and return True, or change nothing and return False if it would not fit."""
        if not self.can_insert(text):
            return False
        self._text += text
        return True

    def backspace(self) -> bool:
        """Remove the last code point (only the tone mark of "ผู้") and return whether one was."""
        if not self._text:
            return False
        self._text = self._text[:-1]
        return True

    def clear(self) -> None:
        """Remove all text."""
        self._text = ""

    def set_text(self, text: str) -> None:
        """Replace the text (NFC normalised), cut to the limit if it is longer."""
        self._text = unicodedata.normalize("NFC", text)[: self._max_length]
