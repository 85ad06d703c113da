"""How the recount starts its worker processes (collector/recount_files.py).

Forked when the recount's process runs no other thread (the worker is ready at once); spawned
otherwise, since a forked child would inherit the locks other threads hold. Either way the
recount finds the same (tests/collector/test_recount.py runs it both ways).
"""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading

import pytest

from collector import recount_files

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="this system cannot fork"
)


def test_a_process_without_threads_forks_its_workers():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from collector import recount_files;"
            " print(recount_files._context().get_start_method())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "fork"


def test_a_process_with_another_thread_spawns_them():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert recount_files._context().get_start_method() == "spawn"
    finally:
        stop.set()
        other.join()
