"""Rapport til kommunen (supervisor): the period's key figures and two charts, "Gem PDF" / "Gem CSV" on a USB
stick (never printed), and the backup status (red when the last good backup is more than two days old).

Figures, files and backups are worked out on a worker thread; the screen only shows the results.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

import kiosk.widgets.bar_chart
import kiosk.widgets.bigbutton
import kiosk.widgets.header  # noqa: F401  (kv rules of the widgets used below)
from kiosk.clock import to_local
from kiosk.errors import KioskError
from kiosk.i18n import _, format_clock, format_day
from kiosk.printouts.impact_charts import number
from kiosk.screens.base import KioskScreen
from kiosk.services.records import backup
from kiosk.services.reports import PERIODS, ImpactReport, SavedReport, period_bounds, save_report
from kiosk.services.reports import collect_impact as collect
from kiosk.widgets import theme

log = logging.getLogger(__name__)


def period_names() -> dict[str, str]:
    return {
        "last_month": _("Sidste måned"),
        "last_quarter": _("Sidste kvartal"),
        "this_year": _("I år"),
        "last_year": _("Sidste år"),
    }


def tile_labels() -> dict[str, str]:
    """The key figures on screen (the PDF and CSV have them all)."""
    return {
        "active_workers": _("Aktive medarbejdere"),
        "new_workers": _("Nye medarbejdere"),
        "hours": _("Betalte timer"),
        "hours_per_week": _("Timer pr. person pr. uge"),
        "stability": _("Stabilt fremmøde"),
        "places_filled": _("Småjobs: pladser besat"),
        "no_show_rate": _("Udeblivelser"),
        "residents_engaged": _("Beboere engageret"),
        "sales": _("Salg i alt"),
    }


class FigureTile(BoxLayout):
    value = StringProperty("")
    caption = StringProperty("")


class ImpactScreen(KioskScreen):
    supervisor = ObjectProperty(None, allownone=True)  # the leader on the staff menu
    period = OptionProperty("last_quarter", options=PERIODS)
    period_text = StringProperty("")
    busy = BooleanProperty(False)
    backup_text = StringProperty("")
    backup_stale = BooleanProperty(False)
    hours_values = ListProperty([])
    hours_texts = ListProperty([])
    sales_values = ListProperty([])
    sales_texts = ListProperty([])
    week_labels = ListProperty([])

    @staticmethod
    def period_name(period: str) -> str:
        return period_names()[period]

    def refresh(self) -> None:
        self.show_backup_status()
        self.load()

    def choose(self, period: str) -> None:
        self.period = period
        self.load()

    def bounds(self) -> tuple[Any, Any]:
        return period_bounds(self.period, to_local(self.services.clock()).date())  # type: ignore[arg-type]

    def load(self) -> None:
        first, last = self.bounds()
        services = self.services
        self.busy = True
        self.period_text = _("Regner …")
        self._in_background(
            lambda: collect(services.sessions, first, last, shop=services.settings.shop, now=services.clock()),
            self.show,
        )

    def show(self, report: ImpactReport) -> None:
        self.busy = False
        self.period_text = _(report.period_text)  # a Text: the dates in the kiosk's language
        texts = {f.key: f.text for f in report.figures()}
        grid = self.ids.tiles
        grid.clear_widgets()
        for key, caption in tile_labels().items():
            grid.add_widget(FigureTile(value=texts[key], caption=caption))
        weeks = report.weeks
        self.week_labels = [str(w.monday.isocalendar().week) for w in weeks]
        self.hours_values = [None if w.hours is None else float(w.hours) for w in weeks]
        self.hours_texts = ["<5" if w.hours is None else number(float(w.hours)) for w in weeks]
        self.sales_values = [w.sales_ore / 100 for w in weeks]
        self.sales_texts = [number(w.sales_ore / 100) for w in weeks]

    def save(self, kind: str) -> None:
        if self.busy:
            return
        first, last = self.bounds()
        services = self.services
        self.busy = True
        self._in_background(
            lambda: save_report(services.sessions, services.settings, first, last, kind, now=services.clock()),  # type: ignore[arg-type]
            self.saved,
        )

    def saved(self, result: SavedReport) -> None:
        self.busy = False
        if result.on_stick:
            self.shell.show_toast(
                _("Gemt på USB-nøglen: {name}").format(name=result.main_file.name), "ok", theme.TOAST_LONG
            )
        else:
            message = _("Ingen USB-nøgle fundet. Rapporten er gemt i kiosken: {path}")
            self.shell.show_toast(message.format(path=result.main_file), "info", theme.TOAST_LONGEST)

    def backup_now(self) -> None:
        if self.busy:
            return
        services = self.services
        self.busy = True
        self._in_background(lambda: backup.take_backup(services.settings, services.sessions), self.backed_up)

    def backed_up(self, result: backup.BackupResult) -> None:
        self.busy = False
        self.show_backup_status()
        self.shell.show_toast(
            _("Backup gemt og kontrolleret: {name}").format(name=Path(result.path).name), "ok", theme.TOAST_LONG
        )

    def show_backup_status(self) -> None:
        state = backup.status(self.services.sessions, self.services.settings.kiosk.id, self.services.clock())
        self.backup_stale = state.stale
        if state.last_at is None:
            self.backup_text = _("Der er endnu ikke taget nogen backup.")
        else:
            day, clock = format_day(state.last_at), format_clock(state.last_at)
            self.backup_text = _("Sidste backup: {day} kl. {time}").format(day=day, time=clock)
            if state.stale:
                self.backup_text += "  " + _("– over to dage siden!")

    def _in_background(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        def run() -> None:
            try:
                result = work()
            except KioskError as exc:
                log.warning("impact screen: %s", exc)
                message = exc.user_message
                Clock.schedule_once(lambda _dt: self._failed(message))
                return
            except Exception:
                log.exception("impact screen")
                Clock.schedule_once(lambda _dt: self._failed(KioskError.user_message))
                return
            Clock.schedule_once(lambda _dt: done(result))

        threading.Thread(target=run, name="impact", daemon=True).start()

    def _failed(self, message: str) -> None:
        self.busy = False
        self.shell.show_toast(message, "error", theme.TOAST_READ)


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
