"""`sangsuk-collector` imports the migration tools only when it opens a database.

`recount` opens none, and an auditor runs it on a publication alone: Alembic and sqlite-utils
cost it 0.4-0.6 s of start-up for nothing (docs/performance.md). A command that opens the
database still migrates it (tests/collector/test_migrations.py).
"""

from __future__ import annotations

import subprocess
import sys


def test_the_command_line_loads_without_the_migration_tools():
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, collector.cli;"
            " print(sorted(m for m in ('alembic', 'sqlite_utils') if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"
