"""Kom i gang: a real shop's first start, on the kiosk itself.

A fresh database has no one who may open the staff menu, so `kiosk run` shows this flow instead of the home
screen until an admin with a code exists: the shop as the receipt names it, the first admin's name and code
(typed twice), a printer check (a test slip, then "Kom der en seddel ud?") and a scanner check.  The answers are
kept here, in the service, while the steps are shown (screens hold no shop state); `finish()` stores all of it in
one transaction, so a power cut half-way through leaves nothing half set up, and the flow simply starts again.

Once an admin exists the flow is over for good: `needed()` is False, every step is refused (`SetupDone`), and
`finish()` checks it again inside its write transaction, so two tries at once cannot make two first admins.
Everything is journaled with the new admin as the one who did it (people by id, never names or codes).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock
from kiosk.config import Settings, ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.pins import check_pin, code_problem, hash_pin, new_token
from kiosk.domain.roles import STAFF_ROLES
from kiosk.domain.text import text_problem
from kiosk.errors import DomainError
from kiosk.i18n import L_, joined
from kiosk.services.people import PersonView, person_view
from kiosk.services.records import journal
from kiosk.services.shop.identity import FIELDS, ShopDraft, ShopInvalid, restore_shop_file, shop_problems
from kiosk.services.shop.identity import write_shop_file as write_shop

log = logging.getLogger(__name__)

Outcome = Literal["ok", "failed", "skipped"]
DEVICES = ("printer", "scanner")


class SetupDone(DomainError):
    """The kiosk has an admin: nothing of the first-start flow may be used any more."""

    user_message = L_("Kiosken er allerede sat op. Log ind under Personale.")


class AdminInvalid(DomainError):
    """`problems` maps a field (name, pin, pin_again) to what is wrong with it, in Danish."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(f"first admin refused: {sorted(problems)}", user_message=joined(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class DeviceCheck:
    outcome: Outcome
    detail: str = ""  # what the scanner read (a barcode, never a badge's token)


@dataclass
class SetupDraft:
    shop: ShopDraft | None = None
    admin_name: str = ""
    admin_pin_hash: str | None = None
    checks: dict[str, DeviceCheck] = field(default_factory=dict)


@dataclass(frozen=True)
class SetupResult:
    settings: Settings
    admin: PersonView
    checks: dict[str, DeviceCheck]


def _has_admin(s: Session) -> bool:
    admin = select(Person.id).where(Person.active, Person.role == "admin", Person.pin_hash.is_not(None))
    return bool(s.scalar(select(exists(admin))))


class FirstStart:
    def __init__(self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock
        self.draft = SetupDraft()

    def needed(self) -> bool:
        """True while no active admin has a code: nobody could open the staff menu."""
        with unit_of_work(self._sessions) as s:
            return not _has_admin(s)

    def _guard(self) -> None:
        if not self.needed():
            self.draft = SetupDraft()
            raise SetupDone("the kiosk already has an admin")

    def begin(self) -> None:
        """A new start of the flow: nothing answered yet."""
        self.draft = SetupDraft()

    def shop_to_show(self, settings: Settings) -> ShopDraft:
        """What the shop step shows: the answer given, else the config file's shop (to correct, not to retype),
        with the example CVR and MobilePay numbers left out, so a placeholder never reaches a receipt unnoticed."""
        if self.draft.shop is not None:
            return self.draft.shop
        shop, example = ShopDraft.of(settings.shop), ShopDraft.of(ShopSettings())
        return replace(
            shop,
            cvr="" if shop.cvr == example.cvr else shop.cvr,
            mobilepay="" if shop.mobilepay == example.mobilepay else shop.mobilepay,
        )

    def set_shop(self, draft: ShopDraft) -> None:
        self._guard()
        draft = draft.cleaned()
        problems = shop_problems(draft)
        if problems:
            raise ShopInvalid(problems)
        self.draft.shop = draft

    def set_admin(self, name: str, pin: str, pin_again: str) -> None:
        """The first admin's name and code, typed twice.  Only the code's hash is kept, even in memory."""
        self._guard()
        cleaned = " ".join(name.split())
        odd = text_problem(cleaned)  # no NUL, ESC or direction override (kiosk.domain.text)
        problems: dict[str, str] = {} if odd is None else {"name": odd}
        if not cleaned:
            problems["name"] = L_("Skriv dit navn.")
        elif len(cleaned) > 120:
            problems["name"] = L_("Navnet er for langt – højst 120 tegn.")
        if code_problem(pin, "admin") is not None:
            problems["pin"] = L_("Koden skal være 6 til 8 tal.")  # an admin's code: a leader's length
        elif pin != pin_again:
            problems["pin_again"] = L_("De to koder er ikke ens. Tast den samme kode to gange.")
        elif self._pin_taken(cleaned, pin):
            problems["pin"] = L_("Den kode er optaget. Vælg en anden.")
        if problems:
            raise AdminInvalid(problems)
        self.draft.admin_name, self.draft.admin_pin_hash = cleaned, hash_pin(pin)

    def _pin_taken(self, name: str, pin: str) -> bool:
        """Staff mode is opened by the code alone: a leader's code may be no one else's (people imported and given
        a code on the command line before the first start may have one)."""
        with unit_of_work(self._sessions) as s:
            others = select(Person.pin_hash).where(Person.active, Person.pin_hash.is_not(None), Person.name != name)
            return any(check_pin(pin, hashed) for hashed in s.scalars(others))

    def checked(self, device: str, outcome: Outcome, detail: str = "") -> None:
        """The printer or scanner check's answer: ok, failed (no slip came out) or skipped."""
        self._guard()
        if device not in DEVICES:
            raise ValueError(f"unknown device {device!r}")
        self.draft.checks[device] = DeviceCheck(outcome, detail[:64])

    def finish(self, settings: Settings) -> SetupResult:
        """Store it all in one transaction: the shop in the config file, the first admin with their code, and the
        journal entries.  A config file that cannot be written leaves nothing stored (DomainError)."""
        draft = self.draft
        if draft.shop is None or draft.admin_pin_hash is None:
            raise DomainError(
                "first start not complete", user_message=L_("Udfyld butikken og den første administrator.")
            )
        path = settings.config_file
        with unit_of_work(self._sessions) as s:
            if _has_admin(s):  # inside the write transaction: a second kiosk or a second tap cannot make another
                self.draft = SetupDraft()
                raise SetupDone("the kiosk already has an admin")
            admin, old_role = self._store_admin(s, draft)
            by = admin.id
            if old_role is None:
                self._journal(s, "person_added", by, {"person": str(by), "role": "admin", "first_start": True})
            elif old_role != "admin":
                changed = {"person": str(by), "from": old_role, "to": "admin", "first_start": True}
                self._journal(s, "role_changed", by, changed)
            self._journal(s, "pin_set", by, {"person": str(by)})
            before = ShopDraft.of(settings.shop)
            changes = {f: {"old": getattr(before, f), "new": getattr(draft.shop, f)} for f in FIELDS
                       if getattr(before, f) != getattr(draft.shop, f)}  # fmt: skip
            old_text: str | None = None
            written = False
            if path is not None:
                old_text, written = write_shop(path, draft.shop), True
            try:
                self._journal(s, "settings_changed", by, {"section": "shop", "changes": changes, "first_start": True})
                for device in DEVICES:
                    check = draft.checks.get(device, DeviceCheck("skipped"))
                    self._journal(s, "device_check", by, {"device": device, "outcome": check.outcome})
                outcomes: dict[str, object] = {d: draft.checks.get(d, DeviceCheck("skipped")).outcome for d in DEVICES}
                self._journal(s, "first_start_done", by, outcomes)
                s.flush()
                view = person_view(admin)
            except BaseException:
                if written:
                    restore_shop_file(path, old_text)  # type: ignore[arg-type]  # written implies a path
                raise
        log.info("first start done: admin %s, checks %s", by, {d: c.outcome for d, c in draft.checks.items()})
        self.draft = SetupDraft()
        shop = replace(settings.shop, **{f: getattr(draft.shop, f) for f in FIELDS})
        return SetupResult(replace(settings, shop=shop), view, dict(draft.checks))

    def _store_admin(self, s: Session, draft: SetupDraft) -> tuple[Person, str | None]:
        """The admin: a staff member of that name already there (imported from a spreadsheet) becomes the admin
        rather than getting a twin (their old role returned); else a new person (None)."""
        same = s.scalars(
            select(Person).where(Person.active, Person.name == draft.admin_name, Person.role.in_(STAFF_ROLES))
        ).first()
        if same is not None:
            old_role = same.role
            same.role, same.pin_hash = "admin", draft.admin_pin_hash
            return same, old_role
        person = Person(name=draft.admin_name, role="admin", badge_token=new_token(), pin_hash=draft.admin_pin_hash)
        s.add(person)
        s.flush()
        return person, None

    def _journal(self, s: Session, kind: str, by: uuid.UUID, payload: dict[str, object]) -> None:
        journal.append(s, kiosk_id=self.kiosk_id, kind=kind, at=self._clock(), payload=payload, person_id=by)
