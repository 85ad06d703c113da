"""The clerk's view of the campaign: a card on the overview (ui/clerk/dashboard.py).

It names the campaign kept (kiosk/campaign.py), in Thai and in English, its Buddhist-era year,
its days in Thai time, and when it last came from the central collector or from a USB stick; a
kiosk that never heard of one says it shows the default words. The welcome and thanks screens
name a campaign only on the days it runs: one that ended says so plainly (votes now count in no
campaign: ask the central office), one still to come says when it starts.
What it shows is read with the rest of the overview (kiosk/dashboard.py), off the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QLocale, QObject

from kiosk.campaign import FROM_USB, Phase, ShownCampaign
from ui.clerk.text import BUDDHIST_ERA_OFFSET, local_time
from ui.clerk.widgets import ClerkPage, set_message, ui_language
from ui.i18n import fill


def day_text(day: date) -> str:
    """A Thai day for the clerk: 1 พฤศจิกายน 2569 in Thai (Buddhist era), 1 November 2026."""
    year = day.year + BUDDHIST_ERA_OFFSET if ui_language() == "th" else day.year
    return f"{day.day} {QLocale().monthName(day.month)} {year}"


class CampaignCard(QObject):
    """The "Campaign on this kiosk" card: built from the page's card and labels."""

    def __init__(self, page: ClerkPage) -> None:
        """Build the card on page; ``frame`` is for the page to place."""
        super().__init__(page)
        self.frame, box = page.card("campaignCard")
        self.title = page.label("cardTitle")
        self.names = page.label("cardText")  # the Thai name, then the English one
        self.state = page.label("clerkMessage")  # ended, or not started yet: what that means
        self.details = page.label("cardText")  # year, days, when it came
        self.state.hide()
        for widget in (self.title, self.names, self.state, self.details):
            box.addWidget(widget)
        self.campaign: ShownCampaign | None = None
        self._read = False  # nothing said until the overview's figures have been read
        self.retranslate_ui()

    def render(self, campaign: ShownCampaign | None) -> None:
        """Show this campaign (None: none heard yet, the kiosk shows the default words)."""
        self.campaign, self._read = campaign, True
        if campaign is None:
            self.names.setText(
                self.tr("No campaign heard yet: the kiosk shows the default welcome and slogan.")
            )
            self.details.hide()
            set_message(self.state, "")
            return
        notice = campaign.notice
        self.names.setText(f"{notice.name_th}\n{notice.name_en}")
        self._say_phase(campaign)
        #: %1 is the campaign's year in the Buddhist era, e.g. 2569.
        lines = [fill(self.tr("Year %1 (Buddhist era)"), str(notice.year))]
        #: %1 and %2 are the campaign's first and last days, e.g. 1 November 2026.
        lines.append(
            fill(
                self.tr("From %1 to %2"), day_text(campaign.first_day), day_text(campaign.last_day)
            )
        )
        heard = campaign.heard
        if heard is not None:
            when = local_time(heard.at)
            if heard.source == FROM_USB:
                #: %1 is when (Thai time) the campaign was read from a USB stick.
                lines.append(fill(self.tr("Read from a USB stick on %1"), when))
            else:
                #: %1 is when (Thai time) the collector last sent the campaign.
                lines.append(fill(self.tr("Last heard from the central collector on %1"), when))
        self.details.setText("\n".join(lines))
        self.details.show()

    def _say_phase(self, campaign: ShownCampaign) -> None:
        """Say plainly when the campaign is not running today (citizens then see the default)."""
        if campaign.phase is Phase.ENDED:
            #: %1 is the campaign's last day, e.g. 5 December 2026.
            text = self.tr(
                "Ended on %1. Citizens now see the default welcome, and votes count in no campaign"
                " until the central office sends the next one: ask the central office."
            )
            set_message(self.state, fill(text, day_text(campaign.last_day)), tone="error")
        elif campaign.phase is Phase.UPCOMING:
            #: %1 is the campaign's first day, e.g. 10 December 2026.
            text = self.tr("Starts on %1. Until then citizens see the default welcome.")
            set_message(self.state, fill(text, day_text(campaign.first_day)), tone="info")
        else:
            set_message(self.state, "")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Campaign on this kiosk"))
        if self._read:
            self.render(self.campaign)
