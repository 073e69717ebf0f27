"""`kiosk fleet add NAME` (on the server: a kiosk number and its one-time code), `kiosk fleet join URL CODE` (on a
kiosk: its number, series and secret from the server), `kiosk fleet status` (on a kiosk: one sync round now, and
what waits), `kiosk fleet noted [--clear]` (on a kiosk: the sign-ups noted offline), `kiosk fleet list` (on the
server: each kiosk, its sales, and whether its journal verifies), `kiosk fleet journal-ok KIOSK --by NAME` (on the
server: a person has looked at a break in a kiosk's journal; the server checks it again from an entry on).
kiosk/cli.py wires them with ``register(sub)``."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.config import Settings, load_settings
from kiosk.i18n import L_, _

SubParsers = Any  # argparse._SubParsersAction is private


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config)


def cmd_fleet_add(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.fleet import FleetServer

    engine, sessions = open_database(_settings(args))
    try:
        number, code = FleetServer(sessions, utc_now).add_kiosk(args.name)
    finally:
        engine.dispose()
    print(_("Kiosk {number} «{name}»: engangskoden er {code}").format(number=number, name=args.name.strip(), code=code))
    print(_("På kiosken: kiosk fleet join <serverens adresse> {code}").format(code=code))
    return 0


def cmd_fleet_join(args: argparse.Namespace) -> int:
    from kiosk.services.fleet import join, load_identity

    settings = _settings(args)
    before = load_identity(settings)
    identity = join(settings, args.url, args.code)
    if before is not None and before.kiosk_no != identity.kiosk_no:
        print(_("Kiosken var kiosk {old}; nu er den kiosk {new}.").format(old=before.kiosk_no, new=identity.kiosk_no))
    print(
        _("Tilmeldt {url} som kiosk {number} «{name}». Kvitteringerne nummereres {first} …").format(
            url=args.url, number=identity.kiosk_no, name=identity.name, first=f"{identity.series}-000001"
        )
    )
    return 0


def cmd_fleet_status(args: argparse.Namespace) -> int:
    from kiosk.bootstrap import open_database
    from kiosk.errors import KioskError
    from kiosk.services.fleet import FleetSync, Offline, load_identity
    from kiosk.services.fleet.signups import noted, noted_path

    settings = _settings(args)
    identity = load_identity(settings)
    if identity is None:
        raise KioskError("not in a fleet", user_message=L_("Kiosken er ikke tilmeldt en server (kiosk fleet join)."))
    engine, sessions = open_database(settings)
    try:
        sync = FleetSync(sessions, identity, kiosk_id=settings.kiosk.id)
        try:
            pushed, pulled = sync.sync_once()
            print(_("Forbundet til {url}: {pushed} salg sendt, {pulled} ændringer hentet.").format(
                url=identity.server_url, pushed=pushed, pulled=pulled))  # fmt: skip
        except Offline:
            print(_("Ikke forbundet – salget gemmes her"))
        waiting, shifts = sync.outbox.waiting()
    finally:
        engine.dispose()
    if sync.journal_problem:  # the server found a break in this kiosk's journal: said, never passed over
        print(_(sync.journal_problem))
    print(_("Kiosk {number}: {n} salg venter på serveren.").format(number=identity.kiosk_no, n=waiting))
    if shifts:  # check-ins and check-outs: hours, not sales
        print(_("{n} ind- og udtjekninger venter på serveren.").format(n=shifts))
    notes = noted(noted_path(settings))
    if notes:  # sign-ups tried while offline: staff call these people or sign them up
        _print_notes(notes)
        print(_("Når de er ringet op eller tilmeldt: kiosk fleet noted --clear"))
    return 0 if waiting + shifts == 0 and not sync.journal_problem else 3


def cmd_fleet_list(args: argparse.Namespace) -> int:
    """On the server: each kiosk, its sales, and its journal walked from the first entry; exit 3 when a journal
    has a break (a gap, a changed entry, a bad signature or another key), for a person to look at."""
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.fleet import FleetServer
    from kiosk.services.fleet.chain import problem_text

    engine, sessions = open_database(_settings(args))
    try:
        kiosks = FleetServer(sessions, utc_now).kiosks()
    finally:
        engine.dispose()
    if not kiosks:
        print(_("Ingen kiosker er tilmeldt (kiosk fleet add NAVN)."))
        return 0
    states = {"invited": _("inviteret"), "joined": _("tilmeldt"), "cloned": _("afvist: kopieret SD-kort")}
    broken = 0
    for k in kiosks:
        print(_("Kiosk {number} «{name}» ({state}): {sales} salg").format(
            number=k.number, name=k.name, state=states.get(k.state, k.state), sales=k.sales))  # fmt: skip
        for ok in k.accepted:  # the evidence stays in sight: each break a person accepted, and who
            at = str(ok["at"])[:16].replace("T", " ")
            print("  " + _("Brud godkendt af {by} {at}: {problem}").format(
                by=ok["by"], at=at, problem=_(problem_text(ok["problem"]))))  # fmt: skip
            print("    " + _("Tjekket igen fra post nr. {seq}.").format(seq=ok["from_seq"]))
        if k.journal.problem is None:
            print("  " + _("Journalen er hel: {n} poster tjekket.").format(n=k.journal.entries))
        else:
            broken += 1
            print("  " + _(problem_text(k.journal.problem)))
            print("  " + _("{n} poster er tjekket og gemt før fejlen.").format(n=k.journal.entries))
    return 3 if broken else 0


def cmd_fleet_journal_ok(args: argparse.Namespace) -> int:
    """On the server: a person has looked at the break in a kiosk's journal.  Recorded with who and the break in
    the server's own journal (nothing deleted); the server checks the kiosk's journal again from an entry on."""
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.fleet import FleetServer
    from kiosk.services.fleet.chain import problem_text

    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        done = FleetServer(sessions, utc_now).accept_journal(args.kiosk, args.by, args.from_seq, settings.kiosk.id)
    finally:
        engine.dispose()
    print(_("Kiosk {number}: bruddet er godkendt af {by}.").format(number=done["kiosk_no"], by=done["by"]))
    print("  " + _(problem_text(done["problem"])))
    print(_("Serveren tjekker kioskens journal igen fra post nr. {seq}; post nr. 1 til {kept} er gemt som før.").format(
        seq=done["from_seq"], kept=done["kept"]))  # fmt: skip
    return 0


def _print_notes(notes: list[dict[str, Any]]) -> None:
    signups = [n for n in notes if not n.get("cancel")]
    cancels = [n for n in notes if n.get("cancel")]  # an Afmeld offline: staff cancel it on the server by hand
    for heading, listed in (
        (_("Tilmeldinger uden forbindelse, skrevet op til personalet:"), signups),
        (_("Afmeldinger uden forbindelse, skrevet op til personalet:"), cancels),
    ):
        if listed:
            print(heading)
        for note in listed:
            phone = f" ({note['phone']})" if note.get("phone") else ""
            print(f"  {str(note.get('at', ''))[:16]}  {note.get('name') or '?'}{phone}: «{note.get('job', '')}»")


def cmd_fleet_noted(args: argparse.Namespace) -> int:
    """The sign-ups noted while offline; with --clear they are shown one last time and removed (staff has them)."""
    from kiosk.services.fleet.signups import clear_noted, noted, noted_path

    path = noted_path(_settings(args))
    notes = clear_noted(path) if args.clear else noted(path)
    if not notes:
        print(_("Ingen tilmeldinger er skrevet op."))
        return 0
    _print_notes(notes)
    if args.clear:
        print(_("Listen er tømt ({n} tilmeldinger).").format(n=len(notes)))
    return 0


def register(sub: SubParsers) -> None:
    p = sub.add_parser("fleet", help="several kiosks on one server (PostgreSQL)")
    fleet = p.add_subparsers(dest="fleet_command", required=True)
    add = fleet.add_parser("add", help="on the server: a new kiosk number and its one-time code")
    add.add_argument("name", help="the kiosk's name, e.g. 'Kassen ved døren'")
    add.set_defaults(handler=cmd_fleet_add)
    join = fleet.add_parser("join", help="on a kiosk: join the server with the code `kiosk fleet add` printed")
    join.add_argument("url", help="kiosk web's address on the server, e.g. https://kiosk.example.org/")
    join.add_argument("code", help="the one-time code")
    join.set_defaults(handler=cmd_fleet_join)
    listing = fleet.add_parser("list", help="on the server: each kiosk, its sales and its journal (exit 3 if broken)")
    listing.set_defaults(handler=cmd_fleet_list)
    ok = fleet.add_parser("journal-ok", help="on the server: a person has looked at a break in a kiosk's journal")
    ok.add_argument("kiosk", help="the kiosk's number or name (kiosk fleet list)")
    ok.add_argument("--by", required=True, help="who accepts it (kept with the break in the server's journal)")
    ok.add_argument("--from", dest="from_seq", type=int, default=None,
                    help="the kiosk's entry to check again from (default: the one after the break)")  # fmt: skip
    ok.set_defaults(handler=cmd_fleet_journal_ok)
    status = fleet.add_parser("status", help="on a kiosk: sync now and say what still waits (exit 3 if any)")
    status.set_defaults(handler=cmd_fleet_status)
    notes = fleet.add_parser("noted", help="on a kiosk: the sign-ups noted for staff while offline")
    notes.add_argument("--clear", action="store_true", help="show them one last time and empty the list")
    notes.set_defaults(handler=cmd_fleet_noted)
