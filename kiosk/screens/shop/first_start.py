"""Kom i gang: the steps of a real shop's first start (kiosk/services/shop/first_start.py keeps the answers).

1 the shop (name, address, CVR, MobilePay if any) · 2 the first admin (name, code twice) · 3 the printer (a test
slip, then "Kom der en seddel ud?") · 4 the scanner ("Scan en vare eller et kort") · then a summary, whose button
stores it all and opens the home screen.  The printer and scanner checks can be skipped; each says plainly what
will not work until it is fixed.  The app shows these screens only while no admin exists (`in_setup`), and
sends every scan here meanwhile (`setup_scan`).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty

import kiosk.widgets.bigbutton
import kiosk.widgets.header
import kiosk.widgets.keyboard  # noqa: F401  (kv rules of the widgets used below)
from kiosk.domain.scan import classify
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.printouts.slips import test_slip
from kiosk.screens.base import KioskScreen
from kiosk.screens.shop.setup_steps import COUNTED, STEPS
from kiosk.services.shop import AdminInvalid, PrintOutcome, SetupDone, ShopDraft, ShopInvalid
from kiosk.widgets import theme
from kiosk.widgets.explained import explained
from kiosk.widgets.keyboard import FieldGroup, KeyField

if TYPE_CHECKING:
    from kiosk.screens.shell import Shell

log = logging.getLogger(__name__)


def printer_note() -> str:
    # Opsætning prints a test slip again (its port and model are the config file's: kiosk.toml)
    return _("Uden printer kommer der ingen kvitteringer. Salg gemmes stadig. Prøv igen under Personale > Opsætning.")


def scanner_note() -> str:
    return _("Uden scanner kan varer og kort ikke scannes. Tryk på varerne i stedet, og ret det senere.")


def step_back(shell: Shell) -> None:
    """The header's Tilbage: the step before the one on show (none before the first)."""
    at = STEPS.index(shell.current) if shell.current in STEPS else 0
    if at > 0:
        shell.go(STEPS[at - 1])


class SetupScreen(KioskScreen):
    """A step of Kom i gang: the step's number for the header, and what to do when the flow is over."""

    step_text = StringProperty("")

    def refresh(self) -> None:
        number = STEPS.index(self.name) + 1 if self.name in STEPS else 0
        self.step_text = _("Trin {n} af {total}").format(n=number, total=COUNTED) if number <= COUNTED else _("Klar")

    def back(self) -> None:
        at = STEPS.index(self.name)
        if at > 0:
            self.shell.go(STEPS[at - 1])

    def over(self, exc: KioskError) -> None:
        """A refusal: the flow is over (an admin exists) → home; anything else is shown and the step stays."""
        if isinstance(exc, SetupDone):
            self.shell.end_setup()
        self.shell.show_toast(_(exc.user_message), "error", theme.TOAST_READ)


class FormStep(SetupScreen):
    """A step typed on the on-screen keyboard: `next_field` moves on, the last field sends."""

    _fields: FieldGroup | None = None

    def field_list(self) -> list[KeyField]:
        raise NotImplementedError

    def on_kv_post(self, base_widget: Any) -> None:
        self._fields = FieldGroup(self.ids.keyboard, self.field_list())

    def next_field(self) -> None:
        if self._fields is not None and not self._fields.next():
            self.send()

    def send(self) -> None:
        """The step's fields to the service, their last problems cleared; what goes wrong otherwise is explained."""
        for field in self.field_list():
            field.problem = ""
        with explained(self.over):
            self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def show_problems(self, problems: dict[str, str]) -> None:
        fields = dict(zip(self.field_names(), self.field_list(), strict=True))
        for key, message in problems.items():
            fields[key].problem = _(message)
        if self._fields is not None:
            self._fields.choose(next(f for f in self.field_list() if f.problem))

    def field_names(self) -> tuple[str, ...]:
        raise NotImplementedError


class SetupShopScreen(FormStep):
    def field_list(self) -> list[KeyField]:
        ids = self.ids
        return [ids.name, ids.address, ids.cvr, ids.mobilepay]

    def field_names(self) -> tuple[str, ...]:
        return ("name", "address", "cvr", "mobilepay")

    def refresh(self) -> None:
        super().refresh()
        assert self._fields is not None
        self._fields.clear()
        draft = self.services.first_start.shop_to_show(self.services.settings)
        ids = self.ids
        ids.name.text, ids.address.text, ids.cvr.text, ids.mobilepay.text = (
            draft.name, draft.address, draft.cvr, draft.mobilepay
        )  # fmt: skip
        self._fields.choose(ids.name)

    def submit(self) -> None:
        ids = self.ids
        try:
            self.services.first_start.set_shop(
                ShopDraft(ids.name.text, ids.address.text, ids.cvr.text, ids.mobilepay.text)
            )
        except ShopInvalid as exc:
            self.show_problems(exc.problems)
            return
        self.shell.go("setup_admin")


class SetupAdminScreen(FormStep):
    def field_list(self) -> list[KeyField]:
        ids = self.ids
        return [ids.name, ids.pin, ids.pin_again]

    def field_names(self) -> tuple[str, ...]:
        return ("name", "pin", "pin_again")

    def refresh(self) -> None:
        super().refresh()
        assert self._fields is not None
        self._fields.clear()  # a code is never shown again, not even to its owner
        self.ids.name.text = self.services.first_start.draft.admin_name
        self._fields.choose(self.ids.name)

    def submit(self) -> None:
        ids = self.ids
        try:
            self.services.first_start.set_admin(ids.name.text, ids.pin.text, ids.pin_again.text)
        except AdminInvalid as exc:
            if "pin_again" in exc.problems:
                ids.pin.text = ids.pin_again.text = ""  # start both again: which one was mistyped is unknown
            self.show_problems(exc.problems)
            return
        ids.pin.text = ids.pin_again.text = ""
        self.shell.go("setup_printer")


class SetupPrinterScreen(SetupScreen):
    """ready → (Udskriv prøveseddel) printing → ask "Kom der en seddel ud?" → Ja: next | Nej: failed (retry or
    skip).  A printer that refuses the bytes goes straight to failed, with the printer's own message."""

    state = StringProperty("ready")
    message = StringProperty("")
    printing = BooleanProperty(False)

    def refresh(self) -> None:
        super().refresh()
        self.state, self.message, self.printing = "ready", "", False

    def print_slip(self) -> None:
        if self.printing:
            return
        self.printing, self.state = True, "printing"
        shop = self.services.first_start.draft.shop
        settings = self.services.settings
        if shop is not None:  # the slip shows the shop just typed, so its name and æøå can be checked on paper
            settings = replace(
                settings, shop=replace(settings.shop, name=shop.name, address=shop.address, cvr=shop.cvr)
            )
        self.services.print_queue.submit(
            test_slip(settings), lambda outcome: Clock.schedule_once(lambda _dt: self._printed(outcome))
        )

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printing = False
        if self.manager is None or self.manager.current != self.name:
            return  # the person moved on (skipped) meanwhile
        if outcome.ok:
            self.state, self.message = "ask", ""
        else:
            log.info("first start: test slip failed: %s", outcome.message)
            self.state, self.message = "failed", _(outcome.message)

    def answer(self, came_out: bool) -> None:
        if came_out:
            self._record("ok")
        else:
            self.state, self.message = "failed", _("Tjek at printeren er tændt, har papir og sidder i stikket.")

    def skip(self) -> None:
        self._record("failed" if self.state == "failed" else "skipped")

    def _record(self, outcome: str) -> None:
        with explained(self.over):
            self.services.first_start.checked("printer", outcome)  # type: ignore[arg-type]
            self.shell.go("setup_scanner")


class SetupScannerScreen(SetupScreen):
    """Waiting for a scan; the first one shows what was read (a product's barcode as it is; a kiosk card as the
    kind of card, never its token) and "Videre" moves on."""

    read = StringProperty("")

    def refresh(self) -> None:
        super().refresh()
        self.read = ""

    def scanned(self, code: str) -> None:
        scan = classify(code, self.services.settings.job_urls)
        shown = scan.value if scan.kind == "product" else _("et kort eller en QR-kode fra kiosken")
        if scan.kind == "garbage":
            shown = _("noget, men koden kunne ikke læses – prøv en anden vare")
        self.read = shown
        if scan.kind != "garbage":
            with explained(self.over):
                self.services.first_start.checked("scanner", "ok", scan.value if scan.kind == "product" else scan.kind)

    def skip(self) -> None:
        with explained(self.over):
            self.services.first_start.checked("scanner", "skipped")
            self.shell.go("setup_done")

    def forward(self) -> None:
        self.shell.go("setup_done")


class SetupDoneScreen(SetupScreen):
    """What was set up, and what was skipped with what that means; "Start kiosken" stores it all."""

    shop_text = StringProperty("")
    admin_text = StringProperty("")
    printer_text = StringProperty("")
    scanner_text = StringProperty("")
    printer_ok = BooleanProperty(False)
    scanner_ok = BooleanProperty(False)

    def refresh(self) -> None:
        super().refresh()
        draft = self.services.first_start.draft
        shop = draft.shop
        self.shop_text = f"{shop.name}, {shop.address}, CVR {shop.cvr}" if shop else ""
        self.admin_text = _("{name} – din kode åbner Personale.").format(name=draft.admin_name)
        checks = draft.checks
        self.printer_ok = checks.get("printer") is not None and checks["printer"].outcome == "ok"
        self.scanner_ok = checks.get("scanner") is not None and checks["scanner"].outcome == "ok"
        self.printer_text = _("Printeren virker.") if self.printer_ok else printer_note()
        self.scanner_text = _("Scanneren virker.") if self.scanner_ok else scanner_note()

    def start(self) -> None:
        with explained(self.over):
            result = self.services.finish_first_start()
            self.shell.end_setup()
            self.shell.show_toast(
                _("Velkommen, {name}! Tryk på Personale og tast din kode for at tilføje personer og varer.").format(
                    name=result.admin.first_name
                ),
                "ok",
                theme.TOAST_LONGEST,
            )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
