"""The ranking method on the awards page: its two numbers in words, and the form that saves them.

The central office decides the method (collector/ranking.py: the prior weight C and the minimum
votes) and saves it here, as `sangsuk-collector awards --save` does on the server: the same
ranges (C from 0, the minimum from 1, both up to RankingMethod's 1,000,000), both numbers in one
transaction, each with a ``settings`` audit row naming the officer (results.save_method). A bad
number is refused with the field named, and nothing is stored.

The saved method ranks the campaigns not announced yet. A campaign keeps the method its awards
were announced with (results.campaign_method): its pages, its remaining groups and its
publications rank by it whatever is saved later, so the page lists each announced campaign with
its method, and saving a new one asks nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from sqlalchemy.engine import Connection

from collector.i18n import Translator
from collector.ranking import RankingMethod
from collector.store import announcements as announced

WEIGHT_RANGE: Final = (0, 1_000_000)  # as `awards --prior-weight` and RankingMethod
MINIMUM_RANGE: Final = (1, 1_000_000)  # as `awards --min-votes` and RankingMethod
REFUSED_NUMBERS: Final = "numbers"  # a field is not a whole number in its range


@dataclass(frozen=True, slots=True)
class Frozen:
    """The groups of one campaign announced with one method."""

    campaign: int  # announcements.NO_CAMPAIGN (0): the awards over every vote
    groups: tuple[str, ...]
    method: RankingMethod


@dataclass(slots=True)
class MethodForm:
    """The method section of the awards page: the saved method, what the fields hold, what was
    wrong with them, and the campaigns that keep the method they were announced with."""

    saved: RankingMethod
    frozen: list[Frozen]
    typed_weight: str | None = None  # the fields as sent (None: the saved numbers)
    typed_minimum: str | None = None
    problems: set[str] = field(default_factory=set)  # the fields whose number is refused
    refused: str | None = None  # why nothing was saved: REFUSED_NUMBERS

    @property
    def weight(self) -> str:
        """What the prior weight's field holds: as sent, else the saved number."""
        return str(self.saved.prior_weight) if self.typed_weight is None else self.typed_weight

    @property
    def minimum(self) -> str:
        """What the minimum votes' field holds: as sent, else the saved number."""
        return str(self.saved.min_votes) if self.typed_minimum is None else self.typed_minimum


def frozen_methods(conn: Connection) -> list[Frozen]:
    """Every campaign's announced groups, by the method they were announced with."""
    found: dict[tuple[int, RankingMethod], list[str]] = {}
    for held in announced.every(conn):
        method = RankingMethod.from_json(held.method)
        found.setdefault((held.campaign, method), []).append(held.size_group)
    return [Frozen(c, tuple(groups), m) for (c, m), groups in found.items()]


def number_field(text: str, low: int, high: int) -> int | None:
    """A whole number typed in a field, within [low, high]; None for anything else."""
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


def parsed(weight: str, minimum: str) -> tuple[RankingMethod | None, set[str]]:
    """The method the two fields give, or None and the fields whose number is refused."""
    c = number_field(weight, *WEIGHT_RANGE)
    n = number_field(minimum, *MINIMUM_RANGE)
    if c is None or n is None:
        return None, {name for name, got in (("prior_weight", c), ("min_votes", n)) if got is None}
    return RankingMethod(c, n), set()


def campaign_words(t: Translator, frozen: Frozen) -> str:
    """Which campaign an announcement is of, in words ("campaign 2569", or "all votes")."""
    if frozen.campaign == announced.NO_CAMPAIGN:
        return str(t("campaigns.all_votes"))
    return str(t("awards.method_campaign", year=frozen.campaign))


def groups_words(t: Translator, frozen: Frozen) -> str:
    """The groups an announcement made, in words ("small, medium")."""
    return ", ".join(str(t(f"group.{g}")) for g in frozen.groups)
