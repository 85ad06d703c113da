"""The welcome and thanks screens show the campaign the collector told the kiosk, in Thai and
English, on the days it runs by the kiosk's clock; before it starts, after it ends, or on a
kiosk that never heard of one they show the default words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.campaign import FROM_COLLECTOR, Heard, accept_campaign, load_campaign
from kiosk.config import KioskConfig
from tests.fakes import FakeClock
from ui.app import KioskWindow
from ui.i18n import LanguageSwitcher
from wire.campaign import CampaignNotice, sign_notice

NOTICE = CampaignNotice(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "เสียงของคุณสำคัญ", "Your voice matters",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip


def test_a_kiosk_that_never_heard_of_a_campaign_shows_the_default(kiosk: KioskWindow) -> None:
    assert kiosk.campaign is None
    default = (kiosk.welcome.title.text(), kiosk.welcome.slogan.text())
    assert default == (kiosk.welcome.tr("Happy District — Happiness can be built"),
                       kiosk.welcome.tr("Less suffering, more happiness"))  # fmt: skip
    assert kiosk.thanks.slogan.text() == default[1]


def test_the_campaign_kept_is_shown_on_welcome_and_thanks_in_both_languages(
    qtbot, kiosk: KioskWindow, switcher: LanguageSwitcher, tmp_path: Path
) -> None:
    key = Ed25519PrivateKey.generate()
    config = KioskConfig(
        district="3706", demo=False, collector_url="http://collector.example",
        collector_key=key.public_key().public_bytes_raw().hex(), enrolled=True,
    )  # fmt: skip
    accept_campaign(
        tmp_path, config, sign_notice(key, NOTICE), Heard(NOTICE.issued_at, FROM_COLLECTOR)
    )
    default_title = kiosk.welcome.title.text()
    kiosk.apply_campaign(load_campaign(tmp_path, config))
    assert kiosk.welcome.title.text() == "ประเมินอำเภอ ๒๕๖๙"
    assert kiosk.welcome.slogan.text() == "เสียงของคุณสำคัญ"
    assert kiosk.thanks.campaign.text() == "ประเมินอำเภอ ๒๕๖๙"
    switcher.set_language("en")
    qtbot.waitUntil(lambda: kiosk.welcome.title.text() == "District rating 2569")
    qtbot.waitUntil(lambda: kiosk.thanks.slogan.text() == "Your voice matters")
    switcher.set_language("th")
    qtbot.waitUntil(lambda: kiosk.welcome.slogan.text() == "เสียงของคุณสำคัญ")
    kiosk.apply_campaign(None)
    assert kiosk.welcome.title.text() == default_title


def test_an_ended_campaign_is_no_longer_named_once_the_thai_day_turns(
    kiosk: KioskWindow, clock: FakeClock
) -> None:
    # The trial: on the day after the campaign ended the kiosk still welcomed citizens to it.
    default = (kiosk.welcome.title.text(), kiosk.welcome.slogan.text())
    clock.set_wall(datetime(2026, 11, 30, 16, 59, tzinfo=UTC))  # 23:59 on its last Thai day
    kiosk.apply_campaign(NOTICE)
    assert kiosk.welcome.title.text() == "ประเมินอำเภอ ๒๕๖๙"
    clock.set_wall(datetime(2026, 11, 30, 17, 1, tzinfo=UTC))  # 00:01 on 1 December, Thai time
    kiosk.tick()  # the welcome screen waits for the next citizen all night
    assert (kiosk.welcome.title.text(), kiosk.welcome.slogan.text()) == default
    assert kiosk.thanks.slogan.text() == default[1]
    assert kiosk.campaign == NOTICE  # still kept, for the clerk's card


def test_a_campaign_not_started_yet_is_not_named_until_its_first_day(
    kiosk: KioskWindow, clock: FakeClock
) -> None:
    default = kiosk.welcome.title.text()
    later = replace(NOTICE, year=2570, name_th="ประเมินอำเภอ ๒๕๗๐",
                    starts_at="2026-12-09T17:00:00.000Z", ends_at="2027-02-28T17:00:00.000Z")  # fmt: skip
    kiosk.apply_campaign(later)  # the clock says 24 November 2026
    assert kiosk.welcome.title.text() == default
    assert kiosk.thanks.campaign.text() == default
    clock.set_wall(datetime(2026, 12, 10, 1, 0, tzinfo=UTC))
    kiosk.tick()
    assert kiosk.welcome.title.text() == "ประเมินอำเภอ ๒๕๗๐"
