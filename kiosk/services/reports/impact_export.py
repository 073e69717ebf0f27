"""The impact report as files: `export_impact(sessions, first, last, [Path("rapport.pdf"), Path("rapport.csv")])`
writes a PDF with charts (and the charts as PNGs beside it) and/or a semicolon CSV with BOM for Danish Excel."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from pathlib import Path

from babel.dates import format_date
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import ShopSettings
from kiosk.domain import impact as rules
from kiosk.domain.impact_report import ImpactReport
from kiosk.domain.money import format_amount
from kiosk.i18n import L_
from kiosk.services.reports.impact import ImpactPeriodError, collect

log = logging.getLogger(__name__)

CSV_WEEK_HEADER = (
    "Uge", "Fra", "Til", "Aktive medarbejdere", "Betalte timer", "Fremmødedage", "Tilmeldinger til småjobs",
    "Salg (kr. inkl. moms)", "Antal køb",
)  # fmt: skip


def to_csv(report: ImpactReport) -> bytes:
    """Semicolon CSV with BOM (Danish Excel): the key figures, the hour bands, then one row per week."""
    buffer = io.StringIO(newline="")
    w = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    w.writerow(("Rapport til kommunen", report.shop.name, report.period_text))
    w.writerow(())
    w.writerow(("Område", "Nøgletal", "Værdi", "Forklaring"))
    for fig in report.figures():
        w.writerow((fig.group, fig.label, fig.text, fig.note))
    w.writerow(())
    w.writerow(("Timer pr. uge i gennemsnit", "Medarbejdere"))
    for label, count in report.hour_bands:
        w.writerow((label, rules.count_text(count)))
    w.writerow(())
    w.writerow(CSV_WEEK_HEADER)
    for week in report.weeks:
        sunday = week.monday + dt.timedelta(days=6)
        w.writerow(
            (
                f"{week.monday.isocalendar().year}-{week.label}",
                format_date(max(week.monday, report.first), "short", locale=rules.LOCALE),
                format_date(min(sunday, report.last), "short", locale=rules.LOCALE),
                rules.count_text(week.workers),
                rules.SUPPRESSED if week.hours is None else rules.decimal_text(week.hours, rules.MIN_GROUP, 2),
                rules.count_text(week.days) if not rules.hidden(week.workers) else rules.SUPPRESSED,
                rules.count_text(week.signups),
                format_amount(week.sales_ore),
                rules.plain_count_text(week.receipts),
            )
        )
    w.writerow(())
    w.writerow((f"Tal fra 1 til 4 vises som {rules.SUPPRESSED}; gennemsnit over færre end 5 personer vises som –.",))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_impact(
    sessions: sessionmaker[Session],
    first: dt.date,
    last: dt.date,
    outs: list[Path],
    *,
    shop: ShopSettings | None = None,
    now: dt.datetime | None = None,
    charts: bool = True,
) -> tuple[ImpactReport, list[Path]]:
    """Write each of `outs` (.pdf or .csv); a PDF also gets its charts as PNGs beside it.  Returns the report and
    every file written."""
    for out in outs:
        if out.suffix.lower() not in (".csv", ".pdf"):
            raise ImpactPeriodError(f"suffix {out.suffix!r}", user_message=L_("Filen skal hedde .pdf eller .csv."))
    report = collect(sessions, first, last, shop=shop, now=now)
    written: list[Path] = []
    for out in outs:
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix.lower() == ".csv":
            out.write_bytes(to_csv(report))
            written.append(out)
            continue
        from kiosk.printouts.impact_pdf import render_pdf  # fpdf2 only when a PDF is wanted

        out.write_bytes(render_pdf(report))
        written.append(out)
        if charts:
            from kiosk.printouts.impact_charts import write_pngs

            written += write_pngs(report, out.with_suffix(""))
    log.info("impact report %s..%s -> %s", first, last, ", ".join(str(p) for p in written))
    return report, written
