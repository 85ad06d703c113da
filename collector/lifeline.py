"""A process the collector started ends when the process that started it ends, even by SIGKILL.

The serving process starts helper processes with multiprocessing's "spawn": the batch-checking
workers (collector/checking.py) and, with ``serve --workers N``, uvicorn's serving
workers. A clean shutdown stops them; a parent killed with SIGKILL (or by the kernel's OOM
killer) runs no code at all, and its children would live on as orphans under process 1, each
still holding the collector's listening socket or multiprocessing's resource tracker.

So each such child watches its parent. multiprocessing already gives a spawned child the read
end of a pipe whose only write end its parent holds (``parent_process().sentinel``); the
kernel closes that end when the parent dies, however it dies, and the child reads end of file.
A thread blocked on it costs nothing until then and wakes at once, which polling
``os.getppid()`` would not, and it does not depend on which of the parent's threads started
the child, as Linux's ``PR_SET_PDEATHSIG`` does (it fires when that *thread* ends; the pool's
processes are started from whichever thread first submits work). The resource tracker needs
nothing of ours: it ends on end of file of its own pipe, once the parent and every worker
holding that pipe are gone.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.connection import wait

log = logging.getLogger(__name__)


def follow_parent(on_parent_gone: Callable[[], None]) -> bool:
    """Call ``on_parent_gone`` in a thread once the process that spawned this one has ended.

    Returns False, watching nothing, in a process that multiprocessing did not spawn.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return False
    sentinel = parent.sentinel
    pid = parent.pid

    def watch() -> None:
        wait([sentinel])  # returns when the parent's end of the pipe is closed: it has ended
        log.warning("the collector process %s that started this one has ended; ending", pid)
        on_parent_gone()

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()
    return True
