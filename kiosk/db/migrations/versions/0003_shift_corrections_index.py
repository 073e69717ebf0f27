"""index on shifts.corrects_id: whether a record was corrected is asked for every shift in hour sheets and reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:00:00
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_shifts_corrects", "shifts", ["corrects_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_shifts_corrects", table_name="shifts")
