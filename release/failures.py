"""What went wrong in `sangsuk-release`, in the officer's words, and the repository as it was.

Every failure becomes a ``ReleaseError``: a sentence of the catalogues (release/translations/,
Thai and English) that says what happened and what to do. The system's or the library's own
(English) words go only to the log. A failure in the middle of signing (a full disk, a key that
cannot be read, a wrong passphrase, Ctrl-C) would leave some signed files new and the others
old, which no kiosk accepts: ``all_or_nothing`` puts every file of the repository's metadata back
as it was and removes the files the command made, and says so (or names what it could not put
back, and how to clean up). ``made_afresh`` does the same for ``init``: no half-made keys folder
or repository is left to block the next try.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from securesystemslib.exceptions import Error as KeyLibraryError
from securesystemslib.exceptions import StorageError
from tuf.api.exceptions import RepositoryError
from tuf.api.serialization import DeserializationError

from release.words import Phrase
from wire.updates import METADATA_DIR, TARGETS_DIR

log = logging.getLogger(__name__)

# What the system said, by errno: the words of each (release.os.*); others name the errno.
OS_WORDS: Final[dict[int, str]] = {
    errno.ENOSPC: "release.os.full",
    errno.EDQUOT: "release.os.full",
    errno.EROFS: "release.os.read_only",
    errno.EACCES: "release.os.denied",
    errno.EPERM: "release.os.denied",
    errno.EIO: "release.os.io",
    errno.ENOENT: "release.os.missing",
    errno.ENOTDIR: "release.os.not_a_folder",
    errno.EISDIR: "release.os.a_folder",
}


class ReleaseError(Exception):
    """A refusal of the release tool, worded by a catalogue key (release.error.*) in Thai and
    English (release/words.py). ``after`` says what became of the repository, when a command
    that had begun to write failed (None: it had changed nothing)."""

    def __init__(self, key: str, /, **values: object) -> None:
        """The refusal of ``key`` with the values of its placeholders."""
        self.phrase = Phrase(f"release.error.{key}", **values)
        self.after: Phrase | None = None
        super().__init__(self.en)

    @property
    def th(self) -> str:
        """The refusal in Thai."""
        return self.phrase.in_language("th")

    @property
    def en(self) -> str:
        """The refusal in English (also the log's words)."""
        return self.phrase.in_language("en")


class InterruptError(ReleaseError):
    """The officer pressed Ctrl-C (or the command was stopped): the exit code is 130."""

    def __init__(self) -> None:
        """The interruption, worded."""
        super().__init__("interrupted")


def os_reason(exc: OSError) -> Phrase:
    """What the system said, in words (the errno's name when it is none we word)."""
    key = OS_WORDS.get(exc.errno or 0)
    if key is None:
        return Phrase("release.os.other", code=errno.errorcode.get(exc.errno or 0, "?"))
    return Phrase(key)


def explain(
    exc: BaseException, *, repo: Path | None = None, keys: Path | None = None
) -> ReleaseError:
    """The ReleaseError that words exc (a ReleaseError stays as it is); the raw error is logged."""
    if isinstance(exc, ReleaseError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return InterruptError()
    log.info("the raw error: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, StorageError):  # securesystemslib's words for the system's own refusal
        exc = _system_error(exc) or exc
    if isinstance(exc, OSError):
        path = exc.filename if exc.filename else (repo or keys or "?")
        return ReleaseError("os", path=path, reason=os_reason(exc))
    if isinstance(exc, KeyLibraryError | EOFError):
        # securesystemslib could not read a private key: damaged, or encrypted and the
        # passphrase typed was wrong (or there was no terminal to ask for one: EOFError).
        return ReleaseError("key_unreadable", keys=keys or "?")
    if isinstance(exc, DeserializationError | RepositoryError | json.JSONDecodeError):
        return ReleaseError("metadata_unreadable", metadata=(repo or Path("?")) / METADATA_DIR)
    log.warning("unexpected error: %s: %s", type(exc).__name__, exc)  # for the developers
    return ReleaseError("unexpected", kind=type(exc).__name__)


def _system_error(exc: BaseException) -> OSError | None:
    """The OSError a library's exception was raised from (None if there is none)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()


@contextmanager
def all_or_nothing(repo: Path, keys: Path | None) -> Iterator[None]:
    """Run a block that signs and writes into repo; if it fails in any way, put every metadata
    file back as it was, remove the files it made, and raise the failure worded."""
    metadata, targets = repo / METADATA_DIR, repo / TARGETS_DIR
    saved = {path: path.read_bytes() for path in _files(metadata)}  # small signed JSON files
    archives = _files(targets)  # large: never changed in place, only added
    try:
        yield
    except BaseException as exc:
        refusal = explain(exc, repo=repo, keys=keys)
        changed, left = _put_back(
            saved, (_files(metadata) - saved.keys()) | (_files(targets) - archives)
        )
        if left:
            refusal.after = Phrase("release.after.left", files=", ".join(map(str, left)), repo=repo)
        elif changed:
            refusal.after = Phrase("release.after.undone", repo=repo)
        raise refusal from exc


def _put_back(saved: dict[Path, bytes], made: set[Path]) -> tuple[int, list[Path]]:
    """Write back the saved files that differ, remove the made ones: (how many, what failed)."""
    changed, left = 0, []
    for path, body in saved.items():
        try:
            if path.is_file() and path.read_bytes() == body:
                continue
            partial = path.with_name(path.name + ".restoring")
            partial.write_bytes(body)
            os.replace(partial, path)
            changed += 1
        except OSError as exc:
            log.warning("cannot put %s back as it was: %s", path, exc)
            left.append(path)
    for path in sorted(made):
        try:
            path.unlink()
            changed += 1
        except OSError as exc:
            log.warning("cannot remove %s: %s", path, exc)
            left.append(path)
    return changed, left


@contextmanager
def made_afresh(repo: Path, keys: Path) -> Iterator[None]:
    """Run ``init``'s block; if it fails, remove what it made (the keys folder was empty or
    absent, the repository had no metadata), so that init can simply be run again."""
    folders = (keys, repo / METADATA_DIR, repo / TARGETS_DIR, repo)
    existed = {folder: folder.is_dir() for folder in folders}
    before = {folder: _files(folder) for folder in folders[1:3]}
    try:
        yield
    except BaseException as exc:
        refusal = explain(exc, repo=repo, keys=keys)
        removed, left = 0, []
        for folder in folders:
            if not folder.is_dir():
                continue
            try:
                if not existed[folder]:
                    if folder == repo:
                        folder.rmdir()  # empty by now, unless the officer put something there
                    else:
                        shutil.rmtree(folder)
                    removed += 1
                    continue
                # It was there: the keys folder was empty (init refuses one that is not), and
                # the files init made in the repository's folders are the new ones.
                for made in _files(folder) - before.get(folder, set()):
                    made.unlink()
                    removed += 1
            except OSError as failure:
                log.warning("cannot remove what init made in %s: %s", folder, failure)
                left.append(folder)
        if left:
            refusal.after = Phrase("release.after.init_left", folders=", ".join(map(str, left)))
        elif removed:
            refusal.after = Phrase("release.after.init_undone", keys=keys, repo=repo)
        raise refusal from exc
