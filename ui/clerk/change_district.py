"""Changing the district office from Settings, while nothing is bound to the one chosen.

A clerk who chose the wrong district in the setup wizard chooses again here, with the same
province and district picker (ui/clerk/place_picker.py). kiosk/district_change.py decides,
from the files and off the GUI thread, whether the district may still change: not once the
kiosk is enrolled, nor once a citizen has voted on it. Settings' card says which, and why not
in the clerk's words, with "call the central office"; the change page saves the new district
(checked again there) and hands the new settings to the kiosk window, so the next citizen's
vote names it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.config import KioskConfig, place_of
from kiosk.district_change import (
    UNKNOWN,
    UNREADABLE,
    DistrictChangeError,
    change_district,
    why_locked,
)
from sync.usb_enroll import request_pending
from ui.clerk.place_picker import PlacePicker
from ui.clerk.text import district_refusal, setup_error
from ui.clerk.widgets import ClerkPage, PageScroll, set_message, spaced, ui_language
from ui.i18n import fill
from ui.tasks import Progress, TaskRunner
from ui.widgets.buttons import TouchButton


def place_text(code: str) -> str:
    """A district office as the clerk reads it: "หัวตะพาน, อำนาจเจริญ (3706)"."""
    place = place_of(code)
    if ui_language() == "th":
        return f"{place.district_th}, {place.province_th} ({code})"
    return f"{place.district_en}, {place.province_en} ({code})"


class DistrictCard(QObject):
    """Settings' card: the district office, and the way to change it or why it cannot be."""

    change_requested = Signal()

    def __init__(self, page: ClerkPage, data_dir: Path, runner: TaskRunner) -> None:
        super().__init__(page)
        self._data_dir = data_dir
        self._runner = runner
        self._district = ""
        self._lock: str | None = None
        self._checked = False
        self.frame: QWidget | None = None  # the card, once laid out
        self.title: QLabel = page.label("cardTitle")
        self.current: QLabel = page.label("clerkPrompt")
        self.explain: QLabel = page.label("cardText")
        self.change_button: TouchButton = page.button("changeDistrict")
        self.change_button.clicked.connect(self.change_requested)
        self.message: QLabel = page.label("clerkMessage")
        set_message(self.message, "")
        self.retranslate_ui()

    def add_to(self, box: QVBoxLayout) -> None:
        """Lay the card's widgets out in box (a card's), from its top."""
        box.addWidget(self.title)
        box.addWidget(self.current)
        box.addWidget(self.explain)
        box.addWidget(self.change_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.message)
        box.addStretch(1)
        self.frame = box.parentWidget()

    def refresh(self, config: KioskConfig) -> None:
        """Show config's district, and ask (off the GUI thread) whether it may still change."""
        self._district = config.district
        self._checked = False
        self.retranslate_ui()
        data_dir = self._data_dir
        self._runner.submit(
            lambda _p: why_locked(data_dir),
            self._checked_lock,
            lambda _exc: self._checked_lock(UNREADABLE),  # logged by the runner; nothing changes
        )

    def notify(self, text: str, tone: str) -> None:
        """Say how a change went, under the card."""
        set_message(self.message, text, tone=tone)

    def show_lock(self, lock: str) -> None:
        """The district was refused a change for lock (a code of kiosk/district_change.py)."""
        self._checked_lock(lock)

    def _checked_lock(self, lock: str | None) -> None:
        self._lock = lock
        self._checked = True
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("District office"))
        self.current.setText(place_text(self._district) if self._district else "")
        self.change_button.setText(self.tr("Change the district office"))
        self.change_button.setVisible(self._checked and self._lock is None)
        if not self._checked:
            self.explain.setText(self.tr("Checking whether it can still be changed…"))
        elif self._lock is None:
            self.explain.setText(
                self.tr(
                    "Chosen wrongly in setup? It can be changed until the kiosk is enrolled or"
                    " the first citizen votes."
                )
            )
        else:
            self.explain.setText(district_refusal(self._lock))


class ChangeDistrictScreen(ClerkPage):
    """The province and district picker, with Save and Back (inside the settings page)."""

    done = Signal()  # back to the settings
    changed = Signal(object, bool)  # the new KioskConfig; whether a USB request names the old
    refused = Signal(str)  # the district stays: DistrictChangeError's code

    def __init__(self, data_dir: Path, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("changeDistrictScreen", parent)
        self._data_dir = data_dir
        self._runner = runner
        self._district = ""
        self._saving = False
        self.nest()  # inside the settings page
        self.intro = self.label("cardText")
        self.place_page = QWidget(self)
        self.picker = PlacePicker(self.place_page)
        self.picker.changed.connect(self._place_changed)
        place_box = QVBoxLayout(self.place_page)
        place_box.setContentsMargins(0, 0, 0, 0)
        place_box.addWidget(self.picker)
        self.place_scroll = PageScroll(self.place_page, self)
        self.picker.watch(self.place_scroll)
        self.chosen = self.label("clerkPrompt")
        self.message = self.label("clerkMessage")
        self.back_button = self.button("changeDistrictBack")
        self.back_button.clicked.connect(self.done)
        self.save_button = self.button("saveDistrict", "primary")
        self.save_button.clicked.connect(self.save)
        # What is chosen and the message beside Back and Save: on the 1024×600 panel the lists
        # would have no room for a row of names with lines of their own.
        said = spaced(QVBoxLayout(), self)
        said.addWidget(self.chosen)
        said.addWidget(self.message)
        footer = spaced(QHBoxLayout(), self)
        footer.addLayout(said, 1)
        footer.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignBottom)
        footer.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.root.addWidget(self.intro)
        self.root.addWidget(self.place_scroll, 1)
        self.root.addLayout(footer)
        set_message(self.message, "")
        self.retranslate_ui()

    def start(self, district: str) -> None:
        """Start from the district set now: its province's list open, the district marked."""
        self._district = district
        self._saving = False
        self.picker.set_place(district)
        set_message(self.message, "")
        self.retranslate_ui()

    def keyboard_shown(self, shown: bool) -> None:
        """While typing, the searches have the room above the keyboard to themselves."""
        super().keyboard_shown(shown)
        self.picker.keyboard_shown(shown)
        for widget in (self.intro, self.chosen, self.back_button, self.save_button):
            widget.setVisible(not shown)
        self.message.setVisible(not shown and bool(self.message.text()))

    def _place_changed(self) -> None:
        set_message(self.message, "")
        self.retranslate_ui()

    def save(self) -> None:
        """Save the district chosen (checked again off the GUI thread)."""
        district = self.picker.district
        if district is None:
            set_message(self.message, setup_error("no_district"), tone="error")
            return
        if self._saving:
            return
        self._saving = True
        self.save_button.setEnabled(False)
        set_message(self.message, self.tr("Saving…"), tone="info")
        data_dir = self._data_dir

        def job(_progress: Progress) -> tuple[KioskConfig, bool]:
            pending = request_pending(data_dir)
            return change_district(data_dir, district), pending

        self._runner.submit(job, self._saved, self._failed)

    def _saved(self, result: tuple[KioskConfig, bool]) -> None:
        config, pending = result
        self._saving = False
        self._district = config.district
        set_message(self.message, "")
        self.retranslate_ui()
        self.changed.emit(config, pending)

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.retranslate_ui()
        if isinstance(exc, DistrictChangeError) and exc.code == UNKNOWN:
            set_message(self.message, district_refusal(exc.code), tone="error")
            return
        if isinstance(exc, DistrictChangeError):  # the district is bound now: Settings says why
            self.refused.emit(exc.code)
            return
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        template = self.tr("The district office could not be saved, and nothing was changed: %1")
        set_message(self.message, fill(template, reason), tone="error")

    def retranslate_ui(self) -> None:
        """Set every text in the current language."""
        self.title.setText(self.tr("Change the district office"))
        if self._district:
            #: %1 is the district office the kiosk is set up for now, with its province and code.
            template = self.tr("Now: %1. Choose the province, then the district office.")
            self.intro.setText(fill(template, place_text(self._district)))
        chosen = self.picker.district
        if chosen is None:
            self.chosen.setText(self.tr("No district office chosen yet."))
        elif chosen == self._district:
            self.chosen.setText(self.tr("This is the district office set now."))
        else:
            #: %1 is the district office the clerk chose, with its province and code.
            self.chosen.setText(fill(self.tr("New district office: %1"), place_text(chosen)))
        self.save_button.setEnabled(
            not self._saving and chosen is not None and chosen != self._district
        )
        self.back_button.setText(self.tr("Back to settings"))
        self.save_button.setText(self.tr("Save the district office"))
