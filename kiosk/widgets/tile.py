"""Tiles for grids: a product (colour, name, Danish price) and a person (photo or initials in a circle, first
name).  `person_tile` makes a person's tile wherever one is shown, so each gets its photo the same way."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ColorProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from kiosk.services.people.directory import PersonView
from kiosk.widgets import theme


class ProductTile(ButtonBehavior, BoxLayout):
    name = StringProperty("")
    price = StringProperty("")  # already formatted: "15,00 kr."
    colour = ColorProperty(theme.BUY)
    image = StringProperty("")  # a photo file: shown above the name, the colour stays as the band below it
    product = ObjectProperty(None, allownone=True)


class PersonTile(ButtonBehavior, BoxLayout):
    initials = StringProperty("")
    name = StringProperty("")
    colour = ColorProperty(theme.CHECKIN)
    photo = StringProperty("")  # a picture file, shown in the circle instead of the initials
    person = ObjectProperty(None, allownone=True)
    chosen = BooleanProperty(False)  # the one a list screen (Personer) shows beside it: a thick blue frame


Tile = TypeVar("Tile", bound=PersonTile)


def person_tile(person: PersonView, n: int, tile_class: type[Tile] = PersonTile, /, **kwargs: Any) -> Tile:  # type: ignore[assignment]
    """The name tile of `person`, the n-th in its grid: their photo, or their initials on the n-th colour.
    `name`, `colour` and `person` may be given to show something else."""
    kwargs.setdefault("name", person.first_name)
    kwargs.setdefault("colour", theme.PERSON_COLOURS[n % len(theme.PERSON_COLOURS)])
    kwargs.setdefault("person", person)
    return tile_class(initials=person.initials, photo=photo_path(person.photo), **kwargs)


def photo_path(name: str | None) -> str:
    """A person's photo (stored as a name under the data dir) as an absolute path; "" when they have none or its
    file is missing (the tile then keeps the initials)."""
    services = getattr(App.get_running_app(), "services", None)
    if not name or services is None:
        return ""
    path = Path(services.settings.data_dir) / name
    return str(path) if path.is_file() else ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
