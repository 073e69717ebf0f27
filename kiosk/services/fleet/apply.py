"""The kiosk applies what the server sent: categories, products (prices, barcodes), people (code hashes, badges)
and jobs, each row as the server has it now, in one transaction with the change number reached.  A sale already
stored keeps its own prices: its lines hold them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kiosk.db.models import Barcode, Category, Counter, Job, Person, Product, Signup

_Row = TypeVar("_Row", Category, Product, Person, Job, Signup)

PULLED = "fleet_pulled"  # the counters row holding the last change number applied


def pulled_upto(s: Session) -> int:
    row = s.get(Counter, PULLED)
    return row.value if row else 0


def apply_changes(s: Session, changes: dict[str, Any]) -> int:
    """Applies one answer of the pull API; the number of rows changed."""
    n = 0
    for c in changes.get("categories", []):
        n += _category(s, c)
    s.flush()
    for p in changes.get("products", []):
        n += _product(s, p)
    for p in changes.get("people", []):
        n += _person(s, p)
    for j in changes.get("jobs", []):
        n += _job(s, j)
    counter = s.get(Counter, PULLED)
    if counter is None:
        s.add(Counter(name=PULLED, value=int(changes["upto"])))
    else:
        counter.value = max(counter.value, int(changes["upto"]))
    return n


def apply_jobs(s: Session, jobs: list[dict[str, Any]]) -> int:
    """Jobs with their sign-ups as the server has them now, outside a pull (a resident's news asked when they
    scan): the change number stays where it is, so the next pull sends them again and changes nothing."""
    return sum(_job(s, j) for j in jobs)


def _held(s: Session, model: type[_Row], key: uuid.UUID, **new: Any) -> _Row:
    """The kiosk's row under the server's id, added if the kiosk has none yet (`new`: what a new row needs)."""
    row = s.get(model, key)
    if row is None:
        row = model(id=key, **new)
        s.add(row)
    return row


def _category(s: Session, c: dict[str, Any]) -> int:
    key = uuid.UUID(c["id"])
    if c.get("deleted"):
        return 0  # products may still name it; the server's products say where they are now
    # A category the kiosk made itself under the same name gives way (names are unique): the server's wins.
    s.execute(
        update(Category).where(Category.name == c["name"], Category.id != key).values(name=c["name"] + " (lokal)")
    )
    row = _held(s, Category, key)
    row.name, row.sort_order, row.color, row.saft_group = c["name"], c["sort_order"], c["color"], c["saft_group"]
    return 1


def _product(s: Session, p: dict[str, Any]) -> int:
    key = uuid.UUID(p["id"])
    if p.get("deleted"):
        if (gone := s.get(Product, key)) is not None:
            gone.active = False  # old sales' lines name it: never deleted on a kiosk
        return 1
    row = _held(s, Product, key)
    row.name, row.category_id, row.price_ore = p["name"], uuid.UUID(p["category_id"]), p["price_ore"]
    row.vat_rate_bp, row.active, row.sort_order, row.saft_group = (
        p["vat_rate_bp"],
        p["active"],
        p["sort_order"],
        p["saft_group"],
    )
    s.flush()
    codes = set(p["barcodes"])
    for barcode in s.scalars(select(Barcode).where((Barcode.product_id == key) | Barcode.code.in_(codes))):
        if barcode.code in codes:
            barcode.product_id = key
            codes.discard(barcode.code)
        else:
            s.delete(barcode)
    for code in sorted(codes):
        s.add(Barcode(code=code, product_id=key))
    return 1


def _person(s: Session, p: dict[str, Any]) -> int:
    key = uuid.UUID(p["id"])
    if p.get("deleted"):
        if (gone := s.get(Person, key)) is not None:
            gone.active, gone.pin_hash, gone.badge_token = False, None, None
        return 1
    if p["badge_token"]:  # a badge is one person's: a local holder of the same token loses it
        s.execute(
            update(Person).where(Person.badge_token == p["badge_token"], Person.id != key).values(badge_token=None)
        )
    row = _held(s, Person, key)
    row.name, row.role, row.badge_token, row.pin_hash, row.active = (
        p["name"],
        p["role"],
        p["badge_token"],
        p["pin_hash"],
        p["active"],
    )
    return 1


def _job(s: Session, j: dict[str, Any]) -> int:
    key = uuid.UUID(j["id"])
    if j.get("deleted"):
        if (gone := s.get(Job, key)) is not None:
            gone.cancelled = True
        return 1
    row = _held(s, Job, key)
    row.title, row.description, row.place, row.capacity, row.qr_token, row.cancelled = (
        j["title"],
        j["description"],
        j["place"],
        j["capacity"],
        j["qr_token"],
        j["cancelled"],
    )
    row.starts_at, row.ends_at = datetime.fromisoformat(j["starts_at"]), datetime.fromisoformat(j["ends_at"])
    s.flush()
    for x in j.get("signups", []):  # the server's sign-ups, as the server has them (its capacity decides)
        if s.get(Person, uuid.UUID(x["person_id"])) is None:
            continue  # not (yet) pulled: the next change brings both
        signup = _held(s, Signup, uuid.UUID(x["id"]), job_id=key, person_id=uuid.UUID(x["person_id"]))
        signup.status, signup.token, signup.notified = x["status"], x["token"], x["notified"]
        signup.created_at = datetime.fromisoformat(x["created_at"])
        moved = x.get("moved_up_at")  # a place from the waitlist: the resident's news at their next scan
        signup.moved_up_at = datetime.fromisoformat(moved) if moved else None
    return 1
