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
* With the second step on (second_step.py), or required of the account's role and not yet
  set up, a right password starts a pending login, not a session; the name's failures are
  cleared only when the session starts.
* Sudo mode: a sensitive action (accounts, settings, revoking a kiosk, announcing the awards;
  the list is in collector/auth/web.py) is done only within CONFIRM_WINDOW of the session's
  last proof of who its operator is (the login, or collector/auth/confirm.py).
* Every login, failed login, logout and account change is in the audit, with who.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from collector.auth.passwords import (
    check_new_password,
    hash_password,
    needs_rehash,
    verify_password,
)
from collector.store import CollectorStore, StoreError
from collector.store.operators import OpenSession, Operator, Operators, SessionRow
from collector.store.records import ROLES
from collector.store.second_steps import PendingRow, SecondSteps
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
# Where a password is typed again by an operator already logged in (routes/login.py, confirm.py,
# second_step.py): their failed attempts name them in the audit.
LOGGED_IN_SOURCES: Final = frozenset({"password", "confirm", "second step off"})
HASHING_WAIT_S: Final = 10.0  # a login waits this long for its turn, then is told to retry
PENDING_FOR: Final = timedelta(minutes=5)  # a password right, the code still to come
AGENT_KEPT: Final = 300  # characters of a browser's User-Agent kept for the session list
SETUP_FOR: Final = timedelta(minutes=15)  # a password right, the second step to set up first
SECOND_STEP_REQUIRED: Final = "second_step_required"  # the setting: "yes" requires it of
REQUIRED_OF: Final = ("officer", "admin")  # these roles (a viewer changes nothing)
# Sudo mode: a sensitive action (collector/auth/web.py ``recently_confirmed``) is done only this
# long after the operator last typed their password for the session (the login, or the
# "confirm it's you" page), as GitHub's sudo mode and OWASP ASVS V3 (re-authentication) ask.
CONFIRM_WINDOW: Final = timedelta(minutes=15)
_HASHING: Final = threading.BoundedSemaphore(CHECKS_AT_ONCE)


class AccountError(Exception):
    """A refusal the console says in the reader's language: ``key`` names its translation."""

    def __init__(self, key: str, **values: str) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, slots=True)
class ListedSession:
    """A live session as its operator's session list shows it."""

    row: OpenSession
    current: bool  # the session of the browser asking
    ends_at: str  # when it ends unless used: its longest life, or idle for SESSION_IDLE


def confirmed_until(session: SessionRow) -> datetime:
    """When session's sudo mode window closes: CONFIRM_WINDOW after its last proof (UTC)."""
    return parse_utc(session.confirmed_at) + CONFIRM_WINDOW


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
        self.steps = SecondSteps(store)
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

    def login(
        self,
        name: str,
        password: str,
        addr: str | None,
        target: str = "/console",
        agent: str | None = None,
    ) -> tuple[str, SessionRow | PendingRow]:
        """Check name and password: a cookie secret and the session it starts, or AccountError.

        When the second step is on for name, or required of its role and not set up yet, the
        cookie's secret is a pending login's instead (PendingRow: purpose 'code' or 'setup',
        ending in PENDING_FOR, or SETUP_FOR to set it up, going on to target). AccountError 'login.locked' (with until,
        Thai time shown by the caller) when the name or address is locked, 'login.wrong' for
        any wrong name or password, 'login.busy' when too many passwords are being checked.
        """
        name = clean_name(name)
        self.check_password(name, password, addr, "login", clear=False)
        stored = self.operators.password_hash(name)
        assert stored is not None
        if needs_rehash(stored):
            self.operators.change(name, name, "login", password_hash=hash_password(password))
        purpose = self.second_step_asked(name)
        if purpose is None:
            return self.start_session(name, addr, "password", agent)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        lasts = PENDING_FOR if purpose == "code" else SETUP_FOR
        until = format_utc(self.store.clock.now() + lasts)
        self.steps.start_pending(session_hash(token), name, csrf, purpose, target, until)
        found = self.steps.pending(session_hash(token))
        assert found is not None
        return token, found

    def second_step_required(self) -> bool:
        """True when the admin requires the second step of officers and admins."""
        return self.store.setting(SECOND_STEP_REQUIRED) == "yes"

    def second_step_asked(self, name: str) -> str | None:
        """What name's login asks after the password: 'code', 'setup' (required, not set up
        yet) or None (the session starts)."""
        row = self.steps.get(name)
        if row is not None and row.enabled_at is not None:
            return "code"
        account = self.operators.get(name)
        if account is not None and account.role in REQUIRED_OF and self.second_step_required():
            return "setup"
        return None

    def start_session(
        self, name: str, addr: str | None, how: str, agent: str | None = None
    ) -> tuple[str, SessionRow]:
        """Start a session of name (whose login is complete): its cookie secret and row.

        The name's failed logins are forgotten; how ('password', 'app', 'recovery', 'setup')
        is said in the audit; the address and the browser (agent) are kept for the session list.
        """
        self.operators.clear_failures(name_key(name))
        now = self.store.clock.now()
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        until = format_utc(now + SESSION_MAX)
        browser = agent[:AGENT_KEPT] if agent else None
        self.operators.start_session(name, session_hash(token), csrf, until, addr, browser)
        said = {
            "password": "",
            "app": " with a code from the app",
            "recovery": " with a recovery code",
            "setup": ", the second step set up",
        }[how]
        self.store.audit(
            "login", "ok", f"{name} logged in{said}", None, "console", addr, name, {"how": how}
        )
        found = self.operators.session(session_hash(token))
        assert found is not None
        return token, found

    def check_password(
        self, name: str, password: str, addr: str | None, source: str, clear: bool = True
    ) -> None:
        """Check name's password under the lockout rules (a login, or a password change).

        Raises AccountError as ``login`` says; a right password clears the name's failures
        unless clear is False (a login, which clears them when its session starts). Attempts
        for one name are checked one at a time in this process (a burst of parallel guesses
        cannot all pass the lock check before the first failure is counted), and at most
        CHECKS_AT_ONCE passwords are hashed at once (each check takes 64 MiB); across several
        servers, each can let one guess through at the moment the lock falls.
        """
        with self.attempts(name):
            self.refuse_if_locked(name, addr, source)
            if not _HASHING.acquire(timeout=HASHING_WAIT_S):
                raise AccountError("login.busy")
            try:
                stored = self.operators.password_hash(name) if name else None
                good = verify_password(stored, password)
            finally:
                _HASHING.release()
            if not good:
                self.count_failure(name, addr)
                # A logged-in operator retyping their password (to confirm, or to change it)
                # is named, so the audit's operator filter finds their failures too.
                known = name if source in LOGGED_IN_SOURCES else None
                self.store.audit(
                    "refused", "login_failed", f"{source}: wrong name or password for {name!r}",
                    None, "login", addr, known, {"name": name, "where": source},
                )  # fmt: skip
                raise AccountError("login.wrong")
            if clear:
                self.operators.clear_failures(name_key(name))

    def refuse_if_locked(self, name: str, addr: str | None, source: str) -> None:
        """AccountError 'login.locked' (audited) while name or addr is locked."""
        now = self.store.clock.now()
        for key in (name_key(name), f"addr:{addr or '-'}"):
            until = self.operators.throttle(key).locked_until
            if until and parse_utc(until) > now:
                self.store.audit(
                    "refused", "login_locked", f"{source} as {name!r} refused: locked until {until}",
                    None, "login", addr, None, {"name": name, "until": until, "where": source},
                )  # fmt: skip
                raise AccountError("login.locked", until=until)

    def count_failure(self, name: str, addr: str | None) -> None:
        """Count one failure against name and addr (a wrong password or code)."""
        self.operators.record_failure(name_key(name), lambda n: lock_for(n, LOCK_AFTER_NAME))
        self.operators.record_failure(f"addr:{addr or '-'}", lambda n: lock_for(n, LOCK_AFTER_ADDR))

    @contextmanager
    def attempts(self, name: str) -> Iterator[None]:
        """Hold name's lock: its attempts (passwords, codes) are checked one at a time here."""
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

    def recently_confirmed(self, session: SessionRow) -> bool:
        """True when session's operator proved who they are less than CONFIRM_WINDOW ago."""
        return self.store.clock.now() < confirmed_until(session)

    def open_sessions(self, name: str, token: str) -> list[ListedSession]:
        """name's live sessions: the one token names (the browser asking) first, then the most
        recently used."""
        now = self.store.clock.now()
        mine = session_hash(token)
        listed = []
        for row in self.operators.open_sessions(name):
            idle_end = parse_utc(row.last_seen) + SESSION_IDLE
            ends = min(parse_utc(row.expires_at), idle_end)
            if ends > now:  # one left idle has ended, though its row waits to be removed
                listed.append(ListedSession(row, row.token_hash == mine, format_utc(ends)))
        return sorted(listed, key=lambda each: not each.current)  # this browser's first

    def end_other_sessions(self, token: str, name: str, addr: str | None) -> int:
        """End every session of name but the one token names; say so in the audit (when any
        were open); how many were ended."""
        ended = self.operators.end_sessions_but(name, session_hash(token))
        if ended:
            said = f"{name} logged out of {ended} other session{'s' if ended > 1 else ''}"
            self.store.audit(
                "login", "logout_others", said, None, "console", addr, name, {"ended": ended}
            )
        return ended

    def end_sessions_of(self, name: str, by: str | None, source: str, addr: str | None) -> int:
        """End every session of name on every server (a lost laptop): an admin's action, or
        the server's command line's (by None), in the audit either way; the account stays
        enabled and its password stays. How many live sessions ended; AccountError
        'account.unknown_operator' when there is no such account."""
        used_since = format_utc(self.store.clock.now() - SESSION_IDLE)
        try:
            return self.operators.end_sessions(name, used_since, by, source, addr)
        except StoreError as exc:
            raise AccountError(f"account.{exc.code}", name=name) from exc

    def logout(self, token: str, name: str, addr: str | None) -> None:
        """End the session and say so in the audit."""
        self.operators.end_session(session_hash(token))
        self.store.audit("login", "logout", f"{name} logged out", None, "console", addr, name)
