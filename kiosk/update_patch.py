"""tufup's release format, the kiosk's side: the target names and applying a patch.

The kiosk does not import tufup itself: importing any part of the ``tufup`` package runs its
``__init__``, which loads its repository tools (setuptools, key generation), and the one-folder
bundle leaves setuptools out (deploy/sangsuk-kiosk.spec). The format is tufup 0.10's
(tufup/common.py), made by `sangsuk-release add`:

* ``sangsuk-kiosk-<version>.tar.gz``: the bundle folder as a gzipped tar;
* ``sangsuk-kiosk-<version>.patch``: bsdiff4 from the previous release's *uncompressed* tar to
  this one's; its signed custom metadata (``custom.tufup``) holds the size and hash of the
  tar it must produce, checked here before the result is written.

tests/kiosk/test_updates.py applies patches made by tufup with this code.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import bsdiff4
from packaging.version import InvalidVersion, Version

ARCHIVE: Final = ".tar.gz"
PATCH: Final = ".patch"
_NAME: Final = re.compile(r"(?P<name>[\w-]+)-(?P<version>.+)(?P<suffix>\.tar\.gz|\.patch)")


class PatchError(Exception):
    """A patch did not produce the tar the release tool signed."""


@dataclass(frozen=True, slots=True)
class TargetName:
    """What a target's file name says: the application, its version, archive or patch."""

    app: str
    version: Version
    is_patch: bool

    @classmethod
    def parse(cls, name: str) -> TargetName | None:
        """The parts of sangsuk-kiosk-0.2.0.tar.gz (or .patch); None for any other name."""
        match = _NAME.fullmatch(name)
        if match is None:
            return None
        try:
            version = Version(match["version"])
        except InvalidVersion:
            return None
        return cls(match["name"], version, match["suffix"] == PATCH)


def archive_name(app: str, version: str) -> str:
    """The archive's file name of a version."""
    return f"{app}-{version}{ARCHIVE}"


def apply_patches(
    source: Path, patches: Sequence[tuple[Path, Mapping[str, Any]]], target: Path
) -> None:
    """Patch the archive source with each (patch file, its custom.tufup metadata) in order.

    The last patch's metadata says the size and hash of the tar that must result; only a tar
    that matches is written, gzipped, to target. Raises PatchError otherwise.
    """
    if not patches:
        raise PatchError("no patches")
    with gzip.open(source, "rb") as src:
        tar: bytes = src.read()
    for patch, _ in patches:
        tar = bsdiff4.patch(tar, patch.read_bytes())
    expected = patches[-1][1]
    algorithm = str(expected.get("tar_hash_algorithm", "sha256"))
    if algorithm not in hashlib.algorithms_guaranteed:
        raise PatchError(f"unknown hash {algorithm}")
    if len(tar) != expected.get("tar_size") or (
        hashlib.new(algorithm, tar).hexdigest() != expected.get("tar_hash")
    ):
        raise PatchError("the patched archive differs from the signed one")
    # Only kept here, for the next patch: compressed fast (level 9 took 20 s of a tablet's CPU).
    with gzip.open(target, "wb", compresslevel=1) as dst:
        dst.write(tar)
