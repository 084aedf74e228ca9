"""The one place that creates database engines and sessions.

SQLAlchemy is imported where an engine is made, not with this module: a search that never reads the
database (no citation, filters the index already holds) does not pay for its import in a cold CLI.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from kb.errors import SeckbError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session

SQLITE_NAME = "seckb.sqlite"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL; SQLite gets foreign keys and a busy timeout."""
    from sqlalchemy import create_engine, event

    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(engine, "connect", _sqlite_pragmas)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # bad URL, missing driver
        raise SeckbError(f"cannot use database URL: {exc}", field="--db") from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


@contextmanager
def open_session(url_or_engine: str | Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    from sqlalchemy.orm import sessionmaker

    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    factory = sessionmaker(engine, expire_on_commit=False)
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if isinstance(url_or_engine, str):
            engine.dispose()
