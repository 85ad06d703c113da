"""The publication fixtures of tests/collector/publications.py, for the recount tests."""

from tests.collector.publications import campaign, cli, db, fork  # noqa: F401
