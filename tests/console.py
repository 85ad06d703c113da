"""Operators for tests: make an account in a collector's store and log in over real HTTP.

The account is made through the same ``Accounts`` the console and `users add` use; the login
goes through the login form, CSRF value and all, as a browser's would.
"""

from __future__ import annotations

import re
from typing import Any, Final

from collector.auth.accounts import Accounts
from collector.store import CollectorStore

PASSWORD: Final = "a long enough test pass phrase"
CSRF: Final = re.compile(r'name="csrf" value="([^"]+)"')


def make_operator(
    store: CollectorStore, name: str = "officer", role: str = "officer", password: str = PASSWORD
) -> str:
    """Create an operator account in store (by the CLI's hand); its name."""
    Accounts(store).create(name, role, password, None, "cli")
    return name


def csrf_of(html: str) -> str:
    """The CSRF value of the first form on a page."""
    match = CSRF.search(html)
    assert match, "no form with a CSRF value on the page"
    return match.group(1)


def log_in(client: Any, base: str = "", name: str = "officer", password: str = PASSWORD) -> str:
    """Log client (an httpx or requests client keeping cookies) in at base; the CSRF value.

    Raises AssertionError when the login is refused.
    """
    form = client.get(f"{base}/login")
    no_follow = {"allow_redirects": False} if _is_requests(client) else {"follow_redirects": False}
    answer = client.post(
        f"{base}/login",
        data={"name": name, "password": password, "csrf": csrf_of(form.text), "next": "/console"},
        **no_follow,
    )
    assert answer.status_code == 303, f"login refused: {answer.status_code}"
    return csrf_of(client.get(f"{base}/console").text)


def operator_client(
    client: Any, store: CollectorStore, base: str = "", role: str = "officer"
) -> str:
    """Make an operator with role (named after it) and log client in as them; the CSRF value."""
    make_operator(store, role, role)
    return log_in(client, base, role)


def _is_requests(client: Any) -> bool:
    return type(client).__module__.startswith("requests")
