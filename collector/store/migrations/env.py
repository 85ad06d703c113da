"""Alembic's environment: migrate the connection the store hands over, in its transaction."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

connection: Connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=None,  # the migrations are the schema; there is no model to compare
    transactional_ddl=True,  # SQLite and PostgreSQL both roll DDL back: all of it or none
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
