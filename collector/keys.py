"""The collector's signing key, which kiosks pin at enrollment to check receipts."""

from __future__ import annotations

from pathlib import Path

from collector.store.target import DatabaseTarget
from wire import keys
from wire.keys import DeviceKey


def collector_key_path(db: DatabaseTarget | Path | str) -> Path:
    """The key file in the database's home: collector.sqlite3 -> collector.key.pem beside it.

    For PostgreSQL the home is $SANGSUK_COLLECTOR_HOME (else the user's data folder), and the
    key is collector.key.pem there: every server on the database needs a copy of it.
    """
    target = DatabaseTarget.parse(db)
    return target.home / f"{target.key_stem}.key.pem"


class CollectorKeyError(Exception):
    """The collector key cannot be used, or must not be made anew."""


def load_collector_key(db: DatabaseTarget | Path | str, enrolled_kiosks: int = 0) -> DeviceKey:
    """Load the collector's key, making it on first use; never while kiosks have pinned one."""
    path = collector_key_path(db)
    if path.exists() or path.is_symlink():
        try:
            return keys.load(path)
        except keys.KeyFileError as exc:
            raise CollectorKeyError(
                f"The collector key {path} cannot be used ({exc.__cause__ or exc}). It was not"
                " replaced: every enrolled kiosk has pinned it. Restore it from the backup."
            ) from exc
    if enrolled_kiosks:
        raise CollectorKeyError(
            f"The collector key {path} is missing but {enrolled_kiosks} kiosk(s) are enrolled with"
            " it; restore it from the backup, because a new key would make every kiosk refuse"
            " the collector's receipts."
        )
    return keys.create(path)
