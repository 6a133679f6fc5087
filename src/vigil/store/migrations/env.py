"""Alembic environment. Vigil runs migrations programmatically (``vigil db upgrade`` or on open): the
caller passes a live connection in ``config.attributes["connection"]``."""

from __future__ import annotations

from alembic import context

from vigil.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs the alembic CLI directly
    raise RuntimeError("run migrations with `vigil db upgrade`, which supplies the database connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
