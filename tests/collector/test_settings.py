"""The collector app's settings: given, else from the environment, and handed on to workers."""

from pathlib import Path

import pytest

from collector.settings import CHECK_PROCESSES_ENV, CHECKS_ENV, DB_ENV, Settings
from collector.store import SKEW_FLAG_SECONDS, SKEW_THRESHOLD_ENV, DatabaseTarget, TargetError

ENV = (DB_ENV, CHECKS_ENV, CHECK_PROCESSES_ENV, SKEW_THRESHOLD_ENV)


@pytest.fixture
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_what_serve_hands_on_is_what_each_worker_reads_back(clean_env, tmp_path):
    given = Settings(
        DatabaseTarget.parse(tmp_path / "c.sqlite3"),
        checks=3,
        processes=True,
        clock_threshold_s=60.0,
    )
    for name, value in given.environ().items():
        clean_env.setenv(name, value)
    assert Settings.from_env() == given


def test_given_settings_win_over_the_environment(clean_env, tmp_path):
    clean_env.setenv(DB_ENV, str(tmp_path / "env.sqlite3"))
    clean_env.setenv(CHECKS_ENV, "7")
    clean_env.setenv(CHECK_PROCESSES_ENV, "1")
    clean_env.setenv(SKEW_THRESHOLD_ENV, "90")
    assert Settings.from_env() == Settings(
        DatabaseTarget.parse(tmp_path / "env.sqlite3"), 7, True, 90.0
    )
    given = Settings.from_env(Path("given.sqlite3"), 2, False, 30.0)
    assert given == Settings(DatabaseTarget.parse(Path("given.sqlite3")), 2, False, 30.0)


def test_the_defaults_and_a_database_that_must_be_named(clean_env, tmp_path):
    settings = Settings.from_env(tmp_path / "c.sqlite3")
    assert settings.checks >= 1
    assert settings.processes is False
    assert settings.clock_threshold_s == SKEW_FLAG_SECONDS
    with pytest.raises(KeyError):
        Settings.from_env()


def test_a_postgresql_url_is_handed_on_whole_and_shown_without_its_password(clean_env):
    url = "postgresql://sangsuk:s3cret@db.example:5433/votes"
    given = Settings.from_env(url, 1, True, 60.0)
    assert given.db.path is None
    assert "s3cret" not in str(given.db)
    assert "db.example:5433/votes" in str(given.db)
    for name, value in given.environ().items():
        clean_env.setenv(name, value)
    assert Settings.from_env() == given
    assert given.db.url.password == "s3cret"
    assert given.db.url.drivername == "postgresql+psycopg"  # psycopg 3, whatever was written


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("mysql://u@h/db", "a file path or a postgresql:// URL"),
        ("postgresql://u@h", "names its database"),
        ("postgresql+asyncpg://u@h/db", "psycopg 3"),
    ],
)
def test_a_database_the_collector_cannot_use_is_refused_with_words(text, words):
    with pytest.raises(TargetError, match=words):
        DatabaseTarget.parse(text)


@pytest.mark.parametrize("scheme", ["postgres", "postgresql", "POSTGRES", "postgresql+psycopg"])
def test_libpq_urls_are_the_same_database_and_shown_as_typed(clean_env, scheme):
    typed = f"{scheme}://sangsuk:s3cret@127.0.0.1:5499/sangsuk"
    target = DatabaseTarget.parse(typed)
    assert target == DatabaseTarget.parse(
        "postgresql+psycopg://sangsuk:s3cret@127.0.0.1:5499/sangsuk"
    )
    assert target.url.drivername == "postgresql+psycopg"
    assert str(target) == f"{scheme}://sangsuk:***@127.0.0.1:5499/sangsuk"
    clean_env.setenv(DB_ENV, typed)  # $SANGSUK_COLLECTOR_DB takes the same URLs
    from_env = Settings.from_env()
    assert from_env.db == target
    assert str(from_env.db) == str(target)
