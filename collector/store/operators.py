"""The operator accounts, their sessions and the login throttle, in the collector's database.

They live in the database, not in a serving process's memory, so a session made by one of
several servers behind a load balancer is known to all, and a lockout holds whichever server
the next guess reaches. The rules (roles, expiry, how long a lockout lasts) are the console's
(collector/auth/); this module only stores and reads, each change in one transaction with its
audit row where it is an operator's action.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

import sqlalchemy as sa

from collector.store.collector_store import CollectorStore
from collector.store.records import ROLES, StoreError
from wire.clock import format_utc


@dataclass(frozen=True, slots=True)
class Operator:
    """An operator account as stored (never with its password hash)."""

    name: str
    role: str
    created_at: str
    created_by: str | None
    password_changed_at: str
    disabled_at: str | None

    def can(self, role: str) -> bool:
        """True when this operator's role includes role (admin > officer > viewer)."""
        return self.disabled_at is None and ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A live session: whose it is, its CSRF secret and its times."""

    operator: Operator
    csrf: str
    created_at: str
    last_seen: str
    expires_at: str
    confirmed_at: str  # the login, or the last "confirm it's you" (sudo mode)


@dataclass(frozen=True, slots=True)
class OpenSession:
    """One of an operator's live sessions as their session list shows it."""

    token_hash: str
    created_at: str
    last_seen: str
    expires_at: str
    addr: str | None  # None: started before the collector recorded it
    agent: str | None


@dataclass(frozen=True, slots=True)
class Throttle:
    """Failed logins counted against a name or an address, and until when it is locked."""

    failures: int
    locked_until: str | None


_OPERATOR: Final = (
    "o.name, o.role, o.created_at, o.created_by, o.password_changed_at, o.disabled_at"
)


class Operators:
    """Operator accounts, sessions and login throttling beside a CollectorStore."""

    def __init__(self, store: CollectorStore) -> None:
        """Keep the store whose database holds the accounts."""
        self.store = store

    # --- accounts ---------------------------------------------------------------------------

    def add(
        self, name: str, role: str, password_hash: str, by: str | None, source: str
    ) -> Operator:
        """Create an account; StoreError 'operator_exists' when the name is taken."""
        now = self.store.now()
        with self.store.transaction() as conn:
            taken = conn.execute(
                sa.text("SELECT 1 FROM operators WHERE name = :name"), {"name": name}
            ).first()
            if taken:
                raise StoreError("operator_exists", f"an operator named {name!r} already exists")
            conn.execute(
                sa.text(
                    "INSERT INTO operators (name, role, password_hash, created_at, created_by,"
                    " password_changed_at) VALUES (:name, :role, :hash, :now, :by, :now)"
                ),
                {"name": name, "role": role, "hash": password_hash, "now": now, "by": by},
            )
            self.store._audit(  # the store's own audit writer, in this transaction
                conn, "operator", "added", f"operator {name} added as {role}",
                None, source, None, by, {"name": name, "role": role},
            )  # fmt: skip
        found = self.get(name)
        assert found is not None
        return found

    def get(self, name: str) -> Operator | None:
        """The account called name, or None."""
        with self.store.reading() as conn:
            row = conn.execute(
                sa.text(f"SELECT {_OPERATOR} FROM operators o WHERE o.name = :name"),
                {"name": name},
            ).first()
        return Operator(*row) if row else None

    def password_hash(self, name: str) -> str | None:
        """The stored password hash of an enabled account (None when unknown or disabled)."""
        with self.store.reading() as conn:
            value = conn.execute(
                sa.text(
                    "SELECT password_hash FROM operators WHERE name = :name AND disabled_at IS NULL"
                ),
                {"name": name},
            ).scalar()
        return str(value) if value is not None else None

    def all(self) -> list[Operator]:
        """Every account, by name."""
        with self.store.reading() as conn:
            found = conn.execute(sa.text(f"SELECT {_OPERATOR} FROM operators o ORDER BY o.name"))
            return [Operator(*row) for row in found]

    def count_admins(self) -> int:
        """How many enabled admin accounts there are."""
        with self.store.reading() as conn:
            return int(
                conn.execute(
                    sa.text(
                        "SELECT COUNT(*) FROM operators WHERE role = 'admin'"
                        " AND disabled_at IS NULL"
                    )
                ).scalar_one()
            )

    def change(
        self,
        name: str,
        by: str | None,
        source: str,
        *,
        role: str | None = None,
        password_hash: str | None = None,
        disabled: bool | None = None,
    ) -> None:
        """Change an account's role, password or whether it is disabled, with an audit row.

        A new password or a disabled account ends the account's sessions (and pending logins). The last enabled
        admin cannot lose the role or be disabled: StoreError 'last_admin'.
        """
        now = self.store.now()
        with self.store.transaction() as conn:
            row: Any = conn.execute(
                sa.text(
                    "SELECT role, disabled_at FROM operators WHERE name = :name"
                    + self.store._for_update()
                ),
                {"name": name},
            ).first()
            if row is None:
                raise StoreError("unknown_operator", f"there is no operator named {name!r}")
            demoted = (role is not None and role != "admin") or disabled is True
            if row[0] == "admin" and row[1] is None and demoted:
                others = conn.execute(
                    sa.text(
                        "SELECT COUNT(*) FROM operators WHERE role = 'admin'"
                        " AND disabled_at IS NULL AND name <> :name"
                    ),
                    {"name": name},
                ).scalar_one()
                if not others:
                    raise StoreError(
                        "last_admin", "the last admin cannot lose the role or be disabled"
                    )
            said: list[str] = []
            facts: dict[str, str | bool | None] = {"name": name}
            if role is not None and role != row[0]:
                facts |= {"role_before": row[0], "role": role}
                conn.execute(
                    sa.text("UPDATE operators SET role = :role WHERE name = :name"),
                    {"role": role, "name": name},
                )
                said.append(f"role {row[0]} -> {role}")
            if password_hash is not None:
                conn.execute(
                    sa.text(
                        "UPDATE operators SET password_hash = :hash, password_changed_at = :now"
                        " WHERE name = :name"
                    ),
                    {"hash": password_hash, "now": now, "name": name},
                )
                said.append("password changed")
                facts["password"] = True
            if disabled is not None and disabled != (row[1] is not None):
                conn.execute(
                    sa.text("UPDATE operators SET disabled_at = :at WHERE name = :name"),
                    {"at": now if disabled else None, "name": name},
                )
                said.append("disabled" if disabled else "enabled again")
                facts["disabled"] = disabled
            if password_hash is not None or disabled:
                for table in ("sessions", "pending_logins"):
                    conn.execute(
                        sa.text(f"DELETE FROM {table} WHERE operator = :name"), {"name": name}
                    )
            if said:
                self.store._audit(
                    conn, "operator", "changed", f"operator {name}: {', '.join(said)}",
                    None, source, None, by, facts,
                )  # fmt: skip

    # --- sessions ---------------------------------------------------------------------------

    def start_session(
        self,
        name: str,
        token_hash: str,
        csrf: str,
        expires_at: str,
        addr: str | None = None,
        agent: str | None = None,
    ) -> None:
        """Store a new session of name (the cookie's secret is stored only as its hash), with
        the address and browser it was started from."""
        now = self.store.now()
        with self.store.transaction() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO sessions (token_hash, operator, csrf, created_at, last_seen,"
                    " expires_at, addr, agent, confirmed_at)"
                    " VALUES (:hash, :name, :csrf, :now, :now, :expires, :addr, :agent, :now)"
                ),
                {
                    "hash": token_hash, "name": name, "csrf": csrf, "now": now,
                    "expires": expires_at, "addr": addr, "agent": agent,
                },
            )  # fmt: skip
            # Sessions that have ended are removed as new ones start.
            conn.execute(sa.text("DELETE FROM sessions WHERE expires_at < :now"), {"now": now})

    def session(self, token_hash: str) -> SessionRow | None:
        """The session with this hash and its enabled operator, or None."""
        with self.store.reading() as conn:
            row = conn.execute(
                sa.text(
                    f"SELECT {_OPERATOR}, s.csrf, s.created_at, s.last_seen, s.expires_at,"
                    " COALESCE(s.confirmed_at, s.created_at)"  # NULL: started before 0010
                    " FROM sessions s JOIN operators o ON o.name = s.operator"
                    " WHERE s.token_hash = :hash AND o.disabled_at IS NULL"
                ),
                {"hash": token_hash},
            ).first()
        if row is None:
            return None
        return SessionRow(Operator(*row[:6]), *row[6:])

    def touch_session(self, token_hash: str, last_seen: str) -> None:
        """Note that a session was used now (it stays alive while used)."""
        with self.store.transaction() as conn:
            conn.execute(
                sa.text("UPDATE sessions SET last_seen = :now WHERE token_hash = :hash"),
                {"now": last_seen, "hash": token_hash},
            )

    def confirm_session(
        self, token_hash: str, name: str, addr: str | None, said: str, how: str = "password"
    ) -> bool:
        """Note that name proved who they are now for this session (sudo mode; said: how, for
        the audit's English detail; how: password, code or recovery, for its facts), in one
        transaction with its audit row; False when the session has ended."""
        now = self.store.now()
        with self.store.transaction() as conn:
            done = conn.execute(
                sa.text(
                    "UPDATE sessions SET confirmed_at = :now"
                    " WHERE token_hash = :hash AND operator = :name"
                ),
                {"now": now, "hash": token_hash, "name": name},
            )
            if not done.rowcount:
                return False
            self.store._audit(
                conn, "login", "confirmed", f"{name} confirmed it is them{said}",
                None, "console", addr, name, {"how": how},
            )  # fmt: skip
        return True

    def open_sessions(self, name: str) -> list[OpenSession]:
        """name's sessions that have not ended, the most recently used first."""
        with self.store.reading() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT token_hash, created_at, last_seen, expires_at, addr, agent"
                    " FROM sessions WHERE operator = :name AND expires_at >= :now"
                    " ORDER BY last_seen DESC, created_at DESC"
                ),
                {"name": name, "now": self.store.now()},
            ).all()
        return [OpenSession(*row) for row in rows]

    def end_sessions_but(self, name: str, keep_hash: str) -> int:
        """End every session of name except the one keep_hash names; how many were ended."""
        with self.store.transaction() as conn:
            ended = conn.execute(
                sa.text("DELETE FROM sessions WHERE operator = :name AND token_hash <> :keep"),
                {"name": name, "keep": keep_hash},
            )
        return int(ended.rowcount or 0)

    def end_sessions(
        self, name: str, used_since: str, by: str | None, source: str, addr: str | None
    ) -> int:
        """End every session and pending login of name, in one transaction with its audit row
        (by: the admin, None for the server's command line); how many live sessions ended (used
        since used_since and not past their end). StoreError 'unknown_operator' for no account."""
        now = self.store.now()
        with self.store.transaction() as conn:
            known = conn.execute(
                sa.text("SELECT 1 FROM operators WHERE name = :name"), {"name": name}
            ).first()
            if known is None:
                raise StoreError("unknown_operator", f"there is no operator named {name!r}")
            live = conn.execute(
                sa.text(
                    "SELECT COUNT(*) FROM sessions WHERE operator = :name"
                    " AND expires_at > :now AND last_seen > :since"
                ),
                {"name": name, "now": now, "since": used_since},
            ).scalar_one()
            for table in ("sessions", "pending_logins"):
                conn.execute(sa.text(f"DELETE FROM {table} WHERE operator = :name"), {"name": name})
            who = by or "the server's command line"
            said = f"{live} session{'' if live == 1 else 's'}"
            self.store._audit(
                conn, "login", "logout_by_admin",
                f"operator {name} logged out everywhere by {who}: {said} ended",
                None, source, addr, by, {"name": name, "ended": int(live)},
            )  # fmt: skip
        return int(live)

    def end_session(self, token_hash: str) -> None:
        """Forget a session (logout, or found expired)."""
        with self.store.transaction() as conn:
            conn.execute(
                sa.text("DELETE FROM sessions WHERE token_hash = :hash"), {"hash": token_hash}
            )

    # --- the login throttle -----------------------------------------------------------------

    def throttle(self, key: str) -> Throttle:
        """The failures counted against key ('name:…' or 'addr:…') and its lock."""
        with self.store.reading() as conn:
            row = conn.execute(
                sa.text("SELECT failures, locked_until FROM login_throttle WHERE key = :key"),
                {"key": key},
            ).first()
        return Throttle(int(row[0]), row[1]) if row else Throttle(0, None)

    def record_failure(self, key: str, lock_for: Callable[[int], timedelta]) -> Throttle:
        """Count one more failure against key, atomically, and lock it for lock_for(failures).

        The count is raised in the database (not read, then written), so guesses sent to two
        servers at once are all counted.
        """
        now = self.store.clock.now()
        with self.store.transaction() as conn:
            failures = int(
                conn.execute(
                    sa.text(
                        "INSERT INTO login_throttle (key, failures, last_failure)"
                        " VALUES (:key, 1, :now) ON CONFLICT (key) DO UPDATE SET"
                        " failures = login_throttle.failures + 1, last_failure = :now"
                        " RETURNING failures"
                    ),
                    {"key": key, "now": format_utc(now)},
                ).scalar_one()
            )
            wait = lock_for(failures)
            until = format_utc(now + wait) if wait else None
            conn.execute(
                sa.text("UPDATE login_throttle SET locked_until = :until WHERE key = :key"),
                {"key": key, "until": until},
            )
        return Throttle(failures, until)

    def clear_failures(self, key: str) -> None:
        """Forget key's failures (after a good login)."""
        with self.store.transaction() as conn:
            conn.execute(sa.text("DELETE FROM login_throttle WHERE key = :key"), {"key": key})
