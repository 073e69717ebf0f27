"""The sale's Counter without Kivy (kiosk/services/sales/counter.py): the screens hear who sells and every cart
change; logging in and out is journaled; a seller who leaves takes the unpaid cart with them (journaled annul)."""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.services.people import PersonView
from kiosk.services.sales import Counter, ProductView

COFFEE = ProductView(uuid.uuid4(), "Kaffe", "Drikke", "#804000", 1000, 2500, None, ())


class Recorder:
    """The journal and the till's annul, as the counter calls them (what a user would find in the journal)."""

    def __init__(self) -> None:
        self.journal: list[tuple[str, dict[str, Any]]] = []
        self.till = self

    def record(self, kind: str, **payload: object) -> None:
        self.journal.append((kind, dict(payload)))

    def annulled(self, person_id: uuid.UUID, lines: list[dict[str, Any]], total_ore: int, reason: str) -> None:
        self.journal.append(("annulled", {"person": str(person_id), "total_ore": total_ore, "reason": reason}))


def test_the_screens_hear_the_seller_and_each_cart_change_and_the_journal_keeps_who() -> None:
    services = Recorder()
    counter = Counter(services)  # type: ignore[arg-type]
    heard: list[str] = []
    counter.add_listener(heard.append)
    counter.add_listener(heard.append)  # a screen entered again is still told once
    ase = PersonView(uuid.uuid4(), "Åse Jensen", "worker", True, None)

    counter.log_in(ase)
    counter.add(COFFEE)
    counter.add(COFFEE)
    assert (counter.cart.count, counter.cart.total_ore) == (2, 2000)
    counter.log_out()

    assert heard == ["seller", "cart", "cart", "cart", "seller"]
    assert counter.seller is None and counter.cart.empty
    assert [kind for kind, _ in services.journal] == ["login", "annulled", "logout"]
    assert services.journal[1][1] == {"person": str(ase.id), "total_ore": 2000, "reason": "sælgeren loggede ud"}

    counter.remove_listener(heard.append)
    counter.log_in(ase)
    assert heard[-1] == "seller" and len(heard) == 5  # no longer told
