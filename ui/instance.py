"""One kiosk window per data folder, and no enrolment behind a running window's back.

The window reads its settings (config.json) once, when it starts. ``sangsuk-kiosk enroll`` run
beside it would enrol the tablet while the window went on as before (the demo district, or the
old collector) until it was started again. So the window holds a lock file in its data folder
while it runs, a second window on the same folder does not start, and the commands that change
the settings refuse while the lock is held.

Qt's QLockFile is the tool made for this: the file names the process that holds it, and a lock
left by a process that is gone (a crash, a power cut) is taken over, so it never outlasts the
window.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Final

from PySide6.QtCore import QLockFile

LOCK_NAME: Final = "kiosk-window.lock"
log = logging.getLogger(__name__)


def hold(data_dir: Path) -> QLockFile | None:
    """Take the window's lock on data_dir; None when another running window holds it.

    A lock that cannot be made for another reason (a read-only folder) is logged and not held:
    it guards against a mistake, and must never keep the kiosk from starting.
    """
    try:
        data_dir.mkdir(parents=True, exist_ok=True)  # a first start: the folder is made here
    except OSError as exc:
        log.warning("the kiosk window's lock in %s cannot be made (%s)", data_dir, exc)
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)  # only a live process holds it, however long it has run
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        return None
    log.warning("the kiosk window's lock in %s cannot be made (%s)", data_dir, lock.error().name)
    return QLockFile(str(data_dir / LOCK_NAME))  # held by no one: nothing to release


def running_window(data_dir: Path) -> int | None:
    """The process id of a kiosk window running on data_dir, or None when none runs."""
    if not (data_dir / LOCK_NAME).exists():
        return None
    lock = QLockFile(str(data_dir / LOCK_NAME))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):  # a lock left by a process that is gone: no window runs
        lock.unlock()
        return None
    if lock.error() != QLockFile.LockError.LockFailedError:
        return None
    pid, _host, _app = lock.getLockInfo()  # 0 when the file could not be read
    return int(pid)
