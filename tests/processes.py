"""Processes as /proc shows them (Linux), for tests that check nothing is left running."""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


@dataclass(frozen=True)
class Proc:
    """One process: its id and start time (together, no reused pid is mistaken for it)."""

    pid: int
    started: int  # clock ticks after boot, /proc/PID/stat field 22

    def alive(self) -> bool:
        """Still running: there, the same process, and not a zombie waiting to be reaped."""
        stat = _stat(self.pid)
        return stat is not None and stat.started == self.started and stat.state not in "ZX"

    def describe(self) -> str:
        """Its pid and command line, for a failure message."""
        try:
            raw = Path(f"/proc/{self.pid}/cmdline").read_bytes()
        except OSError:
            raw = b""
        command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        return f"{self.pid}: {command}"


@dataclass(frozen=True)
class _Stat:
    state: str
    ppid: int
    session: int
    started: int


def _stat(pid: int) -> _Stat | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name, in parentheses, may hold spaces
    return _Stat(fields[0], int(fields[1]), int(fields[3]), int(fields[19]))


def _all() -> dict[int, _Stat]:
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (stat := _stat(int(name))) is not None:
            found[int(name)] = stat
    return found


def started_by(pid: int, session: int | None = None) -> set[Proc]:
    """The live processes descended from pid, and those in ``session`` if given."""
    table = _all()
    children: dict[int, list[int]] = {}
    for child, stat in table.items():
        children.setdefault(stat.ppid, []).append(child)
    found: set[int] = set()
    todo = list(children.get(pid, []))
    while todo:
        child = todo.pop()
        if child not in found:
            found.add(child)
            todo.extend(children.get(child, []))
    if session is not None:
        found |= {p for p, stat in table.items() if stat.session == session and p != pid}
    return {Proc(p, table[p].started) for p in found if p in table and table[p].state not in "ZX"}


def survivors(procs: set[Proc], within: float) -> list[Proc]:
    """Wait up to ``within`` seconds for every process to end; return those still running."""
    deadline = time.monotonic() + within
    while True:
        left = sorted((p for p in procs if p.alive()), key=lambda p: p.pid)
        if not left or time.monotonic() >= deadline:
            return left
        threading.Event().wait(0.05)


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux), so they stay descendants of it.

    Without this a process whose parent died is adopted by process 1, and no walk down from
    here finds it.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)


def reap_zombies() -> None:
    """Collect the exit status of this process's ended children that nobody waited for."""
    me = os.getpid()
    for pid, stat in _all().items():
        if stat.ppid == me and stat.state == "Z":
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
