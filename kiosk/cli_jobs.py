"""`kiosk jobs import FILE`, `kiosk jobs poster JOB --out poster.pdf`, `kiosk jobs close`: thin handlers over
kiosk.services.jobs.board / job_poster / signups.  kiosk/cli.py wires them with ``register(sub)``.

Import is all-or-nothing: a bad row raises ImportRejected, which cli.main prints row by row and exits 1."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from kiosk.config import Settings, load_settings
from kiosk.i18n import _, n_, shown

SubParsers = Any  # argparse._SubParsersAction is private
log = logging.getLogger(__name__)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(args.config, demo=getattr(args, "demo", False))


def cmd_jobs_import(args: argparse.Namespace) -> int:
    """kiosk jobs import FILE (semicolon CSV: title;place;starts;ends;capacity;description)."""
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import input_file
    from kiosk.clock import utc_now
    from kiosk.services.jobs import Jobs

    data = input_file(args.file)
    engine, sessions = open_database(_settings(args))
    try:
        result = Jobs(sessions).import_csv(data, utc_now())
    finally:
        engine.dispose()
    print(n_("1 nyt job indlæst", "{n} nye job indlæst", result.created), _("fra {file}").format(file=args.file))
    if result.already_there:
        print(n_("1 fandtes allerede og er ikke ændret (et job rettes under Personale > Småjobs).",
                 "{n} fandtes allerede og er ikke ændret (et job rettes under Personale > Småjobs).",
                 result.already_there))  # fmt: skip
    if result.over:
        print(n_("1 er allerede slut og vises ikke på kiosken.", "{n} er allerede slut og vises ikke på kiosken.",
                 result.over))  # fmt: skip
    return 0


def cmd_jobs_poster(args: argparse.Namespace) -> int:
    """kiosk jobs poster JOB --out poster.pdf (JOB: a part of the title, or the id)."""
    from kiosk.bootstrap import open_database
    from kiosk.cli_paths import output_file
    from kiosk.printouts.job_poster import job_poster
    from kiosk.services.jobs import Jobs

    out = output_file(args.out, example="plakat.pdf", makes_folders=True)
    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        job = Jobs(sessions).find(args.job)
    finally:
        engine.dispose()
    shop = settings.shop
    poster = job_poster(job, out, job.free, shop.name, shop.address, settings.job_url)
    said = _("Plakat for «{title}» ({date} kl. {time}, {free}) gemt i {path}")
    when = {"date": shown(job.date_text), "time": shown(job.time_text), "free": shown(job.free_text)}
    print(said.format(title=job.title, path=poster.path, **when))
    return 0


def cmd_jobs_close(args: argparse.Namespace) -> int:
    """kiosk jobs close: the daily upkeep (no-shows for ended jobs; residents' data past the retention time).
    The app runs the same once a day; this is for cron on a kiosk that is switched off at night."""
    from kiosk.bootstrap import open_database
    from kiosk.clock import utc_now
    from kiosk.services.jobs import Signups

    settings = _settings(args)
    engine, sessions = open_database(settings)
    try:
        done = Signups(sessions, settings.kiosk.id, utc_now, settings.kiosk.resident_retention_months).daily_upkeep()
    finally:
        engine.dispose()
    closed, erased = done.closed, done.retention
    said = _("{jobs} job afsluttet: {no_shows} udeblev, {completed} tjekket ud automatisk")
    print(said.format(jobs=closed.jobs, no_shows=closed.no_shows, completed=closed.completed))
    print(_("{n} beboere slettet ({cutoff})").format(n=erased.erased, cutoff=shown(erased.cutoff_text)))
    return 0


def register(sub: SubParsers) -> None:
    jobs = sub.add_parser("jobs", help="småjobs: import, posters, daily upkeep").add_subparsers(
        dest="action", required=True
    )
    p = jobs.add_parser("import", help="import jobs from a CSV file (all or nothing)")
    p.add_argument("file")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_jobs_import)

    p = jobs.add_parser("poster", help="an A4 PDF poster with the job's QR code")
    p.add_argument("job", help="a part of the title, or the job's id")
    p.add_argument("--out", required=True, help="poster.pdf")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_jobs_poster)

    p = jobs.add_parser("close", help="mark no-shows for ended jobs and delete residents' data past the limit")
    p.add_argument("--demo", action="store_true")
    p.set_defaults(handler=cmd_jobs_close)
