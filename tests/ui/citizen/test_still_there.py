""" "Are you still there?" after a while without a touch, and a walk-away vote kept with its rating."""

from __future__ import annotations

from pathlib import Path

from kiosk.flow import FlowSettings, Step
from tests.ui.citizen.helpers import human, stored_votes, to_impression, to_target
from ui.app import TICK_INTERVAL_MS, KioskWindow
from wire.vote import Target

IDLE = FlowSettings().idle_timeout_s
STILL_THERE = FlowSettings().still_there_s


def test_still_there_appears_after_the_idle_time_and_counts_down(kiosk: KioskWindow, clock) -> None:
    to_target(kiosk, clock)
    overlay = kiosk.still_there
    clock.advance(IDLE - 1)
    kiosk.tick()
    assert not overlay.isVisible()
    clock.advance(1)
    kiosk.tick()
    assert overlay.isVisible()
    assert overlay.title.text() == "ท่านยังอยู่หรือไม่"
    assert overlay.button.text() == "ยังอยู่"
    assert overlay.countdown.text() == "หน้าจอจะเริ่มใหม่ใน 15 วินาที"
    clock.advance(4.5)
    kiosk.tick()
    assert overlay.seconds() == 11
    assert overlay.countdown.text() == "หน้าจอจะเริ่มใหม่ใน 11 วินาที"
    assert overlay.button.hasFocus()  # keyboard users can answer with Enter


def test_i_am_still_here_carries_on_where_the_citizen_was(kiosk: KioskWindow, clock) -> None:
    to_target(kiosk, clock)
    clock.advance(IDLE + 3)
    kiosk.tick()
    assert kiosk.still_there.isVisible()
    kiosk.still_there.button.click()
    assert not kiosk.still_there.isVisible()
    assert kiosk.current_screen() is kiosk.target
    clock.advance(STILL_THERE + 5)
    kiosk.tick()
    assert kiosk.flow.step is Step.TARGET  # the idle time started again


def test_still_there_in_english_says_one_second(qtbot, kiosk: KioskWindow, clock) -> None:
    kiosk.welcome.language_button.click()
    to_target(kiosk, clock)
    clock.advance(IDLE + STILL_THERE - 0.5)
    kiosk.tick()
    qtbot.waitUntil(lambda: kiosk.still_there.title.text() == "Are you still there?")
    assert kiosk.still_there.countdown.text() == "The screen will start over in 1 second"
    assert kiosk.still_there.button.text() == "I'm still here"


def test_a_citizen_who_walks_away_has_the_vote_kept(
    qtbot, kiosk: KioskWindow, clock, data_dir: Path
) -> None:
    to_impression(kiosk, clock, rating=4)
    human(clock)
    kiosk.impression.tag_chips["polite"].click()
    clock.advance(IDLE + STILL_THERE)
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        kiosk.tick()  # the walk-away ballot goes to the ledger
    qtbot.waitUntil(lambda: kiosk.current_screen() is kiosk.welcome)
    assert not kiosk.still_there.isVisible()
    assert not kiosk.thanks.isVisible()  # nobody there to thank
    (vote,) = stored_votes(data_dir)
    ballot = vote.ballot
    assert (ballot.rating, ballot.target, ballot.tags, ballot.story) == (
        4,
        Target("staff", "s01"),
        ("polite",),
        "",
    )
    kiosk.welcome.start_button.click()
    assert kiosk.flow.step is Step.RATING  # no cooldown after a walk-away


def test_walking_away_before_a_rating_stores_nothing(kiosk: KioskWindow, clock, data_dir) -> None:
    kiosk.welcome.start_button.click()
    clock.advance(IDLE + STILL_THERE)
    kiosk.tick()
    assert kiosk.current_screen() is kiosk.welcome
    assert stored_votes(data_dir) == []


def test_the_window_timer_lets_time_pass_by_itself(
    qtbot, make_kiosk, ledger_service, clock
) -> None:
    window = make_kiosk(ledger=ledger_service, timer=True)
    assert window.timer.isActive()
    assert 250 <= TICK_INTERVAL_MS == window.timer.interval() <= 500
    to_target(window, clock)
    clock.advance(IDLE + 1)
    qtbot.waitUntil(window.still_there.isVisible, timeout=3000)  # no tick() from the test
