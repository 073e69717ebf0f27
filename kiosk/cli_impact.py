"""`kiosk export impact`: the report to the municipality (effektmåling) as PDF and/or CSV.

    kiosk export impact --from 2026-01-01 --to 2026-03-31 --out rapport.pdf --out rapport.csv

Wired under the parent "export" command with ``register(export_subparsers)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("impact", help="the impact report for the municipality: PDF with charts and/or CSV")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="first local date, e.g. 2026-01-01")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="last local date (included)")
    p.add_argument(
        "--out",
        required=True,
        action="append",
        type=Path,
        metavar="FILE",
        help="FILE.pdf or FILE.csv; give --out twice for both (a PDF gets its charts as PNGs beside it)",
    )
    p.add_argument("--no-png", action="store_true", help="do not write the chart PNGs beside a PDF")
    p.add_argument("--demo", action="store_true", help="report on the demo database")
    p.set_defaults(handler=cmd_export_impact)


def cmd_export_impact(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.cli_saft import parse_date
    from kiosk.config import load_settings
    from kiosk.i18n import _, shown
    from kiosk.services.reports import export_impact

    first, last = parse_date(args.date_from, "Fra-datoen"), parse_date(args.date_to, "Til-datoen")
    for out in args.out:
        output_file(out, example="rapport.pdf", makes_folders=True)
    settings = load_settings(getattr(args, "config", None), demo=args.demo)
    engine, sessions = open_database(settings)
    try:
        report, written = export_impact(sessions, first, last, args.out, shop=settings.shop, charts=not args.no_png)
    finally:
        engine.dispose()
    print(_("Rapport til kommunen, {period}:").format(period=shown(report.period_text)))
    for fig in report.figures():
        print(f"  {shown(fig.label)}: {shown(fig.text)}")
    for path in written:
        print(path)
    return 0
