"""Checkout: one transaction stores the sale, its lines and tenders, takes the next receipt number and journals
the same data the receipt shows.  Printing happens afterwards, off the UI thread: a paid sale never waits for paper."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

import kiosk.services.sales.storage as storage
from kiosk.clock import LOCAL_TZ, Clock, to_local
from kiosk.config import Settings
from kiosk.db.base import new_id
from kiosk.db.engine import bound_engine, unit_of_work
from kiosk.db.models import Person, Sale, SaleLine, Tender
from kiosk.db.prepared import Prepared, RawWrite, write_transaction
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.domain.receipt import Receipt, ReceiptLine, ReceiptTender, receipt_payload, sale_id_from_token
from kiosk.domain.roles import LEADER_ROLES
from kiosk.domain.stored_sale import StoredLine, StoredSale, StoredTender
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.records import clock_guard, journal
from kiosk.services.sales.counters import bump, next_value

RECEIPT_COUNTER = "receipt"
Outbox = Callable[[Session | RawWrite, Sale | StoredSale], None]  # kiosk.services.fleet's enqueue

# The checkout's statements, built once and compiled once per database kind (kiosk.db.prepared).  What must hold
# before anything is written is read in one SELECT: the clock guard's mark, the seller's name (NULL when unknown or
# no longer active), the journal's head.
_STATE = Prepared(
    select(
        clock_guard.mark_column(),
        select(Person.name).where(Person.id == bindparam("seller_id"), Person.active).scalar_subquery().label("seller"),
        *journal.head_columns(bindparam("kiosk_id")),
    )
)
_INSERT_SALE = Prepared(insert(Sale))
_INSERT_LINES = Prepared(insert(SaleLine))
_INSERT_TENDERS = Prepared(insert(Tender))


@dataclass(frozen=True)
class CheckoutResult:
    sale_id: uuid.UUID
    receipt: Receipt


@dataclass(frozen=True)
class SaleSummary:
    """One line of "Dagens køb" on the refund screen."""

    sale_id: uuid.UUID
    number: int | None
    created_at: datetime
    total_ore: int
    methods: tuple[str, ...]
    training: bool


def _first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


class Sales:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings, clock: Clock) -> None:
        self._sessions = sessions
        self._engine = bound_engine(sessions)  # the money path's transaction is on the engine's own connection
        self._settings = settings
        self._clock = clock
        self.min_free_bytes = settings.kiosk.min_free_mb * storage.MB  # Betal refuses below this (ensure_room)
        self._series = ""  # several kiosks: this kiosk's number in front of its receipt numbers ("2-000123")
        self._outbox: Outbox | None = None

    def use_fleet(self, series: str, outbox: Outbox | None) -> None:
        """Several kiosks (kiosk.services.fleet): receipts carry the series, and each sale and refund also goes
        into the outbox in its own transaction, so the server gets it once the link is there (a checkout hands
        the outbox its Core connection and the stored values; a refund its session and ORM sale)."""
        self._series, self._outbox = series, outbox

    def use_settings(self, settings: Settings) -> None:
        """The shop changed (name, address, CVR on the receipt): the next receipt says so."""
        self._settings = settings

    def ensure_room(self) -> None:
        """Before the money is taken: DiskFullError when the database's disk is below `[kiosk] min_free_mb`,
        ClockWrongError when the clock is behind the journal (the sale could not be stored either way)."""
        storage.ensure_room(storage.database_dir(self._settings), self.min_free_bytes)
        with unit_of_work(self._sessions) as s:
            clock_guard.check(s, self._clock())

    def checkout(self, cart: Cart, payment: Payment, seller_id: uuid.UUID, *, training: bool = False) -> CheckoutResult:
        """The money path, in one transaction and as few statements as it can be, each built with SQLAlchemy Core
        and run on the driver's cursor (kiosk.db.prepared: no ORM objects, no flush graph, no per-statement
        machinery): one SELECT for what must be checked first (the clock's mark, the seller, the journal's head),
        the mark raised, the receipt number taken, then the sale, its lines, its tenders, the signed journal entry
        and (several kiosks) the outbox row inserted; COMMIT.  The rows are the ones the ORM would write: refunds,
        reports, `journal verify` and the restore's integrity check read them alike."""
        if cart.empty:
            raise DomainError(user_message=L_("Kurven er tom"))
        if payment.total_ore != cart.total_ore or not payment.done:
            raise DomainError(user_message=L_("Købet er ikke betalt endnu"))
        now = self._clock()
        kiosk_id = self._settings.kiosk.id
        # BEGIN IMMEDIATE (SQLite): the write lock is this transaction's from here on
        with write_transaction(self._engine, full_message=storage.SALE_NOT_STORED) as w:
            journal.take_turn(w, kiosk_id)
            mark, seller, journal_seq, journal_hash = w.one(_STATE, {"seller_id": seller_id, "kiosk_id": kiosk_id})
            # never a sale stamped before what the journal holds (a clock set back): refused before any write
            clock_guard.guard_row(w, now, mark)
            if seller is None:
                raise DomainError(user_message=L_("Sælgeren findes ikke – log ind igen"))
            sale = _stored_sale(
                kiosk_id, cart, payment, seller_id, now, None if training else bump(w, RECEIPT_COUNTER), training
            )
            w.execute(_INSERT_SALE, sale.sale_row())
            w.many(_INSERT_LINES, [{"id": new_id(), **row} for row in sale.line_rows()])
            w.many(_INSERT_TENDERS, [{"id": new_id(), **row} for row in sale.tender_rows()])
            receipt = self._receipt(sale, seller)
            journal.append_row(
                w,
                (journal_seq, journal_hash),
                kiosk_id=kiosk_id,
                kind="training_sale" if training else "sale",
                at=now,
                payload=receipt.as_journal(),
                person_id=seller_id,
                sale_id=sale.id,
            )
            if self._outbox is not None:
                self._outbox(w, sale)
            return CheckoutResult(sale.id, receipt)

    def find_by_token(self, token: str) -> uuid.UUID:
        """The sale a scanned receipt code (HK1:R:<token>) names."""
        sale_id = sale_id_from_token(token)
        with unit_of_work(self._sessions) as s:
            if sale_id is None or s.get(Sale, sale_id) is None:
                raise DomainError(user_message=L_("Kvitteringen findes ikke"))
            return sale_id

    def todays_sales(self) -> list[SaleSummary]:
        """Today's sales (shop-local day), newest first: refunds are not themselves refundable, so left out."""
        day = to_local(self._clock()).date()
        start, end = (datetime.combine(d, time(0), tzinfo=LOCAL_TZ) for d in (day, day + timedelta(days=1)))
        with unit_of_work(self._sessions) as s:
            rows = s.scalars(
                select(Sale)
                .where(Sale.kind == "sale", Sale.created_at >= start, Sale.created_at < end)
                .order_by(Sale.created_at.desc())
                .options(selectinload(Sale.tenders))
            )
            return [
                SaleSummary(
                    sale.id,
                    sale.receipt_no,
                    sale.created_at,
                    sale.total_ore,
                    tuple(t.method for t in sale.tenders),
                    sale.training,
                )
                for sale in rows
            ]

    def find_by_number(self, number: int) -> uuid.UUID:
        with unit_of_work(self._sessions) as s:
            sale_id = s.scalar(select(Sale.id).where(Sale.receipt_no == number))
            if sale_id is None:
                raise DomainError(user_message=L_("Kvittering nr. {number} findes ikke", number=number))
            return sale_id

    def refundable(self, sale_id: uuid.UUID) -> dict[int, int]:
        """Position -> quantity still refundable (earlier refunds of the same sale subtracted)."""
        with unit_of_work(self._sessions) as s:
            return self._refundable(s, sale_id)

    def _refundable(self, s: Session, sale_id: uuid.UUID) -> dict[int, int]:
        sale = s.get(Sale, sale_id)
        if sale is None or sale.kind != "sale":
            raise DomainError(user_message=L_("Kun et køb kan gives retur"))
        left = {ln.position: ln.quantity for ln in sale.lines}
        refunds = s.scalars(select(Sale).where(Sale.original_sale_id == sale_id).options(selectinload(Sale.lines)))
        for refund in refunds:
            for ln in refund.lines:
                left[ln.position] = left.get(ln.position, 0) + ln.quantity  # refund quantities are negative
        return left

    def refund(
        self,
        original_id: uuid.UUID,
        quantities: dict[int, int],
        payment_method: str,
        seller_id: uuid.UUID,
        approved_by_id: uuid.UUID,
        *,
        reference: str | None = None,
        training: bool = False,
    ) -> CheckoutResult:
        """A credit sale with negative amounts naming the original; `quantities` maps line position -> pieces."""
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            clock_guard.guard(s, now)
            original = s.get(Sale, original_id)
            approver = s.get(Person, approved_by_id)
            seller = s.get(Person, seller_id)
            if original is None or seller is None:
                raise DomainError(user_message=L_("Kvitteringen findes ikke"))
            if approver is None or approver.role not in LEADER_ROLES:
                raise DomainError(user_message=L_("Retur skal godkendes af en ansvarlig"))
            left = self._refundable(s, original_id)
            wanted = {pos: qty for pos, qty in quantities.items() if qty > 0}
            if not wanted:
                raise DomainError(user_message=L_("Vælg mindst én vare"))
            for pos, qty in wanted.items():
                if qty > left.get(pos, 0):
                    raise DomainError(user_message=L_("Der kan ikke gives mere retur end der blev købt"))
            cart = Cart()
            by_pos = {ln.position: ln for ln in original.lines}
            for pos, qty in sorted(wanted.items()):
                ln = by_pos[pos]
                cart.lines.append(
                    CartLine(ln.product_id, ln.name, ln.unit_price_ore, ln.vat_rate_bp, ln.category, -qty)
                )
            payment = Payment(cart.total_ore)
            if payment_method == "cash":
                payment.pay_cash(0)
            else:
                payment.pay_electronic(payment_method, reference=reference)  # type: ignore[arg-type]
            number = None if training or original.training else next_value(s, RECEIPT_COUNTER)
            sale = Sale(
                kiosk_id=self._settings.kiosk.id,
                kind="refund",
                receipt_no=number,
                training=training or original.training,
                seller_id=seller.id,
                original_sale_id=original.id,
                created_at=now,
                total_ore=cart.total_ore,
                vat_ore=cart.vat_ore,
                rounding_ore=payment.rounding_ore,
                lines=[_sale_line(pos, line) for pos, line in zip(sorted(wanted), cart.lines, strict=True)],
                tenders=[
                    Tender(method=t.method, amount_ore=t.amount_ore, received_ore=t.received_ore, reference=t.reference)
                    for t in payment.tenders
                ],
            )
            s.add(sale)
            s.flush()
            receipt = self._receipt(sale, seller.name, original_number=original.receipt_no)
            payload = receipt.as_journal() | {"approved_by": str(approver.id)}
            journal.append(
                s,
                kiosk_id=self._settings.kiosk.id,
                kind="training_refund" if sale.training else "refund",
                at=now,
                payload=payload,
                person_id=seller.id,
                sale_id=sale.id,
            )
            if self._outbox is not None:
                self._outbox(s, sale)
            return CheckoutResult(sale.id, receipt)

    def receipt(self, sale_id: uuid.UUID, *, copy: bool = False, by: uuid.UUID | None = None) -> Receipt:
        """Rebuild a stored sale's receipt.  A copy ("Udskriv igen", marked KOPI) is journaled as
        ``receipt_copy`` (§ 65: copies are counted on the Z report and in SAF-T), with who asked when known."""
        with unit_of_work(self._sessions) as s:
            sale = s.scalar(
                select(Sale)
                .where(Sale.id == sale_id)
                .options(selectinload(Sale.lines), selectinload(Sale.tenders), selectinload(Sale.seller))
            )
            if sale is None:
                raise DomainError(user_message=L_("Kvitteringen findes ikke"))
            original = s.get(Sale, sale.original_sale_id) if sale.original_sale_id else None
            if copy:
                journal.append(
                    s,
                    kiosk_id=self._settings.kiosk.id,
                    kind="receipt_copy",
                    at=self._clock(),
                    payload={"receipt_no": sale.receipt_no, "total_ore": sale.total_ore, "training": sale.training},
                    person_id=by,
                    sale_id=sale.id,
                )
            return self._receipt(
                sale, sale.seller.name, copy=copy, original_number=original.receipt_no if original else None
            )

    def _receipt(
        self, sale: Sale | StoredSale, seller_name: str, *, copy: bool = False, original_number: int | None = None
    ) -> Receipt:
        shop = self._settings.shop
        return Receipt(
            shop_name=shop.name,
            shop_address=shop.address,
            cvr=shop.cvr,
            kind=sale.kind,
            number=sale.receipt_no,
            issued_at=sale.created_at,
            seller_first_name=_first_name(seller_name),
            lines=tuple(
                ReceiptLine(ln.name, ln.quantity, ln.unit_price_ore, ln.total_ore, ln.vat_rate_bp) for ln in sale.lines
            ),
            total_ore=sale.total_ore,
            vat_ore=sale.vat_ore,
            rounding_ore=sale.rounding_ore,
            tenders=tuple(
                ReceiptTender(t.method, t.amount_ore, t.received_ore, t.change_ore, t.reference) for t in sale.tenders
            ),
            training=sale.training,
            original_number=original_number,
            qr_url=self._settings.receipt_qr,  # "" while it is an example address: no QR
            copy=copy,
            code=receipt_payload(sale.id) if sale.kind == "sale" else "",
            series=self._series,
        )


def _stored_sale(
    kiosk_id: str,
    cart: Cart,
    payment: Payment,
    seller_id: uuid.UUID,
    now: datetime,
    number: int | None,
    training: bool,
) -> StoredSale:
    return StoredSale(
        id=new_id(),
        kiosk_id=kiosk_id,
        kind="sale",
        receipt_no=number,
        training=training,
        seller_id=seller_id,
        original_sale_id=None,
        created_at=now,
        total_ore=cart.total_ore,
        vat_ore=cart.vat_ore,
        rounding_ore=payment.rounding_ore,
        lines=tuple(
            StoredLine(
                i,
                line.product_id,
                line.name,
                line.category,
                line.quantity,
                line.unit_price_ore,
                line.vat_rate_bp,
                line.total_ore,
            )
            for i, line in enumerate(cart.lines)
        ),
        tenders=tuple(
            StoredTender(t.method, t.amount_ore, t.received_ore, t.change_ore, t.reference) for t in payment.tenders
        ),
    )


def _sale_line(position: int, line: CartLine) -> SaleLine:
    """A cart line as stored (a refund's lines carry the original's positions and negative quantities)."""
    return SaleLine(
        position=position,
        product_id=line.product_id,
        name=line.name,
        category=line.category,
        quantity=line.quantity,
        unit_price_ore=line.unit_price_ore,
        vat_rate_bp=line.vat_rate_bp,
        total_ore=line.total_ore,
    )
