"""Operator passwords: argon2id hashes (argon2-cffi) and the rule a new password must meet.

Parameters: argon2id, 3 passes over 64 MiB with 4 lanes, a 16-byte salt and a 32-byte tag:
RFC 9106's second recommended option, the one for machines that cannot spare 2 GiB per
hash. One check took 0.16 s on the 2-core test machine (busy, load 4), so a login is not slowed noticeably but a
guess costs an attacker who stole the database the same. The parameters are stored in each
hash (a PHC string), so raising them later only rehashes each password at its next login.

A new password must be 12 to 256 characters (any characters, Thai too; no rules about kinds of
character, which make passwords worse, OWASP ASVS 2.1), must not contain the account's name
(a name of 3 characters or more, as Windows checks it: "somchaisomchai" for somchai is
refused), and must not be one of a short list of passwords everyone tries first.
"""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

HASHER: Final = PasswordHasher(
    time_cost=3, memory_cost=64 * 1024, parallelism=4, hash_len=32, salt_len=16
)
MIN_LENGTH: Final = 12
MAX_LENGTH: Final = 256
NAME_IN_PASSWORD: Final = 3  # a shorter name is too likely to sit in a good password by chance
# Checked against so that a timing difference does not tell whether an account exists.
_DUMMY: Final = HASHER.hash("sangsuk: no such operator")
COMMON: Final = frozenset(
    {
        "123456789012", "password1234", "qwertyuiop12", "111111111111", "000000000000",
        "123412341234", "passwordpassword", "adminadmin12", "administrator", "changemechangeme",
        "sangsuk12345", "sangsukadmin", "happydistrict", "1234567890123", "qwerty123456",
    }
)  # fmt: skip


class PasswordRejectedError(ValueError):
    """A new password that does not meet the rule; ``key`` names the reason's translation."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def hash_password(password: str) -> str:
    """The argon2id hash of password, as a PHC string."""
    return HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True when password matches the stored hash; False (after the same work) when none."""
    try:
        return HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True when stored was made with other parameters than today's."""
    return HASHER.check_needs_rehash(stored)


def check_new_password(password: str, name: str) -> None:
    """Raise PasswordRejectedError unless password may be set for the account called name."""
    if len(password) < MIN_LENGTH:
        raise PasswordRejectedError("password.too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordRejectedError("password.too_long")
    folded, account = password.casefold(), name.casefold()
    if folded == account or (len(account) >= NAME_IN_PASSWORD and account in folded):
        raise PasswordRejectedError("password.has_name")
    if folded in COMMON or len(set(folded)) < 4:
        raise PasswordRejectedError("password.too_common")
