"""The installed versions under /opt/sangsuk (the agreed layout, docs/deploy.md "Updates"):
unpacking a verified archive, the new version's self-test, the ``current``/``previous``
switch, the ``trial`` file, pruning old versions, and the updates' small state file.

    /opt/sangsuk/versions/<v>/   one bundle each        /opt/sangsuk/current  -> versions/<v>
    /opt/sangsuk/previous -> versions/<v>                /opt/sangsuk/trial    (the version)
    /opt/sangsuk/updates/{metadata,targets,staging}/, state.json

Invariant: ``current`` is only ever replaced by an atomic rename of a complete symlink made
beside it, and only to a folder that passed its self-test; nothing here touches the kiosk's
data folder (votes, key, settings live elsewhere).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from wire.files import fsync_dir, write_atomically
from wire.updates import APP_NAME

SELF_TEST_TIMEOUT_S: Final = 600
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class InstallPaths:
    """Every path of an installation, from its root (/opt/sangsuk)."""

    root: Path

    @property
    def versions(self) -> Path:
        """Where each version's bundle folder lives."""
        return self.root / "versions"

    @property
    def current(self) -> Path:
        """The symlink to the version that runs."""
        return self.root / "current"

    @property
    def previous(self) -> Path:
        """The symlink to the version the session falls back to."""
        return self.root / "previous"

    @property
    def trial(self) -> Path:
        """Present while a just-applied version has not yet shown its welcome screen."""
        return self.root / "trial"

    @property
    def updates(self) -> Path:
        """The updates' own folder: TUF metadata, downloads, staging, state."""
        return self.root / "updates"

    @property
    def metadata(self) -> Path:
        """TUF's trusted metadata (root.json first, from the bundle)."""
        return self.updates / "metadata"

    @property
    def targets(self) -> Path:
        """Downloaded archives and patches (the running version's archive kept for patches)."""
        return self.updates / "targets"

    @property
    def staging(self) -> Path:
        """Where an archive is unpacked before it becomes versions/<v>/."""
        return self.updates / "staging"

    @property
    def state_file(self) -> Path:
        """The updates' state: pending version, last check, last refusal."""
        return self.updates / "state.json"

    def version_dir(self, version: str) -> Path:
        """The folder of one version."""
        return self.versions / version

    def archive(self, version: str) -> Path:
        """Where the archive of a version is kept (what a patch applies to)."""
        return self.targets / f"{APP_NAME}-{version}.tar.gz"


def is_installation(root: Path) -> bool:
    """Whether root has the agreed layout: a versions/ folder and a current symlink."""
    return (root / "versions").is_dir() and (root / "current").is_symlink()


def linked_version(link: Path) -> str | None:
    """The version a current/previous symlink points at (its folder's name), or None."""
    try:
        return Path(os.readlink(link)).name
    except OSError:
        return None


def read_state(paths: InstallPaths) -> dict[str, Any]:
    """The state file's content; an empty state when missing or unreadable (logged)."""
    try:
        state = json.loads(paths.state_file.read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.error("update state %s unreadable, starting afresh: %s", paths.state_file, exc)
        return {}
    return state if isinstance(state, dict) else {}


def write_state(paths: InstallPaths, state: dict[str, Any]) -> None:
    """Write the state file durably (temporary file, fsync, rename, folder fsync)."""
    paths.updates.mkdir(parents=True, exist_ok=True)
    data = json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True).encode()
    write_atomically(paths.state_file, data)


def unpack(archive: Path, paths: InstallPaths, version: str) -> Path:
    """Unpack a verified archive into staging/, then move it to versions/<version>/.

    The "data" filter refuses absolute paths, ``..``, links out of the folder and device
    files, even from a signed archive. Returns the version's folder.
    """
    staging = paths.staging / version
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(staging, filter="data")
        if not (staging / APP_NAME).is_file():
            raise tarfile.TarError(f"the archive has no {APP_NAME} at its top")
        target = paths.version_dir(version)
        shutil.rmtree(target, ignore_errors=True)  # a half-made folder of a crash before
        paths.versions.mkdir(parents=True, exist_ok=True)
        staging.rename(target)
        fsync_dir(paths.versions)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def self_test(folder: Path) -> tuple[bool, str]:
    """Run the version's `sangsuk-kiosk --self-test` away from any checkout; (passed, output).

    The self-test needs no screen and uses only a temporary folder (ui/self_test.py); the
    environment is cleaned of Python variables so the bundle runs on its own files only.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test sets its own
    try:
        done = subprocess.run(
            [str(folder / APP_NAME), "--self-test"],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=SELF_TEST_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return False, f"no answer in {SELF_TEST_TIMEOUT_S} s"
    except OSError as exc:
        return False, f"cannot start: {exc.strerror or exc}"
    output = (done.stdout + done.stderr).decode("utf-8", "replace")
    log.info("self-test of %s: exit %s\n%s", folder, done.returncode, output)
    return done.returncode == 0, output or f"exit code {done.returncode}"


def point(link: Path, version: str) -> None:
    """Point a symlink (current, previous) at versions/<version> atomically: made beside, renamed."""
    beside = link.with_name(f".{link.name}.new")
    beside.unlink(missing_ok=True)
    os.symlink(Path("versions") / version, beside)
    os.replace(beside, link)
    fsync_dir(link.parent)


def write_trial(paths: InstallPaths, version: str) -> None:
    """Mark version as on trial until its welcome screen shows (the session script reads it)."""
    write_atomically(paths.trial, f"{version}\n".encode())
    paths.trial.chmod(0o644)


def remove_trial(paths: InstallPaths) -> None:
    """The version on trial reached its welcome screen: it is the one that stays."""
    paths.trial.unlink(missing_ok=True)
    fsync_dir(paths.root)


def prune(paths: InstallPaths, keep: set[str]) -> list[str]:
    """Remove every version folder, kept archive and leftover download not in keep; their names."""
    removed: list[str] = []
    keep = keep | {v for v in (linked_version(paths.current), linked_version(paths.previous)) if v}
    if paths.versions.is_dir():
        for folder in sorted(paths.versions.iterdir()):
            if folder.name not in keep and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder.name)
    if paths.targets.is_dir():
        kept_archives = {paths.archive(v).name for v in keep}
        for file in paths.targets.iterdir():
            if file.name not in kept_archives:
                file.unlink(missing_ok=True)
    shutil.rmtree(paths.staging, ignore_errors=True)
    if removed:
        log.info("old versions removed: %s", ", ".join(removed))
    return removed
