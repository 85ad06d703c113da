"""Spoken guidance without Qt: the utterance a screen makes, the voice it picks, the button's action."""

from __future__ import annotations

import pytest

from kiosk.flow import Flow, Step
from kiosk.speech import (
    MOST_CHOICES_READ,
    SpeakerAction,
    Spoken,
    clean,
    pick_locale,
    speaker_action,
    utterance,
)
from tests.fakes import FakeClock
from wire.clock import Clock

FACES_EN = Spoken(
    "How satisfied are you with our service today?",
    ("Tap the face that matches how you feel",),
    ("Very satisfied", "Satisfied", "Fair", "Unsatisfied", "Very unsatisfied"),
)


def test_english_reads_question_details_and_choices_as_sentences() -> None:
    assert utterance(FACES_EN, "en") == (
        "How satisfied are you with our service today? Tap the face that matches how you feel. "
        "Very satisfied. Satisfied. Fair. Unsatisfied. Very unsatisfied."
    )


def test_thai_is_joined_with_spaces_and_gets_no_full_stops() -> None:
    spoken = Spoken(
        "ท่านพึงพอใจการให้บริการในวันนี้เพียงใด",
        ("แตะใบหน้าที่ตรงกับความรู้สึกของท่าน",),
        ("พอใจมากที่สุด", "พอใจมาก", "พอใจปานกลาง", "ไม่พอใจ", "ไม่พอใจมาก"),
    )
    assert utterance(spoken, "th") == (
        "ท่านพึงพอใจการให้บริการในวันนี้เพียงใด แตะใบหน้าที่ตรงกับความรู้สึกของท่าน "
        "พอใจมากที่สุด พอใจมาก พอใจปานกลาง ไม่พอใจ ไม่พอใจมาก"
    )
    assert "." not in utterance(spoken, "th")


def test_shown_texts_are_cleaned_for_the_voice() -> None:
    assert clean("← Back") == "Back"
    assert clean("Saving…") == "Saving"
    assert (
        clean("Happy District — Happiness\ncan be built")
        == "Happy District, Happiness can be built"
    )
    assert clean("  ↑ Shift ") == "Shift"
    spoken = Spoken("", ("", "  "), ("", "Send"))
    assert utterance(spoken, "en") == "Send."  # empty parts are skipped, never read as pauses


def test_a_long_list_is_cut_short_and_says_how_many_more() -> None:
    names = tuple(f"Staff {n}" for n in range(1, 41))
    spoken = Spoken(
        "Who served you today?",
        choices=names,
        more="and %1 more; swipe to see them",
        actions=("← Back",),
    )
    text = utterance(spoken, "en")
    # The actions are read even when the list is cut short.
    left_out = 40 - MOST_CHOICES_READ
    assert text.endswith(
        f"Staff {MOST_CHOICES_READ}. and {left_out} more; swipe to see them. Back."
    )
    assert f"Staff {MOST_CHOICES_READ + 1}." not in text
    # Without a "more" text the list is still cut, never read to the end.
    assert f"Staff {MOST_CHOICES_READ + 1}" not in utterance(Spoken("Q", choices=names), "en")
    # A list exactly as long as the limit is read whole, with no "more".
    exact = Spoken("Q", choices=names[:MOST_CHOICES_READ], more="and %1 more")
    assert "more" not in utterance(exact, "en")


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="th or en"):
        utterance(FACES_EN, "fr")
    with pytest.raises(ValueError, match="at least 1"):
        utterance(FACES_EN, "en", most=0)
    with pytest.raises(ValueError, match="th or en"):
        pick_locale("de", ["de_DE"])


@pytest.mark.parametrize(
    ("lang", "available", "chosen"),
    [
        ("th", ["en_US", "th_TH"], "th_TH"),
        ("th", ["en-US", "th-TH"], "th_TH"),  # BCP 47 names too
        ("en", ["en_GB", "en_US", "fi_FI"], "en_US"),
        ("en", ["en_GB", "nb_NO"], "en_GB"),  # any English when there is no American voice
        ("th", ["en_GB", "en_US", "nb_NO", "nn_NO", "fi_FI"], None),  # Qt's mock engine
        ("en", [], None),
    ],
)
def test_a_voice_of_the_sessions_language_or_none(
    lang: str, available: list[str], chosen: str | None
) -> None:
    assert pick_locale(lang, available) == chosen


@pytest.mark.parametrize(
    ("guidance_on", "speaking", "available", "action"),
    [
        (False, False, True, SpeakerAction.TURN_ON),
        (True, True, True, SpeakerAction.TURN_OFF),
        (True, False, True, SpeakerAction.REPEAT),
        (False, False, False, SpeakerAction.EXPLAIN),
        (True, False, False, SpeakerAction.TURN_OFF),  # switched to a language with no voice
    ],
)
def test_what_the_speaker_button_does(
    guidance_on: bool, speaking: bool, available: bool, action: SpeakerAction
) -> None:
    assert speaker_action(guidance_on=guidance_on, speaking=speaking, available=available) is action


def test_spoken_guidance_belongs_to_one_citizen(clock: FakeClock) -> None:
    flow = Flow("3706", clock)
    assert not flow.view().session.speech
    flow.toggle_speech()  # on the welcome, before starting
    assert flow.start()
    clock.advance(2)
    flow.choose_rating(5)
    assert flow.view().session.speech  # carried through the questions
    clock.advance(2)
    flow.choose_target(None)
    flow.finish()
    flow.saved()
    clock.advance(flow.settings.thanks_s)
    flow.tick()
    assert flow.step is Step.WELCOME
    assert not flow.view().session.speech  # the next citizen starts without it


def test_toggling_speech_counts_as_a_touch(clock: Clock) -> None:
    flow = Flow("3706", clock)
    flow.start()
    assert isinstance(clock, FakeClock)
    clock.advance(flow.settings.idle_timeout_s - 1)
    flow.toggle_speech()
    clock.advance(2)
    assert flow.view().still_there_remaining is None
