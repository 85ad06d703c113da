"""Asking the collector for its campaign notice after a sending pass, or reading it from a USB
stick (wire/campaign.py).

The notice is kept by kiosk/campaign.py only when the collector key pinned at enrollment
signed it; a collector that has no campaign, or cannot be asked now, changes nothing: the
kiosk goes on showing what it showed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.campaign import FROM_COLLECTOR, FROM_USB, Heard, accept_campaign, load_campaign
from kiosk.config import KioskConfig, load_config
from sync.uploader import SyncError, Uploader, uploader_for
from wire.campaign import (
    CAMPAIGN_FILE_SUFFIX,
    NOTICE_MAX_BYTES,
    CampaignNotice,
    CampaignNoticeError,
)
from wire.clock import Clock, SystemClock, format_utc

log = logging.getLogger(__name__)


def refresh_campaign(
    data_dir: Path,
    make_uploader: Callable[[KioskConfig], Uploader] | None = None,
    clock: Clock | None = None,
) -> CampaignNotice | None:
    """Ask the collector for its campaign and keep it if it verifies; the campaign to show.

    ``clock`` tells when it was heard, for the clerk (the machine's clock by default)."""
    config = load_config(data_dir)
    if not config.enrolled:
        return None
    try:
        with (make_uploader or uploader_for)(config) as uploader:
            data = uploader.campaign_notice()
        if data is not None:
            heard = Heard(format_utc((clock or SystemClock()).now()), FROM_COLLECTOR)
            return accept_campaign(data_dir, config, data, heard)
    except SyncError as exc:
        log.info("the collector's campaign could not be asked now: %s", exc)
    except CampaignNoticeError as exc:
        log.warning("the collector's campaign notice was not kept: %s", exc)
    return load_campaign(data_dir, config)


def read_campaign_in(
    data_dir: Path, folder: Path, clock: Clock | None = None
) -> tuple[CampaignNotice | None, list[str]]:
    """Keep the campaign notices at the top of a stick's folder (``*.campaign.json``) that the
    pinned collector signed; the campaign to show, and the names of the files refused."""
    config = load_config(data_dir)
    heard = Heard(format_utc((clock or SystemClock()).now()), FROM_USB)
    refused: list[str] = []
    try:
        found = sorted(p for p in folder.iterdir() if p.name.endswith(CAMPAIGN_FILE_SUFFIX))
    except OSError as exc:
        log.warning("the folder %s cannot be read for a campaign notice: %s", folder, exc)
        found = []
    for path in found:
        try:
            with path.open("rb") as f:
                data = f.read(NOTICE_MAX_BYTES + 1)
            accept_campaign(data_dir, config, data, heard)
        except (OSError, CampaignNoticeError) as exc:
            log.warning("the campaign notice %s was not kept: %s", path, exc)
            refused.append(path.name)
    return load_campaign(data_dir, config), refused
