"""A kiosk asks its collector for the campaign after a sending pass: a real collector served by
uvicorn, a kiosk enrolled with it; the notice kept only when the pinned key signed it, noted
with when and how it came, for the clerk."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from collector.cli import main
from collector.store import campaigns
from kiosk.campaign import FROM_COLLECTOR, FROM_USB, Heard, load_campaign, shown_campaign
from kiosk.config import load_config, save_config
from sync.campaign import StickCampaign, read_campaign_in, refresh_campaign
from sync.operations import enroll
from tests.collector_server import RunningCollector, serve_collector
from wire.campaign import CampaignNotice, sign_notice
from wire.clock import THAI_TIME, format_utc


def load_notice(path: Path) -> CampaignNotice:
    """A notice's content, its signature not checked (to sign it again with another key)."""
    obj = json.loads(path.read_bytes())
    fields = ("year", "name_th", "name_en", "slogan_th", "slogan_en", "starts_at", "ends_at",
              "issued_at")  # fmt: skip
    return CampaignNotice(*(obj[f] for f in fields))


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[RunningCollector]:
    with serve_collector(tmp_path / "central.sqlite3", [("3706", "small")]) as running:
        yield running


@pytest.fixture
def enrolled(tmp_path: Path, collector: RunningCollector) -> Path:
    folder = tmp_path / "kiosk"
    assert enroll(folder, collector.url, collector.store.issue_token("3706")).ok
    return folder


def test_the_kiosk_keeps_the_campaign_its_collector_signed(enrolled, collector, clock) -> None:
    assert refresh_campaign(enrolled) is None  # no campaign yet: the default words
    today = datetime.now(THAI_TIME).date()  # the served collector runs on the real clock
    running = campaigns.make(
        today.year + 543, "ประเมินอำเภอ", "District rating", str(today - timedelta(days=1)),
        str(today + timedelta(days=30)), "เสียงของคุณสำคัญ", "Your voice matters",
    )  # fmt: skip
    campaigns.add(collector.store, running)
    shown = refresh_campaign(enrolled, clock=clock)
    assert shown is not None
    assert (shown.year, shown.slogan_en) == (today.year + 543, "Your voice matters")
    assert load_campaign(enrolled, load_config(enrolled)) == shown
    for_clerk = shown_campaign(enrolled, load_config(enrolled), datetime.now(THAI_TIME).date())
    assert for_clerk is not None
    assert for_clerk.heard == Heard(format_utc(clock.now()), FROM_COLLECTOR)


def test_a_kiosk_that_cannot_ask_keeps_what_it_shows(enrolled, collector) -> None:
    config = load_config(enrolled)
    save_config(enrolled, config.with_changes(collector_url="http://127.0.0.1:9"))
    assert refresh_campaign(enrolled) is None  # unreachable: nothing kept, nothing broken


def test_a_notice_on_a_usb_stick_is_kept_only_when_signed_by_the_pinned_key(
    enrolled, collector, tmp_path, capsys, clock
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    assert read_campaign_in(enrolled, stick) == StickCampaign(None, None)  # nothing: default
    today = datetime.now(THAI_TIME).date()
    campaigns.add(
        collector.store,
        campaigns.make(
            today.year + 543, "ประเมินอำเภอ", "District rating", str(today - timedelta(days=1)),
            str(today + timedelta(days=30)), "เสียงของคุณสำคัญ", "Your voice matters",
        ),
    )  # fmt: skip
    db = str(collector.store.target.path)
    assert main(["campaigns", "--db", db, "notice", "--to", str(stick / "s.campaign.json")]) == 0
    other = sign_notice(Ed25519PrivateKey.generate(), load_notice(stick / "s.campaign.json"))
    (stick / "t.campaign.json").write_bytes(other)  # signed by another key: refused
    (stick / "u.campaign.json").write_bytes(b"{not json")  # damaged: refused
    found = read_campaign_in(enrolled, stick, clock)
    shown = found.kept
    assert shown is not None
    assert shown.name_en == "District rating"
    assert found.read == shown
    assert found.foreign == ("t.campaign.json",)  # the clerk is told: not its central office's
    assert found.unreadable == ("u.campaign.json",)
    for_clerk = shown_campaign(enrolled, load_config(enrolled), datetime.now(THAI_TIME).date())
    assert for_clerk is not None
    assert for_clerk.heard == Heard(format_utc(clock.now()), FROM_USB)
    capsys.readouterr()
