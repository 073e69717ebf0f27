"""Several kiosks: the kiosk's outbox of sales waiting for the server; on the server the enrolled kiosks, their
sales (each once), conflicts for a person, and the change log kiosks pull by number (PostgreSQL triggers)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, entity, the column naming the entity): a barcode or a sign-up changes its product's or job's row
WATCHED = (
    ("categories", "category", "id"),
    ("products", "product", "id"),
    ("barcodes", "product", "product_id"),
    ("people", "person", "id"),
    ("jobs", "job", "id"),
    ("signups", "job", "job_id"),
)
LOCK = 7316016  # pg_advisory_xact_lock key: change numbers are taken in commit order


def upgrade() -> None:
    op.create_table(
        "sync_outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("receipt_no", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_outbox")),
        sa.UniqueConstraint("sale_id", name=op.f("uq_sync_outbox_sale_id")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "fleet_kiosks",
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state IN ('invited', 'joined', 'cloned')", name=op.f("ck_fleet_kiosks_state_known")),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_fleet_kiosks")),
        sa.UniqueConstraint("name", name=op.f("uq_fleet_kiosks_name")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_fleet_kiosks_code_hash")),
    )
    op.create_table(
        "fleet_sales",
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("kiosk_no", sa.Integer(), nullable=False),
        sa.Column("receipt_no", sa.Integer(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["kiosk_no"], ["fleet_kiosks.number"], name=op.f("fk_fleet_sales_kiosk_no_fleet_kiosks")
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_fleet_sales")),
        sa.UniqueConstraint("kiosk_no", "receipt_no", name="uq_fleet_sales_kiosk_receipt"),
    )
    op.create_table(
        "fleet_conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kiosk_no", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.Uuid(), nullable=False),
        sa.Column("receipt_no", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fleet_conflicts")),
    )
    op.create_table(
        "fleet_changes",
        sa.Column("change_no", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("change_no", name=op.f("pk_fleet_changes")),
    )
    op.create_index("ix_fleet_changes_entity", "fleet_changes", ["entity", "entity_id"])
    if op.get_bind().dialect.name != "postgresql":
        return  # a kiosk's SQLite only sends and receives; the change log is the server's
    op.execute("CREATE SEQUENCE fleet_change_no")
    # The advisory lock is held to commit: a later change number is never visible before an earlier one, so a kiosk
    # that has applied up to N never misses a change numbered below N that committed late.
    op.execute(
        "CREATE FUNCTION fleet_note_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN "
        f"PERFORM pg_advisory_xact_lock({LOCK}); "
        "INSERT INTO fleet_changes (change_no, entity, entity_id) VALUES (nextval('fleet_change_no'), TG_ARGV[0], "
        "COALESCE(to_jsonb(NEW), to_jsonb(OLD)) ->> TG_ARGV[1]); "
        "RETURN NULL; "
        "END $$"
    )
    for table, entity, column in WATCHED:
        op.execute(
            f"CREATE TRIGGER fleet_{table}_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION fleet_note_change('{entity}', '{column}')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, _entity, _column in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS fleet_{table}_changed ON {table}")
        op.execute("DROP FUNCTION IF EXISTS fleet_note_change")
        op.execute("DROP SEQUENCE IF EXISTS fleet_change_no")
    op.drop_index("ix_fleet_changes_entity", table_name="fleet_changes")
    for table in ("fleet_changes", "fleet_conflicts", "fleet_sales", "fleet_kiosks", "sync_outbox"):
        op.drop_table(table)
