"""`kiosk people import FILE`, `kiosk people export FILE`, `kiosk people list` and `kiosk people set-code PERSON`:
thin handlers over kiosk.services.people.spreadsheet.  kiosk/cli.py wires them with ``register(sub)``.

Import is all or nothing: a bad row raises ImportRejected, which cli.main prints row by row (exit 1).  set-code
asks for the code twice on the terminal (never echoed, never an argument: `ps` and the shell history would keep
it); a code the kiosk refuses, or two that differ, exit 2 with nothing changed."""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from typing import Any

from kiosk.config import Settings, load_settings
from kiosk.errors import KioskError
from kiosk.i18n import L_, _

SubParsers = Any  # argparse._SubParsersAction is private
REFUSED = 2  # set-code: the codes differ, or the kiosk's code rules refuse it


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, demo=getattr(args, "demo", False))


def cmd_people_import(args: argparse.Namespace) -> int:
    """kiosk people import FILE (name;role;phone, like ../shared/data/people.csv)."""
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import input_file
    from kiosk.clock import utc_now
    from kiosk.services.people import import_people

    data = input_file(args.file)
    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        done = import_people(sessions, data, kiosk_id=settings.kiosk.id, at=utc_now())
    finally:
        engine.dispose()
    said = _("{n} personer indlæst ({created} nye, {updated} opdateret)")
    print(said.format(n=done.created + done.updated, created=done.created, updated=done.updated))
    if done.reactivated:
        print(_("Aktive igen: {names}").format(names=", ".join(done.reactivated)))
    if done.codes_removed:
        print(_("Ny rolle, så deres gamle kode er slettet: {names}").format(names=", ".join(done.codes_removed)))
    if done.created:
        print(_("Nye personer har ingen kode endnu. Giv dem en med: kiosk people set-code NAVN"))
    return 0


def cmd_people_export(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.services.people import export_people

    out = output_file(args.file, example="personer.csv")
    engine, sessions = open_database(_settings(args))
    try:
        data = export_people(sessions)
    finally:
        engine.dispose()
    out.write_bytes(data)
    print(_("Personer gemt i {file}").format(file=args.file))
    return 0


def cmd_people_list(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.services.people import list_people

    engine, sessions = open_database(_settings(args))
    try:
        people = list_people(sessions)
    finally:
        engine.dispose()
    if not people:
        print(_("Ingen personer endnu. Indlæs dem med: kiosk people import FIL"))
        return 0
    header = (_("Navn"), _("Rolle"), _("Telefon"), _("Kode"))
    # role_text and code_text are Danish words (medarbejder, ja, nej): msgids, with their English in kiosk.po
    rows = [
        (
            p.name,
            _(p.role_text) if p.active else _("{role} (deaktiveret)").format(role=_(p.role_text)),
            p.phone_text,
            _(p.code_text),
        )
        for p in people
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print(_("{n} personer").format(n=len(people)))
    return 0


class NoTerminal(KioskError):
    user_message = L_("Koden skal tastes i en terminal: den vises ikke og tages aldrig som argument.")


def _ask(prompt: str) -> str:
    """One code from the terminal, not echoed.  Without a terminal getpass would read stdin and may echo it:
    refused instead."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt).strip()
        except getpass.GetPassWarning:
            raise NoTerminal("no terminal for getpass") from None


def cmd_people_set_code(args: argparse.Namespace) -> int:
    """kiosk people set-code PERSON: the code typed twice on the terminal."""
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.people import CodeRefused, code_holder, set_code

    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        holder = code_holder(sessions, args.person)  # a resident or an unknown name is refused before any code
        name = holder.name
        try:
            first = _ask(_("Ny kode til {name} ({digits}): ").format(name=name, digits=_(holder.digits)))
            again = _ask(_("Samme kode igen: "))
        except (EOFError, KeyboardInterrupt):
            print("\n" + _("Afbrudt. Intet er ændret."), file=sys.stderr)
            return 1
        except NoTerminal as exc:
            print(_("Fejl: {message}").format(message=_(exc.user_message)), file=sys.stderr)
            return REFUSED
        if first != again:
            print(_("De to koder er ikke ens. Intet er ændret."), file=sys.stderr)
            return REFUSED
        try:
            set_code(sessions, args.person, first, kiosk_id=settings.kiosk.id, at=utc_now())
        except CodeRefused as exc:
            print(_("{message} Intet er ændret.").format(message=_(exc.user_message)), file=sys.stderr)
            return REFUSED
    finally:
        engine.dispose()
    print(_("Koden til {name} er gemt.").format(name=name))
    return 0


def register(sub: SubParsers) -> None:
    people = sub.add_parser("people", help="workers, leaders, admins and residents: CSV, list, codes").add_subparsers(
        dest="action", required=True
    )
    p = people.add_parser("import", help="people from a CSV file (name;role;phone); all or nothing")
    p.add_argument("file")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_people_import)

    p = people.add_parser("export", help="people to a semicolon CSV with BOM (reads back with import)")
    p.add_argument("file")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_people_export)

    p = people.add_parser("list", help="everyone: name, role, phone, whether a code is set")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_people_list)

    p = people.add_parser("set-code", help="give a worker, leader or admin a code (asked twice, never echoed)")
    p.add_argument("person", help="the id, an 8-digit phone number, or a name only one person has")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_people_set_code)
