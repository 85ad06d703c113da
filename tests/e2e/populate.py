"""A small, exactly known campaign sent to a running collector, for the page and browser tests.

Every number the pages show is fixed here, so tests can assert it:

* small:  3706 (winner, 40 votes, mean 4.75), 3701 (40 votes, mean 4.25), 3702 (3 votes of 5:
  below the minimum, so not ranked however perfect);
* medium: 4408 (winner, 40, 4.75), 4401 (40, 4.25);
* large:  4712 (winner, 40, 4.75), 4701 (40, 4.25);
* a kiosk for 1102 that enrolled and never sent anything (silent), a kiosk of 4701 whose
  network batch says it was made an hour ago (clock off), a restored copy of 3706's kiosk
  that sent another vote 1 (a quarantined conflict), and a damaged batch (a refusal).

Votes are cast over three days before today by kiosks enrolled the hour before, so the
votes-per-day chart has three bars (a vote is charted on the day it was placed at, never before
its kiosk's enrollment: collector/store/placement.py).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from kiosk.ledger import Ledger
from tests.fakes import FakeClock
from wire import keys
from wire.batch import build_batch
from wire.clock import format_utc
from wire.vote import Ballot, Target

DISTRICTS = [
    ("3706", "small"),
    ("3701", "small"),
    ("3702", "small"),
    ("4408", "medium"),
    ("4401", "medium"),
    ("4712", "large"),
    ("4701", "large"),
    ("1102", "small"),
]
WINNERS = {"small": "3706", "medium": "4408", "large": "4712"}
GOOD = [5] * 30 + [4] * 10  # mean 4.75
FAIR = [5] * 20 + [4] * 10 + [3] * 10  # mean 4.25
PHONE_STORY = "เจ้าหน้าที่โทรกลับมาที่ 081-234-5678 ด้วย ขอบคุณค่ะ"
MARKUP_STORY = "<b>ดีมาก</b> <script>alert(1)</script>"


@dataclass
class Populated:
    """What was sent, for the tests to compare with what the pages show."""

    kiosks: dict[str, str] = field(default_factory=dict)  # district -> kiosk id
    silent_kiosk: str = ""
    clock_off_kiosk: str = ""
    total_votes: int = 0
    days: int = 3


def _ballots(code: str, ratings: list[int]) -> list[Ballot]:
    out = []
    for i, rating in enumerate(ratings):
        target = (
            Target("staff", "s01")
            if i % 4 in (0, 1)
            else Target("unit", "u01")
            if i % 4 == 2
            else None
        )
        story = ""
        if code == "3706" and i == 0:
            story = PHONE_STORY
        elif code == "3706" and i == 1:
            story = MARKUP_STORY
        elif i % 10 == 3:
            story = "บริการดี รวดเร็ว"
        out.append(Ballot(code, rating, target, "id-card", (), story, "th"))
    return out


def _enroll(
    client: httpx.Client, store, code: str, key: keys.DeviceKey, at: datetime | None = None
) -> None:
    """Enroll key for code, at the moment at when given (the collector's clock is set back for
    it: the votes sent afterwards were cast after it), else now."""
    clock = store.clock
    if at is not None:
        store.clock = FakeClock(at)
    try:
        token = store.issue_token(code)
        answer = client.post(
            "/api/v1/enroll", json={"token": token, "public_key": key.public_key_raw.hex()}
        )
    finally:
        store.clock = clock
    answer.raise_for_status()


def _send(client: httpx.Client, data: bytes) -> httpx.Response:
    return client.post(
        "/api/v1/batches", content=data, headers={"content-type": "application/json"}
    )


def populate(url: str, store, root: Path) -> Populated:
    """Enroll the kiosks and send the campaign above to the collector at url."""
    done = Populated()
    start = datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0) - timedelta(days=3)
    now = format_utc(datetime.now(UTC))
    plan = {
        "3706": GOOD,
        "3701": FAIR,
        "3702": [5, 5, 5],
        "4408": GOOD,
        "4401": FAIR,
        "4712": GOOD,
        "4701": FAIR,
    }
    with httpx.Client(base_url=url, timeout=30) as client:
        for code, ratings in plan.items():
            folder = root / code
            key = keys.load_or_create(folder)
            _enroll(client, store, code, key, start - timedelta(hours=1))
            done.kiosks[code] = key.kiosk_id
            clock = FakeClock(start)
            with Ledger.open(folder, key, clock) as ledger:
                ballots = _ballots(code, ratings)
                per_day = -(-len(ballots) // 3)
                for day in range(3):
                    ledger.cast_many(ballots[day * per_day : (day + 1) * per_day])
                    clock.advance(86400)
                stored = ledger.pending(after_seq=0, limit=1000)
            made = now
            if code == "4701":
                made = format_utc(datetime.now(UTC) - timedelta(hours=1))
                done.clock_off_kiosk = key.kiosk_id
            data = build_batch(
                key.private_key, [s.body for s in stored], [s.hash for s in stored], made
            )
            _send(client, data).raise_for_status()
            done.total_votes += len(stored)
            if code == "3706":
                _send(client, data).raise_for_status()  # sent twice: counted once
                # A restored copy of this kiosk casts its own vote 1: a conflict, quarantined.
                copy = root / "3706-restored"
                copy.mkdir()
                shutil.copy2(folder / keys.KEY_FILE_NAME, copy / keys.KEY_FILE_NAME)
                with Ledger.open(copy, key, FakeClock(start)) as restored:
                    restored.cast(Ballot("3706", 1, None, None, (), "", "th"))
                    fork = restored.pending(after_seq=0, limit=10)
                _send(
                    client,
                    build_batch(
                        key.private_key, [s.body for s in fork], [s.hash for s in fork], now
                    ),
                ).raise_for_status()
                # A damaged batch: one byte of a vote changed after signing.
                damaged = data.replace(b'"rating":5', b'"rating":2', 1)
                assert _send(client, damaged).status_code == 422
        silent = keys.load_or_create(root / "1102")
        _enroll(client, store, "1102", silent)
        done.silent_kiosk = silent.kiosk_id
    return done
