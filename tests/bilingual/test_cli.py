"""The part of a command line's Thai-then-English words the three programs share (bilingual/cli.py).

A small program with a catalogue of its own speaks through it here, as `sangsuk-collector` and
`sangsuk-release` do with theirs: what a person sees is its help and its refusals.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import ClassVar

import pytest

from bilingual.cli import (
    HELP_HELP,
    REFUSED,
    USAGE,
    USAGE_WORDS,
    CataloguedParser,
    HelpFormatter,
    Voice,
    align_usage,
    asked_languages,
    refusal,
)

WORDS = {
    "th": {
        "demo.heading.usage": "วิธีใช้",
        "demo.heading.options": "ตัวเลือก",
        "demo.heading.positionals": "อาร์กิวเมนต์",
        "demo.opt.help": "แสดงวิธีใช้นี้",
        "demo.usage.required": "ยังไม่ได้ระบุ {names} พิมพ์ {help}",
        "demo.usage.choice": "{argument} เป็น {value} ไม่ได้ เลือกจาก {choices} พิมพ์ {help}",
        "demo.usage.unknown": "ไม่รู้จัก {names} พิมพ์ {help}",
        "demo.usage.expected": "{argument} ต้องมีค่าตามหลัง พิมพ์ {help}",
        "demo.usage.value": "{argument}: {detail} พิมพ์ {help}",
        "demo.usage.other": "คำสั่งไม่ถูกต้อง: {detail} พิมพ์ {help}",
        "demo.opt.count": "จำนวน",
    },
    "en": {
        "demo.heading.usage": "usage",
        "demo.heading.options": "options",
        "demo.heading.positionals": "positional arguments",
        "demo.opt.help": "show this help",
        "demo.opt.count": "how many",
    },
}


class DemoPhrase:
    """The demo program's words: its own catalogue."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key
        self.values = values

    def in_language(self, lang: str) -> str:
        return WORDS[lang][self.key].format(**self.values)


VOICE = Voice("demo", DemoPhrase)


class DemoParser(CataloguedParser):
    voice = VOICE
    entries: ClassVar[Mapping[str, str]] = {
        USAGE: "demo.heading.usage",
        "options": "demo.heading.options",
        "positional arguments": "demo.heading.positionals",
        HELP_HELP: "demo.opt.help",
        REFUSED: "demo.usage.{kind}",
    }


@pytest.fixture(autouse=True)
def _thai_then_english():
    VOICE.speak(None)
    yield
    VOICE.speak(None)


def demo_parser() -> DemoParser:
    parser = DemoParser(prog="demo")
    parser.add_argument("--count", type=int, help=VOICE.helped("demo.opt.count"))
    parser.add_argument("--colour", choices=["red", "blue"])
    parser.add_argument("target")
    return parser


def test_help_says_headings_and_options_in_thai_then_english(capsys):
    with pytest.raises(SystemExit) as done:
        demo_parser().parse_args(["--help"])
    assert done.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith("วิธีใช้ / usage: demo [-h]")
    assert "อาร์กิวเมนต์ / positional arguments:" in shown
    assert "ตัวเลือก / options:" in shown
    assert "แสดงวิธีใช้นี้ / show this help" in shown
    assert "จำนวน / how many" in shown


def test_help_in_one_language_when_one_is_chosen(capsys):
    VOICE.speak(["en"])
    with pytest.raises(SystemExit):
        demo_parser().parse_args(["-h"])
    shown = capsys.readouterr().out
    assert shown.startswith("usage: demo [-h]")
    assert "วิธีใช้" not in shown
    assert "options:" in shown


@pytest.mark.parametrize(
    ("argv", "thai"),
    [
        ([], "demo: ยังไม่ได้ระบุ target พิมพ์ demo --help"),
        (
            ["x", "--colour", "green"],
            "demo: --colour เป็น 'green' ไม่ได้ เลือกจาก 'red', 'blue' พิมพ์ demo --help",
        ),
        (["x", "--nope"], "demo: ไม่รู้จัก --nope พิมพ์ demo --help"),
        (["x", "--count"], "demo: --count ต้องมีค่าตามหลัง พิมพ์ demo --help"),
        (["x", "--count", "abc"], "demo: --count: invalid int value: 'abc' พิมพ์ demo --help"),
    ],
)
def test_a_refusal_is_said_in_thai_then_in_argparses_english(capsys, argv, thai):
    with pytest.raises(SystemExit) as done:
        demo_parser().parse_args(argv)
    assert done.value.code == 2
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("วิธีใช้ / usage: demo")
    assert said[-2] == thai
    assert said[-1].startswith("demo: error: ")


def test_a_refusal_in_english_alone_is_argparses_own(capsys):
    VOICE.speak(["en"])
    with pytest.raises(SystemExit):
        demo_parser().parse_args([])
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith("usage: demo")
    assert said[1:] == ["demo: error: the following arguments are required: target"]


def test_every_refusal_has_a_kind_and_anything_else_is_other():
    assert refusal("one of the arguments --a --b is required") == (
        "required",
        {"names": "--a --b"},
    )
    assert refusal("something new in Python 3.14") == (
        "other",
        {"detail": "something new in Python 3.14"},
    )
    assert {kind for _, kind in USAGE_WORDS} == {
        "required",
        "choice",
        "unknown",
        "expected",
        "value",
    }


def test_a_thai_prefix_does_not_push_the_usage_right():
    # "วิธีใช้" is 7 characters, 3 of them marks (ิ ี ้) that take no column: the usage's next
    # line starts under its first word, as a person reading it on a terminal sees.
    prefix = "วิธีใช้: "
    text = "วิธีใช้: demo [-h] [--count COUNT]\n" + " " * len(prefix + "demo ") + "target"
    aligned = align_usage(text, prefix).splitlines()
    assert aligned[1] == " " * (len(prefix) - 3 + len("demo ")) + "target"
    assert align_usage(text, "usage: ") == text  # no marks: argparse's own indent


def test_a_formatter_of_its_own_words_names_its_headings_and_usage():
    class Shouting(HelpFormatter):
        def worded_heading(self, heading: str) -> str:
            return heading.upper()

        def usage_prefix(self) -> str:
            return "USE: "

    parser = argparse.ArgumentParser(prog="loud", formatter_class=Shouting)
    parser.add_argument("--flag")
    shown = parser.format_help()
    assert shown.startswith("USE: loud [-h] [--flag FLAG]")
    assert "OPTIONS:" in shown


def test_voice_prints_a_line_per_language(capsys):
    VOICE.say("demo.opt.count")
    VOICE.warn(DemoPhrase("demo.opt.help"))
    printed = capsys.readouterr()
    assert printed.out.splitlines() == ["จำนวน", "how many"]
    assert printed.err.splitlines() == ["demo: แสดงวิธีใช้นี้", "demo: show this help"]
    VOICE.speak(["xx"])  # not a language it speaks: Thai, then English
    assert VOICE.languages() == ("th", "en")


@pytest.mark.parametrize(
    ("argv", "asked"),
    [
        (["report", "--language", "en"], ["en"]),
        (["--language=th", "serve"], ["th"]),
        (["report"], None),
        (["report", "--language"], None),
    ],
)
def test_the_language_asked_for_before_the_command_line_is_parsed(argv, asked):
    assert asked_languages(argv) == asked
