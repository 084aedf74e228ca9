"""Create or upgrade the database schema."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from kb.store.tables import Base


def ensure_schema(engine: Engine) -> None:
    Base.metadata.create_all(engine)
