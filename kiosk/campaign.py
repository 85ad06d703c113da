"""The campaign this kiosk shows: the newest notice its own collector signed, kept on disk.

The collector's signed campaign notice (wire/campaign.py) arrives from the collector or on a
USB stick; it is kept (``campaign.json`` in the data folder) only when it verifies against the
collector key pinned at enrollment and is not older than the one kept. The welcome and thanks
screens show its name and slogan only while it runs by the kiosk's clock (``campaign_on``: from
its first Thai day to its last, as the notice gives them); before it starts, after it ends, or
on a kiosk that never received one (or whose file no longer verifies, e.g. after enrolling with
another collector) they show the default words. A citizen is never told a campaign whose votes
their vote will not count in.

Beside it, ``campaign-heard.json`` says when the kept notice last came and how (from the
collector after a sending pass, or on a USB stick), for the clerk's overview. It is advice, not
data: a missing or damaged file only means the clerk is not told when.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
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


class Phase(Enum):
    """Where a campaign stands on a Thai day."""

    UPCOMING = "upcoming"  # its first day is still to come
    RUNNING = "running"  # votes cast today count in it
    ENDED = "ended"  # its last day is past: votes now count in no campaign


def first_day(notice: CampaignNotice) -> date:
    """The campaign's first Thai day (UTC+7)."""
    return thai_day(parse_utc(notice.starts_at))


def last_day(notice: CampaignNotice) -> date:
    """The campaign's last Thai day, included (``ends_at`` is the moment after it)."""
    return thai_day(parse_utc(notice.ends_at) - timedelta(milliseconds=1))


def phase_on(notice: CampaignNotice, day: date) -> Phase:
    """Where the campaign stands on the Thai day ``day``."""
    if day < first_day(notice):
        return Phase.UPCOMING
    if day > last_day(notice):
        return Phase.ENDED
    return Phase.RUNNING


def campaign_on(notice: CampaignNotice | None, day: date) -> CampaignNotice | None:
    """The campaign to name to citizens on the Thai day ``day``: the kept one while it runs,
    else None (the default welcome and slogan)."""
    if notice is None or phase_on(notice, day) is not Phase.RUNNING:
        return None
    return notice


@dataclass(frozen=True, slots=True)
class ShownCampaign:
    """The kept campaign, for the clerk: the notice, its Thai days, where it stands on ``today``
    (the kiosk's Thai day when it was read) and when it came."""

    notice: CampaignNotice
    heard: Heard | None  # None: kept before the kiosk noted when, or the note is damaged
    today: date

    @property
    def first_day(self) -> date:
        """The campaign's first Thai day (UTC+7)."""
        return first_day(self.notice)

    @property
    def last_day(self) -> date:
        """The campaign's last Thai day, included (``ends_at`` is the moment after it)."""
        return last_day(self.notice)

    @property
    def phase(self) -> Phase:
        """Where the campaign stands today: citizens see it named only while it runs."""
        return phase_on(self.notice, self.today)


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


def shown_campaign(data_dir: Path, config: KioskConfig, today: date) -> ShownCampaign | None:
    """The kept campaign with when it last came and where it stands on the Thai day ``today``,
    for the clerk; None when none is kept."""
    notice = load_campaign(data_dir, config)
    if notice is None:
        return None
    return ShownCampaign(notice, _load_heard(data_dir), today)


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
