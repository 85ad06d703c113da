"""The clerk's view of updates: a card on the overview (ui/clerk/dashboard.py).

It shows the version that runs, the one waiting to be installed and where it came from, the
last check (when, and what it found) and the last refusal, in the clerk's language; "Check
now" asks the kiosk's one ``UpdateScheduler`` (ui/update_scheduler.py) to check the collector
and every plugged stick on a pool thread. Where updates are not managed (a checkout, a copied
bundle) the card is one quiet line and nothing is checked.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt

from kiosk.updates import UpdateStatus
from ui.clerk.text import local_time
from ui.clerk.widgets import ClerkPage, set_message, ui_language
from ui.i18n import fill
from ui.update_scheduler import UpdatePass, UpdateScheduler


class UpdatesCard(QObject):
    """The "Updates" card: built from the page's card, labels and button, kept up to date."""

    def __init__(self, page: ClerkPage, scheduler: UpdateScheduler | None) -> None:
        """Build the card on page; ``frame`` is for the page to place."""
        super().__init__(page)
        self.scheduler = scheduler
        self.frame, box = page.card("updatesCard")
        self.title = page.label("cardTitle")
        self.versions = page.label("cardText")
        self.last_check = page.label("cardText")
        self.refusal = page.label("clerkMessage")
        self.message = page.label("clerkMessage")
        self.check_button = page.button("checkUpdatesNow")
        self.check_button.clicked.connect(self.check_now)
        for widget in (self.title, self.versions, self.last_check, self.refusal, self.message):
            box.addWidget(widget)
        box.addWidget(self.check_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._waiting = False
        set_message(self.refusal, "")
        set_message(self.message, "")
        if scheduler is not None:
            scheduler.status_changed.connect(lambda _status: self.render())
            scheduler.pass_started.connect(self.render)
            scheduler.pass_finished.connect(self._checked)

    @property
    def status(self) -> UpdateStatus | None:
        """What the scheduler last read (None until the welcome screen has shown once)."""
        return None if self.scheduler is None else self.scheduler.status

    def check_now(self) -> None:
        """Check the collector and the plugged sticks now, in the background."""
        scheduler = self.scheduler
        if self._waiting or scheduler is None or not scheduler.check_now():
            return
        self._waiting = True
        set_message(self.message, self.tr("Checking for updates…"), tone="info")
        self.render()

    def checking(self) -> bool:
        """Tell whether the clerk waits for a "Check now" to end."""
        return self._waiting

    def _checked(self, result: UpdatePass | None) -> None:
        """A pass ended: the clerk's own, or one the kiosk started by itself."""
        scheduler = self.scheduler
        if self._waiting and scheduler is not None and not scheduler.asked():
            self._waiting = False
            text, tone = self._outcome(result)
            set_message(self.message, text, tone=tone)
        self.render()

    def _outcome(self, result: UpdatePass | None) -> tuple[str, str]:
        """What the clerk's own check found, and its tone."""
        if result is None:
            text = self.tr("The check stopped because of an unexpected error: see the kiosk's log.")
            return text, "error"
        if not result.checked:
            text = self.tr(
                "Nothing to check: this kiosk is not enrolled with the central office and no "
                "USB stick with a sangsuk-updates folder is plugged in."
            )
            return text, "error"
        if result.staged is not None:
            #: %1 is a version number, e.g. 1.4.0.
            text = self.tr("Version %1 is ready. It is installed when nobody is voting.")
            return fill(text, result.staged), "ok"
        if result.refusals:
            return self.tr("The update was refused: the reason is above."), "error"
        return self.tr("Checked: nothing new to install."), "ok"

    def render(self) -> None:
        """Show the status in the clerk's language."""
        status = self.status
        scheduler = self.scheduler
        managed = scheduler is not None and scheduler.managed
        for widget in (self.last_check, self.check_button):
            widget.setVisible(managed)
        if not managed or status is None:
            set_message(self.refusal, "")
            self.check_button.setEnabled(False)
            if managed:  # read once the welcome screen has shown
                self.versions.setText("…")
                return
            #: One quiet line where the kiosk was not installed by deploy/install.sh.
            text = self.tr("Version %1. Updates are not managed on this kiosk.")
            self.versions.setText(fill(text, status.running if status is not None else "?"))
            return
        thai = ui_language() == "th"
        lines = [fill(self.tr("Running version: %1"), status.running)]
        if status.pending is not None:
            #: %1 is the version, %2 where it came from (the collector's address or the stick).
            text = self.tr("Waiting to install: %1 (from %2), when nobody is voting")
            lines.append(fill(text, status.pending, status.pending_source or "?"))
        else:
            lines.append(self.tr("Nothing waiting to install."))
        self.versions.setText("\n".join(lines))
        reason = status.last_refusal
        # A refusal that was the last check's result is said once, in the refusal's colour.
        refused_last = reason is not None and status.last_refusal_at == status.last_check_at
        self.last_check.setVisible(not refused_last)
        if status.last_check_at is None:
            self.last_check.setText(self.tr("Last check: not yet."))
        else:
            found = (status.last_check_th if thai else status.last_check_en) or ""
            #: %1 is when, %2 what the check found.
            text = self.tr("Last check (%1): %2")
            self.last_check.setText(fill(text, local_time(status.last_check_at), found))
        if reason is None:
            set_message(self.refusal, "")
        else:
            if refused_last:
                #: %1 is when, %2 why the update was refused.
                text = self.tr("Last check (%1), refused: %2")
            else:
                #: %1 is when, %2 why the update was refused.
                text = self.tr("Last refused (%1): %2")
            why = reason.th if thai else reason.en
            set_message(
                self.refusal, fill(text, local_time(status.last_refusal_at), why), tone="error"
            )
        self.check_button.setEnabled(not self._waiting and scheduler is not None)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Updates"))
        self.check_button.setText(self.tr("Check now"))
        self.render()
