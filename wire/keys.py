"""The kiosk's device key: an Ed25519 key made once, kept in the data folder, never replaced.

The key *is* the kiosk's identity: the kiosk id is derived from its public key and every vote
is signed with it. So a key file that cannot be read is an error for a person to resolve
(restore it from a backup, or have the central office enroll a new kiosk); it is never
silently replaced, which would fork the kiosk's identity and orphan its chain of votes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from wire.ed25519 import public_key_refusal
from wire.files import fsync_dir, keep_private, make_private_dir

KEY_FILE_NAME: Final = "device_key.pem"
log = logging.getLogger(__name__)


class KeyFileError(Exception):
    """The device key file exists but cannot be used. It is left untouched."""


def kiosk_id_for(public_key_raw: bytes) -> str:
    """Return the kiosk id for a raw 32-byte public key: the first 32 hex digits of its SHA-256."""
    if len(public_key_raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return hashlib.sha256(public_key_raw).hexdigest()[:32]


def fingerprint_for(public_key_raw: bytes) -> str:
    """Return a short fingerprint for display, e.g. 3F2A-91C0-7B44-E015 (the kiosk id's start)."""
    return fingerprint_for_id(kiosk_id_for(public_key_raw))


def fingerprint_for_id(kiosk: str) -> str:
    """The display fingerprint of a kiosk id: its first 16 hex digits, in groups of four."""
    head = kiosk[:16].upper()
    return "-".join(head[i : i + 4] for i in range(0, len(head), 4))


def is_weak_public_key(raw: bytes) -> bool:
    """Tell whether raw is a public key no kiosk or collector may have (docs/protocol.md 5.5).

    Those are the keys under which the strict rule (wire/ed25519.py) refuses every signature:
    the 14 encodings of the small-order points, under which anyone could sign without a
    private key if the rule allowed it, and the non-canonical encodings (y >= p).
    """
    return public_key_refusal(raw) is not None


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    """Load a raw 32-byte Ed25519 public key."""
    return Ed25519PublicKey.from_public_bytes(raw)


@dataclass(frozen=True, slots=True)
class DeviceKey:
    """The kiosk's signing key with its derived identity."""

    private_key: Ed25519PrivateKey
    path: Path

    @property
    def public_key(self) -> Ed25519PublicKey:
        """The public half of the key."""
        return self.private_key.public_key()

    @property
    def public_key_raw(self) -> bytes:
        """The public key as its raw 32 bytes."""
        return self.public_key.public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def kiosk_id(self) -> str:
        """The kiosk id derived from the public key."""
        return kiosk_id_for(self.public_key_raw)

    @property
    def fingerprint(self) -> str:
        """A short fingerprint for display and for reading over the phone."""
        return fingerprint_for(self.public_key_raw)


def load_or_create(data_dir: Path) -> DeviceKey:
    """Load the device key from data_dir, or make and store one if there is none yet."""
    path = data_dir / KEY_FILE_NAME
    if path.exists() or path.is_symlink():
        return load(path)
    return create(path)


def load(path: Path) -> DeviceKey:
    """Load an existing device key; raise ``KeyFileError`` with a clear reason if it is unusable."""
    advice = (
        "It was not replaced, because a new key would give this kiosk a new identity. "
        "Restore the file from a backup, or ask the central office to enroll this kiosk again."
    )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(
            f"The device key file {path} cannot be read ({exc.strerror}). {advice}"
        ) from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyFileError(
            f"The device key file {path} is damaged or not a key ({exc}). {advice}"
        ) from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"The device key file {path} holds a key that is not Ed25519. {advice}")
    keep_private(path, "device key")
    return DeviceKey(private_key=key, path=path)


def create(path: Path) -> DeviceKey:
    """Make a new device key and store it with owner-only permissions, atomically."""
    make_private_dir(path.parent)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = path.with_name(path.name + ".new")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)
    # link() refuses to overwrite: if another process made a key meanwhile, keep theirs.
    try:
        os.link(tmp, path)
    except FileExistsError:
        tmp.unlink()
        return load(path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    fsync_dir(path.parent)
    log.info("made a new device key at %s", path)
    return DeviceKey(private_key=key, path=path)
