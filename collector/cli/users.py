"""`sangsuk-collector users`: operator accounts for the console (the first admin is made here).

A password is never an argument (it would sit in the shell's history and in the process list):
it is read from the terminal, twice, without echo; or, when stdin is not a terminal (a script,
a provisioning tool), as the first line of stdin. After the first admin, accounts are managed
in the console (/console/users); these commands stay for recovery (a forgotten admin password,
an admin's lost phone: ``users reset-second-step NAME`` lets them log in with the password
alone, or set the second step up again where it is required; a lost laptop still logged in:
``users logout NAME`` ends every login of the account on every server; both audited).
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from typing import TYPE_CHECKING

from collector.cli.common import AddCommand, CliError, command_actions, open_store
from collector.cli.formatting import thai_time
from collector.cli.words import Count, Phrase, helped, lines, say
from collector.store.records import ROLES
from collector.store.target import DatabaseTarget

if TYPE_CHECKING:
    from collector.auth.accounts import AccountError
    from collector.auth.passwords import PasswordRejectedError

log = logging.getLogger(__name__)


def add_parser(add: AddCommand) -> None:
    """Add the users command and its actions."""
    users = add("users", "cli.help.users")
    action = command_actions(users)
    name = helped("cli.opt.users.name")  # the account an action is about
    add_user = action("add", "cli.action.users.add")
    add_user.add_argument("name", help=helped("cli.opt.users.new_name"))
    add_user.add_argument("--role", required=True, choices=ROLES, help=helped("cli.opt.users.role"))
    add_user.set_defaults(run=run_add)
    action("list", "cli.action.users.list").set_defaults(run=run_list)
    passwd = action("passwd", "cli.action.users.passwd")
    passwd.add_argument("name", help=name)
    passwd.set_defaults(run=run_passwd)
    role = action("role", "cli.action.users.role")
    role.add_argument("name", help=name)
    role.add_argument("role", choices=ROLES, help=helped("cli.opt.users.new_role"))
    role.set_defaults(run=run_role)
    reset = action("reset-second-step", "cli.action.users.reset_second_step")
    reset.add_argument("name", help=name)
    reset.set_defaults(run=run_reset_second_step)
    logout = action("logout", "cli.action.users.logout")
    logout.add_argument("name", help=name)
    logout.set_defaults(run=run_logout)
    for verb, key, run in (
        ("disable", "cli.action.users.disable", run_disable),
        ("enable", "cli.action.users.enable", run_enable),
    ):
        p = action(verb, key)
        p.add_argument("name", help=name)
        p.set_defaults(run=run)


def _said(exc: AccountError | PasswordRejectedError) -> CliError:
    from collector.auth.accounts import AccountError
    from collector.auth.passwords import MIN_LENGTH

    values = exc.values if isinstance(exc, AccountError) else {}
    return CliError(Phrase(exc.key, n=MIN_LENGTH, **values))


def read_password(name: str) -> str:
    """The new password: twice from the terminal, or the first line of stdin."""
    from collector.auth.passwords import MIN_LENGTH

    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        if not line.strip():
            raise CliError("cli.users.no_password")
        return line.rstrip("\r\n")
    first = getpass.getpass(
        " / ".join(lines("cli.users.new_password", name=name, n=MIN_LENGTH)) + ": "
    )
    again = getpass.getpass(" / ".join(lines("cli.users.again")) + ": ")
    if first != again:
        raise CliError("cli.users.passwords_differ")
    return first


def run_add(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Create an account."""
    from collector.auth.accounts import AccountError, Accounts
    from collector.auth.passwords import PasswordRejectedError

    with open_store(db, create=True) as store:
        try:
            made = Accounts(store).create(
                args.name, args.role, read_password(args.name), None, "cli"
            )
        except (AccountError, PasswordRejectedError) as exc:
            raise _said(exc) from None
    say("cli.users.added", name=made.name, role=Phrase(f"role.{made.role}"))
    return 0


def run_list(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """List the accounts."""
    from collector.auth.accounts import Accounts

    with open_store(db) as store:
        accounts = Accounts(store).operators.all()
        on = Accounts(store).steps.enabled_names()
    if not accounts:
        say("cli.users.none")
        return 0
    for o in accounts:
        state = (
            Phrase("cli.users.disabled_since", at=thai_time(o.disabled_at))
            if o.disabled_at
            else Phrase("cli.users.enabled")
        )
        say(
            "cli.users.row",
            name=o.name,
            role=Phrase(f"role.{o.role}"),
            state=state,
            changed=thai_time(o.password_changed_at),
            second=Phrase("cli.users.second_on" if o.name in on else "cli.users.second_off"),
        )
    return 0


def _change(args: argparse.Namespace, db: DatabaseTarget, done: str, **change: object) -> int:
    from collector.auth.accounts import AccountError, Accounts
    from collector.auth.passwords import PasswordRejectedError

    with open_store(db) as store:
        accounts = Accounts(store)
        try:
            if "password" in change:
                accounts.set_password(args.name, str(change["password"]), None, "cli")
            elif "role" in change:
                accounts.set_role(args.name, str(change["role"]), None, "cli")
            else:
                accounts.set_disabled(args.name, bool(change["disabled"]), None, "cli")
        except (AccountError, PasswordRejectedError) as exc:
            raise _said(exc) from None
    role = change.get("role")
    say(done, name=args.name, **({"role": Phrase(f"role.{role}")} if role else {}))
    return 0


def run_passwd(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Set an account's password; its sessions end."""
    return _change(args, db, "cli.users.password_changed", password=read_password(args.name))


def run_role(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Give an account another role."""
    return _change(args, db, "cli.users.role_changed", role=args.role)


def run_disable(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Disable an account; its sessions end."""
    return _change(args, db, "cli.users.disabled", disabled=True)


def run_enable(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Enable an account again."""
    return _change(args, db, "cli.users.enabled_again", disabled=False)


def run_reset_second_step(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """Reset an account's second step (audited, by the command line)."""
    from collector.auth.accounts import AccountError, Accounts
    from collector.auth.second_step import SecondStep

    with open_store(db) as store:
        try:
            was_on = SecondStep(Accounts(store)).reset(args.name, None, "cli")
        except AccountError as exc:
            raise _said(exc) from None
    if not was_on:
        say("cli.users.no_second_step", name=args.name)
        return 0
    say("cli.users.second_step_reset", name=args.name)
    return 0


def run_logout(args: argparse.Namespace, db: DatabaseTarget) -> int:
    """End every session of an account (audited, by the command line); it stays enabled."""
    from collector.auth.accounts import AccountError, Accounts

    with open_store(db) as store:
        try:
            ended = Accounts(store).end_sessions_of(args.name, None, "cli", None)
        except AccountError as exc:
            raise _said(exc) from None
    say("cli.users.logged_out", name=args.name, sessions=Count(ended, "session"))
    return 0
