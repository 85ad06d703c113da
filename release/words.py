"""What `sangsuk-release` prints, in Thai and in English, from its own catalogues.

The words are release/translations/th.json and en.json (kept complete by tests/release): the
release tool imports neither program (pyproject.toml's import contracts), so it has catalogues
of its own, worded and printed as `sangsuk-collector` prints (collector/cli/words.py): by
default every message as its Thai line, then its English line; ``--language th`` or
``--language en`` prints one language. ``--help`` says each command, option and heading
Thai / English on one line, or in the language ``--language`` chooses; a command line argparse
refuses is said in Thai, then in argparse's own English (``Parser``).
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Final, NoReturn

PROG: Final = "sangsuk-release"
LANGUAGES: Final = ("th", "en")
CATALOGUE_DIR: Final = Path(__file__).resolve().parent / "translations"
log = logging.getLogger(__name__)
_speaking: list[tuple[str, ...]] = [LANGUAGES]


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


def speak(languages: Sequence[str] | None) -> None:
    """Print in these languages from now on (None: Thai, then English)."""
    chosen = tuple(lang for lang in languages or LANGUAGES if lang in LANGUAGES)
    _speaking[0] = chosen or LANGUAGES


def languages() -> tuple[str, ...]:
    """The languages printed, in order."""
    return _speaking[0]


def lines(key: str | Phrase, /, **values: object) -> list[str]:
    """The lines that say ``key`` (or a Phrase): one per language printed."""
    phrase = key if isinstance(key, Phrase) else Phrase(key, **values)
    return [phrase.in_language(lang) for lang in languages()]


def say(key: str | Phrase, /, **values: object) -> None:
    """Print a message on standard output, a line per language."""
    for line in lines(key, **values):
        print(line, flush=True)


def warn(key: str | Phrase, /, **values: object) -> None:
    """Print a refusal on standard error, each line after the program's name."""
    for line in lines(key, **values):
        print(f"{PROG}: {line}", file=sys.stderr, flush=True)


def helped(key: str) -> str:
    """A line of --help in the languages printed, Thai / English."""
    return " / ".join(lines(key))


def asked_languages(argv: Sequence[str]) -> list[str] | None:
    """The --language of a command line not parsed yet (to word --help and argparse's refusals)."""
    for i, arg in enumerate(argv):
        if arg == "--language" and i + 1 < len(argv):
            return [argv[i + 1]]
        if arg.startswith("--language="):
            return [arg.partition("=")[2]]
    return None


# argparse's headings (Python 3.11) and the entries that word them.
HEADINGS: Final = {
    "options": "release.heading.options",
    "positional arguments": "release.heading.positionals",
}


class Formatter(argparse.HelpFormatter):
    """argparse's help with the usage's prefix and the headings in Thai / English."""

    def start_section(self, heading: str | None) -> None:
        """A section, under its heading in the languages printed."""
        key = HEADINGS.get(heading or "")
        super().start_section(helped(key) if key else heading)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage, after "วิธีใช้ / usage: " (or one language's word)."""
        if prefix is None:
            prefix = helped("release.heading.usage") + ": "
        super().add_usage(usage, actions, groups, prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)
        # argparse indents the usage's next lines by the prefix's length in characters; Thai
        # vowel and tone marks take no column of their own, so the indent is that much less.
        marks = sum(1 for ch in prefix or "" if unicodedata.category(ch) == "Mn")
        first, *rest = text.split("\n")
        return "\n".join([first, *(line.removeprefix(" " * marks) for line in rest)])


class Parser(argparse.ArgumentParser):
    """argparse's parser, its help in Thai / English (its own -h too); a command line it
    refuses is said in Thai, then in argparse's English."""

    def __init__(self, *, add_help: bool = True, **keywords: Any) -> None:
        """argparse's parser (a command's too), with ``Formatter``."""
        keywords.setdefault("formatter_class", Formatter)
        super().__init__(add_help=False, **keywords)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=helped("release.opt.help"),
            )

    def error(self, message: str) -> NoReturn:
        """Print the usage, the refusal in the languages asked for, and exit with 2."""
        self.print_usage(sys.stderr)
        if "th" in languages():
            print(f"{self.prog}: {usage_words(message, self.prog)}", file=sys.stderr)
        if "en" in languages():
            print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


# argparse's refusals (Python 3.11), and the entry (release.usage.*) that words each in Thai.
USAGE_WORDS: Final = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "required"),
    (
        re.compile(
            r"argument (?P<argument>\S+): invalid choice: (?P<value>.+) \(choose from (?P<choices>.+)\)"
        ),
        "choice",
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.+)"), "unknown"),
    (re.compile(r"argument (?P<argument>\S+): expected (?P<detail>.+)"), "expected"),
    (re.compile(r"argument (?P<argument>\S+): (?P<detail>.+)"), "value"),
)


def usage_words(message: str, prog: str) -> str:
    """argparse's refusal of a command line (English) in Thai, with how to get help."""
    for pattern, kind in USAGE_WORDS:
        found = pattern.fullmatch(message)
        if found:
            phrase = Phrase(f"release.usage.{kind}", help=f"{prog} --help", **found.groupdict())
            return phrase.in_language("th")
    return Phrase("release.usage.other", help=f"{prog} --help", detail=message).in_language("th")
