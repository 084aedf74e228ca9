"""Alembic migrations: the initial revision equals the models, and ensure_schema upgrades in place.

Each test runs on SQLite and, where SECKB_TEST_PG_URL is set, on PostgreSQL inside a scratch
schema of its own (so it never touches the database other tests built into ``public``).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import pg_scratch_schema, scratch_url
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine

from kb.store import schema
from kb.store import tables as t
from kb.store.schema import alembic_config, current_revision, ensure_schema, head_revision

MODEL_TABLES = set(t.Base.metadata.tables)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request, tmp_path) -> Engine:
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
        yield engine
        engine.dispose()
        return
    with pg_scratch_schema("mig") as name:
        engine = create_engine(scratch_url(name))
        yield engine
        engine.dispose()


def _diff(engine: Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, t.Base.metadata)


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision(conn)


def test_empty_database_reaches_head_with_the_models_tables(empty_engine):
    ensure_schema(empty_engine)
    assert _revision(empty_engine) == head_revision() == "0002"
    assert set(inspect(empty_engine).get_table_names()) == MODEL_TABLES | {"alembic_version"}
    assert _diff(empty_engine) == []


def test_ensure_schema_twice_is_a_no_op_and_keeps_data(empty_engine):
    ensure_schema(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(t.Meta.__table__.insert().values(key="build_id", value="abc"))
    ensure_schema(empty_engine)
    assert _revision(empty_engine) == head_revision()
    with empty_engine.connect() as conn:
        assert conn.execute(select(t.Meta.value)).scalars().all() == ["abc"]
    assert _diff(empty_engine) == []


def test_database_made_before_migrations_is_adopted_in_place(empty_engine):
    """A knowledge base built with create_all() (no alembic_version) keeps its rows.

    Such a database has the tables of the baseline revision, so it is made here by that revision
    with its alembic_version table dropped (today's models have later columns).
    """
    with empty_engine.begin() as conn:
        command.upgrade(alembic_config(conn), schema.BASELINE_REVISION)
        conn.execute(text("DROP TABLE alembic_version"))
    with empty_engine.begin() as conn:
        conn.execute(t.Meta.__table__.insert().values(key="build_id", value="old"))
    ensure_schema(empty_engine)
    assert _revision(empty_engine) == head_revision()
    with empty_engine.connect() as conn:
        assert conn.execute(select(t.Meta.value)).scalar_one() == "old"


def test_downgrade_to_base_and_up_again(empty_engine):
    ensure_schema(empty_engine)
    with empty_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    ensure_schema(empty_engine)
    assert _diff(empty_engine) == []


_SECOND = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meta") as batch:
        batch.add_column(sa.Column("extra", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("meta") as batch:
        batch.drop_column("extra")
"""


def test_a_later_migration_upgrades_an_existing_database_in_place(empty_engine, tmp_path, monkeypatch):
    """What a future schema change will do to a user's knowledge base: add, keep the rows."""
    ensure_schema(empty_engine)
    with empty_engine.begin() as conn:
        conn.execute(t.Meta.__table__.insert().values(key="built_at", value=dt.date.today().isoformat()))
    scripts = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_extra.py").write_text(_SECOND.replace("{head}", head_revision()))
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", Path(scripts))
    ensure_schema(empty_engine)
    assert _revision(empty_engine) == "9999"
    columns = {c["name"] for c in inspect(empty_engine).get_columns("meta")}
    assert columns == {"key", "value", "extra"}
    with empty_engine.connect() as conn:
        assert conn.execute(text("SELECT key FROM meta")).scalars().all() == ["built_at"]


def test_migrations_ship_as_package_data():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["package-data"]["kb.store.migrations"]
    assert "script.py.mako" in shipped and "versions/*.py" in shipped
    assert (schema.MIGRATIONS_DIR / "script.py.mako").is_file()
    assert (schema.MIGRATIONS_DIR / "env.py").is_file()
