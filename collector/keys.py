"""The collector's signing key, which kiosks pin at enrollment to check receipts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from collector.store.target import DatabaseTarget
from wire import keys
from wire.keys import DeviceKey, fingerprint_for

if TYPE_CHECKING:  # the store (and SQLAlchemy) only when a command opens a database
    from collector.store import CollectorStore


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


def pinned_collector_key(store: CollectorStore, db: DatabaseTarget | Path | str) -> DeviceKey:
    """The collector's key, which must be the one the database records (collector/store/
    pinned_key.py): recorded on first use; refused when this server's key file holds another,
    or when it is missing where the database already has one (it is not made anew then)."""
    from collector.store import pinned_key  # here: see TYPE_CHECKING above

    path = collector_key_path(db)
    held = pinned_key.recorded(store)
    if held is not None and not (path.exists() or path.is_symlink()):
        raise CollectorKeyError(
            f"There is no collector key at {path}, but this database already has the"
            f" collector's key (fingerprint {_shown(held)}). Restore the key file from the"
            " backup, or copy it from another server on this database (every server needs the"
            " same key): a new key would make every kiosk refuse this server's receipts."
        )
    key = load_collector_key(db, store.enrolled_count())
    mine = key.public_key_raw.hex()
    held = pinned_key.pin(store, mine)
    if held != mine:
        raise CollectorKeyError(
            f"The collector key {path} (fingerprint {key.fingerprint}) is not the key this"
            f" database was first used with (fingerprint {_shown(held)}). Every server on one"
            " database needs a copy of the same key file: copy it from the first server, or"
            " point this server at its own database. Kiosks would refuse the receipts of a"
            " server signing with another key."
        )
    return key


def make_new_collector_key(db: DatabaseTarget | Path | str) -> DeviceKey:
    """Make a new collector key where none is (the old one lost with no backup) and record it
    in the database in place of the old one, audited. Every kiosk must then enroll again."""
    from collector.store import CollectorStore, pinned_key  # here: see TYPE_CHECKING above

    path = collector_key_path(db)
    if path.exists() or path.is_symlink():
        raise CollectorKeyError(f"There is a collector key at {path} already; nothing was made.")
    with CollectorStore(db) as store:
        key = keys.create(path)
        store.set_setting(pinned_key.SETTING, key.public_key_raw.hex(), None, "cli")
    return key


def _shown(public_hex: str) -> str:
    try:
        return fingerprint_for(bytes.fromhex(public_hex))
    except ValueError:
        return public_hex[:16]
