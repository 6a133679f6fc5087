"""Storage: SQLite by default (one file, WAL, FTS5 search), PostgreSQL for shared deployments, with one
schema (``schema.py``) and one Alembic migration history (``migrations/``) for both."""
