"""The one composition root: settings in, wired services out.  UI and CLI both start here."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk import __version__
from kiosk.clock import Clock, utc_now
from kiosk.config import Settings
from kiosk.db.engine import ensure_writable, make_engine, make_session_factory, storage_problem, unit_of_work
from kiosk.db.migrate import upgrade
from kiosk.devices.base import ReceiptPrinter, Scanner
from kiosk.devices.usb_storage import UsbStorage
from kiosk.services.checkin import CheckIn
from kiosk.services.fleet import FleetSync, SyncWorker, enqueue, load_identity
from kiosk.services.fleet.shifts import watch_shifts
from kiosk.services.fleet.signups import FleetSignups, noted_path
from kiosk.services.jobs import JobAdmin, Jobs, Signups
from kiosk.services.people import (
    CodeGuard,
    People,
    PeopleAdmin,
    StaffAccess,
    forgotten_register,
    reapply_forgotten,
)
from kiosk.services.records import journal, journal_key, refuse_fresh_database
from kiosk.services.sales import Catalog, ProductAdmin, Sales, Till
from kiosk.services.shop import FirstStart, PrintQueue, SetupResult, ShopDraft, ShopIdentity, seed_demo

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    printer: ReceiptPrinter
    scanner: Scanner
    catalog: Catalog
    people: People
    jobs: Jobs
    sales: Sales
    till: Till
    checkin: CheckIn
    signups: Signups
    print_queue: PrintQueue
    staff_access: StaffAccess
    code_guard: CodeGuard  # one lockout for every code typed (staff menu, Køb, approvals, check-in)
    product_admin: ProductAdmin
    job_admin: JobAdmin
    shop_identity: ShopIdentity
    people_admin: PeopleAdmin
    usb: UsbStorage
    first_start: FirstStart
    sync: SyncWorker | None = None  # several kiosks (kiosk fleet join): pushes sales, pulls the server's changes

    def start_sync(self) -> None:
        """`kiosk run`: the sync thread starts with the screens (never in a one-off command)."""
        if self.sync is not None:
            self.sync.start()

    def record(self, kind: str, **payload: object) -> None:
        """Journal an event that belongs to no sale (app start/stop, login, drawer...)."""
        with unit_of_work(self.sessions) as s:
            journal.append(s, kiosk_id=self.settings.kiosk.id, kind=kind, at=self.clock(), payload=payload)

    def change_shop(self, by: uuid.UUID, draft: ShopDraft) -> None:
        """An admin's new shop name, address, CVR or MobilePay number: in the file, journaled, and used from the
        next receipt on (the services that print the shop read it from these settings)."""
        self.settings = self.shop_identity.save(by, self.settings, draft)
        self.sales.use_settings(self.settings)
        self.signups.use_shop(self.settings.shop)  # the resident's slip and card name the shop too

    def finish_first_start(self) -> SetupResult:
        """Kom i gang's last step: the shop, the first admin and the device checks stored; the shop is used from
        the next receipt on, as after Ret butikken."""
        result = self.first_start.finish(self.settings)
        self.settings = result.settings
        self.sales.use_settings(self.settings)
        self.signups.use_shop(self.settings.shop)  # the resident's slip and card name the shop too
        return result

    def close(self) -> None:
        if self.sync is not None:
            self.sync.stop()
        self.print_queue.stop()
        self.scanner.stop()
        self.engine.dispose()


def open_database(settings: Settings, *, till: bool = False) -> tuple[Engine, sessionmaker[Session]]:
    """Engine with pragmas, migrations applied (the app migrates on every start), and the journal key attached
    (made at first start; a signed journal without its key file is refused: JournalKeyMissing).  A missing
    database where the key or backups show there was one is refused too (EarlierDatabaseMissing), and a disk
    that cannot be written or read is said in Danish (storage_problem)."""
    refuse_fresh_database(settings)  # never a new, empty database where an earlier one was
    engine = make_engine(settings.database_url, first_in_line=till)  # the till's writes before a phone's
    try:
        upgrade(engine)
        journal_key.open_signer(settings, engine)
        sessions = make_session_factory(engine)
        with unit_of_work(sessions) as s:
            journal.bring_key(s, settings.kiosk.id, utc_now())  # a journal kept unsigned before gets the key
    except BaseException as exc:
        engine.dispose()
        problem = storage_problem(exc) if isinstance(exc, DBAPIError) else None
        if problem is not None:
            raise problem from exc
        raise
    return engine, sessions


def build_services(
    settings: Settings,
    *,
    printer: ReceiptPrinter | None = None,
    scanner: Scanner | None = None,
    clock: Clock | None = None,
) -> Services:
    from kiosk.devices.factory import make_printer, make_scanner  # escpos import cost only when needed

    engine, sessions = open_database(settings, till=True)
    ensure_writable(engine)  # a read-only SD card is told now, on the screen, not at the first sale
    clock = clock or utc_now
    if settings.demo:
        seed_demo(sessions, clock())
    printer = printer or make_printer(settings.printer)
    code_guard = CodeGuard(sessions, settings.kiosk.id, clock)
    checkin = CheckIn.from_settings(sessions, settings, clock, codes=code_guard)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock,
        printer=printer,
        scanner=scanner or make_scanner(settings.scanner),
        catalog=Catalog(sessions),
        people=People(sessions),
        jobs=Jobs(sessions),
        sales=Sales(sessions, settings, clock),
        till=Till(sessions, settings, clock),
        checkin=checkin,
        signups=Signups(sessions, settings.kiosk.id, clock, settings.kiosk.resident_retention_months, settings.shop),
        print_queue=PrintQueue(printer),
        staff_access=StaffAccess(sessions, settings.kiosk.id, clock, code_guard),
        code_guard=code_guard,
        product_admin=ProductAdmin(sessions, settings.kiosk.id, clock, settings.data_dir),
        job_admin=JobAdmin(sessions, settings.kiosk.id, clock),
        shop_identity=ShopIdentity(sessions, settings.kiosk.id, clock),
        people_admin=PeopleAdmin(sessions, settings.kiosk.id, clock, checkin, settings.data_dir),
        usb=UsbStorage.from_roots(settings.usb.mount_roots),
        first_start=FirstStart(sessions, settings.kiosk.id, clock),
    )
    # A resident forgotten on request stays forgotten, whatever database file is now in place (a restored backup).
    reapply_forgotten(services.signups, sessions, forgotten_register(settings), clock())
    identity = load_identity(settings)
    if identity is not None:  # one of several kiosks: its series on receipts, its sales into the outbox
        services.sales.use_fleet(identity.series, enqueue)
        watch_shifts(sessions)  # check-in hours go to the server too, each change in its own transaction
        services.sync = SyncWorker(FleetSync(sessions, identity, kiosk_id=settings.kiosk.id))  # its journal too
        # Job places are the server's: a sign-up goes through it (offline: said, and noted for staff).
        services.signups = FleetSignups(services.signups, services.sync.sync, noted_path(settings), clock)
    log.info("kiosk %s ready (%s)", __version__, settings.database_url)
    return services


@dataclass
class WebServices:
    """What `kiosk web` uses: the job board and the sign-ups on the kiosk's own database (no printer, no scanner,
    no staff function).  A sign-up from a phone is the kiosk's own `Signups.sign_up_new`, in one transaction."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]  # for pages that only read: a snapshot, never the write lock a sale waits for
    clock: Clock
    jobs: Jobs  # on `readers`
    signups: Signups  # sign-up, Afmeld, "told": the writes
    lookups: Signups  # a sign-up by its token, on `readers`

    def close(self) -> None:
        self.engine.dispose()


def build_web_services(settings: Settings, *, clock: Clock | None = None) -> WebServices:
    from kiosk.db.engine import READ_ONLY

    engine, sessions = open_database(settings)
    clock = clock or utc_now
    if settings.demo:
        seed_demo(sessions, clock())
    readers = make_session_factory(engine.execution_options(**{READ_ONLY: True}))

    def signups(on: sessionmaker[Session]) -> Signups:
        return Signups(on, settings.kiosk.id, clock, settings.kiosk.resident_retention_months, settings.shop)

    return WebServices(settings, engine, sessions, readers, clock, Jobs(readers), signups(sessions), signups(readers))
