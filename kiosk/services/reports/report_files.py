"""The impact report from the staff screen: the periods a coordinator picks from, and "save on the USB stick".

The files are always written to the data dir's ``exports`` folder first (so nothing is lost when no stick is
in), then copied onto the first USB stick found (kiosk.devices.usb_storage).  Nothing is printed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import Settings
from kiosk.devices.usb_storage import NoStickError, UsbStorage
from kiosk.domain.impact_report import ImpactReport
from kiosk.services.reports.impact_export import export_impact

log = logging.getLogger(__name__)

Period = Literal["last_month", "last_quarter", "this_year", "last_year"]
PERIODS: tuple[Period, ...] = ("last_month", "last_quarter", "this_year", "last_year")


def period_bounds(period: Period, today: date) -> tuple[date, date]:
    """Local days, both ends included: the last whole month or quarter, this year so far, last year."""
    if period == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if period == "last_quarter":
        this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        last = this_quarter - timedelta(days=1)
        return date(last.year, 3 * ((last.month - 1) // 3) + 1, 1), last
    if period == "this_year":
        return date(today.year, 1, 1), today
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


def export_folder(settings: Settings) -> Path:
    return settings.data_dir / "exports"


@dataclass(frozen=True)
class SavedReport:
    report: ImpactReport
    written: tuple[Path, ...]  # in the exports folder
    on_stick: tuple[Path, ...]  # copies on the USB stick; empty when no stick was found

    @property
    def main_file(self) -> Path:
        return self.on_stick[0] if self.on_stick else self.written[0]


def save_report(
    sessions: sessionmaker[Session],
    settings: Settings,
    first: date,
    last: date,
    kind: Literal["pdf", "csv"],
    *,
    now: datetime | None = None,
    usb: UsbStorage | None = None,
) -> SavedReport:
    name = f"rapport-til-kommunen-{first.isoformat()}-{last.isoformat()}.{kind}"
    report, written = export_impact(
        sessions, first, last, [export_folder(settings) / name], shop=settings.shop, now=now
    )
    storage = usb or UsbStorage.from_roots(settings.usb.mount_roots)
    try:
        stick = storage.first_stick()
    except NoStickError:
        log.info("no USB stick: the report stays in %s", export_folder(settings))
        return SavedReport(report, tuple(written), ())
    copied = tuple(storage.copy_to_stick(path, stick=stick) for path in written)
    return SavedReport(report, tuple(written), copied)
