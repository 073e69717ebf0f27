"""journal entries signed with the kiosk's Ed25519 key (the key in a file outside the database)

The ``signature`` column has been in the journal table since 0001, left empty.  From this revision on every entry
is signed when it is written (kiosk.services.records.journal_key), so the revision changes no table: it marks the
database as holding a signed journal.  A build that does not sign does not know 0004 and refuses the database,
rather than appending unsigned entries that would break `kiosk journal verify`.  A journal kept unsigned before
gets the key in a ``journal_key`` entry when the kiosk next opens it (that needs the key file, which a migration
does not have).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00
"""

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # the column exists since 0001; what changes is that it is filled (see above)


def downgrade() -> None:
    pass  # signatures already written stay: they are part of the append-only journal
