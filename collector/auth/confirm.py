"""Sudo mode's "confirm it's you": the password again (and the code, with the second step on).

A session left open on a desk must not be enough for a sensitive action long after its
operator logged in (collector/auth/web.py ``recently_confirmed``). Confirming is a login
without a new session: the same checks, under the same throttle, with the same audit rows for
a failure; a success marks the session confirmed now and is audited as ``login``/``confirmed``.
"""

from __future__ import annotations

from collector.auth.accounts import AccountError, Accounts, name_key, session_hash
from collector.auth.second_step import SecondStep


def second_step_on(accounts: Accounts, name: str) -> bool:
    """True when name's confirmation asks for a code too (their second step is on)."""
    return SecondStep(accounts).is_on(name)


def confirm(
    accounts: Accounts, token: str, name: str, password: str, code: str, addr: str | None
) -> None:
    """Confirm it is name at the session token names: their password, then (second step on)
    a code from the app or a recovery code, as at login.

    AccountError as Accounts.check_password says ('login.locked', 'login.wrong', counted and
    audited like a failed login; 'login.busy'), as SecondStep.check says for the code
    (counted: 'second_step.wrong' and the like; not counted: 'second_step.empty' ...), or
    'confirm.ended' when the session ended meanwhile. A right password alone does not clear
    the name's failures while a code is still to come.
    """
    steps = SecondStep(accounts)
    on = steps.is_on(name)
    accounts.check_password(name, password, addr, "confirm", clear=not on)
    said, how = " (password again)", "password"
    if on:
        kind = steps.check(name, code, addr, "confirm")
        accounts.operators.clear_failures(name_key(name))
        said = " (password and a recovery code)" if kind == "recovery" else " (password and code)"
        how = "recovery" if kind == "recovery" else "code"
    if not accounts.operators.confirm_session(session_hash(token), name, addr, said, how):
        raise AccountError("confirm.ended")
