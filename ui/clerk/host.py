"""What the clerk's screens need of the kiosk window: its settings, roster and services.

The clerk area (ui/clerk/area.py) hands the kiosk window to each screen as a ``ClerkHost``; the
screens import this protocol, never the area that holds them, so no import runs in a circle.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.config import KioskConfig, Place
from kiosk.roster import Roster
from ui.ledger_service import LedgerService
from ui.sync_scheduler import SyncScheduler
from ui.update_scheduler import UpdateScheduler
from wire.campaign import CampaignNotice


class ClerkHost(Protocol):
    """What the clerk area needs of the kiosk window."""

    config: KioskConfig
    roster: Roster
    place: Place
    ledger: LedgerService | None
    sync_scheduler: SyncScheduler | None  # every sync pass, the clerk's "Send now" too
    update_scheduler: UpdateScheduler | None  # update checks, the clerk's "Check now" too

    def apply_config(self, config: KioskConfig) -> None:
        """Show new settings on the citizen screens."""

    def apply_roster(self, roster: Roster) -> None:
        """Show a new roster on the citizen screens."""

    def apply_campaign(self, campaign: CampaignNotice | None) -> None:
        """Show a campaign's name and slogan on the citizen screens (None: the default)."""
