"""`kiosk person export PERSON` (everything stored about someone, JSON) and `kiosk person forget PERSON` (erase a
resident now): thin handlers over kiosk.services.people.person_data.  PERSON: the id, an 8-digit phone number, or a name
only one person has."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.config import load_settings
from kiosk.i18n import _

SubParsers = Any  # argparse._SubParsersAction is private


def cmd_person_export(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.services.people import export_person

    if args.out:
        output_file(args.out, example="person.json")
    engine, sessions = open_database(load_settings(args.config, demo=args.demo))
    try:
        data = export_person(sessions, args.person)
    finally:
        engine.dispose()
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(_("Alt om {name} gemt i {path}").format(name=data["person"]["name"], path=args.out), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_person_forget(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.jobs import Signups
    from kiosk.services.people import forget_resident, forgotten_register

    settings = load_settings(args.config, demo=args.demo)
    engine, sessions = open_database(settings)
    try:
        signups = Signups(sessions, settings.kiosk.id, utc_now, settings.kiosk.resident_retention_months)
        done = forget_resident(signups, sessions, forgotten_register(settings), args.person, utc_now())
    finally:
        engine.dispose()
    said = _(
        "Beboeren ({id}) er slettet: navn, telefon og kort fjernet; "
        "{cancelled} tilmeldinger afmeldt, {moved_up} rykket op fra ventelisten."
    )
    print(said.format(id=done.person_id, cancelled=done.cancelled, moved_up=done.moved_up))
    return 0


def register(sub: SubParsers) -> None:
    person = sub.add_parser("person", help="a person's own data: export it, or forget a resident").add_subparsers(
        dest="action", required=True
    )
    p = person.add_parser("export", help="everything stored about a person, as JSON")
    p.add_argument("person", help="the id, an 8-digit phone number, or a name only one person has")
    p.add_argument("--out", help="write to this file instead of printing")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_person_export)

    p = person.add_parser("forget", help="erase a resident now (upcoming sign-ups are cancelled)")
    p.add_argument("person", help="the id, an 8-digit phone number, or a name only one person has")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_person_forget)
