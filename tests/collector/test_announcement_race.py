"""Two groups of one campaign announced at the same moment by two methods: one is refused.

A campaign's groups are all announced by one ranking method (store/announcements.py), so that
its publication ranks it by one method. Two officers (or two servers) announcing two groups at
the same moment must not both see no announcement yet: on PostgreSQL the announcements of a
campaign take turns (a table lock), on SQLite the file's writer lock does the same.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from collector import results
from collector.ranking import RankingMethod
from collector.store.announcements import (
    Decided,
    MethodDiffersError,
    announce,
    announcements,
)
from tests.kiosks import enroll, ingest


def test_two_groups_announced_at_once_by_two_methods_leave_one_method(store, make_kiosk):
    for name, district in (("a", "3706"), ("b", "4408")):
        kiosk = make_kiosk(name, district)
        enroll(store, kiosk)
        kiosk.cast(5)
        ingest(store, kiosk.batch())
    # Both deciders wait for each other inside their transactions; with the turns taken, the
    # second never gets there while the first holds the lock, so the first goes on alone.
    inside = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def announcing(group: str, method: RankingMethod) -> None:
        def decide(conn: Any) -> Decided:
            # A broken barrier: the other is waiting for the lock, as it must.
            with contextlib.suppress(threading.BrokenBarrierError):
                inside.wait(timeout=3)
            ranking = results.rank_conn(conn, method)
            return Decided(method.to_json(), ranking.awards_json()[group], ranking.total_votes)

        try:
            outcomes[group] = announce(store, group, "somchai", decide, "console")
        except MethodDiffersError as refused:
            outcomes[group] = refused

    threads = [
        threading.Thread(target=announcing, args=("small", RankingMethod(5, 1))),
        threading.Thread(target=announcing, args=("medium", RankingMethod(9, 1))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [g for g, o in outcomes.items() if isinstance(o, MethodDiffersError)]
    assert len(refused) == 1, outcomes
    held = announcements(store)
    assert len(held) == 1
    assert len({json_method(a.method) for a in held.values()}) == 1


def json_method(method: dict[str, Any]) -> tuple[int, int]:
    """A stored method as a comparable pair."""
    return (int(method["prior_weight"]), int(method["min_votes"]))
