"""How the whole suite runs: the long tests and the pictures marked in one place, in parallel.

``uv run pytest`` runs every test; ``uv run pytest -m "not slow"`` is the quick set a developer
runs while working, and ``-m render`` the pictures. A test may carry its marker itself
(``@pytest.mark.slow``); the tables below name the rest, by file name (every test in it) or by
file name and test, so that they stay right when a file moves to another folder.
``tests/test_suite.py`` checks that every name here still names a test.

The run is parallel (pytest-xdist: ``-n auto --dist loadgroup`` in pyproject's addopts) when it
takes a folder, as the default ``tests`` is: one worker more than the cores (a test waiting on a
server, a subprocess or fsync leaves its core to another; docs/performance.md measured two
cores with three workers against two). Naming only files or tests
(``uv run pytest tests/kiosk/test_ledger.py``) runs them here, in this process, as starting
workers costs more than it saves; ``-n 2`` asks for workers anyway, ``-n 0`` for none.

In parallel, the long tests run one after another on one worker (crash loops, soaks and killed
collectors each start many processes; two of them at once would only fight over the same
cores). The pictures are drawn in one thread each, so they are shared out: a file's pictures
with one set of parameters (a panel size, say) are one unit (``render:file.py:1024x600``), which
a worker takes whole, so a file's fixtures are made once there, and the units go to whichever
worker is free. Kept in one unit, every screen at every size made the critical path: one
worker drew for about two thirds of the run while the other had finished.
"""

from __future__ import annotations

import os
import re
from typing import Final

import pytest

# Long: crash loops, soaks, killed collectors, fault runs, fuzzing, a whole campaign, every screen
# walked or drawn. "file.py" is every test in the file; "file.py::test" one test (each case).
SLOW: Final = frozenset(
    {
        "test_campaign.py",
        "test_collector_exit.py",
        "test_schemathesis.py::test_the_collector_answers_as_its_document_says",
        "test_schemathesis.py::test_every_operation_of_the_document_is_fuzzed",
        "test_store.py::test_the_contiguous_mark_and_the_gaps_follow_whatever_arrives_in_any_order",
        "test_vote_properties.py",
        "test_properties.py",
        "test_speech.py::test_every_screen_is_read_aloud_in_english",
        "test_contrast.py::test_every_text_on_every_screen_meets_wcag_contrast_in_both_styles",
    }
)

# Draws screens or web pages to pictures: the screenshot script, every screen's contrast, Chromium,
# the real kiosk in a real display server.
RENDER: Final = frozenset(
    {
        "test_screenshots.py",
        "test_contrast.py::test_every_text_on_every_screen_meets_wcag_contrast_in_both_styles",
        "test_leaderboard_chromium.py",
        "test_full_screen.py::test_the_kiosk_fills_an_x_screen_and_comes_back_when_minimised",
    }
)


def named(table: frozenset[str], item: pytest.Item) -> bool:
    """Whether a table names this test, by its file or by its file and test."""
    test = getattr(item, "originalname", item.name)
    return item.path.name in table or f"{item.path.name}::{test}" in table


def render_unit(item: pytest.Item) -> str:
    """The xdist group of a test that draws: its file, and its parameters when it has some."""
    callspec = getattr(item, "callspec", None)
    if callspec is None:
        return f"render:{item.path.name}"
    # xdist reads the group after the last "@" only when no "]" follows it: none in the name.
    return f"render:{item.path.name}:{re.sub(r'[][@]', '-', callspec.id)}"


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups into the test ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests the tables name, and group the long ones and the pictures for xdist."""
    # In the controller --dist is loadgroup; in a worker, xdist keeps that as option.loadgroup.
    grouping = config.getoption("dist", "no") == "loadgroup" or bool(
        getattr(config.option, "loadgroup", False)
    )
    for item in items:
        if named(SLOW, item):
            item.add_marker(pytest.mark.slow)
        if named(RENDER, item):
            item.add_marker(pytest.mark.render)
        if not grouping or item.get_closest_marker("xdist_group") is not None:
            continue
        if item.get_closest_marker("render") is not None:
            item.add_marker(pytest.mark.xdist_group(render_unit(item)))
        elif item.get_closest_marker("slow") is not None:
            item.add_marker(pytest.mark.xdist_group("slow"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """How many workers ``-n auto`` starts: one more than the cores for a folder, none for
    files or tests (or one machine with one core)."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist reads it
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        here = config.invocation_params.dir
        if not any((here / arg.split("::")[0]).is_dir() for arg in config.args):
            return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cores + 1 if cores is not None and cores > 1 else 0
