"""Alembic environment: runs migrations on the app's own engine and metadata."""

from __future__ import annotations

from alembic import context
from flask import current_app

database = current_app.extensions["db"]


def run_migrations_offline() -> None:
    """Emit SQL without a connection (``flask db upgrade --sql``)."""
    context.configure(
        url=str(database.engine.url),
        target_metadata=database.metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Apply migrations on a live connection."""
    with database.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=database.metadata,
            # SQLite can only ALTER by copying tables; batch mode does that for us.
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
