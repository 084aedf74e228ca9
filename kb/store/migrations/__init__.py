"""Alembic migrations of the knowledge-base schema; run by :func:`kb.store.schema.ensure_schema`."""
