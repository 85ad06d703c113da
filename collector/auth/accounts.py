"""Operator accounts and sessions: who may log in, for how long, and the growing lockout.

The rules of the console's accounts, over what operators.py stores:

* Roles: viewer (reads everything, the fleet and the audit too), officer (also enrolls,
  revokes, imports, publishes, announces), admin (also manages accounts and settings).
* A session is a random 256-bit secret in an HttpOnly cookie; the database keeps only its
  SHA-256, with a CSRF secret of its own. It ends after SESSION_IDLE without a request, after
  SESSION_MAX in any case, at logout, and when its operator's password changes or the account
  is disabled.
* Failed logins count against the name tried and the client's address, atomically in the
  database (so several servers share the count). After LOCK_AFTER_NAME failures for a name
  (LOCK_AFTER_ADDR from an address) each further failure locks it for twice as long as the
  last, from 30 seconds up to an hour; a locked name or address is refused before the password
  is looked at. Unknown names are counted and locked the same way, so a refusal never tells
  whether an account exists. A good login clears its name's count, and so does a new password
  set for it (how an admin lets a locked-out operator in at once).
* Every login, failed login, logout and account change is in the audit, with who.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Final

from collector.auth.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from collector.store import CollectorStore, StoreError
from collector.store.operators import Operator, Operators, SessionRow
from collector.store.records import ROLES
from wire.clock import format_utc, parse_utc

SESSION_IDLE: Final = timedelta(hours=2)
SESSION_MAX: Final = timedelta(hours=12)
TOUCH_EVERY: Final = timedelta(minutes=1)  # last_seen is written at most this often
LOCK_AFTER_NAME: Final = 5
LOCK_AFTER_ADDR: Final = 20
FIRST_LOCK: Final = timedelta(seconds=30)
LONGEST_LOCK: Final = timedelta(hours=1)
NAME_RULE: Final = re.compile(r"[a-z0-9][a-z0-9._-]{1,31}")
CHECKS_AT_ONCE: Final = 2  # passwords hashed at once in one process (64 MiB each)
HASHING_WAIT_S: Final = 10.0  # a login waits this long for its turn, then is told to retry
_HASHING: Final = threading.BoundedSemaphore(CHECKS_AT_ONCE)


class AccountError(Exception):
    """A refusal the console says in the reader's language: ``key`` names its translation."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def session_hash(token: str) -> str:
    """The stored form of a session cookie's secret."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def clean_name(name: str) -> str:
    """A login name as typed, made comparable: printable characters only, trimmed, lower case.

    A NUL or control character cannot reach the database (PostgreSQL refuses NUL in text) or
    the audit; the attempt is still checked and counted like any wrong name.
    """
    return "".join(ch for ch in name if ch.isprintable()).strip().lower()[:64]


def name_key(name: str) -> str:
    """The login throttle's key for failures against the name tried."""
    return f"name:{name}"


def lock_for(failures: int, after: int) -> timedelta:
    """How long a name or address is locked after its failures-th failure in a row."""
    if failures < after:
        return timedelta(0)
    longer: timedelta = FIRST_LOCK * 2 ** min(failures - after, 16)
    return min(longer, LONGEST_LOCK)


class Accounts:
    """Logging in and out, sessions, and creating and changing accounts."""

    def __init__(self, store: CollectorStore) -> None:
        """Accounts kept in store's database."""
        self.store = store
        self.operators = Operators(store)
        self._guard = threading.Lock()
        # One lock per name tried: its attempts are checked one after another. A name is
        # at most 64 characters; the map is emptied when it grows large (a lock in use stays
        # referenced by its holder, so emptying it only lets a new one be made).
        self._per_name: dict[str, threading.Lock] = {}

    # --- accounts ---------------------------------------------------------------------------

    def create(self, name: str, role: str, password: str, by: str | None, source: str) -> Operator:
        """Create an account after checking its name, role and password (AccountError)."""
        if not NAME_RULE.fullmatch(name):
            raise AccountError("account.bad_name")
        if role not in ROLES:
            raise AccountError("account.bad_role")
        check_new_password(password, name)
        try:
            return self.operators.add(name, role, hash_password(password), by, source)
        except StoreError as exc:
            raise AccountError("account.exists", name=name) from exc

    def set_password(self, name: str, password: str, by: str | None, source: str) -> None:
        """Give name a new password (checked); its sessions and its name's lockout end."""
        check_new_password(password, name)
        self._change(name, by, source, password_hash=hash_password(password))
        self.operators.clear_failures(name_key(name))

    def set_role(self, name: str, role: str, by: str | None, source: str) -> None:
        """Give name another role."""
        if role not in ROLES:
            raise AccountError("account.bad_role")
        self._change(name, by, source, role=role)

    def set_disabled(self, name: str, disabled: bool, by: str | None, source: str) -> None:
        """Disable an account (its sessions end) or enable it again."""
        self._change(name, by, source, disabled=disabled)

    def locked_until(self, name: str) -> str | None:
        """Until when logging in as name is locked (protocol UTC), or None when it is not now."""
        until = self.operators.throttle(name_key(name)).locked_until
        return until if until and parse_utc(until) > self.store.clock.now() else None

    def _change(self, name: str, by: str | None, source: str, **what: object) -> None:
        try:
            self.operators.change(name, by, source, **what)  # type: ignore[arg-type]
        except StoreError as exc:
            raise AccountError(f"account.{exc.code}", name=name) from exc

    # --- logging in -------------------------------------------------------------------------

    def login(self, name: str, password: str, addr: str | None) -> tuple[str, SessionRow]:
        """Check name and password; a new session's cookie secret and row, or AccountError.

        AccountError 'login.locked' (with until, Thai time shown by the caller) when the name
        or address is locked, 'login.wrong' for any wrong name or password, 'login.busy' when
        too many passwords are being checked at once.
        """
        name = clean_name(name)
        self.check_password(name, password, addr, "login")
        stored = self.operators.password_hash(name)
        assert stored is not None
        if needs_rehash(stored):
            self.operators.change(name, name, "login", password_hash=hash_password(password))
        now = self.store.clock.now()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        self.operators.start_session(name, session_hash(token), csrf, format_utc(now + SESSION_MAX))
        self.store.audit("login", "ok", f"{name} logged in", None, "console", addr, name)
        found = self.operators.session(session_hash(token))
        assert found is not None
        return token, found

    def check_password(self, name: str, password: str, addr: str | None, source: str) -> None:
        """Check name's password under the lockout rules (a login, or a password change).

        Raises AccountError as ``login`` says. Attempts for one name are checked one at a time
        in this process (a burst of parallel guesses cannot all pass the lock check before the
        first failure is counted), and at most CHECKS_AT_ONCE passwords are hashed at once
        (each check takes 64 MiB); across several servers, each can let one guess through at
        the moment the lock falls.
        """
        keys = [name_key(name), f"addr:{addr or '-'}"]
        with self._attempts(name):
            now = self.store.clock.now()
            for key in keys:
                until = self.operators.throttle(key).locked_until
                if until and parse_utc(until) > now:
                    self.store.audit(
                        "refused", "login_locked", f"{source} as {name!r} refused: locked until {until}",
                        None, "login", addr,
                    )  # fmt: skip
                    raise AccountError("login.locked", until=until)
            if not _HASHING.acquire(timeout=HASHING_WAIT_S):
                raise AccountError("login.busy")
            try:
                stored = self.operators.password_hash(name) if name else None
                good = verify_password(stored, password)
            finally:
                _HASHING.release()
            if not good:
                self.operators.record_failure(keys[0], lambda n: lock_for(n, LOCK_AFTER_NAME))
                self.operators.record_failure(keys[1], lambda n: lock_for(n, LOCK_AFTER_ADDR))
                self.store.audit(
                    "refused", "login_failed", f"{source}: wrong name or password for {name!r}",
                    None, "login", addr,
                )  # fmt: skip
                raise AccountError("login.wrong")
            self.operators.clear_failures(keys[0])

    @contextmanager
    def _attempts(self, name: str) -> Iterator[None]:
        with self._guard:
            if len(self._per_name) > 10_000:
                self._per_name.clear()
            lock = self._per_name.setdefault(name, threading.Lock())
        with lock:
            yield

    def session(self, token: str | None) -> SessionRow | None:
        """The live session a cookie's secret names, or None (an ended one is forgotten)."""
        if not token or len(token) > 100:
            return None
        hashed = session_hash(token)
        found = self.operators.session(hashed)
        if found is None:
            return None
        now = self.store.clock.now()
        last = parse_utc(found.last_seen)
        if parse_utc(found.expires_at) <= now or last + SESSION_IDLE <= now:
            self.operators.end_session(hashed)
            return None
        if now - last >= TOUCH_EVERY:
            self.operators.touch_session(hashed, format_utc(now))
        return found

    def logout(self, token: str, name: str, addr: str | None) -> None:
        """End the session and say so in the audit."""
        self.operators.end_session(session_hash(token))
        self.store.audit("login", "logout", f"{name} logged out", None, "console", addr, name)
