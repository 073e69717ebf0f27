"""The `kiosk` command.  Each subcommand is a thin call into bootstrap + services; errors come out in Danish."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from kiosk.config import Settings, load_settings
from kiosk.errors import BadInput, ImportRejected, KioskError

log = logging.getLogger("kiosk")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, demo=getattr(args, "demo", False))


def cmd_run(args: argparse.Namespace) -> int:
    """The home screen is drawn from the settings, the clock and the devices; SQLAlchemy, the models, migrations,
    the journal key and the services load behind that first frame (kiosk/starting.py, kiosk/app.py).  A start the
    kiosk must refuse says why on the screen and stays up either way: wrong settings here, before the window; a
    missing database, a read-only card or a missing journal key once the database layer is loading."""
    from kiosk.starting import Starting

    settings: Settings | None = None
    try:
        settings = _settings(args)
        starting = Starting.from_settings(settings)
    except KioskError as exc:  # cannot start: said on the screen, which stays up (no systemd restart loop)
        from kiosk.widgets.startup_problem import show_startup_problem

        log.error("the kiosk cannot start: %s", exc)
        return show_startup_problem(exc, kiosk_mode=settings.kiosk.kiosk_mode if settings else True)
    from kiosk.app import run_app  # Kivy only when a window is wanted

    return run_app(starting)


def cmd_screenshot(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import build_services
    from kiosk.cli_paths import output_file
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner

    out_path = output_file(args.out, example="skærm.png", makes_folders=True)
    from kiosk.screenshot import registered_screens  # imports Kivy: after the cheap checks

    if args.screen not in (names := registered_screens()):
        from kiosk.domain.text import shorten
        from kiosk.i18n import _

        said = _("Skærmen '{name}' findes ikke. Vælg en af: {names}").format(
            name=shorten(args.screen), names=", ".join(names)
        )
        raise BadInput(f"no screen {args.screen!r}", user_message=said)
    settings = _settings(args)
    services = build_services(settings, printer=PreviewPrinter(settings.printer.columns), scanner=FakeScanner())
    from kiosk.screenshot import render_screen

    out = render_screen(services, args.screen, out_path)
    print(out)
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from kiosk.devices.factory import make_printer
    from kiosk.devices.ports import list_serial_ports
    from kiosk.i18n import _

    settings = _settings(args)
    ports = list_serial_ports()
    print(_("Serielle porte:") if ports else _("Serielle porte: ingen fundet"))
    for device, vid_pid, description in ports:
        print(f"  {device}  {vid_pid or '-':9}  {description}")
    printer = make_printer(settings.printer)
    url = settings.printer.url
    online = printer.is_online()  # where the printer can answer, this asks its status (DLE EOT)
    status = getattr(printer, "last_status", None)
    # The status words of kiosk.devices are Danish msgids (English in kiosk.po): said here, in the reader's language.
    detail = f" ({_(status.danish())})" if status is not None and (not online or status.paper_low) else ""
    answer = _("svarer") if online else _("SVARER IKKE")
    print(_("Printer  {url}: {answer}{detail}").format(url=url, answer=answer, detail=detail))
    if printer.answers_status:
        print("  " + _("Printeren spørges om status efter hver seddel: en seddel der ikke kommer ud, opdages"))
    elif "status=off" in url:
        print(
            "  " + _("Printeren bliver ikke spurgt om status (status=off) – en seddel der ikke kommer ud, opdages ikke")
        )
    else:
        scheme = url.partition(":")[0] + ":" if ":" in url else url
        said = _("Printeren kan ikke svare på status over {scheme} – en seddel der ikke kommer ud, opdages ikke")
        print("  " + said.format(scheme=scheme))
    print(_("Scanner  {url}: {answer}").format(url=settings.scanner.url, answer=_probe_scanner(settings)))
    print(_("Ur       {clock}").format(clock=_clock_line()))
    return 0


def _clock_line() -> str:
    """The time the kiosk would stamp a sale with, and whether the kernel counts the clock as synchronised."""
    from kiosk.clock import utc_now
    from kiosk.devices.clock_sync import clock_synchronised, describe
    from kiosk.i18n import _
    from kiosk.services.records import clock_guard

    return f"{_(clock_guard.when_text(utc_now()))}: {_(describe(clock_synchronised()))}"


def _probe_scanner(settings: Settings) -> str:
    """Open the scanner for two seconds: a serial port that opens answers; a keyboard wedge cannot be probed."""
    import time

    from kiosk.devices.factory import make_scanner
    from kiosk.i18n import _

    try:
        scanner = make_scanner(settings.scanner)
    except KioskError as exc:
        return _("SVARER IKKE ({reason})").format(reason=exc)
    if settings.scanner.url in ("keyboard", "dummy"):
        return _("{scanner} – scan en vare i kiosken for at prøve den").format(scanner=scanner.describe())
    scanner.start(lambda _code: None)
    try:
        deadline = time.monotonic() + 2.0
        while not scanner.connected and time.monotonic() < deadline:
            time.sleep(0.05)
        return _("svarer") if scanner.connected else _("SVARER IKKE (porten kan ikke åbnes)")
    finally:
        scanner.stop()


def cmd_printer_test(args: argparse.Namespace) -> int:
    from kiosk.devices.factory import make_printer
    from kiosk.i18n import _
    from kiosk.printouts.slips import test_slip

    settings = _settings(args)
    printer = make_printer(settings.printer)
    doc = test_slip(settings)
    printer.print_document(doc)
    if settings.printer.url in ("dummy", "preview"):
        print(doc.as_text(settings.printer.columns))
    print(_("Testudskrift sendt til {url}").format(url=settings.printer.url))
    return 0


def cmd_products_import(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import input_file
    from kiosk.i18n import _
    from kiosk.services.sales import Catalog

    data = input_file(args.file)
    _engine, sessions = open_database(_settings(args))
    result = Catalog(sessions).import_csv(data)
    said = _("{n} varer indlæst ({created} nye, {updated} opdateret)")
    print(said.format(n=result.created + result.updated, created=result.created, updated=result.updated))
    return 0


def cmd_products_export(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.i18n import _
    from kiosk.services.sales import Catalog

    out = output_file(args.file, example="varer.csv")
    _engine, sessions = open_database(_settings(args))
    data = Catalog(sessions).export_csv()
    out.write_bytes(data)
    print(_("Varer gemt i {file}").format(file=args.file))
    return 0


def cmd_journal_verify(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.db.engine import unit_of_work
    from kiosk.i18n import _, shown
    from kiosk.services.records import integrity, journal

    settings = _settings(args)
    _engine, sessions = open_database(settings)
    with unit_of_work(sessions) as s:
        result = journal.verify(s, settings.kiosk.id)
        whole = integrity.check_database(s, settings.kiosk.id)  # the tables against the journal
    if whole.ok:
        print(_("Databasen passer med journalen: {n} salg kontrolleret").format(n=whole.sales))
    else:
        print(_("Databasen passer ikke med journalen ({n} fejl):").format(n=len(whole.problems)), file=sys.stderr)
        for problem in whole.problems:
            print(f"  {shown(problem)}", file=sys.stderr)
    if result.ok and not whole.ok:
        print(_("Journalen selv er i orden: {n} poster kontrolleret").format(n=result.checked))
        return 1
    if result.ok:
        print(_("Journalen er i orden: {n} poster kontrolleret").format(n=result.checked))
        if result.head is not None:  # the figures every Z report prints: compare them with the paper
            head = result.head
            print(_("Seneste post: nr. {entries} ({hash})").format(entries=head.entries, hash=head.short_hash))
            print(_("Nøglens fingeraftryk: {fingerprint}").format(fingerprint=head.fingerprint))
        if result.last_z is not None:  # what the last Z slip says, still comparable after later entries
            number, z = result.last_z
            said = _("Sidste Z-rapport nr. {number}: post nr. {entries} ({hash})")
            print(said.format(number=number, entries=z.entries, hash=z.short_hash))
        return 0
    print(_("Journalen er brudt: {problem}").format(problem=shown(result.problem or "")), file=sys.stderr)
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Hedemarken kiosk")
    parser.add_argument("--config", type=Path, default=None, help="TOML config file (or KIOSK_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, handler: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_)
        p.add_argument("--demo", action="store_true", help="simulated devices and a seeded demo database")
        p.set_defaults(handler=handler)
        return p

    add("run", cmd_run, "start the kiosk")
    shot = add("screenshot", cmd_screenshot, "render a screen to PNG offscreen")
    shot.add_argument("screen")
    shot.add_argument("--out", required=True)
    add("devices", cmd_devices, "list serial ports and check the configured printer and scanner")
    add("printer-test", cmd_printer_test, "print a test slip (ÆØÅ æøå €, a QR code, cut)")

    products = sub.add_parser("products", help="import or export products (CSV)").add_subparsers(
        dest="action", required=True
    )
    for action, handler in (("import", cmd_products_import), ("export", cmd_products_export)):
        p = products.add_parser(action)
        p.add_argument("file")
        p.add_argument("--demo", action="store_true")
        p.set_defaults(handler=handler)

    export = sub.add_parser("export", help="exports for payroll, the tax office and the municipality")
    export_sub = export.add_subparsers(dest="what", required=True)
    from kiosk import (
        cli_backup,
        cli_checkin,
        cli_fleet,
        cli_impact,
        cli_jobs,
        cli_people,
        cli_person,
        cli_saft,
        cli_web,
    )

    cli_checkin.register(sub, export=export_sub)
    cli_saft.register(export_sub)
    cli_impact.register(export_sub)
    cli_backup.register(sub)
    cli_jobs.register(sub)
    cli_person.register(sub)
    cli_people.register(sub)
    cli_web.register(sub)
    cli_fleet.register(sub)

    journal = sub.add_parser("journal", help="the electronic journal").add_subparsers(dest="action", required=True)
    p = journal.add_parser("verify", help="check the hash chain; names the first broken entry")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_journal_verify)
    _options_anywhere(parser)
    return parser


def _options_anywhere(parser: argparse.ArgumentParser) -> None:
    """`--config`, `--demo` and `-v` work before the command and after it, at any depth (`kiosk products import F
    --config C`).  Below the top they default to SUPPRESS: argparse copies a subcommand's defaults over what the
    top level parsed, so a default there would undo `kiosk --demo run`; the top level's defaults stand for all."""
    parser.add_argument("--demo", action="store_true", help="simulated devices and a seeded demo database")
    stack = _subcommands(parser)
    while stack:
        p = stack.pop()
        options = p._option_string_actions
        if "--config" not in options:
            p.add_argument("--config", type=Path, default=argparse.SUPPRESS, help="TOML config file (or KIOSK_CONFIG)")
        if "--demo" in options:
            options["--demo"].default = argparse.SUPPRESS
        else:
            p.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="simulated devices")
        if "-v" not in options and "--verbose" not in options:
            p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS)
        stack += _subcommands(p)


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [p for a in parser._actions if isinstance(a, argparse._SubParsersAction) for p in a.choices.values()]


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")  # Kivy must never parse our argv
    args = build_parser().parse_args(argv)
    # One handler, ours: Kivy's default log mode would add its own console handler to the root logger (every line
    # twice) and capture stderr.  In "PYTHON" mode its "kivy" logger just propagates here.  Set before any import
    # of Kivy; python-escpos's import-time basicConfig() finds our handler and does nothing (escpos_import).
    os.environ["KIVY_LOG_MODE"] = "PYTHON"
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl SQLiteImpl" helps nobody
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        _use_language(args)
        return handler(args)
    except KioskError as exc:
        return _refused(exc)
    except OSError as exc:  # a path the checks in kiosk.cli_paths could not foresee (a race, a full disk)
        from kiosk.cli_paths import os_error

        return _refused(os_error(exc))
    except ValueError as exc:
        if "null byte" not in str(exc):  # a NUL in a path given to a command that reads it itself (--key, --cert)
            raise
        from kiosk.cli_paths import nul_in_path

        return _refused(nul_in_path())


BAD_INPUT = 2  # what the command was given cannot be used; nothing was done (argparse's own usage errors are 2 too)
REFUSED = 1  # the kiosk refused or failed (a broken journal, a printer that does not answer)
MESSAGE_LIMIT = 400  # characters of one printed reason: a message that echoes a 10 kB cell is cut with "…"


def _use_language(args: argparse.Namespace) -> None:
    """The messages in the kiosk's language (`[kiosk] language`), read before the rest of the file is checked: a
    wrong value elsewhere in it is said in that language too; a file that cannot be read at all, in Danish."""
    from kiosk import i18n
    from kiosk.config import chosen_language

    i18n.set_language(chosen_language(args.config) or "da")


def _refused(exc: KioskError) -> int:
    from kiosk.domain.text import shorten
    from kiosk.i18n import _, n_

    if isinstance(exc, ImportRejected):
        print(n_("Intet indlæst. {n} fejl:", "Intet indlæst. {n} fejl:", len(exc.problems)), file=sys.stderr)
        for row, reason in exc.problems:
            line = _("række {row}: {reason}").format(row=row, reason=shorten(_(reason), MESSAGE_LIMIT))
            print(f"  {line}", file=sys.stderr)
    else:
        print(_("Fejl: {message}").format(message=shorten(_(exc.user_message), MESSAGE_LIMIT)), file=sys.stderr)
        detail = shorten(str(exc), MESSAGE_LIMIT)
        if detail != exc.user_message:
            print(f"  ({detail})", file=sys.stderr)
    return BAD_INPUT if isinstance(exc, BadInput) else int(getattr(exc, "exit_status", REFUSED))
