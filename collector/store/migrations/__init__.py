"""The collector database's schema, as Alembic migrations for SQLite and PostgreSQL alike.

The migrations in versions/ are the one definition of the schema: each backend gets its
tables from them, in order, and a released migration is never changed (a new one is added
after it). connection.py runs them when a store opens; env.py is what Alembic reads.
"""
