"""How the awards are decided: a Bayesian average per district, ranked within its size group.

Used by the collector (``awards``, the leaderboard page) and by the database-free recount
(collector/recount.py), so both give the same answer from the same counts. No database, no Qt.

The method (stated on the leaderboard page and in docs/recount.md):

* Every counted vote has a rating from 1 to 5. The **national mean** ``m`` is the mean rating
  of every counted vote in every district.
* A district with ``n`` votes whose ratings add up to ``S`` scores
  ``(C * m + S) / (C + n)``: its own mean pulled towards the national mean as if it had ``C``
  extra votes at the national mean (``C`` is the *prior weight*). A district with few votes
  stays close to the national mean, so a handful of lucky fives cannot win; a district with
  many votes is scored almost by its own mean.
* A district needs at least ``min_votes`` votes to be ranked at all.
* Ties (exactly the same score) are broken by: more votes first (the score rests on more
  evidence); then the lower district code. (Two districts with the same score and the same
  number of votes have the same ratings total, so the same raw mean: no further rule could
  separate them.) Nothing is left to chance, so the order is the same everywhere.

Arithmetic is exact (``fractions.Fraction``), so no rounding can reorder two districts and a
second implementation gets the same order; the published ``score`` is rounded to 4 decimals
only for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Final

from wire.districts import SIZE_GROUPS

DEFAULT_PRIOR_WEIGHT: Final = 50
DEFAULT_MIN_VOTES: Final = 30
SCORE_DECIMALS: Final = 4
RATINGS: Final = (1, 2, 3, 4, 5)


@dataclass(frozen=True, slots=True)
class RankingMethod:
    """The ranking's two settings."""

    prior_weight: int = DEFAULT_PRIOR_WEIGHT
    min_votes: int = DEFAULT_MIN_VOTES

    def __post_init__(self) -> None:
        """Refuse settings that make no sense (they would be silently odd otherwise)."""
        if not 0 <= self.prior_weight <= 1_000_000:
            raise ValueError(f"the prior weight must be 0 to 1000000, not {self.prior_weight}")
        if not 1 <= self.min_votes <= 1_000_000:
            raise ValueError(f"the minimum vote count must be 1 to 1000000, not {self.min_votes}")

    def to_json(self) -> dict[str, int]:
        """The settings as a JSON object."""
        return {"prior_weight": self.prior_weight, "min_votes": self.min_votes}

    @classmethod
    def from_json(cls, value: Any) -> RankingMethod:
        """Read settings written by to_json; ValueError when they are not."""
        if not isinstance(value, Mapping) or set(value) != {"prior_weight", "min_votes"}:
            raise ValueError("the ranking method must name exactly prior_weight and min_votes")
        weight, minimum = value["prior_weight"], value["min_votes"]
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (weight, minimum)):
            raise ValueError("prior_weight and min_votes must be whole numbers")
        return cls(weight, minimum)


@dataclass(slots=True)
class Tally:
    """One district's counted votes: how many of each rating."""

    code: str
    size_group: str
    counts: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])  # ratings 1..5

    @property
    def votes(self) -> int:
        """How many votes."""
        return sum(self.counts)

    @property
    def rating_sum(self) -> int:
        """The ratings added up."""
        return sum(r * c for r, c in zip(RATINGS, self.counts, strict=True))

    def add(self, rating: int, count: int = 1) -> None:
        """Count a rating (1 to 5)."""
        if rating not in RATINGS:
            raise ValueError(f"a rating is 1 to 5, not {rating!r}")
        self.counts[rating - 1] += count


@dataclass(frozen=True, slots=True)
class Ranked:
    """A district's place in its size group."""

    rank: int  # 1 is the winner; 0 for a district below the minimum vote count
    code: str
    size_group: str
    votes: int
    mean: Fraction
    score: Fraction
    counts: tuple[int, ...]

    @property
    def score_rounded(self) -> float:
        """The score as published: the exact score rounded half-even to 4 decimals."""
        return float(round(self.score, SCORE_DECIMALS))

    def award_json(self) -> dict[str, Any]:
        """The district as one entry of the awards JSON."""
        return {"code": self.code, "score": self.score_rounded, "votes": self.votes}


@dataclass(frozen=True, slots=True)
class Ranking:
    """The ranking of every size group."""

    method: RankingMethod
    national_mean: Fraction | None  # None when no vote has been counted
    total_votes: int
    groups: dict[str, list[Ranked]]  # ranked districts, best first
    below_minimum: dict[str, list[Ranked]]  # districts with votes but fewer than min_votes

    def awards_json(self) -> dict[str, list[dict[str, Any]]]:
        """``{"small": [{"code", "score", "votes"}, ...], "medium": ..., "large": ...}``, best first."""
        return {g: [r.award_json() for r in self.groups[g]] for g in SIZE_GROUPS}

    def winner(self, group: str) -> Ranked | None:
        """The district ranked first in a size group, if any."""
        ranked = self.groups.get(group) or []
        return ranked[0] if ranked else None

    def group_votes(self, group: str) -> int:
        """The votes counted for a size group's districts, ranked or below the minimum."""
        return sum(
            r.votes for r in (*self.groups.get(group, ()), *self.below_minimum.get(group, ()))
        )


def score(rating_sum: int, votes: int, national_mean: Fraction, prior_weight: int) -> Fraction:
    """The Bayesian average ``(C * m + S) / (C + n)`` (exact)."""
    if prior_weight + votes == 0:
        return national_mean
    return (prior_weight * national_mean + rating_sum) / (prior_weight + votes)


def rank(tallies: Iterable[Tally], method: RankingMethod | None = None) -> Ranking:
    """Rank the districts of each size group by the method in this module's docstring."""
    method = method or RankingMethod()
    items = [t for t in tallies if t.votes > 0]
    unknown = sorted({t.size_group for t in items} - set(SIZE_GROUPS))
    if unknown:
        raise ValueError(f"unknown size group(s): {', '.join(unknown)}")
    total = sum(t.votes for t in items)
    national = Fraction(sum(t.rating_sum for t in items), total) if total else None
    groups: dict[str, list[Ranked]] = {g: [] for g in SIZE_GROUPS}
    below: dict[str, list[Ranked]] = {g: [] for g in SIZE_GROUPS}
    if national is None:
        return Ranking(method, None, 0, groups, below)
    scored = []
    for t in items:
        mean = Fraction(t.rating_sum, t.votes)
        s = score(t.rating_sum, t.votes, national, method.prior_weight)
        scored.append((t, mean, s))
    # Best first: higher score, then more votes, then the lower code.
    scored.sort(key=lambda x: (-x[2], -x[0].votes, x[0].code))
    for t, mean, s in scored:
        eligible = t.votes >= method.min_votes
        target = groups if eligible else below
        place = len(groups[t.size_group]) + 1 if eligible else 0
        target[t.size_group].append(
            Ranked(place, t.code, t.size_group, t.votes, mean, s, tuple(t.counts))
        )
    return Ranking(method, national, total, groups, below)


def tie_note(a: Ranked, b: Ranked) -> str | None:
    """Which rule put a before b when their scores are equal (for the page), else None."""
    if a.score != b.score:
        return None
    return "votes" if a.votes != b.votes else "code"
