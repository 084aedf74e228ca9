"""Rule timelines: commencement of Acts, creation of States/UTs, and each rule version's stage.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jurisdictions") as batch:
        batch.add_column(sa.Column("created_on", sa.Date(), nullable=True))
    with op.batch_alter_table("acts") as batch:
        batch.add_column(sa.Column("commenced_on", sa.Date(), nullable=True))
    with op.batch_alter_table("rules") as batch:
        batch.add_column(sa.Column("stage", sa.String(length=32), nullable=False, server_default="notified/commenced"))
        batch.add_column(sa.Column("stage_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("judgment", sa.String(length=120), nullable=True))
        batch.add_column(sa.Column("earlier", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("source_grade", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("evidence_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rules") as batch:
        for name in ("evidence_on", "source_grade", "earlier", "judgment", "stage_date", "stage"):
            batch.drop_column(name)
    with op.batch_alter_table("acts") as batch:
        batch.drop_column("commenced_on")
    with op.batch_alter_table("jurisdictions") as batch:
        batch.drop_column("created_on")
