"""A short run of the soak (bench/soak.py): kiosk processes, fault proxy, a collector killed.

The long run is `uv run python bench/soak.py --minutes 10` (figures in docs/reliability.md).
This one votes for a few seconds with kills close together, so every kind of fault happens,
and checks the same verdict: nothing lost, nothing counted twice, nothing left pending.
"""

from pathlib import Path

import pytest

from bench.soak import run_soak


@pytest.mark.slow
def test_a_short_soak_loses_nothing_and_counts_nothing_twice(
    tmp_path: Path, collector_db: str
) -> None:
    result = run_soak(
        minutes=0.15,
        kiosks=2,
        seed=20261125,
        root=tmp_path,
        vote_interval=0.1,
        collector_kill_every=3,
        kiosk_kill_every=2.5,
        drain_seconds=90,
        progress=False,
        db=collector_db,  # SQLite, then PostgreSQL
    )
    print(result)
    assert result.ok, result
    assert (result.lost, result.duplicated, result.pending) == (0, 0, 0)
    assert result.delivered == result.in_ledgers >= result.acknowledged >= 20
    # Not a quiet run: faults of the network, and kills of both sides, really happened.
    assert sum(result.faults.values()) >= 5
    assert result.collector_kills >= 1
    assert result.kiosk_kills >= 1
