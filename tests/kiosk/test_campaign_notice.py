"""The campaign notice: signed by the collector, checked against the kiosk's pinned key, kept
only when newer; a kiosk that never received one (or cannot trust it) shows the default. The
clerk is told when and how the kept one came."""

import json
import logging
from dataclasses import replace
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.campaign import (
    CAMPAIGN_FILE_NAME,
    FROM_COLLECTOR,
    FROM_USB,
    HEARD_FILE_NAME,
    Heard,
    Phase,
    ShownCampaign,
    accept_campaign,
    campaign_on,
    load_campaign,
    shown_campaign,
)
from kiosk.config import KioskConfig
from wire.campaign import CampaignNotice, CampaignNoticeError, read_notice, sign_notice
from wire.canonical import canonical_json

NOTICE = CampaignNotice(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "เสียงของคุณสำคัญ", "Your voice matters",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip
HEARD = Heard("2026-11-24T03:00:00.000Z", FROM_COLLECTOR)
DAY = date(2026, 11, 24)  # a day the campaign runs


@pytest.fixture
def collector_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def config(collector_key):
    raw = collector_key.public_key().public_bytes_raw().hex()
    return KioskConfig(district="3706", demo=False, collector_url="http://c", collector_key=raw,
                       enrolled=True)  # fmt: skip


def test_a_signed_notice_reads_back_in_both_languages(collector_key):
    notice = read_notice(sign_notice(collector_key, NOTICE), collector_key.public_key())
    assert notice == NOTICE
    assert (notice.name("th"), notice.slogan("en")) == (NOTICE.name_th, "Your voice matters")


def resigned(key, change):
    obj = json.loads(sign_notice(key, NOTICE))
    del obj["sig"]
    change(obj)
    return canonical_json(
        dict(obj, sig=key.sign(b"sangsuk/v1/campaign\n" + canonical_json(obj)).hex())
    )


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (lambda k: sign_notice(Ed25519PrivateKey.generate(), NOTICE), "not signed by this kiosk's"),
        (lambda k: sign_notice(k, NOTICE).replace(b"2569", b"2570"), "not signed by this kiosk's"),
        (lambda k: b"[]", "not a campaign notice"),
        (lambda k: resigned(k, lambda o: o.update(version=2)), "of version 1"),
        (lambda k: resigned(k, lambda o: o.update(extra=1)), "missing or unknown members"),
        (lambda k: resigned(k, lambda o: o.update(slogan_th="")), "1 to 200 characters"),
        (lambda k: resigned(k, lambda o: o.update(name_en="a\nb")), "1 to 200 characters"),
        (lambda k: resigned(k, lambda o: o.update(ends_at=o["starts_at"])), "ends before"),
        (lambda k: resigned(k, lambda o: o.update(year="2569")), "not a whole number"),
        (lambda k: b" " * 9000, "at most 8192 bytes"),
    ],
)
def test_a_notice_that_cannot_be_trusted_is_refused_in_words(collector_key, data, said):
    with pytest.raises(CampaignNoticeError, match=said):
        read_notice(data(collector_key), collector_key.public_key())


def test_the_kiosk_keeps_the_newest_trusted_notice(tmp_path, collector_key, config):
    assert load_campaign(tmp_path, config) is None  # never heard of one: the default words
    assert accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD) == NOTICE
    assert load_campaign(tmp_path, config) == NOTICE
    older = replace(NOTICE, year=2568, issued_at="2026-01-01T00:00:00.000Z")
    assert accept_campaign(tmp_path, config, sign_notice(collector_key, older), HEARD) == NOTICE
    with pytest.raises(CampaignNoticeError):
        accept_campaign(tmp_path, config, sign_notice(Ed25519PrivateKey.generate(), NOTICE), HEARD)
    assert load_campaign(tmp_path, config) == NOTICE  # the refused one changed nothing


def test_a_notice_from_another_collector_is_not_shown(tmp_path, collector_key, config):
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD)
    other = config.with_changes(
        collector_key=Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    )
    assert load_campaign(tmp_path, other) is None  # enrolled elsewhere since: the default
    assert load_campaign(tmp_path, KioskConfig()) is None  # the demo kiosk has no collector
    (tmp_path / CAMPAIGN_FILE_NAME).write_bytes(b"garbage")
    assert load_campaign(tmp_path, config) is None


def test_the_clerk_is_told_the_campaign_its_thai_days_and_when_and_how_it_came(
    tmp_path, collector_key, config
):
    assert shown_campaign(tmp_path, config, DAY) is None  # none heard yet: the default shows
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD)
    shown = shown_campaign(tmp_path, config, DAY)
    assert shown == ShownCampaign(NOTICE, HEARD, DAY)
    # 17:00 UTC is midnight in Thailand: the period is 1 to 30 November, both days included.
    assert (shown.first_day, shown.last_day) == (date(2026, 11, 1), date(2026, 11, 30))
    on_stick = Heard("2026-11-25T02:30:00.000Z", FROM_USB)
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), on_stick)
    assert shown_campaign(tmp_path, config, DAY) == ShownCampaign(
        NOTICE, on_stick, DAY
    )  # the same, again


def test_an_older_notice_does_not_change_when_the_shown_one_came(tmp_path, collector_key, config):
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD)
    older = replace(NOTICE, year=2568, issued_at="2026-01-01T00:00:00.000Z")
    later = Heard("2026-11-26T03:00:00.000Z", FROM_COLLECTOR)
    assert accept_campaign(tmp_path, config, sign_notice(collector_key, older), later) == NOTICE
    assert shown_campaign(tmp_path, config, DAY) == ShownCampaign(NOTICE, HEARD, DAY)


@pytest.mark.parametrize(
    "note",
    [b"{not json", b"[]", b'{"at": "yesterday", "source": "usb"}',
     b'{"at": "2026-11-24T03:00:00.000Z", "source": "pigeon"}', b'{"at": 5, "source": []}'],
)  # fmt: skip
def test_a_damaged_note_of_when_it_came_only_hides_when(
    tmp_path, collector_key, config, note, caplog
):
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD)
    (tmp_path / HEARD_FILE_NAME).write_bytes(note)
    with caplog.at_level(logging.WARNING, logger="kiosk.campaign"):
        assert shown_campaign(tmp_path, config, DAY) == ShownCampaign(NOTICE, None, DAY)
    assert "when the campaign came is not known" in caplog.text
    (tmp_path / HEARD_FILE_NAME).unlink()  # kept before the kiosk noted when: shown all the same
    assert shown_campaign(tmp_path, config, DAY) == ShownCampaign(NOTICE, None, DAY)


def test_a_notice_kept_from_another_collector_is_not_shown_to_the_clerk(
    tmp_path, collector_key, config
):
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE), HEARD)
    other = config.with_changes(
        collector_key=Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    )
    assert shown_campaign(tmp_path, other, DAY) is None  # enrolled elsewhere: the default shows


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        (date(2026, 10, 31), Phase.UPCOMING),  # the eve of its first Thai day
        (date(2026, 11, 1), Phase.RUNNING),  # its first day (17:00 UTC is midnight in Thailand)
        (date(2026, 11, 30), Phase.RUNNING),  # its last day, included
        (date(2026, 12, 1), Phase.ENDED),  # the day after: votes count in no campaign
        (date(2027, 11, 15), Phase.ENDED),
    ],
)
def test_citizens_are_told_a_campaign_only_on_the_days_it_runs(day, phase):
    assert ShownCampaign(NOTICE, HEARD, day).phase is phase
    assert campaign_on(NOTICE, day) == (NOTICE if phase is Phase.RUNNING else None)
    assert campaign_on(None, day) is None  # none kept: the default words


def test_the_trial_kiosk_stops_naming_2569_the_day_after_it_ended():
    # The trial: campaign 2569 ran 11 October to 5 December 2569; on 6 December the kiosk
    # still welcomed citizens to it. Campaign 2570 starts later in the same calendar year.
    y2569 = replace(
        NOTICE, starts_at="2026-10-10T17:00:00.000Z", ends_at="2026-12-05T17:00:00.000Z"
    )
    y2570 = replace(NOTICE, year=2570, starts_at="2026-12-09T17:00:00.000Z",
                    ends_at="2027-02-28T17:00:00.000Z")  # fmt: skip
    assert campaign_on(y2569, date(2026, 12, 5)) == y2569
    assert campaign_on(y2569, date(2026, 12, 6)) is None
    assert campaign_on(y2570, date(2026, 12, 6)) is None  # not started: not named either
    assert campaign_on(y2570, date(2026, 12, 10)) == y2570
