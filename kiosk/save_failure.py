"""The last time a citizen's vote could not be saved, for the clerk's dashboard.

The citizen sees only a calm "please tell a member of staff"; the clerk needs the reason (the
disk is full, the database failed). The ledger thread records it here when a cast fails. It
is kept in memory for this run *and* written to ``last-save-failure.json`` when the disk
allows: when the disk is full that write fails too (and is only logged), and the memory copy
is what the dashboard shows. It is advice: a damaged file reads as "none".
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Final

from wire.files import write_atomically

SAVE_FAILURE_FILE_NAME: Final = "last-save-failure.json"
MAX_MESSAGE_CHARS: Final = 500
log = logging.getLogger(__name__)

_lock = threading.Lock()
_in_memory: dict[Path, SaveFailure] = {}


@dataclass(frozen=True, slots=True)
class SaveFailure:
    """Why and when a vote was last not saved. ``at`` is a protocol timestamp (UTC)."""

    code: str
    message: str
    at: str


def _key(data_dir: Path) -> Path:
    return data_dir.resolve()


def record_save_failure(data_dir: Path, code: str, message: str, at: str) -> None:
    """Remember a failed save (memory first, then the file if the disk takes it). Never raises."""
    failure = SaveFailure(code, message[:MAX_MESSAGE_CHARS], at)
    with _lock:
        _in_memory[_key(data_dir)] = failure
    try:
        write_atomically(
            data_dir / SAVE_FAILURE_FILE_NAME,
            json.dumps(asdict(failure), ensure_ascii=False).encode("utf-8"),
        )
    except OSError as exc:
        log.warning("the save failure could not be written down too (%s); kept in memory", exc)


def last_save_failure(data_dir: Path) -> SaveFailure | None:
    """The latest failed save of this run, else the one on file, else None."""
    with _lock:
        found = _in_memory.get(_key(data_dir))
    if found is not None:
        return found
    path = data_dir / SAVE_FAILURE_FILE_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        log.warning("the save failure file %s cannot be read (%s)", path, exc)
        return None
    if not isinstance(raw, dict) or not all(
        isinstance(raw.get(k), str) for k in ("code", "message", "at")
    ):
        log.warning("the save failure file %s does not hold a save failure", path)
        return None
    return SaveFailure(raw["code"], raw["message"][:MAX_MESSAGE_CHARS], raw["at"])


def clear_save_failure(data_dir: Path) -> None:
    """Forget the recorded failure (the clerk has dealt with it). Never raises."""
    with _lock:
        _in_memory.pop(_key(data_dir), None)
    try:
        (data_dir / SAVE_FAILURE_FILE_NAME).unlink(missing_ok=True)
    except OSError as exc:
        log.warning("the save failure file could not be removed: %s", exc)
