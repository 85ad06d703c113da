"""The awards ranking: a Bayesian average that luck cannot win, exact and deterministic."""

import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.ranking import RankingMethod, Tally, rank, score, tie_note
from wire.districts import SIZE_GROUPS


def tally(code, group, **counts):
    """A tally from counts by rating, e.g. tally("3706", "small", r5=30, r4=10)."""
    t = Tally(code, group)
    for rating in range(1, 6):
        t.add(rating, counts.get(f"r{rating}", 0))
    return t


def test_the_score_is_the_mean_pulled_towards_the_national_mean():
    tallies = [tally("3706", "small", r5=30, r4=10), tally("3701", "small", r3=40)]
    ranking = rank(tallies, RankingMethod(prior_weight=40, min_votes=10))
    national = Fraction(190 + 120, 80)
    assert ranking.national_mean == national
    best = ranking.groups["small"][0]
    assert best.code == "3706"
    assert best.score == (40 * national + 190) / (40 + 40)
    assert best.mean == Fraction(190, 40)
    assert best.score_rounded == 4.3125


def test_a_handful_of_perfect_votes_does_not_beat_many_good_ones():
    tallies = [
        tally("3702", "small", r5=5),  # five perfect votes
        tally("3706", "small", r5=150, r4=50),  # 200 votes, mean 4.75
        tally("3701", "small", r5=100, r4=100, r3=100, r2=50),
    ]
    ranking = rank(tallies, RankingMethod(prior_weight=50, min_votes=5))
    assert [r.code for r in ranking.groups["small"]][:2] == ["3706", "3702"]


def test_districts_below_the_minimum_are_not_ranked():
    ranking = rank(
        [tally("3706", "small", r5=30), tally("3702", "small", r5=29)],
        RankingMethod(prior_weight=0, min_votes=30),
    )
    assert [r.code for r in ranking.groups["small"]] == ["3706"]
    assert [(r.code, r.rank) for r in ranking.below_minimum["small"]] == [("3702", 0)]


def test_equal_scores_go_to_more_votes_then_the_lower_code():
    # With no prior weight the score is the raw mean: all three score exactly 5.
    tallies = [
        tally("3710", "small", r5=40),
        tally("3706", "small", r5=40),
        tally("3701", "small", r5=60),
    ]
    ranked = rank(tallies, RankingMethod(prior_weight=0, min_votes=1)).groups["small"]
    assert [(r.rank, r.code) for r in ranked] == [(1, "3701"), (2, "3706"), (3, "3710")]
    assert tie_note(ranked[0], ranked[1]) == "votes"
    assert tie_note(ranked[1], ranked[2]) == "code"
    assert tie_note(ranked[0], ranked[0]) == "code"


def test_groups_are_ranked_apart_and_awards_have_the_published_shape():
    ranking = rank(
        [
            tally("3706", "small", r5=40),
            tally("4408", "medium", r5=35, r4=5),
            tally("4712", "large", r4=40),
        ],
        RankingMethod(prior_weight=10, min_votes=30),
    )
    awards = ranking.awards_json()
    assert list(awards) == ["small", "medium", "large"]
    # national mean 555 / 120 = 4.625; 4408: (10 x 4.625 + 195) / 50
    assert awards["medium"] == [{"code": "4408", "score": 4.825, "votes": 40}]
    assert {tuple(entry) for g in SIZE_GROUPS for entry in awards[g]} == {
        ("code", "score", "votes")
    }
    assert ranking.winner("large").code == "4712"


def test_no_votes_ranks_nothing():
    ranking = rank([Tally("3706", "small")])
    assert ranking.national_mean is None
    assert ranking.awards_json() == {"small": [], "medium": [], "large": []}
    assert ranking.winner("small") is None


@pytest.mark.parametrize(("weight", "minimum"), [(-1, 30), (50, 0), (10**7, 30), (50, 10**7)])
def test_nonsense_settings_are_refused(weight, minimum):
    with pytest.raises(ValueError, match="must be"):
        RankingMethod(weight, minimum)


def test_settings_round_trip_and_bad_ones_are_refused():
    method = RankingMethod(25, 12)
    assert RankingMethod.from_json(method.to_json()) == method
    for bad in ({"prior_weight": 1}, {"prior_weight": True, "min_votes": 3}, [], None):
        with pytest.raises(ValueError, match="must"):
            RankingMethod.from_json(bad)


def test_a_rating_outside_one_to_five_is_refused():
    with pytest.raises(ValueError, match="1 to 5"):
        Tally("3706", "small").add(6)


def test_an_unknown_size_group_is_refused():
    with pytest.raises(ValueError, match="huge"):
        rank([tally("3706", "huge", r5=1)])


counts = st.lists(st.integers(0, 40), min_size=5, max_size=5)
districts = st.lists(st.tuples(st.sampled_from(SIZE_GROUPS), counts), min_size=1, max_size=25)


@given(districts, st.integers(0, 100), st.integers(1, 50), st.randoms())
def test_the_order_is_total_deterministic_and_best_first(items, weight, minimum, rng):
    tallies = [Tally(f"{3000 + i:04d}", group, list(c)) for i, (group, c) in enumerate(items)]
    method = RankingMethod(weight, minimum)
    first = rank(tallies, method)
    shuffled = list(tallies)
    random.Random(rng.random()).shuffle(shuffled)
    assert rank(shuffled, method).awards_json() == first.awards_json()
    for group in SIZE_GROUPS:
        ranked = first.groups[group]
        assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
        assert all(r.votes >= minimum for r in ranked)
        for a, b in itertools.pairwise(ranked):
            assert (a.score, a.votes, -int(a.code)) > (b.score, b.votes, -int(b.code))
        if first.national_mean is not None:
            for r in ranked:  # pulled towards the national mean, never past it
                low, high = sorted((r.mean, first.national_mean))
                assert low <= r.score <= high
                assert r.score == score(
                    sum((i + 1) * n for i, n in enumerate(r.counts)),
                    r.votes,
                    first.national_mean,
                    weight,
                )
