"""The device key: made once, owner-only, reloaded, never silently replaced."""

import os
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from wire import keys
from wire.keys import KeyFileError


def test_first_run_makes_a_private_key_file(tmp_path):
    key = keys.load_or_create(tmp_path)
    path = tmp_path / keys.KEY_FILE_NAME
    assert path.exists()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key.kiosk_id) == 32
    assert key.kiosk_id == keys.kiosk_id_for(key.public_key_raw)
    assert key.fingerprint.replace("-", "").lower() == key.kiosk_id[:16]


def test_later_runs_load_the_same_identity(tmp_path):
    first = keys.load_or_create(tmp_path)
    second = keys.load_or_create(tmp_path)
    assert second.kiosk_id == first.kiosk_id
    assert second.public_key_raw == first.public_key_raw


def test_loose_permissions_are_tightened(tmp_path):
    keys.load_or_create(tmp_path)
    path = tmp_path / keys.KEY_FILE_NAME
    path.chmod(0o644)
    keys.load_or_create(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n",
        b"\x00\x01\x02 not a key",
    ],
)
def test_corrupt_key_file_is_a_clear_error_and_is_left_alone(tmp_path, content):
    path = tmp_path / keys.KEY_FILE_NAME
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match="not replaced"):
        keys.load_or_create(tmp_path)
    assert path.read_bytes() == content  # never replaced: that would fork the identity


def test_a_key_of_another_kind_is_refused(tmp_path):
    other = ec.generate_private_key(ec.SECP256R1())
    pem = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (tmp_path / keys.KEY_FILE_NAME).write_bytes(pem)
    with pytest.raises(KeyFileError, match="not Ed25519"):
        keys.load_or_create(tmp_path)


def test_unreadable_key_file_is_a_clear_error(tmp_path):
    (tmp_path / keys.KEY_FILE_NAME).mkdir()  # unreadable as a file, even for root
    with pytest.raises(KeyFileError, match="cannot be read"):
        keys.load_or_create(tmp_path)


def test_interrupted_creation_leaves_no_key_behind(tmp_path):
    (tmp_path / (keys.KEY_FILE_NAME + ".new")).write_bytes(b"half")
    key = keys.load_or_create(tmp_path)
    assert keys.load(tmp_path / keys.KEY_FILE_NAME).kiosk_id == key.kiosk_id
    assert not (tmp_path / (keys.KEY_FILE_NAME + ".new")).exists()
