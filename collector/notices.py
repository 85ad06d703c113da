"""The campaign notice the collector signs for its kiosks (wire/campaign.py): the current
campaign's names and slogan, served at GET /api/v1/campaign and written for a USB stick by
`sangsuk-collector campaigns notice`."""

from __future__ import annotations

from collector.store import CollectorStore, campaigns
from wire.campaign import CampaignNotice, sign_notice
from wire.keys import DeviceKey


def signed_notice(store: CollectorStore, key: DeviceKey, year: int | None = None) -> bytes | None:
    """The signed notice of campaign year (the current one by default); None when there is none."""
    found = campaigns.current(store) if year is None else campaigns.by_year(store, year)
    if found is None:
        return None
    notice = CampaignNotice(
        found.year, found.name_th, found.name_en, found.slogan_th, found.slogan_en,
        found.starts_at, found.ends_at, store.now(),
    )  # fmt: skip
    return sign_notice(key.private_key, notice)
