"""When the kiosk's next sync pass is due: jitter on every interval, backoff after failures.

One schedule per sender, on a monotonic clock, with no Qt and no thread: the running kiosk's
``ui/sync_scheduler.py`` and the terminal's ``SyncWorker`` (sync/worker.py) both ask it when
the next pass is due and tell it how each pass ended. The clerk's "Send now" does not ask: it
starts a pass at once, and its outcome is told to the schedule like any other.

Why not a fixed interval: after a national outage (power, network, the collector) the 878
kiosks come back together. With a fixed interval they would all send in the same second, and
again every interval after that, for ever: nothing ever moves them apart. So:

* **Jitter on every interval.** After a pass that went through, the next one is due after the
  interval times a factor drawn uniformly from 0.8 to 1.2 (``INTERVAL_JITTER``). The mean
  stays the interval the clerk chose (the overview's "every 5 minutes" stays true), nobody
  waits more than a fifth longer, and two kiosks that sent together are up to 0.4 interval
  apart after one pass and drift further apart with every pass (a random walk), where 0 to 1
  interval would send twice as often on average for no gain.
* **The first pass at a random moment of an interval** (``spread_first``): a kiosk that starts
  sends its first pass after ``first_delay_s`` and a part of the interval drawn uniformly from
  0 to 1. Kiosks that boot together after a power cut spread over a whole interval at once:
  the phase they would reach anyway after a few jittered passes. (Not for a kiosk just
  enrolled, nor for the terminal's ``sync`` command: a person is waiting there.)
* **Backoff with full jitter after a failed pass** (the network down, the collector busy or
  broken): the n-th failure in a row waits a time drawn uniformly from 0 to
  ``min(cap, interval * 2 ** (n - 1))`` (the "full jitter" of the AWS Architecture Blog's
  "Exponential Backoff And Jitter", the variant that spreads retries best and makes the
  fewest of them). The cap is ``min(8 * interval, 15 minutes)``, never below the interval:
  at the default 5-minute interval a kiosk tries at most 15 minutes after the network came
  back, and 878 kiosks spread over 15 minutes are one a second, which one collector process
  takes easily; a short interval (1 minute) backs off by the same factor of 8. Each pass has
  already retried its request a few times inside the uploader (sync/uploader.py), so a pass
  that failed has waited some seconds already. A pass that goes through resets the backoff.
* **Retry-After at the pass level too.** A pass that ended on a 503 (or 429) whose answer said
  "Retry-After: N" starts no sooner than N seconds later (N cut to the cap, so a collector
  that says a day cannot silence a kiosk for a day), whatever the jitter drew, and whatever
  brings a pass sooner (a citizen's vote), except the clerk's "Send now".

The randomness is a function returning a float in [0, 1) (``random.Random().random`` unless
given), so tests pass their own draws.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Final

from sync.uploader import SyncError

INTERVAL_JITTER: Final = 0.2  # each interval is 0.8 to 1.2 times the chosen one
BACKOFF_INTERVALS: Final = 8  # the backoff grows to at most 8 intervals ...
BACKOFF_CAP_S: Final = 15 * 60.0  # ... and at most 15 minutes (but never below one interval)

Draw = Callable[[], float]  # a number in [0, 1)


def backoff_cap(interval_s: float) -> float:
    """The longest wait after failures: min(8 intervals, 15 minutes), but at least one interval."""
    return max(interval_s, min(BACKOFF_INTERVALS * interval_s, BACKOFF_CAP_S))


def backoff_window(interval_s: float, failures: int) -> float:
    """The n-th failure in a row waits up to this long: interval * 2 ** (n - 1), capped."""
    if failures < 1:
        raise ValueError(f"failures must be at least 1, not {failures}")
    cap = backoff_cap(interval_s)
    return min(cap, interval_s * 2.0 ** min(failures - 1, 32))


class PassSchedule:
    """When the next sync pass is due, from the outcomes of the passes so far.

    Times are seconds on the sender's monotonic clock. The interval may change at any time
    (the clerk's settings) and applies at once: each wait is kept as a draw in [0, 1) and
    turned into seconds with the interval in force.
    """

    def __init__(
        self,
        interval_s: float,
        now: float,
        *,
        first_delay_s: float = 0.0,
        spread_first: bool = False,
        jitter: float = INTERVAL_JITTER,
        rng: Draw | None = None,
    ) -> None:
        """The first pass is due ``first_delay_s`` after now, plus up to an interval if spread."""
        if interval_s <= 0:
            raise ValueError(f"the interval must be positive, not {interval_s}")
        if not 0 <= jitter < 1:
            raise ValueError(f"the jitter must be from 0 to less than 1, not {jitter}")
        self.interval_s = interval_s
        self.jitter = jitter
        #: Draws a float in [0, 1); tests replace it with draws of their own.
        self.rng: Draw = rng or random.Random().random
        self.failures = 0  # failed passes in a row
        self.last_ok: bool | None = None  # how the last pass with an outcome ended; None: none yet
        self.retry_after_s: float | None = None  # what the last failed pass was asked to wait
        self._from = now + first_delay_s  # the waits below count from here
        self._first = True  # no pass yet: wait the drawn part of an interval (none if not spread)
        self._draw = self._next_draw() if spread_first else 0.0
        self._soon: float | None = None
        self._not_before = -float("inf")

    # --- asking --------------------------------------------------------------------------------

    def due(self) -> float:
        """When the next pass is due (monotonic seconds): never before a Retry-After."""
        due = self._from + self._wait()
        if self._soon is not None:
            due = min(due, self._soon)
        return max(due, self._not_before)

    def is_due(self, now: float) -> bool:
        """Tell whether a pass should start at now."""
        return now >= self.due()

    def _wait(self) -> float:
        if self._first:
            return self._draw * self.interval_s
        if self.failures:
            return self._draw * backoff_window(self.interval_s, self.failures)
        return self.interval_s * (1 - self.jitter + 2 * self.jitter * self._draw)

    def _next_draw(self) -> float:
        draw = float(self.rng())
        if not 0 <= draw < 1:
            raise ValueError(f"a draw must be in [0, 1), not {draw}")
        return draw

    # --- telling -------------------------------------------------------------------------------

    def soon(self, at: float) -> None:
        """Bring the next pass to ``at`` at the latest (a vote); never before a Retry-After."""
        self._soon = at if self._soon is None else min(self._soon, at)

    def succeeded(self, now: float) -> None:
        """A pass ended at now and went through: the backoff resets, the jittered interval runs."""
        self.failures = 0
        self.last_ok = True
        self.retry_after_s = None
        self._not_before = -float("inf")
        self._restart(now)

    def failed(self, now: float, retry_after_s: float | None = None) -> None:
        """A pass ended at now in failure: back off, and wait at least Retry-After if given."""
        self.failures += 1
        self.last_ok = False
        self.retry_after_s = retry_after_s
        wait = min(max(retry_after_s or 0.0, 0.0), backoff_cap(self.interval_s))
        self._not_before = now + wait
        self._restart(now)

    def cut_short(self, now: float) -> None:
        """A pass ended at now without an outcome (cancelled): the same wait again, from now."""
        self._restart(now)

    def record(self, now: float, error: SyncError | None) -> None:
        """Tell how a pass that ended at now went: no error, a failure, or cancelled."""
        if error is None:
            self.succeeded(now)
        elif error.code == "cancelled":
            self.cut_short(now)
        else:
            self.failed(now, error.retry_after_s)

    def _restart(self, now: float) -> None:
        self._from = now
        self._first = False
        self._soon = None
        self._draw = self._next_draw()
