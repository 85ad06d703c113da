"""What impressed you: tags to tick, an optional story on the on-screen keyboard, and Send.

After an unhappy face (1 or 2) the same screen asks what could be better, with concern tags.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.demo import DEMO_ROSTER
from kiosk.flow import Step
from kiosk.setup import SUPPORTED_PANELS
from tests.ui.citizen.helpers import (
    STORY_TH,
    focused,
    human,
    shown_buttons,
    stored_votes,
    to_impression,
    type_on,
)
from ui.app import KioskWindow
from ui.citizen.impression import ImpressionScreen
from ui.screenshots.shared import settle
from ui.widgets.sizes import TOUCH_MIN_MM, assume_dpi, mm_to_px


@pytest.fixture
def impression(kiosk: KioskWindow, clock) -> KioskWindow:
    """The kiosk on "what impressed you"."""
    to_impression(kiosk, clock)
    assert kiosk.current_screen() is kiosk.impression
    human(clock)
    return kiosk


def test_the_question_and_the_roster_tags(qtbot, impression: KioskWindow) -> None:
    screen = impression.impression
    assert screen.title.text() == "อะไรที่ทำให้ท่านประทับใจ"
    assert [chip.text() for chip in screen.tag_chips.values()] == [
        t.label_th for t in DEMO_ROSTER.active_tags()
    ]
    assert screen.send_button.text() == "ส่งความเห็น"
    assert not screen.story_is_open()
    assert not screen.keyboard.isVisible()
    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: screen.title.text() == "What impressed you?")
    assert screen.tag_chips["fast"].text() == "Fast"
    assert screen.send_button.text() == "Send"


def test_tags_toggle_on_and_off(impression: KioskWindow) -> None:
    chips = impression.impression.tag_chips
    chips["fast"].click()
    chips["polite"].click()
    chips["clean"].click()
    chips["clean"].click()
    assert impression.flow.session.tags == {"fast", "polite"}
    assert [code for code, chip in chips.items() if chip.is_on()] == ["fast", "polite"]
    assert chips["fast"].isChecked()  # a screen reader hears "checked"
    assert impression.flow.step is Step.IMPRESSION


def test_the_keyboard_types_a_thai_story_into_the_flow(impression: KioskWindow) -> None:
    screen = impression.impression
    screen.write_button.click()
    assert screen.story_is_open()
    assert screen.keyboard.isVisible()
    assert screen.field.isVisible()
    assert not screen.tag_chips["fast"].isVisible()
    type_on(screen.keyboard, STORY_TH)
    assert impression.flow.session.story == STORY_TH
    assert screen.field.toPlainText() == STORY_TH

    screen.back_button.click()  # Back closes the keyboard first and keeps the story
    assert not screen.story_is_open()
    assert impression.current_screen() is screen
    assert screen.write_button.shown_text() == STORY_TH
    assert screen.write_button.accessibleName() == "แก้ไขเรื่องราวของท่าน"
    screen.back_button.click()  # then goes back a question
    assert impression.current_screen() is impression.target
    assert impression.flow.session.story == STORY_TH


def test_the_story_is_optional(impression: KioskWindow) -> None:
    screen = impression.impression
    assert "ไม่บังคับ" in screen.write_button.shown_text()
    screen.send_button.click()
    assert impression.flow.step in (Step.SAVING, Step.THANKS)


def test_every_control_is_a_named_touch_target(impression: KioskWindow) -> None:
    px_per_mm = impression.screen().physicalDotsPerInch() / 25.4
    screen = impression.impression
    for story in (False, True):
        if story:
            screen.write_button.click()
        for button in shown_buttons(screen):
            assert button.height() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
            assert button.width() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
            assert button.accessibleName().strip(), button.objectName()


def test_keys_alone_tick_tags_and_reach_send(qtbot, impression: KioskWindow) -> None:
    screen = impression.impression
    chips = list(screen.tag_chips.values())
    assert focused() is chips[0]
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: impression.flow.session.tags == {"convenient"})
    QTest.keyClick(focused(), Qt.Key.Key_Right)
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: impression.flow.session.tags == {"convenient", "fast"})
    for _ in range(len(chips)):
        if focused() is screen.write_button:
            break
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is screen.write_button
    QTest.keyClick(focused(), Qt.Key.Key_Return)
    qtbot.waitUntil(screen.story_is_open)
    assert focused() is screen.keyboard.key_buttons()[0]  # typing starts on the first key


def test_the_next_citizen_starts_with_an_empty_story(qtbot, impression: KioskWindow, clock) -> None:
    screen = impression.impression
    screen.write_button.click()
    type_on(screen.keyboard, "ดีมาก")
    with qtbot.waitSignal(impression.ledger.saved, timeout=10_000):
        screen.send_button.click()
    clock.advance(impression.flow.settings.thanks_s + impression.flow.settings.cooldown_s)
    impression.tick()
    assert impression.current_screen() is impression.welcome
    to_impression(impression, clock)
    assert screen.keyboard.text() == ""
    assert not screen.story_is_open()
    assert not any(chip.is_on() for chip in screen.tag_chips.values())


# --- after an unhappy face: what could be better ---------------------------------------------


def shown_labels(screen) -> list[str]:
    """Return the texts of the tag chips a citizen can see, in order."""
    chips = [*screen.tag_chips.values(), *screen.concern_chips.values()]
    return [chip.text() for chip in chips if chip.isVisible()]


@pytest.mark.parametrize("rating", [1, 2])
def test_an_unhappy_face_is_asked_what_could_be_better_with_concern_tags(
    qtbot, kiosk: KioskWindow, clock, rating: int
) -> None:
    to_impression(kiosk, clock, rating=rating)
    screen = kiosk.impression
    assert kiosk.current_screen() is screen
    assert screen.title.text() == "มีอะไรที่เราควรปรับปรุงบ้าง"
    assert screen.hint.text().startswith("ขออภัย")
    assert "ประทับใจ" not in screen.title.text() + screen.hint.text()
    assert shown_labels(screen) == [c.label_th for c in DEMO_ROSTER.active_concerns()]
    assert "เล่าสิ่งที่เกิดขึ้น" in screen.write_button.shown_text()
    assert "ประทับใจ" not in screen.write_button.accessibleDescription()
    assert focused() is screen.concern_chips["long-wait"]  # keys start on the first concern
    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: screen.title.text() == "What could we do better?")
    assert screen.hint.text() == (
        "We are sorry. Choose what went wrong, as many as you like, or none"
    )
    english = [c.label_en for c in DEMO_ROSTER.active_concerns()]
    qtbot.waitUntil(lambda: shown_labels(screen) == english)  # the pages refit to the words
    assert "what happened" in screen.write_button.shown_text()


@pytest.mark.parametrize("rating", [3, 4, 5])
def test_a_fair_or_happy_face_is_asked_what_impressed(kiosk: KioskWindow, clock, rating) -> None:
    to_impression(kiosk, clock, rating=rating)
    screen = kiosk.impression
    assert screen.title.text() == "อะไรที่ทำให้ท่านประทับใจ"
    assert shown_labels(screen) == [t.label_th for t in DEMO_ROSTER.active_tags()]


def test_concern_tags_are_sent_with_the_vote(qtbot, kiosk: KioskWindow, clock, data_dir) -> None:
    to_impression(kiosk, clock, rating=1)
    human(clock)
    screen = kiosk.impression
    screen.concern_chips["long-wait"].click()
    screen.concern_chips["sent-around"].click()
    assert screen.concern_chips["long-wait"].is_on()
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        screen.send_button.click()
    ballot = stored_votes(data_dir)[-1].ballot
    assert (ballot.rating, ballot.tags) == (1, ("long-wait", "sent-around"))


def test_a_rating_changed_across_the_line_changes_the_question_and_drops_the_tags(
    qtbot, kiosk: KioskWindow, clock, data_dir
) -> None:
    to_impression(kiosk, clock, rating=5)
    human(clock)
    screen = kiosk.impression
    screen.tag_chips["fast"].click()
    screen.back_button.click()
    kiosk.target.back_button.click()
    human(clock)
    kiosk.rating.faces[2].click()  # on second thought: unsatisfied
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert kiosk.current_screen() is screen
    assert screen.title.text() == "มีอะไรที่เราควรปรับปรุงบ้าง"
    assert kiosk.flow.session.tags == frozenset()  # "fast" was an answer to another question
    assert not screen.tag_chips["fast"].isVisible()
    assert not any(chip.is_on() for chip in screen.concern_chips.values())
    screen.concern_chips["paperwork"].click()
    screen.back_button.click()
    kiosk.target.back_button.click()
    human(clock)
    kiosk.rating.faces[1].click()  # still unhappy: the concern stands
    human(clock)
    kiosk.target.staff_cards[0].click()
    assert screen.concern_chips["paperwork"].is_on()
    with qtbot.waitSignal(kiosk.ledger.saved, timeout=10_000):
        screen.send_button.click()
    assert stored_votes(data_dir)[-1].ballot.tags == ("paperwork",)


def test_the_concern_question_is_what_the_speaker_reads(kiosk: KioskWindow, clock) -> None:
    to_impression(kiosk, clock, rating=2)
    spoken = kiosk.impression.spoken()
    assert spoken is not None
    assert spoken.question == "มีอะไรที่เราควรปรับปรุงบ้าง"
    assert spoken.choices == tuple(c.label_th for c in DEMO_ROSTER.active_concerns())
    assert spoken.actions[0] == "เขียนเล่าสิ่งที่เกิดขึ้น (ไม่บังคับ)"


def shows_whole(widget: QWidget, area: QScrollArea) -> bool:
    """Is the widget on show, whole, inside the list's view (not cut by its edge)?"""
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return widget.isVisible() and area.viewport().rect().contains(QRect(top_left, widget.size()))


def settle_tags(screen: ImpressionScreen) -> None:
    """Deliver events until the tags' room and page stop changing (the hint giving way, the
    page refitting to the room it leaves, take a few rounds)."""

    def state() -> tuple[object, ...]:
        chips = [*screen.shown_chips().values(), screen.findChild(QWidget, "moreTags")]
        shown = (c.geometry() for c in chips if c is not None and c.isVisible())
        return (screen.tags_scroll.geometry(), *shown)

    before = None
    for _round in range(10):
        settle()
        if state() == before:
            return
        before = state()


@pytest.mark.parametrize("panel", SUPPORTED_PANELS, ids=lambda p: f"{p.width_px}x{p.height_px}")
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("rating", [5, 1], ids=["tags", "concerns"])
def test_every_answer_shows_whole_or_behind_a_more_chip_and_two_rows_show(
    qtbot, make_kiosk, ledger_service, clock, panel, language: str, large: bool, rating: int
) -> None:
    """A citizen who does not know about scrolling finds every answer: each chip shows whole,
    or a chip that shows ("+ n more", a fingertip big, n true) turns to it; no chip is cut by
    the list's edge; at least two rows of chips show; the last page leads back to the first."""
    assume_dpi(panel.dpi)
    try:
        kiosk = make_kiosk(ledger=ledger_service)
        kiosk.resize(panel.width_px, panel.height_px)
        if language == "en":
            kiosk.welcome.language_button.click()
            qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
        to_impression(kiosk, clock, rating)
        if large:
            kiosk.impression.bar.large_text_button.click()
        screen = kiosk.impression
        settle_tags(screen)
        area = screen.tags_scroll
        chips = list(screen.shown_chips().values())
        more = screen.findChild(QWidget, "moreTags")
        seen: list[QWidget] = []
        for _page in chips:
            shown = [chip for chip in chips if chip.isVisible()]
            cut = [chip.text() for chip in shown if not shows_whole(chip, area)]
            assert not cut, f"chips not whole in the list's view: {cut}"
            tops = {chip.mapTo(screen, QPoint(0, 0)).y() for chip in shown}
            if more is not None and more.isVisible():
                tops.add(more.mapTo(screen, QPoint(0, 0)).y())
            if not seen:  # the first page: the room holds two rows at least
                assert len(tops) >= 2 or len(shown) == len(chips), "one row of answers"
            seen += [chip for chip in shown if chip not in seen]
            if more is None or not more.isVisible():
                break
            assert shows_whole(more, area)
            assert more.height() >= mm_to_px(more, TOUCH_MIN_MM)
            if len(seen) < len(chips):
                later = len(chips) - 1 - chips.index(shown[-1])
                assert str(later) in more.text()
            more.click()
            settle_tags(screen)
            if chips[0].isVisible():
                # Back to the first page; or the room grew meanwhile (the hint gave way late,
                # on a busy machine) and one page now holds them all: what shows is found.
                seen += [chip for chip in chips if chip.isVisible() and chip not in seen]
                break
        hidden = [chip.text() for chip in chips if chip not in seen]
        assert not hidden, f"answers a citizen cannot find without scrolling: {hidden}"
        assert chips[0].isVisible()
    finally:
        assume_dpi(None)


def test_the_hint_on_the_tags_does_not_show_over_the_keyboard(
    make_kiosk, ledger_service, clock
) -> None:
    """The hint ("choose as many as you like") speaks of the tags: with the keyboard open
    (the tags hidden) it does not show, even on the largest panel with room for it."""
    panel = max(SUPPORTED_PANELS, key=lambda p: p.width_px)
    assume_dpi(panel.dpi)
    try:
        kiosk = make_kiosk(ledger=ledger_service)
        kiosk.resize(panel.width_px, panel.height_px)
        to_impression(kiosk, clock)
        settle()
        screen = kiosk.impression
        assert screen.hint.isVisible()
        screen.write_button.click()
        settle()
        assert screen.field.isVisible()
        assert not screen.hint.isVisible()
        screen.back_button.click()
        settle()
        assert screen.hint.isVisible()
    finally:
        assume_dpi(None)


# --- a roster with no tags on offer -----------------------------------------------------------

NO_TAGS = replace(DEMO_ROSTER, tags=tuple(t.as_retired() for t in DEMO_ROSTER.tags), concerns=())


@pytest.mark.parametrize(
    ("rating", "hint_th", "hint_en"),
    [
        (5, "เล่าให้เราฟังสั้น ๆ", "Tell us in a few words if you like, or tap Send"),
        (1, "ขออภัย", "We are sorry. Tell us what went wrong if you like, or tap Send"),
    ],
    ids=["tags", "concerns"],
)
def test_with_no_tags_on_offer_the_question_asks_only_for_the_story(
    qtbot, make_kiosk, ledger_service, clock, data_dir, rating, hint_th, hint_en
) -> None:
    """No empty room where tags would be, and no "choose as many as you like": the question,
    a hint that the story is optional, the story box and Send, the story kept through Back."""
    kiosk = make_kiosk(ledger=ledger_service, roster=NO_TAGS)
    to_impression(kiosk, clock, rating)
    settle()
    screen = kiosk.impression
    assert not screen.offers_tags()
    assert not screen.tags_scroll.isVisible()
    assert shown_labels(screen) == []
    assert screen.hint.isVisible()
    assert screen.hint.text().startswith(hint_th)
    assert "เลือก" not in screen.hint.text()  # nothing to choose
    assert screen.write_button.isVisible()
    assert screen.send_button.isVisible()
    assert focused() is screen.send_button
    spoken = screen.spoken()
    assert spoken is not None
    assert spoken.choices == ()
    assert spoken.details == (screen.hint.text(),)
    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: screen.hint.text() == hint_en)

    screen.write_button.click()
    type_on(screen.keyboard, "ดีมาก")
    screen.back_button.click()  # the keyboard closes; still no room for tags
    settle()
    assert not screen.story_is_open()
    assert not screen.tags_scroll.isVisible()
    assert screen.write_button.shown_text() == "ดีมาก"
    human(clock)
    with qtbot.waitSignal(ledger_service.saved, timeout=10_000):
        screen.send_button.click()
    ballot = stored_votes(data_dir)[-1].ballot
    assert (ballot.rating, ballot.tags, ballot.story) == (rating, (), "ดีมาก")


def test_the_tags_room_follows_the_list_on_offer_when_the_rating_changes(
    make_kiosk, ledger_service, clock
) -> None:
    """Impression tags but no concern tags: a happy face sees tags, an unhappy one the story
    alone, and going back to a happy face brings the tags back."""
    kiosk = make_kiosk(ledger=ledger_service, roster=replace(DEMO_ROSTER, concerns=()))
    screen = kiosk.impression
    for rating, offered in ((5, True), (1, False), (4, True)):
        if kiosk.current_screen() is screen:
            screen.back_button.click()
            kiosk.target.back_button.click()
            human(clock)
            kiosk.rating.faces[rating].click()
            human(clock)
            kiosk.target.staff_cards[0].click()
        else:
            to_impression(kiosk, clock, rating)
        settle()
        assert screen.tags_scroll.isVisible() is offered, rating
        assert bool(shown_labels(screen)) is offered, rating
        assert screen.hint.text().startswith("เลือก") is offered, rating
