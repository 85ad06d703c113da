"""Spoken guidance without Qt: what a screen says aloud, which voice says it, what the button does.

A citizen who cannot read the screen taps the speaker button and hears the screen's question and
its choices, in the language the screen is in. The screens hand over the texts they show (already
translated) as a ``Spoken``; ``utterance`` puts them in reading order and joins them so that a
speech engine pauses between them. What is heard is therefore always what is shown.

The kiosk never guesses a voice for a language it has none for: ``pick_locale`` finds a voice
locale of the session's language or returns None, and the speaker button then says that spoken
guidance is not available rather than reading Thai with an English voice.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from wire.vote import LANGUAGES

MOST_CHOICES_READ: Final = 10  # a list longer than this is cut short with "and N more"
PREFERRED_LOCALES: Final = {"th": "th_TH", "en": "en_US"}
_SPACES: Final = re.compile(r"\s+")
_DASHES: Final = re.compile(r"\s*[—–]\s*")
_SENTENCE_END: Final = (".", "?", "!", ":")
# Shown on buttons but not words: arrows, ellipses, bullet points.
_NOT_SPOKEN: Final = str.maketrans("", "", "←→↑↓…•")


@dataclass(frozen=True, slots=True)
class Spoken:
    """What one screen says aloud, in the order it is read.

    ``question`` is what the screen asks (or tells); ``details`` are the lines that explain it
    (a hint, the district's name); ``choices`` are what the citizen can choose, in reading
    order; ``more`` is said after the first choices when a long list is cut short, with ``%1``
    standing for how many were not read (for example "and %1 more; swipe to see them");
    ``actions`` are the buttons that move on (Send, Try again), always read, last.
    """

    question: str
    details: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    more: str = ""
    actions: tuple[str, ...] = ()


class SpeakerAction(Enum):
    """What a tap on the speaker button does."""

    TURN_ON = "turn_on"  # guidance on for this citizen; the screen is read now and on arrival
    TURN_OFF = "turn_off"  # stop speaking; no more reading for this citizen
    REPEAT = "repeat"  # guidance is on and the reading ended: read this screen again
    EXPLAIN = "explain"  # no voice for this language: say so on screen


def speaker_action(*, guidance_on: bool, speaking: bool, available: bool) -> SpeakerAction:
    """Return what a tap on the speaker button does, given the citizen's guidance and the voice."""
    if not available:
        return SpeakerAction.TURN_OFF if guidance_on else SpeakerAction.EXPLAIN
    if not guidance_on:
        return SpeakerAction.TURN_ON
    return SpeakerAction.TURN_OFF if speaking else SpeakerAction.REPEAT


def clean(text: str) -> str:
    """Return a shown text as it should be spoken: one line, no arrows, dashes as pauses."""
    text = text.translate(_NOT_SPOKEN)
    text = _DASHES.sub(", ", text)
    return _SPACES.sub(" ", text).strip(" ,")


def utterance(spoken: Spoken, lang: str, *, most: int = MOST_CHOICES_READ) -> str:
    """Return the text to speak for a screen in lang ("th" or "en").

    Parts are read in order: the question, the details, at most ``most`` choices, ``more`` if
    choices were left out, and the actions. English parts end with a full stop unless they end a
    sentence already; Thai, which has no full stop, is joined with spaces, where Thai voices pause.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be th or en, not {lang!r}")
    if most < 1:
        raise ValueError("most must be at least 1")
    choices = [c for c in (clean(choice) for choice in spoken.choices) if c]
    parts = [clean(spoken.question), *(clean(d) for d in spoken.details), *choices[:most]]
    left_out = len(choices) - most
    if left_out > 0 and spoken.more:
        parts.append(clean(spoken.more.replace("%1", str(left_out))))
    parts.extend(clean(action) for action in spoken.actions)
    parts = [part for part in parts if part]
    if lang == "th":
        return " ".join(parts)
    return " ".join(part if part.endswith(_SENTENCE_END) else f"{part}." for part in parts)


def pick_locale(lang: str, available: Sequence[str]) -> str | None:
    """Return the voice locale to speak lang with, from locale names such as "th_TH", or None.

    The preferred country comes first (Thailand for Thai, the United States for English), then
    any other locale of the same language; a voice of another language is never chosen.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"language must be th or en, not {lang!r}")
    names = [name.replace("-", "_") for name in available]
    preferred = PREFERRED_LOCALES[lang]
    if preferred in names:
        return preferred
    same = [name for name in names if name.split("_")[0].lower() == lang]
    return same[0] if same else None
