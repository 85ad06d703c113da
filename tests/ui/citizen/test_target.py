"""Who served you: the roster's active staff and units as cards, "not sure", an optional service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScroller, QWidget

from kiosk.demo import DEMO_ROSTER, demo_roster_with_staff
from kiosk.flow import Step
from kiosk.roster import Roster, Unit, save_roster, store_photo
from kiosk.setup import SUPPORTED_PANELS, Panel
from tests.ui.citizen.helpers import focused, human, shown_buttons, stored_votes, to_target
from ui.app import KioskWindow
from ui.citizen.target import TargetScreen
from ui.screenshots.citizen import LONG_NAMES_ROSTER, LONG_SERVICE
from ui.screenshots.shared import settle
from ui.widgets.sizes import TOUCH_MIN_MM, assume_dpi
from wire.vote import Target


@pytest.fixture
def target(kiosk: KioskWindow, clock) -> KioskWindow:
    """The kiosk on "who served you", after a rating of 5."""
    to_target(kiosk, clock)
    assert kiosk.current_screen() is kiosk.target
    human(clock)
    return kiosk


def names(window: KioskWindow) -> list[str]:
    """Return the names on the staff cards, in order."""
    return [card.name.full_text() for card in window.target.staff_cards]


def test_the_active_staff_and_units_are_shown_retired_ones_are_not(
    qtbot, target: KioskWindow
) -> None:
    screen = target.target
    assert screen.title.text() == "ท่านได้รับบริการจากใคร"
    assert names(target) == [m.name_th for m in DEMO_ROSTER.active_staff()]
    assert "นายไพโรจน์ ใจกว้าง" not in names(target)  # s09 was transferred away
    assert [c.name.full_text() for c in screen.unit_cards] == [
        u.name_th for u in DEMO_ROSTER.active_units()
    ]
    first = screen.staff_cards[0]
    assert first.detail.full_text() == "เจ้าพนักงานปกครอง"
    assert first.avatar.letters() == "ก"  # initials in a coloured circle: no photo
    assert first.accessibleName() == "นางสาวกานดา ใจดี"
    assert screen.not_sure_button.name.full_text() == "ไม่แน่ใจ"

    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: names(target)[0] == "Ms Kanda Jaidee")
    assert first.avatar.letters() == "KJ"
    assert first.detail.full_text() == "Administration Officer"
    assert screen.not_sure_button.name.full_text() == "Not sure"
    assert screen.service_chips["id-card"].text() == "ID card"


def test_a_tap_on_a_card_chooses_and_moves_on(target: KioskWindow) -> None:
    target.target.staff_cards[1].click()
    assert target.flow.session.target == Target("staff", "s02")
    assert target.flow.step is Step.IMPRESSION


def test_a_unit_can_be_chosen_instead_of_a_person(target: KioskWindow) -> None:
    target.target.unit_cards[1].click()
    assert target.flow.session.target == Target("unit", "id-card")


def test_not_sure_is_a_choice_too(target: KioskWindow) -> None:
    target.target.not_sure_button.click()
    session = target.flow.session
    assert (session.target, session.target_chosen) == (None, True)
    assert target.flow.step is Step.IMPRESSION


def test_the_service_is_optional_and_a_second_tap_clears_it(target: KioskWindow) -> None:
    chips = target.target.service_chips
    chips["birth"].click()
    assert target.flow.session.service == "birth"
    assert chips["birth"].is_on()
    assert target.flow.step is Step.TARGET  # choosing a service does not move on
    chips["id-card"].click()
    assert (chips["birth"].is_on(), chips["id-card"].is_on()) == (False, True)
    chips["id-card"].click()
    assert target.flow.session.service is None
    assert not any(chip.is_on() for chip in chips.values())


def test_back_returns_to_the_faces_and_the_choice_is_shown_on_return(
    target: KioskWindow, clock
) -> None:
    target.target.staff_cards[2].click()
    human(clock)
    target.impression.back_button.click()
    assert target.current_screen() is target.target
    assert [c.is_chosen() for c in target.target.staff_cards[:4]] == [False, False, True, False]
    target.target.back_button.click()
    assert target.current_screen() is target.rating


def test_an_empty_roster_skips_who_served_you(
    qtbot, make_kiosk, ledger_service, clock, data_dir: Path
) -> None:
    """After setup with no staff, units or services, a face leads straight to the impressions."""
    window = make_kiosk(ledger=ledger_service, roster=Roster())
    window.welcome.start_button.click()
    assert window.rating.progress.text() == "ข้อ 1 จาก 2"
    human(clock)
    window.rating.faces[4].click()
    assert window.current_screen() is window.impression
    assert window.impression.progress.text() == "ข้อ 2 จาก 2"
    window.impression.back_button.click()
    assert window.current_screen() is window.rating
    human(clock)
    window.rating.faces[2].click()
    assert window.current_screen() is window.impression
    human(clock)
    with qtbot.waitSignal(window.ledger.saved, timeout=10_000):
        window.impression.send_button.click()
    (vote,) = stored_votes(data_dir)
    assert (vote.ballot.rating, vote.ballot.target) == (2, None)


def test_the_question_comes_back_when_the_clerk_adds_a_unit(make_kiosk, ledger_service, clock):
    window = make_kiosk(ledger=ledger_service, roster=Roster())
    window.apply_roster(Roster(units=(Unit("u01", "งานทะเบียน", "Registration"),)))
    to_target(window, clock)
    assert window.current_screen() is window.target
    assert window.target.progress.text() == "ข้อ 2 จาก 3"
    assert [card.name.full_text() for card in window.target.unit_cards] == ["งานทะเบียน"]


def test_forty_staff_scroll_by_a_swipe(qtbot, make_kiosk, ledger_service, clock) -> None:
    window = make_kiosk(ledger=ledger_service, roster=demo_roster_with_staff(40))
    to_target(window, clock)
    screen = window.target
    assert len(screen.staff_cards) == 40
    last = screen.staff_cards[-1]
    assert last.visibleRegion().isEmpty()  # below the fold
    viewport = screen.cards_scroll.viewport()
    assert QScroller.hasScroller(viewport)  # a finger or mouse drag on the cards scrolls them
    # Swipe up as a finger does, as the viewport's gesture drives its scroller: press, drag
    # 400 px, let go; again until the last card shows. (Synthetic mouse events reach Qt's
    # gesture recognizer only in the first window a test process makes, so the scroller is
    # driven directly.)
    scroller = QScroller.scroller(viewport)
    bar = screen.cards_scroll.verticalScrollBar()
    x, y = viewport.width() / 2, viewport.height() - 20
    for swipe in range(8):
        if not last.visibleRegion().isEmpty():
            break
        t = swipe * 10_000
        scroller.handleInput(QScroller.Input.InputPress, QPointF(x, y), t)
        for step in range(1, 21):
            scroller.handleInput(
                QScroller.Input.InputMove, QPointF(x, y - 20 * step), t + 20 * step
            )
        scroller.handleInput(QScroller.Input.InputRelease, QPointF(x, y - 400), t + 420)
        qtbot.waitUntil(lambda: scroller.state() is QScroller.State.Inactive, timeout=10_000)
        assert bar.value() > 0
    assert not last.visibleRegion().isEmpty()
    assert swipe >= 2  # it took more than one swipe: forty staff do not fit on one screen
    assert window.flow.step is Step.TARGET  # a drag is not a tap
    last.click()
    assert window.flow.session.target == Target("staff", "s40")


def test_two_staff_fit_without_scrolling(make_kiosk, ledger_service, clock) -> None:
    window = make_kiosk(ledger=ledger_service, roster=demo_roster_with_staff(2))
    to_target(window, clock)
    assert names(window) == ["นางสาวกานดา ใจดี", "นายสมชาย รักงาน"]
    assert window.target.cards_scroll.verticalScrollBar().value() == 0
    for card in window.target.staff_cards:  # whole, under the services, before any swipe
        assert card.visibleRegion().boundingRect() == card.rect()


def test_a_staff_photo_is_shown_instead_of_initials(
    qtbot, make_kiosk, ledger_service, clock, data_dir: Path, tmp_path: Path
) -> None:
    picture = QImage(120, 160, QImage.Format.Format_RGB32)
    picture.fill(QColor("#3366AA"))
    source = tmp_path / "kanda.png"
    assert picture.save(str(source))
    member = DEMO_ROSTER.staff[0]
    stored = store_photo(data_dir, member.id, source)
    roster = DEMO_ROSTER.with_staff(replace(member, photo=stored))
    save_roster(data_dir, roster)
    window = make_kiosk(ledger=ledger_service, roster=roster)
    to_target(window, clock)
    card = window.target.staff_cards[0]
    assert card.avatar.has_photo()
    image = card.avatar.grab().toImage()
    centre = QColor(image.pixel(image.width() // 2, image.height() // 2))
    assert centre == QColor("#3366AA")
    assert not window.target.staff_cards[1].avatar.has_photo()


def test_every_control_is_a_named_touch_target(target: KioskWindow) -> None:
    px_per_mm = target.screen().physicalDotsPerInch() / 25.4
    buttons = shown_buttons(target.target)
    assert len(buttons) > 20
    for button in buttons:
        assert button.height() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
        assert button.width() >= TOUCH_MIN_MM * px_per_mm, button.objectName()
        assert button.accessibleName().strip(), button.objectName()


def test_keys_alone_move_through_the_cards_and_choose(qtbot, target: KioskWindow) -> None:
    cards = target.target.staff_cards
    assert focused() is cards[0]
    QTest.keyClick(focused(), Qt.Key.Key_Right)
    assert focused() is cards[1]
    QTest.keyClick(focused(), Qt.Key.Key_Down)  # the card below, in the next row
    below = focused()
    assert below in cards
    assert below.y() > cards[1].y()
    assert abs(below.x() - cards[1].x()) < 5
    QTest.keyClick(focused(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: target.flow.step is Step.IMPRESSION)
    assert target.flow.session.target == below.target


def test_no_name_is_cut_in_either_language_or_with_large_text(qtbot, target: KioskWindow) -> None:
    screen = target.target

    def cut() -> list[str]:
        found = []
        for card in screen.cards():
            for label in (card.name, card.detail):
                if not label.isVisible():
                    continue
                metrics = QFontMetrics(label.font())
                room = label.contentsRect().width() - max(0, label.indent())
                lines = label.text().split("\n")
                if any(metrics.horizontalAdvance(line) > room for line in lines) or (
                    label.height() < label.heightForWidth(label.width())
                ):
                    found.append(label.full_text())
        return found

    assert cut() == []
    assert screen.not_sure_button.detail.indent() == 0  # a stylesheet frame adds none
    screen.bar.large_text_button.click()
    qtbot.waitUntil(lambda: cut() == [])
    screen.bar.language_button.click()
    qtbot.waitUntil(lambda: screen.not_sure_button.detail.full_text() == "Skip this question")
    qtbot.waitUntil(lambda: cut() == [])
    screen.bar.large_text_button.click()
    qtbot.waitUntil(lambda: cut() == [])


@pytest.fixture
def smallest_panel():
    """Size millimetres as the 1024x600 10-inch panel does (118 dpi), then believe the screen."""
    assume_dpi(SUPPORTED_PANELS[0].dpi)
    yield SUPPORTED_PANELS[0]
    assume_dpi(None)


def in_first_view(window: KioskWindow, card: QWidget) -> bool:
    """Tell whether the whole card shows in the list's first view, without a swipe."""
    viewport = window.target.cards_scroll.viewport()
    box = QRect(card.mapTo(viewport, QPoint(0, 0)), card.size())
    return viewport.rect().contains(box)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("staff", [6, 40])
def test_on_the_smallest_panel_the_first_view_shows_staff_and_more_services_behind_a_chip(
    qtbot, make_kiosk, ledger_service, clock, smallest_panel, staff, language, large
) -> None:
    kiosk = make_kiosk(ledger=ledger_service, roster=demo_roster_with_staff(staff))
    kiosk.resize(smallest_panel.width_px, smallest_panel.height_px)
    if language == "en":
        kiosk.welcome.language_button.click()
        qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
    to_target(kiosk, clock)
    if large:
        kiosk.target.bar.large_text_button.click()
    screen = kiosk.target
    qtbot.waitUntil(lambda: in_first_view(kiosk, screen.staff_cards[0]))
    assert screen.services_folded()
    hidden = [code for code, chip in screen.service_chips.items() if chip.isHidden()]
    assert hidden
    more = "อีก" if language == "th" else "more"
    assert screen.more_services.text() == (
        f"{more} {len(hidden)} เรื่อง" if language == "th" else f"{len(hidden)} {more}"
    )
    screen.more_services.click()
    assert not screen.services_folded()
    assert all(not chip.isHidden() for chip in screen.service_chips.values())
    screen.service_chips[hidden[-1]].click()  # a folded service can be chosen
    assert kiosk.flow.session.service == hidden[-1]


def test_a_chosen_service_is_never_folded_away(
    qtbot, make_kiosk, ledger_service, clock, smallest_panel
) -> None:
    kiosk = make_kiosk(ledger=ledger_service, roster=demo_roster_with_staff(40))
    kiosk.resize(smallest_panel.width_px, smallest_panel.height_px)
    to_target(kiosk, clock)
    screen = kiosk.target
    screen.more_services.click()
    last = list(screen.service_chips)[-1]
    screen.service_chips[last].click()
    human(clock)
    screen.staff_cards[0].click()  # on to the tags, then Back
    kiosk.impression.back_button.click()
    assert kiosk.current_screen() is screen
    assert not screen.service_chips[last].isHidden()
    assert screen.service_chips[last].is_on()


def test_a_screen_with_room_for_the_whole_list_shows_every_service(
    make_kiosk, ledger_service, clock
) -> None:
    # Two staff and no units at 1280 x 800 (the test screen's density): all of it fits.
    kiosk = make_kiosk(ledger=ledger_service, roster=replace(demo_roster_with_staff(2), units=()))
    to_target(kiosk, clock)
    assert not kiosk.target.services_folded()
    assert all(chip.isVisible() for chip in kiosk.target.service_chips.values())


@pytest.fixture(params=SUPPORTED_PANELS, ids=lambda p: f"{p.width_px}x{p.height_px}")
def panel(request: pytest.FixtureRequest) -> Iterator[Panel]:
    """Each supported panel, its millimetres sized at its own density."""
    assume_dpi(request.param.dpi)
    yield request.param
    assume_dpi(None)


def first_view_problems(screen: TargetScreen) -> list[str]:
    """Say what keeps the list's first view (no swipe) from showing the cards as a person needs.

    A whole row of cards at least; no card cut at the view's edge (its name torn in half); when
    the list goes on below, the services folded to one row, and a chosen one among them. (Only
    where that one row is a chosen service's longest name, wrapped onto so many lines that it
    and a row of cards cannot both fit the view, do the cards begin one swipe down, whole.)
    """
    viewport = screen.cards_scroll.viewport()
    view = viewport.rect()
    cards = [*screen.staff_cards, *screen.unit_cards]
    boxes = {card: QRect(card.mapTo(viewport, QPoint(0, 0)), card.size()) for card in cards}
    problems = []
    first_row = [card for card in cards if boxes[card].top() == boxes[cards[0]].top()]
    services_end = screen.services_box.mapTo(viewport, QPoint(0, screen.services_box.height()))
    no_room = services_end.y() + boxes[cards[0]].height() > screen.cards_scroll.height()
    chosen = any(chip.is_on() for chip in screen.service_chips.values())
    if not all(view.contains(boxes[card]) for card in first_row) and not (chosen and no_room):
        problems.append(f"the first row of cards does not show whole in {view.height()} px")
    problems += [
        f"{card.name.full_text()} is cut at the edge of the view"
        for card in cards
        if view.intersects(boxes[card]) and not view.contains(boxes[card])
    ]
    if any(not view.contains(boxes[card]) for card in cards):
        shown = [w for w in screen.services_box.findChildren(QWidget) if w.isVisible()]
        rows = sorted({w.y() for w in shown})
        if len(rows) > 1:
            problems.append(f"the services take {len(rows)} rows while the cards scroll")
    problems += [
        f"the chosen service {code} is folded away"
        for code, chip in screen.service_chips.items()
        if chip.is_on() and not chip.isVisible()
    ]
    return problems


@pytest.mark.parametrize("service", [None, LONG_SERVICE.code], ids=["no-service", "long-service"])
@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("language", ["th", "en"])
def test_the_first_view_shows_whole_rows_of_cards_on_every_panel(
    qtbot, make_kiosk, ledger_service, clock, panel, language, large, service
) -> None:
    kiosk = make_kiosk(ledger=ledger_service, roster=LONG_NAMES_ROSTER)
    kiosk.resize(panel.width_px, panel.height_px)
    if language == "en":
        kiosk.welcome.language_button.click()
        qtbot.waitUntil(lambda: kiosk.switcher.language == "en")
    to_target(kiosk, clock)
    screen = kiosk.target
    if large:
        screen.bar.large_text_button.click()
    if service is not None:  # chosen, on to the tags and Back: the list as a return finds it
        if screen.services_folded():
            screen.more_services.click()
        screen.service_chips[service].click()
        human(clock)
        screen.staff_cards[0].click()
        kiosk.impression.back_button.click()
        assert kiosk.current_screen() is screen
    settle()  # the layouts the taps asked for
    assert screen.cards_scroll.verticalScrollBar().value() == 0
    assert first_view_problems(screen) == []
