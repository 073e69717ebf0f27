"""The Kivy app: screens from SCREENS, scans routed to the right screen, kiosk mode, idle timeout, demo preview.

Devices never touch widgets: a scanner calls back on its own thread and `_scan_from_device` hands the code to
the UI thread with ``Clock.schedule_once``; the preview printer's listener does the same for receipts.
"""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv
# Kivy's default ("KIVY") mode puts its own console handler on the root logger beside ours (every line twice) and
# swaps sys.stderr for a logger; "PYTHON" mode only logs to the "kivy" logger, which propagates to our handler.
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

import contextlib
import gc
import logging
import re
import signal
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.config import Config
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.modalview import ModalView
from kivy.uix.screenmanager import NoTransition

from kiosk import i18n
from kiosk.devices import systemd_notify
from kiosk.domain.scan import FOREIGN, classify
from kiosk.errors import KioskError
from kiosk.i18n import _
from kiosk.printouts.document import Document
from kiosk.screens import SCREENS
from kiosk.screens.checkin.checkin import checkin_scan
from kiosk.screens.jobs.job_flow import jobs_scan
from kiosk.screens.people.staff import end_staff_session, is_staff_screen, staff_scan
from kiosk.screens.sales.counter import Counter
from kiosk.screens.sales.refund import receipt_scan
from kiosk.screens.shop.setup_steps import FIRST as SETUP_FIRST
from kiosk.screens.shop.setup_steps import is_setup_screen, setup_scan
from kiosk.services.people.directory import PersonView
from kiosk.services.records.daily import start_daily
from kiosk.services.sales.catalog import ProductView
from kiosk.widgets import theme
from kiosk.widgets.lazy_screens import LazyScreenManager
from kiosk.widgets.one_finger import OneFinger
from kiosk.widgets.popup_touch import PopupTouchGuard
from kiosk.widgets.preview import ReceiptPreview
from kiosk.widgets.toast import DemoBanner, Toast
from kiosk.widgets.training import TrainingBanner

if TYPE_CHECKING:
    from kiosk.bootstrap import Services

log = logging.getLogger(__name__)

HOME = "home"
ENTER_KEYS = (13, 271)  # Return and keypad Enter
IDLE_CHECK_S = 1.0
PREBUILD_AFTER_S = 1.0  # the other screens are built one per frame from then on (or when first shown)
UPKEEP_FIRST_S, UPKEEP_EVERY_S = 60.0, 24 * 3600.0  # småjobs upkeep: a minute after start, then once a day
# Characters a US-layout Shift gives; only used when SDL sends no text event for a key (no text field had focus).
_US_SHIFTED = dict(zip("1234567890-=[];'\\,./`", '!@#$%^&*()_+{}:"|<>?~', strict=True))
# Keys that close a window on a desktop (Alt+F4; Ctrl+Q / Ctrl+W in many apps): swallowed in kiosk mode.
_CLOSE_KEYS = ((285, "alt"), (113, "ctrl"), (119, "ctrl"))


def configure_kivy(*, kiosk_mode: bool, size: tuple[int, int] | None = (1280, 800)) -> None:
    """Window settings that only count before the Window exists: call before anything imports it."""
    quiet_kivy_input_probes()
    one_input_provider()
    Config.set("kivy", "exit_on_escape", "0" if kiosk_mode else "1")
    Config.set("input", "mouse", "mouse,multitouch_on_demand")  # no red multitouch dots on right-click
    if kiosk_mode:  # a touchscreen: no multitouch emulation at all, and no mouse double of a touch another provider saw
        Config.set("input", "mouse", "mouse,disable_multitouch,disable_on_activity")
        Config.set("graphics", "fullscreen", "auto")
        Config.set("graphics", "show_cursor", "0")
    elif size is not None:
        Config.set("graphics", "fullscreen", "0")
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))


def one_input_provider() -> None:
    """Only SDL2's pointer ("mouse") reads touches: a second provider for the same touchscreen (Kivy's default
    ``%(name)s = probesysfs``, which finds it and hands it to mtdev or hidinput) makes every tap arrive twice
    (DESIGN §5).  SDL2 turns the touchscreen's first finger into pointer events under KMS/DRM on the Pi and under
    X11/Wayland alike, and a mouse keeps working on a laptop.  A device an installer named by hand in Kivy's
    config.ini (``touch = hidinput,/dev/input/event0``, for a screen SDL2 cannot read) is kept.  In memory only:
    config.ini is not rewritten."""
    for key in Config.options("input"):
        if Config.get("input", key).startswith("probesysfs"):
            Config.remove_option("input", key)


class _InputProbeFilter(logging.Filter):
    """Kivy imports every Linux input provider when its window module loads and logs an ERROR with a traceback for
    each one whose library is missing (mtdev without libmtdev.so.1).  We use none of them (one_input_provider), so
    the failure is a debug line here instead of a traceback on every start."""

    PROBE = re.compile(r"^Input: (\w+) is not (supported|available)")

    def filter(self, record: logging.LogRecord) -> bool:
        found = self.PROBE.match(str(record.msg))
        if found is None:
            return True
        reason = record.exc_info[1] if record.exc_info else None
        log.debug("Kivy's %s input is not available here (%s); not used: touch comes through SDL2", found[1], reason)
        return False


def quiet_kivy_input_probes() -> None:
    kivy_log = logging.getLogger("kivy")
    if not any(isinstance(f, _InputProbeFilter) for f in kivy_log.filters):
        kivy_log.addFilter(_InputProbeFilter())


class KioskRoot(FloatLayout):
    """The screens, and above them the toast and (in demo mode) the DEMO banner."""


class KioskApp(App):
    title = StringProperty("Hedemarken kiosk")
    language = StringProperty(i18n.SOURCE_LANGUAGE)
    kiosk_mode = BooleanProperty(False)
    sm = ObjectProperty(None)
    toast = ObjectProperty(None)
    counter = ObjectProperty(None)  # who sells, the cart and its payment: shared by the Køb and Betal screens
    training = BooleanProperty(False)  # Øvelse: a banner on every screen, sales kept out of the real figures
    in_setup = BooleanProperty(False)  # Kom i gang: no admin yet, so only the first-start steps can be reached

    def __init__(self, services: Services, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.services = services
        # When each key arrived: a wedge scan is told from typing by the gaps.  Replaceable so tests are not
        # at the mercy of a busy CI machine's scheduler.
        self.key_clock: Callable[[], float] = time.monotonic
        self.title = services.settings.shop.name
        self.kiosk_mode = services.settings.kiosk.kiosk_mode
        self.idle_timeout_s = float(services.settings.kiosk.idle_timeout_s)
        i18n.set_language(services.settings.kiosk.language)
        self.language = i18n.get_language()
        self._last_activity = time.monotonic()
        self._pending_key: tuple[str, float] | None = None
        self._bindings: list[tuple[str, Callable[..., Any]]] = []
        self._idle_event: Any = None
        self._upkeep_events: list[Any] = []
        self._preview: ReceiptPreview | None = None
        self._stopped = False
        self._prebuild_event: Any = None
        self.counter = Counter(services)
        self.systemd = systemd_notify.Notifier.from_env()  # READY=1 and WATCHDOG=1 under systemd (kiosk.service)
        self._watchdog_event: Any = None

    # ---- building ----

    def build(self) -> KioskRoot:
        from kivy.core.window import Window

        Window.clearcolor = theme.BACKGROUND
        root = KioskRoot()
        self.sm = LazyScreenManager(transition=NoTransition())
        root.add_widget(self.sm)
        if self.services.settings.demo:
            root.add_widget(DemoBanner())
        root.add_widget(TrainingBanner())
        self.toast = Toast()
        root.add_widget(self.toast)
        self._fill_screens()
        return root

    def _fill_screens(self) -> None:
        self.sm.set_factories(dict(SCREENS))
        if not self.in_setup and self.services.first_start.needed():
            self.begin_setup()
        # built now; the rest when first shown, or one per frame once the kiosk is up
        self.sm.current = SETUP_FIRST if self.in_setup else HOME
        if self._prebuild_event is None:  # after the first frames: the home screen comes first
            self._prebuild_event = Clock.schedule_once(self._start_prebuild, PREBUILD_AFTER_S)

    def _start_prebuild(self, _dt: float) -> None:
        self._prebuild_event = Clock.schedule_interval(self._build_one_screen, 0)

    def _build_one_screen(self, _dt: float) -> bool:
        if self.sm is not None and self.sm.build_next():
            return True
        self._prebuild_event = None
        # What exists now lives as long as the app (screens, mappers, caches): keep it out of the collector's
        # full passes, which otherwise walk all of it (a pause of up to half a second, met as a late scan).
        gc.collect()
        gc.freeze()
        return False

    def on_start(self) -> None:
        from kivy.core.window import Window

        if self.kiosk_mode:
            Config.set("kivy", "exit_on_escape", "0")
            Window.show_cursor = False
            Window.fullscreen = "auto"
        self._bind(Window, "on_request_close", self._on_request_close)
        self._bind(Window, "on_touch_down", self._on_touch_activity)
        self._bind(Window, "on_key_down", self._on_key_down)
        self._bind(Window, "on_textinput", self._on_textinput)
        for event, handler in PopupTouchGuard(Window).handlers():  # before OneFinger: it must see every touch end
            self._bind(Window, event, handler)  # the tap that closes a popup never lands beneath it
        for event, handler in OneFinger(lambda: bool(self.kiosk_mode)).handlers():
            self._bind(Window, event, handler)  # kiosk mode: a second finger or a palm is ignored
        self._idle_event = Clock.schedule_interval(self._check_idle, IDLE_CHECK_S)
        self._upkeep_events = [
            Clock.schedule_once(self.daily_upkeep, UPKEEP_FIRST_S),
            Clock.schedule_interval(self.daily_upkeep, UPKEEP_EVERY_S),
        ]
        add_listener = getattr(self.services.printer, "add_listener", None)
        if self.services.settings.demo and add_listener is not None:
            add_listener(self._printed_from_device)
        self.services.scanner.start(self._scan_from_device)
        self._journal("app_start", kiosk_mode=self.kiosk_mode, demo=self.services.settings.demo)
        self._start_systemd(Window)

    def on_stop(self) -> None:
        from kivy.core.window import Window

        if self._stopped:  # Kivy dispatches on_stop twice when stop() is called from inside run()
            return
        self._stopped = True
        self._stop_systemd()
        self._journal("app_stop")
        self.services.scanner.stop()
        remove_listener = getattr(self.services.printer, "remove_listener", None)
        if remove_listener is not None:
            with contextlib.suppress(ValueError):  # never added (not demo)
                remove_listener(self._printed_from_device)
        if self._idle_event is not None:
            self._idle_event.cancel()
        for event in self._upkeep_events:
            event.cancel()
        if self._prebuild_event is not None:
            self._prebuild_event.cancel()
            self._prebuild_event = None
        for event, handler in self._bindings:
            Window.unbind(**{event: handler})
        self._bindings.clear()

    # ---- systemd: READY=1 once the first frame is on screen, WATCHDOG=1 from this (the UI) thread's clock ----

    def _start_systemd(self, window: Any) -> None:
        if not self.systemd.enabled:
            return
        self._bind(window, "on_flip", self._first_frame)
        interval = systemd_notify.watchdog_interval_s()
        if interval is not None:  # a hung UI thread stops these pings, and systemd restarts the kiosk
            self._watchdog_event = Clock.schedule_interval(self._watchdog_ping, interval)
            self.systemd.watchdog()

    def _watchdog_ping(self, _dt: float) -> None:
        self.systemd.watchdog()  # returns None: a False would unschedule the interval (a lost datagram is no hang)

    def _first_frame(self, window: Any) -> None:
        window.unbind(on_flip=self._first_frame)
        self.systemd.ready(status="kiosken kører")
        log.info("first frame drawn: READY=1 sent to systemd")

    def _stop_systemd(self) -> None:
        if self._watchdog_event is not None:
            self._watchdog_event.cancel()
            self._watchdog_event = None
        self.systemd.stopping()
        self.systemd.close()

    def _bind(self, window: Any, event: str, handler: Callable[..., Any]) -> None:
        window.bind(**{event: handler})
        self._bindings.append((event, handler))

    def _journal(self, kind: str, **payload: object) -> None:
        try:
            self.services.record(kind, **payload)
        except KioskError:
            log.exception("could not journal %s", kind)

    # ---- navigation and messages ----

    def go(self, name: str) -> None:
        if name not in SCREENS:
            raise ValueError(f"unknown screen {name!r}; registered: {', '.join(SCREENS)}")
        if self.in_setup != is_setup_screen(name):  # no shop before the first admin, no setup after it
            name = SETUP_FIRST if self.in_setup else HOME
        self.touch_activity()
        if not is_staff_screen(name):
            end_staff_session(self, "left")  # staff mode lasts only while its screens are showing
        if self.sm.current != name:
            self.sm.current = name
            if self.toast is not None:
                self.toast.hide()  # a message belongs to the screen it was shown on

    def go_home(self) -> None:
        self.go(HOME)

    def begin_setup(self) -> None:
        """Kom i gang instead of home: no one could open the staff menu yet (kiosk/screens/shop/first_start.py)."""
        self.services.first_start.begin()
        self.in_setup = True
        log.info("no admin yet: the first-start flow is shown")

    def end_setup(self) -> None:
        """The first admin exists: the first-start steps can never be reached again; home from now on."""
        self.in_setup = False
        self.title = self.services.settings.shop.name
        self.go_home()

    def show_toast(self, text: str, kind: str = "info", seconds: float = 4.0) -> None:
        if self.toast is not None:
            self.toast.show(text, kind, seconds)

    def toggle_language(self) -> None:
        self.set_language("en" if self.language == "da" else "da")

    def set_language(self, language: str) -> None:
        """Switch and rebuild the screens (kv evaluates ``_()`` when a widget is created)."""
        i18n.set_language(language)
        self.language = i18n.get_language()
        current = self.sm.current if self.sm is not None else HOME
        self._fill_screens()
        self.sm.current = current

    # ---- what taps and scans do (one line each into services; issues 3 and 4 grow these) ----

    def show_product(self, product: ProductView) -> None:
        """A product scanned anywhere: one more in the open sale (kept while a payment is half taken)."""
        if self.counter.busy:
            self.show_toast(_("Gør betalingen færdig først"), "error", 6)
            return
        self.go("sale")
        self.sm.current_screen.add_scanned(product)

    def sale_in_progress(self) -> bool:
        """The till is on screen (Køb / Betal): a badge opens the till there, rather than clocking in."""
        return self.sm is not None and self.sm.current in ("sale", "pay")

    def greet(self, person: PersonView) -> None:
        self.show_toast(_("Hej, {name}!").format(name=person.first_name), "ok")

    def handle_scan(self, code: str) -> None:
        """On the UI thread: what a scanned code means, wherever the kiosk is."""
        self.touch_activity()
        if self.in_setup:
            setup_scan(self, code)  # the scanner check, or "finish setting up first"
            return
        try:
            self._route_scan(code)
        except KioskError as exc:
            log.warning("scan %r failed: %s", code, exc)
            self.show_toast(exc.user_message, "error", 6)

    def _route_scan(self, code: str) -> None:
        scan = classify(code, self.services.settings.shop.job_url)
        log.info("scan: %s", scan.kind)
        if staff_scan(self, scan):
            return  # staff mode (a leader's badge, a barcode for the product form): kiosk/screens/people/staff.py
        if scan.kind == "product":
            product = self.services.catalog.by_barcode(scan.value)
            if product is None and self.sm.current == "sale" and self.counter.seller is not None:
                self.sm.current_screen.unknown_barcode(scan.value)  # staff can attach it to a product
            elif product is None:
                self.show_toast(_("Ukendt vare – spørg en medarbejder"), "error", 6)
            else:
                self.show_product(product)
        elif jobs_scan(self, scan, code):
            pass  # småjobs: open the job, sign up by card, check in on the day, Afmeld (kiosk/screens/jobs/job_flow.py)
        elif scan.kind in ("badge", "card") and checkin_scan(self, code):
            pass  # outside a sale: Mød ind / Gå hjem (kiosk/screens/checkin/checkin.py)
        elif scan.kind == "badge":
            person = self.services.people.by_badge(scan.value)
            if person is None:
                self.show_toast(_("Ukendt kort – spørg en medarbejder"), "error", 6)
            elif self.sm.current == "sale" and self.counter.seller is None:
                self.sm.current_screen.log_in(person)  # the till was locked: this person sells now
            else:
                self.greet(person)
        elif scan.kind in ("job", "signup"):
            self.show_toast(_("Gør salget færdigt først"), "error", 6)
        elif scan.kind == "receipt":
            receipt_scan(self, scan.value)  # Retur: that sale on the refund screen (kiosk/screens/sales/refund.py)
        elif scan.kind == "garbage" and scan.value == FOREIGN:
            self.show_toast(_("Den kode er ikke fra kiosken – den hører til et andet system"), "error", 6)
        elif scan.kind == "garbage":
            self.show_toast(_("Koden kunne ikke læses – prøv igen"), "error", 6)
        else:
            self.show_toast(_("Den kode kan ikke bruges her endnu"), "info", 6)

    def daily_upkeep(self, _dt: float = 0.0) -> None:
        """Once a day: no-shows for ended jobs, residents' data past the retention time, the backup.  One job, on
        a worker thread (kiosk/services/records/daily.py decides what is due): this returns at once."""
        start_daily(self.services)

    # ---- device callbacks: any thread in, UI thread out ----

    def _scan_from_device(self, code: str) -> None:
        Clock.schedule_once(lambda _dt: self.handle_scan(code))

    def _printed_from_device(self, doc: Document, text: str) -> None:
        Clock.schedule_once(lambda _dt: self.show_receipt_preview(doc.title, text))

    def show_receipt_preview(self, title: str, text: str) -> ReceiptPreview:
        if self._preview is not None:
            self._preview.dismiss(animation=False)
        self._preview = ReceiptPreview(title=title, receipt=text, columns=self.services.printer.columns)
        self._preview.open()
        return self._preview

    # ---- keyboard wedge scanner, kiosk mode, idle ----

    def _wedge(self) -> Any:
        from kiosk.devices.wedge import KeyboardScanner

        scanner = self.services.scanner
        return scanner if isinstance(scanner, KeyboardScanner) else None

    def _on_key_down(self, _window: Any, key: int, _scancode: Any, codepoint: str | None, modifiers: list[str]) -> bool:
        self.touch_activity()
        if self.kiosk_mode and any(key == k and mod in modifiers for k, mod in _CLOSE_KEYS):
            log.info("kiosk mode: close key %d %s ignored", key, modifiers)
            return True  # consumed: nothing closes (a desktop's Alt+F4 arrives as on_request_close instead)
        wedge = self._wedge()
        if wedge is None:
            return False
        now = self.key_clock()
        if key in ENTER_KEYS:
            self._flush_pending_key(wedge)
            burst = wedge.enter(now)
            if burst:
                self._remove_from_focused_field(burst)
                return True  # the Enter belonged to the scan: a focused field must not act on it
            return False
        self._flush_pending_key(wedge)
        if (
            codepoint
            and len(codepoint) == 1
            and codepoint.isprintable()
            and not {"ctrl", "alt", "meta"} & set(modifiers)
        ):
            # SDL sends the typed text as a separate event just after (on_textinput, which knows the keyboard
            # layout); this guess is used only when that event does not come.
            shifted = ("shift" in modifiers) != ("capslock" in modifiers)
            guess = codepoint.upper() if codepoint.isalpha() and shifted else codepoint
            if "shift" in modifiers and not codepoint.isalpha():
                guess = _US_SHIFTED.get(codepoint, codepoint)
            self._pending_key = (guess, now)
        return False

    def _on_textinput(self, _window: Any, text: str) -> bool:
        wedge = self._wedge()
        if wedge is None:
            return False
        t = self._pending_key[1] if self._pending_key is not None else self.key_clock()
        self._pending_key = None
        for char in text:
            wedge.key(char, t)
        return False

    def _flush_pending_key(self, wedge: Any) -> None:
        if self._pending_key is not None:
            wedge.key(*self._pending_key)
            self._pending_key = None

    def _remove_from_focused_field(self, burst: str) -> None:
        """Take a scan's characters back out of a focused text field, so a scan is never typed into a form."""
        from kivy.core.window import Window
        from kivy.uix.textinput import TextInput

        for top in Window.children:
            for widget in top.walk(restrict=True):
                if isinstance(widget, TextInput) and widget.focus:
                    text, cursor = widget.text, widget.cursor_index()
                    if text[:cursor].endswith(burst):
                        widget.text = text[: cursor - len(burst)] + text[cursor:]
                        widget.cursor = widget.get_cursor_from_index(cursor - len(burst))
                    elif burst in text:
                        at = text.rindex(burst)
                        widget.text = text[:at] + text[at + len(burst) :]
                        widget.cursor = widget.get_cursor_from_index(at)
                    return

    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        return bool(self.kiosk_mode)  # True: Esc and the window's close button do not end a kiosk

    def _on_touch_activity(self, *_args: Any) -> bool:
        self.touch_activity()
        return False

    def touch_activity(self) -> None:
        self._last_activity = time.monotonic()

    def _check_idle(self, _dt: float) -> None:
        if self.idle_timeout_s <= 0 or time.monotonic() - self._last_activity < self.idle_timeout_s:
            return
        if self.counter.busy or self.in_setup:  # money half taken, or a shop being set up: never walk away
            return
        self._last_activity = time.monotonic()
        for top in list(self._window_children()):
            if isinstance(top, ModalView):
                top.dismiss(animation=False)
        end_staff_session(self, "idle")
        if self.sm.current != HOME:
            log.info("idle for %.0f s: back to home", self.idle_timeout_s)
            self.go_home()
        try:
            self.counter.lock()  # the next sale needs a badge or a code again; an unpaid cart is annulled
        except KioskError:
            log.exception("could not lock the till")

    def _window_children(self) -> list[Any]:
        from kivy.core.window import Window

        return list(Window.children)


def install_error_guard() -> None:
    """Keep the kiosk up when a handler raises: log it and tell the user, instead of crashing to a desktop."""
    from kivy.base import ExceptionHandler, ExceptionManager

    class _Guard(ExceptionHandler):
        def handle_exception(self, exc: BaseException) -> Any:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                return ExceptionManager.RAISE
            log.exception("unexpected error in the UI", exc_info=exc)
            app = App.get_running_app()
            if isinstance(app, KioskApp):
                message = exc.user_message if isinstance(exc, KioskError) else KioskError.user_message
                app.show_toast(message, "error", 8)
            return ExceptionManager.PASS

    ExceptionManager.add_handler(_Guard())


def _hang_for_drill(_dt: float) -> None:
    """The watchdog drill: the UI thread hangs for $KIOSK_TEST_HANG seconds, as a deadlock would."""
    seconds = float(os.environ.get("KIOSK_TEST_HANG", "0"))
    app = App.get_running_app()
    if isinstance(app, KioskApp):
        app.systemd.status(f"hang drill: {seconds:g} s")
    log.warning("hang drill: the UI thread sleeps %.1f s", seconds)
    time.sleep(seconds)


def run_app(services: Services) -> None:
    """Run the kiosk until it is closed (never by Esc or the close button in kiosk mode).  SIGTERM (systemd stop)
    and Ctrl-C end it cleanly: the main loop stops, `app_stop` is journaled, the scanner is released."""
    configure_kivy(kiosk_mode=services.settings.kiosk.kiosk_mode)
    install_error_guard()
    app = KioskApp(services)

    def _stop_soon(signum: int, _frame: object) -> None:
        log.info("signal %d: stopping", signum)
        Clock.schedule_once(lambda _dt: app.stop())

    previous = {sig: signal.signal(sig, _stop_soon) for sig in (signal.SIGTERM, signal.SIGINT)}
    if os.environ.get("KIOSK_TEST_HANG"):  # fault drill only (tests/integration/test_watchdog.py), never in the unit
        previous[signal.SIGUSR1] = signal.signal(signal.SIGUSR1, lambda *_: Clock.schedule_once(_hang_for_drill))
    try:
        app.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
