"""The campaign this kiosk shows: the newest notice its own collector signed, kept on disk.

The collector's signed campaign notice (wire/campaign.py) arrives from the collector or on a
USB stick; it is kept (``campaign.json`` in the data folder) only when it verifies against the
collector key pinned at enrollment and is not older than the one kept. The welcome and thanks
screens show its name and slogan; a kiosk that never received one (or whose file no longer
verifies, e.g. after enrolling with another collector) shows the default words.

Beside it, ``campaign-heard.json`` says when the kept notice last came and how (from the
collector after a sending pass, or on a USB stick), for the clerk's overview. It is advice, not
data: a missing or damaged file only means the clerk is not told when.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Final

from kiosk.config import KioskConfig
from wire.campaign import CampaignNotice, CampaignNoticeError, read_notice
from wire.clock import parse_utc, thai_day
from wire.files import write_atomically

CAMPAIGN_FILE_NAME: Final = "campaign.json"
HEARD_FILE_NAME: Final = "campaign-heard.json"
FROM_COLLECTOR: Final = "collector"  # asked after a sending pass (sync/campaign.py)
FROM_USB: Final = "usb"  # read from a USB stick
SOURCES: Final = (FROM_COLLECTOR, FROM_USB)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Heard:
    """When the kept notice last came (a protocol timestamp, UTC) and how (one of SOURCES)."""

    at: str
    source: str


@dataclass(frozen=True, slots=True)
class ShownCampaign:
    """The campaign the kiosk shows, for the clerk: the notice, its Thai days and when it came."""

    notice: CampaignNotice
    heard: Heard | None  # None: kept before the kiosk noted when, or the note is damaged

    @property
    def first_day(self) -> date:
        """The campaign's first Thai day (UTC+7)."""
        return thai_day(parse_utc(self.notice.starts_at))

    @property
    def last_day(self) -> date:
        """The campaign's last Thai day, included (``ends_at`` is the moment after it)."""
        return thai_day(parse_utc(self.notice.ends_at) - timedelta(milliseconds=1))


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


def shown_campaign(data_dir: Path, config: KioskConfig) -> ShownCampaign | None:
    """The kept campaign with when it last came, for the clerk; None while the default shows."""
    notice = load_campaign(data_dir, config)
    if notice is None:
        return None
    return ShownCampaign(notice, _load_heard(data_dir))


def _load_heard(data_dir: Path) -> Heard | None:
    path = data_dir / HEARD_FILE_NAME
    try:
        raw = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("when the campaign came is not known: %s cannot be read (%s)", path, exc)
        return None
    note = raw if isinstance(raw, dict) else {}
    at, source = str(note.get("at")), note.get("source")
    try:
        parse_utc(at)  # only a protocol timestamp is taken
    except ValueError:
        log.warning("when the campaign came is not known: %s holds no time", path)
        return None
    if not isinstance(source, str) or source not in SOURCES:
        log.warning("when the campaign came is not known: %s holds no source", path)
        return None
    return Heard(at, source)


def accept_campaign(
    data_dir: Path, config: KioskConfig, data: bytes, heard: Heard
) -> CampaignNotice:
    """Keep a notice the collector signed when it is not older than the kept one, noting when
    and how it came (``heard``); return the campaign now shown. CampaignNoticeError (nothing
    kept) when it does not verify."""
    key = config.collector_public_key
    if key is None:
        raise CampaignNoticeError("this kiosk is not enrolled: it has no collector key to check")
    notice = read_notice(data, key)
    kept = load_campaign(data_dir, config)
    if kept is not None and kept.issued_at > notice.issued_at:
        log.info("campaign notice of %s ignored: the kept one is newer", notice.issued_at)
        return kept
    write_atomically(data_dir / CAMPAIGN_FILE_NAME, data)
    note = json.dumps({"at": heard.at, "source": heard.source}).encode("utf-8")
    try:
        write_atomically(data_dir / HEARD_FILE_NAME, note)
    except OSError as exc:  # advice: the campaign is kept and shown all the same
        log.warning("when the campaign came could not be noted: %s", exc)
    log.info("campaign %s (%s) is shown from now on", notice.year, notice.name_en)
    return notice
