"""`sangsuk-collector` loads what a database needs only when a command opens one.

`recount` opens none, and an auditor runs it on a publication alone: SQLAlchemy, Alembic,
sqlite-utils, the password hasher and the web framework cost it a large part of its start-up
for nothing (docs/performance.md). A command that opens the database still migrates it
(tests/collector/test_migrations.py) and works as before (the other CLI tests).
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("alembic", "sqlite_utils", "sqlalchemy", "argon2", "fastapi", "psycopg", "uvicorn")


def _loaded_after(code: str) -> list[str]:
    """The HEAVY modules a fresh Python has loaded after running code."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, json; {code};"
            f" print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_command_line_loads_without_what_a_database_needs():
    assert _loaded_after("import collector.cli") == []


def test_a_recount_runs_without_loading_what_a_database_needs(tmp_path):
    # A folder that is not a publication: the recount reads it and refuses, as it should,
    # without ever loading the database's libraries.
    code = (
        "from collector.cli import main;"
        f" print('exit', main(['--db', {str(tmp_path / 'none.sqlite3')!r}, 'recount',"
        f" {str(tmp_path)!r}]))"
    )
    assert _loaded_after(code) == []


def test_opening_the_store_still_loads_it(tmp_path):
    # The lazy name resolves to the real class: a command that opens a database gets it.
    code = (
        "from collector.store import CollectorStore;"
        f" CollectorStore({str(tmp_path / 'c.sqlite3')!r}).close()"
    )
    assert "sqlalchemy" in _loaded_after(code)
