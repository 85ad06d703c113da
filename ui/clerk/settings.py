"""The clerk's settings: citizen timings and language, the collector, the district office, the
PIN, leaving kiosk mode.

Settings are saved to config.json off the GUI thread and handed to the kiosk window, so the
next citizen gets them at once, and a new sending interval applies to the kiosk's next pass.
Enrolling with a one-time token runs sync's ``enroll`` there too, and so does enrolling by USB
stick (ui/clerk/usb_enroll.py). Once the kiosk is enrolled, the collector's card says so (the
collector's address, its key's fingerprint to compare with the enrollment sheet, the district)
and folds the token, "Enrol now" and the USB stick's card behind one "Enrol again with a new
token" button: a clerk on a working kiosk is not offered a token field as if it were new. The district office chosen in setup may be chosen again until
the kiosk is enrolled or a citizen votes (ui/clerk/change_district.py). Leaving kiosk mode
closes the app (for a technician); it asks for a second tap first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

from kiosk.config import (
    COOLDOWN_RANGE_S,
    IDLE_TIMEOUT_RANGE_S,
    ConfigError,
    KioskConfig,
    load_config,
    save_config,
)
from kiosk.drives import DriveDetector, removable_drives
from kiosk.pin import PinStore
from sync.operations import Enrollment, enroll
from ui.clerk.change_district import ChangeDistrictScreen, DistrictCard, place_text
from ui.clerk.change_pin import ChangePinScreen
from ui.clerk.host import ClerkHost
from ui.clerk.text import enroll_error, setup_error
from ui.clerk.usb_enroll import UsbEnrollment
from ui.clerk.widgets import ClerkPage, PageScroll, PageStack, set_message, spaced
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.buttons import ChipButton, TouchButton
from wire.keys import fingerprint_for

IDLE_STEP_S: Final = 10
COOLDOWN_STEP_S: Final = 5
# How often the kiosk sends by itself, in minutes, as the clerk may choose it (the settings
# file allows MIN_SYNC_INTERVAL_S to MAX_SYNC_INTERVAL_S; a technician may set others there).
SYNC_INTERVAL_RANGE_MIN: Final = (1.0, 60.0)
SYNC_INTERVAL_STEP_MIN: Final = 1.0


class Stepper(QWidget):
    """A number of seconds with − and + buttons (no typing needed on a tablet)."""

    def __init__(
        self,
        name: str,
        low: float,
        high: float,
        step: float,
        parent: QWidget | None = None,
        *,
        minutes: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.low, self.high, self.step = low, high, step
        self.minutes = minutes  # the value is in minutes, not seconds
        self.value = low
        self.minus = TouchButton("secondary", self)
        self.minus.setObjectName(f"{name}Minus")
        self.minus.setText("−")
        self.plus = TouchButton("secondary", self)
        self.plus.setObjectName(f"{name}Plus")
        self.plus.setText("+")
        self.shown = QLabel(self)
        self.shown.setObjectName("stepperValue")
        self.shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shown.setMinimumWidth(130)
        self.minus.clicked.connect(lambda: self.set_value(self.value - self.step))
        self.plus.clicked.connect(lambda: self.set_value(self.value + self.step))
        row = spaced(QHBoxLayout(self), self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.minus)
        row.addWidget(self.shown)
        row.addWidget(self.plus)
        row.addStretch(1)

    def set_value(self, value: float) -> None:
        """Show value, kept within the allowed range."""
        self.value = min(self.high, max(self.low, value))
        if self.minutes:
            #: A number of minutes on the settings screen.
            self.shown.setText(fill(self.tr("%1 min"), f"{self.value:g}"))
        else:
            #: A number of seconds on the settings screen.
            self.shown.setText(fill(self.tr("%1 s"), f"{self.value:g}"))
        self.minus.setEnabled(self.value > self.low)
        self.plus.setEnabled(self.value < self.high)


class SettingsScreen(ClerkPage):
    """Timings, language, collector and enrolment, the district office, the PIN, and leaving
    kiosk mode."""

    exit_requested = Signal()
    district_changed = Signal()  # the kiosk window has the new district: the heading names it
    enrolled = Signal()  # enrolled from here: the token is used, its keyboard can go

    def __init__(
        self,
        host: ClerkHost,
        data_dir: Path,
        pins: PinStore,
        runner: TaskRunner,
        parent: QWidget | None = None,
        make_uploader: Callable[..., object] | None = None,
        *,
        drives: DriveDetector = removable_drives,
    ) -> None:
        super().__init__("settingsScreen", parent)
        self._host = host
        self._data_dir = data_dir
        self._runner = runner
        self._make_uploader = make_uploader
        self._language = "th"
        self._confirming_exit = False

        self.idle = Stepper("idleTimeout", *IDLE_TIMEOUT_RANGE_S, IDLE_STEP_S, self)
        self.cooldown = Stepper("cooldown", *COOLDOWN_RANGE_S, COOLDOWN_STEP_S, self)
        self.sync_interval = Stepper(
            "syncInterval", *SYNC_INTERVAL_RANGE_MIN, SYNC_INTERVAL_STEP_MIN, self, minutes=True
        )
        self._shown_interval_min = self.sync_interval.value
        self.language_chips = {lang: ChipButton("radio", self) for lang in ("th", "en")}
        for lang, chip in self.language_chips.items():
            chip.setObjectName(f"language_{lang}")
            chip.clicked.connect(lambda _=False, code=lang: self.choose_language(code))
        self.language_chips["th"].setText("ไทย")
        self.language_chips["en"].setText("English")
        self.save_button = self.button("saveSettings", "primary")
        self.save_button.clicked.connect(self.save)
        self.settings_message = self.label("clerkMessage")

        self.url = self.text_field("collectorUrl", keyboard_language="en", max_length=200)
        self.token = self.text_field("enrollToken", keyboard_language="en", max_length=200)
        self.enroll_state = self.label("cardText")
        self.enroll_facts = self.label("cardText")  # enrolled: the key's fingerprint, the district
        self.enroll_again_note = self.label("cardText")  # unfolded: what enrolling again does
        self.enroll_button = self.button("enrollNow")
        self.enroll_button.clicked.connect(self.enroll)
        self.enroll_again_button = self.button("enrollAgain")
        self.enroll_again_button.clicked.connect(self.toggle_enroll_again)
        self._enrolling_again = False  # enrolled, and the token's fields unfolded
        self._keyboard_open = False  # the cards beside the collector's are hidden meanwhile
        self.enroll_message = self.label("clerkMessage")
        self.usb = UsbEnrollment(self, data_dir, runner, drives, self.token.text)
        self.usb.enrolled.connect(self._enrolled_by_usb)
        self.district = DistrictCard(self, data_dir, runner)

        self.change_pin_button = self.button("changePin")
        self.exit_button = self.button("exitKiosk", "clerkDanger")
        self.exit_button.clicked.connect(self.exit_kiosk)
        self.exit_message = self.label("clerkMessage")

        self.labels = {
            name: self.label("fieldLabel")
            for name in ("idle", "cooldown", "language", "url", "token", "interval")
        }
        self.labels["url"].setBuddy(self.url)
        self.labels["token"].setBuddy(self.token)
        citizens, citizens_box = self.card("citizenSettings")
        self.citizens_title = self.label("cardTitle")
        grid = spaced(QGridLayout(), self)
        grid.addWidget(self.labels["idle"], 0, 0)
        grid.addWidget(self.idle, 0, 1)
        grid.addWidget(self.labels["cooldown"], 1, 0)
        grid.addWidget(self.cooldown, 1, 1)
        grid.addWidget(self.labels["language"], 2, 0)
        chips = spaced(QHBoxLayout(), self)
        chips.addWidget(self.language_chips["th"])
        chips.addWidget(self.language_chips["en"])
        chips.addStretch(1)
        grid.addLayout(chips, 2, 1)
        grid.setColumnStretch(1, 1)
        citizens_box.addWidget(self.citizens_title)
        citizens_box.addLayout(grid)
        citizens_box.addWidget(self.settings_message)
        citizens_box.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)

        collector, collector_box = self.card("collectorSettings")
        self.collector_title = self.label("cardTitle")
        form = spaced(QGridLayout(), self)
        form.addWidget(self.labels["interval"], 0, 0)
        form.addWidget(self.sync_interval, 0, 1)
        form.addWidget(self.labels["url"], 1, 0)
        form.addWidget(self.url, 1, 1)
        form.addWidget(self.labels["token"], 2, 0)
        form.addWidget(self.token, 2, 1)
        form.setColumnStretch(1, 1)
        collector_box.addWidget(self.collector_title)
        collector_box.addWidget(self.enroll_state)
        collector_box.addWidget(self.enroll_facts)
        collector_box.addLayout(form)
        collector_box.addWidget(self.enroll_again_note)
        collector_box.addWidget(self.enroll_message)
        collector_box.addWidget(self.enroll_button, 0, Qt.AlignmentFlag.AlignLeft)
        collector_box.addWidget(self.enroll_again_button, 0, Qt.AlignmentFlag.AlignLeft)
        usb, usb_box = self.card("usbEnrollSettings")
        self.usb_card = usb
        self.usb.add_to(usb_box)
        district, district_box = self.card("districtSettings")
        self.district.add_to(district_box)

        other, other_box = self.card("otherSettings")
        self.other_title = self.label("cardTitle")
        other_row = spaced(QHBoxLayout(), self)
        other_row.addWidget(self.change_pin_button)
        other_row.addStretch(1)
        other_row.addWidget(self.exit_button)
        other_box.addWidget(self.other_title)
        other_box.addLayout(other_row)
        other_box.addWidget(self.exit_message)

        body = QWidget(self)
        body_layout = spaced(QGridLayout(body), self)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addWidget(citizens, 0, 0)
        body_layout.addWidget(collector, 0, 1)
        body_layout.addWidget(district, 1, 0)
        body_layout.addWidget(usb, 1, 1)
        body_layout.addWidget(other, 2, 0, Qt.AlignmentFlag.AlignTop)
        body_layout.setRowStretch(3, 1)
        scroll = PageScroll(body, self)
        self.main_view = scroll
        self._beside_collector = (citizens, district, other, usb)

        self.stack = PageStack(self)
        self.change_pin = ChangePinScreen(pins, runner, self)
        self.change_pin.done.connect(self._show_main)
        self.change_pin_button.clicked.connect(self.open_change_pin)
        self.change_district = ChangeDistrictScreen(data_dir, runner, self)
        self.change_district.done.connect(self._show_main)
        self.change_district.changed.connect(self._district_saved)
        self.change_district.refused.connect(self._district_refused)
        self.district.change_requested.connect(self.open_change_district)
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.change_pin)
        self.stack.addWidget(self.change_district)
        self.root.addWidget(self.stack, 1)
        for message in (self.settings_message, self.enroll_message, self.exit_message):
            set_message(message, "")
        self.retranslate_ui()

    # --- showing ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the settings in force."""
        config = self._host.config
        self._show_main()
        self.idle.set_value(config.idle_timeout_s)
        self.cooldown.set_value(config.cooldown_s)
        self.sync_interval.set_value(config.sync_interval_s / 60)
        self._shown_interval_min = self.sync_interval.value
        self.choose_language(config.default_language)
        self.url.setText(config.collector_url or "")
        self.token.clear()
        self._enrolling_again = False
        self._confirming_exit = False
        for message in (self.settings_message, self.enroll_message, self.exit_message):
            set_message(message, "")
        self.usb.clear()
        self.district.notify("", "info")
        self.district.refresh(config)
        self.retranslate_ui()

    def keyboard_shown(self, shown: bool) -> None:
        """While the address or token is typed, the collector's card has the room above the
        keyboard to itself: the card beside it would show its rows cut across the view's edges.
        While a province or district is searched, its field and the offer beside it have it."""
        super().keyboard_shown(shown)
        self._keyboard_open = shown
        if self.stack.currentWidget() is self.change_district:
            self.title.hide()  # the change page's own title says where the clerk is
            self.change_district.keyboard_shown(shown)
            return
        for card in self._beside_collector:
            card.setVisible(not shown and (card is not self.usb_card or self._offers_enrolment()))

    def open_change_pin(self) -> None:
        """Show the change-PIN pad."""
        self.change_pin.refresh()
        self.stack.setCurrentWidget(self.change_pin)

    def open_change_district(self) -> None:
        """Show the province and district picker, starting from the district set now."""
        self.change_district.start(self._host.config.district)
        self.title.hide()  # its own title says where the clerk is: the lists get the room
        self.stack.setCurrentWidget(self.change_district)

    def _show_main(self) -> None:
        """Back from the change page (or the PIN's) to the settings themselves."""
        self.title.show()
        self.stack.setCurrentWidget(self.main_view)

    def _district_saved(self, config: KioskConfig, request_pending: bool) -> None:
        """The new district is saved: the next citizen's vote names it."""
        self._host.apply_config(config)
        self._show_main()
        self.district.refresh(config)
        #: %1 is the new district office, with its province and code.
        text = fill(
            self.tr("The district office is now %1. The next citizen's vote is for it."),
            place_text(config.district),
        )
        if request_pending:
            text += " " + self.tr(
                "The enrolment request written to a USB stick before names the old district"
                " office: write a new one. If the central office has already imported the old"
                " one, call them."
            )
        self.district.notify(text, "ok")
        self.district_changed.emit()

    def _district_refused(self, code: str) -> None:
        """The district stays: the card says why, and to call the central office."""
        self._show_main()
        self.district.show_lock(code)
        self.district.notify(self.tr("The district office was not changed."), "error")

    def choose_language(self, lang: str) -> None:
        """The language each new citizen starts in."""
        self._language = lang
        for code, chip in self.language_chips.items():
            chip.set_on(code == lang)

    # --- saving ----------------------------------------------------------------------------------

    def save(self) -> None:
        """Save the timings, the default language and the collector's address."""
        url = self.url.text().strip().rstrip("/") or None
        interval_s = self._host.config.sync_interval_s  # kept unless the clerk changed it
        if self.sync_interval.value != self._shown_interval_min:
            interval_s = self.sync_interval.value * 60
        try:
            config = self._host.config.with_changes(
                idle_timeout_s=float(self.idle.value),
                cooldown_s=float(self.cooldown.value),
                sync_interval_s=interval_s,
                default_language=self._language,
                collector_url=url if url else self._host.config.collector_url,
            )
        except ConfigError:
            set_message(self.settings_message, setup_error("bad_url"), tone="error")
            return
        data_dir = self._data_dir

        def job(_progress: Progress) -> KioskConfig:
            save_config(data_dir, config)
            return config

        self._runner.submit(job, self._saved, self._save_failed)

    def _saved(self, config: KioskConfig) -> None:
        self._host.apply_config(config)
        self._shown_interval_min = self.sync_interval.value
        set_message(
            self.settings_message,
            self.tr("Saved. The next citizen gets these settings."),
            tone="ok",
        )

    def _save_failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        set_message(
            self.settings_message,
            fill(self.tr("The settings could not be saved: %1"), reason),
            tone="error",
        )

    def enroll(self) -> None:
        """Enrol with the collector using the one-time token (off the GUI thread)."""
        url, token = self.url.text().strip(), "".join(self.token.text().split())
        if not url:
            set_message(self.enroll_message, setup_error("no_url"), tone="error")
            return
        if not token:
            set_message(self.enroll_message, setup_error("no_token"), tone="error")
            return
        self.enroll_button.setEnabled(False)
        set_message(self.enroll_message, self.tr("Enrolling…"), tone="info")
        data_dir, make = self._data_dir, self._make_uploader

        def job(_progress: Progress) -> tuple[Enrollment, KioskConfig]:
            outcome = enroll(data_dir, url, token, make_uploader=make)  # type: ignore[arg-type]
            return outcome, load_config(data_dir)

        self._runner.submit(job, self._enrolled, self._enroll_failed)

    def toggle_enroll_again(self) -> None:
        """Unfold the address, the token and the USB stick's card to enrol an enrolled kiosk
        again (the central office may point it at another collector), or fold them away."""
        self._enrolling_again = not self._enrolling_again
        if not self._enrolling_again:
            self.url.setText(self._host.config.collector_url or "")
            self.token.clear()
            set_message(self.enroll_message, "")
            self.usb.clear()
        self._show_enrolment()

    def _offers_enrolment(self) -> bool:
        """Whether the token, "Enrol now" and the USB stick's card are shown: on a kiosk not
        enrolled yet, or when the clerk has asked to enrol again."""
        return not self._host.config.enrolled or self._enrolling_again

    def _enrolled(self, result: tuple[Enrollment, KioskConfig]) -> None:
        outcome, config = result
        self.enroll_button.setEnabled(True)
        if outcome.ok:
            self._host.apply_config(config)
            self.district.refresh(config)
            self.token.clear()
            self._enrolling_again = False  # the card folds to say where the kiosk is enrolled
            #: %1 is the collector key's fingerprint, e.g. 8E1B-0C55-3A7F-92D4.
            text = self.tr(
                "Enrolled. Votes will now be sent to the central office. The central collector's"
                " key fingerprint is %1: check that it is exactly the one printed on the"
                " enrollment sheet. If it is not, call the central office at once."
            )
            set_message(self.enroll_message, fill(text, outcome.collector_fingerprint), tone="ok")
            self.enrolled.emit()
        else:
            set_message(self.enroll_message, enroll_error(outcome.code), tone="error")
        self._show_enrolment()

    def _enrolled_by_usb(self, config: KioskConfig, said: str) -> None:
        self._host.apply_config(config)
        self.district.refresh(config)
        self.token.clear()
        self._enrolling_again = False
        # The USB stick's card folds away with the token: its news is said under the collector's.
        set_message(self.enroll_message, said, tone="ok")
        self._show_enrolment()

    def _enroll_failed(self, exc: BaseException) -> None:
        self.enroll_button.setEnabled(True)
        set_message(self.enroll_message, enroll_error("internal"), tone="error")

    def exit_kiosk(self) -> None:
        """Leave kiosk mode (close the app) after a second tap."""
        if not self._confirming_exit:
            self._confirming_exit = True
            set_message(
                self.exit_message,
                self.tr(
                    "Tap again to close the kiosk app. Citizens cannot vote until it is started again."
                ),
                tone="error",
            )
            self.exit_button.setText(self.tr("Tap again to close"))
            return
        self.exit_requested.emit()

    def _show_enrolment(self) -> None:
        """Say whether and where the kiosk is enrolled; show the enrolment's fields when they
        are wanted (not enrolled, or enrolling again), else only the way to unfold them."""
        config = self._host.config
        offered = self._offers_enrolment()
        # An address may still be typed on a kiosk enrolled by USB stick, once it has internet.
        address: tuple[QWidget, ...] = (self.labels["url"], self.url)
        for widget in address:
            widget.setVisible(offered or config.collector_url is None)
        token: tuple[QWidget, ...] = (self.labels["token"], self.token, self.enroll_button)
        for widget in token:
            widget.setVisible(offered)
        self.usb_card.setVisible(offered and not self._keyboard_open)
        self.enroll_again_button.setVisible(config.enrolled)
        self.enroll_facts.setVisible(config.enrolled)
        self.enroll_again_note.setVisible(config.enrolled and offered)
        if config.enrolled:
            if config.collector_url:
                #: %1 is the central collector's address.
                self.enroll_state.setText(
                    fill(
                        self.tr(
                            "This kiosk is enrolled: votes are sent to the central collector at %1."
                        ),
                        config.collector_url,
                    )
                )
            else:
                self.enroll_state.setText(
                    self.tr("Enrolled by USB stick: votes go to the central office on a stick.")
                )
            key = config.collector_key or ""
            #: %1 is the collector key's fingerprint, e.g. 8E1B-0C55-3A7F-92D4; %2 the district
            #: office, e.g. หัวตะพาน, อำนาจเจริญ (3706).
            facts = self.tr(
                "Central collector's key fingerprint: %1 (it must match the enrollment sheet)."
                "\nDistrict office: %2."
            )
            fingerprint = fingerprint_for(bytes.fromhex(key)) if key else "–"
            self.enroll_facts.setText(fill(facts, fingerprint, place_text(config.district)))
            self.enroll_again_button.setText(
                self.tr("Keep this enrolment")
                if offered
                else self.tr("Enrol again with a new token")
            )
            self.enroll_again_note.setText(
                self.tr(
                    "Enrol again only when the central office asks you to, with the new token"
                    " it gives you: type the address and the token and tap \u201cEnrol now\u201d, or"
                    " enrol by USB stick. Until then, votes still go where they go now."
                )
            )
        else:
            self.enroll_state.setText(
                self.tr(
                    "Not enrolled yet: votes stay on this kiosk until it is enrolled or they go out on a USB stick."
                )
            )

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Settings"))
        self.citizens_title.setText(self.tr("Citizen screens"))
        self.labels["idle"].setText(self.tr("Ask \u201cstill there?\u201d after"))
        self.labels["cooldown"].setText(self.tr("Pause between two votes"))
        self.labels["language"].setText(self.tr("Language for each new citizen"))
        self.save_button.setText(self.tr("Save settings"))
        self.collector_title.setText(self.tr("Central collector"))
        self.labels["url"].setText(self.tr("Address"))
        self.labels["token"].setText(self.tr("One-time token"))
        self.labels["interval"].setText(self.tr("Send by itself every"))
        self.enroll_button.setText(self.tr("Enrol now"))
        self.other_title.setText(self.tr("PIN and kiosk mode"))
        self.change_pin_button.setText(self.tr("Change the PIN"))
        if not self._confirming_exit:
            self.exit_button.setText(self.tr("Leave kiosk mode"))
        self.idle.set_value(self.idle.value)
        self.cooldown.set_value(self.cooldown.value)
        self.sync_interval.set_value(self.sync_interval.value)
        self.usb.retranslate_ui()
        self.district.retranslate_ui()
        self._show_enrolment()
