"""The citizen's flow as a state machine without Qt (in the manner of Electrum's wizard).

    WELCOME → RATING → TARGET → IMPRESSION → SAVING → THANKS → WELCOME
                                               ↘ SAVE_FAILED → WELCOME

TARGET ("who served you") is asked only when the roster gives the citizen something to choose
there (``asks_who_served``); otherwise RATING leads straight to IMPRESSION, back goes straight
back, and the questions are counted as two.

IMPRESSION asks after a rating of 3 to 5 what impressed the citizen and offers the roster's
impression tags; after 1 or 2 it asks what could be better and offers the concern tags
(``asks_concerns``, ``offered_tags``). Someone who goes back and changes the rating across that
line loses the tags picked from the other list; the story, their own words, is kept.

What it promises:

* A citizen is thanked only after the ledger confirmed the vote: ``finish`` hands back the
  ballot and moves to SAVING; only ``saved`` moves to THANKS. ``save_failed`` moves to a calm
  SAVE_FAILED screen that never says the vote was kept.
* A citizen who walks away is not lost: after ``idle_timeout_s`` without a touch the screen
  asks "still there?" for ``still_there_s``; then, if a rating was chosen, the vote is saved
  with what was given so far, and otherwise the session is dropped.
* After each vote the next one can start only after ``cooldown_s`` (a gentle message says
  so), so one person cannot cast vote after vote in a moment.
* Taps faster than a person can make (a choice less than ``min_human_interval_s`` after the
  screen it was made on appeared) mark the vote with ``burst``; the vote is kept.
* Language, large text, high contrast and spoken guidance belong to one citizen and reset for
  the next.

Time comes only from the injected clock's ``monotonic()``; the UI calls ``tick`` about every
second and renders ``view()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Final

from kiosk.roster import Concern, Roster, Tag
from wire.clock import Clock
from wire.vote import LANGUAGES, Ballot, Target


class Step(Enum):
    """The screen the citizen is on."""

    WELCOME = "welcome"
    RATING = "rating"
    TARGET = "target"
    IMPRESSION = "impression"
    SAVING = "saving"
    THANKS = "thanks"
    SAVE_FAILED = "save_failed"


_ASKING: Final = (Step.RATING, Step.TARGET, Step.IMPRESSION)
# The faces that say the citizen was badly served: "very unsatisfied" and "unsatisfied". A 3,
# "fair" (พอใจปานกลาง), is still a satisfied answer and is asked what impressed.
CONCERN_RATINGS: Final = frozenset({1, 2})


def asks_concerns(rating: int | None) -> bool:
    """Tell whether a rating is asked what could be better (1, 2) rather than what impressed."""
    return rating in CONCERN_RATINGS


def offered_tags(roster: Roster, rating: int | None) -> tuple[Tag, ...] | tuple[Concern, ...]:
    """Return the quick-pick tags offered after this rating: the concern or the impression tags."""
    return roster.active_concerns() if asks_concerns(rating) else roster.active_tags()


def asks_who_served(roster: Roster) -> bool:
    """Tell whether "who served you" has anything but "not sure": an active staff member, unit or service."""
    return bool(roster.active_staff() or roster.active_units() or roster.active_services())


class FlowError(Exception):
    """A call that does not fit the current step (a bug in the caller, not the citizen)."""


@dataclass(frozen=True, slots=True)
class FlowSettings:
    """Timings of the flow, in seconds."""

    idle_timeout_s: float = 60.0
    still_there_s: float = 15.0
    cooldown_s: float = 10.0
    thanks_s: float = 6.0
    save_failed_s: float = 12.0
    min_human_interval_s: float = 0.25
    default_language: str = "th"

    def __post_init__(self) -> None:
        if self.default_language not in LANGUAGES:
            raise ValueError(f"default_language must be th or en, not {self.default_language!r}")
        for name in ("idle_timeout_s", "still_there_s", "cooldown_s", "thanks_s", "save_failed_s"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative")


@dataclass(frozen=True, slots=True)
class Session:
    """What one citizen has given so far, and their display choices."""

    rating: int | None = None
    target: Target | None = None
    target_chosen: bool = False  # "not sure" is a choice too
    service: str | None = None
    tags: frozenset[str] = frozenset()
    story: str = ""
    lang: str = "th"
    burst: bool = False
    large_text: bool = False
    high_contrast: bool = False
    speech: bool = False  # each screen is read aloud as it appears


@dataclass(frozen=True, slots=True)
class View:
    """Everything a screen needs to render, at one moment."""

    step: Step
    session: Session
    still_there_remaining: float | None = None
    cooldown_remaining: float | None = None
    walked_away: bool = False
    failure: str | None = None
    question: int | None = None  # the number of the question on show (None: not a question)
    questions: int = len(_ASKING)  # how many questions this citizen is asked
    concerns: bool = False  # IMPRESSION asks what could be better (after a rating of 1 or 2)


@dataclass(slots=True)
class Flow:
    """One kiosk's citizen flow. Not thread-safe: drive it from the GUI thread."""

    district: str
    clock: Clock
    settings: FlowSettings = field(default_factory=FlowSettings)
    asks_target: bool = True  # False skips "who served you" (see asks_who_served)
    step: Step = Step.WELCOME
    session: Session = field(init=False)
    _last_touch: float = field(init=False, default=0.0)
    _step_since: float = field(init=False, default=0.0)
    _cooldown_until: float = field(init=False, default=0.0)
    _pending: Ballot | None = field(init=False, default=None)
    _walked_away: bool = field(init=False, default=False)
    _failure: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.session = Session(lang=self.settings.default_language)
        self._last_touch = self._step_since = self.clock.monotonic()

    # --- what the screens show -----------------------------------------------------------

    def view(self) -> View:
        """The current step with its countdowns."""
        now = self.clock.monotonic()
        still_there = None
        if self.step in _ASKING and now >= self._last_touch + self.settings.idle_timeout_s:
            still_there = max(0.0, self._walk_away_at() - now)
        cooldown = None
        if self.step is Step.WELCOME and now < self._cooldown_until:
            cooldown = self._cooldown_until - now
        questions = self._questions()
        question = questions.index(self.step) + 1 if self.step in questions else None
        return View(
            self.step,
            self.session,
            still_there,
            cooldown,
            self._walked_away,
            self._failure,
            question,
            len(questions),
            asks_concerns(self.session.rating),
        )

    # --- citizen actions --------------------------------------------------------------------

    def touch(self) -> None:
        """Any tap or key press: the citizen is still there."""
        self._last_touch = self.clock.monotonic()

    def untouched_for(self, seconds: float) -> bool:
        """Tell whether nobody has touched the screen (or made a choice) for ``seconds``."""
        return self.clock.monotonic() >= self._last_touch + seconds

    def start(self) -> bool:
        """Tap on the welcome screen: begin, unless the cooldown after the last vote runs."""
        self._expect(Step.WELCOME)
        self.touch()
        if self.clock.monotonic() < self._cooldown_until:
            return False
        self._go(Step.RATING)
        return True

    def choose_rating(self, rating: int) -> None:
        """One tap on a face: 1 (very unsatisfied) to 5 (most satisfied); moves on.

        A new rating on the other side of the 2/3 line drops the tags picked so far: they are
        from the list the impression screen no longer offers.
        """
        self._expect(Step.RATING)
        if rating not in (1, 2, 3, 4, 5):
            raise FlowError(f"rating must be 1 to 5, not {rating!r}")
        self._choice()
        tags = self.session.tags
        if asks_concerns(rating) != asks_concerns(self.session.rating):
            tags = frozenset()
        self.session = replace(self.session, rating=rating, tags=tags)
        self._go(Step.TARGET if self.asks_target else Step.IMPRESSION)

    def choose_target(self, target: Target | None) -> None:
        """Who served the citizen, or None for "not sure"; moves on."""
        self._expect(Step.TARGET)
        self._choice()
        self.session = replace(self.session, target=target, target_chosen=True)
        self._go(Step.IMPRESSION)

    def choose_service(self, service: str | None) -> None:
        """Which service they came for (optional, on the same screen as the target)."""
        self._expect(Step.TARGET)
        self.touch()
        self.session = replace(self.session, service=service)

    def toggle_tag(self, tag: str) -> None:
        """Pick or unpick a quick-pick tag (an impression or a concern tag, by its code)."""
        self._expect(Step.IMPRESSION)
        self._choice()
        tags = self.session.tags ^ {tag}
        self.session = replace(self.session, tags=frozenset(tags))

    def set_story(self, story: str) -> None:
        """The story as typed so far on the on-screen keyboard."""
        self._expect(Step.IMPRESSION)
        self.touch()
        self.session = replace(self.session, story=story)

    def back(self) -> None:
        """Go back one question (keeping what was given)."""
        self.touch()
        questions = self._questions()
        if self.step in questions[1:]:
            self._go(questions[questions.index(self.step) - 1])
        elif self.step is Step.TARGET:  # the roster emptied while this citizen was on it
            self._go(Step.RATING)
        else:
            raise FlowError(f"cannot go back from {self.step.value}")

    def finish(self) -> Ballot:
        """Send the vote (from the impression screen, story optional): returns the ballot to save."""
        self._expect(Step.IMPRESSION)
        self._choice()
        return self._save(walked_away=False)

    def set_language(self, lang: str) -> None:
        """Switch this citizen's language (ไทย / English) on any screen."""
        if lang not in LANGUAGES:
            raise FlowError(f"language must be th or en, not {lang!r}")
        self.touch()
        self.session = replace(self.session, lang=lang)

    def toggle_large_text(self) -> None:
        """Large text on or off, for this citizen."""
        self.touch()
        self.session = replace(self.session, large_text=not self.session.large_text)

    def toggle_high_contrast(self) -> None:
        """High contrast on or off, for this citizen."""
        self.touch()
        self.session = replace(self.session, high_contrast=not self.session.high_contrast)

    def toggle_speech(self) -> None:
        """Spoken guidance on or off, for this citizen."""
        self.touch()
        self.session = replace(self.session, speech=not self.session.speech)

    def still_here(self) -> None:
        """The citizen answered "still there?": carry on where they were."""
        self.touch()

    # --- results of saving (from the ledger worker) --------------------------------------------

    def saved(self) -> None:
        """The ledger committed the vote: thank the citizen (or, after a walk-away, wait for the next)."""
        self._expect(Step.SAVING)
        self._pending = None
        if self._walked_away:
            self._reset()
            return
        self._cooldown_until = self.clock.monotonic() + self.settings.cooldown_s
        self._go(Step.THANKS)

    def save_failed(self, reason: str) -> None:
        """The ledger could not keep the vote: a calm message, never "saved"."""
        self._expect(Step.SAVING)
        self._failure = reason
        self._go(Step.SAVE_FAILED)

    def retry(self) -> Ballot:
        """Try to save the same vote again from the failure screen."""
        self._expect(Step.SAVE_FAILED)
        if self._pending is None:  # pragma: no cover - SAVE_FAILED always has a pending vote
            raise FlowError("nothing to retry")
        self.touch()
        self._failure = None
        self._go(Step.SAVING)
        return self._pending

    # --- time -------------------------------------------------------------------------------

    def tick(self) -> Ballot | None:
        """Let time pass: timeouts, walk-away (returns the ballot to save), screens that end."""
        now = self.clock.monotonic()
        if self.step in _ASKING:
            if now >= self._walk_away_at():
                if self.session.rating is None:
                    self._reset()
                    return None
                return self._save(walked_away=True)
        elif (self.step is Step.THANKS and now >= self._step_since + self.settings.thanks_s) or (
            self.step is Step.SAVE_FAILED and now >= self._step_since + self.settings.save_failed_s
        ):
            self._reset()
        return None

    # Each timeout is a moment compared with the clock, never an elapsed time compared with a
    # limit: (t + 60) - t can come out a hair under 60 in floating point, and a clock moved on
    # by exactly the limit must reach it.
    def _walk_away_at(self) -> float:
        """The moment a citizen who stopped touching the screen has walked away."""
        return self._last_touch + (self.settings.idle_timeout_s + self.settings.still_there_s)

    # --- inside --------------------------------------------------------------------------------

    def _save(self, walked_away: bool) -> Ballot:
        s = self.session
        if s.rating is None:  # pragma: no cover - callers only save after a rating
            raise FlowError("no rating chosen")
        ballot = Ballot(
            district=self.district,
            rating=s.rating,
            target=s.target,
            service=s.service,
            tags=tuple(sorted(s.tags)),
            story=s.story,
            lang=s.lang,
            burst=s.burst,
        )
        self._pending = ballot
        self._walked_away = walked_away
        self._go(Step.SAVING)
        return ballot

    def _questions(self) -> tuple[Step, ...]:
        if self.asks_target:
            return _ASKING
        return (Step.RATING, Step.IMPRESSION)

    def _choice(self) -> None:
        now = self.clock.monotonic()
        if now < self._step_since + self.settings.min_human_interval_s:
            self.session = replace(self.session, burst=True)
        self._last_touch = now

    def _go(self, step: Step) -> None:
        self.step = step
        self._step_since = self.clock.monotonic()

    def _reset(self) -> None:
        self.session = Session(lang=self.settings.default_language)
        self._pending = None
        self._walked_away = False
        self._failure = None
        self._go(Step.WELCOME)

    def _expect(self, *steps: Step) -> None:
        if self.step not in steps:
            raise FlowError(f"not possible on the {self.step.value} screen")
