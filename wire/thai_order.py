"""Thai dictionary order for names (provinces, districts) in lists people scan.

Python sorts by code point, which puts every name that begins with a leading vowel (เ แ โ ใ ไ,
written before the consonant it follows in speech) after all the others: เชียงใหม่ after
อ่างทอง. A Thai dictionary orders by the consonant first. The full rules (Royal Institute
order, tones last) are ICU's; PyICU is a large compiled dependency for two short lists, so
this key does what those lists need: the consonant before its leading vowel, then the
vowel, with tone marks weighed after everything else.
"""

from __future__ import annotations

from typing import Final

_LEADING_VOWELS: Final = frozenset("เแโใไ")
_TONE_MARKS: Final = frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c")  # ่ ้ ๊ ๋ ์


def thai_sort_key(text: str) -> tuple[str, str]:
    """A key that sorts Thai names as a dictionary does: by consonants, then vowels, then tones."""
    letters = list(text)
    i = 0
    while i < len(letters) - 1:
        if letters[i] in _LEADING_VOWELS:  # เชียง -> ชเียง: the consonant decides first
            letters[i], letters[i + 1] = letters[i + 1], letters[i]
            i += 1  # past the vowel just moved
        i += 1
    base = "".join(c for c in letters if c not in _TONE_MARKS)
    return base, "".join(letters)
