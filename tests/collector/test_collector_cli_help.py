"""`sangsuk-collector ... --help` in Thai / English: every command's and every action's options,
headings and usage, ``--language`` choosing one (docs/operations.md, "What `sangsuk-collector`
prints"). A help that is English only, added to any option, fails here."""

import argparse
from pathlib import Path

import pytest

from collector.cli import build_parser, main
from collector.cli.words import speak
from collector.settings import DB_ENV


def is_thai(text):
    return any("\u0e00" <= ch <= "\u0e7f" for ch in text)


def parsers(parser, path=()):
    """Every parser of the command line: the program's, each command's, each action's."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


def helps(parser):
    """(what, its help) for each option and argument of a parser, and each command it offers."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:  # the line of help of each command or action
                yield choice.dest, choice.help
        else:
            yield "/".join(action.option_strings) or action.dest, action.help


@pytest.fixture
def speaking():
    """Choose the languages of a parser built in the test; Thai, then English again after it."""
    yield speak
    speak(None)


COMMANDS = [path for path, _ in parsers(build_parser()) if path]  # users, users add, ...


def test_every_command_and_action_is_walked():
    assert ("districts",) in COMMANDS
    assert ("users", "reset-second-step") in COMMANDS
    assert ("campaigns", "notice") in COMMANDS
    assert len(COMMANDS) == 14 + 8 + 3  # the commands, users' actions, campaigns' actions


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_option_and_action_has_help_in_the_language_chosen(speaking, language):
    speaking([language])
    parser = build_parser()
    english_only, thai_in_english = [], []
    for path, each in parsers(parser):
        for what, text in [*helps(each), ("description", each.description)]:
            where = f"{' '.join(path) or 'sangsuk-collector'} {what}"
            if language == "th" and not (text and is_thai(text)):
                english_only.append(where)
            if language == "en" and (not text or is_thai(text)):
                thai_in_english.append(where)
    assert english_only == []  # an option added with an English-only help= (use helped())
    assert thai_in_english == []


def test_by_default_each_help_is_thai_then_the_english_of_before(speaking):
    speaking(None)
    parser = build_parser()
    for path, each in parsers(parser):
        for what, text in helps(each):
            thai, slash, english = text.partition(" / ")
            assert slash, (path, what, text)
            assert is_thai(thai), (path, what, text)
            assert not is_thai(english), (path, what, text)
    serve = dict(parsers(parser))[("serve",)]
    assert (
        dict(helps(serve))["--port"] == "พอร์ต (ค่าเริ่มต้น: %(default)s) / port (default: %(default)s)"
    )


def help_of(capsys, monkeypatch, tmp_path, *argv):
    """What `sangsuk-collector *argv` prints (its exit code must be 0): one line of words."""
    monkeypatch.setenv(DB_ENV, str(tmp_path / "central" / "collector.sqlite3"))
    monkeypatch.setenv("COLUMNS", "100")
    assert main([*argv]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert not (tmp_path / "central").exists()  # no database, no log folder
    return out, " ".join(out.split())


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_of_each_command_is_thai_then_english(capsys, monkeypatch, tmp_path, path):
    out, words = help_of(capsys, monkeypatch, tmp_path, *path, "--help")
    assert out.startswith(f"วิธีใช้ / usage: sangsuk-collector {' '.join(path)} [-h]")
    assert "ตัวเลือก / options:" in out
    assert "-h, --help แสดงวิธีใช้นี้ แล้วจบการทำงาน / show this help message and exit" in words
    assert "ไฟล์ SQLite" in words
    assert "the collector database: a SQLite file" in words


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_language_th_gives_thai_help_only(capsys, monkeypatch, tmp_path, path):
    out, words = help_of(capsys, monkeypatch, tmp_path, *path, "--language", "th", "--help")
    assert out.startswith(f"วิธีใช้: sangsuk-collector {' '.join(path)} [-h]")
    assert "ตัวเลือก:" in out
    assert "options:" not in out
    assert "-h, --help แสดงวิธีใช้นี้ แล้วจบการทำงาน --db" in words
    assert "the collector database" not in words
    assert "usage" not in words
    assert "show this help" not in words


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_language_en_gives_the_english_help_of_before(capsys, monkeypatch, tmp_path, path):
    out, words = help_of(capsys, monkeypatch, tmp_path, "--language", "en", *path, "--help")
    assert not is_thai(out)
    assert out.startswith(f"usage: sangsuk-collector {' '.join(path)} [-h]")
    assert "\noptions:\n" in out
    assert "-h, --help show this help message and exit" in words


def test_the_options_say_what_they_said_in_english(capsys, monkeypatch, tmp_path):
    _out, words = help_of(capsys, monkeypatch, tmp_path, "serve", "--help", "--language=en")
    assert "--host HOST address to listen on (default: 127.0.0.1)" in words
    assert "--port PORT port (default: 8080)" in words
    assert "(default: $SANGSUK_CLOCK_THRESHOLD_S or 300)" in words
    _out, words = help_of(capsys, monkeypatch, tmp_path, "audit", "--language", "en", "--help")
    assert "--limit LIMIT rows to show (default: 50)" in words
    _out, words = help_of(capsys, monkeypatch, tmp_path, "districts", "--help", "--language", "en")
    assert "--load CSV CSV with columns code,size_group; `demo` loads the bundled demo" in words
    _out, words = help_of(capsys, monkeypatch, tmp_path, "--language", "en", "users", "--help")
    assert "reset-second-step reset an account's second step at login (a lost phone)" in words


def test_thai_help_has_the_defaults_and_the_values_filled_in(capsys, monkeypatch, tmp_path):
    _out, words = help_of(capsys, monkeypatch, tmp_path, "--language", "th", "serve", "--help")
    assert "--port PORT พอร์ต (ค่าเริ่มต้น: 8080)" in words
    assert "ค่าเริ่มต้น: $SANGSUK_CLOCK_THRESHOLD_S หรือ 300" in words
    _out, words = help_of(capsys, monkeypatch, tmp_path, "--language", "th", "districts", "--help")
    assert "--load CSV ไฟล์ CSV ที่มีคอลัมน์ code,size_group หรือ `demo`" in words
    _out, words = help_of(capsys, monkeypatch, tmp_path, "users", "--language", "th", "--help")
    assert "ค่าที่ต้องระบุ: ACTION add สร้างบัญชีผู้ใช้ (จะถามรหัสผ่าน) list" in words


def test_the_usages_next_lines_line_up_under_thai_marks(capsys, monkeypatch, tmp_path):
    out, _words = help_of(capsys, monkeypatch, tmp_path, "serve", "--help")
    first, second = out.splitlines()[:2]
    # วิธีใช้ has three marks (ิ ี ้) that take no column: the options start under "[-h]".
    columns = len(first[: first.index("[-h]")]) - 3
    assert second.startswith(" " * columns + "[")
    assert not second.startswith(" " * (columns + 1))


def test_the_guide_shows_the_help_districts_really_prints(capsys, monkeypatch):
    monkeypatch.setenv("HOME", "/home/central")  # the server account of the guide's example
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv(DB_ENV, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["districts", "--help"]) == 0
    out, _err = capsys.readouterr()
    guide = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text("utf-8")
    assert f"$ sangsuk-collector districts --help\n{out}```" in guide
