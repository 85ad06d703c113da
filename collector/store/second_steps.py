"""Each operator's second step at login, in the collector's database: secret, codes, pending logins.

In the database, not a process's memory, for the same reason as sessions (operators.py): the
step a code was accepted for, a recovery code used, a pending login taken are known at once to
every server behind a load balancer, so a code cannot be used twice by sending it to two. Each
change that matters is one transaction with its audit row. The rules (how a code is checked,
how long a pending login lasts) are collector/auth/second_step.py's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from collector.store.collector_store import CollectorStore


@dataclass(frozen=True, slots=True)
class SecondStepRow:
    """An operator's TOTP secret: when it was turned on (None: only proposed) and its last step."""

    secret: str
    created_at: str
    enabled_at: str | None
    last_step: int | None


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A login whose password was right and whose code is still to come."""

    operator: str
    csrf: str
    purpose: str  # 'code': type the app's code; 'setup': set the second step up first
    next: str
    expires_at: str


class SecondSteps:
    """The second step's rows beside a CollectorStore."""

    def __init__(self, store: CollectorStore) -> None:
        """Keep the store whose database holds them."""
        self.store = store

    # --- the secret -------------------------------------------------------------------------

    def get(self, name: str) -> SecondStepRow | None:
        """name's secret (turned on or only proposed), or None."""
        with self.store.reading() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT secret, created_at, enabled_at, last_step FROM second_steps"
                    " WHERE operator = :name"
                ),
                {"name": name},
            ).first()
        return SecondStepRow(row[0], row[1], row[2], row[3]) if row else None

    def enabled_names(self) -> set[str]:
        """Every operator whose second step is on."""
        with self.store.reading() as conn:
            found = conn.execute(
                sa.text("SELECT operator FROM second_steps WHERE enabled_at IS NOT NULL")
            )
            return {str(name) for (name,) in found}

    def propose(self, name: str, secret: str) -> str:
        """Keep secret as name's proposed one unless one is kept already; the one kept.

        A proposal already kept stays (the page shown again shows the QR code the phone may
        have read already); a second step already on is never replaced here.
        """
        with self.store.transaction() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO second_steps (operator, secret, created_at)"
                    " VALUES (:name, :secret, :now) ON CONFLICT (operator) DO NOTHING"
                ),
                {"name": name, "secret": secret, "now": self.store.now()},
            )
            kept = conn.execute(
                sa.text("SELECT secret FROM second_steps WHERE operator = :name"), {"name": name}
            ).scalar_one()
        return str(kept)

    def enable(
        self, name: str, step: int, code_hashes: list[str], by: str, source: str, addr: str | None
    ) -> bool:
        """Turn name's proposed secret on, its first code's step used and recovery codes kept.

        False when it was on already or not proposed (nothing changed).
        """
        now = self.store.now()
        with self.store.transaction() as conn:
            done = conn.execute(
                sa.text(
                    "UPDATE second_steps SET enabled_at = :now, last_step = :step"
                    " WHERE operator = :name AND enabled_at IS NULL"
                ),
                {"now": now, "step": step, "name": name},
            ).rowcount
            if not done:
                return False
            self._replace_codes(conn, name, code_hashes, now)
            self.store._audit(
                conn, "operator", "second_step_on",
                f"operator {name}: second step at login turned on, {len(code_hashes)} recovery codes",
                None, source, addr, by, {"name": name, "codes": len(code_hashes)},
            )  # fmt: skip
        return True

    def use_step(self, name: str, step: int) -> bool:
        """Take the time step of a code just checked: False when it (or a later one) was used."""
        with self.store.transaction() as conn:
            return bool(
                conn.execute(
                    sa.text(
                        "UPDATE second_steps SET last_step = :step WHERE operator = :name"
                        " AND enabled_at IS NOT NULL AND (last_step IS NULL OR last_step < :step)"
                    ),
                    {"step": step, "name": name},
                ).rowcount
            )

    def remove(self, name: str, reason: str, detail: str, by: str | None, source: str) -> bool:
        """Forget name's secret, recovery codes and pending logins, with an audit row when it
        was on (reason 'second_step_off' or 'second_step_reset'); False when it was not on."""
        with self.store.transaction() as conn:
            was_on = conn.execute(
                sa.text(
                    "SELECT 1 FROM second_steps WHERE operator = :name AND enabled_at IS NOT NULL"
                ),
                {"name": name},
            ).first()
            for table in ("second_steps", "recovery_codes", "pending_logins"):
                conn.execute(sa.text(f"DELETE FROM {table} WHERE operator = :name"), {"name": name})
            if was_on:
                self.store._audit(
                    conn, "operator", reason, detail, None, source, None, by, {"name": name}
                )
        return was_on is not None

    # --- recovery codes ---------------------------------------------------------------------

    def recovery_codes(self, name: str) -> list[tuple[str, str | None]]:
        """name's recovery codes as stored: (hash, when used or None)."""
        with self.store.reading() as conn:
            found = conn.execute(
                sa.text("SELECT code_hash, used_at FROM recovery_codes WHERE operator = :name"),
                {"name": name},
            )
            return [(str(h), used) for h, used in found]

    def use_recovery_code(self, name: str, code_hash: str) -> bool:
        """Mark one recovery code used; False when it was used already (by another request)."""
        with self.store.transaction() as conn:
            return bool(
                conn.execute(
                    sa.text(
                        "UPDATE recovery_codes SET used_at = :now WHERE operator = :name"
                        " AND code_hash = :hash AND used_at IS NULL"
                    ),
                    {"now": self.store.now(), "name": name, "hash": code_hash},
                ).rowcount
            )

    def replace_recovery_codes(
        self, name: str, code_hashes: list[str], by: str, source: str, addr: str | None
    ) -> None:
        """Give name a new set of recovery codes (the old ones stop working), audited."""
        now = self.store.now()
        with self.store.transaction() as conn:
            self._replace_codes(conn, name, code_hashes, now)
            self.store._audit(
                conn, "operator", "recovery_codes",
                f"operator {name}: {len(code_hashes)} new recovery codes, the old ones void",
                None, source, addr, by, {"name": name, "codes": len(code_hashes)},
            )  # fmt: skip

    @staticmethod
    def _replace_codes(conn: Any, name: str, code_hashes: list[str], now: str) -> None:
        conn.execute(sa.text("DELETE FROM recovery_codes WHERE operator = :name"), {"name": name})
        for code_hash in code_hashes:
            conn.execute(
                sa.text(
                    "INSERT INTO recovery_codes (operator, code_hash, created_at)"
                    " VALUES (:name, :hash, :now)"
                ),
                {"name": name, "hash": code_hash, "now": now},
            )

    # --- pending logins ---------------------------------------------------------------------

    def start_pending(
        self, token_hash: str, name: str, csrf: str, purpose: str, target: str, expires_at: str
    ) -> None:
        """Keep a pending login (its cookie's secret only as a hash); old ended ones go."""
        now = self.store.now()
        with self.store.transaction() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO pending_logins (token_hash, operator, csrf, purpose, next,"
                    " created_at, expires_at)"
                    " VALUES (:hash, :name, :csrf, :purpose, :next, :now, :expires)"
                ),
                {
                    "hash": token_hash, "name": name, "csrf": csrf, "purpose": purpose,
                    "next": target, "now": now, "expires": expires_at,
                },
            )  # fmt: skip
            conn.execute(
                sa.text("DELETE FROM pending_logins WHERE expires_at < :now"), {"now": now}
            )

    def pending(self, token_hash: str) -> PendingRow | None:
        """The pending login with this hash whose operator is enabled, or None."""
        with self.store.reading() as conn:
            row = conn.execute(
                sa.text(
                    "SELECT p.operator, p.csrf, p.purpose, p.next, p.expires_at"
                    " FROM pending_logins p JOIN operators o ON o.name = p.operator"
                    " WHERE p.token_hash = :hash AND o.disabled_at IS NULL"
                ),
                {"hash": token_hash},
            ).first()
        return PendingRow(*row) if row else None

    def take_pending(self, token_hash: str) -> bool:
        """End a pending login; True for the one request that ended it (it is single-use)."""
        with self.store.transaction() as conn:
            return bool(
                conn.execute(
                    sa.text("DELETE FROM pending_logins WHERE token_hash = :hash"),
                    {"hash": token_hash},
                ).rowcount
            )
