"""What `sangsuk-release` prints, in Thai and in English, from its own catalogues.

The words are release/translations/th.json and en.json (kept complete by tests/release): the
release tool imports neither program (pyproject.toml's import contracts), so it has catalogues
of its own, worded and printed as `sangsuk-collector` prints (collector/cli/words.py): by
default every message as its Thai line, then its English line; ``--language th`` or
``--language en`` prints one language. ``--help`` says each command, option and heading
Thai / English on one line, or in the language ``--language`` chooses; a command line argparse
refuses is said in Thai, then in argparse's own English (``Parser``). How the lines are printed
and the help laid out is the three programs' shared part (bilingual/cli.py); the words are these.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import ClassVar, Final

from bilingual.cli import HELP_HELP, REFUSED, USAGE, CataloguedParser, Voice, refusal_in_thai

PROG: Final = "sangsuk-release"
LANGUAGES: Final = ("th", "en")
CATALOGUE_DIR: Final = Path(__file__).resolve().parent / "translations"
log = logging.getLogger(__name__)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The catalogue of one language (read once)."""
    data = json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(f"the {lang} catalogue must be an object of strings")
    return data


class Phrase:
    """Words to say: a catalogue key and the values of its placeholders."""

    def __init__(self, key: str, /, **values: object) -> None:
        """Words of ``key`` with the values of its placeholders."""
        self.key = key
        self.values = values

    def in_language(self, lang: str) -> str:
        """The words in one language (th or en)."""
        words = catalogue(lang).get(self.key)
        if words is None:  # a test keeps this from happening; never fail a command for it
            log.error("no %s words for %r", lang, self.key)
            words = catalogue("en").get(self.key, self.key)
        return words.format(
            **{
                # A Phrase in a Phrase (a reason) is said in the same language.
                name: value.in_language(lang) if isinstance(value, Phrase) else str(value)
                for name, value in self.values.items()
            }
        )

    def __str__(self) -> str:
        return self.in_language("en")


VOICE: Final = Voice(PROG, Phrase)
speak = VOICE.speak
say = VOICE.say
warn = VOICE.warn
helped = VOICE.helped
lines = VOICE.lines


class Parser(CataloguedParser):
    """argparse's parser of `sangsuk-release` (bilingual/cli.py): its help in Thai / English; a
    command line it refuses is said in Thai (``usage_words``), then in argparse's English."""

    voice = VOICE
    entries: ClassVar[Mapping[str, str]] = {  # argparse's words and the entries saying them
        USAGE: "release.heading.usage",
        "options": "release.heading.options",
        "positional arguments": "release.heading.positionals",
        HELP_HELP: "release.opt.help",
        REFUSED: "release.usage.{kind}",
    }


def usage_words(message: str, prog: str) -> str:
    """argparse's refusal of a command line (English) in Thai, with how to get help."""
    return refusal_in_thai(Phrase, Parser.entries[REFUSED], message, prog)
