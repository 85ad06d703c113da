"""On PostgreSQL the batches' bytes are compressed with lz4 where the server has it.

Each stored batch keeps its bytes (200-400 kB); PostgreSQL compresses a value that large, and
its default (pglz) cost the database server about 9 µs per vote where lz4 costs about 2.5
(collector/store/connection.py). The setting is the collector's session's: nothing in the
schema changes, and a value stored either way reads back the same.
"""

from __future__ import annotations

from collector.store import CollectorStore
from tests.collector_db import one
from tests.fakes import FakeClock
from tests.kiosks import enroll, ingest
from wire.batch import check_batch


def test_a_batch_is_stored_compressed_with_lz4_and_reads_back_the_same(pg_url, make_kiosk):
    with CollectorStore(pg_url, FakeClock()) as store:
        store.load_districts([("3706", "small")])
        offered = one(
            store,
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
            " WHERE name = 'default_toast_compression'",
        )
        kiosk = make_kiosk()
        enroll(store, kiosk)
        kiosk.cast(40)
        data = kiosk.batch()
        assert ingest(store, data).new == 40
        expected = "lz4" if offered else "pglz"
        assert one(store, "SELECT current_setting('default_toast_compression')") == expected
        stored = one(store, "SELECT body FROM batches")
        assert bytes(stored) == data
        assert check_batch(bytes(stored)).ok
        method = one(store, "SELECT pg_column_compression(body) FROM batches")
        assert method == expected
