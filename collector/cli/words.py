"""What `sangsuk-collector` prints, in Thai and in English, from the console's own catalogues.

The words are the ``cli.*`` entries of collector/translations/th.json and en.json (the web
console's catalogues, kept complete by tests/collector/test_web_i18n.py). By default every
message is printed as its Thai line, then its English line; ``--language th`` or
``--language en`` prints one language (docs/operations.md, "What `sangsuk-collector` prints").
The English lines say what the command said before it spoke Thai, so a script that reads them
keeps working. ``--json`` output is in no language and is printed as it always was. ``--help``
says each command, action, option and heading Thai / English on one line (``helped``; the
``cli.help.*``, ``cli.action.*``, ``cli.opt.*`` and ``cli.heading.*`` entries), or in the one
language ``--language`` chooses.

A value may itself be words: ``Phrase`` (another entry, with its values) or ``Count`` (a number
and its noun: ``cli.n.*`` entries hold ``one|many`` in English, one form in Thai), so each line is
worded wholly in its own language. How the lines are printed (``Voice``) and the help laid out
is what the three programs share (bilingual/cli.py); the words are these.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Final

from bilingual.cli import Said, Voice
from collector.i18n import catalogue

PROG: Final = "sangsuk-collector"
log = logging.getLogger(__name__)


class Phrase:
    """Words to say: a catalogue key and the values of its placeholders."""

    def __init__(self, key: str, /, **values: object) -> None:
        """Words of ``key``; a value may be a Phrase or Count, worded in the same language."""
        self.key = key
        self.values = values

    def in_language(self, lang: str) -> str:
        """The words in one language (th or en)."""
        words = catalogue(lang).get(self.key)
        if words is None:  # a test keeps this from happening; never fail a command for it
            log.error("no %s words for %r", lang, self.key)
            words = catalogue("en").get(self.key, self.key)
        filled = {name: worded(value, lang) for name, value in self.values.items()}
        return words.format(**filled)

    def __str__(self) -> str:
        return self.in_language("en")


class Worded(Phrase):
    """Thai from the catalogue; English as another part of the collector already words it
    (a campaign's refusal: the console's Thai, the store's English sentence)."""

    def __init__(self, key: str, english: str, /, **values: object) -> None:
        """The Thai of ``key`` with values; ``english`` as it is."""
        super().__init__(key, **values)
        self.english = english

    def in_language(self, lang: str) -> str:
        """The Thai words, or the English sentence."""
        return self.english if lang == "en" else super().in_language(lang)


class Local(Phrase):
    """A value already worded in each language (a size group's Thai name and its code)."""

    def __init__(self, th: str, en: str) -> None:
        """The Thai and the English."""
        super().__init__("", th=th, en=en)
        self.words = {"th": th, "en": en}

    def in_language(self, lang: str) -> str:
        """The words in lang."""
        return self.words.get(lang, self.words["en"])


class Count(Phrase):
    """A number and its noun (``cli.n.vote``: "{n} คะแนน" / "{n} vote|{n} votes")."""

    def __init__(self, n: int, noun: str) -> None:
        """``n`` of the noun whose entry is ``cli.n.<noun>``."""
        super().__init__(f"cli.n.{noun}", n=n)
        self.n = n

    def in_language(self, lang: str) -> str:
        """The number and the noun, singular for 1 where the language has a plural."""
        one, _, many = catalogue(lang).get(self.key, "{n}").partition("|")
        return (one if self.n == 1 or not many else many).format(n=self.n)


VOICE: Final = Voice(PROG, Phrase)
speak = VOICE.speak
languages = VOICE.languages
lines = VOICE.lines
say = VOICE.say
warn = VOICE.warn
helped = VOICE.helped


def joined(parts: Sequence[Phrase], th: str = " ", en: str = "; ") -> Local:
    """Phrases said one after another: Thai with spaces, English with semicolons."""
    return Local(
        th.join(p.in_language("th") for p in parts), en.join(p.in_language("en") for p in parts)
    )


def group(code: str, *, upper: bool = False) -> Local:
    """A size group: its Thai name (group.small: อำเภอขนาดเล็ก) and its code (small)."""
    return Local(catalogue("th")[f"group.{code}"], code.upper() if upper else code)


def worded(value: object, lang: str) -> str:
    """A placeholder's value in lang: Phrases are worded, anything else is shown as it is."""
    return value.in_language(lang) if isinstance(value, Phrase) else str(value)


def problems(heading: Phrase, found: Sequence[object], shown: int) -> None:
    """Print on standard error what a check found, at most ``shown`` of them, after a Thai
    heading saying what they are (the English lines are the problems alone, as they always
    were). A problem with words in each language (``Said``: a recount's Phrase, a districts
    CSV's problem) is said in each, Thai first; any other is its English sentence."""
    if "th" in languages():
        print(f"{PROG}: {heading.in_language('th')}", file=sys.stderr)
    for problem in found[:shown]:
        said = (
            [problem.in_language(lang) for lang in languages()]
            if isinstance(problem, Said)
            else [str(problem)]
        )
        for line in said:
            print(f"{PROG}: {line}", file=sys.stderr)
    if len(found) > shown:
        warn("cli.problems.more", n=len(found) - shown)


def headers(*keys: str) -> list[list[str]]:
    """A table's column titles, a row per language ("" for a column with no title)."""
    return [[catalogue(lang)[k] if k else "" for k in keys] for lang in languages()]
