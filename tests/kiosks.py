"""Fixtures for the sender's and the collector's tests: kiosks with real keys and ledgers full of
demo votes, and a collector store."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from collector.store import CollectorStore, IngestResult
from kiosk.demo import random_ballot
from kiosk.ledger import Ledger
from tests.fakes import FakeClock
from wire import keys
from wire.batch import build_batch, check_batch
from wire.keys import DeviceKey


@dataclass
class Kiosk:
    """A kiosk for tests: its folder, key and open ledger."""

    data_dir: Path
    key: DeviceKey
    ledger: Ledger
    district: str

    def cast(self, n: int, seed: int = 1) -> None:
        """Cast n demo votes."""
        rng = random.Random(seed)
        self.ledger.cast_many([random_ballot(rng, self.district) for _ in range(n)])

    def batch(self, first: int = 1, limit: int = 500) -> bytes:
        """Return a signed batch of the pending votes from seq first."""
        stored = self.ledger.pending(after_seq=first - 1, limit=limit)
        return build_batch(
            self.key.private_key,
            [s.body for s in stored],
            [s.hash for s in stored],
            "2026-11-24T03:00:00.000Z",
        )


@pytest.fixture
def make_kiosk(tmp_path: Path) -> Iterator[Callable[..., Kiosk]]:
    """Make kiosks with real keys and ledgers in tmp_path; all are closed afterwards."""
    made: list[Kiosk] = []

    def make(name: str = "k1", district: str = "3706") -> Kiosk:
        data_dir = tmp_path / name
        key = keys.load_or_create(data_dir)
        kiosk = Kiosk(data_dir, key, Ledger.open(data_dir, key, FakeClock()), district)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.ledger.close()


@pytest.fixture
def store(collector_db: str) -> Iterator[CollectorStore]:
    """A real collector database, once on each backend, with the 2021 winners' districts loaded."""
    with CollectorStore(collector_db, FakeClock()) as opened:
        opened.load_districts([("3706", "small"), ("4408", "medium"), ("4712", "large")])
        yield opened


def enroll(store: CollectorStore, kiosk: Kiosk) -> None:
    """Enroll a test kiosk for its district with a fresh token."""
    store.enroll(store.issue_token(kiosk.district), kiosk.key.public_key_raw.hex())


def ingest(store: CollectorStore, data: bytes, source: str = "http") -> IngestResult:
    """Check and ingest a batch the way both the API and `import` do."""
    return store.ingest(check_batch(data), data, source, "127.0.0.1")
