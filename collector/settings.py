"""What the collector app is set up with: its database, how it checks batches, its clock rule.

Each setting is given by the caller (`sangsuk-collector serve`, a test) or else read from its
environment variable, else its default, here and nowhere else. With ``serve --workers N`` every
serving process builds its own app, so the command hands the settings on through these same
variables (``Settings.environ``) and each process reads them back (``Settings.from_env``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from collector.store import SKEW_THRESHOLD_ENV, DatabaseTarget, skew_threshold_from_env

DB_ENV: Final = "SANGSUK_COLLECTOR_DB"
CHECKS_ENV: Final = "SANGSUK_COLLECTOR_CHECKS"
CHECK_PROCESSES_ENV: Final = "SANGSUK_COLLECTOR_CHECK_PROCESSES"
UPDATES_DIR_ENV: Final = "SANGSUK_UPDATES_DIR"
SERVER_NAMES_ENV: Final = "SANGSUK_SERVER_NAMES"


def checks_per_process(workers: int = 1, cores: int | None = None) -> int:
    """How many batches one of ``workers`` processes should check at once: its share of cores."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, workers))


@dataclass(frozen=True, slots=True)
class Settings:
    """The collector app's settings."""

    db: DatabaseTarget  # a SQLite file or a PostgreSQL database
    checks: int  # batches checked at once by this app
    processes: bool  # check them in worker processes (serve) rather than threads
    clock_threshold_s: float  # a kiosk clock further off than this is flagged
    updates_dir: Path | None = None  # the kiosk update repository served at /updates/ (or off)
    server_names: tuple[str, ...] = ()  # Host names answered; empty: any (set it in production)

    @classmethod
    def from_env(
        cls,
        db: DatabaseTarget | Path | str | None = None,
        checks: int | None = None,
        processes: bool | None = None,
        clock_threshold_s: float | None = None,
        updates_dir: Path | None = None,
        server_names: tuple[str, ...] | None = None,
    ) -> Settings:
        """Each setting as given, else from $SANGSUK_COLLECTOR_DB and the others, else its default.

        The database has no default here: without one given or in the environment, KeyError.
        The update repository is served only when given or named by $SANGSUK_UPDATES_DIR.
        The server's names (requests for any other Host are refused) come from
        $SANGSUK_SERVER_NAMES, comma-separated, when not given.
        """
        named = os.environ.get(UPDATES_DIR_ENV)
        return cls(
            db=DatabaseTarget.parse(db if db is not None else os.environ[DB_ENV]),
            checks=checks
            if checks is not None
            else int(os.environ.get(CHECKS_ENV) or checks_per_process()),
            processes=processes
            if processes is not None
            else os.environ.get(CHECK_PROCESSES_ENV) == "1",
            clock_threshold_s=(
                clock_threshold_s if clock_threshold_s is not None else skew_threshold_from_env()
            ),
            updates_dir=updates_dir or (Path(named) if named else None),
            server_names=server_names
            if server_names is not None
            else tuple(
                n.strip() for n in os.environ.get(SERVER_NAMES_ENV, "").split(",") if n.strip()
            ),
        )

    def environ(self) -> dict[str, str]:
        """The environment variables that give these settings to another process."""
        return {
            DB_ENV: self.db.environ_value(),
            CHECKS_ENV: str(self.checks),
            CHECK_PROCESSES_ENV: "1" if self.processes else "0",
            SKEW_THRESHOLD_ENV: str(self.clock_threshold_s),
            **({UPDATES_DIR_ENV: str(self.updates_dir.absolute())} if self.updates_dir else {}),
            **({SERVER_NAMES_ENV: ",".join(self.server_names)} if self.server_names else {}),
        }
