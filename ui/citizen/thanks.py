"""Thanks: shown only once the ledger has committed the vote; it returns to the welcome by itself."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.flow import View
from kiosk.speech import Spoken
from ui.citizen.screen import CitizenScreen
from ui.citizen.welcome import SunMark
from ui.i18n import LanguageSwitcher
from wire.campaign import CampaignNotice

SUN_PX: Final = 168


class ThanksScreen(CitizenScreen):
    """ "Thank you for your feedback", the campaign's slogan, and back to the start after a while."""

    def __init__(self, switcher: LanguageSwitcher, parent: QWidget | None = None) -> None:
        self._campaign: CampaignNotice | None = None
        super().__init__(switcher, name="thanksScreen", parent=parent)
        self.sun = SunMark(self, side=SUN_PX)
        self.title = self.make_label("thanksTitle")
        self.message = self.make_label("thanksMessage")
        self.campaign = self.make_label("thanksCampaign")
        self.slogan = self.make_label("slogan")
        footer = QFrame(self)
        footer.setObjectName("footer")
        footer_layout = QVBoxLayout(footer)
        footer_layout.setContentsMargins(32, 20, 32, 24)
        footer_layout.addWidget(self.slogan)

        self.content.addStretch(2)
        self.content.addWidget(self.sun, 0, Qt.AlignmentFlag.AlignHCenter)
        self.content.addSpacing(8)
        self.content.addWidget(self.title)
        self.content.addWidget(self.message)
        self.content.addSpacing(12)
        self.content.addWidget(self.campaign)
        self.content.addStretch(3)
        # The footer band runs from edge to edge, under the screen's margins.
        self.root.setContentsMargins(0, 20, 0, 0)
        self.header.setContentsMargins(32, 0, 32, 0)
        self.root.addWidget(footer)
        self.retranslate_ui()

    def set_campaign(self, campaign: CampaignNotice | None) -> None:
        """Show this campaign's name and slogan (None: the default words)."""
        self._campaign = campaign
        self.retranslate_ui()

    def show_view(self, view: View) -> None:
        """Nothing to render but the display choices."""
        super().show_view(view)

    def spoken(self) -> Spoken:
        """Return the thanks and that the answers were saved."""
        return Spoken(self.title.text(), (self.message.text(),))

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        super().retranslate_ui()
        if not hasattr(self, "slogan"):
            return
        self.title.setText(self.tr("Thank you for your feedback"))
        self.title.setAccessibleName(self.title.text())
        self.message.setText(self.tr("Your answers have been saved."))
        self.message.setAccessibleName(self.message.text())
        campaign, lang = self._campaign, self._switcher.language
        self.campaign.setText(
            campaign.name(lang) if campaign else self.tr("Happy District — Happiness can be built")
        )
        self.campaign.setAccessibleName(self.campaign.text())
        self.slogan.setText(
            campaign.slogan(lang) if campaign else self.tr("Less suffering, more happiness")
        )
        self.slogan.setAccessibleName(self.slogan.text())
        self.sun.setAccessibleName(self.tr("Happy District emblem"))
