"""The citizen flow without Qt: steps, walk-away, cooldown, bursts, and thanks only after commit."""

import pytest

from kiosk.demo import DEMO_ROSTER
from kiosk.flow import (
    Flow,
    FlowError,
    FlowSettings,
    Step,
    asks_concerns,
    asks_who_served,
    offered_tags,
)
from kiosk.ledger import LedgerError
from kiosk.roster import (
    DEFAULT_CONCERNS,
    DEFAULT_TAGS,
    NEW_KIOSK_ROSTER,
    Concern,
    Roster,
    Service,
    Tag,
    Unit,
    load_roster,
)
from wire.vote import Target


@pytest.fixture
def flow(clock):
    return Flow("3706", clock)


def human(clock):
    """A person reads the screen before tapping."""
    clock.advance(1.5)


S01 = Target("staff", "s01")


def vote_through(flow, clock, rating=5, target=S01):
    assert flow.start()
    human(clock)
    flow.choose_rating(rating)
    human(clock)
    flow.choose_service("id-card")
    flow.choose_target(target)
    human(clock)
    flow.toggle_tag("fast")
    flow.toggle_tag("polite")
    flow.set_story("เจ้าหน้าที่ใจดีมาก")
    human(clock)
    return flow.finish()


def test_the_steps_of_a_vote(flow, clock):
    assert flow.step is Step.WELCOME
    ballot = vote_through(flow, clock)
    assert flow.step is Step.SAVING
    assert (ballot.district, ballot.rating, ballot.target, ballot.service) == (
        "3706",
        5,
        Target("staff", "s01"),
        "id-card",
    )
    assert (ballot.tags, ballot.story, ballot.lang, ballot.burst) == (
        ("fast", "polite"),
        "เจ้าหน้าที่ใจดีมาก",
        "th",
        False,
    )


def test_thanks_only_after_the_ledger_confirmed(flow, clock):
    vote_through(flow, clock)
    clock.advance(30)
    flow.tick()
    assert flow.step is Step.SAVING  # however long the disk takes, no thanks before the commit
    flow.saved()
    assert flow.step is Step.THANKS
    clock.advance(FlowSettings().thanks_s)
    flow.tick()
    assert flow.step is Step.WELCOME


def test_a_failed_save_is_never_called_saved(flow, clock):
    vote_through(flow, clock)
    flow.save_failed("disk_full")
    view = flow.view()
    assert (view.step, view.failure) == (Step.SAVE_FAILED, "disk_full")
    again = flow.retry()
    assert flow.step is Step.SAVING
    assert again.rating == 5
    flow.save_failed("disk_full")
    clock.advance(FlowSettings().save_failed_s)
    flow.tick()
    assert flow.step is Step.WELCOME
    assert flow.session.rating is None


def test_cooldown_after_a_vote(flow, clock):
    vote_through(flow, clock)
    flow.saved()
    clock.advance(FlowSettings().thanks_s)
    flow.tick()
    assert flow.view().cooldown_remaining == pytest.approx(4.0)
    assert not flow.start()  # a gentle message instead
    assert flow.step is Step.WELCOME
    clock.advance(4.0)
    assert flow.view().cooldown_remaining is None
    assert flow.start()


def test_still_there_then_walk_away_keeps_the_rating(flow, clock):
    flow.start()
    human(clock)
    flow.choose_rating(4)
    human(clock)
    flow.choose_target(Target("unit", "id-card"))
    clock.advance(59)
    assert flow.view().still_there_remaining is None
    clock.advance(1)
    assert flow.view().still_there_remaining == pytest.approx(15.0)
    clock.advance(14)
    assert flow.tick() is None
    clock.advance(1)
    ballot = flow.tick()
    assert ballot is not None
    assert (ballot.rating, ballot.target, ballot.story) == (4, Target("unit", "id-card"), "")
    assert flow.view().walked_away
    flow.saved()
    assert flow.step is Step.WELCOME  # nobody there to thank
    assert flow.start()  # and no cooldown for the next person


# Monotonic readings whose sums round: from 1000.1, (t + 60) - t is 59.99999999999977.
UNEVEN_READINGS = [1000.1 + k / 10 for k in range(10)] + [1002.3456, 98765.4321]


@pytest.mark.parametrize("reading", UNEVEN_READINGS)
def test_each_timeout_comes_when_the_clock_has_moved_on_by_exactly_its_length(clock, reading):
    """Timeouts hold from any clock reading, not only those with an exact binary form."""
    clock.mono = reading
    flow = Flow("3706", clock)
    settings = FlowSettings()
    assert flow.start()
    flow.choose_rating(4)  # at once: a touch, at the reading itself
    clock.advance(settings.idle_timeout_s)
    assert flow.view().still_there_remaining == pytest.approx(settings.still_there_s)
    clock.advance(settings.still_there_s)
    assert flow.tick() is not None  # walked away: the rating is kept
    flow.saved()
    assert flow.step is Step.WELCOME
    assert flow.start()  # the next citizen, who walks away in one step of the clock
    flow.choose_rating(5)
    clock.advance(settings.idle_timeout_s + settings.still_there_s)
    assert flow.tick() is not None
    flow.saved()
    flow.touch()  # the kiosk may update itself once nobody has touched it for a while
    clock.advance(settings.idle_timeout_s)
    assert flow.untouched_for(settings.idle_timeout_s)
    assert not flow.untouched_for(settings.idle_timeout_s + 0.001)


def test_still_there_answered_carries_on(flow, clock):
    flow.start()
    human(clock)
    flow.choose_rating(5)
    clock.advance(65)
    assert flow.view().still_there_remaining is not None
    flow.still_here()
    assert flow.view().still_there_remaining is None
    clock.advance(30)
    assert flow.tick() is None
    assert flow.step is Step.TARGET


def test_walking_away_before_a_rating_records_nothing(flow, clock):
    flow.start()
    clock.advance(75)
    assert flow.tick() is None
    assert flow.step is Step.WELCOME


def test_taps_faster_than_a_person_are_flagged_not_dropped(flow, clock):
    flow.start()
    clock.advance(0.05)
    flow.choose_rating(5)
    clock.advance(0.05)
    flow.choose_target(None)
    clock.advance(0.05)
    ballot = flow.finish()
    assert ballot.burst
    assert ballot.rating == 5


def test_choices_and_display_reset_for_the_next_citizen(flow, clock):
    flow.start()
    flow.set_language("en")
    flow.toggle_large_text()
    flow.toggle_high_contrast()
    human(clock)
    flow.choose_rating(3)
    human(clock)
    flow.choose_target(None)
    human(clock)
    ballot = flow.finish()
    assert ballot.lang == "en"
    assert ballot.target is None
    flow.saved()
    clock.advance(FlowSettings().thanks_s)
    flow.tick()
    s = flow.session
    assert (s.lang, s.large_text, s.high_contrast, s.rating) == ("th", False, False, None)


def test_back_keeps_what_was_given(flow, clock):
    flow.start()
    human(clock)
    flow.choose_rating(2)
    flow.back()
    assert flow.step is Step.RATING
    assert flow.session.rating == 2


def test_question_numbers_count_three_questions(flow, clock):
    flow.start()
    assert (flow.view().question, flow.view().questions) == (1, 3)
    human(clock)
    flow.choose_rating(4)
    assert (flow.view().question, flow.view().questions) == (2, 3)
    flow.choose_target(None)
    assert (flow.view().question, flow.view().questions) == (3, 3)


def test_an_empty_roster_skips_who_served_you(clock):
    assert not asks_who_served(Roster())
    flow = Flow("3706", clock, asks_target=False)
    flow.start()
    assert (flow.view().question, flow.view().questions) == (1, 2)
    human(clock)
    flow.choose_rating(3)
    assert flow.step is Step.IMPRESSION  # no page with only "not sure" on it
    assert (flow.view().question, flow.view().questions) == (2, 2)
    with pytest.raises(FlowError):
        flow.choose_target(None)
    flow.back()
    assert flow.step is Step.RATING
    assert flow.session.rating == 3
    human(clock)
    flow.choose_rating(2)
    human(clock)
    ballot = flow.finish()
    assert (ballot.rating, ballot.target, ballot.service) == (2, None, None)


def test_any_unit_staff_or_service_keeps_who_served_you():
    unit = Unit("u01", "งานทะเบียน", "Registration")
    service = Service("id-card", "ทำบัตรประชาชน", "ID card")
    assert asks_who_served(DEMO_ROSTER)
    assert asks_who_served(Roster(staff=DEMO_ROSTER.staff))
    assert asks_who_served(Roster(units=(unit,)))
    assert asks_who_served(Roster(services=(service,)))
    assert not asks_who_served(Roster(units=(unit.as_retired(),), services=(service.as_retired(),)))


def test_ratings_1_and_2_are_asked_what_could_be_better(flow, clock):
    assert [asks_concerns(r) for r in (None, 1, 2, 3, 4, 5)] == [
        False,
        True,
        True,
        False,
        False,
        False,
    ]
    for rating in (1, 2):
        assert offered_tags(DEMO_ROSTER, rating) == DEMO_ROSTER.active_concerns()
    for rating in (3, 4, 5):
        assert offered_tags(DEMO_ROSTER, rating) == DEMO_ROSTER.active_tags()
    flow.start()
    assert not flow.view().concerns
    human(clock)
    flow.choose_rating(1)
    flow.choose_target(None)
    assert flow.step is Step.IMPRESSION
    assert flow.view().concerns
    human(clock)
    flow.toggle_tag("long-wait")
    flow.toggle_tag("unclear-info")
    ballot = flow.finish()
    assert (ballot.rating, ballot.tags) == (1, ("long-wait", "unclear-info"))


def test_offered_tags_leave_out_retired_ones():
    roster = Roster(
        tags=(Tag("fast", "รวดเร็ว"), Tag("clean", "สะอาด", retired=True)),
        concerns=(Concern("long-wait", "รอนาน", retired=True), Concern("rude", "ไม่สุภาพ")),
    )
    assert offered_tags(roster, 2) == (Concern("rude", "ไม่สุภาพ"),)
    assert offered_tags(roster, 3) == (Tag("fast", "รวดเร็ว"),)


def test_a_kiosk_just_set_up_offers_the_default_tags_after_every_face(clock, tmp_path):
    """A clerk has set the kiosk up and added nobody yet: no roster file, and still tags."""
    roster = load_roster(tmp_path)
    assert roster == NEW_KIOSK_ROSTER
    for rating in (1, 2):
        assert offered_tags(roster, rating) == DEFAULT_CONCERNS
    for rating in (3, 4, 5):
        assert offered_tags(roster, rating) == DEFAULT_TAGS
    flow = Flow("3706", clock, asks_target=asks_who_served(roster))
    flow.start()
    human(clock)
    flow.choose_rating(5)
    assert flow.step is Step.IMPRESSION  # nobody to name yet: straight to the last question
    human(clock)
    flow.toggle_tag("fast")
    assert flow.finish().tags == ("fast",)


def test_with_no_tags_on_offer_the_last_question_still_takes_a_story(clock):
    """A clerk retired every tag: nothing to pick, but the story and Send are still there."""
    roster = Roster(tags=tuple(t.as_retired() for t in DEFAULT_TAGS))
    assert offered_tags(roster, 4) == ()
    assert offered_tags(roster, 1) == ()
    flow = Flow("3706", clock, asks_target=asks_who_served(roster))
    flow.start()
    human(clock)
    flow.choose_rating(4)
    assert flow.step is Step.IMPRESSION
    assert (flow.view().question, flow.view().questions) == (2, 2)
    flow.set_story("ห้องน้ำสะอาด")
    human(clock)
    ballot = flow.finish()
    assert (ballot.rating, ballot.tags, ballot.story) == (4, (), "ห้องน้ำสะอาด")


def to_impression_with_tags(flow, clock, rating, tags):
    """Rate, answer "not sure", tick tags on the impression screen."""
    flow.start()
    human(clock)
    flow.choose_rating(rating)
    flow.choose_target(None)
    human(clock)
    for tag in tags:
        flow.toggle_tag(tag)
    flow.set_story("รอคิวนานมาก")


@pytest.mark.parametrize(
    ("first", "tags", "then", "kept"),
    [
        (1, ("long-wait", "paperwork"), 4, False),  # concerns, then a pleased face
        (5, ("fast", "polite"), 2, False),  # impression tags, then an unhappy face
        (2, ("long-wait",), 3, False),  # 2 and 3 lie on either side of the line
        (1, ("long-wait", "paperwork"), 2, True),  # still unhappy: the concerns stand
        (3, ("fast",), 5, True),  # still pleased: the tags stand
    ],
)
def test_a_new_rating_across_the_line_drops_tags_of_the_other_list(
    flow, clock, first, tags, then, kept
):
    to_impression_with_tags(flow, clock, first, tags)
    flow.back()
    flow.back()
    assert flow.step is Step.RATING
    human(clock)
    flow.choose_rating(then)
    assert flow.session.tags == (frozenset(tags) if kept else frozenset())
    assert flow.session.story == "รอคิวนานมาก"  # the citizen's own words are kept
    flow.choose_target(None)
    assert flow.view().concerns is asks_concerns(then)
    human(clock)
    ballot = flow.finish()
    assert ballot.tags == (tuple(sorted(tags)) if kept else ())


def test_out_of_order_calls_are_refused(flow):
    with pytest.raises(FlowError):
        flow.choose_rating(5)
    flow.start()
    with pytest.raises(FlowError):
        flow.choose_rating(6)
    with pytest.raises(FlowError):
        flow.finish()


# --- with the real ledger ------------------------------------------------------------------


def test_a_vote_goes_into_the_ledger_and_only_then_thanks(flow, clock, ledger):
    ballot = vote_through(flow, clock)
    vote = ledger.cast(ballot)
    flow.saved()
    assert flow.step is Step.THANKS
    stored = ledger.vote(vote.seq)
    assert (stored.ballot.rating, stored.ballot.tags, stored.ballot.story) == (
        5,
        ("fast", "polite"),
        "เจ้าหน้าที่ใจดีมาก",
    )
    assert ledger.verify().ok


def test_a_full_disk_gives_the_calm_screen_and_the_ledger_stays_sound(flow, clock, ledger):
    ledger.cast(vote_through(flow, clock))
    flow.saved()
    clock.advance(30)
    flow.tick()
    pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
    ledger.db.execute(f"PRAGMA max_page_count = {pages}")
    ballot = vote_through(flow, clock)
    with pytest.raises(LedgerError) as info:
        ledger.cast_many([ballot] * 40)  # more than the "disk" can take
    flow.save_failed(info.value.code)
    assert flow.view().failure == "disk_full"
    assert ledger.counts().total == 1
    assert ledger.verify().ok
