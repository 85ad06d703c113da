"""The pages' Thai and English catalogues are complete and agree with the templates."""

import json
import re
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import Markup

from collector.cli.main import STORE_CODES, USAGE_WORDS
from collector.districts import FAULTS
from collector.i18n import CATALOGUE_DIR, LANGUAGES, Translator, catalogue
from collector.recount_files import PROBLEMS
from collector.refusals import BATCH_WHY, OTHER_WHY, OWN_WORDS, REQUEST_WHY
from collector.routes.audit import REASON_KEYS
from collector.routes.rendering import CONSOLE_MENU
from collector.stick import SKIPPED
from collector.store.campaigns import FIELDS

COLLECTOR = Path(__file__).resolve().parents[2] / "collector"
TEMPLATES = COLLECTOR / "templates"
SOURCES = [
    *(COLLECTOR / "routes").glob("*.py"),
    *(COLLECTOR / "auth").glob("*.py"),
    COLLECTOR / "app.py",
]
I18N = COLLECTOR / "i18n.py"
CLI = sorted((COLLECTOR / "cli").glob("*.py"))  # sangsuk-collector's words: cli.* and reused keys
# A key named as a string in the command line's code ("cli.users.added", "campaigns.field.year"),
# and a number's noun (Count(n, "vote") is cli.n.vote).
CLI_KEY = re.compile(
    r"""["']((?:cli|account|password|role|group|campaigns\.field)\.[a-z_.]+)["']"""
)
CLI_COUNT = re.compile(r"""\bCount\((?:[^()]|\([^()]*\))*?,\s*["']([a-z_]+)["']\)""")
# Keys a refusal names (AccountError("account.bad_name"), a settings form's refusal, ...), looked
# up when it is shown.
ERROR_KEY = re.compile(
    r"""["']((?:account|password|login|access|revoke|awards|publish|second_step|settings)\.(?!html)[a-z_]+)["']"""
)
# Keys the templates build from data: prefix -> the values the data can hold.
DYNAMIC = {
    "group.": ("small", "medium", "large"),
    "rating.": ("1", "2", "3", "4", "5"),
    "target.": ("staff", "unit", "none"),
    "tie.": ("votes", "code"),
    "month.": tuple(str(m) for m in range(1, 13)),
    "time.": ("seconds", "minutes", "hours", "days"),  # Translator.duration
    "quarantine.": ("conflict", "chain_fork"),
    "audit.kind.": (
        "refused",
        "conflict",
        "conflict-again",
        "revoked",
        "settings",
        "login",
        "operator",
        "token",
        "announced",
        "published",
        "import",
        "campaign",
        "copied",
        "districts",
        "enrolled",
    ),
    # audit.py's reason_words: a refusal's words, and each kind's reasons
    "audit.refusal.": (*set(BATCH_WHY.values()), OTHER_WHY, *OWN_WORDS),
    "audit.reason.login.": (
        "ok",
        "logout",
        "logout_others",
        "logout_by_admin",
        "recovery_code",
        "confirmed",
    ),
    "audit.reason.token.": ("issued", "voided", "approved"),
    "audit.reason.operator.": (
        "added",
        "changed",
        "second_step_on",
        "second_step_off",
        "second_step_reset",
        "recovery_codes",
    ),
    "audit.reason.campaign.": ("defined",),
    "audit.reason.districts.": ("loaded",),
    "audit.reason.import.": ("imported", "problems", "no_batches"),
    "audit.reason.revoked.": ("revoked",),
    "audit.reason.copied.": ("copied",),
    "audit.reason.enrolled.": ("new", "again"),
    "audit.reason.settings.": (
        "results_public",
        "ranking.prior_weight",
        "ranking.min_votes",
        "second_step_required",
    ),
    "import.why.": (*set(BATCH_WHY.values()), OTHER_WHY),  # collector/refusals.py
    "import.skipped.": tuple(SKIPPED),  # collector/stick.py
    "cli.recount.problem.": tuple(PROBLEMS),  # a recount's problem's kind (collector/cli/report.py)
    "import.request_why.": (*set(REQUEST_WHY.values()), "invalid"),  # routes/enroll_import.py
    "role.": ("viewer", "officer", "admin"),
    "account.": ("unknown_operator", "last_admin"),  # f"account.{StoreError.code}"
    "districts_csv.": (*FAULTS, "line", "and"),  # collector/districts.py CsvProblem
    "campaigns.field.": tuple(FIELDS),  # collector/store/campaigns.py
    "campaigns.error.": (  # CampaignError.key
        "empty",
        "too_long",
        "bad_date",
        "year",
        "ends_before",
        "buddhist_date",
        "not_in_year",
        "too_many_days",
        "exists",
        "overlap",
    ),
}


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys_and_placeholders():
    th, en = catalogue("th"), catalogue("en")
    assert set(th) == set(en)
    for key in th:
        assert th[key].strip(), f"th {key} is empty"
        assert en[key].strip(), f"en {key} is empty"
        assert placeholders(th[key]) == placeholders(en[key]), key


def test_the_thai_catalogue_is_thai():
    th = catalogue("th")
    not_thai = [
        k
        for k, v in th.items()
        if not re.search("[\u0e00-\u0e7f]", v)
        and k not in ("lang.switch", "tie.mark", "kiosks.clock_off", "date.year_offset")
    ]
    assert not_thai == []


def test_every_key_the_templates_and_pages_use_exists():
    used = set()
    for source in [*TEMPLATES.glob("*.html"), *SOURCES]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_.]+)["']""", source.read_text()))
    for source in SOURCES:
        used |= set(ERROR_KEY.findall(source.read_text()))
    for _, key, _ in CONSOLE_MENU:  # the menu's entries and the line under each
        used |= {key, key + "_explain"}
    used |= set(re.findall(r"""\bself\(\s*["']([a-z_.]+)["']""", I18N.read_text()))
    for source in CLI:
        used |= set(CLI_KEY.findall(source.read_text()))
        used |= {f"cli.n.{noun}" for noun in CLI_COUNT.findall(source.read_text())}
    used |= {f"cli.store.{code}" for code in (*STORE_CODES, "other")}  # a store refusal's code
    used |= {f"cli.usage.{kind}" for _, kind in (*USAGE_WORDS, (None, "other"))}  # argparse's
    prefixes = {key for key in used if key.endswith(".")}  # t("group." ~ g) and the like
    assert prefixes - set(DYNAMIC) == set(), "a key made from data that this test does not know"
    used -= prefixes
    used |= {prefix + value for prefix, values in DYNAMIC.items() for value in values}
    used |= {"error.bad_request", "error.not_found", "error.too_large_title"}  # error pages
    used |= {"access.login_title", "access.forbidden_title"}
    assert used - set(catalogue("en")) == set()
    assert used - set(catalogue("th")) == set()
    unused = set(catalogue("en")) - used - {"date.year_offset"}
    assert unused == set(), "catalogue entries no page uses"


def test_the_catalogues_are_plain_json_objects():
    for lang in LANGUAGES:
        data = json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))
        assert all(isinstance(v, str) for v in data.values())


def test_words_are_escaped_and_values_too_unless_markup():
    t = Translator("en")
    text = t("error.unknown_district", code="<script>")
    assert isinstance(text, Markup)
    assert "&lt;script&gt;" in text
    assert "<code>x</code>" in t(
        "method.same_everywhere", awards=Markup("<code>x</code>"), recount="r", doc="d"
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("th", "24 พ.ย. 2569 10:00"), ("en", "24 Nov 2026 10:00")]
)
def test_times_are_thai_time_and_thai_years_are_buddhist_era(lang, expected):
    assert Translator(lang).when("2026-11-24T03:00:00.000Z") == expected


@pytest.mark.parametrize(
    ("seconds", "th", "en"),
    [
        (45, "+45 วินาที", "+45 s"),
        (-3600, "-60 นาที", "-60 min"),
        (5 * 3600 + 100, "+5 ชั่วโมง", "+5 h"),
        (31_449_600, "+364 วัน", "+364 days"),  # a kiosk whose clock is a year ahead
    ],
)
def test_a_clock_error_is_said_in_the_unit_a_reader_takes_in(seconds, th, en):
    assert Translator("th").duration(seconds, signed=True) == th
    assert Translator("en").duration(seconds, signed=True) == en


def test_an_unknown_language_falls_back_to_thai():
    assert Translator("fr").lang == "th"


def test_every_audit_reason_the_page_puts_in_words_is_listed_here():
    # reason_words builds its keys in Python: each kind's prefix must be one DYNAMIC lists, so
    # the test above checks that every reason it names has words in both languages.
    assert set(REASON_KEYS.values()) - set(DYNAMIC) == set()


@pytest.mark.parametrize(
    ("stamp", "th", "en"),
    [
        ("2026-11-24T02:59:30.000Z", "0 นาทีที่แล้ว", "0 min ago"),
        ("2026-11-24T01:00:00.000Z", "2 ชั่วโมงที่แล้ว", "2 h ago"),
        # Later than the server's clock: said as such, never "0 min ago".
        (
            "2026-11-24T05:00:00.000Z",
            "2 ชั่วโมง หลังเวลาของเซิร์ฟเวอร์นี้",
            "2 h later than the clock of this server",
        ),
    ],
)
def test_how_long_ago_and_a_time_after_the_servers_clock(stamp, th, en):
    now = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    assert Translator("th").ago(stamp, now) == th
    assert Translator("en").ago(stamp, now) == en
