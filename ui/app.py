"""The kiosk window: the citizen's screens and, behind the hidden corner, the clerk's.

The window holds the citizen's flow (kiosk/flow.py), the roster, and the ledger service, and
has one ``render_flow`` that shows what ``flow.view()`` says. Screens only ask, by signal; the
window tells the flow and renders again. A timer lets the flow's time pass (still there?,
walk-away, the thanks and failure screens ending). Votes go to the ledger thread by signal and
come back as ``saved`` or ``save_failed``: the GUI thread never touches SQL. ui/startup.py
makes the application and the window and runs the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.campaign import campaign_on, load_campaign
from kiosk.config import KioskConfig, Place, place_of
from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Flow, FlowError, FlowSettings, Step, View, asks_who_served
from kiosk.roster import NEW_KIOSK_ROSTER, Roster
from kiosk.setup import ScreenCheck
from kiosk.speech import SpeakerAction, speaker_action
from kiosk.updates import RESTART_EXIT_CODE, Updates
from ui.citizen.display_bar import DisplayBar
from ui.citizen.impression import ImpressionScreen
from ui.citizen.rating import RatingScreen
from ui.citizen.save_failed import SaveFailedScreen
from ui.citizen.saving import SavingScreen
from ui.citizen.screen import CitizenScreen
from ui.citizen.still_there import StillThereOverlay
from ui.citizen.target import TargetScreen
from ui.citizen.thanks import ThanksScreen
from ui.citizen.too_small import TooSmallPage
from ui.citizen.welcome import WelcomeScreen
from ui.clerk.corner import HiddenCorner
from ui.full_screen import FullScreenKeeper
from ui.i18n import LanguageSwitcher, TranslationError
from ui.ledger_service import LedgerService
from ui.speech import SpeechGuide
from ui.sync_scheduler import SyncScheduler
from ui.update_scheduler import QUIET_S, UpdateScheduler
from ui.widgets.style import (
    HIGH_CONTRAST_PROPERTY,
    KEYBOARD_USE_PROPERTY,
    LARGE_TEXT_PROPERTY,
    repolish,
)
from wire.campaign import CampaignNotice
from wire.clock import SystemClock, thai_day
from wire.vote import Ballot, Target, Vote

if TYPE_CHECKING:
    from ui.clerk.area import ClerkArea

DEV_WINDOW_SIZE: Final = QSize(1280, 800)  # a common 10-inch tablet, landscape
TICK_INTERVAL_MS: Final = 250  # how often the flow's time moves on (countdowns, timeouts)
_TOUCHES: Final = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
)
# Keys that show the focus outline: moving, and pressing (a switch may only ever press).
_FOCUS_KEYS: Final = (
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
    Qt.Key.Key_Left,
    Qt.Key.Key_Right,
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Space,
)
log = logging.getLogger(__name__)


# Every screen has enter(view), when the flow arrives on it, and show_view(view), on every change.
Screen = (
    WelcomeScreen
    | RatingScreen
    | TargetScreen
    | ImpressionScreen
    | SavingScreen
    | ThanksScreen
    | SaveFailedScreen
)


class KioskWindow(QWidget):
    """The one top-level window: shows one screen at a time and, in kiosk mode, cannot be left."""

    # The app should end with this exit code (75: a new version was switched to; ui/startup.py).
    quit_requested = Signal(int)

    def __init__(
        self,
        config: KioskConfig,
        place: Place,
        switcher: LanguageSwitcher,
        *,
        kiosk_mode: bool,
        flow: Flow | None = None,
        roster: Roster | None = None,
        ledger: LedgerService | None = None,
        data_dir: Path | None = None,
        speech: SpeechGuide | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        for name in (LARGE_TEXT_PROPERTY, HIGH_CONTRAST_PROPERTY, KEYBOARD_USE_PROPERTY):
            self.setProperty(name, False)
        self._kiosk_mode = kiosk_mode
        self._may_close = not kiosk_mode
        self.full_screen: FullScreenKeeper | None = None
        if kiosk_mode:
            self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
            self.full_screen = FullScreenKeeper(self)  # the whole screen, even with no WM
        self.config = config
        self.place = place
        self.switcher = switcher
        self.flow = flow or Flow(
            config.district,
            SystemClock(),
            FlowSettings(
                default_language=switcher.language,
                idle_timeout_s=config.idle_timeout_s,
                cooldown_s=config.cooldown_s,
            ),
        )
        self.roster = (
            roster if roster is not None else (DEMO_ROSTER if config.demo else NEW_KIOSK_ROSTER)
        )
        self.flow.asks_target = asks_who_served(self.roster)  # no page with only "not sure"
        self.ledger = ledger
        self.speech = speech or SpeechGuide.for_system()
        self.speech.setParent(self)
        self._out_of_service: str | None = None
        self._closed = False
        self._shown_step: Step | None = None

        self.stack = QStackedWidget(self)
        self.welcome = WelcomeScreen(place, switcher, demo=config.demo, parent=self.stack)
        self.rating = RatingScreen(switcher, self.stack)
        self.target = TargetScreen(self.roster, switcher, data_dir=data_dir, parent=self.stack)
        self.impression = ImpressionScreen(self.roster, switcher, self.stack)
        self.saving = SavingScreen(self.stack)
        self.thanks = ThanksScreen(switcher, self.stack)
        self.save_failed = SaveFailedScreen(switcher, self.stack)
        self._screens: dict[Step, Screen] = {
            Step.WELCOME: self.welcome,
            Step.RATING: self.rating,
            Step.TARGET: self.target,
            Step.IMPRESSION: self.impression,
            Step.SAVING: self.saving,
            Step.THANKS: self.thanks,
            Step.SAVE_FAILED: self.save_failed,
        }
        for screen in self._screens.values():
            self.stack.addWidget(screen)
        self.still_there = StillThereOverlay(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # The kiosk fills its screen; the screens' minimum sizes must not resize the window.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        # The citizens' screens, or the district clerk's (built when first opened).
        self.outer = QStackedWidget(self)
        self.outer.setObjectName("outerStack")
        self.outer.addWidget(self.stack)
        # Below the supported screen: a notice in Thai and English instead (ui/citizen/too_small.py).
        self.too_small = TooSmallPage(switcher, self.outer)
        self.outer.addWidget(self.too_small)
        layout.addWidget(self.outer)
        self.data_dir = data_dir
        # The campaign the collector last told this kiosk (its signed notice), named to citizens
        # on the days it runs (_shown_campaign); else the default words.
        self.campaign: CampaignNotice | None = None
        self._shown_campaign: CampaignNotice | None = None
        self.apply_campaign(load_campaign(data_dir, config) if data_dir is not None else None)
        self.clerk: ClerkArea | None = None
        # Sends the votes by itself once the kiosk is enrolled (ui/sync_scheduler.py).
        self.sync_scheduler: SyncScheduler | None = None
        if data_dir is not None:
            self.sync_scheduler = SyncScheduler(
                data_dir, config, self.flow.clock, ledger=ledger, parent=self
            )
            self.sync_scheduler.campaign_changed.connect(self.apply_campaign)
        # Checks, stages and (between citizens) applies signed updates (ui/update_scheduler.py).
        self.update_scheduler: UpdateScheduler | None = None
        if data_dir is not None:
            self.update_scheduler = UpdateScheduler(
                Updates.here(), config, self.flow.clock, idle=self.idle_for_update, parent=self
            )
            self.update_scheduler.restart_requested.connect(self._restart_for_update)
        self.corner = HiddenCorner(self, self.flow.clock)
        self.corner.activated.connect(self.open_clerk)
        self._connect()

        self.timer = QTimer(self)
        self.timer.setObjectName("flowTimer")
        self.timer.setInterval(TICK_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # every tap or key press tells the flow someone is there
        self.retranslate_ui()
        self.render_flow()

    def _connect(self) -> None:
        """Connect the screens' requests and the ledger's answers to the flow."""
        flow = self.flow
        for shown in self._screens.values():
            self._connect_screen(shown)
        self.rating.rating_chosen.connect(lambda r: self._act(lambda: flow.choose_rating(r)))
        self.target.target_chosen.connect(self._choose_target)
        self.target.service_chosen.connect(
            lambda code: self._act(lambda: flow.choose_service(code))
        )
        self.target.back_requested.connect(lambda: self._act(flow.back))
        self.save_failed.retry_requested.connect(self._retry)
        self.still_there.still_here_requested.connect(lambda: self._act(flow.still_here))
        self.speech.changed.connect(self._show_speech)
        self.switcher.language_changed.connect(self._follow_switcher)
        if self.ledger is not None:
            self.ledger.opened.connect(lambda _kiosk_id: self._welcome_seen())
            self.ledger.saved.connect(self._saved)
            self.ledger.save_failed.connect(self._save_failed)
            self.ledger.open_failed.connect(self._open_failed)

    def _connect_screen(self, screen: QWidget) -> None:
        """Connect one screen's display bar, and what the welcome and impression screens ask.

        Those two are built again when the clerk changes the district or the roster
        (``apply_config``, ``apply_roster``), so their connections live here.
        """
        flow = self.flow
        if isinstance(screen, WelcomeScreen):
            screen.start_requested.connect(self._start)
        if isinstance(screen, ImpressionScreen):
            screen.tag_toggled.connect(lambda tag: self._act(lambda: flow.toggle_tag(tag)))
            screen.story_changed.connect(lambda story: self._act(lambda: flow.set_story(story)))
            screen.send_requested.connect(self._send)
            screen.back_requested.connect(lambda: self._act(flow.back))
        for bar in screen.findChildren(DisplayBar):
            bar.language_requested.connect(lambda lang: self._act(lambda: flow.set_language(lang)))
            bar.large_text_requested.connect(lambda: self._act(flow.toggle_large_text))
            bar.high_contrast_requested.connect(lambda: self._act(flow.toggle_high_contrast))
            bar.speech_requested.connect(lambda b=bar: self._speaker_tapped(b))
        if isinstance(screen, CitizenScreen):
            screen.spoken_changed.connect(self.speech.refresh)

    # -- the district clerk (ui/clerk/area.py) ----------------------------------------------------

    def open_clerk(self) -> None:
        """The hidden corner was held: the PIN pad, or the setup wizard on a kiosk not set up."""
        if self.data_dir is None:
            log.warning("the clerk's screens need a data folder; this window has none")
            return
        if self.clerk is None:
            from ui.clerk.area import ClerkArea  # built on first use: citizens never need it

            self.clerk = ClerkArea(self, self.data_dir, self.flow.clock, self.switcher, self.outer)
            self.outer.addWidget(self.clerk)
            self.clerk.leave_requested.connect(self.close_clerk)
            self.clerk.exit_requested.connect(self.shutdown)
        self.corner.enabled = False
        self.still_there.hide()
        self.speech.stop()
        self.outer.setCurrentWidget(self.clerk)
        self._clerk_language()
        self.clerk.open()

    def _clerk_language(self) -> None:
        """Show the clerk's screens in the clerk's language (config ``clerk_language``, Thai
        unless a technician chose English), whatever language the citizens' screens were in."""
        language = self.config.clerk_language
        if self.switcher.language != language:
            try:
                self.switcher.set_language(language)
            except TranslationError as exc:
                log.error("cannot switch the language to %s: %s", language, exc)

    def close_clerk(self) -> None:
        """Back to the citizens' screens, in the kiosk's default language (or the language of
        the citizen whose session is under way)."""
        self.outer.setCurrentWidget(self.stack)
        self.corner.enabled = True
        self.flow.touch()  # time spent on the clerk's screens is not a citizen walking away
        if self.flow.step is Step.WELCOME:
            self._act(lambda: self.flow.set_language(self.flow.settings.default_language))
        self.render_flow()
        self.check_screen()

    def clerk_open(self) -> bool:
        """Tell whether the clerk's screens are on show (citizen time then stands still)."""
        return self.clerk is not None and self.outer.currentWidget() is self.clerk

    def apply_config(self, config: KioskConfig) -> None:
        """Show the clerk's new settings at once: district, demo badge, timings, language."""
        self.config = config
        if self.sync_scheduler is not None:
            self.sync_scheduler.apply_config(config)  # a new interval, or just enrolled
        if self.update_scheduler is not None:
            self.update_scheduler.apply_config(config)  # checks the collector once enrolled
        self.flow.district = config.district
        self.flow.settings = replace(
            self.flow.settings,
            idle_timeout_s=config.idle_timeout_s,
            cooldown_s=config.cooldown_s,
            default_language=config.default_language,
        )
        place = place_of(config.district)
        if place != self.place or config.demo != self.welcome.demo_badge.isVisibleTo(self.welcome):
            self.place = place
            self.welcome = WelcomeScreen(place, self.switcher, demo=config.demo, parent=self.stack)
            self.welcome.set_campaign(self._shown_campaign)
            self._replace_screen(Step.WELCOME, self.welcome)

    def apply_campaign(self, campaign: CampaignNotice | None) -> None:
        """Keep a campaign (None: none) and show its name and slogan on the welcome and thanks
        screens on the days it runs (the default words before and after)."""
        kept_changed = campaign != self.campaign  # after every sending pass: mostly the same
        self.campaign = campaign
        self._show_campaign_of_today(again=kept_changed)

    def _show_campaign_of_today(self, *, again: bool = False) -> None:
        """Name the kept campaign to citizens only while it runs by the kiosk's clock (a
        citizen is never welcomed to a campaign that ended or has not begun)."""
        shown = campaign_on(self.campaign, thai_day(self.flow.clock.now()))
        if again or shown != self._shown_campaign:
            if shown is None and self.campaign is not None:
                year = self.campaign.year
                log.info("campaign %s is not running today: the default words show", year)
            self._shown_campaign = shown
            self.welcome.set_campaign(shown)
            self.thanks.set_campaign(shown)

    def apply_roster(self, roster: Roster) -> None:
        """Show the clerk's new roster to the next citizen at once (retired entries hidden)."""
        self.roster = roster
        self.flow.asks_target = asks_who_served(roster)
        self.target.set_roster(roster)
        self.impression = ImpressionScreen(roster, self.switcher, self.stack)
        self._replace_screen(Step.IMPRESSION, self.impression)

    def _replace_screen(self, step: Step, screen: Screen) -> None:
        """Put a rebuilt screen in the place of the old one."""
        old = self._screens[step]
        self.stack.insertWidget(self.stack.indexOf(old), screen)
        self.stack.removeWidget(old)
        old.deleteLater()
        self._screens[step] = screen
        self._connect_screen(screen)
        if self._shown_step is step:
            self._shown_step = None  # entered afresh on the next render
        self.render_flow()

    @property
    def kiosk_mode(self) -> bool:
        """Tell whether the window is full screen and locked (False: a normal development window)."""
        return self._kiosk_mode

    # -- the flow -----------------------------------------------------------------------------

    def render_flow(self) -> None:
        """Show the screen, language, display choices and countdowns that the flow's view says."""
        if self._closed or self.clerk_open():
            return
        view = self.flow.view()
        session = view.session
        if self.switcher.language != session.lang:
            try:
                self.switcher.set_language(session.lang)
            except TranslationError as exc:
                log.error("cannot switch the language to %s: %s", session.lang, exc)
        restyle = False
        for name, value in (
            (LARGE_TEXT_PROPERTY, session.large_text),
            (HIGH_CONTRAST_PROPERTY, session.high_contrast),
        ):
            if self.property(name) != value:
                self.setProperty(name, value)
                restyle = True
        if view.step is Step.WELCOME and self._shown_step is not Step.WELCOME:
            restyle |= self.property(KEYBOARD_USE_PROPERTY) is not False
            self.setProperty(KEYBOARD_USE_PROPERTY, False)  # the next citizen may not use keys
        if restyle:
            repolish(self)
        if view.step in (Step.WELCOME, Step.THANKS):
            self._show_campaign_of_today()  # the day may have turned since it was last shown
        screen = self._screens[view.step]
        entering = view.step is not self._shown_step
        if entering:
            self._shown_step = view.step
            self.stack.setCurrentWidget(screen)
        if entering:
            screen.enter(view)
        else:
            screen.show_view(view)
        self._show_still_there(view)
        self.speech.follow(view, self.still_there if self.still_there.isVisible() else screen)
        self._show_speech()
        if view.step is Step.WELCOME:
            self._welcome_seen()

    def tick(self) -> None:
        """Let the flow's time pass; a citizen who walked away has their vote saved."""
        if self._closed or self.clerk_open():
            return
        ballot = self.flow.tick()
        if ballot is not None:
            log.info("a citizen walked away; saving what they gave")
            self._cast(ballot)
        self.render_flow()

    def current_screen(self) -> QWidget:
        """Return the screen on show."""
        return self._screens[self._shown_step or Step.WELCOME]

    def _act(self, action: Callable[[], object]) -> None:
        """Do what a screen asked of the flow, then render; a request the flow refuses is ignored."""
        try:
            action()
        except FlowError as exc:  # a double tap that arrived after the screen moved on
            log.info("ignored a late request: %s", exc)
        self.render_flow()

    def _start(self) -> None:
        """The big button: start, or say "please wait" during the cooldown."""
        if self._out_of_service is not None or self.flow.step is not Step.WELCOME:
            return
        if not self.flow.start():
            self.welcome.show_cooldown_message(True)
        self.render_flow()

    def _choose_target(self, target: Target | None) -> None:
        """A card (or "not sure") was tapped."""
        self._act(lambda: self.flow.choose_target(target))

    def _send(self) -> None:
        """Send: the flow hands back the ballot, the ledger thread casts it."""
        try:
            ballot = self.flow.finish()
        except FlowError as exc:
            log.info("ignored a late request: %s", exc)
            return
        self._cast(ballot)
        self.render_flow()

    def _retry(self) -> None:
        """Try again to save the same vote."""
        try:
            ballot = self.flow.retry()
        except FlowError as exc:
            log.info("ignored a late request: %s", exc)
            return
        self._cast(ballot)
        self.render_flow()

    def _cast(self, ballot: Ballot) -> None:
        """Hand a ballot to the ledger thread (saved or save_failed comes back)."""
        if self.ledger is None:
            log.error("a vote cannot be saved: this window has no ledger")
            self.flow.save_failed("not_open")
            return
        self.ledger.cast(ballot)

    def _saved(self, vote: Vote) -> None:
        """The ledger committed the vote: only now may the citizen be thanked."""
        if self.flow.step is Step.SAVING:
            self.flow.saved()
        else:  # pragma: no cover - one cast per SAVING; logged in case that ever changes
            log.warning("vote %d saved while the flow was on %s", vote.seq, self.flow.step.value)
        self.render_flow()

    def _save_failed(self, code: str, message: str) -> None:
        """The ledger could not keep the vote (its reason is in the log): the calm screen."""
        if self.flow.step is Step.SAVING:
            self.flow.save_failed(code)
        self.render_flow()

    def _speaker_tapped(self, bar: DisplayBar) -> None:
        """The speaker: spoken guidance on or off for this citizen, read again, or "no voice"."""
        action = speaker_action(
            guidance_on=self.flow.session.speech,
            speaking=self.speech.speaking(),
            available=self.speech.available(self.flow.session.lang),
        )
        if action in (SpeakerAction.TURN_ON, SpeakerAction.TURN_OFF):
            self._act(self.flow.toggle_speech)
        elif action is SpeakerAction.REPEAT:
            self.speech.read_current()
        else:
            bar.show_speech_notice()

    def _show_speech(self) -> None:
        """Show on every speaker whether there is a voice, guidance is on, and it is speaking."""
        if self._closed:
            return
        session = self.flow.session
        available = self.speech.available(session.lang)
        for bar in self.findChildren(DisplayBar):
            bar.show_speech(available=available, on=session.speech, speaking=self.speech.speaking())

    # -- updates (ui/update_scheduler.py) ---------------------------------------------------------

    def _welcome_seen(self) -> None:
        """The welcome screen is on show with the ledger open: this version is healthy."""
        if (
            self.update_scheduler is None
            or self._closed
            or not self.isVisible()
            or self.outer.currentWidget() is not self.stack
            or self.flow.step is not Step.WELCOME
            or self._out_of_service is not None
            or (self.ledger is not None and self.ledger.ledger is None)
        ):
            return
        self.update_scheduler.welcome_shown()

    def idle_for_update(self) -> bool:
        """Tell whether a new version may be switched to now: nobody is at the kiosk.

        The welcome screen with no cooldown message, no vote being saved, the clerk's screens
        closed, and nobody has touched the screen for QUIET_S.
        """
        return (
            not self._closed
            and not self.clerk_open()
            and self.flow.step is Step.WELCOME
            and self.flow.view().cooldown_remaining is None
            and (self.ledger is None or not self.ledger.saving())
            and self.flow.untouched_for(QUIET_S)
        )

    def _restart_for_update(self, version: str) -> None:
        """``current`` names version now: close the ledger and end the app with exit code 75."""
        log.info("version %s was switched to; closing the ledger and restarting", version)
        if self.ledger is not None:
            self.ledger.stop()
        self.quit_requested.emit(RESTART_EXIT_CODE)

    def _open_failed(self, code: str, message: str) -> None:
        """The ledger cannot be opened: the kiosk says it is out of service."""
        self._out_of_service = code
        self.welcome.set_out_of_service(code)
        self.render_flow()

    def _follow_switcher(self, language: str) -> None:
        """The UI language changed (a citizen screen's switch): this citizen's language too.

        The clerk's screens have a language of their own: switching to it is not a citizen's
        choice (render_flow puts the citizen's back when the clerk leaves)."""
        if self.clerk_open():
            return
        if self.flow.session.lang != language:
            self.flow.set_language(language)
            self.render_flow()

    def _show_still_there(self, view: View) -> None:
        """Show "are you still there?" with its countdown while the flow asks it."""
        overlay = self.still_there
        remaining = view.still_there_remaining
        if remaining is None:
            if overlay.isVisible():
                overlay.hide()
                self._screens[view.step].focus_first()
            return
        overlay.show_remaining(remaining)
        if not overlay.isVisible():
            overlay.setGeometry(self.rect())
            overlay.show()
            overlay.raise_()
            overlay.button.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        """Tell the flow about every tap and key press in this window; note who uses keys."""
        if event.type() in _TOUCHES and isinstance(watched, QWidget) and watched.window() is self:
            self.flow.touch()
            if isinstance(event, QKeyEvent):
                if event.key() in _FOCUS_KEYS:
                    self._set_keyboard_use(True)
            elif event.type() != QEvent.Type.Wheel:
                self._set_keyboard_use(False)
        return False

    def _set_keyboard_use(self, on: bool) -> None:
        """Show focus outlines to someone moving with keys, and hide them from fingers."""
        if self.property(KEYBOARD_USE_PROPERTY) != on:
            self.setProperty(KEYBOARD_USE_PROPERTY, on)
            repolish(self)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        """The window is on screen: if the welcome screen shows, this version is healthy."""
        super().showEvent(event)
        self._welcome_seen()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        """Keep the still-there layer over the whole window; say so if the screen is too small."""
        super().resizeEvent(event)
        self.still_there.setGeometry(self.rect())
        self.check_screen()

    def screen_check(self) -> ScreenCheck:
        """Measure the window, and in kiosk mode the panel's size in millimetres too."""
        width_mm = height_mm = 0.0
        screen = self.screen()
        if self._kiosk_mode and screen is not None:
            physical = screen.physicalSize()
            width_mm, height_mm = physical.width(), physical.height()
        return ScreenCheck(self.width(), self.height(), width_mm, height_mm)

    def check_screen(self) -> None:
        """Show the citizens' screens, or the notice if this screen is below the supported range."""
        check = self.screen_check()
        current = self.outer.currentWidget()
        if not check.large_enough and current is self.stack:
            log.warning(
                "the screen (%d x %d px) is below the supported range; a notice shows instead",
                check.width_px,
                check.height_px,
            )
            self.still_there.hide()
            self.outer.setCurrentWidget(self.too_small)
        elif check.large_enough and current is self.too_small:
            self.outer.setCurrentWidget(self.stack)
        if self.outer.currentWidget() is self.too_small:
            self.too_small.show_check(check)

    def present(self) -> None:
        """Show the window: full screen in kiosk mode, a tablet-sized window otherwise."""
        if self.full_screen is not None:
            self.full_screen.show()  # and kept so: screen changes, a minimise (ui/full_screen.py)
        else:
            self.resize(DEV_WINDOW_SIZE)
            self.show()

    def allow_close(self) -> None:
        """Let the next close request through (an orderly shutdown by the clerk, or a test)."""
        self._may_close = True

    def shutdown(self) -> bool:
        """Close the window even in kiosk mode; return whether it closed."""
        self.allow_close()
        return self.close()

    def retranslate_ui(self) -> None:
        """Set the window title in the current language."""
        self.setWindowTitle(self.tr("Happy District kiosk"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        """Retranslate when the application's language changes."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        """Refuse to close in kiosk mode (Alt+F4, a window manager, a stray close())."""
        if not self._may_close:
            log.info("ignored a request to close the kiosk window")
            event.ignore()
            return
        # A closed window lets no more time pass and renders nothing more (it may outlive the
        # event loop until deleted, and must not switch the language of whatever comes next).
        self._closed = True
        self.timer.stop()
        if self.clerk is not None:
            self.clerk.shutdown()  # a send or an export under way reports back first
        if self.sync_scheduler is not None:
            self.sync_scheduler.shutdown()  # retries stop; a request ends within its timeouts
        if self.update_scheduler is not None:
            self.update_scheduler.shutdown()  # a check or a download under way ends first
        self.speech.stop()
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        """Swallow Escape and Alt+F4 in kiosk mode so a citizen cannot leave the kiosk."""
        alt_f4 = event.key() == Qt.Key.Key_F4 and bool(
            event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if self._kiosk_mode and (event.key() == Qt.Key.Key_Escape or alt_f4):
            event.accept()
            return
        super().keyPressEvent(event)
