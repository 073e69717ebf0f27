"""Opsætning (admin): what the kiosk is set up with (shop, kiosk, folders) and whether the printer, scanner
and backup work.  "Ret" opens the shop's name, address, CVR and MobilePay number (kiosk/screens/shop/shop_edit.py);
everything else lives in the TOML file, and the screen says where.

The printer is asked on its own thread (kiosk/services/shop/system_status.py): a dead network printer takes
seconds to answer, so the screen says "Tjekker …" meanwhile.  "Udskriv testseddel" prints the slip
`kiosk printer-test` prints, through the print queue.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401
from kiosk.config import PrinterSettings, ScannerSettings
from kiosk.i18n import _, format_clock, format_day, n_
from kiosk.printouts.slips import test_slip
from kiosk.screens.base import KioskScreen
from kiosk.services.shop import PrintOutcome, system_status
from kiosk.widgets import theme

log = logging.getLogger(__name__)


class SetupFact(BoxLayout):
    label = StringProperty("")
    value = StringProperty("")


def _on_off(value: bool) -> str:
    return _("Til") if value else _("Fra")


def printer_words(printer: PrinterSettings) -> str:
    """What printer the kiosk is set up with, in plain words: "ESC/POS-printer på serial:/dev/ttyUSB0" and its
    model, character set, QR kind and line width."""
    width = _("{n} tegn pr. linje").format(n=printer.columns)
    if printer.url == "preview":
        return _("Simuleret printer: bonen vises på skærmen") + " · " + width
    if printer.url == "dummy":
        return _("Ingen printer: intet bliver udskrevet")
    qr = _("printerens egen") if printer.qr == "native" else _("som billede")
    return "\n".join(
        (
            _("ESC/POS-printer på {url}").format(url=printer.url),
            " · ".join(
                (
                    _("Model {profile}").format(profile=printer.profile),
                    _("Tegnsæt {codepage}").format(codepage=printer.codepage),
                    _("QR-kode: {kind}").format(kind=qr),
                    width,
                )
            ),
        )
    )


def scanner_words(scanner: ScannerSettings) -> str:
    """What scanner the kiosk is set up with; whether it answers is said on the line above."""
    if scanner.url == "keyboard":
        return _("Scanner som tastatur: tegn højst {ms} ms fra hinanden, mindst {n} tegn").format(
            ms=scanner.max_key_interval_ms, n=scanner.min_length
        )
    if scanner.url == "dummy":
        return _("Simuleret scanner")
    return _("Scanner på {url}").format(url=scanner.url)


def _language(code: str) -> str:
    return {"da": _("Dansk"), "en": _("Engelsk")}.get(code, code)


class SettingsScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)
    printer_text = StringProperty("")
    printer_ok = BooleanProperty(True)
    printer_detail = StringProperty("")
    scanner_text = StringProperty("")
    scanner_ok = BooleanProperty(True)
    scanner_detail = StringProperty("")
    backup_text = StringProperty("")
    backup_ok = BooleanProperty(True)
    version_text = StringProperty("")
    hint = StringProperty("")
    printing = BooleanProperty(False)

    _check = 0  # which printer check the screen waits for (an older answer arriving late is ignored)

    def refresh(self) -> None:
        s = self.services
        info = system_status.overview(s.settings, s.printer, s.scanner, s.sessions, s.clock())
        shop, kiosk = info.settings.shop, info.settings.kiosk
        self._rows(
            "shop_rows",
            (
                (_("Navn"), shop.name),
                (_("Adresse"), shop.address),
                (_("CVR"), shop.cvr),
                (_("MobilePay"), shop.mobilepay),
                (_("QR på bonen"), info.settings.receipt_qr or _("Ingen: [web] public_url er kun et eksempel")),
                (_("Adresse til småjobs"), info.settings.job_url),
            ),
        )
        timeout = kiosk.idle_timeout_s
        config = str(info.config_file)
        if not info.config_file_exists:
            config += "\n" + _("(findes ikke – standardværdier bruges)")
        self._rows(
            "kiosk_rows",
            (
                (_("Kiosk-id"), kiosk.id),
                (_("Sprog"), _language(kiosk.language)),
                (_("Tilbage til start"), n_("efter 1 sekund", "efter {n} sekunder", timeout)),
                (_("Kiosktilstand"), _on_off(kiosk.kiosk_mode)),
                (_("Datamappe"), str(info.settings.data_dir)),
                (_("Opsætningsfil"), config),
            ),
        )
        # In words from the settings, in the kiosk's language: the devices' own describe() is for the log.
        self.printer_detail = printer_words(info.settings.printer)
        self.scanner_detail = scanner_words(info.settings.scanner)
        if info.scanner_is_keyboard:
            self.scanner_ok, self.scanner_text = True, _("Scanner som tastatur. Scan en vare for at prøve den.")
        elif info.scanner_connected:
            self.scanner_ok, self.scanner_text = True, _("Scanneren er tilsluttet.")
        else:
            self.scanner_ok, self.scanner_text = False, _("Scanneren er ikke tilsluttet. Tjek kablet.")
        self._show_backup(info)
        self.version_text = _("Version {version}").format(version=info.version)
        self.hint = _("Resten ændres i opsætningsfilen {path} – spørg den ansvarlige.").format(path=info.config_file)
        self.check_printer()

    def _rows(self, box: str, rows: tuple[tuple[str, str], ...]) -> None:
        grid = self.ids[box]
        grid.clear_widgets()
        for label, value in rows:
            grid.add_widget(SetupFact(label=label, value=value))

    def _show_backup(self, info: system_status.Overview) -> None:
        state = info.backup
        self.backup_ok = not state.stale
        if state.last_at is None:
            self.backup_text = _("Der er endnu ikke taget nogen backup.")
            return
        day, clock = format_day(state.last_at), format_clock(state.last_at)
        self.backup_text = _("Sidste backup: {day} kl. {time}").format(day=day, time=clock)
        if state.stale:
            self.backup_text += "  " + _("– over to dage siden!")

    def edit_shop(self) -> None:
        self.shell.go("shop_edit", supervisor=self.supervisor)

    # ---- the printer ----

    def check_printer(self) -> None:
        self._check += 1
        check = self._check
        self.printer_ok, self.printer_text = True, _("Tjekker printeren …")
        system_status.check_printer(
            self.services.printer, lambda online: Clock.schedule_once(lambda _dt: self._printer_state(check, online))
        )

    def _printer_state(self, check: int, online: bool) -> None:
        if check != self._check:
            return
        self.printer_ok = online
        self.printer_text = _("Printeren svarer.") if online else _("Printeren svarer ikke. Tjek strøm og kabel.")

    def print_test(self) -> None:
        if self.printing:
            return
        self.printing = True
        doc = test_slip(self.services.settings)
        self.services.print_queue.submit(doc, lambda outcome: Clock.schedule_once(lambda _dt: self._printed(outcome)))
        self.shell.show_toast(_("Testsedlen udskrives …"), "info")

    def _printed(self, outcome: PrintOutcome) -> None:
        self.printing = False
        self._check += 1  # what the print just showed is newer than any check still under way
        self._printer_state(self._check, outcome.ok)
        if outcome.ok:
            self.shell.show_toast(_("Testsedlen er udskrevet. Er ÆØÅ og QR-koden pæne?"), "ok", theme.TOAST_LONG)
        else:
            log.info("test slip failed: %s", outcome.message)
            self.shell.show_toast(outcome.message, "error", theme.TOAST_READ)

    def on_leave(self, *args: Any) -> None:
        self._check += 1  # a check still under way no longer matters


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
