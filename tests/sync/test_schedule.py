"""When the next sync pass is due (sync/schedule.py): jitter, backoff, Retry-After.

No clock and no thread: the schedule is told the monotonic time, and its draws are the test's
own (a function returning a float in [0, 1)), so every figure here is exact.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from sync.schedule import (
    BACKOFF_CAP_S,
    INTERVAL_JITTER,
    PassSchedule,
    backoff_cap,
    backoff_window,
)
from sync.uploader import SyncError

T0 = 1000.0
INTERVAL = 300.0
LAST_DRAW = 1 - 2**-53  # the largest float random() returns


def draws(*values: float) -> Callable[[], float]:
    """A draw function returning these values in turn."""
    it = iter(values)
    return lambda: next(it)


def busy(retry_after_s: float | None) -> SyncError:
    return SyncError("busy", "The collector is busy", status=503, retry_after_s=retry_after_s)


# --- jitter --------------------------------------------------------------------------------


def test_without_a_spread_the_first_pass_comes_after_the_first_delay_exactly():
    schedule = PassSchedule(INTERVAL, T0, first_delay_s=15, rng=draws())  # nothing drawn
    assert schedule.due() == T0 + 15
    assert not schedule.is_due(T0 + 14.9)
    assert schedule.is_due(T0 + 15)


@pytest.mark.parametrize(("draw", "after"), [(0.0, 15.0), (0.5, 165.0), (LAST_DRAW, 315.0)])
def test_a_spread_first_pass_comes_at_a_random_moment_of_the_first_interval(draw, after):
    schedule = PassSchedule(INTERVAL, T0, first_delay_s=15, spread_first=True, rng=draws(draw))
    assert schedule.due() == pytest.approx(T0 + after)


@pytest.mark.parametrize(("draw", "factor"), [(0.0, 0.8), (0.5, 1.0), (LAST_DRAW, 1.2)])
def test_after_a_pass_that_went_through_the_interval_is_jittered_by_a_fifth(draw, factor):
    schedule = PassSchedule(INTERVAL, T0, rng=draws(draw))
    schedule.succeeded(T0 + 10)
    assert schedule.due() == pytest.approx(T0 + 10 + factor * INTERVAL)
    assert schedule.last_ok is True
    assert schedule.failures == 0


def test_intervals_stay_within_their_bounds_and_average_the_chosen_one():
    rng = random.Random(18)
    schedule = PassSchedule(INTERVAL, T0, rng=rng.random)
    now, waits = T0, []
    for _ in range(2000):
        schedule.succeeded(now)
        waits.append(schedule.due() - now)
        now = schedule.due()
    low, high = (1 - INTERVAL_JITTER) * INTERVAL, (1 + INTERVAL_JITTER) * INTERVAL
    assert all(low <= w < high for w in waits)
    assert min(waits) < low + 5  # the whole range is used
    assert max(waits) > high - 5
    assert sum(waits) / len(waits) == pytest.approx(INTERVAL, rel=0.01)


def test_kiosks_that_start_together_drift_apart():
    """Twenty kiosks sending at the same moment: after a few passes they no longer do."""
    rng = random.Random(2021)
    schedules = [PassSchedule(INTERVAL, T0, rng=rng.random) for _ in range(20)]
    times = [T0] * 20
    for _ in range(5):
        for i, schedule in enumerate(schedules):
            schedule.succeeded(times[i])
            times[i] = schedule.due()
    assert max(times) - min(times) > INTERVAL / 2
    # With a fixed interval (jitter 0) they would still all send in the same second.
    fixed = [PassSchedule(INTERVAL, T0, jitter=0, rng=rng.random) for _ in range(20)]
    for schedule in fixed:
        schedule.succeeded(T0)
    assert len({s.due() for s in fixed}) == 1


def test_a_new_interval_applies_at_once_with_the_same_draw():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5))
    schedule.succeeded(T0)
    assert schedule.due() == pytest.approx(T0 + 300)
    schedule.interval_s = 600
    assert schedule.due() == pytest.approx(T0 + 600)


# --- backoff -------------------------------------------------------------------------------


def test_the_backoff_window_doubles_with_each_failure_up_to_its_cap():
    assert [backoff_window(INTERVAL, n) for n in range(1, 6)] == [300, 600, 900, 900, 900]
    assert [backoff_window(60, n) for n in range(1, 6)] == [60, 120, 240, 480, 480]
    assert backoff_window(60, 10_000) == 480  # no overflow, however long the outage


@pytest.mark.parametrize(
    ("interval", "cap"),
    [(5, 40), (60, 480), (112.5, BACKOFF_CAP_S), (300, BACKOFF_CAP_S), (3600, 3600)],
)
def test_the_cap_is_eight_intervals_or_fifteen_minutes_never_below_an_interval(interval, cap):
    assert backoff_cap(interval) == cap


def test_failures_back_off_with_full_jitter_and_grow_to_the_cap():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5, 0.5, 0.5, 0.5, LAST_DRAW, 0.0))
    waits = []
    for n in range(1, 6):
        schedule.failed(T0 + n)
        assert schedule.failures == n
        waits.append(schedule.due() - (T0 + n))
    assert waits == pytest.approx([150, 300, 450, 450, 900])
    assert schedule.last_ok is False
    # Full jitter: the draw may bring the next try right after the failed pass.
    schedule.failed(T0 + 10)
    assert schedule.due() == pytest.approx(T0 + 10)


def test_backoff_waits_spread_over_the_whole_window():
    rng = random.Random(7)
    schedule = PassSchedule(INTERVAL, T0, rng=rng.random)
    for _ in range(6):
        schedule.failed(T0)
    waits = []
    for _ in range(1000):
        schedule.failed(T0)
        waits.append(schedule.due() - T0)
    assert all(0 <= w < BACKOFF_CAP_S for w in waits)
    assert min(waits) < 10
    assert max(waits) > BACKOFF_CAP_S - 10


def test_a_pass_that_goes_through_resets_the_backoff():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.9, 0.9, 0.9, 0.5, 0.5))
    for _ in range(3):
        schedule.failed(T0)
    assert schedule.due() == pytest.approx(T0 + 0.9 * 900)
    schedule.succeeded(T0 + 100)
    assert (schedule.failures, schedule.last_ok) == (0, True)
    assert schedule.due() == pytest.approx(T0 + 100 + INTERVAL)
    schedule.failed(T0 + 200)  # the first failure again: up to one interval
    assert schedule.due() == pytest.approx(T0 + 200 + 0.5 * INTERVAL)


# --- Retry-After -----------------------------------------------------------------------------


def test_a_retry_after_is_waited_for_even_when_the_draw_says_sooner():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.0))
    schedule.record(T0, busy(120))
    assert schedule.retry_after_s == 120
    assert schedule.due() == T0 + 120
    assert not schedule.is_due(T0 + 119.9)
    assert schedule.is_due(T0 + 120)


def test_a_retry_after_shorter_than_the_backoff_changes_nothing():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5))
    schedule.record(T0, busy(5))
    assert schedule.due() == pytest.approx(T0 + 150)


def test_a_retry_after_is_cut_to_the_cap():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.0))
    schedule.failed(T0, retry_after_s=86_400)
    assert schedule.due() == T0 + BACKOFF_CAP_S


def test_a_vote_never_brings_a_pass_before_the_retry_after():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.9))
    schedule.failed(T0, retry_after_s=60)
    schedule.soon(T0 + 20)
    assert schedule.due() == T0 + 60
    schedule.soon(T0 + 200)  # a later "soon" does not push back an earlier one
    assert schedule.due() == T0 + 60


def test_a_pass_that_went_through_forgets_the_retry_after():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.0, 0.0))
    schedule.failed(T0, retry_after_s=600)
    schedule.succeeded(T0 + 1)  # the clerk's "Send now" went through meanwhile
    assert schedule.retry_after_s is None
    assert schedule.due() == pytest.approx(T0 + 1 + 0.8 * INTERVAL)


# --- other outcomes and bad values --------------------------------------------------------------


def test_a_pass_cut_short_keeps_the_backoff_and_waits_again_from_its_end():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5, 0.5, 0.25))
    schedule.failed(T0)
    schedule.failed(T0)
    schedule.record(T0 + 50, SyncError("cancelled", "Sending was stopped"))
    assert schedule.failures == 2
    assert schedule.due() == pytest.approx(T0 + 50 + 0.25 * 600)


def test_soon_brings_the_next_pass_forward():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5, 0.5))
    schedule.succeeded(T0)
    schedule.soon(T0 + 20)
    assert schedule.due() == T0 + 20
    schedule.succeeded(T0 + 25)  # the pass it brought: "soon" is spent
    assert schedule.due() > T0 + 25 + 200


def test_any_error_but_cancelled_is_a_failure():
    for code in ("unreachable", "timeout", "server_error", "bad_receipt", "refused", "conflict"):
        schedule = PassSchedule(INTERVAL, T0, rng=draws(0.5))
        schedule.record(T0, SyncError(code, "no"))
        assert (schedule.failures, schedule.last_ok, schedule.retry_after_s) == (1, False, None)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"interval_s": 0}, "interval must be positive"),
        ({"interval_s": -5}, "interval must be positive"),
        ({"jitter": 1.0}, "jitter must be from 0"),
        ({"jitter": -0.1}, "jitter must be from 0"),
    ],
)
def test_bad_settings_are_refused_in_words(kwargs, message):
    args = {"interval_s": INTERVAL, **kwargs}
    with pytest.raises(ValueError, match=message):
        PassSchedule(args.pop("interval_s"), T0, **args)


def test_a_draw_outside_zero_to_one_is_refused():
    schedule = PassSchedule(INTERVAL, T0, rng=draws(1.0))
    with pytest.raises(ValueError, match=r"a draw must be in \[0, 1\)"):
        schedule.succeeded(T0)
    with pytest.raises(ValueError, match="failures must be at least 1"):
        backoff_window(INTERVAL, 0)
