"""One of several kiosks, cut off from its server: the home screen says so, with the number of sales waiting."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete

from kiosk.db.engine import unit_of_work
from kiosk.db.models import SyncOutbox
from kiosk.services.fleet import FleetIdentity, FleetSync, SyncWorker
from tests.ui.conftest import NOW
from tests.ui.helpers import button_with_text, tap, wait_until

NOBODY_LISTENS = "http://127.0.0.1:9/"  # the discard port: the connection is refused, as when the server is down


def test_home_says_not_connected_and_how_many_sales_wait_when_the_server_cannot_be_reached(
    app: Any, services: Any
) -> None:
    with unit_of_work(services.sessions) as s:
        for n in (1, 2):
            s.add(SyncOutbox(sale_id=uuid.uuid4(), receipt_no=n, payload="{}", created_at=NOW))
    worker = SyncWorker(FleetSync(services.sessions, FleetIdentity(NOBODY_LISTENS, 7, "Kassen", "s")), base=0.1)
    services.sync = worker
    try:
        worker.start()
        wait_until(lambda: worker.status.connected is False, what="the sync worker to find the server gone")
        tap(app.sm.get_screen("home").ids.buy)  # the home screen is shown again: it reads the sync status
        tap(button_with_text(app.sm.current_screen, "Tilbage"))
        assert app.sm.get_screen("home").ids.sync.text == "Ikke forbundet – salget gemmes her (2 salg venter)"
    finally:
        worker.stop()
        services.sync = None
        with unit_of_work(services.sessions) as s:
            s.execute(delete(SyncOutbox))
    tap(app.sm.get_screen("home").ids.buy)
    tap(button_with_text(app.sm.current_screen, "Tilbage"))
    assert app.sm.get_screen("home").ids.sync.text == ""  # a kiosk on its own says nothing about a server
