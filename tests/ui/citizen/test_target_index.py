"""Who served you, on a long roster: the index of first letters over the staff cards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.demo import DEMO_ROSTER, demo_roster_with_staff
from kiosk.flow import FlowSettings, Step
from kiosk.setup import SUPPORTED_PANELS, Panel
from kiosk.staff_index import INDEX_ABOVE_STAFF, staff_index
from tests.ui.citizen.helpers import focused, human, to_target
from tests.ui.layout_checks import problems
from ui.app import KioskWindow
from ui.citizen.target import TargetScreen
from ui.citizen.target_index import LetterChip
from ui.screenshots.shared import settle
from ui.speech import SilentEngine, SpeechGuide
from ui.widgets.sizes import assume_dpi
from ui.widgets.style import KEYBOARD_USE_PROPERTY, repolish
from wire.vote import Target

ROSTER = demo_roster_with_staff(40)
IDLE = FlowSettings().idle_timeout_s + FlowSettings().still_there_s


@pytest.fixture
def long_roster(make_kiosk, ledger_service, clock) -> KioskWindow:
    """The kiosk of a district with 40 staff, on "who served you" in Thai."""
    window = make_kiosk(ledger=ledger_service, roster=ROSTER)
    to_target(window, clock)
    human(clock)
    return window


def chip(screen: TargetScreen, letter: str) -> LetterChip:
    """Return the chip of a letter, turning the index to its page as a citizen would."""
    index = screen.letter_index
    for _ in index.pages():
        if letter in index.page_of_letters():
            break
        index.page_chip.click()
    found = next(c for c in index.letter_chips if c.letter == letter)
    assert found.isVisible(), letter
    return found


def shown_ids(screen: TargetScreen) -> list[str]:
    """Return the ids of the staff whose cards show, in order."""
    return [c.target.id for c in screen.staff_cards if c.isVisible() and c.target is not None]


def ids_under(letter: str, lang: str) -> list[str]:
    """Return the ids the domain index puts under a letter."""
    return [i for e in staff_index(ROSTER, lang) if e.letter == letter for i in e.ids()]


def test_where_there_is_room_the_first_view_shows_the_services_above_the_letters(
    long_roster: KioskWindow,
) -> None:
    screen = long_roster.target  # 1280 x 800: the services, the letters, three rows of cards
    settle()
    assert screen.cards_scroll.verticalScrollBar().value() == 0
    assert box_in_view(screen, screen.services_box)
    assert box_in_view(screen, screen.letter_index)
    assert whole_rows_in_view(screen) >= 2


def test_a_short_roster_has_no_index(kiosk: KioskWindow, clock) -> None:
    assert len(DEMO_ROSTER.active_staff()) <= INDEX_ABOVE_STAFF
    to_target(kiosk, clock)
    screen = kiosk.target
    assert not screen.letter_index.isVisible()
    assert screen.index_letters() == []
    assert all(card.isVisible() for card in screen.staff_cards)


def test_a_letter_shows_its_staff_and_a_second_tap_shows_all(
    qtbot, long_roster: KioskWindow
) -> None:
    screen = long_roster.target
    assert screen.letter_index.isVisible()
    assert screen.index_letters() == [e.letter for e in staff_index(ROSTER, "th")]
    assert screen.index_letters()[0] == "ก"
    assert screen.letter_index.all_chip.text() == "ทั้งหมด"
    assert screen.letter_index.all_chip.is_on()
    assert len(shown_ids(screen)) == 40

    chip(screen, "ส").click()
    assert shown_ids(screen) == ids_under("ส", "th")
    assert {c.avatar.letters() for c in screen.shown_staff_cards()} == {"ส"}  # as on the cards
    assert chip(screen, "ส").is_on()
    assert not screen.letter_index.all_chip.is_on()
    assert all(card.isVisible() for card in screen.unit_cards)  # the units stay
    assert screen.not_sure_button.isVisible()

    chip(screen, "ส").click()  # the chosen letter again: all of them
    assert len(shown_ids(screen)) == 40
    assert screen.letter_index.all_chip.is_on()

    chip(screen, "ก").click()
    assert shown_ids(screen) == ids_under("ก", "th")
    assert "s01" in shown_ids(screen)  # นางสาวกานดา
    screen.letter_index.all_chip.click()
    assert len(shown_ids(screen)) == 40
    assert screen.chosen_letter() == ""


def test_a_card_tapped_after_a_letter_is_the_vote_s_target(long_roster: KioskWindow) -> None:
    screen = long_roster.target
    chip(screen, "อ").click()
    second = screen.shown_staff_cards()[1]
    second.click()
    assert long_roster.flow.step is Step.IMPRESSION
    assert long_roster.flow.session.target == Target("staff", ids_under("อ", "th")[1])


def test_every_letter_can_be_reached_through_the_pages(long_roster: KioskWindow) -> None:
    index = long_roster.target.letter_index
    pages = index.pages()
    assert len(pages) > 1  # 14 letters do not fit one row at 1280 x 800
    seen: list[str] = []
    for _ in pages:
        seen += index.page_of_letters()
        assert index.page_chip.isVisible()
        index.page_chip.click()
    assert seen == long_roster.target.index_letters()
    assert index.page_of_letters() == [c.letter for c in pages[0]]  # back to the first page
    assert focused() is pages[0][0]  # the eye and the keys go on from the page's first letter
    rows = {c.mapToGlobal(QPoint(0, 0)).y() for c in index.chips() if c.isVisible()}
    assert len(rows) == 1  # one row, never wrapped


def test_back_from_the_tags_finds_the_letter_and_the_card_chosen(
    long_roster: KioskWindow, clock
) -> None:
    screen = long_roster.target
    chip(screen, "ร").click()
    card = screen.shown_staff_cards()[-1]
    card.click()
    human(clock)
    long_roster.impression.back_button.click()
    assert long_roster.current_screen() is screen
    assert screen.chosen_letter() == "ร"
    assert shown_ids(screen) == ids_under("ร", "th")
    assert card.is_chosen()
    assert card.isVisible()


def test_the_language_switch_gives_the_letters_of_the_names_shown(
    qtbot, long_roster: KioskWindow
) -> None:
    screen = long_roster.target
    chip(screen, "ก").click()
    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: screen.index_letters() == [e.letter for e in staff_index(ROSTER, "en")])
    assert screen.index_letters()[:3] == ["A", "B", "C"]
    # Other letters, other groups: the choice goes back to all the staff.
    assert screen.chosen_letter() == ""
    assert len(shown_ids(screen)) == 40
    assert screen.letter_index.all_chip.text() == "All"
    k = chip(screen, "K")
    assert k.accessibleName() == "Names starting with K"
    k.click()
    assert shown_ids(screen) == ids_under("K", "en")
    assert screen.shown_staff_cards()[0].name.full_text() == "Ms Kanda Jaidee"


def test_the_next_citizen_after_an_idle_reset_starts_with_all(
    qtbot, long_roster: KioskWindow, clock
) -> None:
    screen = long_roster.target
    chip(screen, "ป").click()
    assert len(shown_ids(screen)) < 40
    clock.advance(IDLE + 1)
    long_roster.tick()
    qtbot.waitUntil(lambda: long_roster.current_screen() is long_roster.welcome)
    clock.advance(FlowSettings().cooldown_s + 1)
    to_target(long_roster, clock)
    assert long_roster.current_screen() is screen
    assert screen.chosen_letter() == ""
    assert screen.letter_index.all_chip.is_on()
    assert len(shown_ids(screen)) == 40
    assert screen.cards_scroll.verticalScrollBar().value() == 0  # the services show again


def test_keys_reach_the_letters_and_choose_one(qtbot, long_roster: KioskWindow) -> None:
    long_roster.setProperty(KEYBOARD_USE_PROPERTY, True)
    repolish(long_roster)
    screen = long_roster.target
    assert focused() is screen.staff_cards[0]
    QTest.keyClick(focused(), Qt.Key.Key_Up)  # from the first row up to the letters
    chips = screen.letter_index.chips()
    assert focused() in chips
    first = screen.letter_index.letter_chips[0]
    while focused() is not first:
        before = focused()
        after = chips.index(before) < chips.index(first)  # type: ignore[arg-type]
        QTest.keyClick(before, Qt.Key.Key_Right if after else Qt.Key.Key_Left)
        assert focused() is not before
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: screen.chosen_letter() == "ก")
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # down to the cards of that letter
    assert focused() in screen.shown_staff_cards()
    # Tab goes from the letters to the cards too.
    screen.letter_index.all_chip.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in range(len(screen.letter_index.chips())):
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        if focused() in screen.shown_staff_cards():
            break
    assert focused() is screen.shown_staff_cards()[0]


def test_the_speaker_reads_the_staff_shown_and_the_chips_have_names(
    qtbot, make_kiosk, ledger_service, clock
) -> None:
    engine = SilentEngine(("th_TH", "en_US"))
    window = make_kiosk(ledger=ledger_service, roster=ROSTER, speech=SpeechGuide(engine))
    to_target(window, clock)
    screen = window.target
    assert chip(screen, "ก").accessibleName() == "ชื่อขึ้นต้นด้วย ก"
    assert screen.letter_index.all_chip.accessibleName() == "เจ้าหน้าที่ทั้งหมด"
    pages = screen.letter_index.pages()
    assert screen.letter_index.page_chip.accessibleName() == (
        f"ตัวอักษร {pages[1][0].letter} ถึง {pages[1][-1].letter}"
    )
    chip(screen, "ก").click()
    screen.bar.speaker_button.click()
    qtbot.waitUntil(lambda: window.speech.last_text != "")
    said = window.speech.last_text
    assert said.startswith("ท่านได้รับบริการจากใคร")
    assert "ชื่อขึ้นต้นด้วย ก" in said
    for card in screen.shown_staff_cards():
        assert card.name.full_text() in said
    assert "นายสมชาย รักงาน" not in said  # under ส: not shown, not read
    chip(screen, "ก").click()  # all again: read again, the letter words gone
    qtbot.waitUntil(lambda: "ชื่อขึ้นต้นด้วย" not in window.speech.last_text)


@pytest.fixture
def smallest_panel() -> Iterator[Panel]:
    """Size millimetres as the 1024x600 10-inch panel does (118 dpi), then believe the screen."""
    assume_dpi(SUPPORTED_PANELS[0].dpi)
    yield SUPPORTED_PANELS[0]
    assume_dpi(None)


def box_in_view(screen: TargetScreen, widget: QWidget) -> bool:
    """Tell whether the whole widget shows in the list's view as it is scrolled now."""
    viewport = screen.cards_scroll.viewport()
    return viewport.rect().contains(QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size()))


def whole_rows_in_view(screen: TargetScreen) -> int:
    """Return how many rows of staff cards show whole in the list's view."""
    return len({c.y() for c in screen.shown_staff_cards() if box_in_view(screen, c)})


@pytest.mark.parametrize("language", ["th", "en"])
def test_on_the_smallest_panel_a_letter_s_staff_all_show_without_a_swipe(
    qtbot, make_kiosk, ledger_service, clock, smallest_panel: Panel, language: str
) -> None:
    window = make_kiosk(ledger=ledger_service, roster=ROSTER)
    window.resize(smallest_panel.width_px, smallest_panel.height_px)
    if language == "en":
        window.welcome.language_button.click()
        qtbot.waitUntil(lambda: window.target.index_letters()[0] == "A")
    to_target(window, clock)
    screen = window.target
    qtbot.waitUntil(lambda: box_in_view(screen, screen.staff_cards[0]))
    # The first view: the letters and two whole rows of cards under them; the services above
    # them (not room for both) are one swipe back.
    qtbot.waitUntil(lambda: whole_rows_in_view(screen) >= 2)
    assert box_in_view(screen, screen.letter_index)
    assert screen.cards_scroll.verticalScrollBar().value() > 0
    assert not box_in_view(screen, screen.services_box)
    # Every letter with up to four staff: its cards all show, whole, the letters above them.
    few = [e for e in staff_index(ROSTER, language) if len(e.staff) <= 4]
    assert len(few) >= 5
    for entry in few:
        chip(screen, entry.letter).click()
        cards = screen.shown_staff_cards()
        assert [c.target.id for c in cards if c.target] == list(entry.ids())
        qtbot.waitUntil(lambda cards=cards: all(box_in_view(screen, c) for c in cards))
        assert box_in_view(screen, screen.letter_index)
        settle()  # the chips the page shows, laid out
        found = problems(window)
        assert found == [], f"{entry.letter}: " + "\n".join(found)
    # All again: the list stays at the letters, two whole rows of cards under them.
    screen.letter_index.all_chip.click()
    qtbot.waitUntil(lambda: len(shown_ids(screen)) == 40)
    qtbot.waitUntil(lambda: whole_rows_in_view(screen) >= 2)
    assert box_in_view(screen, screen.letter_index)
    settle()
    assert problems(window) == []


def test_on_the_smallest_panel_the_services_open_where_the_citizen_swiped_back_to_them(
    qtbot, make_kiosk, ledger_service, clock, smallest_panel: Panel
) -> None:
    window = make_kiosk(ledger=ledger_service, roster=ROSTER)
    window.resize(smallest_panel.width_px, smallest_panel.height_px)
    to_target(window, clock)
    screen = window.target
    bar = screen.cards_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)  # the first view begins at the letters
    bar.setValue(0)  # a swipe back to the services
    assert box_in_view(screen, screen.more_services)
    folded = [code for code, c in screen.service_chips.items() if c.isHidden()]
    screen.more_services.click()
    settle()
    assert bar.value() == 0  # the list stays on the services, now all of them
    assert box_in_view(screen, screen.service_chips[folded[0]])
    screen.service_chips[folded[0]].click()
    settle()
    assert window.flow.session.service == folded[0]
    assert bar.value() == 0
    chip(screen, screen.index_letters()[0]).click()  # a letter: the list goes to its staff
    qtbot.waitUntil(lambda: all(box_in_view(screen, c) for c in screen.shown_staff_cards()))
