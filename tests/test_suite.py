"""The suite itself: its tables of long tests name real tests, and a parallel run still fails
when a test leaves a process running (tests/suite.py, tests/conftest.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.suite import RENDER, SLOW, render_unit

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


@pytest.mark.parametrize("name", sorted(SLOW | RENDER))
def test_every_name_in_the_tables_names_a_test(name: str) -> None:
    file_name, _, test = name.partition("::")
    files = sorted(TESTS.rglob(file_name))
    assert files, f"{name}: no file {file_name} under tests/ (renamed? then rename it in suite.py)"
    if test:
        defined = [f for f in files if re.search(rf"^def {test}\(", f.read_text(), re.MULTILINE)]
        assert defined, f"{name}: no test {test} in {', '.join(map(str, files))}"
    else:
        assert len(files) == 1, f"{name}: names every test in {len(files)} files: {files}"


LEAVES_ONE = """
import subprocess
import sys


def test_leaves_a_process_running():
    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", "left-by-a-test"])


def test_waits_for_its_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_parallel_run_fails_naming_the_one_process_a_worker_left_running(
    tmp_path: Path,
) -> None:
    (tmp_path / "test_leaves.py").write_text(LEAVES_ONE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.conftest", "-n", "2", "-q"),
            *("-c", os.devnull, "--rootdir", str(tmp_path), str(tmp_path)),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "2 passed" in out
    # Only the test's process: neither the workers nor the passing test's process are reported.
    assert "the test run left 1 process(es) running" in out, out
    (line,) = [line for line in out.splitlines() if "left-by-a-test" in line]
    assert re.match(r"\s+\[gw[01]\] \d+: .*time\.sleep\(60\) left-by-a-test$", line), line


RECORDS_ITS_WORKER = """
import os
from pathlib import Path

import pytest


@pytest.mark.parametrize("size", {sizes})
def test_{name}(size):
    out = Path(os.environ["WORKERS_SEEN"]) / "{name}-{{}}".format(size)
    out.write_text(os.environ["PYTEST_XDIST_WORKER"])


@pytest.mark.parametrize("size", {sizes})
def test_{name}_again(size):
    out = Path(os.environ["WORKERS_SEEN"]) / "{name}-again-{{}}".format(size)
    out.write_text(os.environ["PYTEST_XDIST_WORKER"])
"""


@pytest.mark.slow
def test_a_parallel_run_keeps_each_group_on_one_worker(tmp_path: Path) -> None:
    """The long tests run on one worker, and a picture file's tests of one panel size together,
    as tests/suite.py asks (pytest 9.2 with xdist 3.8 silently dropped every group)."""
    tests, seen = tmp_path / "tests", tmp_path / "seen"
    tests.mkdir()
    seen.mkdir()
    # Named as in suite.py's tables: two long files, one file of pictures, and quick tests.
    for file_name, name, sizes in (
        ("test_campaign.py", "campaign", [1, 2]),
        ("test_collector_exit.py", "exit", [1, 2]),
        ("test_every_screen.py", "screens", ["small", "large"]),
        ("test_quick.py", "quick", list(range(8))),
    ):
        (tests / file_name).write_text(RECORDS_ITS_WORKER.format(name=name, sizes=sizes))
    (tests / "test_every_screen.py").write_text(
        "import pytest\npytestmark = [pytest.mark.render]\n"
        + (tests / "test_every_screen.py").read_text()
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONPATH"] = str(REPO)
    env["WORKERS_SEEN"] = str(seen)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-p", "tests.suite", "-n", "2"),
            *("--dist", "loadgroup", "-q", "-p", "no:cacheprovider"),
            *("-o", "markers=render", "-c", os.devnull, "--rootdir", str(tmp_path), str(tests)),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    workers = {path.name: path.read_text() for path in seen.iterdir()}
    assert len(workers) == 2 * (2 + 2 + 2 + 8)
    long_ones = {w for name, w in workers.items() if name.startswith(("campaign", "exit"))}
    assert len(long_ones) == 1, workers  # the long tests, one after another on one worker
    for size in ("small", "large"):  # a picture file's tests of one size share a worker
        assert workers[f"screens-{size}"] == workers[f"screens-again-{size}"], workers
    assert len(set(workers.values())) == 2  # and both workers worked


@pytest.mark.parametrize("params", [None, "1024x600", "1280x800-bare", "a]b@c[d"])
def test_xdist_reads_back_the_group_of_a_picture_test(params: str | None) -> None:
    """xdist finds a test's group after the last "@" of its id only when no "]" follows it, else
    the test is a unit of its own, silently: a picture test's group must read back."""
    from xdist.scheduler.loadgroup import LoadGroupScheduling

    callspec = None if params is None else SimpleNamespace(id=params)
    item = SimpleNamespace(path=Path("tests/ui/test_pictures.py"), callspec=callspec)
    group = render_unit(item)  # type: ignore[arg-type]
    nodeid = "tests/ui/test_pictures.py::test_draws" + ("" if params is None else f"[{params}]")
    scheduler = LoadGroupScheduling.__new__(LoadGroupScheduling)
    assert scheduler._split_scope(f"{nodeid}@{group}") == group
