"""An idle kiosk's daily check-in is a sign of life; a replay of its old batches is not.

A kiosk with nothing to send signs a new batch of its newest vote (sync/worker.py): it brings
no new vote, like a replay, but its ``made_at`` is later than every batch the collector has had
from that kiosk, which a replayed batch cannot be. Real collector stores on each backend, real
kiosk keys and ledgers; the collector's clock is the fake one.
"""

from __future__ import annotations

import re

import httpx
import pytest

from collector.cli import main
from collector.fleet import is_silent
from tests.collector_server import serve_collector
from tests.console import operator_client
from tests.fakes import FakeClock
from tests.kiosks import Kiosk, enroll, ingest
from wire.batch import build_batch

DAY = 86400


def signed_at(kiosk: Kiosk, made_at: str, first: int = 1, last: int | None = None) -> bytes:
    """A batch of the kiosk's votes first..last (all by default), signed with this made_at."""
    stored = kiosk.ledger.stored(first, last if last is not None else kiosk.ledger.head()[0])
    return build_batch(
        kiosk.key.private_key, [s.body for s in stored], [s.hash for s in stored], made_at
    )


@pytest.fixture
def kiosk(make_kiosk, store) -> Kiosk:
    k = make_kiosk()
    enroll(store, k)
    k.cast(5)
    return k


def test_a_check_in_keeps_an_idle_kiosk_from_looking_silent_and_a_replay_does_not(store, kiosk):
    sent = signed_at(kiosk, "2026-11-24T03:00:00.000Z")
    assert ingest(store, sent).new == 5
    seen = store.now()
    store.clock.advance(4 * DAY)  # four days without a vote

    assert ingest(store, sent).new == 0  # someone sends the stored batch again
    replayed = store.kiosk_status(kiosk.key.kiosk_id)
    assert (replayed.last_seen, replayed.last_checkin, replayed.replays) == (seen, None, 1)
    assert is_silent(replayed, store.clock.now())

    check_in = signed_at(kiosk, "2026-11-28T03:00:00.000Z", first=5)  # the newest vote, alone
    assert ingest(store, check_in).new == 0
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert (status.last_seen, status.last_checkin, status.replays) == (seen, store.now(), 2)
    assert status.last_heard == store.now()
    assert not is_silent(status, store.clock.now())
    assert (status.votes, status.contiguous) == (5, 5)  # nothing stored twice

    store.clock.advance(60)
    assert ingest(store, check_in).new == 0  # the check-in itself, replayed: no sign of life
    again = store.kiosk_status(kiosk.key.kiosk_id)
    assert again.last_checkin == status.last_checkin
    assert again.replays == 3


def test_a_batch_on_a_stick_raises_the_bar_but_is_no_check_in(store, kiosk):
    ingest(store, signed_at(kiosk, "2026-11-24T03:00:00.000Z", last=3))
    stick = signed_at(kiosk, "2026-11-26T03:00:00.000Z", first=4)  # votes 4-5 on a stick
    store.clock.advance(3 * DAY)
    assert ingest(store, stick, source="usb").new == 2
    store.clock.advance(60)
    assert ingest(store, stick, source="usb").new == 0  # imported twice: not a check-in
    assert ingest(store, stick).new == 0  # nor when someone sends the stick's file online
    status = store.kiosk_status(kiosk.key.kiosk_id)
    assert status.last_checkin is None
    assert status.replays == 2


def test_a_clock_set_back_makes_a_check_in_look_like_a_replay(store, kiosk):
    """Conservative: a kiosk whose clock went back signs batches older than its last one,
    so they are not taken for a sign of life (its clock shows as off, which needs the call)."""
    ingest(store, signed_at(kiosk, "2026-11-24T03:00:00.000Z"))
    store.clock.advance(DAY)
    ingest(store, signed_at(kiosk, "2026-01-01T00:00:00.000Z", first=5))
    assert store.kiosk_status(kiosk.key.kiosk_id).last_checkin is None


def test_the_kiosks_page_and_command_show_the_check_in(tmp_path, make_kiosk, capsys):
    with serve_collector(tmp_path / "collector.sqlite3", [("3706", "small")]) as collector:
        clock = FakeClock()  # 24 Nov 2026, 10:00 Thai time
        collector.store.clock = clock
        kiosk = make_kiosk()
        enroll(collector.store, kiosk)
        kiosk.cast(5)
        with httpx.Client(base_url=collector.url, timeout=30) as client:

            def send(data: bytes) -> None:
                answer = client.post(
                    "/api/v1/batches", content=data, headers={"content-type": "application/json"}
                )
                assert answer.status_code == 200, answer.text

            send(signed_at(kiosk, "2026-11-24T03:00:00.000Z"))
            clock.advance(4 * DAY)
            send(signed_at(kiosk, "2026-11-28T03:00:00.000Z", first=5))  # the daily check-in
            operator_client(client, collector.store, role="viewer")
            english = client.get("/kiosks?lang=en").text
            thai = client.get("/kiosks?lang=th").text
    row = re.search(rf'<tr class="([^"]*)" data-kiosk="{kiosk.key.kiosk_id}"', english)
    assert row
    assert "silent" not in row.group(1)
    assert re.search(r'title="28 Nov 2026 10:00">checked in 0 min ago, no new votes<', english)
    assert "ตู้ติดต่อมา 0 นาทีที่แล้ว (ไม่มีผลใหม่)" in thai

    assert main(["kiosks", "--json", "--db", str(tmp_path / "collector.sqlite3")]) == 0
    out = capsys.readouterr().out
    assert '"last_checkin": "2026-11-28T03:00:00.000Z"' in out
