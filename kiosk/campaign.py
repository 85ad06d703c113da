"""The campaign this kiosk shows: the newest notice its own collector signed, kept on disk.

The collector's signed campaign notice (wire/campaign.py) arrives from the collector or on a
USB stick; it is kept (``campaign.json`` in the data folder) only when it verifies against the
collector key pinned at enrollment and is not older than the one kept. The welcome and thanks
screens show its name and slogan; a kiosk that never received one (or whose file no longer
verifies, e.g. after enrolling with another collector) shows the default words.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from kiosk.config import KioskConfig
from wire.campaign import CampaignNotice, CampaignNoticeError, read_notice
from wire.files import write_atomically

CAMPAIGN_FILE_NAME: Final = "campaign.json"
log = logging.getLogger(__name__)


def load_campaign(data_dir: Path, config: KioskConfig) -> CampaignNotice | None:
    """The kept campaign, or None (never received, not enrolled, or no longer trusted)."""
    key = config.collector_public_key
    path = data_dir / CAMPAIGN_FILE_NAME
    if key is None or not path.exists():
        return None
    try:
        return read_notice(path.read_bytes(), key)
    except (OSError, CampaignNoticeError) as exc:
        log.warning("the kept campaign %s is not shown: %s", path, exc)
        return None


def accept_campaign(data_dir: Path, config: KioskConfig, data: bytes) -> CampaignNotice:
    """Keep a notice the collector signed when it is not older than the kept one; return the
    campaign now shown. CampaignNoticeError (nothing kept) when it does not verify."""
    key = config.collector_public_key
    if key is None:
        raise CampaignNoticeError("this kiosk is not enrolled: it has no collector key to check")
    notice = read_notice(data, key)
    kept = load_campaign(data_dir, config)
    if kept is not None and kept.issued_at > notice.issued_at:
        log.info("campaign notice of %s ignored: the kept one is newer", notice.issued_at)
        return kept
    write_atomically(data_dir / CAMPAIGN_FILE_NAME, data)
    log.info("campaign %s (%s) is shown from now on", notice.year, notice.name_en)
    return notice
