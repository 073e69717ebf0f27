"""The till's day: X report at any time, Z report (dagsafslutning) with a blind cash count, cash in/out,
drawer openings, annulled carts, price changes and training mode: each journaled with who and why."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from kiosk.clock import Clock
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry, Person, Product, Sale
from kiosk.domain.chain_head import ChainHead
from kiosk.domain.money import vat_included
from kiosk.domain.products import MAX_PRICE_ORE  # the Varer form's and the import's bound, for a price change too
from kiosk.domain.reports import CashMovement, DayReport, SaleFigures, build_report, counted_total
from kiosk.domain.roles import LEADER_ROLES
from kiosk.domain.text import check_text
from kiosk.errors import DomainError
from kiosk.i18n import L_
from kiosk.services.records import clock_guard, journal
from kiosk.services.sales.counters import current_value, next_value

Z_COUNTER = "z_report"
SUPERVISORS = LEADER_ROLES  # who approves the till's leader actions (the screens use this name)


@dataclass(frozen=True)
class ZResult:
    z_number: int
    report: DayReport
    counted_ore: int
    difference_ore: int  # counted - expected: positive = more in the drawer than expected
    chain: ChainHead | None = None  # the journal's head with the Z entry: printed on the Z as its paper anchor


class Till:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings, clock: Clock) -> None:
        self._sessions = sessions
        self._kiosk = settings.kiosk.id
        self._clock = clock

    # -- events that belong to no sale ------------------------------------------------------------
    def _event(self, kind: str, person_id: uuid.UUID, **payload: Any) -> None:
        with unit_of_work(self._sessions) as s:
            if s.get(Person, person_id) is None:
                raise DomainError(user_message=L_("Ukendt medarbejder – log ind igen"))
            journal.append(s, kiosk_id=self._kiosk, kind=kind, at=self._clock(), payload=payload, person_id=person_id)

    def drawer_opened(self, person_id: uuid.UUID, reason: str) -> None:
        if not check_text(reason).strip():
            raise DomainError(user_message=L_("Skriv hvorfor"))
        self._event("drawer_open", person_id, reason=reason.strip())

    def annulled(self, person_id: uuid.UUID, lines: list[dict[str, Any]], total_ore: int, reason: str) -> None:
        self._event("annulment", person_id, lines=lines, total_ore=total_ore, reason=reason)

    def line_reduced(self, person_id: uuid.UUID, line: dict[str, Any], before: int, after: int) -> None:
        """A cart line lowered (after > 0) or taken off (after == 0) before payment."""
        self._event("cart_line_reduced", person_id, line=line, quantity_before=before, quantity_after=after)

    def receipt_declined(self, person_id: uuid.UUID, sale_id: uuid.UUID) -> None:
        with unit_of_work(self._sessions) as s:
            journal.append(
                s, kiosk_id=self._kiosk, kind="receipt_declined", at=self._clock(), person_id=person_id, sale_id=sale_id
            )

    def cash_movement(self, person_id: uuid.UUID, kind: str, amount_ore: int, reason: str) -> None:
        if kind not in ("cash_in", "cash_out") or amount_ore <= 0:
            raise DomainError(user_message=L_("Beløbet skal være over 0"))
        if not check_text(reason).strip():
            raise DomainError(user_message=L_("Skriv hvorfor"))
        self._event(kind, person_id, amount_ore=amount_ore, reason=reason.strip())

    def training(self, person_id: uuid.UUID, on: bool) -> None:
        self._require_supervisor(person_id)
        self._event("training_on" if on else "training_off", person_id)

    def change_price(self, person_id: uuid.UUID, product_id: uuid.UUID, new_price_ore: int, reason: str) -> None:
        self._require_supervisor(person_id)
        if new_price_ore < 0:
            raise DomainError(user_message=L_("Prisen kan ikke være negativ"))
        if new_price_ore > MAX_PRICE_ORE:
            raise DomainError(user_message=L_("Prisen er for høj – højst 3.000 kr. Tjek beløbet"))
        if not check_text(reason).strip():
            raise DomainError(user_message=L_("Skriv hvorfor"))
        with unit_of_work(self._sessions) as s:
            product = s.get(Product, product_id)
            if product is None:
                raise DomainError(user_message=L_("Varen findes ikke"))
            old = product.price_ore
            product.price_ore = new_price_ore
            journal.append(
                s,
                kiosk_id=self._kiosk,
                kind="price_change",
                at=self._clock(),
                person_id=person_id,
                payload={"product": product.name, "old_ore": old, "new_ore": new_price_ore, "reason": reason},
            )

    def _require_supervisor(self, person_id: uuid.UUID) -> None:
        with unit_of_work(self._sessions) as s:
            p = s.get(Person, person_id)
            if p is None or p.role not in LEADER_ROLES:
                raise DomainError(user_message=L_("Det kræver en ansvarlig"))

    # -- reports ------------------------------------------------------------------------------------
    def x_report(self) -> DayReport:
        with unit_of_work(self._sessions) as s:
            return self._report(s)

    def take_x_report(self, person_id: uuid.UUID) -> DayReport:
        """The X report a person asked for (to print): journaled with who and the running totals."""
        with unit_of_work(self._sessions) as s:
            if s.get(Person, person_id) is None:
                raise DomainError(user_message=L_("Ukendt medarbejder – log ind igen"))
            report = self._report(s)
            payload = {
                "sales_count": report.sales_count,
                "refunds_count": report.refunds_count,
                "gross_ore": report.gross_ore,
                "refunds_ore": report.refunds_ore,
                "net_ore": report.net_ore,
                "by_method": report.by_method,
                "expected_cash_ore": report.expected_cash_ore,
            }
            journal.append(
                s, kiosk_id=self._kiosk, kind="x_report", at=self._clock(), payload=payload, person_id=person_id
            )
            return report

    def close_day(self, supervisor_id: uuid.UUID, counts: dict[int, int], float_left_ore: int = 0) -> ZResult:
        """Z report: totals since the last Z, the blind count against the expected cash, and a new Z number."""
        try:
            counted = counted_total(counts)
        except ValueError as exc:
            raise DomainError(user_message=L_("Optællingen er forkert")) from exc
        if not 0 <= float_left_ore <= counted:
            raise DomainError(user_message=L_("Byttepengene til i morgen kan ikke være mere end der er talt"))
        now = self._clock()
        with unit_of_work(self._sessions) as s:
            clock_guard.guard(s, now)  # a Z dated before the sales it closes would lie about the day
            supervisor = s.get(Person, supervisor_id)
            if supervisor is None or supervisor.role not in LEADER_ROLES:
                raise DomainError(user_message=L_("Dagsafslutning kræver en ansvarlig"))
            report = self._report(s)
            z = next_value(s, Z_COUNTER)
            for sale in s.scalars(select(Sale).where(Sale.z_number.is_(None), Sale.kiosk_id == self._kiosk)):
                sale.z_number = z
            result = ZResult(z, report, counted, counted - report.expected_cash_ore)
            entry = journal.append(
                s,
                kiosk_id=self._kiosk,
                kind="z_report",
                at=now,
                person_id=supervisor_id,
                payload=z_payload(result, counts, float_left_ore),
            )
            return replace(result, chain=journal.head_of(s, entry))

    def last_z_number(self) -> int:
        with unit_of_work(self._sessions) as s:
            return current_value(s, Z_COUNTER)

    def _report(self, s: Session) -> DayReport:
        last_z = s.scalar(
            select(JournalEntry)
            .where(JournalEntry.kiosk_id == self._kiosk, JournalEntry.kind == "z_report")
            .order_by(JournalEntry.seq.desc())
            .limit(1)
        )
        since = last_z.seq if last_z else 0
        opening = int(json.loads(last_z.payload).get("float_left_ore", 0)) if last_z else 0
        events = s.scalars(
            select(JournalEntry).where(
                JournalEntry.kiosk_id == self._kiosk,
                JournalEntry.seq > since,
                JournalEntry.kind.in_(("cash_in", "cash_out", "annulment", "drawer_open")),
            )
        ).all()
        movements = [
            CashMovement(e.kind, int(p["amount_ore"]), str(p["reason"]))
            for e in events
            if e.kind in ("cash_in", "cash_out")
            for p in [json.loads(e.payload)]
        ]
        sales = s.scalars(
            select(Sale)
            .where(Sale.z_number.is_(None), Sale.kiosk_id == self._kiosk)
            .options(selectinload(Sale.lines), selectinload(Sale.tenders), selectinload(Sale.seller))
        ).all()
        report = build_report(
            [_figures(sale) for sale in sales],
            movements,
            opening_float_ore=opening,
            annulments=sum(1 for e in events if e.kind == "annulment"),
            drawer_openings=sum(1 for e in events if e.kind == "drawer_open"),
        )
        report.seller_names = {str(sale.seller_id): sale.seller.name for sale in sales}
        return report


def _figures(sale: Sale) -> SaleFigures:
    per_rate: dict[int, int] = {}
    for ln in sale.lines:
        per_rate[ln.vat_rate_bp] = per_rate.get(ln.vat_rate_bp, 0) + ln.total_ore
    return SaleFigures(
        kind=sale.kind,
        training=sale.training,
        seller=str(sale.seller_id),
        total_ore=sale.total_ore,
        rounding_ore=sale.rounding_ore,
        lines=tuple((ln.category, ln.vat_rate_bp, ln.total_ore) for ln in sale.lines),
        vat_by_rate=tuple((rate, vat_included(total, rate)) for rate, total in sorted(per_rate.items())),
        tenders=tuple((t.method, t.amount_ore) for t in sale.tenders),
    )


def z_payload(z: ZResult, counts: dict[int, int], float_left_ore: int) -> dict[str, Any]:
    r = z.report
    return {
        "z_number": z.z_number,
        "sales_count": r.sales_count,
        "refunds_count": r.refunds_count,
        "training_count": r.training_count,
        "annulments_count": r.annulments_count,
        "gross_ore": r.gross_ore,
        "refunds_ore": r.refunds_ore,
        "net_ore": r.net_ore,
        "rounding_ore": r.rounding_ore,
        "by_method": r.by_method,
        "by_seller": r.by_seller,
        "by_category": r.by_category,
        "vat_by_rate": {str(k): v for k, v in r.vat_by_rate.items()},
        "opening_float_ore": r.opening_float_ore,
        "expected_cash_ore": r.expected_cash_ore,
        "counted_ore": z.counted_ore,
        "difference_ore": z.difference_ore,
        "counts": {str(k): v for k, v in sorted(counts.items())},
        "float_left_ore": float_left_ore,
    }
