"""Screenshots of the collector's pages and console in Thai and English, by headless Chromium.

    uv run python bench/campaign.py --db /tmp/campaign/collector.sqlite3
    uv run python -m tests.e2e.screenshots docs/screenshots --db /tmp/campaign/collector.sqlite3

Serves a copy of the database (an operator account is added to the copy for the console's
pages; the database given is not changed) with the real app on 127.0.0.1 (uvicorn), and saves
web-<page>-<lang>.png: the public pages as anyone sees them, the console's logged in, and an
enrollment sheet as printed (web-sheet-<lang>.png; its tokens are issued in the copy only).
The second step's pages after a password (``code``: the code asked for; ``login-setup``: set
it up first, as the settings can require) are shot as an officer of the copy who has it on,
or has it to set up. ``recovery`` is the page of recovery codes shown once when an officer turns
the second step on (by the app's first code), at the window's width and a phone's. ``user`` is
the admin's page of an officer logged in on a laptop and a tablet (where they are logged in, and
the button that ends it all), at the window's width and a phone's, and after the button
(web-user-ended-<lang>.png); ``districts`` the size groups page, with a file checked and a
file refused, at both widths. ``confirm`` is sudo mode's note on the settings page 20 minutes
after the admin's login (web-confirm-note-<lang>.png: the password comes first, "confirm it's
you now"), then the "confirm it's you" page as they see it on pressing Save there (nothing
done, the password asked), at both widths. ``awards-method`` is the ranking method at the
foot of the awards page with a bad number refused (web-awards-method[-phone]-<lang>.png).
``campaigns`` is the campaigns page as it opens (and its campaign file for USB kiosks alone,
web-campaigns-usb), its form sent with every field wrong or empty
(web-campaigns-problems), and its check step after the year was typed in Thai digits
(web-campaigns-check: the campaign in Buddhist-era words, the tick box), at both widths.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pyotp
import sqlalchemy as sa
from playwright.sync_api import Page

from collector.auth.accounts import SECOND_STEP_REQUIRED, Accounts
from collector.auth.second_step import SecondStep
from collector.store import CollectorStore
from tests.collector_server import serve_collector
from tests.console import PASSWORD, make_operator
from tests.e2e.browser import browser_page
from wire.clock import format_utc

# name -> (path, width, whether it needs a login)
PAGES = {
    "overview": ("/", 1280, False),
    "leaderboard": ("/leaderboard", 1280, False),
    "district": ("/districts/3706", 1280, False),
    "login": ("/login", 1280, False),
    "console": ("/console", 1280, True),
    "kiosks": ("/kiosks?show=problems", 1280, True),
    "audit": ("/audit?limit=12", 1280, True),
    "tokens": ("/console/tokens", 1280, True),
    "import": ("/console/import", 1280, True),
    "awards": ("/console/awards", 1280, True),
    "publish": ("/console/publish", 1280, True),
    "users": ("/console/users", 1280, True),
    "settings": ("/console/settings", 1280, True),
    "second-step": ("/console/second-step", 1280, True),  # one's own: the QR code to set it up
    "account": ("/console/password", 1280, True),  # one's own: password, second step, sessions
}
# After the password, before any session: (the officer who logs in, the page they reach).
PENDING = {"code": ("malee", "/login/code"), "login-setup": ("niran", "/login/setup")}
RECOVERY = "recovery"  # turned on by "preecha" in each language, so a new officer each time
# The size groups page with a file checked (what it would change) and a file refused (its
# problems): the held table with three districts moved, and a file a spreadsheet spoiled.
SIZE_GROUPS = "districts"
CONFIRM = "confirm"  # sudo mode: the admin's Save in the settings, 20 minutes after logging in
METHOD = "awards-method"  # the awards page's ranking method, a bad number refused
CAMPAIGNS = "campaigns"  # the campaigns page, its form refused, and its check step
USER = "user"  # the admin's page of "kanya", logged in on two machines in each language
KANYA_LOGINS = (
    (
        "10.20.1.15",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    ),
    (
        "203.0.113.42",
        "Mozilla/5.0 (Linux; Android 14; SM-X210) AppleWebKit/537.36 (KHTML, like Gecko)"
        " Chrome/131.0.0.0 Safari/537.36",
    ),
)
PHONE = 390
SHEET_DISTRICTS = "3706 3701"
TALLEST = 2400  # a long page (every kiosk, every token) is cut here  # an enrollment sheet is the answer to the tokens form (a copy)


def shoot(page: Page, target: Path) -> None:
    """Save the whole page, or its top TALLEST pixels when it is longer."""
    height = min(int(page.evaluate("document.documentElement.scrollHeight")), TALLEST)
    width = page.viewport_size["width"] if page.viewport_size else 1280
    page.screenshot(
        path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": height}
    )


def password_login(context: Any, url: str, who: str, lands: str, lang: str, args: Any) -> Page:
    """A new page of context, logged in as who by name and password, landed on lands."""
    page: Page = context.new_page()
    page.set_viewport_size({"width": args.width or 1280, "height": 900})
    page.goto(f"{url}/login?lang={lang}")
    page.fill("#name", who)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}{lands}")
    return page


def shoot_pending(
    url: str, store: CollectorStore, browser: Any, name: str, lang: str, args: Any
) -> None:
    """Log in with a password only, in a context with no cookies, and shoot the second step's
    page."""
    who, path = PENDING[name]
    store.set_setting(SECOND_STEP_REQUIRED, "yes" if name == "login-setup" else "no")
    context = browser.new_context()
    try:
        page = password_login(context, url, who, path, lang, args)
        page.fill("#code", "12345")  # what a hurried officer types: the page says why not
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}{path}")
        target = args.out / f"web-{name}-{lang}.png"
        shoot(page, target)
        print(target)
    finally:
        context.close()
    store.set_setting(SECOND_STEP_REQUIRED, "no")


def shoot_recovery(url: str, store: CollectorStore, browser: Any, lang: str, args: Any) -> None:
    """Log in as a new officer, turn the second step on, and shoot the recovery codes it shows."""
    who = f"preecha{lang}"
    make_operator(store, who, "officer")
    context = browser.new_context()
    try:
        page = password_login(context, url, who, "/console", lang, args)
        page.goto(f"{url}/console/second-step")
        secret = page.inner_text("#secret").replace(" ", "")
        page.fill("#password", PASSWORD)
        page.fill("#code", pyotp.TOTP(secret).now())
        page.click("form.stacked button[type=submit]")
        page.wait_for_selector("#recovery-codes")
        for suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
            page.set_viewport_size({"width": width, "height": 900})
            target = args.out / f"web-{RECOVERY}{suffix}-{lang}.png"
            shoot(page, target)
            print(target)
    finally:
        context.close()


def shoot_size_groups(page: Page, url: str, store: CollectorStore, lang: str, args: Any) -> None:
    """The size groups page as it is, then with a changed table checked, then a bad file."""
    held = {d["code"]: d["size_group"] for d in store.report()["districts"]}
    busiest = sorted(store.report()["districts"], key=lambda d: -d["votes"])[:3]
    turn = {"small": "medium", "medium": "large", "large": "medium"}
    changed = held | {d["code"]: turn[d["size_group"]] for d in busiest}
    good = "code,size_group\n" + "".join(f"{c},{g}\n" for c, g in changed.items())
    bad = "code,size_group\n3706,small\n9999,medium\n4408,ใหญ่มาก\n3706,large\n1001,small\n"
    shots = [("", None), ("-check", good), ("-problems", bad)]
    for suffix, text in shots:
        for width_suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{url}/console/districts")
            if text is not None:
                name = "size-groups-2570.csv"
                data = {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
                page.set_input_files("#groups-file", files=[data])  # type: ignore[list-item]
                page.click("form[action='/console/districts/check'] button[type=submit]")
                page.wait_for_selector("#groups-preview, #groups-problems")
            target = args.out / f"web-{SIZE_GROUPS}{suffix}{width_suffix}-{lang}.png"
            shoot(page, target)
            print(target)


def shoot_user(url: str, store: CollectorStore, page: Page, lang: str, args: Any) -> None:
    """The admin's page of an officer logged in on two machines, at the window's width and a
    phone's (its logins only: the whole is too long); then after "End all of kanya's logins"."""
    accounts = Accounts(store)
    if accounts.operators.get("kanya") is None:
        make_operator(store, "kanya", "officer")
    for addr, agent in KANYA_LOGINS:
        accounts.start_session("kanya", addr, "password", agent)
    page.goto(f"{url}/console/users/kanya")
    page.set_viewport_size({"width": args.width or 1280, "height": 900})
    target = args.out / f"web-{USER}-{lang}.png"
    shoot(page, target)
    print(target)
    # A phone's page is longer than TALLEST: from the list of logins down, where it is cut.
    page.set_viewport_size({"width": PHONE, "height": 900})
    top = int(page.evaluate("document.getElementById('sessions').offsetTop")) - 12
    height = int(page.evaluate("document.documentElement.scrollHeight")) - top
    target = args.out / f"web-{USER}-phone-{lang}.png"
    clip = {"x": 0, "y": top, "width": PHONE, "height": min(height, TALLEST)}
    page.screenshot(path=str(target), full_page=True, clip=clip)
    print(target)
    page.set_viewport_size({"width": args.width or 1280, "height": 900})
    page.click("form[action='/console/users/kanya/sessions'] button[type=submit]")
    page.wait_for_url(f"{url}/console/users/kanya?done=sessions&ended=2")
    target = args.out / f"web-{USER}-ended-{lang}.png"
    shoot(page, target)
    print(target)


def shoot_confirm(url: str, store: CollectorStore, page: Page, lang: str, args: Any) -> None:
    """The admin opens the settings 20 minutes after their last confirmation (the note that
    the password comes first, with its link), presses Save: the "confirm it's you" page, each
    at the window's width and a phone's; then they confirm."""
    then = format_utc(store.clock.now() - timedelta(minutes=20))
    with store.transaction() as conn:  # as if the login had been 20 minutes ago
        conn.execute(
            sa.text("UPDATE sessions SET confirmed_at = :then WHERE operator = 'somchai'"),
            {"then": then},
        )
    page.goto(f"{url}/console/settings")  # the note above the forms: the password comes first
    page.wait_for_selector("#confirm-now")
    for suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
        page.set_viewport_size({"width": width, "height": 900})
        target = args.out / f"web-{CONFIRM}-note{suffix}-{lang}.png"
        shoot(page, target)
        print(target)
    page.set_viewport_size({"width": args.width or 1280, "height": 900})
    page.click("form[action='/console/settings'] button[type=submit]")
    page.wait_for_selector("#confirm-not-done")
    for suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
        page.set_viewport_size({"width": width, "height": 900})
        target = args.out / f"web-{CONFIRM}{suffix}-{lang}.png"
        shoot(page, target)
        print(target)
    page.set_viewport_size({"width": args.width or 1280, "height": 900})
    page.fill("#password", PASSWORD)
    page.click("form[action='/console/confirm'] button[type=submit]")
    page.wait_for_url(f"{url}/console/settings")


def shoot_method(url: str, page: Page, lang: str, args: Any) -> None:
    """The ranking method at the foot of the awards page after "fifty" was sent for its prior
    weight (refused, nothing saved), the section alone, at the window's width and a phone's."""
    for suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/console/awards")
        page.fill("#prior_weight", "fifty")
        page.click("form[action='/console/awards/method'] button[type=submit]")
        page.wait_for_selector("#prior_weight-error")
        target = args.out / f"web-{METHOD}{suffix}-{lang}.png"
        page.locator("#method").screenshot(path=str(target))
        print(target)


def shoot_campaigns(url: str, page: Page, lang: str, args: Any) -> None:
    """The campaigns page as it opens, with its form sent wrong (every problem listed), and its
    check step for a year typed in Thai digits, at the window's width and a phone's."""
    fields = {
        "#year": "๒๕๗๐", "#starts_on": "2027-11-01", "#ends_on": "2027-11-30",
        "#name_th": "ประเมินอำเภอ ๒๕๗๐", "#name_en": "District rating 2570",
        "#slogan_th": "บอกเราหน่อย", "#slogan_en": "Tell us",
    }  # fmt: skip
    send = "form[action^='/console/campaigns'] button.primary"
    for suffix, width in (("", args.width or 1280), ("-phone", PHONE)):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{url}/console/campaigns")
        target = args.out / f"web-{CAMPAIGNS}{suffix}-{lang}.png"
        shoot(page, target)
        print(target)
        target = args.out / f"web-{CAMPAIGNS}-usb{suffix}-{lang}.png"
        page.locator("#usb").screenshot(path=str(target))
        print(target)
        page.fill("#year", "2026")  # a Christian-era year, and the rest left empty
        page.fill("#ends_on", "2026-10-01")
        page.evaluate("document.querySelector('#add ~ form').noValidate = true")  # as sent
        page.click(send)
        page.wait_for_selector("#campaign-problems")
        target = args.out / f"web-{CAMPAIGNS}-problems{suffix}-{lang}.png"
        page.locator("#campaign-problems").scroll_into_view_if_needed()
        page.locator("section.form-box:has(#add)").screenshot(path=str(target))
        print(target)
        for field, value in fields.items():
            page.fill(field, value)
        page.click(send)
        page.wait_for_selector("#check")
        target = args.out / f"web-{CAMPAIGNS}-check{suffix}-{lang}.png"
        page.locator("#check").screenshot(path=str(target))
        print(target)


def main() -> int:
    """Serve a copy of the database and save the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--pages",
        nargs="*",
        default=[*PAGES, *PENDING, RECOVERY, USER, SIZE_GROUPS, CONFIRM, METHOD, CAMPAIGNS],
    )
    parser.add_argument("--width", type=int, help="one window width for every page")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sangsuk-shots-") as scratch:
        copy = Path(scratch) / args.db.name
        shutil.copy2(args.db, copy)
        for key in args.db.parent.glob(f"{args.db.stem}.key*"):
            shutil.copy2(key, Path(scratch) / key.name)
        with serve_collector(copy) as running:
            make_operator(running.store, "somchai", "admin")
            for name in ("malee", "niran"):
                make_operator(running.store, name, "officer")
            steps = SecondStep(Accounts(running.store))
            steps.rows.propose("malee", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
            steps.rows.enable("malee", 0, [], "malee", "console", None)
            for lang in ("th", "en"):
                with browser_page() as operator:
                    operator.goto(f"{running.url}/login?lang={lang}")
                    operator.fill("#name", "somchai")
                    operator.fill("#password", PASSWORD)
                    operator.click("button[type=submit]")
                    operator.wait_for_url(f"{running.url}/console")
                    anyone = operator.context.browser.new_page()  # a context with no cookies
                    anyone.goto(f"{running.url}/?lang={lang}")  # the language, remembered
                    for name in args.pages:
                        if name == RECOVERY:
                            browser = operator.context.browser
                            shoot_recovery(running.url, running.store, browser, lang, args)
                            continue
                        if name == CONFIRM:
                            shoot_confirm(running.url, running.store, operator, lang, args)
                            continue
                        if name == METHOD:
                            shoot_method(running.url, operator, lang, args)
                            continue
                        if name == CAMPAIGNS:
                            shoot_campaigns(running.url, operator, lang, args)
                            continue
                        if name == USER:
                            shoot_user(running.url, running.store, operator, lang, args)
                            continue
                        if name == SIZE_GROUPS:
                            shoot_size_groups(operator, running.url, running.store, lang, args)
                            continue
                        if name in PENDING:
                            browser = operator.context.browser
                            shoot_pending(running.url, running.store, browser, name, lang, args)
                            continue
                        path, width, private = PAGES[name]
                        page = operator if private else anyone
                        page.set_viewport_size({"width": args.width or width, "height": 900})
                        page.goto(f"{running.url}{path}")
                        target = args.out / f"web-{name}-{lang}.png"
                        shoot(page, target)
                        print(target)
                    operator.goto(f"{running.url}/console/tokens")
                    operator.fill("#codes", SHEET_DISTRICTS)
                    operator.check("#local-test")  # the copy is served on 127.0.0.1
                    operator.click("form[action='/console/tokens'] button[type=submit]")
                    target = args.out / f"web-sheet-screen-{lang}.png"  # as the officer sees it
                    shoot(operator, target)
                    print(target)
                    operator.emulate_media(media="print")
                    target = args.out / f"web-sheet-{lang}.png"
                    shoot(operator, target)
                    operator.emulate_media(media="screen")
                    print(target)
                    anyone.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
