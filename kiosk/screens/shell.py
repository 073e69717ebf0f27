"""The shell: everything a screen may ask of the app around it, and nothing more.

Screens never import kiosk.app and never reach into another screen: what one screen hands the next goes as
properties through `go(name, **screen_props)`; what outlives a screen lives in a service (the sale's Counter, the
staff session).  The running KioskApp is the one Shell; `KioskScreen.shell` returns it typed as this Protocol, so
a screen's reach is visible here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.bootstrap import Services
    from kiosk.services.jobs import JobView
    from kiosk.services.people import PersonView, StaffSession
    from kiosk.services.sales import Counter


class Shell(Protocol):
    services: Services
    counter: Counter  # the sale: who sells, the cart and its payment (shared by Køb and Betal)
    staff: StaffSession  # who has staff mode open, since when; ending it is journaled
    language: str  # "da" or "en"
    training: bool  # Øvelse: sales kept out of the real figures
    in_setup: bool  # Kom i gang: no admin yet
    title: str  # the shop's name in the window title
    job: JobView | None  # the job a resident has open (Småjobs, or its QR): a card scanned there signs up for it

    @property
    def current(self) -> str:
        """Where the kiosk is: the name of the screen on show."""
        ...

    @property
    def supervisor(self) -> PersonView | None:
        """The leader the screen on show works for (its `supervisor`), or None."""
        ...

    def screen_takes(self, hook: str, *args: Any) -> bool:
        """The screen on show handles a scan itself with its method `hook` (take_scan: the product form's barcode;
        scanned: the scanner check; log_in and unknown_barcode at Køb).  False when it has none or declines."""
        ...

    def go(self, name: str, **screen_props: Any) -> None:
        """Show screen `name`, first handing it `screen_props` (set as its properties; refreshed if on show)."""
        ...

    def go_home(self) -> None: ...

    def show_toast(self, text: str, kind: str = "info", seconds: float = 4.0) -> None: ...

    def end_setup(self) -> None:
        """The first admin exists: Kom i gang is over, home from now on."""
        ...

    def toggle_language(self) -> None: ...

    def sale_in_progress(self) -> bool:
        """The till is on screen (Køb / Betal)."""
        ...
