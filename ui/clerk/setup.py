"""The first-run setup wizard: screen check, province and district, PIN, collector, review.

The steps are kiosk/setup.py's state machine; this screen only shows them. The last step
saves everything off the GUI thread (sync/operations.py's ``complete_setup``): the kiosk's demo
votes are set aside, so the ledger thread is stopped for that moment and started again after.
Setup works with no network: enrolling can wait.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.config import place_of
from kiosk.pin import MIN_PIN_DIGITS, PinError, PinStore
from kiosk.roster import Roster, RosterError, load_roster
from kiosk.setup import (
    ScreenCheck,
    SetupAnswers,
    SetupError,
    SetupStep,
    SetupWizard,
)
from sync.operations import SetupResult, complete_setup
from ui.clerk.host import ClerkHost
from ui.clerk.pin import PinPad
from ui.clerk.place_picker import PlacePicker
from ui.clerk.text import enroll_error, pin_problem, setup_error
from ui.clerk.widgets import (
    ClerkPage,
    PageScroll,
    PageStack,
    set_message,
    spaced,
    ui_language,
)
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.buttons import ChipButton
from ui.widgets.sizes import assumed_dpi
from wire.clock import Clock

SYNC_HOLD: Final = "setup"  # no sync pass runs while setup saves (ui/sync_scheduler.py)


def measure(widget: QWidget) -> ScreenCheck:
    """The size of the screen the widget is on, in pixels and (if known) millimetres.

    Under an assumed density (a picture of a panel, ui/widgets/sizes.py) the panel is the
    widget's window, measured at that density.
    """
    dpi = assumed_dpi()
    if dpi is not None:
        window = widget.window()
        w, h = window.width(), window.height()
        return ScreenCheck(w, h, w / dpi * 25.4, h / dpi * 25.4)
    screen = widget.screen()
    if screen is None:  # pragma: no cover - a shown widget has a screen
        return ScreenCheck(0, 0)
    return screen_check(screen)


def screen_check(screen: QScreen) -> ScreenCheck:
    """The size of a screen in pixels and (if it says) millimetres (also for `doctor`)."""
    size = screen.size()
    physical = screen.physicalSize()
    return ScreenCheck(size.width(), size.height(), physical.width(), physical.height())


class SetupScreen(ClerkPage):
    """The wizard's pages with Back and Next."""

    finished = Signal(str, str)  # a message for the dashboard, and its tone
    cancelled = Signal()

    def __init__(
        self,
        host: ClerkHost,
        data_dir: Path,
        clock: Clock,
        pins: PinStore,
        runner: TaskRunner,
        parent: QWidget | None = None,
        make_uploader: Callable[..., object] | None = None,
    ) -> None:
        super().__init__("setupScreen", parent)
        self._host = host
        self._data_dir = data_dir
        self._clock = clock
        self._pins = pins
        self._runner = runner
        self._make_uploader = make_uploader
        self._first_pin = ""
        self._refused: str | None = None  # why Next was refused, while that is said
        self._saving = False
        self.wizard = SetupWizard(default_language=host.config.default_language)
        self.step_label = self.label("stepLabel", wrap=False)
        self.message = self.label("clerkMessage")

        # Screen
        self.screen_page, screen_box = self.card("setupScreenPage")
        self.screen_text = self.label("clerkPrompt")
        screen_box.addWidget(self.screen_text)
        screen_box.addStretch(1)

        # Place: chosen by the clerk's taps, never by the typing alone (ui/clerk/place_picker.py)
        self.place_page = QWidget(self)
        self.picker = PlacePicker(self.place_page)
        self.picker.changed.connect(self._place_changed)
        place_box = QVBoxLayout(self.place_page)
        place_box.setContentsMargins(0, 0, 0, 0)
        place_box.addWidget(self.picker)

        # PIN
        self.pin_page = QWidget(self)
        self.pin_prompt = self.label("clerkPrompt")
        self.pin_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_pad = PinPad(self.pin_page)
        self.pin_pad.entered.connect(self._pin_entered)
        self.pin_pad.beside([self.pin_prompt])
        pin_box = spaced(QVBoxLayout(self.pin_page), self)
        pin_box.setContentsMargins(0, 0, 0, 0)
        pin_box.addStretch(1)  # spare height above and below the pad
        pin_box.addWidget(self.pin_pad)
        pin_box.addStretch(1)

        # Collector
        self.collector_page, collector_box = self.card("setupCollectorPage")
        self.collector_intro = self.label("cardText")
        self.url = self.text_field("setupCollectorUrl", keyboard_language="en", max_length=200)
        self.token = self.text_field("setupToken", keyboard_language="en", max_length=200)
        self.url_label = self.label("fieldLabel")
        self.token_label = self.label("fieldLabel")
        self.url_label.setBuddy(self.url)
        self.token_label.setBuddy(self.token)
        self.enroll_now_chip = ChipButton("radio", self)
        self.enroll_now_chip.setObjectName("enrollNowChip")
        self.enroll_later_chip = ChipButton("radio", self)
        self.enroll_later_chip.setObjectName("enrollLaterChip")
        self.enroll_now_chip.clicked.connect(lambda: self._choose_enroll(True))
        self.enroll_later_chip.clicked.connect(lambda: self._choose_enroll(False))
        form = spaced(QGridLayout(), self)
        form.addWidget(self.url_label, 0, 0)
        form.addWidget(self.url, 0, 1)
        form.addWidget(self.token_label, 1, 0)
        form.addWidget(self.token, 1, 1)
        form.setColumnStretch(1, 1)
        chips = spaced(QHBoxLayout(), self)
        chips.addWidget(self.enroll_now_chip)
        chips.addWidget(self.enroll_later_chip)
        chips.addStretch(1)
        collector_box.addWidget(self.collector_intro)
        collector_box.addLayout(form)
        collector_box.addLayout(chips)
        collector_box.addStretch(1)
        self._choose_enroll(False)

        # Review
        self.review_page, review_box = self.card("setupReviewPage")
        self.review = self.label("clerkPrompt")
        review_box.addWidget(self.review)
        review_box.addStretch(1)

        self.pages = PageStack(self)
        self._place_scroll = PageScroll(self.place_page, self)
        # The steps with fields scroll while the keyboard takes the screen's lower part.
        self._pages = {
            SetupStep.SCREEN: self.screen_page,
            SetupStep.PLACE: self._place_scroll,
            SetupStep.PIN: self.pin_page,
            SetupStep.COLLECTOR: PageScroll(self.collector_page, self),
            SetupStep.REVIEW: self.review_page,
        }
        for page in self._pages.values():
            self.pages.addWidget(page)
        self.picker.watch(self._place_scroll)
        self.cancel_button = self.button("setupCancel")
        self.cancel_button.clicked.connect(self.cancelled)
        self.back_button = self.button("setupBack")
        self.back_button.clicked.connect(self.back)
        self.next_button = self.button("setupNext", "primary")
        self.next_button.clicked.connect(self.next)
        self.cancel_button.hide()  # the top bar's "back to the kiosk" does this
        # The step beside the title, the message beside Back and Next: on the 1024×600 panel
        # the PIN step's four rows of keys leave no height for lines of their own.
        header = spaced(QHBoxLayout(), self)
        self.root.removeWidget(self.title)
        header.addWidget(self.title, 1)
        header.addWidget(self.step_label)
        footer = spaced(QHBoxLayout(), self)
        footer.addWidget(self.message, 1)
        footer.addStretch(0)  # Back and Next keep their width while there is no message
        footer.addWidget(self.back_button)
        footer.addWidget(self.next_button)
        self.root.addLayout(header)
        self.root.addWidget(self.pages, 1)
        self.root.addLayout(footer)
        set_message(self.message, "")
        self.retranslate_ui()

    # --- moving ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Start the wizard at its first step, measuring the screen."""
        self.wizard = SetupWizard(default_language=self._host.config.default_language)
        self._first_pin = ""
        self.pin_pad.clear()
        self.url.setText(self._host.config.collector_url or "")
        self.token.clear()
        self._choose_enroll(False)
        self.wizard.measure_screen(measure(self))
        config = self._host.config
        if not config.demo:  # setting a new PIN on a set-up kiosk: its district stays chosen
            self.wizard.choose_province(config.district[:2])
            self.wizard.choose_district(config.district)
        self.picker.set_place(self.wizard.district)
        self._show_step()

    def next(self) -> None:
        """Take this step's answers and go on (or finish on the review)."""
        pin_typed = self.pin_pad.digits() >= MIN_PIN_DIGITS
        if self.wizard.step is SetupStep.PIN and not self.wizard.pin_given and pin_typed:
            self.pin_pad.submit()  # Next with a PIN on the pad: as the pad's OK, not "no PIN"
            return
        try:
            if self.wizard.step is SetupStep.COLLECTOR:
                self.wizard.set_collector(
                    self.url.text(), self.token.text(), enroll_now=self.enroll_now_chip.is_on()
                )
            if self.wizard.step is SetupStep.REVIEW:
                self.finish()
                return
            self.wizard.next()
        except SetupError as exc:
            set_message(self.message, setup_error(exc.code), tone="error")
            self._refused = exc.code
            return
        set_message(self.message, "")
        self._refused = None
        self._show_step()

    def back(self) -> None:
        """One step back, answers kept."""
        self.wizard.back()
        set_message(self.message, "")
        self._show_step()

    def _show_step(self) -> None:
        step = self.wizard.step
        # Focus first, then the page: a field that had focus on the page going away would
        # otherwise hand it on to the next field (the collector's address), whose keyboard
        # would open by itself. The pad takes the digits of a physical keyboard.
        focus = self.pin_pad if step is SetupStep.PIN else self.next_button
        focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.pages.setCurrentWidget(self._pages[step])
        self.back_button.setVisible(self.wizard.index > 0)
        if step is SetupStep.PIN:
            self._first_pin = ""
            self.pin_pad.clear()
        self.retranslate_ui()

    def keyboard_shown(self, shown: bool) -> None:
        """While typing, the step's fields have the room above the keyboard to themselves; the
        step, its message, Back and Next come back when the keyboard is hidden."""
        super().keyboard_shown(shown)
        self.picker.keyboard_shown(shown)
        self.step_label.setVisible(not shown)
        self.next_button.setVisible(not shown)
        self.back_button.setVisible(not shown and self.wizard.index > 0)
        self.message.setVisible(not shown and bool(self.message.text()))

    # --- answers ---------------------------------------------------------------------------------

    def _place_changed(self) -> None:
        """The clerk chose a province or a district in the picker: the wizard takes it."""
        picker = self.picker
        if picker.province is not None:
            self.wizard.choose_province(picker.province)
        if picker.district is not None:
            self.wizard.choose_district(picker.district)
        # "Choose the province" (or district) said on Next goes once it is chosen.
        chosen = {"no_province": picker.province, "no_district": picker.district}
        if chosen.get(self._refused or "") is not None:
            set_message(self.message, "")
            self._refused = None
        self.retranslate_ui()

    def choose_province(self, code: str) -> None:
        """Pick a province (as a tap on the list does)."""
        self.picker.pick_province(code)

    def choose_district(self, code: str) -> None:
        """Pick the district office (as a tap on the list does)."""
        self.picker.pick_district(code)

    def _pin_entered(self, pin: str) -> None:
        if not self._first_pin:
            try:  # 123456 is refused at once, not after it was typed twice
                self.wizard.check_first_pin(pin)
            except SetupError as exc:
                set_message(self.message, setup_error(exc.code), tone="error")
                self.retranslate_ui()
                return
            self._first_pin = pin
            set_message(self.message, "")
            self.retranslate_ui()
            return
        first, self._first_pin = self._first_pin, ""
        try:
            self.wizard.set_pin(first, pin)
        except SetupError as exc:
            set_message(self.message, setup_error(exc.code), tone="error")
            self.retranslate_ui()
            return
        set_message(self.message, "")
        self.next()

    def _choose_enroll(self, now: bool) -> None:
        self.enroll_now_chip.set_on(now)
        self.enroll_later_chip.set_on(not now)

    # --- finishing -------------------------------------------------------------------------------

    def finish(self) -> None:
        """Save the answers off the GUI thread; the ledger thread pauses while demo votes move."""
        if self._saving:
            return
        try:
            answers = self.wizard.answers()
        except SetupError as exc:
            set_message(self.message, setup_error(exc.code), tone="error")
            return
        self._saving = True
        self.next_button.setEnabled(False)
        self.back_button.setEnabled(False)
        set_message(self.message, self.tr("Saving…"), tone="info")
        scheduler = self._host.sync_scheduler
        if scheduler is None:
            self._save(answers)
        else:  # a pass under way is cancelled and ends before anything is saved
            scheduler.hold(SYNC_HOLD, lambda: self._save(answers))

    def _save(self, answers: SetupAnswers) -> None:
        """Pause the ledger thread and save on the runner (no sync pass is under way)."""
        ledger = self._host.ledger
        if ledger is not None:
            ledger.stop()  # the demo ledger is moved aside: no connection may stay open
        data_dir, pins, clock, make = self._data_dir, self._pins, self._clock, self._make_uploader

        def job(_progress: Progress) -> tuple[SetupResult, Roster]:
            result = complete_setup(data_dir, answers, pins, clock=clock, make_uploader=make)  # type: ignore[arg-type]
            try:
                roster = load_roster(data_dir)
            except RosterError:
                roster = Roster()
            return result, roster

        self._runner.submit(job, self._done, self._failed)

    def _restart_ledger(self, then: Callable[[], object] | None = None) -> None:
        """Start the ledger thread again; once it has opened, sending resumes and then() runs.

        The overview and a sync pass open the ledger file too, so they wait until the ledger
        thread has made its tables (a new ledger, after demo votes were set aside).
        """
        ledger = self._host.ledger

        def opened(*_: object) -> None:
            if ledger is not None:
                ledger.opened.disconnect(opened)
                ledger.open_failed.disconnect(opened)
            if self._host.sync_scheduler is not None:
                self._host.sync_scheduler.release(SYNC_HOLD)
            if then is not None:
                then()

        if ledger is None:
            opened()
            return
        ledger.opened.connect(opened)
        ledger.open_failed.connect(opened)
        ledger.start()

    def _done(self, outcome: tuple[SetupResult, Roster]) -> None:
        result, roster = outcome
        self._saving = False
        self.next_button.setEnabled(True)
        self.back_button.setEnabled(True)
        self._host.apply_config(result.config)
        self._host.apply_roster(roster)
        set_message(self.message, "")
        enroll = result.enroll
        if enroll is None:
            text, tone = self.tr("The kiosk is set up. Next, add the staff and services."), "ok"
        elif enroll.ok:
            #: %1 is the collector key's fingerprint, e.g. 8E1B-0C55-3A7F-92D4.
            template = self.tr(
                "The kiosk is set up and enrolled. The central collector's key fingerprint is %1:"
                " check that it is exactly the one printed on the enrollment sheet; if it is not,"
                " call the central office at once. Next, add the staff and services."
            )
            text, tone = fill(template, enroll.collector_fingerprint), "ok"
        else:
            #: %1 says why enrolling failed; setup itself succeeded.
            template = self.tr(
                "The kiosk is set up, but enrolling did not work: %1 You can enrol later in Settings."
            )
            text, tone = fill(template, enroll_error(enroll.code)), "error"
        self._restart_ledger(lambda: self.finished.emit(text, tone))

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.next_button.setEnabled(True)
        self.back_button.setEnabled(True)
        self._restart_ledger()
        if isinstance(exc, PinError):
            text = pin_problem(exc.code)
        else:
            text = fill(self.tr("Setup could not be saved, and nothing was changed: %1"), str(exc))
        set_message(self.message, text, tone="error")

    # --- text ------------------------------------------------------------------------------------

    def _screen_text(self) -> str:
        check = self.wizard.screen
        if check is None:
            return ""
        diagonal = check.diagonal_inches
        #: %1 x %2 pixels
        size = fill(
            self.tr("This screen: %1 × %2 pixels"), str(check.width_px), str(check.height_px)
        )
        if diagonal is not None:
            size += fill(self.tr(", about %1 inches"), f"{diagonal:.1f}")
        if check.large_enough:
            verdict = self.tr("It is large enough for the kiosk.")
        elif check.portrait and check.fits_turned:
            verdict = self.tr(
                "The tablet stands upright: turn it on its side (landscape); the kiosk needs that."
            )
        elif not check.enough_pixels:
            verdict = self.tr(
                "It has fewer pixels than the kiosk needs (1024 × 600, landscape): citizens will"
                " see a notice instead of the questions. Use another tablet."
            )
        else:
            verdict = self.tr(
                "It is smaller than a 10-inch tablet: faces and names may be hard to read and tap."
                " You can carry on, but a larger screen is better."
            )
        return f"{size}\n\n{verdict}"

    def _review_text(self) -> str:
        wizard = self.wizard
        lines = []
        if wizard.district is not None:
            place = place_of(wizard.district)
            thai = ui_language() == "th"
            district = place.district_th if thai else place.district_en
            province = place.province_th if thai else place.province_en
            lines.append(
                fill(self.tr("District office: %1, %2 (%3)"), district, province, wizard.district)
            )
            lines.append(
                self.tr(
                    "Check it: once the kiosk is enrolled or a citizen has voted, only the central"
                    " office can change it."
                )
            )
        lines.append(
            self.tr("Clerk PIN: set") if wizard.pin_given else self.tr("Clerk PIN: not set")
        )
        if wizard.collector_url:
            lines.append(fill(self.tr("Central collector: %1"), wizard.collector_url))
        else:
            lines.append(self.tr("Central collector: later"))
        if wizard.enroll_now:
            lines.append(self.tr("Enrol now with the one-time token."))
        else:
            lines.append(self.tr("Enrol later (the kiosk works offline meanwhile)."))
        if wizard.screen is not None and not wizard.screen.large_enough:
            lines.append(self.tr("Note: the screen is smaller than recommended."))
        lines.append("")
        lines.append(self.tr("Votes cast in the demo are set aside and never sent."))
        return "\n".join(lines)

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        titles = {
            SetupStep.SCREEN: self.tr("Set up the kiosk: the screen"),
            SetupStep.PLACE: self.tr("Set up the kiosk: the district office"),
            SetupStep.PIN: self.tr("Set up the kiosk: the clerk PIN"),
            SetupStep.COLLECTOR: self.tr("Set up the kiosk: the central collector"),
            SetupStep.REVIEW: self.tr("Set up the kiosk: check and finish"),
        }
        self.title.setText(titles[self.wizard.step])
        #: %1 is this step's number, %2 how many there are.
        self.step_label.setText(
            fill(self.tr("Step %1 of %2"), str(self.wizard.index + 1), str(self.wizard.steps))
        )
        self.screen_text.setText(self._screen_text())
        self.pin_prompt.setText(
            self.tr("Enter the new PIN again")
            if self._first_pin
            else self.tr("Choose a clerk PIN of 6 to 12 digits")
        )
        self.collector_intro.setText(
            self.tr(
                "The central office gives the collector's address and a one-time token. Without"
                " internet, choose Later: the kiosk works offline, and is enrolled by USB stick in"
                " Settings."
            )
        )
        self.url_label.setText(self.tr("Address"))
        self.token_label.setText(self.tr("One-time token"))
        self.enroll_now_chip.setText(self.tr("Enrol now"))
        self.enroll_later_chip.setText(self.tr("Later"))
        self.review.setText(self._review_text())
        self.cancel_button.setText(self.tr("Back to the kiosk"))
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(
            self.tr("Finish") if self.wizard.step is SetupStep.REVIEW else self.tr("Next")
        )
