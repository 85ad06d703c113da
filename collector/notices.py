"""The campaign notice the collector signs for its kiosks (wire/campaign.py): the current
campaign's names, slogan and days, served at GET /api/v1/campaign and written for a USB stick
as ``sangsuk-<year>.campaign.json``, the name the kiosk reads beside its receipts
(sync/campaign.py): by `sangsuk-collector campaigns notice`, by `sangsuk-collector import`
beside the receipts it writes, in the console's receipts zip and from its campaigns page.

The current campaign is the one running, else the latest that has started
(collector/store/campaigns.py): between two campaigns the notice is the ended one's, and its
``ends_at`` tells the kiosk it has ended. A campaign defined for later is not sent before its
first day, over the network or on a stick.
"""

from __future__ import annotations

from dataclasses import dataclass

from collector.store import CollectorStore, campaigns
from wire.campaign import CAMPAIGN_FILE_SUFFIX, CampaignNotice, sign_notice
from wire.keys import DeviceKey


@dataclass(frozen=True, slots=True)
class NoticeFile:
    """A signed notice as a file for a USB stick: its name, its bytes, its campaign."""

    name: str
    data: bytes
    campaign: campaigns.Campaign


def notice_file_name(year: int) -> str:
    """The notice's file name on a stick (sangsuk-2570.campaign.json), as the kiosk reads it."""
    return f"sangsuk-{year}{CAMPAIGN_FILE_SUFFIX}"


def notice_file(
    store: CollectorStore, key: DeviceKey, year: int | None = None
) -> NoticeFile | None:
    """The signed notice of campaign year (the current one by default) as a stick's file;
    None when there is none."""
    found = campaigns.current(store) if year is None else campaigns.by_year(store, year)
    if found is None:
        return None
    notice = CampaignNotice(
        found.year, found.name_th, found.name_en, found.slogan_th, found.slogan_en,
        found.starts_at, found.ends_at, store.now(),
    )  # fmt: skip
    return NoticeFile(notice_file_name(found.year), sign_notice(key.private_key, notice), found)


def signed_notice(store: CollectorStore, key: DeviceKey, year: int | None = None) -> bytes | None:
    """The signed notice of campaign year (the current one by default); None when there is none."""
    found = notice_file(store, key, year)
    return None if found is None else found.data
