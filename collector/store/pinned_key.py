"""The collector's public key, recorded in the database the first time a server uses it.

Every server on one database must sign receipts with the same key: kiosks pin it at enrollment
and refuse a receipt signed by any other. The key file lives in each server's home, so a second
server started without a copy of it would make a key of its own and sign with it, and every
kiosk the load balancer sends there would refuse its receipts. The database is what the
servers share, so it records which key is the collector's, and a server whose key differs is
refused before it serves (collector/keys.py).
"""

from __future__ import annotations

import logging
from typing import Final

import sqlalchemy as sa

from collector.store.collector_store import CollectorStore

SETTING: Final = "collector_public_key"  # 64 hex digits of the Ed25519 public key

log = logging.getLogger(__name__)


def recorded(store: CollectorStore) -> str | None:
    """The collector key this database was first used with, or None before any."""
    return store.setting(SETTING)


def pin(store: CollectorStore, public_hex: str) -> str:
    """Record public_hex as the collector's key unless one is recorded; return the recorded one.

    Recording it is not audited: it is the key in use since the database was made, not a
    change (replacing it, keys.make_new_collector_key, is a setting's change, audited).

    Two servers starting together on a new database both try; the database's primary key on
    the setting lets one win, and the other reads the winner's key back in the same transaction.
    """
    with store.transaction() as conn:
        made = conn.execute(
            sa.text(
                "INSERT INTO settings (key, value) VALUES (:key, :value)"
                " ON CONFLICT (key) DO NOTHING"
            ),
            {"key": SETTING, "value": public_hex},
        ).rowcount
        held = str(
            conn.execute(
                sa.text("SELECT value FROM settings WHERE key = :key"), {"key": SETTING}
            ).scalar_one()
        )
        if made == 1:  # the key a new (or older) database has been used with, not a change
            log.info("recorded the collector key %s in the database", public_hex)
    return held
