"""`kiosk export saft`: the journal as a SAF-T Cash Register file for Skattestyrelsen (§ 65, points 3 and 4).

Wired under the parent "export" command with ``register(export_subparsers)``; errors come out in Danish through
`kiosk.cli.main` (a KioskError prints "Fejl: ...").
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from datetime import date
from pathlib import Path

from kiosk.domain.text import shorten
from kiosk.errors import BadInput
from kiosk.i18n import _

KEY_PASSWORD_ENV = "KIOSK_SAFT_KEY_PASSWORD"  # never on the command line, where `ps` and the shell history see it
_DANISH_DATE = re.compile(r"(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})")


def parse_date(text: str, label: str) -> date:
    """'2026-11-23', or as Danes write it: '23-11-2026' / '23.11.2026'."""
    cleaned = text.strip()
    try:
        m = _DANISH_DATE.fullmatch(cleaned)
        found = date(int(m[3]), int(m[2]), int(m[1])) if m else date.fromisoformat(cleaned)
        if not 2000 <= found.year <= 2100:  # year 1 cannot even be turned into UTC; no kiosk sold then
            raise ValueError(found)
        return found
    except (ValueError, OverflowError):
        said = _("{label} '{text}' er ikke en dato. Skriv fx 2026-11-23 eller 23-11-2026")
        raise BadInput(user_message=said.format(label=label, text=shorten(text))) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("saft", help="the journal as a SAF-T Cash Register XML file with the Danish file name")
    p.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="first local date, e.g. 2026-11-01")
    p.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="last local date (included)")
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the file")
    p.add_argument("--key", type=Path, help=f"PEM private key (the shop's OCES3 key); password in ${KEY_PASSWORD_ENV}")
    p.add_argument("--cert", type=Path, help="PEM certificate that belongs to --key")
    p.add_argument("--demo", action="store_true", help="export the demo database")
    p.set_defaults(handler=cmd_export_saft)


def cmd_export_saft(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_dir
    from kiosk.config import load_settings
    from kiosk.services.records.saft import export_saft
    from kiosk.services.records.saft_signing import CertificateSigner

    date_from, date_to = parse_date(args.date_from, "Fra-datoen"), parse_date(args.date_to, "Til-datoen")
    if (args.key is None) != (args.cert is None):
        raise BadInput(user_message=_("Angiv både --key og --cert, eller ingen af dem"))
    output_dir(args.out)  # a folder: a file of that name is refused, never overwritten
    signer = None
    if args.key is not None:
        password = os.environ.get(KEY_PASSWORD_ENV)
        signer = CertificateSigner.from_files(args.key, args.cert, password.encode() if password else None)
    settings = load_settings(getattr(args, "config", None), demo=args.demo)
    engine, sessions = open_database(settings)
    try:
        path = export_saft(sessions, settings, date_from, date_to, args.out, signer=signer)
    finally:
        engine.dispose()
    print(path)
    if signer is None:
        print(
            _("Bemærk: filen er ikke signeret (ingen --key/--cert). Signaturfeltet rummer journalens SHA-256-kæde."),
            file=sys.stderr,
        )
    return 0
