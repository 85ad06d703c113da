"""The second step at login: a 6-digit code from a phone authenticator app (TOTP, RFC 6238).

The rules over what store/second_steps.py keeps:

* Turning it on: the page proposes a random 160-bit secret (kept, not yet on) as a QR code and
  in groups for typing; it is on only once a code from the app is right (a wrong setup never
  locks anyone out). Ten recovery codes are made then, shown once and stored salted and hashed;
  each works once in place of a code.
* A code is right for the step it was made in (30 seconds) or the one before or after (a
  phone's clock a little off). The step of a code accepted is kept in the database: the same
  code, or one of an earlier step, is refused afterwards on every server (replay).
* Wrong codes, replayed codes and used recovery codes count against the name (and the
  address) in the login's throttle (accounts.py), and a locked name is refused before a code is
  looked at. A good password alone no longer clears the name's count when the second step is
  on: only a whole login does, so a stolen password cannot buy fresh guesses at the code.
* A pending login (password right, code not yet) lasts accounts.PENDING_FOR (SETUP_FOR when
  the second step is to be set up first: an app to install), is bound to the browser by
  a cookie whose secret is stored only as its SHA-256, and is used once.
* Malformed input (5 digits, letters) is refused with words and not counted: it tests nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final, NoReturn

import pyotp

from collector.auth.accounts import AccountError, Accounts, session_hash
from collector.store.operators import SessionRow
from collector.store.second_steps import PendingRow
from wire.clock import parse_utc

STEP_SECONDS: Final = 30
WINDOW: Final = 1  # steps either side of now whose code is accepted
DIGITS: Final = 6
RECOVERY_CODES: Final = 10
RECOVERY_LENGTH: Final = 10  # characters, shown as two groups of five: 50 bits each
RECOVERY_ALPHABET: Final = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford's base32
CONFUSED: Final = str.maketrans({"o": "0", "i": "1", "l": "1", "u": "v"})
ISSUER: Final = "Sangsuk"


def parse_code(text: str) -> tuple[str, str]:
    """What was typed in the code field: ('app', six digits) or ('recovery', ten characters).

    Spaces and dashes between characters are ignored (apps show "123 456"). AccountError
    'second_step.empty', 'second_step.digits' (with n, the digits typed) or
    'second_step.not_a_code' otherwise.
    """
    compact = "".join(text.split()).replace("-", "").lower()[:64]
    if not compact:
        raise AccountError("second_step.empty")
    if compact.isascii() and compact.isdigit():
        if len(compact) != DIGITS:
            raise AccountError("second_step.digits", n=str(len(compact)))
        return "app", compact
    recovery = compact.translate(CONFUSED)
    if len(recovery) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in recovery):
        return "recovery", recovery
    raise AccountError("second_step.not_a_code")


def new_recovery_codes() -> list[str]:
    """RECOVERY_CODES fresh recovery codes, as shown: 'xxxxx-xxxxx'."""
    codes = []
    for _ in range(RECOVERY_CODES):
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{code[:5]}-{code[5:]}")
    return codes


def hash_recovery_code(code: str, salt: bytes | None = None) -> str:
    """The stored form of a recovery code: '<salt hex>$<SHA-256 of salt and code, hex>'."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    compact = code.replace("-", "")
    return salt.hex() + "$" + hashlib.sha256(salt + compact.encode("ascii")).hexdigest()


def recovery_code_matches(code: str, stored: str) -> bool:
    """True when code (compact, lower case) is the one stored as stored."""
    salt, _, _ = stored.partition("$")
    try:
        again = hash_recovery_code(code, bytes.fromhex(salt))
    except ValueError:
        return False
    return hmac.compare_digest(again, stored)


def secret_groups(secret: str) -> str:
    """A base32 secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, name: str) -> str:
    """The otpauth:// address the app reads from the QR code (issuer Sangsuk, the login name)."""
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=name, issuer_name=ISSUER)


class SecondStep:
    """Setting the second step up, checking its codes, pending logins, turning it off."""

    def __init__(self, accounts: Accounts) -> None:
        """The second step of accounts' operators."""
        self.accounts = accounts
        self.store = accounts.store
        self.rows = accounts.steps

    def is_on(self, name: str) -> bool:
        """True when name's second step is on."""
        row = self.rows.get(name)
        return row is not None and row.enabled_at is not None

    def codes_left(self, name: str) -> int:
        """How many of name's recovery codes are still unused."""
        return sum(1 for _, used in self.rows.recovery_codes(name) if used is None)

    def propose(self, name: str) -> str:
        """The secret proposed to name on the setup page (kept until it is turned on)."""
        return self.rows.propose(name, pyotp.random_base32(32))

    def _step_of(self, secret: str, code: str) -> int | None:
        """The time step within WINDOW of now whose code is code, or None."""
        totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
        now = int(self.store.clock.now().timestamp()) // STEP_SECONDS
        for step in (now, now - WINDOW, now + WINDOW) if WINDOW else (now,):
            if hmac.compare_digest(totp.generate_otp(step), code):
                return step
        return None

    def turn_on(self, name: str, text: str, source: str, addr: str | None) -> list[str]:
        """Turn name's proposed secret on once text is its app's code; the recovery codes.

        AccountError as parse_code says, 'second_step.setup_wrong' for another code (not
        counted: the one who sees the secret is guessing nothing), 'second_step.already_on', or
        'second_step.setup_gone' when nothing is proposed any more (an admin reset it).
        """
        kind, code = parse_code(text)
        row = self.rows.get(name)
        if row is not None and row.enabled_at is not None:
            raise AccountError("second_step.already_on")
        if row is None:
            raise AccountError("second_step.setup_gone")
        step = self._step_of(row.secret, code) if kind == "app" else None
        if step is None:
            raise AccountError("second_step.setup_wrong")
        codes = new_recovery_codes()
        hashes = [hash_recovery_code(c) for c in codes]
        if not self.rows.enable(name, step, hashes, name, source, addr):
            raise AccountError("second_step.already_on")
        return codes

    def check(self, name: str, text: str, addr: str | None, source: str) -> str:
        """Check a code (or a recovery code) of name's under the login's throttle: which it was.

        Returns 'app' or 'recovery'. AccountError as parse_code says (not counted),
        'login.locked' (with until), or counted and audited: 'second_step.wrong',
        'second_step.replayed', 'second_step.recovery_used'; 'second_step.not_on' when it was
        turned off or reset meanwhile.
        """
        kind, code = parse_code(text)
        with self.accounts.attempts(name):
            self.accounts.refuse_if_locked(name, addr, source)
            row = self.rows.get(name)
            if row is None or row.enabled_at is None:
                raise AccountError("second_step.not_on")
            if kind == "app":
                step = self._step_of(row.secret, code)
                if step is None:
                    self._refuse(name, addr, source, "code_wrong", "a wrong code")
                elif not self.rows.use_step(name, step):
                    self._refuse(name, addr, source, "code_replayed", "a code already used")
            else:
                self._use_recovery_code(name, code, addr, source)
        return kind

    def _use_recovery_code(self, name: str, code: str, addr: str | None, source: str) -> None:
        stored = self.rows.recovery_codes(name)
        found = next(((h, used) for h, used in stored if recovery_code_matches(code, h)), None)
        if found is None:
            self._refuse(name, addr, source, "code_wrong", "a wrong recovery code")
        elif found[1] is not None or not self.rows.use_recovery_code(name, found[0]):
            self._refuse(name, addr, source, "recovery_code_used", "a recovery code used before")
        left = self.codes_left(name)
        self.store.audit(
            "login", "recovery_code", f"{name} used a recovery code; {left} left",
            None, source, addr, name, {"left": left},
        )  # fmt: skip

    def _refuse(self, name: str, addr: str | None, source: str, reason: str, what: str) -> NoReturn:
        """Count a failure against name and addr, audit it, and refuse with the reason's words."""
        self.accounts.count_failure(name, addr)
        self.store.audit(
            "refused",
            reason,
            f"{source}: {what} for {name!r}",
            None,
            source,
            addr,
            name,
            {"name": name, "where": source},
        )
        key = {
            "code_wrong": "second_step.wrong",
            "code_replayed": "second_step.replayed",
            "recovery_code_used": "second_step.recovery_used",
        }[reason]
        raise AccountError(key)

    def turn_off(self, name: str, password: str, text: str, addr: str | None) -> None:
        """Turn name's own second step off: the password and a current code first."""
        self.accounts.check_password(name, password, addr, "second step off")
        self.check(name, text, addr, "console")
        self.rows.remove(
            name, "second_step_off", f"operator {name}: second step at login turned off",
            name, "console",
        )  # fmt: skip

    def new_recovery_codes(self, name: str, text: str, addr: str | None) -> list[str]:
        """A new set of recovery codes for name once a current code is right (the old void)."""
        self.check(name, text, addr, "console")
        codes = new_recovery_codes()
        self.rows.replace_recovery_codes(
            name, [hash_recovery_code(c) for c in codes], name, "console", addr
        )
        return codes

    def reset(self, name: str, by: str | None, source: str) -> bool:
        """An admin's reset of name's second step (a lost phone); False when it was not on."""
        if self.accounts.operators.get(name) is None:
            raise AccountError("account.unknown_operator", name=name)
        who = by or "the server's command line"
        return self.rows.remove(
            name, "second_step_reset",
            f"operator {name}: second step at login reset by {who}", by, source,
        )  # fmt: skip

    # --- pending logins ---------------------------------------------------------------------

    def pending(self, token: str | None) -> PendingRow | None:
        """The live pending login a cookie's secret names, or None (an ended one is forgotten)."""
        if not token or len(token) > 100:
            return None
        found = self.rows.pending(session_hash(token))
        if found is not None and parse_utc(found.expires_at) <= self.store.clock.now():
            self.rows.take_pending(session_hash(token))
            return None
        return found

    def finish(
        self, token: str, name: str, addr: str | None, how: str, agent: str | None = None
    ) -> tuple[str, SessionRow]:
        """End the pending login (once) and start its session (from agent, the browser);
        AccountError 'second_step.expired' when it ended meanwhile (used by another request,
        or expired)."""
        if self.pending(token) is None or not self.rows.take_pending(session_hash(token)):
            raise AccountError("second_step.expired")
        return self.accounts.start_session(name, addr, how, agent)
