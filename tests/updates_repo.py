"""A central office and a tablet for the update tests: real keys, real signed TUF metadata made
by `sangsuk-release` (release/repository.py), and small fake kiosk bundles.

A fake bundle is a folder whose ``sangsuk-kiosk`` is a tiny shell script: ``--self-test``
prints a line and exits 0 (or 1, to play a broken build); the self-test of a real bundle is
tested in tests/ui/test_bundle.py. Each bundle carries its ``sangsuk-<v>.dist-info`` as a
PyInstaller build does, a large unchanging library and one small Python file that changes
between versions, so that a patch is small next to the archive.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from kiosk.update_install import InstallPaths, point
from kiosk.updates import Updates, stick_source
from release import repository
from wire.clock import Clock

SCRIPT = """#!/bin/sh
if [ "$1" = "--self-test" ]; then
  echo "{line}"
  exit {code}
fi
echo "sangsuk-kiosk {version}"
"""


def make_bundle(folder: Path, version: str, self_test_passes: bool = True) -> Path:
    """A fake one-folder kiosk bundle of version at folder."""
    internal = folder / "_internal"
    (internal / f"sangsuk-{version}.dist-info").mkdir(parents=True)
    (internal / f"sangsuk-{version}.dist-info" / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: sangsuk\nVersion: {version}\n"
    )
    library = random.Random(17).randbytes(400_000)  # the same in every version, like Qt
    (internal / "libQt6Fake.so.6").write_bytes(library)
    (internal / "kiosk_flow.py").write_text(f"VERSION = {version!r}\n" + "# code\n" * 200)
    line = "ผ่านทุกข้อ / all checks passed" if self_test_passes else "ฟอนต์ไม่ครบ / fonts missing"
    script = folder / "sangsuk-kiosk"
    script.write_text(SCRIPT.format(line=line, code=0 if self_test_passes else 1, version=version))
    script.chmod(0o755)
    return folder


@dataclass
class Office:
    """The central office: a repository (served) and its keys folder (kept apart)."""

    repo: Path
    keys: Path
    bundles: Path

    def release(self, version: str, self_test_passes: bool = True) -> repository.Added:
        """Build a fake bundle of version and add it as a signed release."""
        bundle = make_bundle(self.bundles / version, version, self_test_passes)
        return repository.add(self.repo, self.keys, bundle, version)

    @property
    def trusted_root(self) -> Path:
        """The root.json a kiosk build would carry (kiosk/assets/update_root.json)."""
        return self.repo / "metadata" / "root.json"


def make_office(folder: Path) -> Office:
    """`sangsuk-release init` in folder."""
    office = Office(folder / "repo", folder / "keys", folder / "bundles")
    repository.init(office.repo, office.keys)
    return office


def install(root: Path, bundle: Path, version: str) -> InstallPaths:
    """A tablet installed as the agreed layout says: versions/<v>/ and current pointing at it."""
    paths = InstallPaths(root)
    target = paths.version_dir(version)
    shutil.copytree(bundle, target, symlinks=True)
    point(paths.current, version)
    return paths


def kiosk(root: Path, office: Office, running: str, clock: Clock | None = None) -> Updates:
    """The kiosk program of version running on the tablet at root, trusting the office's root
    (with a fake clock when given)."""
    return Updates(root, running=running, trusted_root=office.trusted_root, clock=clock)


def stick(office: Office | Path, mount: Path) -> Path:
    """`sangsuk-release stick` of an office's repository (or a repository folder) onto a folder
    standing for a mounted stick; the kiosk's source."""
    mount.mkdir(parents=True, exist_ok=True)
    repository.make_stick(office.repo if isinstance(office, Office) else office, mount)
    return stick_source(mount)


def data_folder(folder: Path) -> dict[str, str]:
    """A kiosk data folder with a ledger, a key and settings; returns their hashes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ledger.sqlite3").write_bytes(b"SQLite format 3\0" + os.urandom(4096))
    (folder / "kiosk.key").write_bytes(os.urandom(32))
    (folder / "settings.json").write_text('{"district": "3706"}')
    return fingerprints(folder)


def fingerprints(folder: Path) -> dict[str, str]:
    """Each file's SHA-256 under folder."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
