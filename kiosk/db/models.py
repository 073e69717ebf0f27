"""Tables.  Money in integer øre, times in UTC, ids UUIDs (unique across kiosks)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.clock import utc_now
from kiosk.db.base import Base, UTCDateTime, new_id

ROLES = ("worker", "supervisor", "admin", "resident")
TENDER_METHODS = ("cash", "card", "mobilepay")
SALE_KINDS = ("sale", "refund")
SIGNUP_STATUSES = ("signed_up", "waitlist", "cancelled", "checked_in", "completed", "no_show")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Category(Base):
    __tablename__ = "categories"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str] = mapped_column(String(9), default="#2E7D32")  # tile colour when a product has no photo
    # SAF-T article group (code list 04, kiosk.domain.saft_groups) for its products; None: the default table (0005)
    saft_group: Mapped[str | None] = mapped_column(String(5), default=None)

    products: Mapped[list[Product]] = relationship(back_populates="category")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("price_ore >= 0", name="price_not_negative"),
        CheckConstraint("vat_rate_bp >= 0 AND vat_rate_bp <= 10000", name="vat_rate_range"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("categories.id"))
    price_ore: Mapped[int] = mapped_column(Integer)  # VAT included
    vat_rate_bp: Mapped[int] = mapped_column(Integer, default=2500)  # basis points: 2500 = 25 %
    image: Mapped[str | None] = mapped_column(String(255), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    saft_group: Mapped[str | None] = mapped_column(String(5), default=None)  # overrides the category's (0005)

    category: Mapped[Category] = relationship(back_populates="products")
    barcodes: Mapped[list[Barcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="Barcode.created_at"
    )


class Barcode(Base):
    """A product may carry several barcodes (staff attach unknown ones at the counter)."""

    __tablename__ = "barcodes"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    product: Mapped[Product] = relationship(back_populates="barcodes")


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    # An unguessable token printed as the badge QR; reissuing replaces it, so the old badge stops working.
    badge_token: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    pin_hash: Mapped[str | None] = mapped_column(String(200), default=None)
    photo: Mapped[str | None] = mapped_column(String(255), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Counter(Base):
    """Gapless sequences (receipt numbers, Z numbers), bumped inside the transaction that uses the number."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Sale(Base):
    __tablename__ = "sales"
    __table_args__ = (
        CheckConstraint(_in("kind", SALE_KINDS), name="kind_known"),
        UniqueConstraint("receipt_no", name="uq_sales_receipt_no"),
        Index("ix_sales_created_at", "created_at"),
        # The X/Z reports read "not yet closed" sales: without this, five years of sales are scanned each time.
        Index("ix_sales_kiosk_z", "kiosk_id", "z_number"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8), default="sale")
    receipt_no: Mapped[int | None] = mapped_column(Integer, default=None)  # None for training receipts
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    seller_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    original_sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    total_ore: Mapped[int] = mapped_column(Integer)  # negative for refunds
    vat_ore: Mapped[int] = mapped_column(Integer)
    rounding_ore: Mapped[int] = mapped_column(Integer, default=0)  # øreafrunding on cash
    z_number: Mapped[int | None] = mapped_column(Integer, default=None)  # set by the day close that counted it

    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", cascade="all, delete-orphan", order_by="SaleLine.position"
    )
    tenders: Mapped[list[Tender]] = relationship(back_populates="sale", cascade="all, delete-orphan")
    seller: Mapped[Person] = relationship()


class SaleLine(Base):
    __tablename__ = "sale_lines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), default=None)
    name: Mapped[str] = mapped_column(String(120))  # as sold: later renames don't rewrite history
    category: Mapped[str] = mapped_column(String(80), default="")
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_ore: Mapped[int] = mapped_column(Integer)
    vat_rate_bp: Mapped[int] = mapped_column(Integer)
    total_ore: Mapped[int] = mapped_column(Integer)

    sale: Mapped[Sale] = relationship(back_populates="lines")


class Tender(Base):
    __tablename__ = "tenders"
    __table_args__ = (CheckConstraint(_in("method", TENDER_METHODS), name="method_known"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sale_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sales.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    amount_ore: Mapped[int] = mapped_column(Integer)
    received_ore: Mapped[int | None] = mapped_column(Integer, default=None)  # cash handed over
    change_ore: Mapped[int] = mapped_column(Integer, default=0)
    reference: Mapped[str | None] = mapped_column(String(64), default=None)  # terminal/MobilePay ref, never PAN

    sale: Mapped[Sale] = relationship(back_populates="tenders")


class JournalEntry(Base):
    """Append-only electronic journal (§ 65).  Database triggers refuse UPDATE and DELETE; each entry's hash
    covers the previous entry's hash, so a changed, removed or reordered row breaks the chain; each hash is signed
    with the kiosk's Ed25519 key (a file outside the database), so a rebuilt chain does not verify."""

    __tablename__ = "journal"
    __table_args__ = (
        UniqueConstraint("kiosk_id", "seq", name="uq_journal_kiosk_seq"),
        Index("ix_journal_kiosk_kind_seq", "kiosk_id", "kind", "seq"),  # "the last Z report" in one step
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), default=None)
    sale_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("sales.id"), default=None)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(Text, default=None)  # base64 Ed25519 over the hash (0004)


class Shift(Base):
    """One presence record.  Corrections are new rows pointing at the row they correct (`corrects_id`)."""

    __tablename__ = "shifts"
    __table_args__ = (
        Index("ix_shifts_person_in", "person_id", "check_in_at"),
        Index("ix_shifts_corrects", "corrects_id"),  # "is this record corrected?" for hour sheets and reports
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    check_in_at: Mapped[datetime] = mapped_column(UTCDateTime)
    check_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    source: Mapped[str] = mapped_column(String(16), default="badge")  # badge | pin | self_reported | correction
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    corrects_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shifts.id"), default=None)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), default=None)
    reason: Mapped[str | None] = mapped_column(String(255), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    capacity: Mapped[int] = mapped_column(Integer)
    contact_person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("people.id"), default=None)
    qr_token: Mapped[str] = mapped_column(String(64), unique=True)  # printed on posters and slips
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    signups: Mapped[list[Signup]] = relationship(back_populates="job", order_by="Signup.created_at")


class Signup(Base):
    __tablename__ = "signups"
    __table_args__ = (
        CheckConstraint(_in("status", SIGNUP_STATUSES), name="status_known"),
        Index("ix_signups_job_status", "job_id", "status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    job_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("jobs.id"))
    person_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("people.id"))
    status: Mapped[str] = mapped_column(String(16), default="signed_up")
    token: Mapped[str] = mapped_column(String(64), unique=True)  # confirmation slip QR
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    checked_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    moved_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)  # from waitlist; tell them
    notified: Mapped[bool] = mapped_column(Boolean, default=False)

    job: Mapped[Job] = relationship(back_populates="signups")
    person: Mapped[Person] = relationship()


# --- Several kiosks (kiosk.services.fleet, migration 0006) -------------------------------------------------------


class SyncOutbox(Base):
    """A kiosk's sale waiting for the server: written in the sale's own transaction, deleted only when the server
    has acknowledged it.  AUTOINCREMENT: a number is never reused after a delete, so the queue's order holds."""

    __tablename__ = "sync_outbox"
    __table_args__ = (
        Index("ix_sync_outbox_receipt_no", "receipt_no"),  # "N salg venter" counted from it (0007)
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    receipt_no: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)  # canonical JSON of the sale as stored
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FleetKiosk(Base):
    """On the server: a kiosk enrolled with `kiosk fleet add`; its number is its receipt series."""

    __tablename__ = "fleet_kiosks"
    __table_args__ = (CheckConstraint("state IN ('invited', 'joined', 'cloned')", name="state_known"),)

    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="invited")
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)  # the one-time code, kept to say "used"
    secret_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Its journal (0007): the public key pinned at join or at first sight, the entry that carries it, and the first
    # break the server found (JSON {"code", "seq", ...}; None while the chain is whole).
    journal_key: Mapped[str | None] = mapped_column(String(64), default=None)
    journal_key_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    journal_problem: Mapped[str | None] = mapped_column(Text, default=None)


class FleetJournal(Base):
    """On the server: a kiosk's journal entry as the kiosk signed it, kept only when it follows the last one
    (sequence, hash chain, signature); the fields the hash covers are kept as sent, byte for byte."""

    __tablename__ = "fleet_journal"

    kiosk_no: Mapped[int] = mapped_column(ForeignKey("fleet_kiosks.number"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kiosk_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[str] = mapped_column(String(40))  # the kiosk's ISO text, as hashed
    kind: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[str | None] = mapped_column(String(36), default=None)
    sale_id: Mapped[str | None] = mapped_column(String(36), default=None)
    payload: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str | None] = mapped_column(Text, default=None)


class FleetSale(Base):
    """On the server: each kiosk's sale once (its id, and its kiosk's receipt number), exactly as the kiosk sent it."""

    __tablename__ = "fleet_sales"
    __table_args__ = (UniqueConstraint("kiosk_no", "receipt_no", name="uq_fleet_sales_kiosk_receipt"),)

    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kiosk_no: Mapped[int] = mapped_column(ForeignKey("fleet_kiosks.number"))
    receipt_no: Mapped[int] = mapped_column(Integer)
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FleetConflict(Base):
    """On the server: a sale sent again with a different content, or a receipt number taken twice (a cloned SD
    card).  Kept for a person to look at; the stored sale is never overwritten."""

    __tablename__ = "fleet_conflicts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_no: Mapped[int] = mapped_column(Integer)
    sale_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    receipt_no: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # changed | cloned
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class FleetChange(Base):
    """On the server: one row per changed category, product, person or job, numbered by a PostgreSQL sequence in
    commit order (a trigger, migration 0006).  Kiosks pull what is newer than the last number they applied."""

    __tablename__ = "fleet_changes"
    __table_args__ = (Index("ix_fleet_changes_entity", "entity", "entity_id"),)

    change_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(16))  # category | product | person | job
    entity_id: Mapped[str] = mapped_column(String(64))
