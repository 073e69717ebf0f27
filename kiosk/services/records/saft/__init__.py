"""SAF-T Cash Register export (momsbekendtgørelsen § 65, point 3): the electronic journal for a range of local dates
as XML in the structure of the Norwegian SAF-T Cash Register schema v1.00, which the Danish format builds on.

Where the figures come from: amounts, lines and payments from the journal payloads (hash-chained, the same data as
the receipt); product ids and categories, which a receipt does not carry, from the sale rows the entries point at.
Sales and refunds become ``cashtransaction`` elements, the till's other entries (log-ins, drawer, X/Z, cash in and
out, annulments, line corrections, copies, training, price changes) an ``event``; a Z report also gets its
``eventReport``; check-ins, shift corrections, småjobs and residents stay out.  Employees appear as a short id and
a first name only, and only staff who sold or acted at the till (data minimisation).
Signing is described in `kiosk.services.records.saft_signing`: each export is journaled (``saft_export``) with its
last signature, and the next signed export's chain starts from it.

The parts: `reading` (the journal into transactions and events), `z_figures` (a Z report's counts and grand totals),
`auditfile` (header, company, master data; writing the file), `register` (events and signed cash transactions),
`codes` and `elements` (code lists; how a value is written).
"""

from __future__ import annotations

import json
import logging
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ, utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.errors import ConfigError, DomainError
from kiosk.i18n import L_
from kiosk.services.records import journal
from kiosk.services.records.saft.auditfile import auditfile, write
from kiosk.services.records.saft.reading import EXPORT_KIND, collect
from kiosk.services.records.saft.register import Chain, register_records
from kiosk.services.records.saft_signing import FIRST_PREVIOUS, TransactionSigner

log = logging.getLogger(__name__)


def export_saft(
    sessions: sessionmaker[Session],
    settings: Settings,
    date_from: date,
    date_to: date,
    out_dir: Path,
    *,
    signer: TransactionSigner | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the journal of local dates `date_from`..`date_to` (both included) as one SAF-T file; return its path.

    Without a `signer` each transaction's ``signature`` is its journal entry's chained SHA-256 hash (keyVersion
    ``unsigned-chain-v1``) and the header says the file is not signed.  With one, the signatures chain on from
    the previous signed export's last signature.  Either way the export is journaled (``saft_export``).
    """
    if date_from > date_to:
        raise DomainError(user_message=L_("Fra-datoen skal ligge før eller på til-datoen"))
    if not re.fullmatch(r"\d{8}", settings.shop.cvr):
        raise ConfigError(user_message=L_("CVR-nummeret i opsætningen skal være 8 cifre"))
    kiosk_id = settings.kiosk.id
    start = datetime.combine(date_from, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    with unit_of_work(sessions) as s:  # one snapshot: the chain check and the figures see the same journal
        data = collect(s, kiosk_id, start, end)
        chain = Chain(previous_signature(s, kiosk_id) if signer else FIRST_PREVIOUS)
    if not data.chain.ok:
        log.warning("SAF-T export of a broken journal: %s", data.chain.problem)
    if signer is None:
        log.warning("SAF-T export is not signed: no key configured, signature = the journal's SHA-256 chain hash")
    created = now or utc_now()
    skeleton = auditfile(data, settings, (date_from, date_to), created, signer, chain.start)
    path = write(skeleton, register_records(data, settings.shop, signer, chain), out_dir, settings.shop.cvr, created)
    payload: dict[str, object] = {
        "from": date_from.isoformat(),
        "to": date_to.isoformat(),
        "file": path.name,
        "transactions": len(data.transactions),
    }
    if signer is not None:  # what the next export's chain starts from (unchanged by a file with no sales)
        payload |= {"key_version": signer.key_version, "first_previous": chain.start}
        payload["last_signature"] = chain.last or chain.start
    with unit_of_work(sessions) as s:
        journal.append(s, kiosk_id=kiosk_id, kind=EXPORT_KIND, at=created, payload=payload)
    return path


def previous_signature(s: Session, kiosk_id: str) -> str:
    """The last signature of the newest signed export of this register (journaled), or ``0`` for the first."""
    exports = select(JournalEntry.payload).where(JournalEntry.kiosk_id == kiosk_id, JournalEntry.kind == EXPORT_KIND)
    for raw in s.scalars(exports.order_by(JournalEntry.seq.desc())):
        last = json.loads(raw).get("last_signature")
        if last:
            return str(last)
    return FIRST_PREVIOUS
