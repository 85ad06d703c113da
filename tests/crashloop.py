"""Crash harness for the vote ledger: a child casts votes, the parent kills it with SIGKILL.

Used by tests/kiosk/test_crash.py (100 kills) and bench/crash_soak.py (10,000 by default).

What one kill checks (design promise 1, "thanked only after the vote is durable"):

* the child prints ``SEQ HASH`` for every vote only after ``Ledger.cast``/``cast_many`` has
  returned, and flushes; a line that reached the pipe is a vote the citizen was thanked for
  (a last line without its newline is not);
* after the kill, in the parent: ``PRAGMA integrity_check`` is ``ok`` on the file as the child
  left it; ``Ledger.open`` works and leaves the schema of a fresh ledger; ``verify()`` passes
  (signatures, chain, no gaps); the previous head is still there with the same hash; every
  acknowledged seq is present with the hash the child printed; the trigger-kept counts agree
  with the votes; and one vote cast by the parent gets seq = head + 1 and prev = the head's
  hash (the chain continues).

What it does not check: SIGKILL ends the process, not the machine, so the operating system
still writes out what SQLite handed it. Losing power is a different experiment (that is what
``synchronous=FULL`` is for). The seed fixes every choice the harness makes (kill modes,
delays, ballots), not the scheduler: a rerun with the same seed kills at similar, not
identical, points.

Cost: importing the ledger (sqlite-utils above all) takes about half a second of CPU, more
than everything else a kill costs. So by default a *zygote* (``python -m tests.crashloop
zygote``) imports once and forks a child per kill; the child's stdout and stderr are pipes
handed to the parent, and the zygote reports when it has reaped the child. The zygote never
opens a ledger, so every child opens the file from scratch as a restarted kiosk would.
``launcher="spawn"`` instead runs each child in a fresh interpreter, started ahead of time.
``verify()`` reads the whole ledger, so the loop starts a fresh ledger (a new data folder and
key) once one holds ``max_ledger_votes`` votes.

Run a child by hand: ``python -m tests.crashloop child DATA_DIR`` (casts until killed).
"""

from __future__ import annotations

import contextlib
import os
import random
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from kiosk.ledger import LEDGER_FILE_NAME, Ledger
from wire.keys import DeviceKey, load_or_create
from wire.vote import Ballot, Target

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DISTRICT: Final = "3706"  # หัวตะพาน, Amnat Charoen
READY: Final = b"ready"
READY_TIMEOUT: Final = 60.0  # seconds for a child to import and say ready
FIRST_VOTE_TIMEOUT: Final = 30.0  # seconds from go to the first acknowledged vote
MAX_DELAY: Final = 0.080  # seconds after the first acknowledged vote, for most kills
LONG_DELAY: Final = (0.080, 0.500)  # a few runs go on long enough to reach a WAL checkpoint

_UNITS: Final = ("registration", "civil-affairs", "front-desk", "security", "land")
_SERVICES: Final = (
    None,
    "id-card",
    "house-registration",
    "birth-registration",
    "marriage",
    "name-change",
    "weapon-permit",
)
_TAGS: Final = ("fast", "friendly", "clear", "helpful", "clean", "polite", "queue", "parking")
_STORIES_TH: Final = (
    "เจ้าหน้าที่ยิ้มแย้มแจ่มใส อธิบายขั้นตอนชัดเจน ทำบัตรประชาชนเสร็จในสิบนาทีค่ะ",
    "ประทับใจมากครับ คุณป้าที่โต๊ะทะเบียนช่วยกรอกแบบฟอร์มให้ เพราะผมมองไม่ค่อยเห็น",
    "ขอบคุณที่ให้ผู้สูงอายุได้คิวก่อน ห้องน้ำสะอาด มีน้ำดื่มบริการ",
    "รอนานนิดหน่อย แต่เจ้าหน้าที่สุภาพ ถ้ามีปัญหาโทรหาฉันได้ที่ 081-234-5678",
    "ย้ายทะเบียนบ้านเสร็จเร็วกว่าที่คิด สุข สร้าง ได้ จริง ๆ ครับ",
    "เลขบัตรของฉัน 1 1014 00001 00 7 เจ้าหน้าที่ช่วยแก้ชื่อสกุลให้ถูกต้องแล้ว",
    "น้องที่ประชาสัมพันธ์พูดจาไพเราะ พาไปส่งถึงห้องงานทะเบียนเลย",
)
_STORIES_EN: Final = (
    "The clerk explained everything in English and my ID card was ready the same morning.",
    "Friendly staff, short queue, clean waiting room. Thank you!",
    "Took a while, but they called me back on +66 81 234 5678 when the paper was ready.",
)


def random_ballot(rng: random.Random) -> Ballot:
    """Return a realistic ballot for district 3706: mostly happy, sometimes with a story."""
    lang = "en" if rng.random() < 0.15 else "th"
    target: Target | None = rng.choice(
        (
            None,
            Target("staff", f"s{rng.randrange(1, 13):02d}"),
            Target("staff", f"s{rng.randrange(1, 13):02d}"),
            Target("unit", rng.choice(_UNITS)),
        )
    )
    story = ""
    if rng.random() < 0.4:
        pool = _STORIES_EN if lang == "en" else _STORIES_TH
        story = " ".join(rng.sample(pool, rng.randrange(1, 3)))
    return Ballot(
        district=DISTRICT,
        rating=rng.choices((5, 4, 3, 2, 1), weights=(50, 25, 12, 8, 5))[0],
        target=target,
        service=rng.choice(_SERVICES),
        tags=tuple(rng.sample(_TAGS, rng.randrange(0, 4))),
        story=story,
        lang=lang,
        burst=rng.random() < 0.02,
    )


# --- the child ------------------------------------------------------------------------------


def child_main(data_dir: Path, seed: int) -> None:
    """Cast votes into the ledger in data_dir until killed, printing ``SEQ HASH`` per vote."""
    rng = random.Random(seed)
    key = load_or_create(data_dir)
    ledger = Ledger.open(data_dir, key)
    out = sys.stdout
    while True:
        if rng.random() < 0.75:
            votes = [ledger.cast(random_ballot(rng))]
        else:
            votes = ledger.cast_many([random_ballot(rng) for _ in range(rng.randrange(2, 6))])
        # Only now, after the commit, is the citizen thanked: one write, then flush.
        out.write("".join(f"{v.seq} {v.hash()}\n" for v in votes))
        out.flush()


def _warm_child() -> int:
    """Say ready once imported, then cast where the parent says (``go SEED DATA_DIR``)."""
    sys.stdout.write(READY.decode() + "\n")
    sys.stdout.flush()
    line = sys.stdin.readline()
    if not line.startswith("go "):
        return 0  # the parent is shutting down
    _, seed, data_dir = line.rstrip("\n").split(" ", 2)
    child_main(Path(data_dir), int(seed))
    return 0


def _zygote(sock_fd: int) -> int:
    """Fork a child per ``go SEED DATA_DIR`` line, hand its pipes to the parent, report its end.

    Replies on the socket: ``pid N`` with the child's stdout and stderr read ends attached,
    then ``exit N STATUS`` once the child is reaped (STATUS is -9 after SIGKILL).
    """
    sock = socket.socket(fileno=sock_fd)
    buf = b""
    while True:
        while b"\n" not in buf:
            data = sock.recv(4096)
            if not data:
                return 0  # the parent is gone or done
            buf += data
        line, buf = buf.split(b"\n", 1)
        _, seed, data_dir = line.decode().split(" ", 2)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into this loop
            try:
                sock.close()
                os.close(out_r)
                os.close(err_r)
                os.dup2(out_w, 1)
                os.dup2(err_w, 2)
                os.close(out_w)
                os.close(err_w)
                child_main(Path(data_dir), int(seed))
            except BaseException:
                traceback.print_exc()
                sys.stderr.flush()
            finally:
                os._exit(1)
        os.close(out_w)
        os.close(err_w)
        socket.send_fds(sock, [f"pid {pid}\n".encode()], [out_r, err_r])
        os.close(out_r)
        os.close(err_r)
        _, status = os.waitpid(pid, 0)
        sock.sendall(f"exit {pid} {os.waitstatus_to_exitcode(status)}\n".encode())


def _main(argv: list[str]) -> int:
    if argv[:1] == ["child"] and len(argv) in (2, 3):
        child_main(Path(argv[1]), int(argv[2]) if len(argv) == 3 else 0)
        return 0
    if argv == ["warm-child"]:
        return _warm_child()
    if argv[:1] == ["zygote"] and len(argv) == 2:
        return _zygote(int(argv[1]))
    print("usage: python -m tests.crashloop child DATA_DIR [SEED]", file=sys.stderr)
    return 2


# --- the parent's view of a child -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ack:
    """One vote the child reported as cast: its seq and the hash it printed."""

    seq: int
    hash: str


@dataclass(frozen=True, slots=True)
class Failure:
    """What went wrong after one kill, precisely enough to find it again."""

    kill: int
    ledger: Path
    kind: str  # integrity, verify, lost, chain, schema, child, error
    detail: str
    mode: str = ""
    delay_ms: float = 0.0
    acknowledged: str = ""

    def __str__(self) -> str:
        if not self.mode:
            return f"after kill {self.kill} (ledger {self.ledger}): {self.kind}: {self.detail}"
        moment = "go" if self.mode == "start-up" else "the first vote"
        return (
            f"kill {self.kill} ({self.mode}: {self.delay_ms:.1f} ms after {moment}; the child"
            f" acknowledged {self.acknowledged or 'nothing'}; ledger {self.ledger}):"
            f" {self.kind}: {self.detail}"
        )


@dataclass(slots=True)
class CrashStats:
    """Figures of a crash loop; ``failures`` is empty when every check held."""

    kills: int = 0
    kills_after_ack: int = 0
    kills_at_startup: int = 0
    long_runs: int = 0
    acknowledged: int = 0
    in_ledger: int = 0
    parent_votes: int = 0
    committed_unacknowledged: int = 0
    partial_lines: int = 0
    lost: int = 0
    integrity_failures: int = 0
    verify_failures: int = 0
    ledgers: int = 0
    elapsed: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def child_votes(self) -> int:
        """Votes in the ledgers cast by children (all votes minus the parent's check votes)."""
        return self.in_ledger - self.parent_votes

    def summary(self) -> str:
        """Return the figures as one line."""
        return (
            f"{self.kills} kills ({self.kills_after_ack} after an acknowledged vote,"
            f" {self.kills_at_startup} aimed at start-up, {self.long_runs} long runs),"
            f" {self.acknowledged} votes acknowledged, {self.in_ledger} in {self.ledgers}"
            f" ledger(s) ({self.committed_unacknowledged} committed but not yet acknowledged),"
            f" lost {self.lost}, integrity failures {self.integrity_failures},"
            f" verify failures {self.verify_failures}, failures {len(self.failures)},"
            f" {self.elapsed:.1f} s"
        )


Tamper = Callable[[int, Path, list[Ack]], None]
"""A fault injected after a kill, before the checks: (kill number, ledger folder, acks)."""


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    return env


class Child:
    """A running child whose stdout is read without blocking (select on the raw pipe)."""

    def __init__(self, stdout_fd: int) -> None:
        self.stdout_fd = stdout_fd
        self.buf = bytearray()
        self.eof = False
        self.ended: tuple[int, str] | None = None

    def pump(self, timeout: float) -> None:
        """Read what is in the pipe, waiting at most timeout seconds for something."""
        ready, _, _ = select.select([self.stdout_fd], [], [], max(timeout, 0.0))
        if ready:
            data = os.read(self.stdout_fd, 65536)
            if data:
                self.buf += data
            else:
                self.eof = True

    def complete_lines(self) -> list[bytes]:
        """Every line ended by a newline so far; a partial last line is left out."""
        return bytes(self.buf).split(b"\n")[:-1]

    def has_partial_line(self) -> bool:
        """Tell whether the output ends in a line without its newline."""
        return bool(self.buf) and not self.buf.endswith(b"\n")

    def wait_lines(self, n: int, deadline: float) -> bool:
        """Wait until at least n complete lines were read; False on EOF or timeout."""
        while self.buf.count(b"\n") < n:
            now = time.monotonic()
            if self.eof or now >= deadline:
                return False
            self.pump(deadline - now)
        return True

    def drain_until(self, deadline: float) -> None:
        """Keep the pipe empty until deadline (so the child never blocks on print)."""
        while not self.eof:
            now = time.monotonic()
            if now >= deadline:
                return
            self.pump(deadline - now)

    def kill(self) -> tuple[int, str]:
        """SIGKILL the child, wait until it is reaped, read the rest; return (status, stderr)."""
        if self.ended is None:
            try:
                status = self._kill_and_reap()
                while not self.eof:  # the child is gone: EOF comes once the pipe is empty
                    self.pump(5.0)
                err = self._read_stderr()
            finally:
                self._close()
            self.ended = (status, err.decode("utf-8", "replace"))
        return self.ended

    def _kill_and_reap(self) -> int:
        raise NotImplementedError

    def _read_stderr(self) -> bytes:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class SpawnedChild(Child):
    """A child that is a fresh interpreter of its own (``subprocess.Popen``)."""

    def __init__(self, argv: list[str]) -> None:
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            cwd=REPO_ROOT,
            env=_child_env(),
        )
        assert self.proc.stdout is not None
        super().__init__(self.proc.stdout.fileno())

    def go(self, seed: int, data_dir: Path) -> bool:
        """Tell a warm child where to cast; False if it is already gone."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(f"go {seed} {data_dir}\n".encode())
            self.proc.stdin.close()
        except BrokenPipeError:
            return False
        return True

    def _kill_and_reap(self) -> int:
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait()

    def _read_stderr(self) -> bytes:
        return self.proc.stderr.read() if self.proc.stderr is not None else b""

    def _close(self) -> None:
        for pipe in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


class ForkedChild(Child):
    """A child forked by the zygote; its stdout and stderr pipes were handed to the parent."""

    def __init__(self, zygote: Zygote, pid: int, stdout_fd: int, stderr_fd: int) -> None:
        super().__init__(stdout_fd)
        self.zygote = zygote
        self.pid = pid
        self.stderr_fd = stderr_fd

    def _kill_and_reap(self) -> int:
        self.zygote.poll()
        if not self.zygote.exited(self.pid):  # not yet reaped, so the pid is still this child
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        return self.zygote.wait_exit(self.pid)

    def _read_stderr(self) -> bytes:
        chunks = []
        while chunk := os.read(self.stderr_fd, 65536):
            chunks.append(chunk)
        return b"".join(chunks)

    def _close(self) -> None:
        for fd in (self.stdout_fd, self.stderr_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


class Zygote:
    """One interpreter that imported the ledger once and forks a child per kill."""

    def __init__(self) -> None:
        self.sock, theirs = socket.socketpair()
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.crashloop", "zygote", str(theirs.fileno())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=(theirs.fileno(),),
                cwd=REPO_ROOT,
                env=_child_env(),
            )
        except BaseException:
            self.sock.close()
            raise
        finally:
            theirs.close()
        self._buf = b""
        self._fds: deque[list[int]] = deque()
        self._pids: deque[int] = deque()
        self._exits: dict[int, int] = {}
        self._stopped: str | None = None

    def _recv(self, deadline: float) -> None:
        """Wait for the zygote to say something and file it under pids or exits."""
        ready, _, _ = select.select([self.sock], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise TimeoutError("the zygote did not answer in time")
        data, fds, _, _ = socket.recv_fds(self.sock, 4096, 2)
        if fds:
            self._fds.append(fds)
        if not data:
            raise ConnectionError(f"the zygote is gone: {self.stop()}")
        self._buf += data
        while b"\n" in self._buf:
            raw, self._buf = self._buf.split(b"\n", 1)
            word, pid, *rest = raw.decode().split()
            if word == "pid":
                self._pids.append(int(pid))
            else:
                self._exits[int(pid)] = int(rest[0])

    def fork(self, seed: int, data_dir: Path) -> ForkedChild:
        """Fork a child that casts into data_dir."""
        self.sock.sendall(f"go {seed} {data_dir}\n".encode())
        deadline = time.monotonic() + READY_TIMEOUT
        while not self._pids:
            self._recv(deadline)
        out_fd, err_fd = self._fds.popleft()
        return ForkedChild(self, self._pids.popleft(), out_fd, err_fd)

    def poll(self) -> None:
        """Take in whatever the zygote has already said, without waiting."""
        while select.select([self.sock], [], [], 0.0)[0]:
            self._recv(time.monotonic())

    def exited(self, pid: int) -> bool:
        """Tell whether the zygote already reported this child as reaped."""
        return pid in self._exits

    def wait_exit(self, pid: int) -> int:
        """Wait until the zygote has reaped the child; return its exit status (-9 after SIGKILL)."""
        deadline = time.monotonic() + READY_TIMEOUT
        while pid not in self._exits:
            self._recv(deadline)
        return self._exits.pop(pid)

    def stop(self) -> str:
        """End the zygote (closing its socket is the signal) and return what it said on stderr."""
        if self._stopped is None:
            self.sock.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            assert self.proc.stderr is not None
            with self.proc.stderr:
                err = self.proc.stderr.read()
            for fds in self._fds:
                for fd in fds:
                    os.close(fd)
            self._stopped = err.decode("utf-8", "replace").strip()[-500:]
        return self._stopped


class Launcher:
    """Starts children for the loop: ``fork`` from a zygote, or ``spawn`` fresh interpreters."""

    def __init__(self, how: str = "fork", warm: int = 2) -> None:
        if how not in ("fork", "spawn"):
            raise ValueError(f"how must be fork or spawn, not {how!r}")
        self.how = how
        self.warm_count = max(1, warm)
        self.warm: deque[SpawnedChild] = deque()
        self.zygote: Zygote | None = None
        self.active: Child | None = None
        self.refill()

    def refill(self) -> None:
        """Start what the next kills need, so it gets ready while this kill is checked."""
        if self.how == "fork":
            if self.zygote is None:
                self.zygote = Zygote()
            return
        while len(self.warm) < self.warm_count:
            self.warm.append(SpawnedChild(spawned_child_argv()))

    def start(self, seed: int, data_dir: Path) -> tuple[Child, str]:
        """Start a child casting into data_dir; return it and a problem ('' when none)."""
        self.refill()
        if self.zygote is not None:
            try:
                self.active = self.zygote.fork(seed, data_dir)
            except (ConnectionError, TimeoutError, OSError) as exc:
                self.close()
                raise RuntimeError(f"the zygote failed: {exc}") from exc
            return self.active, ""
        child = self.warm.popleft()
        self.active = child
        if not child.wait_lines(1, time.monotonic() + READY_TIMEOUT):
            return child, f"the child did not say ready within {READY_TIMEOUT:.0f} s"
        del child.buf[: child.buf.index(b"\n") + 1]  # only votes from here on
        if not child.go(seed, data_dir):
            return child, "the child was gone before it was told to go"
        return child, ""

    def close(self) -> None:
        """Kill and reap every child still alive and stop the zygote."""
        children: list[Child] = [*self.warm, *([self.active] if self.active else [])]
        self.warm.clear()
        self.active = None
        for child in children:
            with contextlib.suppress(Exception):
                child.kill()
        if self.zygote is not None:
            zygote, self.zygote = self.zygote, None
            zygote.stop()


def spawned_child_argv() -> list[str]:
    """Return the command line of a warm child in a fresh interpreter."""
    return [sys.executable, "-m", "tests.crashloop", "warm-child"]


@dataclass(slots=True)
class _LedgerState:
    """The ledger being crashed: its folder, key and the head the parent last saw."""

    folder: Path
    key: DeviceKey
    head_seq: int = 0
    head_hash: str = ""


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What the parent found after a kill: problems (kind, detail) and the new head."""

    problems: list[tuple[str, str]]
    head_seq: int  # votes in the ledger before the parent's own vote
    new_head: tuple[int, str] | None  # after the parent's own vote; None if it was not cast
    lost: int = 0  # acknowledged votes proven missing or different


Schema = list[tuple[str, str, str]]


def ledger_schema(conn: sqlite3.Connection) -> Schema:
    """Return (type, name, sql) of every table, index and trigger in a ledger, by name."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
    return [(str(t), str(n), str(q)) for t, n, q in rows.fetchall()]


def fresh_schema(scratch: Path) -> Schema:
    """Return the schema of a ledger made from nothing in scratch (which is then removed)."""
    with Ledger.open(scratch, load_or_create(scratch)) as ledger:
        schema = ledger_schema(ledger.db.conn)
    shutil.rmtree(scratch)
    return schema


def check_after_kill(
    folder: Path,
    key: DeviceKey,
    acks: list[Ack],
    previous_head: tuple[int, str],
    ballot: Ballot,
    schema: Schema | None = None,
) -> CheckResult:
    """Check a ledger a child was killed on, then cast one vote and check the chain goes on."""
    path = folder / LEDGER_FILE_NAME
    prev_seq, _ = previous_head
    if path.exists():
        rows = _integrity_check(path)
        if rows != ["ok"]:
            return CheckResult(
                [("integrity", "PRAGMA integrity_check: " + "; ".join(rows))], 0, None
            )
    elif acks or prev_seq:
        return CheckResult([("lost", f"the ledger file {path} is missing")], 0, None, len(acks))
    problems: list[tuple[str, str]] = []
    expected = list(range(prev_seq + 1, prev_seq + 1 + len(acks)))
    seqs = [a.seq for a in acks]
    if seqs != expected:
        problems.append(
            ("chain", f"the child acknowledged seqs {_ranges(seqs)}, expected {_ranges(expected)}")
        )
    try:
        with Ledger.open(folder, key) as ledger:
            if schema is not None:
                problems += _schema_problems(ledger_schema(ledger.db.conn), schema)
            result = ledger.verify()
            if not result.ok:
                problems.append(
                    (
                        "verify",
                        f"verify() failed at seq {result.first_bad_seq} after {result.checked}"
                        f" good votes: {result.problem}",
                    )
                )
                return CheckResult(problems, 0, None)
            head_seq, head_hash = ledger.head()
            lost = _ack_problems(ledger, acks, previous_head, problems)
            total = ledger.counts().total
            if total != head_seq:
                problems.append(("verify", f"counts say {total} votes, the head is {head_seq}"))
            if problems:
                return CheckResult(problems, head_seq, None, lost)
            vote = ledger.cast(ballot)
            if vote.seq != head_seq + 1 or vote.prev != head_hash:
                problems.append(
                    (
                        "chain",
                        f"the next vote got seq {vote.seq} prev {vote.prev[:16]}…, expected seq"
                        f" {head_seq + 1} prev {head_hash[:16]}…",
                    )
                )
            elif ledger.head() != (vote.seq, vote.hash()):
                problems.append(("chain", f"after casting seq {vote.seq} the head is not it"))
            return CheckResult(problems, head_seq, (vote.seq, vote.hash()))
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(exc)).strip()
        problems.append(("error", f"{detail} (at {_where(exc)})"))
        return CheckResult(problems, 0, None)


def _integrity_check(path: Path) -> list[str]:
    """Run PRAGMA integrity_check on the file as the child left it (before any reopening)."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()][:5]
    except sqlite3.Error as exc:
        return [f"cannot run: {exc}"]


def _schema_problems(found: Schema, fresh: Schema) -> list[tuple[str, str]]:
    if found == fresh:
        return []
    missing = [f"{t} {n}" for t, n, q in fresh if (t, n, q) not in found]
    extra = [f"{t} {n}" for t, n, q in found if (t, n, q) not in fresh]
    return [
        (
            "schema",
            f"after reopening, the schema is not a fresh ledger's: missing {missing or 'nothing'},"
            f" unexpected {extra or 'nothing'}",
        )
    ]


def _ack_problems(
    ledger: Ledger, acks: list[Ack], previous_head: tuple[int, str], problems: list[tuple[str, str]]
) -> int:
    """Check the previous head and every acknowledged vote are there; return how many acks are lost."""
    head_seq, _ = ledger.head()
    prev_seq, prev_hash = previous_head
    if head_seq < prev_seq:
        problems.append(("lost", f"the head went back from seq {prev_seq} to seq {head_seq}"))
    elif prev_seq and ledger.vote(prev_seq).hash() != prev_hash:
        problems.append(("chain", f"vote {prev_seq} (the previous head) was replaced"))
    missing = [a.seq for a in acks if not 1 <= a.seq <= head_seq]
    if missing:
        problems.append(
            (
                "lost",
                f"acknowledged seq {_ranges(missing)} not in the ledger (its head is seq {head_seq})",
            )
        )
    changed = 0
    for ack in acks:
        if 1 <= ack.seq <= head_seq:
            stored = ledger.vote(ack.seq).hash()
            if stored != ack.hash:
                changed += 1
                problems.append(
                    (
                        "lost",
                        f"acknowledged seq {ack.seq} had hash {ack.hash[:16]}…, the ledger holds"
                        f" {stored[:16]}… there",
                    )
                )
    return len(missing) + changed


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def _ranges(seqs: list[int]) -> str:
    """Return seqs as compact ranges, e.g. 3..7, 9."""
    if not seqs:
        return "none"
    parts: list[str] = []
    start = prev = seqs[0]
    for s in [*seqs[1:], None]:
        if s is not None and s == prev + 1:
            prev = s
            continue
        parts.append(str(start) if start == prev else f"{start}..{prev}")
        if s is not None:
            start = prev = s
    return ", ".join(parts)


def parse_acks(lines: list[bytes]) -> tuple[list[Ack], list[str]]:
    """Read ``SEQ HASH`` lines into acks; return them and the lines that are neither that nor ready."""
    acks: list[Ack] = []
    bad: list[str] = []
    for line in lines:
        if line == READY:
            continue
        try:
            seq_text, hash_text = line.decode("ascii").split(" ")
            acks.append(Ack(int(seq_text), hash_text))
        except ValueError:
            bad.append(line[:80].decode("utf-8", "replace"))
    return acks, bad


@dataclass(slots=True)
class _Run:
    """One child's life: how it was to be killed, and what it printed."""

    mode: str  # start-up (killed while opening), normal, or long (may reach a WAL checkpoint)
    delay: float  # seconds: after go for start-up kills, after the first vote otherwise
    acks: list[Ack] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    first_vote: float | None = None  # seconds from go to the first acknowledged vote
    partial_line: bool = False


def _plan(rng: random.Random, startup: float, long: float, open_latency: float) -> _Run:
    roll = rng.random()
    if roll < startup:
        return _Run("start-up", rng.uniform(0.0, open_latency * 1.3))
    if roll < startup + long:
        return _Run("long", rng.uniform(*LONG_DELAY))
    return _Run("normal", rng.uniform(0.0, MAX_DELAY))


def _run_child(launcher: Launcher, run: _Run, seed: int, folder: Path) -> Child:
    """Start a child casting into folder, SIGKILL it as planned, and read what it printed."""
    child, problem = launcher.start(seed, folder)
    go_at = time.monotonic()
    if problem:
        run.problems.append(("child", problem))
    elif run.mode == "start-up":
        child.drain_until(go_at + run.delay)
    elif child.wait_lines(1, go_at + FIRST_VOTE_TIMEOUT):
        run.first_vote = time.monotonic() - go_at
        child.drain_until(time.monotonic() + run.delay)
    exited_early = child.eof
    status, err = child.kill()
    run.partial_line = child.has_partial_line()
    run.acks, bad = parse_acks(child.complete_lines())
    if bad:
        run.problems.append(("child", f"unreadable line(s) from the child: {bad[:3]}"))
    tail = " | ".join(err.strip().splitlines()[-3:])
    if exited_early or status != -signal.SIGKILL:
        run.problems.append(("child", f"the child ended by itself (status {status}): {tail}"))
    elif not problem and run.mode != "start-up" and not run.acks:
        run.problems.append(("child", f"no vote within {FIRST_VOTE_TIMEOUT:.0f} s: {tail}"))
    return child


def crash_loop(
    data_dir: Path,
    kills: int,
    rng: random.Random,
    *,
    launcher: str = "fork",
    warm_children: int = 2,
    max_ledger_votes: int = 300,
    startup_fraction: float = 0.12,
    long_fraction: float = 0.08,
    tamper: Tamper | None = None,
    progress: Callable[[CrashStats], None] | None = None,
    progress_every: int = 100,
    max_failures: int = 20,
    keep_passed_ledgers: bool = False,
    check_schema: bool = True,
) -> CrashStats:
    """Start a child casting votes and SIGKILL it at a random moment, kills times; check each.

    launcher is ``fork`` (children forked by a zygote that imported the ledger once: cheap)
    or ``spawn`` (each child a fresh interpreter, warm_children of them importing ahead).
    """
    stats = CrashStats()
    started = time.monotonic()
    data_dir.mkdir(parents=True, exist_ok=True)
    schema = fresh_schema(data_dir / "fresh-schema") if check_schema else None
    state = _new_ledger(data_dir, stats)
    open_latency = 0.03  # seconds from go to the first vote, learnt as we go
    children = Launcher(launcher, warm_children)
    try:
        for kill_no in range(1, kills + 1):
            run = _plan(rng, startup_fraction, long_fraction, open_latency)
            child_seed = rng.getrandbits(32)
            ballot = random_ballot(rng)
            _run_child(children, run, child_seed, state.folder)
            children.refill()  # the next children import while this kill is checked
            if run.first_vote is not None:
                open_latency = 0.8 * open_latency + 0.2 * run.first_vote

            stats.kills += 1
            stats.acknowledged += len(run.acks)
            stats.kills_after_ack += bool(run.acks)
            stats.kills_at_startup += run.mode == "start-up"
            stats.long_runs += run.mode == "long"
            stats.partial_lines += run.partial_line
            if tamper is not None:
                tamper(kill_no, state.folder, run.acks)

            previous = (state.head_seq, state.head_hash)
            result = check_after_kill(state.folder, state.key, run.acks, previous, ballot, schema)
            problems = run.problems + result.problems
            if result.new_head is not None:
                stats.parent_votes += 1
                stats.committed_unacknowledged += max(
                    0, result.head_seq - state.head_seq - len(run.acks)
                )
                stats.in_ledger += result.new_head[0] - state.head_seq
                state.head_seq, state.head_hash = result.new_head
            stats.lost += result.lost
            acked = _ranges([a.seq for a in run.acks])
            for kind, detail in problems:
                stats.integrity_failures += kind == "integrity"
                stats.verify_failures += kind == "verify"
                stats.failures.append(
                    Failure(kill_no, state.folder, kind, detail, run.mode, run.delay * 1000, acked)
                )
            if problems or state.head_seq >= max_ledger_votes:
                passed = not problems and _final_verify(state, kill_no, stats)
                _retire(state, passed and not keep_passed_ledgers)
                state = _new_ledger(data_dir, stats)
            if progress is not None and kill_no % progress_every == 0:
                stats.elapsed = time.monotonic() - started
                progress(stats)
            if len(stats.failures) >= max_failures:
                break
        if state.head_seq:
            passed = _final_verify(state, stats.kills, stats)
            _retire(state, passed and not keep_passed_ledgers)
        else:  # a fresh folder that no kill used
            stats.ledgers -= 1
            _retire(state, True)
    finally:
        children.close()
    stats.elapsed = time.monotonic() - started
    return stats


def _retire(state: _LedgerState, delete: bool) -> None:
    """Leave a ledger; a failed one is kept for a post-mortem."""
    if delete:
        shutil.rmtree(state.folder, ignore_errors=True)


def _final_verify(state: _LedgerState, kill_no: int, stats: CrashStats) -> bool:
    """Verify a ledger once more after the parent's last vote, before leaving it."""
    try:
        with Ledger.open(state.folder, state.key) as ledger:
            result = ledger.verify()
    except Exception as exc:
        problem = "".join(traceback.format_exception_only(exc)).strip()
    else:
        if result.ok and result.checked == state.head_seq:
            return True
        problem = (
            f"ok={result.ok}, {result.checked} votes checked, the head was seq"
            f" {state.head_seq}: {result.problem}"
        )
    stats.verify_failures += 1
    stats.failures.append(
        Failure(kill_no, state.folder, "verify", f"final verify() of the ledger: {problem}")
    )
    return False


def _new_ledger(data_dir: Path, stats: CrashStats) -> _LedgerState:
    stats.ledgers += 1
    folder = data_dir / f"ledger-{stats.ledgers:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    return _LedgerState(folder, load_or_create(folder))


def bare_spawn_rate(n: int) -> float:
    """Spawn a bare Python child (``-c``), wait until it runs, SIGKILL it; return how many per s."""
    argv = [sys.executable, "-c", "print('ready', flush=True); import sys; sys.stdin.read()"]
    started = time.monotonic()
    for _ in range(n):
        child = SpawnedChild(argv)
        try:
            child.wait_lines(1, time.monotonic() + READY_TIMEOUT)
        finally:
            child.kill()
    return n / (time.monotonic() - started)


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
