"""`kiosk export hours` and `kiosk badge print`: thin CLI handlers over the check-in services.

kiosk/cli.py wires them with ``register(sub)`` (``sub`` being its top-level subparsers).  If cli.py already has
an ``export`` group, pass its subparsers as ``export=`` so ``hours`` joins it instead of clashing.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kiosk.config import Settings, load_settings
from kiosk.errors import DomainError
from kiosk.i18n import L_, _, babel_locale, shown

SubParsers = Any  # argparse._SubParsersAction is private; the handlers only call add_parser on it


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, demo=getattr(args, "demo", False))


def cmd_export_hours(args: argparse.Namespace) -> int:
    """kiosk export hours --month 2026-11 --out timer.pdf|timer.csv"""
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.services.reports import export_hours

    output_file(args.out, example="timer.pdf", makes_folders=True)
    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        sheet = export_hours(sessions, args.month, Path(args.out), shop=settings.shop)
    finally:
        engine.dispose()
    from kiosk.domain.shift_text import duration_text, hours_decimal

    # The reader's decimal mark ('4.50' in English); the sheet saved keeps payroll's Danish '4,50'.
    locale = babel_locale()
    said = _("{title}: {n} personer, i alt {hours} timer")
    hours = hours_decimal(sheet.total_minutes, locale)
    print(said.format(title=shown(sheet.title), n=len(sheet.people), hours=hours))
    for person in sheet.people:
        minutes = person.totals.minutes
        print(f"  {person.name}: {shown(duration_text(minutes))} ({hours_decimal(minutes, locale)})")
    print(_("Gemt i {path}").format(path=args.out))
    return 0


def _find_person(sessions: Any, wanted: str) -> tuple[uuid.UUID, str]:
    """By id, by exact name (any case), or by a part of the name that only one person has."""
    from kiosk.db.engine import unit_of_work
    from kiosk.db.models import Person

    with unit_of_work(sessions) as s:
        try:
            person = s.get(Person, uuid.UUID(wanted))
        except ValueError:
            person = None
        if person is None:
            exact = list(s.scalars(select(Person).where(func.lower(Person.name) == wanted.strip().lower())))
            # SQLite's lower() leaves æøå alone, so the part-of-name match is done in Python.
            every = list(s.scalars(select(Person).where(Person.active)))
            partial = [p for p in every if wanted.strip().casefold() in p.name.casefold()]
            matches = exact or partial
            if len(matches) != 1:
                names = ", ".join(sorted(p.name for p in matches))
                said = (
                    L_("Ingen person hedder '{wanted}'.", wanted=wanted)
                    if not matches
                    else L_("'{wanted}' passer på flere: {names}.", wanted=wanted, names=names)
                )
                raise DomainError(f"{len(matches)} people match {wanted!r}", user_message=said)
            person = matches[0]
        if person.role == "resident":
            said = L_("{name} er beboer: beboerkort laves ikke her.", name=person.name)
            raise DomainError(f"{person.id} is a resident", user_message=said)
        return person.id, person.name


def cmd_badge_print(args: argparse.Namespace) -> int:
    """kiosk badge print PERSON [--new]: print the badge; --new first replaces a lost one."""
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.devices.factory import make_printer
    from kiosk.printouts.badge import badge_slip
    from kiosk.services.checkin import CheckIn
    from kiosk.services.people import People

    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        person_id, name = _find_person(sessions, args.person)
        token = People(sessions).badge_token(person_id)
        if args.new or token is None:
            token = CheckIn.from_settings(sessions, settings, utc_now).reissue_badge(person_id)
            print(_("Nyt kort til {name}: det gamle virker ikke længere.").format(name=name))
    finally:
        engine.dispose()
    doc = badge_slip(name, token, settings.shop)
    make_printer(settings.printer).print_document(doc)
    if settings.printer.url in ("dummy", "preview"):
        print(doc.as_text(settings.printer.columns))
    print(_("Kort til {name} sendt til {url}").format(name=name, url=settings.printer.url))
    return 0


def register(sub: SubParsers, *, export: SubParsers | None = None) -> None:
    if export is None:
        export = sub.add_parser("export", help="exports for payroll and the municipality").add_subparsers(
            dest="what", required=True
        )
    hours = export.add_parser("hours", help="monthly hours per person per day (CSV or a PDF to sign)")
    hours.add_argument("--month", required=True, help="e.g. 2026-11")
    hours.add_argument("--out", required=True, help="FILE.csv or FILE.pdf")
    hours.add_argument("--demo", action="store_true")
    hours.set_defaults(handler=cmd_export_hours)

    badge = sub.add_parser("badge", help="worker badges").add_subparsers(dest="action", required=True)
    printing = badge.add_parser("print", help="print a person's badge on the receipt printer")
    printing.add_argument("person", help="name (or part of it) or id")
    printing.add_argument("--new", action="store_true", help="replace the badge first (lost or stolen)")
    printing.add_argument("--demo", action="store_true")
    printing.set_defaults(handler=cmd_badge_print)
