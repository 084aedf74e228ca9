"""Shared fixtures: the real source documents, and a knowledge base built from them once.

``built_kb`` builds the whole real corpus (../shared/corpus) into a temporary data folder once
per test session. Tests that write to a knowledge base take ``built_kb_copy``. Where
SECKB_TEST_PG_URL names a PostgreSQL database (as .ci/run arranges), ``kb_backend`` runs a test
on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT.parent / "shared" / "corpus"
PG_URL = os.environ.get("SECKB_TEST_PG_URL")


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    if not SOURCES.is_dir():
        pytest.fail(f"the real corpus is expected at {SOURCES}")
    return SOURCES


def _build(data_dir: Path, sources: Path, db_url: str | None = None) -> Path:
    from kb.build import BuildOptions, build_knowledge_base

    build_knowledge_base(BuildOptions(sources_dir=sources, data_dir=data_dir, db_url=db_url))
    return data_dir


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory, sources_dir) -> Path:
    """Data folder of a knowledge base built from the real corpus (SQLite). Read-only for tests."""
    return _build(tmp_path_factory.mktemp("kb") / "data", sources_dir)


@pytest.fixture
def built_kb_copy(built_kb, tmp_path) -> Path:
    """A private copy of ``built_kb`` that a test may change."""
    target = tmp_path / "data"
    shutil.copytree(built_kb, target, symlinks=True)
    return target


def reset_pg(url: str) -> None:
    from sqlalchemy import text

    from kb.store.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def pg_built_kb(tmp_path_factory, sources_dir) -> tuple[Path, str]:
    if not PG_URL:
        pytest.skip("SECKB_TEST_PG_URL is not set (.ci/run starts a PostgreSQL server and sets it)")
    reset_pg(PG_URL)
    data = _build(tmp_path_factory.mktemp("pgkb") / "data", sources_dir, PG_URL)
    return data, PG_URL


@contextmanager
def pg_scratch_schema(prefix: str) -> Iterator[str]:
    """A PostgreSQL schema of its own for one test (the session's build keeps ``public``); dropped after."""
    if not PG_URL:
        pytest.skip("SECKB_TEST_PG_URL is not set")
    from sqlalchemy import create_engine, text

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {name}"))
    try:
        yield name
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def scratch_url(schema: str) -> str:
    """PG_URL with ``schema`` first on the search path."""
    return f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def kb_backend(request, built_kb) -> tuple[Path, str | None]:
    """(data folder, database URL or None) for each backend: run a read-only test on both."""
    if request.param == "sqlite":
        return built_kb, None
    return request.getfixturevalue("pg_built_kb")


@pytest.fixture
def open_kb(kb_backend):
    from kb.knowledge import KnowledgeBase

    data, url = kb_backend
    kb = KnowledgeBase.open(data, url)
    yield kb
    kb.close()
