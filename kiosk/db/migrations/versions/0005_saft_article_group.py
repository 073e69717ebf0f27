"""SAF-T article group (code list 04) on categories and products: a product's own overrides its category's; with
neither, the export's default table picks one from the category's name (kiosk.domain.saft_groups)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns (ALTER TABLE ADD COLUMN): no table rebuild, empty means "not set".
    op.add_column("categories", sa.Column("saft_group", sa.String(length=5), nullable=True))
    op.add_column("products", sa.Column("saft_group", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.drop_column("saft_group")
    with op.batch_alter_table("categories") as batch:
        batch.drop_column("saft_group")
