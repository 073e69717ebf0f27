"""SAF-T Cash Register export (momsbekendtgørelsen § 65, point 3): the electronic journal for a range of local dates
as XML in the structure of the Norwegian SAF-T Cash Register schema v1.00, which the Danish format builds on.

Where the figures come from: amounts, lines and payments from the journal payloads (hash-chained, the same data as
the receipt); product ids and categories, which a receipt does not carry, from the sale rows the entries point at.
Sales and refunds become ``cashtransaction`` elements, every other journal entry an ``event``; a Z report also gets
its ``eventReport``.  Employees appear as a short id and a first name only (data minimisation).
Signing is described in `kiosk.services.records.saft_signing`.

The parts: `reading` (the journal into transactions and events), `z_figures` (a Z report's counts and grand totals),
`auditfile` (header, company, master data; writing the file), `register` (events and signed cash transactions),
`codes` and `elements` (code lists; how a value is written).
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import LOCAL_TZ, utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.errors import ConfigError, DomainError
from kiosk.services.records.saft.auditfile import auditfile, write
from kiosk.services.records.saft.reading import collect
from kiosk.services.records.saft.register import register_records
from kiosk.services.records.saft_signing import TransactionSigner

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
    ``unsigned-chain-v1``) and the header says the file is not signed.
    """
    if date_from > date_to:
        raise DomainError(user_message="Fra-datoen skal ligge før eller på til-datoen")
    if not re.fullmatch(r"\d{8}", settings.shop.cvr):
        raise ConfigError(user_message="CVR-nummeret i opsætningen skal være 8 cifre")
    start = datetime.combine(date_from, time.min, tzinfo=LOCAL_TZ)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    with unit_of_work(sessions) as s:  # one snapshot: the chain check and the figures see the same journal
        data = collect(s, settings.kiosk.id, start, end)
    if not data.chain.ok:
        log.warning("SAF-T export of a broken journal: %s", data.chain.problem)
    if signer is None:
        log.warning("SAF-T export is not signed: no key configured, signature = the journal's SHA-256 chain hash")
    created = now or utc_now()
    skeleton = auditfile(data, settings, date_from, date_to, created, signer)
    return write(skeleton, register_records(data, settings.shop, signer), out_dir, settings.shop.cvr, created)
