"""Spoken guidance: the screen's question and choices read aloud through Qt TextToSpeech.

``SpeechGuide`` owns one speech engine. The kiosk window tells it, on every render, which screen
the citizen is on (``follow``); when this citizen has spoken guidance on, each screen is read as
it appears, and whatever was being said stops as soon as the citizen moves on or the next citizen
starts. The words come from the screen's ``spoken()`` (kiosk/speech.py composes them), so what
is heard is what is shown, in the session's language.

The engine is injected: the kiosk takes the system's engine (speech-dispatcher on Linux, with
espeak-ng's Thai voice as the deploy installs it, docs/deploy.md; SAPI or WinRT on Windows;
``SANGSUK_SPEECH_ENGINE`` names another, or ``none``), the tests take Qt's
``mock`` engine, and the screenshots a ``SilentEngine``. A voice is chosen by locale for the
session's language; when there is none (no engine, or no Thai voice installed) the speaker button
says so instead of reading Thai with an English voice, and nothing ever raises.

Qt TextToSpeech is optional: it loads QtMultimedia, which needs the system's libpulse.so.0. When
it cannot be loaded the reason is logged (with the package to install) and the kiosk runs
without a voice, its speaker showing "No voice". So it is imported only where an engine is made.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Final, Protocol, TypeAlias

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from kiosk.flow import Step, View
from kiosk.speech import Spoken, pick_locale, utterance
from ui.preflight import optional_module

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

ENGINE_ENV: Final = "SANGSUK_SPEECH_ENGINE"
DEFAULT_RATE: Final = -0.15  # a little slower than the engine's normal pace, for older citizens
SPEECH_MODULE: Final = "PySide6.QtTextToSpeech"
_UNSET: Final = object()
_default_engine_name: object = _UNSET  # found once per process: probing prints warnings
log = logging.getLogger(__name__)


def _states() -> type[QTextToSpeech.State]:
    """Return Qt's speech states; only called once an engine exists, so the module has loaded."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    return QTextToSpeech.State


class SpokenSource(Protocol):
    """A screen (or overlay) that can say what it shows."""

    def spoken(self) -> Spoken | None:
        """Return what the screen says aloud now, or None when it has nothing to read."""
        ...


class SilentEngine(QObject):
    """A speech engine that makes no sound: it has voices for the given locales and reports each word.

    It behaves as Qt's mock engine does (words one by one from the event loop, then Ready), but
    with the locales asked for; the mock engine has no Thai voice. Used by ui.screenshots and by
    the tests that check what is said in Thai; it needs Qt TextToSpeech for its states.
    """

    stateChanged = Signal(object)  # noqa: N815 (Qt's signal names); carries a QTextToSpeech.State
    sayingWord = Signal(str, int, int, int)  # noqa: N815

    def __init__(
        self,
        locales: tuple[str, ...] = ("th_TH", "en_US"),
        parent: QObject | None = None,
        *,
        word_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        self._locales = [QLocale(name) for name in locales]
        self._locale = self._locales[0] if self._locales else QLocale.c()
        self._state = _states().Ready
        self._words: list[tuple[str, int]] = []
        self.said: list[str] = []  # every text it was asked to say, in order
        self._timer = QTimer(self)
        self._timer.setInterval(word_ms)  # a long pause keeps it "speaking" for a screenshot
        self._timer.timeout.connect(self._next_word)

    def availableLocales(self) -> list[QLocale]:  # noqa: N802 (Qt's API)
        """Return the locales it has a voice for."""
        return list(self._locales)

    def locale(self) -> QLocale:
        """Return the locale it speaks in."""
        return self._locale

    def setLocale(self, locale: QLocale) -> None:  # noqa: N802 (Qt's API)
        """Speak in locale, if it has a voice for it."""
        if locale in self._locales:
            self._locale = locale

    def setRate(self, rate: float) -> None:  # noqa: N802 (Qt's API)
        """Accept a rate (there is no sound to slow down)."""

    def state(self) -> QTextToSpeech.State:
        """Return whether it is speaking."""
        return self._state

    def say(self, text: str) -> None:
        """Start "saying" text: its words are reported one by one."""
        self.stop()
        self.said.append(text)
        self._words = []
        start = 0
        for word in text.split(" "):
            if word:
                self._words.append((word, start))
            start += len(word) + 1
        self._set_state(_states().Speaking)
        self._timer.start()

    def stop(self) -> None:
        """Stop at once."""
        self._timer.stop()
        self._words = []
        self._set_state(_states().Ready)

    def _next_word(self) -> None:
        """Report the next word, or finish."""
        if not self._words:
            self.stop()
            return
        word, start = self._words.pop(0)
        self.sayingWord.emit(word, 0, start, len(word))

    def _set_state(self, state: QTextToSpeech.State) -> None:
        """Change the state and tell listeners."""
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)


Engine: TypeAlias = "QTextToSpeech | SilentEngine"


def system_engine(parent: QObject | None = None) -> QTextToSpeech | None:
    """Return the system's speech engine, or None if it has none that starts.

    ``SANGSUK_SPEECH_ENGINE`` may name an engine (``none`` for no speech). Otherwise every engine
    Qt offers except the silent ``mock`` is tried once per process, the first that starts kept.
    None, too, when Qt TextToSpeech itself cannot be loaded (the reason is logged once).
    """
    global _default_engine_name
    wanted = os.environ.get(ENGINE_ENV, "").strip()
    if wanted.lower() == "none":
        return None
    module = optional_module(SPEECH_MODULE, "spoken guidance")
    if module is None:
        return None
    engine_class: type[QTextToSpeech] = module.QTextToSpeech
    if wanted:
        names = [wanted]
    elif _default_engine_name is _UNSET:
        names = [name for name in engine_class.availableEngines() if name != "mock"]
    elif isinstance(_default_engine_name, str):
        names = [_default_engine_name]
    else:
        names = []
    for name in names:
        engine = engine_class(name, parent)
        if engine.state() != engine_class.State.Error:
            if not wanted:
                _default_engine_name = name
            return engine
        log.warning("speech engine %s cannot start: %s", name, engine.errorString())
        engine.deleteLater()
    if not wanted:
        _default_engine_name = None
    return None


class SpeechGuide(QObject):
    """Reads the citizen's screen aloud in the session's language, when the citizen asked for it."""

    changed = Signal()  # speaking started or stopped, or the voices changed

    def __init__(
        self,
        engine: Engine | None = None,
        parent: QObject | None = None,
        *,
        rate: float = DEFAULT_RATE,
    ) -> None:
        super().__init__(parent)
        self._engine = engine
        self._source: SpokenSource | None = None
        self._lang = "th"
        self._on = False
        self._followed: tuple[object, ...] | None = None
        self.last_text = ""  # what was last handed to the engine (for the log and the tests)
        # Handed to the engine, which has not said it started yet: speech-dispatcher's engine
        # reports Speaking only when the sound begins, and a Ready still on its way from what was
        # stopped must not end this reading.
        self._starting = False
        # Reading waits for the events already posted: after a language switch the screens
        # retranslate on a posted event, and must be read in the new language.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.read_current)
        if engine is not None:
            if engine.parent() is None:
                engine.setParent(self)
            engine.setRate(rate)
            engine.stateChanged.connect(self._engine_state)

    @classmethod
    def for_system(cls, parent: QObject | None = None) -> SpeechGuide:
        """Return a guide on the system's speech engine (it may have no voice at all)."""
        return cls(system_engine(), parent)

    @property
    def engine(self) -> Engine | None:
        """Return the speech engine, or None when the kiosk has none."""
        return self._engine

    def available(self, lang: str) -> bool:
        """Tell whether there is a voice for lang ("th" or "en")."""
        return self._locale_for(lang) is not None

    def speaking(self) -> bool:
        """Tell whether the engine is speaking now (or about to start reading a screen)."""
        if self._pending.isActive() or self._starting:
            return True
        return self._engine is not None and self._engine.state() in (
            _states().Speaking,
            _states().Synthesizing,
        )

    def _locale_for(self, lang: str) -> QLocale | None:
        """Return the engine's locale for lang, or None if it has no voice for it."""
        engine = self._engine
        if engine is None or engine.state() == _states().Error:
            return None
        locales = {locale.name(): locale for locale in engine.availableLocales()}
        chosen = pick_locale(lang, list(locales))
        return locales[chosen] if chosen is not None else None

    # -- following the citizen ---------------------------------------------------------------

    def follow(self, view: View, source: SpokenSource | None) -> None:
        """The kiosk rendered view with source on top: read it if it is new and guidance is on.

        Anything still being said stops when the screen, the language or the citizen's choice
        changes; the same screen rendered again (a tag ticked, a countdown) is not read again.
        """
        key = (view.step, view.session.lang, view.session.speech, id(source))
        if key == self._followed:
            return
        self._followed = key
        self._source = source
        self._lang = view.session.lang
        self._on = view.session.speech and view.step is not Step.SAVING
        self.stop()
        if self._on and self.available(self._lang):
            self._pending.start()

    def refresh(self) -> None:
        """The screen on show changed what it says (the story keyboard opened): read it again."""
        self.stop()
        if self._on and self.available(self._lang):
            self._pending.start()

    def read_current(self) -> bool:
        """Read the screen on show now; return whether anything is being said."""
        source = self._source
        spoken = source.spoken() if source is not None else None
        return spoken is not None and self.say(spoken, self._lang)

    def say(self, spoken: Spoken, lang: str) -> bool:
        """Say what a screen says in lang; return False (and say nothing) without a voice for it."""
        engine = self._engine
        locale = self._locale_for(lang)
        if engine is None or locale is None:
            log.info("no voice for %s: spoken guidance is not available", lang)
            return False
        text = utterance(spoken, lang)
        if not text:
            return False
        self.stop()
        engine.setLocale(locale)
        self.last_text = text
        self._starting = True
        engine.say(text)  # Qt's mock engine reports Speaking at once, clearing _starting
        return True

    def stop(self) -> None:
        """Stop speaking at once (and do not start what was about to be read)."""
        self._pending.stop()
        self._starting = False
        if self._engine is not None and self._engine.state() not in (
            _states().Ready,
            _states().Error,
        ):
            self._engine.stop()

    def _engine_state(self, state: QTextToSpeech.State) -> None:
        """The engine started, ended or failed: tell the speaker button."""
        if state != _states().Ready:
            self._starting = False
        self.changed.emit()
