"""Asking the collector for its campaign notice after a sending pass, or reading it from a USB
stick (wire/campaign.py).

The notice is kept by kiosk/campaign.py only when the collector key pinned at enrollment
signed it; a collector that has no campaign, or cannot be asked now, changes nothing: the
kiosk goes on showing what it showed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.campaign import FROM_COLLECTOR, FROM_USB, Heard, accept_campaign, load_campaign
from kiosk.config import KioskConfig, load_config
from sync.uploader import SyncError, Uploader, uploader_for
from wire.campaign import (
    CAMPAIGN_FILE_SUFFIX,
    NOTICE_MAX_BYTES,
    CampaignNotice,
    CampaignNoticeError,
    ForeignNoticeError,
    read_notice,
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


@dataclass(frozen=True, slots=True)
class StickCampaign:
    """What the campaign notices on a stick gave: the newest one the pinned collector signed
    (None: none), the campaign the kiosk keeps now, and the files not used and why."""

    read: CampaignNotice | None  # the newest notice on the stick this kiosk's collector signed
    kept: CampaignNotice | None  # the campaign kept now (a newer one kept before stays)
    foreign: tuple[str, ...] = ()  # signed by another central office's key (or altered)
    unreadable: tuple[str, ...] = ()  # not a campaign notice, damaged, or unreadable

    @property
    def refused(self) -> tuple[str, ...]:
        """Every notice file not used."""
        return self.foreign + self.unreadable


def read_campaign_files(
    data_dir: Path, files: list[Path], clock: Clock | None = None
) -> StickCampaign:
    """Keep the campaign notices in ``files`` that the pinned collector signed (the newest
    wins); say which were read and which were not used, and why."""
    config = load_config(data_dir)
    heard = Heard(format_utc((clock or SystemClock()).now()), FROM_USB)
    read: CampaignNotice | None = None
    foreign: list[str] = []
    unreadable: list[str] = []
    for path in files:
        try:
            with path.open("rb") as f:
                data = f.read(NOTICE_MAX_BYTES + 1)
            if config.collector_public_key is not None:
                notice = read_notice(data, config.collector_public_key)
                if read is None or notice.issued_at >= read.issued_at:
                    read = notice
            accept_campaign(data_dir, config, data, heard)
        except ForeignNoticeError as exc:
            log.warning("the campaign notice %s was not kept: %s", path, exc)
            foreign.append(path.name)
        except (OSError, CampaignNoticeError) as exc:
            log.warning("the campaign notice %s was not kept: %s", path, exc)
            unreadable.append(path.name)
    kept = load_campaign(data_dir, config)
    return StickCampaign(read, kept, tuple(foreign), tuple(unreadable))


def notice_files_in(folder: Path) -> list[Path]:
    """The campaign notices at the top of a stick's folder (``*.campaign.json``), by name."""
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(CAMPAIGN_FILE_SUFFIX))
    except OSError as exc:
        log.warning("the folder %s cannot be read for a campaign notice: %s", folder, exc)
        return []


def read_campaign_in(data_dir: Path, folder: Path, clock: Clock | None = None) -> StickCampaign:
    """Keep the campaign notices at the top of a stick's folder (``*.campaign.json``) that the
    pinned collector signed; what was read, what is kept, and the files not used."""
    return read_campaign_files(data_dir, notice_files_in(folder), clock)
