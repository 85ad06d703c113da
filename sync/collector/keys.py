"""The collector's signing key, which kiosks pin at enrollment to check receipts."""

from __future__ import annotations

from pathlib import Path

from kiosk import keys
from kiosk.keys import DeviceKey


def collector_key_path(db_path: Path) -> Path:
    """The key file kept beside the collector database: collector.sqlite3 -> collector.key.pem."""
    return db_path.with_name(db_path.stem + ".key.pem")


def load_collector_key(db_path: Path) -> DeviceKey:
    """Load the collector's key, making it on first use (owner-only file, never replaced)."""
    path = collector_key_path(db_path)
    if path.exists() or path.is_symlink():
        return keys.load(path)
    return keys.create(path)
