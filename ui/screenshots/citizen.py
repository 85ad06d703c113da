"""The citizen's screens and the on-screen keyboard, in Thai and English, as PNG files.

Each screen is reached by driving the real flow (kiosk/flow.py) on a clock that stands still,
in a fresh kiosk window: the welcome, the faces, who served you (the demo roster, one with
40 staff, and one whose longest service and tag names wrap their chips), the same with a letter of its index of first letters tapped (``-letter``: with large
text, high contrast, and the keyboard focus on a letter), the tags and the story on the keyboard, the concern tags after an unhappy face, the last question of a roster with no
tags (``-no-tags``, ``-no-concerns``: only the story box and Send), saving, thanks, the failure
screen, "still there?", the cooldown message, large-text and high-contrast variants, the
speaker (reading, and with no voice), and the keyboard focus outline (``-keys``) in both
styles. The on-screen keyboard is rendered on its own too (keyboard-th.png,
keyboard-th-shift.png, keyboard-en.png).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.config import KioskConfig
from kiosk.demo import DEMO_ROSTER, demo_roster_with_staff
from kiosk.flow import Flow, FlowSettings
from kiosk.initials import index_letter
from kiosk.roster import Roster, Service, Tag
from ui.app import KioskWindow
from ui.i18n import LanguageSwitcher
from ui.screenshots.shared import SCREEN_SIZE, Inspect, StillClock, settle
from ui.speech import SilentEngine, SpeechGuide
from ui.startup import build_main_window, create_application
from ui.widgets.keyboard import ThaiKeyboard
from ui.widgets.scrolling import show_whole
from ui.widgets.story_field import StoryField
from ui.widgets.style import KEYBOARD_USE_PROPERTY, repolish
from wire.campaign import CampaignNotice
from wire.vote import LANGUAGES, Target

VOICES: Final = ("th_TH", "en_US")
HOLD_WORD_MS: Final = 3_600_000  # the silent engine stays on its first word: "speaking" in shots


@dataclass(frozen=True)
class Shot:
    """One screenshot: how to bring the screen up in a fresh window, and with which roster."""

    bring_up: Callable[[KioskWindow, StillClock], None]
    roster: Roster = DEMO_ROSTER
    voices: tuple[str, ...] = VOICES  # the speech engine's voices; () for a kiosk with none


STORIES: Final = {
    "th": "เจ้าหน้าที่พูดจาสุภาพ ให้คำแนะนำดีมาก ขอบคุณค่ะ",
    "en": "The staff were kind and explained every step. Thank you!",
}


def _human(clock: StillClock) -> None:
    """A person reads a screen before tapping."""
    clock.advance(2.0)


def _welcome(window: KioskWindow, clock: StillClock) -> None:
    """The welcome screen as the kiosk starts."""


def _rating(window: KioskWindow, clock: StillClock) -> None:
    """The five faces."""
    window.flow.start()


def _target(window: KioskWindow, clock: StillClock) -> None:
    """Who served you, after a rating of 5 and with a service picked."""
    _rating(window, clock)
    _human(clock)
    window.flow.choose_rating(5)
    window.flow.choose_service("id-card")


def _target_letter(window: KioskWindow, clock: StillClock) -> None:
    """Who served you on a long roster, the first card's letter tapped in the index: ก or K."""
    _target(window, clock)
    window.render_flow()
    settle()
    screen = window.target
    letter = index_letter(window.roster.active_staff()[0], window.flow.session.lang)
    chip = next(c for c in screen.letter_index.letter_chips if c.letter == letter)
    chip.click()


def _target_letter_keys(window: KioskWindow, clock: StillClock) -> None:
    """A letter chosen, then the keyboard focus moved up from the first card to the letters."""
    _target_letter(window, clock)
    window.setProperty(KEYBOARD_USE_PROPERTY, True)
    repolish(window)
    settle()
    chip = window.target.letter_index.chips()[1]
    chip.setFocus(Qt.FocusReason.TabFocusReason)


def _impression(window: KioskWindow, clock: StillClock) -> None:
    """The quick-pick tags, two of them picked."""
    _target(window, clock)
    _human(clock)
    window.flow.choose_target(Target("staff", "s01"))
    _human(clock)
    window.flow.toggle_tag("fast")
    window.flow.toggle_tag("polite")


def _impression_concerns(window: KioskWindow, clock: StillClock) -> None:
    """After the angriest face: "what could we do better?", two concern tags picked."""
    _rating(window, clock)
    _human(clock)
    window.flow.choose_rating(1)
    _human(clock)
    window.flow.choose_target(None)
    _human(clock)
    window.flow.toggle_tag("long-wait")
    window.flow.toggle_tag("unclear-info")


def _impression_story(window: KioskWindow, clock: StillClock) -> None:
    """The story view: the keyboard open and a story typed."""
    _impression(window, clock)
    window.render_flow()
    window.impression.open_story()
    window.impression.keyboard.set_text(STORIES[window.flow.session.lang])


# A service and a tag named as long as a roster allows (kiosk/roster/ MAX_TEXT_CHARS), as a
# clerk may type them: their chips wrap onto more lines on a small panel.
LONG_SERVICE: Final = Service(
    "long-service",
    "ขอรับรองสำเนาทะเบียนบ้านและสูติบัตร สำหรับผู้ที่ย้ายภูมิลำเนามาจากต่างจังหวัด หรือต่างประเทศ",
    "Certified copies of house registration and birth certificates for people who moved here",
)
LONG_TAG: Final = Tag(
    "long-tag",
    "เจ้าหน้าที่อธิบายทุกขั้นตอนอย่างละเอียด ใจเย็น และช่วยตรวจเอกสารให้ครบก่อนยื่น ไม่ต้องกลับมาหลายรอบ",
    "The staff explained every step patiently and checked all my papers before I handed them in",
)
LONG_NAMES_ROSTER: Final = DEMO_ROSTER.with_service(LONG_SERVICE).with_tag(LONG_TAG)


def _in_view(window: KioskWindow, area: QScrollArea, chip: QWidget) -> None:
    """Lay the screen out, then scroll its list to show the chip."""
    window.render_flow()
    settle()
    show_whole(area, chip)


def _target_long_names(window: KioskWindow, clock: StillClock) -> None:
    """Who served you, the service with the longest name picked: its chip wraps."""
    _rating(window, clock)
    _human(clock)
    window.flow.choose_rating(5)
    window.flow.choose_service(LONG_SERVICE.code)
    target = window.target
    _in_view(window, target.cards_scroll, target.service_chips[LONG_SERVICE.code])


def _impression_long_names_keys(window: KioskWindow, clock: StillClock) -> None:
    """The tags, the one with the longest name picked and focused by the keyboard: it wraps."""
    _target_long_names(window, clock)
    _human(clock)
    window.flow.choose_target(Target("staff", "s01"))
    _human(clock)
    window.flow.toggle_tag(LONG_TAG.code)
    chip = window.impression.tag_chips[LONG_TAG.code]
    window.render_flow()
    window.impression.show_page_of(chip)  # a small panel shows it after "+ n more"
    _in_view(window, window.impression.tags_scroll, chip)
    window.setProperty(KEYBOARD_USE_PROPERTY, True)
    repolish(window)
    chip.setFocus(Qt.FocusReason.TabFocusReason)


# A roster whose clerk retired every impression tag and kept no concern tags: the last
# question asks only for the story.
NO_TAGS_ROSTER: Final = replace(
    DEMO_ROSTER, tags=tuple(t.as_retired() for t in DEMO_ROSTER.tags), concerns=()
)


def _impression_no_tags(window: KioskWindow, clock: StillClock) -> None:
    """The last question with no tags on offer: the question, the story box and Send."""
    _target(window, clock)
    _human(clock)
    window.flow.choose_target(Target("staff", "s01"))


def _impression_no_concerns(window: KioskWindow, clock: StillClock) -> None:
    """After the angriest face, with no concern tags on offer."""
    _rating(window, clock)
    _human(clock)
    window.flow.choose_rating(1)
    _human(clock)
    window.flow.choose_target(None)


def _saving(window: KioskWindow, clock: StillClock) -> None:
    """Saving, as it looks when the disk is slow."""
    _impression(window, clock)
    window.flow.finish()
    window.render_flow()
    window.saving.reveal()


def _thanks(window: KioskWindow, clock: StillClock) -> None:
    """Thanks, after the ledger committed the vote."""
    _impression(window, clock)
    window.flow.finish()
    window.flow.saved()


# A campaign as the collector's signed notice tells it (wire/campaign.py): its words replace
# the default title and slogan on the welcome and thanks screens.
CAMPAIGN: Final = CampaignNotice(
    2569, "อำเภอสร้างสุข ปี ๒๕๖๙ — ความสุขสร้างได้ทุกวัน",
    "Happy District 2569 — happiness, built every day",
    "บริการด้วยใจ ใส่ใจทุกเสียงของประชาชน", "Service from the heart: every voice counts",
    "2026-10-31T17:00:00.000Z", "2026-11-30T17:00:00.000Z", "2026-10-20T03:00:00.000Z",
)  # fmt: skip


def _with_campaign(shot: Callable[[KioskWindow, StillClock], None]) -> Callable[..., None]:
    """The shot on a kiosk that was told the campaign."""

    def with_campaign(window: KioskWindow, clock: StillClock) -> None:
        window.apply_campaign(CAMPAIGN)
        shot(window, clock)

    return with_campaign


def _welcome_campaign_ended(window: KioskWindow, clock: StillClock) -> None:
    """The welcome screen six days after the campaign's last day: the default words, not the
    ended campaign (its votes would count in no campaign)."""
    clock.wall = datetime(2026, 12, 6, 3, 0, tzinfo=UTC)
    _with_campaign(_welcome)(window, clock)


def _save_failed(window: KioskWindow, clock: StillClock) -> None:
    """The calm failure screen (the disk was full)."""
    _impression(window, clock)
    window.flow.finish()
    window.flow.save_failed("disk_full")


def _still_there(window: KioskWindow, clock: StillClock) -> None:
    """ "Are you still there?" over the target screen, 12 seconds left."""
    _target(window, clock)
    window.render_flow()
    settings = window.flow.settings
    clock.advance(settings.idle_timeout_s + settings.still_there_s - 12)


def _cooldown(window: KioskWindow, clock: StillClock) -> None:
    """A tap on the welcome screen right after a vote: "please wait a moment"."""
    _thanks(window, clock)
    clock.advance(window.flow.settings.thanks_s)
    window.tick()
    window.welcome.start_button.click()


def _speaking(window: KioskWindow, clock: StillClock) -> None:
    """The faces with spoken guidance on, being read aloud: the speaker says "Stop"."""
    _rating(window, clock)
    window.flow.toggle_speech()


def _no_voice(window: KioskWindow, clock: StillClock) -> None:
    """The faces on a kiosk with no voice, the speaker just tapped: it says so."""
    _rating(window, clock)
    window.render_flow()
    window.rating.bar.speaker_button.click()


def _keys(
    bring_up: Callable[[KioskWindow, StillClock], None],
) -> Callable[[KioskWindow, StillClock], None]:
    """Return bring_up as someone moving with Tab and the arrows sees it: the focus outline."""

    def with_keys(window: KioskWindow, clock: StillClock) -> None:
        bring_up(window, clock)
        window.render_flow()
        window.setProperty(KEYBOARD_USE_PROPERTY, True)
        repolish(window)
        screen = window.current_screen()
        if screen is window.impression and window.impression.story_is_open():
            window.impression.keyboard.key_buttons()[0].setFocus(Qt.FocusReason.TabFocusReason)
        else:
            screen.focus_first()  # type: ignore[attr-defined]

    return with_keys


def with_large_text(
    bring_up: Callable[[KioskWindow, StillClock], None],
) -> Callable[[KioskWindow, StillClock], None]:
    """Return bring_up with large text switched on first."""

    def with_large_text(window: KioskWindow, clock: StillClock) -> None:
        window.flow.toggle_large_text()
        bring_up(window, clock)

    return with_large_text


def _contrast(
    bring_up: Callable[[KioskWindow, StillClock], None],
) -> Callable[[KioskWindow, StillClock], None]:
    """Return bring_up with high contrast switched on first."""

    def with_high_contrast(window: KioskWindow, clock: StillClock) -> None:
        window.flow.toggle_high_contrast()
        bring_up(window, clock)

    return with_high_contrast


# Each screen, by file name stem (written as <stem>-<language>.png).
SCREENS: Final[dict[str, Shot]] = {
    "welcome": Shot(_welcome),
    "rating": Shot(_rating),
    "target": Shot(_target),
    "target-40-staff": Shot(_target, demo_roster_with_staff(40)),
    "target-40-staff-large": Shot(with_large_text(_target), demo_roster_with_staff(40)),
    "target-40-staff-letter": Shot(_target_letter, demo_roster_with_staff(40)),
    "target-40-staff-letter-large": Shot(
        with_large_text(_target_letter), demo_roster_with_staff(40)
    ),
    "target-40-staff-letter-contrast": Shot(_contrast(_target_letter), demo_roster_with_staff(40)),
    "target-40-staff-letter-keys": Shot(_target_letter_keys, demo_roster_with_staff(40)),
    "target-long-names": Shot(_target_long_names, LONG_NAMES_ROSTER),
    "impression-long-names-keys": Shot(_impression_long_names_keys, LONG_NAMES_ROSTER),
    "impression": Shot(_impression),
    "impression-story": Shot(_impression_story),
    "impression-concerns": Shot(_impression_concerns),
    "impression-no-tags": Shot(_impression_no_tags, NO_TAGS_ROSTER),
    "impression-no-concerns": Shot(_impression_no_concerns, NO_TAGS_ROSTER),
    "saving": Shot(_saving),
    "thanks": Shot(_thanks),
    "welcome-campaign": Shot(_with_campaign(_welcome)),
    "thanks-campaign": Shot(_with_campaign(_thanks)),
    "welcome-campaign-large": Shot(with_large_text(_with_campaign(_welcome))),
    "welcome-campaign-ended": Shot(_welcome_campaign_ended),
    "save-failed": Shot(_save_failed),
    "still-there": Shot(_still_there),
    "cooldown": Shot(_cooldown),
    "welcome-contrast": Shot(_contrast(_welcome)),
    "rating-large": Shot(with_large_text(_rating)),
    "rating-contrast": Shot(_contrast(_rating)),
    "target-large": Shot(with_large_text(_target)),
    "impression-large": Shot(with_large_text(_impression)),
    "impression-contrast": Shot(_contrast(_impression)),
    "impression-concerns-large": Shot(with_large_text(_impression_concerns)),
    "impression-story-contrast": Shot(_contrast(_impression_story)),
    "welcome-large": Shot(with_large_text(_welcome)),
    "thanks-large": Shot(with_large_text(_thanks)),
    "save-failed-large": Shot(with_large_text(_save_failed)),
    "rating-speaking": Shot(_speaking),
    "rating-no-voice": Shot(_no_voice, voices=()),
    "welcome-keys": Shot(_keys(_welcome)),
    "rating-keys": Shot(_keys(_rating)),
    "rating-keys-contrast": Shot(_contrast(_keys(_rating))),
    "target-keys": Shot(_keys(_target)),
    "impression-keys": Shot(_keys(_impression)),
    "impression-story-keys-contrast": Shot(_contrast(_keys(_impression_story))),
}

# The keyboard shots: file stem -> (UI language, keyboard language, shifted, story typed so
# far, the key that has keyboard focus or None). keyboard-en shows the focus outline that Tab
# and the arrow keys move.
KEYBOARD_SHOTS: Final[dict[str, tuple[str, str, bool, str, str | None]]] = {
    "keyboard-th": ("th", "th", False, "เจ้าหน้าที่พูดจาสุภาพ ขอบคุณค่ะ", None),
    "keyboard-th-shift": ("th", "th", True, "ผู้ใหญ่บ้านน่ารัก", None),
    "keyboard-en": ("en", "en", False, "Thank you", "key_2_5"),
}


def render_screens(
    out_dir: Path,
    *,
    size: QSize = SCREEN_SIZE,
    config: KioskConfig | None = None,
    languages: Sequence[str] = LANGUAGES,
    shots: Mapping[str, Shot] = SCREENS,
    inspect: Inspect | None = None,
) -> list[Path]:
    """Render every screen in every language to out_dir/<screen>-<language>.png; return the paths.

    ``inspect`` (the checks of every supported screen) sees each window just before its picture.
    """
    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    switcher = LanguageSwitcher(app)
    written: list[Path] = []
    try:
        for language in languages:
            switcher.set_language(language)
            for name, shot in shots.items():
                chosen = config or KioskConfig()
                clock = StillClock()
                flow = Flow(chosen.district, clock, FlowSettings(default_language=language))
                engine = SilentEngine(shot.voices, word_ms=HOLD_WORD_MS) if shot.voices else None
                window = build_main_window(
                    chosen,
                    switcher,
                    windowed=True,
                    flow=flow,
                    roster=shot.roster,
                    speech=SpeechGuide(engine),
                )
                try:
                    window.timer.stop()  # the shot's clock stands still; nothing to tick
                    window.resize(size)
                    window.show()
                    window.activateWindow()  # keyboard focus shows only in the active window
                    settle()
                    shot.bring_up(window, clock)
                    window.render_flow()
                    settle()
                    if inspect is not None:
                        inspect(f"{name}-{language}", window)
                    path = out_dir / f"{name}-{language}.png"
                    if not window.grab().save(str(path), "PNG"):
                        raise OSError(f"could not write {path}")
                    written.append(path)
                finally:
                    window.shutdown()
                    window.deleteLater()
                    settle()
    finally:
        switcher.uninstall()
        switcher.deleteLater()
    return written


def render_keyboards(
    out_dir: Path, *, size: QSize = SCREEN_SIZE, inspect: Inspect | None = None
) -> list[Path]:
    """Render the on-screen keyboard under a story field to out_dir/keyboard-*.png; return the paths."""
    app = create_application()
    out_dir.mkdir(parents=True, exist_ok=True)
    switcher = LanguageSwitcher(app)
    written: list[Path] = []
    try:
        for name, (language, keys, shifted, story, focused) in KEYBOARD_SHOTS.items():
            switcher.set_language(language)
            page = QWidget()
            page.setObjectName("kioskWindow")  # the kiosk's page colour
            field = StoryField(page)
            keyboard = ThaiKeyboard(language=keys, parent=page)
            keyboard.text_changed.connect(field.show_text)
            layout = QVBoxLayout(page)
            layout.setContentsMargins(0, 24, 0, 0)
            layout.setSpacing(24)
            field_row = QHBoxLayout()
            field_row.setContentsMargins(24, 0, 24, 0)
            field_row.addWidget(field)
            layout.addLayout(field_row, 1)
            layout.addWidget(keyboard, 1)
            try:
                page.resize(size)
                page.show()
                keyboard.set_text(story)
                keyboard.set_shifted(shifted)
                settle()
                focus = QApplication.focusWidget()
                if focus is not None:  # showing a window focuses its first key: not wanted here
                    focus.clearFocus()
                target = keyboard.findChild(QWidget, focused) if focused else None
                if target is not None:
                    target.setFocus(Qt.FocusReason.TabFocusReason)
                settle()
                if inspect is not None:
                    inspect(name, page)
                path = out_dir / f"{name}.png"
                if not page.grab().save(str(path), "PNG"):
                    raise OSError(f"could not write {path}")
                written.append(path)
            finally:
                page.close()
                page.deleteLater()
                settle()
    finally:
        switcher.uninstall()
        switcher.deleteLater()
    return written
