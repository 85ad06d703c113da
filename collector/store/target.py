"""Which database the collector uses: a SQLite file (the default) or a PostgreSQL server.

``--db`` and $SANGSUK_COLLECTOR_DB take either a path (SQLite) or a PostgreSQL URL: libpq's
``postgres://`` and ``postgresql://`` are taken as SQLAlchemy's ``postgresql+psycopg://``, and the
URL is shown (password hidden) as it was typed.
Everything the collector keeps beside its database (its signing key, its log) lives in the
*home* folder: the SQLite file's folder, or for PostgreSQL $SANGSUK_COLLECTOR_HOME, else the
user's data folder. Several servers on one PostgreSQL share the database, and each must be
given the same key file in its home (docs/operations.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import platformdirs

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

APP_NAME: Final = "sangsuk-collector"
DB_FILE_NAME: Final = "collector.sqlite3"
HOME_ENV: Final = "SANGSUK_COLLECTOR_HOME"
POSTGRES_SCHEMES: Final = ("postgresql", "postgres")


class TargetError(ValueError):
    """--db names neither a file path nor a database URL the collector can use."""


def default_home() -> Path:
    """The folder for the collector's files when nothing names one (the user's data folder)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """A collector database: a SQLite file at ``path``, or a PostgreSQL ``server``.

    SQLAlchemy is imported only when a URL is parsed or asked for: every command of
    `sangsuk-collector` names a database, and `recount` (which opens none) should not pay
    for loading it (docs/performance.md).
    """

    path: Path | None  # the SQLite file; None for PostgreSQL
    server: URL | None = None  # the PostgreSQL URL; None for SQLite
    typed: str | None = field(default=None, compare=False)  # the URL as the operator wrote it

    @property
    def url(self) -> URL:
        """The SQLAlchemy URL of the database (driver pysqlite or psycopg)."""
        if self.server is not None:
            return self.server
        from sqlalchemy.engine import URL

        return URL.create("sqlite+pysqlite", database=str(self.path))

    @classmethod
    def parse(cls, value: str | Path | DatabaseTarget) -> DatabaseTarget:
        """A path (SQLite) or a postgresql:// URL (psycopg 3); TargetError for anything else."""
        if isinstance(value, DatabaseTarget):
            return value
        text = str(value)
        scheme = text.split("://", 1)[0].lower() if "://" in text else ""
        if not scheme:
            return cls(Path(text).expanduser().absolute())
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            url = make_url(text)
        except ArgumentError as exc:
            raise TargetError(f"{_hide_password(text)} is not a database URL: {exc}") from None
        # From the name, not get_backend_name()/get_driver_name(): those load the dialect, and
        # SQLAlchemy has none called "postgres" (libpq's own short scheme).
        backend, _, driver = url.drivername.lower().partition("+")
        if backend in POSTGRES_SCHEMES:
            if driver not in ("psycopg", "", "psycopg2") or not url.database:
                raise TargetError(
                    "a PostgreSQL URL names its database, e.g."
                    " postgresql://sangsuk@db.example/sangsuk (the driver is psycopg 3)"
                )
            return cls(None, url.set(drivername="postgresql+psycopg"), typed=text)
        if backend == "sqlite" and url.database:
            return cls(Path(url.database).expanduser().absolute())
        raise TargetError(
            f"the collector database is a file path or a postgresql:// URL, not {scheme}://"
        )

    @property
    def is_sqlite(self) -> bool:
        """True for a SQLite file."""
        return self.path is not None

    @property
    def home(self) -> Path:
        """The folder kept beside the database: the collector key and logs/."""
        if self.path is not None:
            return self.path.parent
        named = os.environ.get(HOME_ENV)
        return Path(named).expanduser().absolute() if named else default_home()

    @property
    def key_stem(self) -> str:
        """The name the key file takes in home: collector.sqlite3 -> collector.key.pem."""
        return self.path.stem if self.path is not None else "collector"

    def exists(self) -> bool:
        """For SQLite, whether the file exists; a server's database is found when connecting."""
        return self.path.exists() if self.path is not None else True

    def shown(self) -> str:
        """The database as an operator may see it: the path, or the URL without its password."""
        if self.path is not None:
            return str(self.path)
        if self.typed is not None:
            return _hide_password(self.typed)
        return self.url.render_as_string(hide_password=True)

    def environ_value(self) -> str:
        """How $SANGSUK_COLLECTOR_DB gives this database to another process (password kept)."""
        if self.path is not None:
            return str(self.path)
        if self.typed is not None:
            return self.typed
        return self.url.render_as_string(hide_password=False)

    def __str__(self) -> str:
        return self.shown()


def _hide_password(text: str) -> str:
    """A URL-looking text with anything between ':' and '@' after the scheme hidden."""
    head, sep, rest = text.partition("://")
    if "@" not in rest:
        return text
    who, _, where = rest.rpartition("@")
    user = who.split(":", 1)[0]
    return f"{head}{sep}{user}:***@{where}" if ":" in who else text
