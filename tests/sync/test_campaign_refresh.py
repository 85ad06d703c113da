"""A kiosk asks its collector for the campaign after a sending pass: a real collector served by
uvicorn, a kiosk enrolled with it; the notice kept only when the pinned key signed it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from collector.store import campaigns
from kiosk.campaign import load_campaign
from kiosk.config import load_config, save_config
from sync.campaign import refresh_campaign
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from wire.clock import THAI_TIME


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def enrolled(tmp_path: Path, collector: RunningCollector) -> Path:
    folder = tmp_path / "kiosk"
    assert enroll(folder, collector.url, collector.store.issue_token("3706")).ok
    return folder


def test_the_kiosk_keeps_the_campaign_its_collector_signed(enrolled, collector) -> None:
    assert refresh_campaign(enrolled) is None  # no campaign yet: the default words
    today = datetime.now(THAI_TIME).date()  # the served collector runs on the real clock
    running = campaigns.make(
        today.year + 543, "ประเมินอำเภอ", "District rating", str(today - timedelta(days=1)),
        str(today + timedelta(days=30)), "เสียงของคุณสำคัญ", "Your voice matters",
    )  # fmt: skip
    campaigns.add(collector.store, running)
    shown = refresh_campaign(enrolled)
    assert shown is not None
    assert (shown.year, shown.slogan_en) == (today.year + 543, "Your voice matters")
    assert load_campaign(enrolled, load_config(enrolled)) == shown


def test_a_kiosk_that_cannot_ask_keeps_what_it_shows(enrolled, collector) -> None:
    config = load_config(enrolled)
    save_config(enrolled, config.with_changes(collector_url="http://127.0.0.1:9"))
    assert refresh_campaign(enrolled) is None  # unreachable: nothing kept, nothing broken
