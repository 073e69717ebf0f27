"""indexes for X/Z reports on years of history

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:30:00
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index("ix_sales_kiosk_z", ["kiosk_id", "z_number"], unique=False)
    op.create_index("ix_journal_kiosk_kind_seq", "journal", ["kiosk_id", "kind", "seq"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_journal_kiosk_kind_seq", table_name="journal")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_kiosk_z")
