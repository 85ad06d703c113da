"""`sangsuk-kiosk`'s help and its usage errors, in Thai then English, through the translation files.

argparse writes its help and its errors in English. Here the parser's help texts are the English
keys of the Thai catalogue (context ``KioskArguments``): ``--help`` prints each one in Thai, then
in English, and a usage mistake (a missing ``--to``, an unknown subcommand, ``--count abc``) is
said in Thai, then in English, with the command that shows the help; the exit code stays 2.

Nothing here loads Qt until help or an error is printed, and then only QtCore (the catalogue is
read by ui.cli_words' Speaker): `--version` and a subcommand start as fast as before, and neither
``--help`` nor a mistake loads the window's QtGui or QtWidgets.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Final, NoReturn

from bilingual.cli import HelpFormatter
from kiosk.paths import default_data_dir

if TYPE_CHECKING:
    from ui.cli_words import Speaker

CONTEXT: Final = "KioskArguments"
BOTH: Final = ("th", "en")  # as ui.cli_words.BOTH, without loading Qt to read it


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802  (the name lupdate reads)
    """Mark source for the catalogue (lupdate reads this call) and give it back unchanged."""
    return source


# argparse's own words, so that lupdate puts them in the catalogue too.
HELP_HELP: Final = QT_TRANSLATE_NOOP("KioskArguments", "show this help message and exit")
OPTIONS: Final = QT_TRANSLATE_NOOP("KioskArguments", "options")
POSITIONALS: Final = QT_TRANSLATE_NOOP("KioskArguments", "positional arguments")
USAGE: Final = QT_TRANSLATE_NOOP("KioskArguments", "usage")
COMMANDS: Final = QT_TRANSLATE_NOOP("KioskArguments", "commands")
#: %1 is where the data folder is when --data-dir is not given.
DATA_DIR_HELP: Final = QT_TRANSLATE_NOOP(
    "KioskArguments", "where the kiosk keeps its key, ledger and settings (default: %1)"
)
SELF_TEST_ALONE: Final = QT_TRANSLATE_NOOP("KioskArguments", "--self-test takes no subcommand")

# What argparse said (its English, as Python 3.11 to 3.13 word it), and the words for it.
_MISTAKES: Final = (
    (
        re.compile(r"the following arguments are required: (.+)"),
        #: %1 names the options that are missing, e.g. --to.
        QT_TRANSLATE_NOOP("KioskArguments", "this command needs %1"),
    ),
    (
        re.compile(r"argument COMMAND: invalid choice: '?([^' ]*)'? \(choose from (.+)\)"),
        #: %1 is what was typed as the subcommand, %2 lists the subcommands.
        QT_TRANSLATE_NOOP("KioskArguments", "there is no command %1; the commands are %2"),
    ),
    (
        re.compile(r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)"),
        #: %1 is the option, %2 what was typed after it, %3 the values it takes.
        QT_TRANSLATE_NOOP("KioskArguments", "%1 cannot be %2; it takes %3"),
    ),
    (
        re.compile(r"argument (\S+): invalid int value: (.+)"),
        #: %1 is the option (e.g. --count), %2 what was typed after it.
        QT_TRANSLATE_NOOP("KioskArguments", "%1 needs a whole number, such as 10, not %2"),
    ),
    (
        re.compile(r"argument (\S+): invalid \S+ value: (.+)"),
        QT_TRANSLATE_NOOP("KioskArguments", "%1 cannot take %2"),
    ),
    (
        re.compile(r"argument (\S+): expected one argument"),
        #: %1 is the option, e.g. --to.
        QT_TRANSLATE_NOOP("KioskArguments", "%1 must be followed by a value"),
    ),
    (
        re.compile(r"unrecognized arguments: (.+)"),
        #: %1 is what was typed and is not an option of this command.
        QT_TRANSLATE_NOOP("KioskArguments", "%1 is not an option of this command (mistyped?)"),
    ),
    (re.compile(re.escape(SELF_TEST_ALONE)), SELF_TEST_ALONE),
)
#: %1 is argparse's own English message, for a mistake without words of its own.
OTHER_MISTAKE: Final = QT_TRANSLATE_NOOP("KioskArguments", "the command is not right: %1")
#: %1 is the command, e.g. "sangsuk-kiosk export".
SEE_HELP: Final = QT_TRANSLATE_NOOP("KioskArguments", "To see how to use it: %1 --help")


def asked_languages(argv: Sequence[str]) -> tuple[str, ...]:
    """The languages to print help and errors in: --language's if given, else Thai then English."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--language=") else None
        if arg == "--language" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in BOTH:
            return (value,)
    return BOTH


def _in_each_language(languages: Sequence[str], say: Callable[[str], list[str]]) -> list[str]:
    """say(language) for each language, Thai first; English only if the catalogue cannot load."""
    from ui.cli_words import Speaker  # QtCore only, and only when help or an error is printed

    lines: list[str] = []
    with Speaker(languages) as speaker:
        for language in speaker.languages:
            with speaker.speaking(language):
                block = say(language)
            if lines and len(block) > 1:
                lines.append("")  # as a subcommand's lines: a blank line between the languages
            lines.extend(block)
    return lines


def _translate(source: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(CONTEXT, source)


def _fill(template: str, *args: str) -> str:
    from ui.i18n import fill

    return fill(template, *args)


def mistake_lines(prog: str, message: str, languages: Sequence[str] = BOTH) -> list[str]:
    """What a usage mistake says: what was wrong and how to see the help, in each language."""

    def say(_language: str) -> list[str]:
        for pattern, template in _MISTAKES:
            found = pattern.fullmatch(message)
            if found is not None:
                values = [value.replace("', '", ", ").strip("'") for value in found.groups()]
                what = _fill(_translate(template), *values)
                break
        else:
            what = _fill(_translate(OTHER_MISTAKE), message)
        return [f"{prog}: {what}", _fill(_translate(SEE_HELP), prog)]

    return _in_each_language(languages, say)


class _Formatter(HelpFormatter):
    """Writes each help text, heading and the usage prefix in Thai, then in English (the
    layout, and the usage under a Thai prefix, as the other programs': bilingual/cli.py)."""

    def _both(self, source: str, *values: str, sep: str = "\n") -> str:
        said = [_fill(_translate(source), *values) for _ in self._speaking()]
        return sep.join(dict.fromkeys(said))  # once when the Thai is missing

    def _speaking(self) -> Iterable[str]:
        speaker = _SPEAKER[-1] if _SPEAKER else None
        if speaker is None:
            yield "en"
            return
        for language in speaker.languages:
            with speaker.speaking(language):
                yield language

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if text is None:
            return None
        values = (str(default_data_dir()),) if text == DATA_DIR_HELP else ()
        return self._both(text, *values).replace("%", "%%")  # argparse then expands %(...)s

    def _split_lines(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for part in text.split("\n"):  # each language on lines of its own
            lines += super()._split_lines(part, width)
        return lines

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        parts: list[str] = []
        for part in text.split("\n"):
            parts.append(super()._fill_text(part, width, indent))
        return "\n".join(parts)

    def add_text(self, text: str | None) -> None:
        if text is not None and text is not argparse.SUPPRESS:
            text = self._both(text)
        super().add_text(text)

    def worded_heading(self, heading: str) -> str:
        """The heading in Thai / English."""
        return self._both(heading, sep=" / ")

    def usage_prefix(self) -> str:
        """ "วิธีใช้ / usage: " (or one language's word)."""
        return self._both(USAGE, sep=" / ") + ": "


_SPEAKER: list[Speaker] = []  # the speaker of the help being formatted, if any


class KioskArgumentParser(argparse.ArgumentParser):
    """argparse, with its help and its usage errors in Thai, then English."""

    languages: tuple[str, ...] = BOTH

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._positionals.title = POSITIONALS
        self._optionals.title = OPTIONS

    def format_help(self) -> str:
        """The help, each text in Thai, then in English (QtCore is loaded to read the Thai)."""
        return self._with_words(super().format_help)

    def format_usage(self) -> str:
        """The usage line, its prefix in Thai and English."""
        return self._with_words(super().format_usage)

    def _with_words(self, write: Callable[[], str]) -> str:
        from ui.cli_words import Speaker

        with Speaker(self.languages) as speaker:
            _SPEAKER.append(speaker)
            try:
                return write()
            finally:
                _SPEAKER.pop()

    def error(self, message: str) -> NoReturn:
        """Print the usage, then what was wrong and how to see the help; exit with code 2."""
        self.print_usage(sys.stderr)
        lines = mistake_lines(self.prog, message, self.languages)
        self.exit(2, "\n".join(lines) + "\n")


def set_languages(parser: argparse.ArgumentParser, languages: Sequence[str]) -> None:
    """Make the parser and its subcommands' parsers speak these languages."""
    if isinstance(parser, KioskArgumentParser):
        parser.languages = tuple(languages)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                set_languages(sub, languages)
