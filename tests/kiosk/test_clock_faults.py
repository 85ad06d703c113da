"""Clock faults on the kiosk (promise 7: the wall clock is advice, order comes from seq).

A tablet's clock is reset to 1970 by a flat battery, set a year ahead by a careless hand, or
jumps backwards in the middle of a citizen's session when the network time arrives. In every
case: no vote is lost, the votes keep their seq order (their ``cast_at`` says what the clock
said), the ledger verifies, the citizen's flow (which times itself on the monotonic clock) is
not disturbed, every vote reaches a real collector exactly once, and the collector flags the
kiosk's clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from collector.cli import main as collector_cli
from collector.store.operators import Operators
from kiosk.flow import Flow, Step
from kiosk.ledger import Ledger
from sync.uploader import Uploader
from sync.usb import export_batches
from sync.worker import SyncService
from tests.collector_db import sql
from tests.collector_server import RunningCollector, serve_collector
from tests.console import log_in, make_operator
from tests.fakes import FakeClock
from wire import keys
from wire.keys import public_key_from_raw
from wire.vote import Ballot, Target

TRUE_NOW = datetime(2026, 11, 24, 3, 0, 0, tzinfo=UTC)  # what the collector's clock says
EPOCH = datetime(1970, 1, 1, 0, 0, 0, tzinfo=UTC)


def no_wait(seconds: float) -> bool:
    return False


@dataclass
class Scene:
    """A kiosk on a fake clock, enrolled with a real collector whose clock is right."""

    clock: FakeClock
    ledger: Ledger
    key: keys.DeviceKey
    data_dir: Path
    collector: RunningCollector

    def cast(self, n: int, rating: int = 5) -> list[int]:
        """Cast n votes now (by the kiosk's clock); return their seqs."""
        votes = [self.ledger.cast(Ballot("3706", rating, Target("staff", "s01"))) for _ in range(n)]
        return [v.seq for v in votes]

    def sync(self) -> None:
        """One sync pass over HTTP, as the kiosk's worker makes it."""
        key = public_key_from_raw(bytes.fromhex(self.collector.collector_key_hex))
        with Uploader(self.collector.url, key, wait=no_wait) as uploader:
            report = SyncService(self.ledger, uploader, self.data_dir).sync_once()
        assert report.ok, report.error

    def status(self) -> dict[str, object]:
        """The collector's status of this kiosk, over HTTP, as a logged-in viewer reads it."""
        with requests.Session() as http:
            if Operators(self.collector.store).get("viewer") is None:
                make_operator(self.collector.store, "viewer", "viewer")
            log_in(http, self.collector.url, "viewer")
            answer = http.get(
                f"{self.collector.url}/api/v1/kiosks/{self.key.kiosk_id}/status", timeout=10
            )
        answer.raise_for_status()
        body: dict[str, object] = answer.json()
        return body

    def assert_nothing_lost(self, cast: list[int]) -> None:
        """Every vote cast is in the ledger in seq order, verifies, and is at the collector."""
        stored = list(self.ledger.iter_votes())
        assert [s.seq for s in stored] == list(range(1, len(cast) + 1)) == sorted(cast)
        pinned = public_key_from_raw(bytes.fromhex(self.collector.collector_key_hex))
        assert self.ledger.verify(pinned).ok
        held = dict(
            sql(
                self.collector.store,
                "SELECT seq, hash FROM votes WHERE kiosk = :kiosk",
                kiosk=self.key.kiosk_id,
            )
        )
        assert held == {s.seq: s.hash for s in stored}
        assert self.ledger.counts().pending == 0


@pytest.fixture
def scene(tmp_path: Path) -> Iterator[Scene]:
    clock = FakeClock(TRUE_NOW)
    data_dir = tmp_path / "kiosk"
    key = keys.load_or_create(data_dir)
    with (
        serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as collector,
        Ledger.open(data_dir, key, clock) as ledger,
    ):
        collector.store.clock = FakeClock(TRUE_NOW)  # the centre's clock is right
        collector.store.enroll(collector.store.issue_token("3706"), key.public_key_raw.hex())
        yield Scene(clock, ledger, key, data_dir, collector)


def test_a_clock_reset_to_1970_loses_nothing_and_is_flagged(scene: Scene) -> None:
    cast = scene.cast(3)
    scene.sync()
    assert scene.status()["clock_skew_s"] == 0
    scene.clock.set_wall(EPOCH)  # the battery went flat; the tablet starts in 1970
    cast += scene.cast(4)
    later = [scene.ledger.vote(s).cast_at for s in cast[3:]]
    assert later == ["1970-01-01T00:00:00.000Z"] * 4  # the clock's word, kept as advice

    scene.sync()

    scene.assert_nothing_lost(cast)
    status = scene.status()
    assert isinstance(status["clock_skew_s"], float)
    assert status["clock_skew_s"] < -56 * 365 * 86400  # made_at 1970, received 2026
    assert scene.collector.store.kiosk_status(scene.key.kiosk_id).skew_flagged
    # A vote cast in 1970 counts on the Thai day its clock said; the total is right.
    assert scene.ledger.counts(day=EPOCH.date()).today == 4
    assert scene.ledger.counts().total == 7


def test_a_clock_a_year_ahead_is_flagged_even_from_a_usb_file(scene: Scene, tmp_path: Path) -> None:
    scene.clock.set_wall(TRUE_NOW + timedelta(days=365))
    cast = scene.cast(5)
    stick = tmp_path / "stick"
    stick.mkdir()
    files = export_batches(scene.ledger, scene.key, "3706", stick, 500)
    # The central office imports the file. Its made_at says nothing about the kiosk's clock
    # (a file is made long before it is imported), but its votes claim a time a year ahead.
    assert collector_cli(["import", str(files[0]), "--db", str(scene.collector.db_path)]) == 0
    status = scene.collector.store.kiosk_status(scene.key.kiosk_id)
    assert status.clock_skew_s is None  # a file's made_at says nothing about the clock
    assert status.vote_ahead_s is not None
    assert status.vote_ahead_s > 300 * 86400  # the votes say they were cast a year from now
    assert status.skew_flagged
    scene.sync()  # nothing pending over the network: the receipt file is not imported here
    scene.assert_nothing_lost(cast)


def test_a_clock_jumping_back_mid_session_keeps_the_vote_and_the_order(scene: Scene) -> None:
    flow = Flow("3706", scene.clock)
    scene.cast(2)  # earlier citizens, at 03:00
    assert flow.start()
    scene.clock.advance(2)
    flow.choose_rating(4)
    scene.clock.advance(2)
    flow.choose_target(Target("unit", "civil"))
    # Network time arrives: the wall clock was two hours fast and steps back, mid-session.
    scene.clock.set_wall(scene.clock.now() - timedelta(hours=2))
    scene.clock.advance(2)
    assert flow.view().still_there_remaining is None  # the flow's timers are not disturbed
    flow.set_story("ขอบคุณค่ะ")
    scene.clock.advance(2)
    vote = scene.ledger.cast(flow.finish())
    flow.saved()
    assert flow.step is Step.THANKS
    assert vote.seq == 3
    scene.clock.advance(30)
    flow.tick()
    nxt = scene.ledger.cast(Ballot("3706", 5))  # the next citizen, a little later
    assert nxt.seq == 4

    cast_at = [scene.ledger.vote(s).cast_at for s in (1, 2, 3, 4)]
    assert cast_at[2] < cast_at[1]  # the clock went back; the order did not
    assert [v.seq for v in scene.ledger.pending()] == [1, 2, 3, 4]
    scene.sync()
    scene.assert_nothing_lost([1, 2, 3, 4])
    # The collector keeps the seq order and the kiosk's own cast_at, and a jump of two hours
    # is more than the 5 minutes it allows: flagged from the made_at of this batch.
    assert scene.collector.store.kiosk_status(scene.key.kiosk_id).skew_flagged


def test_a_clock_at_the_end_of_time_still_saves_the_vote(scene: Scene) -> None:
    """Year 9999, 23:59 UTC: the Thai day (UTC+7) would be past the last date there is."""
    scene.clock.set_wall(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC))
    cast = scene.cast(2)
    assert scene.ledger.vote(2).cast_at == "9999-12-31T23:59:59.000Z"
    assert scene.ledger.counts().total == 2
    scene.sync()
    scene.assert_nothing_lost(cast)
    assert scene.collector.store.kiosk_status(scene.key.kiosk_id).skew_flagged
