"""`kiosk backup` and `kiosk restore`: the database copied safely while the kiosk runs, and put back.

    kiosk backup [--to DIR] [--keep N]     a verified copy (default folder: [backup] folder, or <data_dir>/backups)
    kiosk restore FILE                     stop the kiosk first; the current database is kept as a side copy

Wired on the top-level subparsers with ``register(sub)``; errors come out in Danish through `kiosk.cli.main`.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="a verified copy of the database, safe while the kiosk sells")
    p.add_argument("--to", type=Path, metavar="DIR", help="folder for the copy (default: [backup] folder)")
    p.add_argument("--keep", type=int, metavar="N", help="keep the newest N backups in that folder")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="put a backup back in place (stop the kiosk first)")
    p.add_argument("file", type=Path)
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_dir
    from kiosk.config import load_settings
    from kiosk.errors import BadInput
    from kiosk.i18n import _, get_language, n_
    from kiosk.services.records import take_backup
    from kiosk.services.records.backup import backup_folder, checksum_file

    if args.keep is not None and args.keep < 1:  # --keep 0 would delete every older backup, this one's twins too
        said = _("--keep skal være mindst 1 (så mange af de nyeste backups gemmes). Intet er slettet.")
        raise BadInput(f"--keep {args.keep}", user_message=said)
    settings = load_settings(getattr(args, "config", None), demo=args.demo)
    output_dir(args.to or backup_folder(settings))
    engine, sessions = open_database(settings)
    try:
        result = take_backup(settings, sessions, folder=args.to, keep=args.keep)
    finally:
        engine.dispose()
    check = result.check
    print(_("Backup gemt og kontrolleret: {path}").format(path=result.path))
    print("  " + _("kontrolsum (SHA-256): {file}").format(file=checksum_file(result.path).name))
    size = f"{result.size:,}"
    size = size.replace(",", ".") if get_language() == "da" else size  # 237.568 bytes / 237,568 bytes
    said = _("{size} bytes, {entries} journalposter, {sales} salg")
    print("  " + said.format(size=size, entries=check.journal_entries, sales=check.sales))
    if result.removed:
        print("  " + n_("{n} ældre backup(s) slettet", "{n} ældre backup(s) slettet", len(result.removed)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import input_path
    from kiosk.clock import utc_now
    from kiosk.config import load_settings
    from kiosk.db.engine import unit_of_work
    from kiosk.i18n import _, shown
    from kiosk.services.jobs import Signups
    from kiosk.services.people import forgotten_register, reapply_forgotten
    from kiosk.services.records import journal, journal_restore, restore

    input_path(args.file)  # a folder, "" or a missing file: said before anything is touched
    settings = load_settings(getattr(args, "config", None), demo=args.demo)
    print(_("Kiosken skal være stoppet under gendannelsen (sudo systemctl stop kiosk)."))
    result = restore(settings, args.file)  # refuses a backup that does not verify, or a running kiosk
    engine, sessions = open_database(settings)  # migrations: an older backup is brought up to date
    try:
        journal_restore(sessions, settings.kiosk.id, result, utc_now())
        with unit_of_work(sessions) as s:
            verified = journal.verify(s, settings.kiosk.id)
        # Residents forgotten since the backup was taken are still in it: erase them again (GDPR art. 17).
        signups = Signups(sessions, settings.kiosk.id, utc_now, settings.kiosk.resident_retention_months)
        forgotten_again = reapply_forgotten(signups, sessions, forgotten_register(settings), utc_now())
    finally:
        engine.dispose()
    said = _("Gendannet fra {path}: {entries} journalposter, {sales} salg")
    print(said.format(path=result.restored_from, entries=result.check.journal_entries, sales=result.check.sales))
    print(_("Kontrolsum, journal og hele databasen blev kontrolleret, før noget blev ændret."))
    if not result.pictures_ok:
        print(_("Billederne kunne ikke kopieres tilbage (se loggen); databasen er gendannet."))
    if result.side_copy is not None:
        print(_("Den hidtidige database er gemt som {path}").format(path=result.side_copy))
    if forgotten_again:
        print(_("{n} beboere, der har bedt om at blive glemt, er slettet igen.").format(n=forgotten_again))
    if verified.ok:
        print(_("Journalen er i orden. Start kiosken igen."))
    else:
        print(_("Journalen er BRUDT: {problem}. Start kiosken igen.").format(problem=shown(verified.problem or "")))
    return 0 if verified.ok else 1
