"""Alembic environment for seckb.

seckb runs migrations from code (:func:`kb.store.schema.ensure_schema`), which hands over an
open connection in ``config.attributes["connection"]``; there is no alembic.ini at runtime. The
URL fallback lets a developer still run ``alembic -x url=sqlite:///... revision --autogenerate``
with a throw-away ini that sets ``script_location = kb/store/migrations``.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from kb.store.tables import Base

target_metadata = Base.metadata


def _run(connection) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: pass -x url=... or set sqlalchemy.url")
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
