"""Changing the district office of a kiosk that is set up, from the clerk's Settings.

A clerk who chose the wrong district in the setup wizard may choose again, but only while
nothing has yet been bound to the first choice:

* the kiosk is not enrolled: enrolling binds its key to its district at the collector, which
  then takes votes for that district only (collector/store ``district_mismatch``), so a
  district changed after enrolling would have every later vote refused;
* the ledger holds no vote: every vote is signed with the district it was cast for, and votes
  can be neither changed nor removed (design promises 2 and 3, kiosk/ledger.py). One vote of
  the old district in the chain would be refused by the collector of the new one, and every
  vote after it would wait behind it, never sent.

Otherwise the district stays, and the clerk is told why and to call the central office. The
check is made from the files (config.json and the ledger), on the clerk's worker thread, both
when Settings is shown and again when the change is saved, whatever the screen showed.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Final

from kiosk.config import ConfigError, KioskConfig, load_config, save_config
from kiosk.ledger import LEDGER_FILE_NAME
from wire.districts import valid_district
from wire.files import read_only_uri

log = logging.getLogger(__name__)

# Why the district cannot be changed (DistrictChangeError.code, and the screen's words):
DEMO: Final = "demo"  # not set up yet: the setup wizard chooses it
ENROLLED: Final = "enrolled"
HAS_VOTES: Final = "has_votes"
UNKNOWN: Final = "unknown_district"
UNREADABLE: Final = "unreadable"  # the settings or the ledger cannot be read: nothing is changed
READ_TIMEOUT_S: Final = 10.0  # how long to wait for the ledger thread's write to end


class DistrictChangeError(Exception):
    """The district was not changed; ``code`` says why (one of the codes above)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def votes_cast(data_dir: Path) -> int:
    """How many votes the ledger in data_dir holds (0 when there is none yet).

    Read on a read-only connection of its own, as the dashboard does, beside the ledger
    thread's; raises DistrictChangeError(UNREADABLE) when the ledger cannot be read. Votes are
    numbered 1, 2, 3 … with none removed (the ledger's triggers), so the last number is the
    count, found at once at any size.
    """
    path = data_dir / LEDGER_FILE_NAME
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=READ_TIMEOUT_S)
        try:
            row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM votes").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if str(exc) == "no such table: votes":  # the ledger thread is making it: no vote yet
            return 0
        raise DistrictChangeError(UNREADABLE, f"the ledger {path} cannot be read: {exc}") from exc
    except sqlite3.Error as exc:
        raise DistrictChangeError(UNREADABLE, f"the ledger {path} cannot be read: {exc}") from exc
    return int(row[0])


def district_lock(config: KioskConfig, votes: int) -> str | None:
    """Why the district cannot be changed now (DEMO, ENROLLED, HAS_VOTES), or None if it can."""
    if config.demo:
        return DEMO
    if config.enrolled:
        return ENROLLED
    if votes > 0:
        return HAS_VOTES
    return None


def why_locked(data_dir: Path) -> str | None:
    """Why the kiosk in data_dir cannot change its district now (a code above), None if it can.

    What Settings shows before the clerk chooses: unreadable settings or ledger are UNREADABLE.
    """
    try:
        return district_lock(load_config(data_dir), votes_cast(data_dir))
    except ConfigError as exc:
        log.warning("the district cannot be changed: %s", exc)
        return UNREADABLE
    except DistrictChangeError as exc:
        log.warning("the district cannot be changed: %s", exc)
        return exc.code


def change_district(data_dir: Path, district: str) -> KioskConfig:
    """Set the kiosk's district office to district, if nothing is bound to the old one yet.

    Checked again here, from the files, whatever the screen showed: raises DistrictChangeError
    (UNKNOWN, DEMO, ENROLLED, HAS_VOTES, UNREADABLE) and then changes nothing. Returns the
    settings saved (the same when district is the one already set).
    """
    if not valid_district(district):
        raise DistrictChangeError(UNKNOWN, f"{district!r} is not a district office")
    try:
        config = load_config(data_dir)
    except ConfigError as exc:
        raise DistrictChangeError(UNREADABLE, str(exc)) from exc
    votes = votes_cast(data_dir)
    lock = district_lock(config, votes)
    if lock is not None:
        log.warning(
            "the district stays %s: the clerk asked for %s, but %s (%d votes, enrolled %s)",
            config.district,
            district,
            lock,
            votes,
            config.enrolled,
        )
        raise DistrictChangeError(lock, f"the district cannot be changed now: {lock}")
    if config.district == district:
        return config
    new = config.with_changes(district=district)
    save_config(data_dir, new)
    log.info("the clerk changed the district from %s to %s", config.district, district)
    return new
