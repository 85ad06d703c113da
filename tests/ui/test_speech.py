"""Spoken guidance on the real kiosk: the speaker reads each screen, stops on moving on, resets.

English runs on Qt's own mock speech engine (QTextToSpeech("mock"): it has English voices and
reports every word it "says"). It has no Thai voice, which is how the no-voice fallback is
tested; the Thai words are checked on ui.speech.SilentEngine, which has a Thai voice.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.demo import demo_roster_with_staff
from kiosk.flow import Step
from kiosk.speech import Spoken
from tests.ui.citizen.helpers import human
from ui.app import KioskWindow
from ui.citizen.display_bar import DisplayBar
from ui.ledger_service import LedgerService
from ui.speech import ENGINE_ENV, SilentEngine, SpeechGuide, system_engine

FAST: float = 1.0  # the mock engine's quickest rate: 50 ms a word

WELCOME_EN = (
    "Happy District, Happiness can be built. Hua Taphan District, Amnat Charoen. "
    "Tap to rate our service."
)
RATING_EN = (
    "How satisfied are you with our service today? Tap the face that matches how you feel. "
    "Very satisfied. Satisfied. Fair. Unsatisfied. Very unsatisfied."
)
TARGET_EN = (
    "Who served you today? Not sure. Ms Kanda Jaidee. Mr Somchai Rakngan. Mrs Pornthip Srisuk. "
    "Mr Weera Mankong. Mr Ekkachai Boonma. Acting Sub-Lt Prasert Kaewmanee. Ms Arunee Thongdee. "
    "Mrs Sudarat Saengthong. Civil Registration. and 5 more; swipe the list to see them."
)
IMPRESSION_EN = (
    "What impressed you? Choose as many as you like, or none. Convenient. Fast. Polite staff. "
    "Clear steps. Clean place. Good advice. Friendly and smiling. Short wait. "
    "Caring for the elderly. Write about it (optional). Send your feedback."
)
IMPRESSION_CONCERN_EN = (
    "What could we do better? We are sorry. Choose what went wrong, as many as you like, or none. "
    "Long wait. Impolite staff. Unclear information. Too much paperwork. Sent from desk to desk. "
    "Had to come back again. Unfair queue. Write about what happened (optional). "
    "Send your feedback."
)
IMPRESSION_CONCERN_TH = (
    "มีอะไรที่เราควรปรับปรุงบ้าง ขออภัยที่บริการยังไม่ดีพอ เลือกเรื่องที่พบได้หลายข้อ หรือไม่เลือกก็ได้ "
    "รอนาน เจ้าหน้าที่ไม่สุภาพ ข้อมูลไม่ชัดเจน เอกสารยุ่งยาก ส่งต่อหลายจุด ต้องมาหลายครั้ง คิวไม่เป็นธรรม "
    "เขียนเล่าสิ่งที่เกิดขึ้น (ไม่บังคับ) ส่งความเห็นของท่าน"
)
STORY_EN = "Your story. Type your story with the keyboard below (optional). Send your feedback."
THANKS_EN = "Thank you for your feedback. Your answers have been saved."
STILL_THERE_EN = "Are you still there? The screen will start over in 15 seconds. I'm still here."
RATING_TH = (
    "ท่านพึงพอใจการให้บริการในวันนี้เพียงใด แตะใบหน้าที่ตรงกับความรู้สึกของท่าน "
    "พอใจมากที่สุด พอใจมาก พอใจปานกลาง ไม่พอใจ ไม่พอใจมาก"
)


def words(text: str) -> list[str]:
    """Return the words of a text as the mock engine reports them (split at non-word runs)."""
    return re.findall(r"\w+", text)


class Heard:
    """Every word an engine reports saying, in order."""

    def __init__(self, engine: QTextToSpeech | SilentEngine) -> None:
        self.words: list[str] = []
        engine.sayingWord.connect(lambda word, _id, _start, _length: self.words.append(word))

    def take(self) -> list[str]:
        """Return the words heard since the last take."""
        taken, self.words = self.words, []
        return taken


@pytest.fixture
def mock_guide() -> Iterator[SpeechGuide]:
    """A speech guide on Qt's mock engine, at its quickest rate."""
    engine = QTextToSpeech("mock")
    assert engine.state() == QTextToSpeech.State.Ready
    guide = SpeechGuide(engine, rate=FAST)
    yield guide
    guide.stop()


@pytest.fixture
def speaking_kiosk(
    make_kiosk: Callable[..., KioskWindow], ledger_service: LedgerService, mock_guide: SpeechGuide
) -> KioskWindow:
    """The demo kiosk with a real ledger, the fake clock and the mock speech engine."""
    return make_kiosk(ledger=ledger_service, speech=mock_guide)


def bar_of(window: KioskWindow) -> DisplayBar:
    """Return the display bar of the screen on show."""
    screen = window.current_screen()
    bar = screen.findChild(DisplayBar)
    assert bar is not None
    return bar


def finish_speaking(qtbot, window: KioskWindow) -> None:
    """Wait until the engine has said everything."""
    qtbot.waitUntil(lambda: not window.speech.speaking(), timeout=20_000)


def to_english(qtbot, window: KioskWindow) -> None:
    """Tap the language switch on the welcome."""
    window.welcome.language_button.click()
    qtbot.waitUntil(lambda: window.switcher.language == "en")


def test_every_screen_is_read_aloud_in_english(qtbot, speaking_kiosk: KioskWindow, clock) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    speaker = kiosk.welcome.bar.speaker_button
    assert speaker.text() == "Listen"
    speaker.click()
    assert kiosk.flow.session.speech
    qtbot.waitUntil(lambda: bar_of(kiosk).speaker_button.text() == "Stop")
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(WELCOME_EN)
    assert speaker.text() == "Listen again"

    # From now on each screen is read as it appears, without another tap.
    kiosk.welcome.start_button.click()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(RATING_EN)
    human(clock)
    kiosk.rating.faces[5].click()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(TARGET_EN)
    human(clock)
    kiosk.target.staff_cards[0].click()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(IMPRESSION_EN)
    kiosk.impression.write_button.click()  # the keyboard opens: the story view is read
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(STORY_EN)
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.thanks)
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(THANKS_EN)


def test_after_an_unhappy_face_the_concern_question_is_read(
    qtbot, speaking_kiosk: KioskWindow, clock
) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    kiosk.rating.bar.speaker_button.click()
    finish_speaking(qtbot, kiosk)
    human(clock)
    kiosk.rating.faces[1].click()
    finish_speaking(qtbot, kiosk)
    heard.take()
    human(clock)
    kiosk.target.not_sure_button.click()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(IMPRESSION_CONCERN_EN)


def test_the_concern_question_is_read_in_thai_with_a_thai_voice(
    qtbot, make_kiosk, ledger_service, clock
) -> None:
    engine = SilentEngine(("th_TH", "en_US"))
    kiosk = make_kiosk(ledger=ledger_service, speech=SpeechGuide(engine))
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[2].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    kiosk.impression.bar.speaker_button.click()
    qtbot.waitUntil(lambda: engine.said == [IMPRESSION_CONCERN_TH])


def test_speech_stops_when_the_citizen_moves_on(qtbot, speaking_kiosk: KioskWindow, clock) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    kiosk.rating.bar.speaker_button.click()
    qtbot.waitUntil(lambda: len(heard.words) >= 3)
    human(clock)
    kiosk.rating.faces[4].click()  # tapped in the middle of the reading
    cut_short = heard.take()
    assert cut_short == words(RATING_EN)[: len(cut_short)]
    assert len(cut_short) < len(words(RATING_EN))
    qtbot.waitUntil(lambda: len(heard.words) >= 2)
    assert heard.words[:2] == ["Who", "served"]  # the next screen from its first word

    # "Stop" while speaking ends the reading and the guidance for this citizen.
    bar = kiosk.target.bar
    assert bar.speaker_button.text() == "Stop"
    bar.speaker_button.click()
    assert not kiosk.speech.speaking()
    assert not kiosk.flow.session.speech
    assert bar.speaker_button.text() == "Listen"
    assert not bar.speaker_button.is_on()
    heard.take()
    human(clock)
    kiosk.target.not_sure_button.click()
    assert kiosk.current_screen() is kiosk.impression
    qtbot.wait(200)  # four words' time, had anything been said
    assert heard.take() == []


def test_listen_again_reads_the_same_screen_again(qtbot, speaking_kiosk: KioskWindow) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    kiosk.rating.bar.speaker_button.click()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(RATING_EN)
    assert kiosk.rating.bar.speaker_button.text() == "Listen again"
    kiosk.rating.bar.speaker_button.click()
    assert kiosk.flow.session.speech  # still on
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(RATING_EN)


def test_guidance_resets_for_the_next_citizen(qtbot, speaking_kiosk: KioskWindow, clock) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    kiosk.rating.bar.speaker_button.click()
    human(clock)
    kiosk.rating.faces[2].click()
    human(clock)
    kiosk.target.not_sure_button.click()
    human(clock)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.impression.send_button.click()
    qtbot.waitUntil(lambda: heard.words[:2] == ["Thank", "you"])  # thanks is being read
    clock.advance(kiosk.flow.settings.thanks_s)
    kiosk.tick()  # the thanks end in the middle of their reading: the next citizen
    assert kiosk.current_screen() is kiosk.welcome
    assert not kiosk.speech.speaking()
    assert not kiosk.flow.session.speech
    speaker = kiosk.welcome.bar.speaker_button
    assert not speaker.is_on()
    assert speaker.text() == "ไม่มีเสียงอ่าน"  # Thai again (which the mock engine cannot speak)
    assert kiosk.welcome.bar.speech_shown() == (False, False, False)
    heard.take()
    clock.advance(kiosk.flow.settings.cooldown_s)
    kiosk.welcome.start_button.click()
    assert kiosk.current_screen() is kiosk.rating
    qtbot.wait(200)
    assert heard.take() == []  # the next citizen hears nothing they did not ask for


def test_still_there_is_read_to_a_citizen_with_guidance(
    qtbot, speaking_kiosk: KioskWindow, clock
) -> None:
    kiosk = speaking_kiosk
    heard = Heard(kiosk.speech.engine)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    kiosk.rating.bar.speaker_button.click()
    finish_speaking(qtbot, kiosk)
    heard.take()
    clock.advance(kiosk.flow.settings.idle_timeout_s)
    kiosk.tick()
    assert kiosk.still_there.isVisible()
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(STILL_THERE_EN)
    kiosk.still_there.button.click()  # back to the question, which is read again
    finish_speaking(qtbot, kiosk)
    assert heard.take() == words(RATING_EN)


def test_a_long_roster_is_cut_short_with_how_many_more(
    qtbot, make_kiosk, ledger_service, mock_guide: SpeechGuide, clock
) -> None:
    kiosk = make_kiosk(ledger=ledger_service, roster=demo_roster_with_staff(40), speech=mock_guide)
    to_english(qtbot, kiosk)
    kiosk.welcome.start_button.click()
    human(clock)
    kiosk.rating.faces[5].click()
    kiosk.target.bar.speaker_button.click()
    qtbot.waitUntil(lambda: kiosk.speech.last_text != "")
    units = len(kiosk.target.unit_cards)
    assert kiosk.speech.last_text.startswith("Who served you today? Not sure. ")
    # "Not sure" and nine names are read; the rest of the 40 staff and the units are counted.
    assert kiosk.speech.last_text.endswith(
        f"and {40 + units - 9} more; swipe the list to see them."
    )


def test_thai_is_read_with_a_thai_voice(qtbot, make_kiosk, ledger_service) -> None:
    engine = SilentEngine(("th_TH", "en_US"))
    kiosk = make_kiosk(ledger=ledger_service, speech=SpeechGuide(engine))
    heard = Heard(engine)
    kiosk.welcome.start_button.click()
    speaker = kiosk.rating.bar.speaker_button
    assert speaker.text() == "ฟังเสียง"
    speaker.click()
    qtbot.waitUntil(lambda: engine.said == [RATING_TH])
    assert engine.locale().name() == "th_TH"
    qtbot.waitUntil(lambda: not kiosk.speech.speaking())
    assert heard.take() == RATING_TH.split(" ")
    assert speaker.text() == "ฟังอีกครั้ง"


def test_without_a_thai_voice_the_speaker_says_so_and_nothing_breaks(
    qtbot, speaking_kiosk: KioskWindow
) -> None:
    kiosk = speaking_kiosk  # Qt's mock engine: English voices only
    heard = Heard(kiosk.speech.engine)
    kiosk.welcome.start_button.click()
    bar = kiosk.rating.bar
    assert bar.speaker_button.text() == "ไม่มีเสียงอ่าน"
    assert bar.speaker_button.indicator() == "speaker_off"
    assert bar.speaker_button.accessibleName() == "ไม่มีเสียงอ่าน"
    assert not bar.speech_notice.isVisible()
    bar.speaker_button.click()
    assert bar.speech_notice.isVisible()
    assert bar.speech_notice.text() == "ขออภัย เครื่องนี้ยังอ่านออกเสียงภาษาไทยไม่ได้"
    assert not kiosk.flow.session.speech
    assert not kiosk.speech.speaking()
    # The note sits under the bar, inside the screen, over nothing the citizen must tap.
    notice = bar.speech_notice.geometry()
    assert kiosk.rating.rect().contains(notice)
    assert notice.top() >= bar.geometry().bottom()

    # In English there is a voice: the same button reads.
    bar.language_button.click()
    qtbot.waitUntil(lambda: bar.speaker_button.text() == "Listen")
    assert not bar.speech_notice.isVisible()
    assert bar.speaker_button.indicator() == "speaker"
    bar.speaker_button.click()
    qtbot.waitUntil(lambda: len(heard.words) > 0)
    # Back to Thai in the middle of a reading: it stops, and the speaker says there is no voice.
    bar.language_button.click()
    qtbot.waitUntil(lambda: bar.speaker_button.text() == "ไม่มีเสียงอ่าน")
    assert not kiosk.speech.speaking()
    assert kiosk.flow.session.speech  # still asked for: the English voice resumes in English
    bar.speaker_button.click()  # a tap now turns the guidance off
    assert not kiosk.flow.session.speech
    assert kiosk.flow.step is Step.RATING


def test_a_kiosk_with_no_speech_engine_at_all(
    qtbot, make_kiosk, ledger_service, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    monkeypatch.setenv(ENGINE_ENV, "none")
    assert system_engine() is None
    monkeypatch.setenv(ENGINE_ENV, "no-such-engine")
    with caplog.at_level(logging.WARNING, logger="ui.speech"):
        assert system_engine() is None
    assert "no-such-engine" in caplog.text
    monkeypatch.setenv(ENGINE_ENV, "none")
    kiosk = make_kiosk(ledger=ledger_service)  # the default: the system's engine, here none
    assert kiosk.speech.engine is None
    for lang in ("th", "en"):
        assert not kiosk.speech.available(lang)
    bar = kiosk.welcome.bar
    assert bar.speaker_button.text() == "ไม่มีเสียงอ่าน"
    bar.speaker_button.click()
    assert bar.speech_notice.isVisible()
    kiosk.welcome.start_button.click()
    assert kiosk.current_screen() is kiosk.rating  # the vote goes on as ever
    assert not kiosk.rating.bar.speech_notice.isVisible()


class LateEngine(SilentEngine):
    """Reports each change of state a turn of the event loop late, as speech-dispatcher's does.

    Qt's speechd engine says Speaking when speech-dispatcher reports the sound began, and Ready
    when it reports the end (or that what was stopped was cancelled): after ``say`` it is still
    Ready for a while, and a stopped reading's Ready can arrive after the next ``say``.
    """

    def _set_state(self, state: QTextToSpeech.State) -> None:
        """Change the state on the next turn of the event loop."""
        QTimer.singleShot(0, self, lambda: SilentEngine._set_state(self, state))


def test_a_reading_lasts_from_the_tap_to_its_end_when_the_engine_reports_late(qtbot) -> None:
    engine = LateEngine(("th_TH",), word_ms=100)
    guide = SpeechGuide(engine)
    seen: list[bool] = []
    guide.changed.connect(lambda: seen.append(guide.speaking()))
    assert guide.say(Spoken("หนึ่ง สอง สาม"), "th")
    assert guide.speaking()  # at once: the speaker button offers to stop, not to repeat
    qtbot.waitUntil(lambda: engine.state() == QTextToSpeech.State.Speaking)
    # Said again while speaking: the first reading's late Ready does not end the second one.
    seen.clear()
    assert guide.say(Spoken("สี่"), "th")
    assert guide.speaking()
    qtbot.waitUntil(lambda: seen[-1:] == [False], timeout=10_000)
    assert engine.said == ["หนึ่ง สอง สาม", "สี่"]
    assert len(seen) > 1
    assert all(seen[:-1]), seen  # speaking at every change until the very end
    assert engine.state() == QTextToSpeech.State.Ready
