"""The recount's first step: read and check every batch file, on every core when it pays.

Checking a batch is nearly all Ed25519 verification (wire.ed25519, with the fastest library
installed) plus Python work per vote. ``checked_files`` spreads the files over a process per
core and gives back, in order, the little the recount needs of each (``Checked``); the recount
(collector/recount.py) then settles the votes across batches in one process.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from collector.lifeline import follow_parent
from collector.manifest import BATCHES_DIR, MANIFEST_NAME, QUARANTINE_DIR, VOTE_SUFFIX
from wire.batch import check_batch
from wire.stick import BATCH_SUFFIX

MAX_FILE_BYTES: Final = 8 * 1024 * 1024  # a batch is at most 4 MiB; a manifest well under this


# Every kind of problem the recount finds, and the facts it gives with it (by name). The
# command line says each kind in Thai from these facts (cli.recount.problem.<kind> in
# collector/translations) before the problem's English message, which is the same as before;
# tests/collector/test_recount_words.py checks that every kind has its Thai words. A file the
# batch checker (wire/batch.py) or the vote reader refuses is of kind "refused", and its
# refusal's code is a fact: the console groups those codes (collector/refusals.py).
PROBLEMS: Final[dict[str, tuple[str, ...]]] = {
    "unreadable": ("reason",),
    "refused": ("code", "seq", "more"),  # seq None when the refusal names no vote; more: 0 or more
    "two_manifests": ("n",),
    "manifest_not_json": ("error",),
    "manifest_not_a_manifest": (),
    "manifest_version": ("version",),
    "manifest_members": (),
    "manifest_not_hex": (),
    "manifest_other_key": ("key", "pinned"),
    "manifest_signature": (),
    "manifest_rules": ("rule",),
    "no_districts": (),
    "no_batches": (),
    "no_manifest": (),
    "batch_changed": (),
    "not_a_published_batch": (),
    "batch_entry_differs": (
        "listed_first",
        "listed_last",
        "listed_kiosk",
        "first",
        "last",
        "kiosk",
    ),
    "unknown_kiosk": ("kiosk",),
    "district_mismatch": ("seq", "district", "kiosk"),
    "missing_batch": ("name",),
    "batch_brought_nothing": (),
    "vote_changed": (),
    "not_a_published_vote": (),
    "not_a_vote": ("error",),
    "quarantine_entry_differs": ("seq", "kiosk", "listed_seq", "listed_kiosk", "hash"),
    "vote_not_signed": ("seq", "kiosk"),
    "missing_quarantined": ("seq", "kiosk", "name"),
    "conflict": ("n", "seq", "kiosk"),
    "chain_broken": ("seq", "before", "kiosk"),
    "wrong_reason": ("seq", "kiosk"),
    "unjustified_quarantine": ("seq", "kiosk"),
    "unknown_district": ("seq", "kiosk", "district"),
    "count_differs": ("counted", "announced"),
    "kiosk_count_differs": ("kiosks", "announced"),
    "announced_votes_missing": ("group", "announced", "held"),
    "announced_votes_picked": ("group", "kept", "batches", "before"),
    "announced_after_publication": ("group", "at", "published_at"),
    "awards_differ": (),
}


@dataclass(frozen=True, slots=True)
class RecountProblem:
    """One reason the recount cannot vouch for the result.

    ``code`` is the machine's name for it (the checker's code for a refused file), ``message``
    says it in English; ``kind`` (in PROBLEMS; the code when empty) and ``facts`` say it in
    other words.
    """

    code: str
    message: str
    file: str | None = None
    kind: str = ""
    facts: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message

    @property
    def words_kind(self) -> str:
        """The kind of problem, in PROBLEMS, whose words say it."""
        return self.kind or self.code


def read_file(path: Path) -> bytes | RecountProblem:
    """The bytes of a published file, or why they cannot be read."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return RecountProblem(
                "too_large",
                "the file is larger than any batch can be",
                str(path),
                "refused",
                {"code": "too_large", "seq": None, "more": 0},
            )
        return path.read_bytes()
    except OSError as exc:
        reason = str(exc.strerror or exc)
        return RecountProblem(
            "unreadable", f"cannot be read ({reason})", str(path), facts={"reason": reason}
        )


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """Split the given paths into (manifests, batch files, quarantined vote files).

    A folder gives what it holds: its manifest, its batch files and those of its ``batches``
    folder, and the vote files of its ``quarantine`` folder.
    """
    manifests: list[Path] = []
    batches: list[Path] = []
    quarantined: list[Path] = []
    for path in paths:
        if path.is_dir():
            if (path / MANIFEST_NAME).is_file():
                manifests.append(path / MANIFEST_NAME)
            batches.extend(sorted(path.glob("*" + BATCH_SUFFIX)))
            batches.extend(sorted((path / BATCHES_DIR).glob("*" + BATCH_SUFFIX)))
            quarantined.extend(sorted((path / QUARANTINE_DIR).glob("*" + VOTE_SUFFIX)))
        elif path.name == MANIFEST_NAME:
            manifests.append(path)
        elif path.name.endswith(VOTE_SUFFIX):
            quarantined.append(path)
        else:
            batches.append(path)
    return manifests, batches, quarantined


# Below this many bytes of batch files (about 9,000 votes, half a second on one core), a
# worker process would barely have started before this one had checked everything.
PARALLEL_MIN_BYTES: Final = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Checked:
    """What the recount needs of one batch file: small, to come back from a worker process."""

    path: Path
    digest: str = ""  # of the file's bytes; empty if it could not be read
    problem: RecountProblem | None = None  # why it was not read or refused, if it was
    kiosk: str = ""
    public_key: str = ""
    votes: tuple[tuple[int, int, str, str, str], ...] = ()  # seq, rating, district, prev, hash


def check_file(path: Path) -> Checked:
    """Read and check one batch file completely (wire.batch.check_batch)."""
    data = read_file(path)
    if isinstance(data, RecountProblem):
        return Checked(path, problem=data)
    digest = hashlib.sha256(data).hexdigest()
    check = check_batch(data)
    if not check.ok:
        first = check.problems[0]
        more = len(check.problems) - 1
        return Checked(
            path,
            digest,
            RecountProblem(
                first.code,
                f"refused: {first.message}" + (f" (and {more} more problems)" if more else ""),
                str(path),
                "refused",
                {"code": first.code, "seq": first.seq, "more": more},
            ),
        )
    assert check.kiosk is not None
    assert check.public_key is not None
    votes = tuple(
        (r.seq, r.rating, r.district, r.prev, h)
        for r, h in zip(check.records(), check.hashes, strict=True)
    )
    return Checked(path, digest, None, check.kiosk, check.public_key.hex(), votes)


def cores() -> int:
    """The number of cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector meanwhile (and resume it if it was running).

    A recount keeps every vote it reads: hundreds of thousands of objects that live to the end.
    The collector would go through them again and again as they pile up, for no garbage (they
    hold no reference cycles), which cost 9 % of the time of a 100,000-vote recount.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def _context() -> multiprocessing.context.BaseContext:
    """How to start the workers: "fork" when this process runs no other thread, else "spawn".

    A forked worker is ready at once, with the checker already imported; a spawned one first
    starts Python and imports it (a fifth of a second, more where Python finds no compiled
    bytecode), which at 20,000 votes is a sixth of the whole recount. A process with threads
    is never forked: a child would inherit whatever locks they held, as they were.
    """
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _worker_started() -> None:
    gc.disable()  # as collector_paused: the worker ends with the recount
    follow_parent(lambda: os._exit(0))  # nobody is left to read what this worker finds


def checked_files(files: Sequence[Path]) -> Iterator[Checked]:
    """Every file checked, in order: on every core when there is enough to check.

    This process checks files too, from the end of the list, while worker processes, one per
    other core, take them from the start: it starts at once, where a spawned worker first
    spends a fifth of a second starting Python and importing (``_context``), and what it
    finds needs no copying.
    Between two files it gives back what the workers have found, in order, so that the
    caller's own work on each file shares the cores too.
    Processes, not threads: libsodium and OpenSSL release the GIL while they verify, but
    check_batch does a batch's Python work (reading, hashing, the chain) in one stretch
    holding it, and a thread waiting for it to verify waits that long (bench/recount_speed.py
    measures both).
    """
    workers = min(cores(), len(files)) - 1
    if workers > 0:
        size = 0
        for path in files:
            with contextlib.suppress(OSError):  # check_file says why, in order
                size += path.stat().st_size
        if size < PARALLEL_MIN_BYTES:
            workers = 0
    if workers <= 0:
        yield from map(check_file, files)
        return
    with ProcessPoolExecutor(workers, mp_context=_context(), initializer=_worker_started) as pool:
        futures = [pool.submit(check_file, path) for path in files]
        here: dict[int, Checked] = {}
        head, tail = 0, len(files)  # files[:head] given back; files[tail:] checked here
        while head < tail:
            if futures[head].done():  # given back as soon as it is: the caller works on it
                yield futures[head].result()
                head += 1
            elif futures[tail - 1].cancel():  # no worker has it (nor any file after it)
                tail -= 1
                here[tail] = check_file(files[tail])
            else:  # the workers have every file left
                yield futures[head].result()
                head += 1
        for index in range(tail, len(files)):
            yield here.pop(index)
