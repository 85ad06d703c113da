"""The clerk's background tasks: an expected failure is one line in the log, a bug keeps its
traceback, and either way the screen is told."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.config import load_config
from sync.uploader import SyncError
from ui.tasks import Progress, TaskRunner


@pytest.fixture
def runner(qtbot):
    made = TaskRunner()
    yield made
    made.wait()
    made.deleteLater()


def fail_with(qtbot, runner: TaskRunner, job) -> BaseException:
    """Run job on the runner; return what the screen's on_error callback was given."""
    told: list[BaseException] = []
    runner.submit(job, lambda _result: None, told.append)
    qtbot.waitUntil(lambda: bool(told), timeout=10_000)
    return told[0]


def task_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "ui.tasks"]


def test_an_expected_failure_is_one_warning_line_with_its_code(qtbot, runner, caplog):
    def send(_progress: Progress) -> None:
        raise SyncError("unreachable", "The central collector cannot be reached.\nVotes are safe.")

    caplog.set_level(logging.INFO, logger="ui.tasks")
    told = fail_with(qtbot, runner, send)
    assert isinstance(told, SyncError)  # the clerk is still told
    assert told.code == "unreachable"
    (record,) = task_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = record.getMessage()
    assert line == (
        "a clerk task failed (unreachable): The central collector cannot be reached. Votes are safe."
    )
    assert "\n" not in caplog.text.strip()
    assert "Traceback" not in caplog.text


def test_a_damaged_settings_file_is_named_by_its_kind(qtbot, runner, caplog, tmp_path: Path):
    (tmp_path / "config.json").write_text("{not json", encoding="utf-8")
    caplog.set_level(logging.INFO, logger="ui.tasks")
    told = fail_with(qtbot, runner, lambda _progress: load_config(tmp_path))
    assert type(told).__name__ == "ConfigError"
    (record,) = task_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage().startswith("a clerk task failed (ConfigError): ")
    assert "Traceback" not in caplog.text


def test_a_bug_keeps_its_traceback_at_error(qtbot, runner, caplog):
    def broken(_progress: Progress) -> None:
        {}["missing"]  # a bug in a job, as it would happen

    caplog.set_level(logging.INFO, logger="ui.tasks")
    told = fail_with(qtbot, runner, broken)
    assert isinstance(told, KeyError)  # the screen still says it failed
    (record,) = task_records(caplog)
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert "Traceback" in caplog.text
    assert "in broken" in caplog.text
