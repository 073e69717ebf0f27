"""Several kiosks: the server keeps each kiosk's signed journal as it arrives and checks it (sequence, hash chain,
Ed25519 signature against the key pinned at `kiosk fleet join` or at its first sight); a break is kept on the kiosk's
row for a person; on the kiosk, an index to count the waiting sales by

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain nullable columns (ALTER TABLE ADD COLUMN): no table rebuild; empty means "not known yet" / "whole".
    # The home screen's "N salg venter" counts the kiosk's outbox: from this small index, not by reading every
    # waiting sale's payload (10,000 after a long outage: megabytes, each time the screen asks).
    op.create_index("ix_sync_outbox_receipt_no", "sync_outbox", ["receipt_no"])
    op.add_column("fleet_kiosks", sa.Column("journal_key", sa.String(length=64), nullable=True))
    op.add_column("fleet_kiosks", sa.Column("journal_key_seq", sa.Integer(), nullable=True))
    op.add_column("fleet_kiosks", sa.Column("journal_problem", sa.Text(), nullable=True))
    op.create_table(
        "fleet_journal",
        sa.Column("kiosk_no", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["kiosk_no"], ["fleet_kiosks.number"], name=op.f("fk_fleet_journal_kiosk_no_fleet_kiosks")
        ),
        sa.PrimaryKeyConstraint("kiosk_no", "seq", name=op.f("pk_fleet_journal")),
    )


def downgrade() -> None:
    op.drop_table("fleet_journal")
    with op.batch_alter_table("fleet_kiosks") as batch:
        batch.drop_column("journal_problem")
        batch.drop_column("journal_key_seq")
        batch.drop_column("journal_key")
    op.drop_index("ix_sync_outbox_receipt_no", table_name="sync_outbox")
