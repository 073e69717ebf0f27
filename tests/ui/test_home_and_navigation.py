"""Home shows three huge choices and a staff entry; every choice opens its screen and "Tilbage" comes home."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.helpers import button_with_text, buttons, pump, tap, type_staff_pin

MIN_TOUCH_PX = 72  # 12 mm on the 10.1" 1280x800 panel


def test_home_shows_the_three_big_choices_the_staff_entry_the_shop_and_the_danish_date(app: Any) -> None:
    home = app.sm.get_screen("home")
    ids = home.ids
    assert (ids.buy.text, ids.checkin.text, ids.jobs.text) == ("Køb", "Mød ind /\nGå hjem", "Småjobs")
    for big in (ids.buy, ids.checkin, ids.jobs):
        assert big.width >= 300 and big.height >= 300, f"{big.text!r} is {big.size}"
        assert big.icon, f"{big.text!r} has no picture"
    assert ids.staff.text == "Personale"
    assert ids.staff.height >= MIN_TOUCH_PX and ids.staff.width >= MIN_TOUCH_PX
    assert ids.staff.height < ids.buy.height / 3, "the staff entry should stay discreet"
    assert ids.shop.text == "Hedemarkens Butik"
    assert ids.now.text == "mandag 23. november 2026 · 14.05"


@pytest.mark.parametrize(
    ("button", "screen"), [("buy", "sale"), ("checkin", "checkin"), ("jobs", "jobs"), ("staff", "staff")]
)
def test_tapping_a_home_choice_opens_its_screen_and_tilbage_returns_home(app: Any, button: str, screen: str) -> None:
    tap(app.sm.get_screen("home").ids[button])
    assert app.sm.current == screen

    tap(button_with_text(app.sm.current_screen, "Tilbage"))
    assert app.sm.current == "home"


@pytest.mark.parametrize("screen", ["home", "sale", "checkin", "jobs", "staff"])
def test_every_button_on_every_screen_is_at_least_12_mm(app: Any, screen: str) -> None:
    app.go(screen)
    pump()
    found = buttons(app.sm.current_screen)
    assert found, f"{screen} has no buttons"
    small = [(getattr(b, "text", type(b).__name__), tuple(b.size)) for b in found if min(b.size) < MIN_TOUCH_PX]
    assert not small, f"too small on {screen}: {small}"


def test_screens_show_what_the_services_hold(app: Any) -> None:
    aase = next(p for p in app.services.people.staff() if p.first_name == "Åse")
    app.counter.log_in(aase)  # the till shows its products to a seller
    app.go("sale")
    pump()
    sale = app.sm.current_screen
    tiles = {tile.name: tile.price for tile in sale.ids.products.children}
    assert tiles["Kaffe, kop"] == "15,00\xa0kr."
    assert len(tiles) == 16
    tap(button_with_text(sale, "Café"))
    assert {tile.name for tile in sale.ids.products.children} >= {"Kaffe, kop", "Te, kop"}
    assert "Rugbrød, helt" not in {tile.name for tile in sale.ids.products.children}
    app.counter.log_out()

    app.go("checkin")
    pump()
    people = {tile.name: tile.initials for tile in app.sm.current_screen.ids.people.children}
    assert people["Åse"] == "ÅØ"
    assert "Ahmad" not in people, "residents do not clock in"

    app.go("jobs")
    pump()
    cards = {card.title: card for card in app.sm.current_screen.ids.jobs.children}
    yard = cards["Oprydning i gården"]
    assert (yard.day, yard.hours, yard.place, yard.places) == (
        "24. november 2026",  # the demo's first job is the day after the kiosk's today (23 November here)
        "10.00–13.00",
        "Gården ved Nyvej 23",
        "6 ledige pladser",
    )


def test_the_staff_numpad_shows_dots_and_forgets_the_code_when_left(app: Any) -> None:
    tap(app.sm.get_screen("home").ids.staff)
    staff = app.sm.current_screen
    for key in "1234":
        tap(button_with_text(staff, key))
    assert staff.ids.numpad.value == "1234"
    assert staff.ids.dots.text.count("●") == 4
    tap(button_with_text(staff, "Slet"))
    assert staff.ids.numpad.value == "123"
    tap(button_with_text(staff, "Tilbage"))
    assert app.sm.get_screen("staff").ids.numpad.value == ""


def test_switching_to_english_rebuilds_home_in_english_and_back(app: Any) -> None:
    tap(app.sm.get_screen("home").ids.language)
    home = app.sm.get_screen("home")
    assert app.language == "en"
    assert (home.ids.buy.text, home.ids.jobs.text, home.ids.staff.text) == ("Buy", "Small jobs", "Staff")
    assert home.ids.now.text == "Monday 23 November 2026 · 14:05"
    assert home.ids.language.text == "Dansk"

    tap(home.ids.language)
    assert app.sm.get_screen("home").ids.buy.text == "Køb"


def test_a_demo_workers_code_does_not_open_the_leaders_menu_but_a_leaders_does(app: Any) -> None:
    from kiosk.services.shop.demo import DEMO_PINS

    for pin, opens in ((DEMO_PINS["worker"], False), (DEMO_PINS["supervisor"], True)):
        app.go("staff")
        pump()
        type_staff_pin(app, pin)
        assert (app.sm.current == "staff_menu") is opens, (pin, app.sm.current)


def test_while_idle_the_kiosk_builds_every_screen_ahead_but_kom_i_gang_once_the_shop_is_set_up(app: Any) -> None:
    """Kom i gang's steps are never shown again once the first admin exists (app.end_setup): the idle prebuild
    leaves them out (five screens, each with a keyboard), while a new shop still gets them built ahead."""
    from kivy.uix.screenmanager import Screen

    from kiosk.screens import SCREENS
    from kiosk.screens.shop import is_setup_screen
    from kiosk.widgets.lazy_screens import LazyScreenManager

    def prebuilt() -> set[str]:
        sm = LazyScreenManager()
        sm.prebuild_skip = app.sm.prebuild_skip  # the app's own rule, on screens that cost nothing to build
        sm.set_factories({name: Screen for name in SCREENS})
        while sm.build_next():
            pass
        return set(sm.screen_names)

    setup = {name for name in SCREENS if is_setup_screen(name)}
    assert setup, "Kom i gang has screens"
    assert not app.in_setup
    assert prebuilt() == set(SCREENS) - setup
    app.in_setup = True
    try:
        assert prebuilt() == set(SCREENS)
    finally:
        app.in_setup = False


def test_switching_the_language_loads_only_the_screen_on_show(app: Any, services: Any) -> None:
    """ "English" on home rebuilds the screens in the other language; the ones built before are dropped, not
    entered one after another on the way out (each would load what it shows from the database: with every screen
    built, ~25 screens' queries per tap, the impact figures among them)."""
    from sqlalchemy import event

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    def switch_to_english(built: tuple[str, ...]) -> int:
        app.set_language("da")  # the screens made anew: only home built
        for name in built:
            app.sm.get_screen(name)  # built, as the idle kiosk builds them
        pump()
        statements.clear()
        event.listen(services.engine, "before_cursor_execute", count)
        try:
            app.set_language("en")
            pump()
        finally:
            event.remove(services.engine, "before_cursor_execute", count)
        assert app.sm.current == "home" and app.sm.get_screen("home").ids.buy.text == "Buy"
        return len(statements)

    try:
        home_only = switch_to_english(())
        many = switch_to_english(("jobs", "my_hours", "impact", "till_admin", "products_admin", "people_admin"))
    finally:
        app.set_language("da")
    assert many <= home_only, (
        f"with six more screens built the switch ran {many} statements, with home alone {home_only}"
    )
