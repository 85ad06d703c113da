"""A command line's words in Thai, then English: the part the three programs share.

Each program keeps its own words: the kiosk reads its Qt catalogue (ui/cli_help.py), the
collector and the release tool their JSON catalogues (collector/cli/words.py, release/words.py).
Here is what does not depend on them (why this is a package of its own: bilingual/__init__.py):

- ``HelpFormatter``: argparse's help with the headings and the usage's prefix in the program's
  words, and the usage's further lines indented as far as a Thai prefix really reaches.
- ``Voice``: which languages a program prints (Thai, then English, unless ``--language`` chose
  one), and each message as a line per language, on standard output or after the program's name
  on standard error.
- ``CataloguedParser`` (with ``CataloguedFormatter``): the argparse parser of a program with a
  ``Voice`` (the collector, the release tool), which names the entries that say argparse's own
  words: its help in the languages printed, a refusal in Thai, then in argparse's own English.
- ``refusal``: which of argparse's refusals (Python 3.11) a message is, and its parts.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, ClassVar, Final, NoReturn, Protocol, runtime_checkable

THAI_THEN_ENGLISH: Final = ("th", "en")  # what is printed when no --language is given


@runtime_checkable
class Said(Protocol):
    """Words that can be said in each language (a program's Phrase, or a check's problem)."""

    def in_language(self, lang: str) -> str:
        """The words in one language (th or en)."""


class Voice:
    """What one program prints: each message a line per language printed, Thai then English
    unless one language was chosen; its words are its own ``phrase``, from its catalogue."""

    def __init__(self, prog: str, phrase: Callable[..., Said]) -> None:
        """The voice of ``prog``; ``phrase(key, **values)`` makes its words of a catalogue
        entry."""
        self.prog = prog
        self.phrase = phrase
        self._speaking: tuple[str, ...] = THAI_THEN_ENGLISH

    def speak(self, languages: Sequence[str] | None) -> None:
        """Print in these languages from now on (None, or none known: Thai, then English)."""
        known = THAI_THEN_ENGLISH
        chosen = tuple(lang for lang in languages or known if lang in known)
        self._speaking = chosen or known

    def languages(self) -> tuple[str, ...]:
        """The languages printed, in order."""
        return self._speaking

    def lines(self, key: str | Said, /, **values: object) -> list[str]:
        """The lines that say ``key`` (or a phrase): one per language printed."""
        phrase = self.phrase(key, **values) if isinstance(key, str) else key
        return [phrase.in_language(lang) for lang in self._speaking]

    def say(self, key: str | Said, /, **values: object) -> None:
        """Print a message on standard output, a line per language."""
        for line in self.lines(key, **values):
            print(line, flush=True)

    def warn(self, key: str | Said, /, **values: object) -> None:
        """Print a message on standard error, each line after the program's name."""
        for line in self.lines(key, **values):
            print(f"{self.prog}: {line}", file=sys.stderr, flush=True)

    def helped(self, key: str, *, capital: bool = False, **values: object) -> str:
        """A line of --help (a command's, an option's, a heading) in the languages printed,
        Thai / English; argparse's ``%(default)s`` in the words is left for argparse."""
        said = self.lines(key, **values)
        return " / ".join(line[:1].upper() + line[1:] if capital else line for line in said)


def asked_languages(argv: Sequence[str]) -> list[str] | None:
    """The --language of a command line not parsed yet (to word --help and argparse's refusals)."""
    for i, arg in enumerate(argv):
        if arg == "--language" and i + 1 < len(argv):
            return [argv[i + 1]]
        if arg.startswith("--language="):
            return [arg.partition("=")[2]]
    return None


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help with its headings and the usage's prefix in a program's words
    (``worded_heading``, ``usage_prefix``), the usage's further lines aligned under a Thai one."""

    def worded_heading(self, heading: str) -> str:
        """A section's heading (argparse's English) in the program's words."""
        return heading

    def usage_prefix(self) -> str:
        """What stands before the usage, with its colon and space."""
        return "usage: "

    def start_section(self, heading: str | None) -> None:
        """A section, under its heading in the program's words."""
        super().start_section(None if heading is None else self.worded_heading(heading))

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        """The usage, after "วิธีใช้ / usage: " (or one language's word)."""
        if prefix is None:
            prefix = self.usage_prefix()
        super().add_usage(usage, actions, groups, prefix)

    def _format_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None,
    ) -> str:
        text = super()._format_usage(usage, actions, groups, prefix)
        return align_usage(text, prefix or "")


def align_usage(text: str, prefix: str) -> str:
    """argparse's usage, its further lines indented as far as the prefix really reaches.

    argparse indents them by the prefix's length in characters; Thai vowel and tone marks
    (Unicode's nonspacing marks) take no column of their own, so the indent is that much less.
    """
    marks = sum(1 for ch in prefix if unicodedata.category(ch) == "Mn")
    first, *rest = text.split("\n")
    return "\n".join([first, *(line.removeprefix(" " * marks) for line in rest)])


# argparse's own words (Python 3.11) that a parser's ``entries`` maps to catalogue entries (with
# "options" and "positional arguments"), and the entry of a refusal, ``{kind}`` its kind.
USAGE: Final = "usage"
HELP_HELP: Final = "show this help message and exit"
REFUSED: Final = "refused"


class CataloguedFormatter(HelpFormatter):
    """The help of a program with a ``Voice``: its headings and the usage's prefix are the
    entries ``entries`` names for argparse's words, in the languages printed."""

    def __init__(
        self, prog: str, *, voice: Voice, entries: Mapping[str, str], **keywords: Any
    ) -> None:
        """argparse's formatter for ``prog``, speaking with ``voice``."""
        super().__init__(prog, **keywords)
        self.voice = voice
        self.entries = entries

    def worded_heading(self, heading: str) -> str:
        """The heading's entry in the languages printed (argparse's own if it has none)."""
        entry = self.entries.get(heading)
        return self.voice.helped(entry) if entry else heading

    def usage_prefix(self) -> str:
        """ "วิธีใช้ / usage: " (or one language's word)."""
        return self.voice.helped(self.entries[USAGE]) + ": "


class CataloguedParser(argparse.ArgumentParser):
    """argparse's parser, its help in Thai / English (its own -h too); a command line it refuses
    is said in Thai (``refusal_in_thai``), then in argparse's English. A program's subclass names
    its ``voice`` and its ``entries``: argparse's words (``USAGE``, "options", "positional
    arguments", ``HELP_HELP``) and the catalogue entries that say them, and ``REFUSED``'s entry
    with ``{kind}`` for the refusal's kind. Its commands' parsers are of the same class (argparse
    makes them so)."""

    voice: ClassVar[Voice]
    entries: ClassVar[Mapping[str, str]]

    def __init__(self, *, add_help: bool = True, **keywords: Any) -> None:
        """argparse's parser (a command's and an action's too), with ``CataloguedFormatter``."""
        keywords.setdefault(
            "formatter_class",
            functools.partial(CataloguedFormatter, voice=self.voice, entries=self.entries),
        )
        super().__init__(add_help=False, **keywords)
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                help=self.voice.helped(self.entries[HELP_HELP]),
            )

    def error(self, message: str) -> NoReturn:
        """Print the usage, the refusal in the languages asked for, and exit with 2."""
        self.print_usage(sys.stderr)
        if "th" in self.voice.languages():
            said = refusal_in_thai(self.voice.phrase, self.entries[REFUSED], message, self.prog)
            print(f"{self.prog}: {said}", file=sys.stderr)
        if "en" in self.voice.languages():
            print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)


# argparse's refusals (Python 3.11), and the kind of each: a program words each kind in Thai.
USAGE_WORDS: Final = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"), "required"),
    (re.compile(r"one of the arguments (?P<names>.+) is required"), "required"),
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


def refusal(message: str) -> tuple[str, dict[str, str]]:
    """Which of argparse's refusals ``message`` is (a ``USAGE_WORDS`` kind, or "other") and its
    parts by name (for "other", the whole message as ``detail``)."""
    for pattern, kind in USAGE_WORDS:
        found = pattern.fullmatch(message)
        if found:
            return kind, found.groupdict()
    return "other", {"detail": message}


def refusal_in_thai(phrase: Callable[..., Said], entry: str, message: str, prog: str) -> str:
    """argparse's refusal of ``prog``'s command line (English) in Thai, with how to get help:
    the words of ``entry`` (``{kind}`` its ``refusal`` kind) made by ``phrase``."""
    kind, values = refusal(message)
    return phrase(entry.format(kind=kind), help=f"{prog} --help", **values).in_language("th")
