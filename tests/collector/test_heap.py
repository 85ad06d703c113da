"""The serving process and its checking processes keep what they built at start-up out of the
garbage collector's passes (collector/heap.py)."""

import asyncio
import gc

from collector.app import create_app
from collector.checking import ProcessChecker


def test_the_app_once_started_leaves_its_start_up_objects_out_of_the_collectors_passes(tmp_path):
    app = create_app(tmp_path / "collector.sqlite3", checks=1, processes=False)
    before = gc.get_freeze_count()

    async def started() -> int:
        async with app.router.lifespan_context(app):
            return gc.get_freeze_count()

    try:
        frozen = asyncio.run(started())
    finally:
        gc.unfreeze()  # this test process is not a server: give its objects back
        app.state.store.close()
    assert frozen > before


def test_each_checking_process_leaves_the_checker_it_loaded_out_of_the_collectors_passes():
    checker = ProcessChecker(1)
    checker.start()
    try:
        # Asked in the worker process itself: the modules of the checker, thousands of objects.
        frozen = checker._executor().submit(gc.get_freeze_count).result(timeout=60)
    finally:
        checker.close()
    assert frozen > 1000
