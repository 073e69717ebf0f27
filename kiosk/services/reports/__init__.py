"""Reports: the monthly hour sheet (CSV, PDF) and the impact report (screen, CSV, PDF, saved to a USB stick).
The PDF layouts live in kiosk.printouts and are loaded only when a PDF is wanted (fpdf2)."""

import kiosk.services.reports.impact as impact
from kiosk.domain.hours import HoursSheet, PersonMonth
from kiosk.domain.impact_report import ImpactReport
from kiosk.services.reports.hours import export_hours
from kiosk.services.reports.impact import ImpactPeriodError
from kiosk.services.reports.impact import collect as collect_impact
from kiosk.services.reports.impact_export import export_impact
from kiosk.services.reports.report_files import PERIODS, SavedReport, period_bounds, save_report

__all__ = [
    "PERIODS",
    "HoursSheet",
    "ImpactPeriodError",
    "ImpactReport",
    "PersonMonth",
    "SavedReport",
    "collect_impact",
    "export_hours",
    "export_impact",
    "impact",
    "period_bounds",
    "save_report",
]
