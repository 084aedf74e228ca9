"""Create or upgrade the database schema with Alembic (kb/store/migrations).

``ensure_schema`` runs ``alembic upgrade head`` from code, configured here rather than in an
alembic.ini, so an installed seckb upgrades an existing database in place on its next build.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The revision whose tables a database made by the pre-Alembic create_all() already has.
BASELINE_REVISION = "0001"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "kb/store/migrations has no revisions"
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def ensure_schema(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op when it is already there."""
    with engine.begin() as conn:
        revision = current_revision(conn)
        if revision == head_revision():
            return  # the common case: skip loading the migration scripts' environment
        config = alembic_config(conn)
        if revision is None and inspect(conn).has_table("provisions"):
            # Built before migrations existed: its tables are the baseline's, so record that
            # instead of trying to create them again.
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, "head")
