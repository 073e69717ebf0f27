"""The Kivy app: the window, the lifecycle (start, stop, systemd's watchdog), the idle lock, and the shell the
screens ask (kiosk/screens/shell.py: go, toast, services, the sale, the staff session).

Where a scan goes is kiosk/screens/scan_router.py's table; a wedge scanner's keys are read by
kiosk/widgets/wedge_keys.py; demo printouts open in kiosk/widgets/demo_printouts.py.  Devices never touch
widgets: a scanner calls back on its own thread and `_scan_from_device` hands the code to the UI thread.
"""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv
# Kivy's default ("KIVY") mode puts its own console handler on the root logger beside ours (every line twice) and
# swaps sys.stderr for a logger; "PYTHON" mode only logs to the "kivy" logger, which propagates to our handler.
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kivy.app import App
from kivy.clock import Clock
from kivy.config import Config
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk import i18n
from kiosk.devices import systemd_notify
from kiosk.devices.flood import ScanGate
from kiosk.errors import KioskError
from kiosk.screens import SCREENS
from kiosk.screens.shop import FIRST as SETUP_FIRST
from kiosk.screens.shop import is_setup_screen
from kiosk.starting import Starting
from kiosk.widgets import theme
from kiosk.widgets.error_guard import install_error_guard
from kiosk.widgets.kivy_setup import configure_kivy
from kiosk.widgets.one_finger import OneFinger
from kiosk.widgets.popup_touch import PopupTouchGuard
from kiosk.widgets.root import KioskRoot
from kiosk.widgets.ui_wake import call_soon
from kiosk.widgets.wedge_keys import WedgeKeys

# Nothing above imports SQLAlchemy, the models or the services: `kiosk run` draws the home screen first and loads
# those after it (kiosk/starting.py).  What needs them is imported where it is used, once the services are in.
if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.services.people import StaffSession
    from kiosk.services.people.directory import PersonView
    from kiosk.services.sales import Counter
    from kiosk.widgets.demo_printouts import DemoPrintouts
    from kiosk.widgets.preview import ReceiptPreview

log = logging.getLogger(__name__)

HOME = "home"
IDLE_CHECK_S = 1.0
PREBUILD_AFTER_S = 1.0  # the other screens are built one per frame from then on (or when first shown)
UPKEEP_FIRST_S, UPKEEP_EVERY_S = 60.0, 24 * 3600.0  # småjobs upkeep: a minute after start, then once a day
# Keys that close a window on a desktop (Alt+F4; Ctrl+Q / Ctrl+W in many apps): swallowed in kiosk mode.
_CLOSE_KEYS = ((285, "alt"), (113, "ctrl"), (119, "ctrl"))


class KioskApp(App):
    title = StringProperty("Hedemarken kiosk")
    language = StringProperty(i18n.SOURCE_LANGUAGE)
    kiosk_mode = BooleanProperty(False)
    sm = ObjectProperty(None)
    toast = ObjectProperty(None)
    counter = ObjectProperty(None)  # who sells, the cart and its payment: shared by the Køb and Betal screens
    seller = ObjectProperty(None, allownone=True)  # counter.seller, mirrored for kv (the till header)
    training = BooleanProperty(False)  # Øvelse: a banner on every screen, sales kept out of the real figures
    in_setup = BooleanProperty(False)  # Kom i gang: no admin yet, so only the first-start steps can be reached
    job = ObjectProperty(None, allownone=True)  # the job a resident has open: a card scanned there signs up for it
    ready = BooleanProperty(False)  # the services are in: the till can sell (False only while `kiosk run` starts)

    def __init__(self, services: Services | Starting, **kwargs: Any) -> None:
        """`services` built (tests, screenshots), or `Starting` (`kiosk run`): the home screen is drawn from the
        settings, the clock and the devices, and the database layer is loaded on a thread after that first frame
        (`_load_services`); until it is in, a tap on anything but home says the kiosk is starting."""
        super().__init__(**kwargs)
        self.services: Services = services  # type: ignore[assignment]  # a Starting only until `ready`
        self.exit_status = 0  # NOT_STARTED when the start was refused (its reason on the screen)
        self._load_error: BaseException | None = None  # not a refusal: a bug, raised again by run_app
        # When each key arrived: a wedge scan is told from typing by the gaps.  Replaceable so tests are not
        # at the mercy of a busy CI machine's scheduler.
        self.key_clock: Callable[[], float] = time.monotonic
        self.title = services.settings.shop.name
        self.kiosk_mode = services.settings.kiosk.kiosk_mode
        self.idle_timeout_s = float(services.settings.kiosk.idle_timeout_s)
        i18n.set_language(services.settings.kiosk.language)
        self.language = i18n.get_language()
        self._last_activity = time.monotonic()
        self._keys = WedgeKeys(lambda: self.services.scanner, lambda: self.key_clock())  # a wedge's keys: scans
        self._bindings: list[tuple[str, Callable[..., Any]]] = []
        self._idle_event: Any = None
        self._upkeep_events: list[Any] = []
        self._printouts: DemoPrintouts | None = None  # demo mode: what is printed also opens on screen
        self._stopped = False
        self.staff: StaffSession | None = None  # who has staff mode open: from the services in (`_services_in`)
        self.systemd = systemd_notify.Notifier.from_env()  # READY=1 and WATCHDOG=1 under systemd (kiosk.service)
        # A flooding scanner is held back on its own thread: the UI thread gets a person's pace and one message.
        self.scan_gate = ScanGate(self._scan_from_device, self._scanner_flooding)
        self._watchdog_event: Any = None
        if not isinstance(services, Starting):
            self._services_in(services)

    # ---- building ----

    def build(self) -> KioskRoot:
        from kivy.core.window import Window

        Window.clearcolor = theme.BACKGROUND
        root = KioskRoot(demo=self.services.settings.demo)
        self.sm, self.toast = root.sm, root.toast
        # Kom i gang's five screens (each with a keyboard) are not built ahead once the shop is set up: never shown
        # again.
        self.sm.prebuild_skip = lambda name: is_setup_screen(name) and not self.in_setup
        self._fill_screens()
        return root

    def _fill_screens(self) -> None:
        self.sm.set_factories(dict(SCREENS))
        self.job = None  # what the old screens were showing is gone with them
        if self.staff is not None:
            self.staff.forget()
        if self.ready and not self.in_setup and self.services.first_start.needed():
            self.begin_setup()
        # built now; the rest when first shown, or one per frame once the kiosk is up
        self.sm.current = SETUP_FIRST if self.in_setup else HOME
        if self.ready:  # the other screens read the services: built once those are in
            self.sm.prebuild_after(PREBUILD_AFTER_S)  # after the first frames: the home screen comes first

    # ---- start-up: the home screen first, the database layer behind it ----

    def _services_in(self, services: Services) -> None:
        """The services are built: the till can sell from here on."""
        from kiosk.services.people import StaffSession
        from kiosk.services.sales import Counter

        self.services = services
        self.counter = Counter(services)
        # who has staff mode open; its end is journaled by the services in use (a test may swap them)
        self.staff = StaffSession(lambda *end: self.services.staff_access.log_out(*end), lambda: self.services.clock())
        self.staff.add_listener(self._staff_changed)
        self.ready = True

    def _load_services(self, window: Any) -> None:
        """After the first frame (on_flip): the database layer on a thread, so the home screen stays drawn and
        answers a tap meanwhile; the result is handed to the UI thread."""
        window.unbind(on_flip=self._load_services)
        starting = self.services
        assert isinstance(starting, Starting)

        def load() -> None:
            try:
                services = starting.load()
            except BaseException as exc:  # handed to the UI thread: a refusal on the screen, else raised by run_app
                failed = exc
                Clock.schedule_once(lambda _dt: self._start_failed(failed))
                return
            Clock.schedule_once(lambda _dt: self._started(services))

        threading.Thread(target=load, name="kiosk-start", daemon=True).start()

    def _started(self, services: Services) -> None:
        if self._stopped:  # stopped while loading (SIGTERM): nothing to open
            services.close()
            return
        self._services_in(services)
        if services.first_start.needed():  # no admin yet: Kom i gang instead of home (nothing built but home)
            self._fill_screens()
        elif self.sm.current == HOME:
            self.sm.get_screen(HOME).refresh()  # the sync line, a shop name changed by a restored backup
        self.sm.prebuild_after(PREBUILD_AFTER_S)
        self._open_till()
        log.info("services in: the till can sell")

    def _start_failed(self, exc: BaseException) -> None:
        """A start the kiosk must refuse (KioskError: its database gone, a read-only card, a missing journal key):
        its reason on the screen instead of the home screen, as `show_startup_problem` says it when the settings
        themselves are wrong; the process stays up (no systemd restart loop) and exits NOT_STARTED when stopped.
        Anything else is a bug: the app stops and run_app raises it, as a start before the window would."""
        from kivy.core.window import Window

        if not isinstance(exc, KioskError):
            self._load_error = exc
            self.stop()
            return
        from kiosk.widgets.startup_problem import NOT_STARTED, startup_problem_view

        log.error("the kiosk cannot start: %s", exc)
        message = i18n._(exc.user_message)
        self.exit_status = NOT_STARTED
        if self.sm is not None:
            self.sm.stop_prebuild()
        self.root.clear_widgets()  # the screens and the toast, detached: nothing can be reached from here on
        self.root.add_widget(startup_problem_view(message))

        def shown(window: Any) -> None:
            window.unbind(on_flip=shown)
            self.systemd.ready(status="kiosken kan ikke starte")  # READY: up, and the reason is on the screen
            log.error("startup problem on screen: %s", message)

        Window.bind(on_flip=shown)

    def _open_till(self) -> None:
        """What waits for the services: the scanner, the sync thread, the journal's app_start, systemd's READY."""
        from kivy.core.window import Window

        if self.services.settings.demo:
            from kiosk.widgets.demo_printouts import DemoPrintouts

            self._printouts = DemoPrintouts(self.services.printer)
            self._printouts.start()
        self.services.scanner.start(self.scan_gate)
        self.services.start_sync()  # several kiosks: the sync thread (kiosk.services.fleet), off this UI thread
        self._journal("app_start", kiosk_mode=self.kiosk_mode, demo=self.services.settings.demo)
        if self.systemd.enabled:
            self._bind(Window, "on_flip", self._first_frame)
        Window.canvas.ask_update()  # a frame now, even when nothing on screen changed: READY=1 goes with it

    def refuse_while_starting(self) -> bool:
        """True (and said) while the services are not in yet: a tap on Køb, a scan, must wait a moment."""
        if self.ready:
            return False
        self.show_toast(i18n._("Kiosken starter – et øjeblik."), "info", 2.0)
        return True

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
        self._start_systemd(Window)
        if self.ready:
            self._open_till()
        else:  # `kiosk run`: the database layer after the first frame
            Window.bind(on_flip=self._load_services)
            self.systemd.status("kiosken starter")

    def on_stop(self) -> None:
        from kivy.core.window import Window

        if self._stopped:  # Kivy dispatches on_stop twice when stop() is called from inside run()
            return
        self._stopped = True
        self._stop_systemd()
        if self.ready:
            self._journal("app_stop")
        self.services.scanner.stop()
        if self._printouts is not None:
            self._printouts.stop()
        if self._idle_event is not None:
            self._idle_event.cancel()
        for event in self._upkeep_events:
            event.cancel()
        if self.sm is not None:
            self.sm.stop_prebuild()
        for event, handler in self._bindings:
            Window.unbind(**{event: handler})
        self._bindings.clear()

    # ---- systemd: READY=1 once the till can sell and shows it, WATCHDOG=1 from this (the UI) thread's clock ----
    # READY=1 means what it meant when the services were built before the window: the first frame drawn with the
    # services in (the till can sell), or the frame that says why the kiosk cannot start.  The home screen drawn
    # before the database layer is in only sets STATUS ("kiosken starter"); the watchdog pings from the start.

    def _start_systemd(self, window: Any) -> None:
        if not self.systemd.enabled:
            return
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

    @property
    def current(self) -> str:
        return str(self.sm.current) if self.sm is not None else ""

    @property
    def supervisor(self) -> PersonView | None:
        return getattr(self.sm.current_screen, "supervisor", None) if self.sm is not None else None

    def screen_takes(self, hook: str, *args: Any) -> bool:
        take = getattr(self.sm.current_screen, hook, None) if self.sm is not None else None
        return callable(take) and take(*args) is not False

    def go(self, name: str, **screen_props: Any) -> None:
        """Hand the screen what it shows (its refresh() reads the props on entering), then show it."""
        if name not in SCREENS:
            raise ValueError(f"unknown screen {name!r}; registered: {', '.join(SCREENS)}")
        if screen_props:
            screen = self.sm.get_screen(name)
            for key, value in screen_props.items():
                setattr(screen, key, value)
            if self.sm.current == name:
                screen.refresh()
        if name != HOME and self.refuse_while_starting():
            return
        from kiosk.screens.people import is_staff_screen

        if self.in_setup != is_setup_screen(name):  # no shop before the first admin, no setup after it
            name = SETUP_FIRST if self.in_setup else HOME
        self.touch_activity()
        if not is_staff_screen(name) and self.staff is not None:
            self.staff.end("left")  # staff mode lasts only while its screens are showing
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
            self.toast.show(i18n.shown(text), kind, seconds)  # a service's message (a Text) in the kiosk's language

    def toggle_language(self) -> None:
        self.set_language("en" if self.language == "da" else "da")

    def set_language(self, language: str) -> None:
        """Switch and rebuild the screens (kv evaluates ``_()`` when a widget is created)."""
        i18n.set_language(language)
        self.language = i18n.get_language()
        current = self.sm.current if self.sm is not None else HOME
        self._fill_screens()
        self.sm.current = current

    # ---- scans (kiosk/screens/scan_router.py decides) and the staff session ----

    def sale_in_progress(self) -> bool:
        """The till is on screen (Køb / Betal): a badge opens the till there, rather than clocking in."""
        return self.sm is not None and self.sm.current in ("sale", "pay")

    def handle_scan(self, code: str) -> None:
        """On the UI thread: every scan passes the router once."""
        from kiosk.screens import scan_router

        self.touch_activity()
        if not self.refuse_while_starting():
            scan_router.route(self, code)

    def on_counter(self, _app: Any, counter: Counter) -> None:
        counter.add_listener(self._counter_changed)
        self.seller = counter.seller

    def _counter_changed(self, _what: str) -> None:
        self.seller = self.counter.seller if self.counter is not None else None

    def _staff_changed(self, leader: PersonView | None) -> None:
        if leader is None and self.sm is not None:  # staff mode ended: no screen keeps the leader
            for screen in self.sm.screens:
                if getattr(screen, "supervisor", None) is not None:
                    screen.supervisor = None

    def daily_upkeep(self, _dt: float = 0.0) -> None:
        """Once a day: no-shows for ended jobs, residents' data past the retention time, the backup.  One job, on
        a worker thread (kiosk/services/records/daily.py decides what is due): this returns at once."""
        from kiosk.services.records.daily import start_daily

        if self.ready:
            start_daily(self.services)

    # ---- device callbacks: any thread in, UI thread out ----

    def _scan_from_device(self, code: str) -> None:
        call_soon(lambda: self.handle_scan(code))  # wakes the clock: the scan is not left waiting for the next frame

    def _scanner_flooding(self) -> None:
        from kiosk.i18n import _

        said = _("Scanneren sender alt for mange koder. De springes over, til den falder til ro. Tjek scanneren.")
        Clock.schedule_once(lambda _dt: self.show_toast(said, "error", theme.TOAST_LONG))

    def show_receipt_preview(self, title: str, text: str) -> ReceiptPreview:
        from kiosk.widgets.demo_printouts import DemoPrintouts

        if self._printouts is None:
            self._printouts = DemoPrintouts(self.services.printer)
        return self._printouts.show(title, text)

    # ---- keyboard wedge scanner, kiosk mode, idle ----

    def _on_key_down(self, _window: Any, key: int, _scancode: Any, codepoint: str | None, modifiers: list[str]) -> bool:
        self.touch_activity()
        if self.kiosk_mode and any(key == k and mod in modifiers for k, mod in _CLOSE_KEYS):
            log.info("kiosk mode: close key %d %s ignored", key, modifiers)
            return True  # consumed: nothing closes (a desktop's Alt+F4 arrives as on_request_close instead)
        return self._keys.key_down(key, codepoint, modifiers)

    def _on_textinput(self, _window: Any, text: str) -> bool:
        return self._keys.text_input(text)

    def _on_request_close(self, *_args: Any, **_kwargs: Any) -> bool:
        return bool(self.kiosk_mode)  # True: Esc and the window's close button do not end a kiosk

    def _on_touch_activity(self, *_args: Any) -> bool:
        self.touch_activity()
        return False

    def touch_activity(self) -> None:
        self._last_activity = time.monotonic()

    def _check_idle(self, _dt: float) -> None:
        if not self.ready or self.idle_timeout_s <= 0 or time.monotonic() - self._last_activity < self.idle_timeout_s:
            return
        if self.counter.busy or self.in_setup:  # money half taken, or a shop being set up: never walk away
            return
        self._last_activity = time.monotonic()
        for top in list(self._window_children()):
            if isinstance(top, ModalView):
                top.dismiss(animation=False)
        if self.staff is not None:
            self.staff.end("idle")
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


def _hang_for_drill(_dt: float) -> None:
    """The watchdog drill: the UI thread hangs for $KIOSK_TEST_HANG seconds, as a deadlock would."""
    seconds = float(os.environ.get("KIOSK_TEST_HANG", "0"))
    app = App.get_running_app()
    if isinstance(app, KioskApp):
        app.systemd.status(f"hang drill: {seconds:g} s")
    log.warning("hang drill: the UI thread sleeps %.1f s", seconds)
    time.sleep(seconds)


def run_app(services: Services | Starting) -> int:
    """Run the kiosk until it is closed (never by Esc or the close button in kiosk mode).  SIGTERM (systemd stop)
    and Ctrl-C end it cleanly: the main loop stops, `app_stop` is journaled, the scanner is released.  Returns the
    exit status: 0, or NOT_STARTED when the start was refused (its reason was on the screen)."""
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
    if app._load_error is not None:
        raise app._load_error
    return app.exit_status
