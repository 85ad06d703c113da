"""The populated console the awards and ranking-method tests share (tests/collector/conftest.py)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator
from tests.e2e.populate import DISTRICTS, populate


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[RunningCollector, Any]]:
    """A collector served with the e2e campaign's votes, and an officer logged in to it (a file
    that defines its own ``site`` uses that one)."""
    with serve_collector(tmp_path / "collector.sqlite3", DISTRICTS) as running:
        populate(running.url, running.store, tmp_path / "kiosks")
        make_operator(running.store, "officer", "officer")
        with httpx.Client(base_url=running.url, timeout=60) as officer:
            log_in(officer, name="officer")
            yield running, officer
