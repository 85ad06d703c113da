"""The update repository and its keys: made, given a release, re-signed and copied to a stick.

tufup's ``Repository`` does the TUF work (keys, the four signed roles, archives, bsdiff patches);
this module fixes its settings (one key per role, thresholds, expiries) in code instead of the
``.tufup-repo-config`` file tufup would write into the working folder, keeps the private keys
owner-only and out of the served folder, and turns tufup's log-and-carry-on cases (a version
that is not newer, an archive already there, a missing key) into a clear refusal.

Expiries (docs/deploy.md, "Updates", argues them): the root of trust a year (re-signed offline
once a year: ``refresh --root``); a release's targets 90 days (``refresh --targets``); snapshot
and timestamp 30 days, re-signed without a new release by ``refresh`` (a monthly job) and by
``stick``, so that a stick's metadata is valid for 30 days from the day it was made. Expiry
never stops a kiosk: it only refuses *new* updates signed too long ago.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import securesystemslib.interface
from tuf.api.metadata import Metadata
from tufup.common import TargetMeta
from tufup.repo import Repository

from release.failures import ReleaseError, all_or_nothing, made_afresh, os_reason
from release.words import PROG, lines
from wire.files import fsync_dir, make_private_dir
from wire.updates import APP_NAME, FILE_NAME, METADATA_DIR, STICK_FOLDER, TARGETS_DIR

ROLES: Final = ("root", "targets", "snapshot", "timestamp")
EXPIRY_DAYS: Final[Mapping[str, float]] = {
    "root": 365,
    "targets": 90,
    "snapshot": 30,
    "timestamp": 30,
}
# One key per role, one signature each: a small office with one signing machine; the root key
# lives offline (two copies on encrypted sticks in the safe) and is needed only by `init` and
# `refresh --root`.
THRESHOLDS: Final[Mapping[str, int]] = dict.fromkeys(ROLES, 1)
WARN_WITHIN_DAYS: Final = 14  # `refresh` and `stick` warn about a role expiring this soon
VERSION: Final = re.compile(r"[0-9]+(\.[0-9]+){1,3}([ab]|rc)?[0-9]*")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Added:
    """A release added: its archive and, from the release before, its patch (or None)."""

    version: str
    archive: Path
    patch: Path | None


class _Repository(Repository):  # type: ignore[misc]  # tufup has no type information
    """tufup's Repository with its settings in code, not in a file in the working folder."""

    def save_config(self) -> None:
        """Nothing to save: ``open_repository`` gives every setting."""

    @classmethod
    def load_config(cls) -> dict[str, Any]:
        """No settings file is read (see ``save_config``)."""
        return {}


def _apart(repo: Path, keys: Path) -> None:
    """Refuse keys inside the served repository (or the repository inside the keys)."""
    r, k = repo.resolve(), keys.resolve()
    if r == k or r in k.parents or k in r.parents:
        raise ReleaseError("keys_inside", keys=keys, repo=repo)


def open_repository(
    repo: Path, keys: Path, expiry_days: Mapping[str, float] | None = None
) -> _Repository:
    """tufup's Repository for the folders repo and keys with our roles, thresholds and expiries."""
    _apart(repo, keys)
    return _Repository(
        app_name=APP_NAME,
        repo_dir=repo,
        keys_dir=keys,
        expiration_days=dict(EXPIRY_DAYS if expiry_days is None else expiry_days),
        thresholds=dict(THRESHOLDS),
    )


def _existing(repo: Path, keys: Path, expiry_days: Mapping[str, float] | None) -> _Repository:
    """The repository made by ``init``, its keys and metadata loaded (no key is made)."""
    if not (repo / METADATA_DIR / "root.json").is_file():
        raise ReleaseError("no_repository", repo=repo)
    if not keys.is_dir():
        raise ReleaseError("no_keys", keys=keys)
    for folder in (repo / METADATA_DIR, repo / TARGETS_DIR):
        if not folder.is_dir():  # removed or never copied: what kiosks download is not all there
            raise ReleaseError("missing_folder", folder=folder, repo=repo)
    repository = open_repository(repo, keys, expiry_days)
    # tufup's from_config does this after reading its settings file, which we do not keep.
    repository._load_keys_and_roles(create_keys=False)
    return repository


def init(repo: Path, keys: Path, expiry_days: Mapping[str, float] | None = None) -> Path:
    """Make the four key pairs (owner-only, in keys) and the signed first metadata in repo.

    Returns the trusted root file to build into the kiosk (kiosk/assets/update_root.json).
    """
    _apart(repo, keys)
    if (repo / METADATA_DIR / "root.json").exists():
        raise ReleaseError("already_made", repo=repo)
    if keys.is_dir() and any(keys.iterdir()):
        raise ReleaseError("keys_not_empty", keys=keys)
    if keys.exists() and not keys.is_dir():
        raise ReleaseError("keys_not_a_folder", keys=keys)
    with made_afresh(repo, keys):
        make_private_dir(keys)
        for folder in (repo / METADATA_DIR, repo / TARGETS_DIR):
            folder.mkdir(parents=True, exist_ok=True)
        old_umask = os.umask(0o077)  # securesystemslib writes the key files with the umask's
        try:
            open_repository(repo, keys, expiry_days).initialize()
        finally:
            os.umask(old_umask)
        for key_file in keys.iterdir():
            key_file.chmod(0o644 if key_file.suffix == ".pub" else 0o600)
        _servable(repo)
    log.info("update repository made at %s, keys at %s", repo, keys)
    return repo / METADATA_DIR / "root.json"


def bundle_version(bundle: Path) -> str | None:
    """The version a PyInstaller bundle says it is (its sangsuk-*.dist-info), or None."""
    for info in sorted((bundle / "_internal").glob("sangsuk-*.dist-info")):
        return info.name.removeprefix("sangsuk-").removesuffix(".dist-info")
    return None


def installed_size(bundle: Path) -> int:
    """The bytes the bundle's files take (what a kiosk needs free to unpack it)."""
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())


def add(
    repo: Path,
    keys: Path,
    bundle: Path,
    version: str,
    expiry_days: Mapping[str, float] | None = None,
) -> Added:
    """Archive the bundle folder as release ``version``, patch from the last one, sign, publish."""
    if not VERSION.fullmatch(version):
        raise ReleaseError("bad_version", version=repr(version))
    if not (bundle / APP_NAME).is_file() or not os.access(bundle / APP_NAME, os.X_OK):
        raise ReleaseError("not_a_bundle", bundle=bundle, app=APP_NAME)
    said = bundle_version(bundle)
    if said is not None and said != version:
        raise ReleaseError("bundle_version", bundle=bundle, said=said, version=version)
    with all_or_nothing(repo, keys):
        return _add(_existing(repo, keys, expiry_days), keys, bundle, version)


def _add(repository: _Repository, keys: Path, bundle: Path, version: str) -> Added:
    repo = Path(repository.repo_dir)
    new = TargetMeta(name=APP_NAME, version=version)
    latest = repository.roles.get_latest_archive()
    if latest is not None and not latest.version < new.version:
        raise ReleaseError("not_newer", version=version, latest=latest.version)
    archive = repository.targets_dir / new.filename
    if archive.exists():  # tufup would ask on the terminal whether to overwrite it
        raise ReleaseError("archive_there", archive=archive)
    repository.add_bundle(
        new_bundle_dir=bundle,
        new_version=version,
        custom_metadata={"installed_size": installed_size(bundle)},
    )
    _publish(repository, keys)
    patch = archive.with_name(f"{APP_NAME}-{version}.patch")
    log.info("release %s added to %s", version, repo)
    return Added(version, archive, patch if patch.exists() else None)


def refresh(
    repo: Path,
    keys: Path,
    roles: Iterable[str] = ("snapshot", "timestamp"),
    expiry_days: Mapping[str, float] | None = None,
) -> dict[str, datetime]:
    """Re-sign roles (by default snapshot and timestamp) with new expiries; no new release.

    Returns every role's expiry afterwards.
    """
    with all_or_nothing(repo, keys):
        repository = _existing(repo, keys, expiry_days)
        for role in roles:
            repository.refresh_expiration_date(role)
            # A new version every time, even when the expiry comes out the same (a second
            # refresh on the same second): kiosks that saw the last one must tell an older
            # copy from it.
            getattr(repository.roles, role).signed.version += 1
        _publish(repository, keys)
    log.info("update repository %s re-signed: %s", repo, ", ".join(roles))
    return expiries(repo)


def ask_passphrase(prompt: str = "", confirm: bool = False) -> str:
    """The passphrase of an encrypted private key, asked in the officer's words (securesystemslib
    asks in English, naming the file in quotes): without echo on a terminal, else one line of
    standard input (a script's); EOFError when there is none."""
    found = re.search(r"'(.+)'", prompt)
    lines_said = lines("release.ask.passphrase", key=found.group(1) if found else "?")
    for line in lines_said[:-1]:
        print(f"{PROG}: {line}", file=sys.stderr, flush=True)
    asked = f"{PROG}: {lines_said[-1]} "
    try:
        if sys.stdin.isatty():
            return getpass.getpass(asked, sys.stderr)
        print(asked, file=sys.stderr, flush=True)
        typed = sys.stdin.readline()
    except KeyboardInterrupt:
        print(file=sys.stderr, flush=True)  # Ctrl-C after the prompt: the refusal on a new line
        raise
    if not typed:
        raise EOFError("no passphrase on standard input")
    return typed.rstrip("\n")


def _publish(repository: _Repository, keys: Path) -> None:
    """Sign every changed role with the keys found in the folder keys, and write it (a key's
    passphrase, if it has one, asked by ``ask_passphrase``)."""
    asks, securesystemslib.interface.get_password = (
        securesystemslib.interface.get_password,
        ask_passphrase,
    )
    try:
        repository.publish_changes(private_key_dirs=[keys])
    except Exception as exc:  # tufup raises a bare Exception when a role's key is missing
        if "No private keys found" not in str(exc):
            raise
        found = re.search(r"for (\w+)", str(exc))
        role = found.group(1) if found else "?"
        raise ReleaseError("cannot_sign", keys=keys, role=role) from None
    finally:
        securesystemslib.interface.get_password = asks
    _servable(Path(repository.repo_dir))


def _servable(repo: Path) -> None:
    """Make the repository's files readable by the web server (tuf writes them owner-only)."""
    for sub in (METADATA_DIR, TARGETS_DIR):
        for file in (repo / sub).iterdir():
            if file.is_file():
                file.chmod(0o644)


def expiries(repo: Path) -> dict[str, datetime]:
    """When each role's signed metadata in repo expires (UTC)."""
    found: dict[str, datetime] = {}
    for role in ROLES:
        metadata: Metadata[Any] = Metadata.from_file(str(repo / METADATA_DIR / f"{role}.json"))
        found[role] = metadata.signed.expires.replace(tzinfo=UTC)
    return found


def expiring_soon(found: Mapping[str, datetime], now: datetime | None = None) -> list[str]:
    """The roles that expire within WARN_WITHIN_DAYS of now."""
    now = now or datetime.now(UTC)
    return [role for role, when in found.items() if (when - now).days < WARN_WITHIN_DAYS]


def make_stick(repo: Path, mount: Path) -> Path:
    """Copy the repository onto the stick at mount as sangsuk-updates/ (replacing an old copy)."""
    if not (repo / METADATA_DIR / "root.json").is_file():
        raise ReleaseError("no_repository", repo=repo)
    if not mount.is_dir():
        raise ReleaseError("no_stick", mount=mount)
    target = mount / STICK_FOLDER
    partial = mount / f"{STICK_FOLDER}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        for sub in (METADATA_DIR, TARGETS_DIR):
            (partial / sub).mkdir(parents=True)
            for source in sorted((repo / sub).iterdir()):
                if source.is_file() and FILE_NAME.fullmatch(source.name):
                    _copy_durably(source, partial / sub / source.name)
            fsync_dir(partial / sub)
        if target.exists():
            shutil.rmtree(target)
        partial.rename(target)
        fsync_dir(mount)
    except OSError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        log.info("writing to the stick failed: %s", exc)
        raise ReleaseError("stick_write", mount=mount, reason=os_reason(exc)) from exc
    log.info("update repository %s copied to %s", repo, target)
    return target


def _copy_durably(source: Path, target: Path) -> None:
    """Copy one file and fsync it (a stick is pulled out soon after)."""
    with source.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
        dst.flush()
        os.fsync(dst.fileno())
