"""A small run of the reconnect storm bench (bench/reconnect_storm.py): it still works.

The full run is `uv run python bench/reconnect_storm.py` (figures in docs/performance.md).
This one brings a few kiosks back at once against two real `serve` processes on one
database, in both ways of scheduling, and checks the verdict the bench prints: every vote
delivered and held exactly once, every batch answered by one of the two servers.
"""

from pathlib import Path

import pytest

from bench.reconnect_storm import storm


@pytest.mark.slow
def test_a_small_storm_delivers_every_vote_once_in_both_modes(tmp_path: Path) -> None:
    lines: list[str] = []
    results = storm(6, 20, ["fixed", "jitter"], 2.0, 120.0, tmp_path, seed=4, say=lines.append)
    print("\n".join(lines))
    assert [r.mode for r in results] == ["fixed", "jitter"]
    for r in results:
        assert r.ok, r.problems
        assert r.held == 6 * 20
        assert len(r.deliver_times) == len(r.sending_times) == 6
        assert sum(r.answers.values()) >= 6  # at least one batch request per kiosk
        assert r.answers["200"] >= 6
        assert sum(r.per_server) == sum(r.answers.values())
        assert r.peak_in_flight >= 1
        assert sum(r.tries.values()) >= 6
    assert any("every vote held exactly once   yes" in line for line in lines)
