"""The publication fixtures of tests/collector/publications.py, for the recount tests, and the
populated console of the awards tests (tests/collector/console_site.py)."""

from tests.collector.console_site import site  # noqa: F401
from tests.collector.publications import campaign, cli, db, fork  # noqa: F401
