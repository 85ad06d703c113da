"""Changing the clerk PIN: the current PIN, then the new one twice, on the digit pad.

A wrong current PIN counts like any wrong PIN (five lock the pad); the check and the new
hash run off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.pin import PinCheck, PinError, PinStore, check_new_pin, normalise_pin
from ui.clerk.pin import PinPad, countdown_text
from ui.clerk.text import pin_problem, setup_error
from ui.clerk.widgets import ClerkPage, set_message
from ui.i18n import fill
from ui.tasks import TaskRunner


class ChangePinScreen(ClerkPage):
    """Current PIN, new PIN, new PIN again."""

    done = Signal()

    def __init__(self, pins: PinStore, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("changePinScreen", parent)
        self._pins = pins
        self._runner = runner
        self._current = ""
        self._new = ""
        self.prompt = self.label("clerkPrompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = self.label("clerkMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pad = PinPad(self)
        self.pad.entered.connect(self._entered)
        self.back_button = self.button("changePinBack")
        self.back_button.clicked.connect(self.done)
        self.nest()  # inside the settings page
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.root.removeWidget(self.title)
        self.pad.beside([self.title, self.prompt], [self.message, self.back_button])
        self.root.addWidget(self.pad)
        self.root.addStretch(1)
        self.refresh()

    def stage(self) -> str:
        """Which PIN is asked for: "current", "new" or "again"."""
        if not self._current:
            return "current"
        return "new" if not self._new else "again"

    def refresh(self) -> None:
        """Start again from the current PIN."""
        self._current = self._new = ""
        self.pad.clear()
        self.pad.set_locked(False)
        set_message(self.message, "")
        self.retranslate_ui()

    def _entered(self, pin: str) -> None:
        stage = self.stage()
        if stage == "current":
            self._current = pin
        elif stage == "new":
            try:
                check_new_pin(pin)
            except PinError as exc:
                code = "pin_simple" if exc.code == "too_simple" else "pin_format"
                set_message(self.message, setup_error(code), tone="error")
                return
            self._new = pin
        elif normalise_pin(pin) != normalise_pin(self._new):
            self._new = ""
            set_message(self.message, setup_error("pin_mismatch"), tone="error")
        else:
            self._change(pin)
            return
        set_message(self.message, "")
        self.retranslate_ui()

    def _change(self, new: str) -> None:
        pins, current = self._pins, self._current
        self.pad.set_locked(True)
        set_message(self.message, self.tr("Checking…"), tone="info")
        self._runner.submit(lambda _p: pins.change(current, new), self._changed, self._failed)

    def _changed(self, result: PinCheck) -> None:
        self._current = self._new = ""
        self.pad.set_locked(False)
        if result.ok:
            set_message(self.message, self.tr("The PIN has been changed."), tone="ok")
        elif result.locked_for_s > 0:
            #: %1 is the time left, such as 0:28.
            template = self.tr("Too many wrong PINs. Try again in %1")
            set_message(
                self.message, fill(template, countdown_text(result.locked_for_s)), tone="error"
            )
        else:
            set_message(
                self.message,
                self.tr("The current PIN was wrong. Nothing was changed."),
                tone="error",
            )
        self.retranslate_ui()

    def _failed(self, exc: BaseException) -> None:
        self._current = self._new = ""
        self.pad.set_locked(False)
        set_message(
            self.message, pin_problem(exc.code if isinstance(exc, PinError) else ""), tone="error"
        )
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Change the clerk PIN"))
        prompts = {
            "current": self.tr("Enter the current PIN"),
            "new": self.tr("Enter the new PIN (6 to 12 digits)"),
            "again": self.tr("Enter the new PIN again"),
        }
        self.prompt.setText(prompts[self.stage()])
        self.back_button.setText(self.tr("Back to settings"))
