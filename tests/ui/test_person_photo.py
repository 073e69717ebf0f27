"""A worker's photo: an admin picks it from a USB stick on Personer, and the worker's name tile on Mød ind / Gå
hjem then shows it in the circle instead of the initials; "Fjern billede" brings the initials back.  Set
UI_SHOTS=DIR to save PNGs of the screens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import same_picture
from tests.ui.helpers import button_with_text, buttons, pump, shot, tap

ADMIN_PIN = "864211"  # an admin's code: 6 digits or more


def popup(kind: type) -> Any:
    from kivy.core.window import Window

    found = [w for w in Window.children if isinstance(w, kind)]
    assert found, f"no {kind.__name__} open"
    return found[0]


@pytest.fixture(scope="module")
def team(services: Any) -> dict[str, Any]:
    people = services.people
    return {
        "admin": people.add("Olga Opsyn", "admin", pin=ADMIN_PIN),
        "worker": people.add("Petra Fotosen", "worker"),
    }


def petras_tile(app: Any, team: dict[str, Any]) -> Any:
    app.go("checkin")
    pump()
    grid = app.sm.get_screen("checkin").ids.people
    return next(t for t in grid.children if t.person is not None and t.person.id == team["worker"].id)


def shown_photo(tile: Any) -> Any:
    from kivy.uix.image import Image

    return next(w for w in tile.walk(restrict=True) if isinstance(w, Image))


def initials_shown(tile: Any) -> bool:
    from kivy.uix.label import Label

    return any(isinstance(w, Label) and w.text == tile.initials for w in tile.walk(restrict=True))


def test_an_admin_gives_a_worker_a_photo_from_the_stick_and_her_name_tile_shows_it(
    app: Any, services: Any, team: dict[str, Any], stick: Path
) -> None:
    from PIL import Image as PILImage

    from kiosk.widgets.dialog import ConfirmDialog
    from kiosk.widgets.entry_popups import ImageChoice, ImagePickerPopup

    picture = PILImage.new("RGB", (60, 80), (30, 140, 200))  # portrait: "cover" crops it to the circle
    picture.paste((240, 200, 60), (15, 20, 45, 50))
    picture.save(stick / "petra.png")
    before = petras_tile(app, team)
    assert before.photo == "" and initials_shown(before), "no photo yet: the initials"
    assert shown_photo(before).opacity == 0

    app.go("staff")
    pump()
    staff = app.sm.get_screen("staff")
    for key in ADMIN_PIN:
        tap(button_with_text(staff.ids.numpad, key))
    tap(button_with_text(staff.ids.numpad, "OK"))
    menu = app.sm.get_screen("staff_menu")
    tap(button_with_text(menu, "Personer"))
    people = app.sm.get_screen("people_admin")
    tap(next(t for t in people.ids.people.children if t.person.person.id == team["worker"].id))
    assert people.chosen.person.name == "Petra Fotosen"
    assert people.ids.remove_photo.opacity == 0, "no photo: nothing to remove"
    usb, below = people.ids.usb_photo, people.ids.toggle_active
    assert (usb.x, usb.right) == (below.x, below.right), "as wide as the buttons under it, no gap at its side"

    tap(people.ids.usb_photo)
    tap(next(w for w in popup(ImagePickerPopup).walk(restrict=True) if isinstance(w, ImageChoice)))
    assert app.toast.text == "Billedet er gemt."
    photo = people.chosen.person.photo
    assert photo.startswith("people_photos/")
    assert same_picture(services.settings.data_dir / photo, stick / "petra.png")
    assert people.ids.remove_photo.opacity == 1
    small = [b.text for b in buttons(people) if b.opacity > 0 and not b.disabled and min(b.size) < 72]
    assert not small, f"buttons under 72 px: {small}"
    shot(app, "people_admin_photo")

    tap(button_with_text(people, "Tilbage"))
    tap(button_with_text(menu, "Log ud"))
    tile = petras_tile(app, team)
    assert tile.photo == str(services.settings.data_dir / photo)
    picture = shown_photo(tile)
    assert picture.source == tile.photo and picture.texture is not None and picture.opacity == 1
    assert picture.fit_mode == "cover"
    assert not initials_shown(tile), "the photo instead of the initials"
    shot(app, "checkin_photo")

    # "Fjern billede": the initials again, and the file is gone.
    app.go("staff")
    pump()
    for key in ADMIN_PIN:
        tap(button_with_text(staff.ids.numpad, key))
    tap(button_with_text(staff.ids.numpad, "OK"))
    tap(button_with_text(menu, "Personer"))
    tap(next(t for t in people.ids.people.children if t.person.person.id == team["worker"].id))
    tap(people.ids.remove_photo)
    tap(popup(ConfirmDialog).ids.yes)
    assert app.toast.text == "Billedet er fjernet."
    assert people.chosen.person.photo is None
    assert not (services.settings.data_dir / photo).exists()
    tap(button_with_text(people, "Tilbage"))
    tap(button_with_text(menu, "Log ud"))
    after = petras_tile(app, team)
    assert after.photo == "" and initials_shown(after)


def test_a_photo_whose_file_is_missing_keeps_the_initials(app: Any, services: Any, team: dict[str, Any]) -> None:
    from kiosk.db.models import Person

    with services.sessions.begin() as s:
        s.get(Person, team["worker"].id).photo = "people_photos/gone.png"
    try:
        tile = petras_tile(app, team)
        assert tile.photo == ""
        assert initials_shown(tile) and shown_photo(tile).opacity == 0
    finally:
        with services.sessions.begin() as s:
            s.get(Person, team["worker"].id).photo = None
