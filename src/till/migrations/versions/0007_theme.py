"""merchant theme defaults for the hosted checkout

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("merchants", sa.Column("checkout_theme", sa.JSON(), nullable=True))


def downgrade() -> None:
    # A batch rebuilds the table on SQLite versions without DROP COLUMN.
    with op.batch_alter_table("merchants") as batch:
        batch.drop_column("checkout_theme")
