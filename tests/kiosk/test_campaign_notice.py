"""The campaign notice: signed by the collector, checked against the kiosk's pinned key, kept
only when newer; a kiosk that never received one (or cannot trust it) shows the default."""

import json
from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.campaign import CAMPAIGN_FILE_NAME, accept_campaign, load_campaign
from kiosk.config import KioskConfig
from wire.campaign import CampaignNotice, CampaignNoticeError, read_notice, sign_notice
from wire.canonical import canonical_json

NOTICE = CampaignNotice(
    2569, "ประเมินอำเภอ ๒๕๖๙", "District rating 2569", "เสียงของคุณสำคัญ", "Your voice matters",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip


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
    assert accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE)) == NOTICE
    assert load_campaign(tmp_path, config) == NOTICE
    older = replace(NOTICE, year=2568, issued_at="2026-01-01T00:00:00.000Z")
    assert accept_campaign(tmp_path, config, sign_notice(collector_key, older)) == NOTICE
    with pytest.raises(CampaignNoticeError):
        accept_campaign(tmp_path, config, sign_notice(Ed25519PrivateKey.generate(), NOTICE))
    assert load_campaign(tmp_path, config) == NOTICE  # the refused one changed nothing


def test_a_notice_from_another_collector_is_not_shown(tmp_path, collector_key, config):
    accept_campaign(tmp_path, config, sign_notice(collector_key, NOTICE))
    other = config.with_changes(
        collector_key=Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    )
    assert load_campaign(tmp_path, other) is None  # enrolled elsewhere since: the default
    assert load_campaign(tmp_path, KioskConfig()) is None  # the demo kiosk has no collector
    (tmp_path / CAMPAIGN_FILE_NAME).write_bytes(b"garbage")
    assert load_campaign(tmp_path, config) is None
