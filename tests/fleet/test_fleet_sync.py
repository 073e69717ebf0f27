"""Several kiosks, one PostgreSQL server: `kiosk web` runs as a real process on a real PostgreSQL, kiosks sell on
their own SQLite files and sync over HTTP.  Every sale reaches the server exactly once, whatever the link does."""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.bootstrap import Services, build_services, open_database
from kiosk.clock import Clock, utc_now
from kiosk.config import Settings
from kiosk.db.engine import unit_of_work
from kiosk.db.migrate import head_revision
from kiosk.db.models import Category, Person, Product, Sale
from kiosk.devices.printer import PreviewPrinter
from kiosk.devices.scanner import FakeScanner
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.printouts.receipt import receipt_document
from kiosk.services.fleet import FleetServer, FleetSync, Offline, Refused, join
from kiosk.services.fleet.link import Link
from tests.fleet.postgres import Cluster
from tests.fleet.server import WebServer, kiosk_command, kiosk_settings, server_settings, wait_until_true

COFFEE = uuid.UUID("00000000-0000-4000-8000-00000000c0fe")
SELLER = uuid.UUID("00000000-0000-4000-8000-0000000005e1")


@dataclass
class Fleet:
    root: Path
    web: WebServer
    settings: Settings
    server: FleetServer  # the same database, from the test's side: to look at what the server holds

    def add(self, name: str) -> str:
        return self.server.add_kiosk(name)[1]


@pytest.fixture(scope="module")
def fleet(postgres: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    root = tmp_path_factory.mktemp("fleet")
    settings = server_settings(root, postgres.new_database())
    engine, sessions = open_database(settings)  # migrates PostgreSQL to the head, triggers and all
    stock_coffee(sessions)
    web = WebServer(root / "server.toml", root / "server.log")
    web.start()
    yield Fleet(root, web, settings, FleetServer(sessions, utc_now))
    web.stop()
    engine.dispose()


def stock_coffee(sessions: sessionmaker[Session], badge_token: str | None = None) -> None:
    """What the server holds and a pull brings: a coffee in Café, and Åse who sells it."""
    with unit_of_work(sessions) as s:
        category = Category(name="Café")
        s.add(category)
        s.flush()
        s.add(Product(id=COFFEE, name="Kaffe, kop", category_id=category.id, price_ore=1500, vat_rate_bp=2500))
        s.add(Person(id=SELLER, name="Åse Ørbæk", role="worker", badge_token=badge_token))


def open_kiosk(settings: Settings, clock: Clock | None = None) -> Services:
    return build_services(settings, printer=PreviewPrinter(42), scanner=FakeScanner(), clock=clock)


def enrolled(fleet: Fleet, name: str, clock: Clock | None = None) -> Services:
    """A new kiosk joined to the fleet's server (as `kiosk fleet add` and `join` do it), its first pull made."""
    settings = kiosk_settings(fleet.root, name)
    join(settings, fleet.web.url, fleet.add(name))
    services = open_kiosk(settings, clock)
    assert services.sync is not None
    services.sync.sync.pull()  # the server's catalogue and people
    return services


def sell(services: Services, quantity: int = 1) -> uuid.UUID:
    cart = Cart()
    cart.add(CartLine(COFFEE, "Kaffe, kop", 1500, category="Café", quantity=quantity))
    payment = Payment(cart.total_ore)
    payment.pay_electronic("card", reference="T")
    return services.sales.checkout(cart, payment, SELLER).sale_id


def sync_of(services: Services) -> FleetSync:
    assert services.sync is not None
    return services.sync.sync


def local_sales(services: Services) -> set[uuid.UUID]:
    with unit_of_work(services.sessions) as s:
        return set(s.scalars(select(Sale.id).where(Sale.training.is_(False))))


def server_sales(fleet: Fleet, kiosk_no: int) -> list[dict[str, object]]:
    return [sale for sale in fleet.server.sales() if sale["kiosk_no"] == kiosk_no]


def test_two_kiosks_sell_through_an_outage_and_the_server_has_every_sale_once(fleet: Fleet) -> None:
    # Enrolled as a person would: the code from `kiosk fleet add` on the server, `kiosk fleet join` on the kiosk.
    added = kiosk_command(fleet.root / "server.toml", "fleet", "add", "Kassen")
    assert added.returncode == 0, added.stderr
    code = added.stdout.split("engangskoden er ")[1].split()[0]
    door = kiosk_settings(fleet.root, "kassen")
    joined = kiosk_command(door.config_file, "fleet", "join", fleet.web.url, code)  # type: ignore[arg-type]
    assert joined.returncode == 0, joined.stderr
    assert "som kiosk" in joined.stdout
    a = open_kiosk(door)
    b = enrolled(fleet, "Caféen")
    try:
        for k in (a, b):
            sync_of(k).pull()
            for _ in range(3):
                sell(k)
            assert sync_of(k).push() == 3
        fleet.web.stop()  # the link goes: both keep selling
        offline = {k.settings.kiosk.id: [sell(k), sell(k, 2)] for k in (a, b)}
        for k in (a, b):
            with pytest.raises(Offline):
                sync_of(k).push()
            assert k.sync is not None
            assert sync_of(k).outbox.count() == 2
        worker = a.sync
        assert worker is not None
        worker.base, worker.interval = 0.2, 0.2
        worker.start()
        assert wait_until_true(lambda: worker.status.connected is False, 30)
        assert worker.status.text() == "Ikke forbundet – salget gemmes her (2 salg venter)"
        fleet.web.start()  # the link is back: A's queue drains by itself
        assert wait_until_true(lambda: worker.status.waiting == 0, 60), worker.status
        assert sync_of(b).push() == 2
        for k in (a, b):
            identity = sync_of(k).identity
            on_server = server_sales(fleet, identity.kiosk_no)
            assert {uuid.UUID(str(s["sale_id"])) for s in on_server} == local_sales(k)  # all of them, once each
            assert len(on_server) == 5
            assert [s["receipt_no"] for s in on_server] == [1, 2, 3, 4, 5]  # the kiosk's own series, gapless
        numbers = {sync_of(k).identity.kiosk_no for k in (a, b)}
        assert len(numbers) == 2  # two series: kiosk numbers differ
        receipt = a.sales.receipt(offline[a.settings.kiosk.id][0])
        text = receipt_document(receipt, 42).as_text(42)
        assert f"Kvittering nr. {sync_of(a).identity.kiosk_no}-000004" in text
    finally:
        for k in (a, b):
            k.close()


def test_a_lost_acknowledgement_is_acknowledged_again_and_a_changed_sale_is_a_conflict(fleet: Fleet) -> None:
    k = enrolled(fleet, "Tabt svar")
    try:
        sale = sell(k)
        sync = sync_of(k)
        rows = sync.outbox.first(10)
        body: dict[str, Any] = {"schema": head_revision(), "rows": [
            {"seq": r.seq, "sale_id": str(r.sale_id), "receipt_no": r.receipt_no, "payload": json.loads(r.payload)}
            for r in rows]}  # fmt: skip
        link = Link(fleet.web.url, f"{sync.identity.kiosk_no}:{sync.identity.secret}")
        assert link.call("push", body)["acks"][0]["status"] == "stored"  # the server commits; the answer is "lost"
        assert sync.push() == 1  # the kiosk sends it again: acknowledged, deleted from the outbox
        assert sync.outbox.count() == 0
        assert [s["sale_id"] for s in server_sales(fleet, sync.identity.kiosk_no)] == [str(sale)]
        body["rows"][0]["payload"]["total_ore"] = 1  # the same sale, different content
        assert link.call("push", body)["acks"][0]["status"] == "conflict"
        stored = server_sales(fleet, sync.identity.kiosk_no)
        assert [s["total_ore"] for s in stored] == [1500]  # never overwritten
        assert {"sale_id": str(sale), "reason": "changed"}.items() <= fleet.server.conflicts()[-1].items()
    finally:
        k.close()


def test_a_cloned_kiosk_and_a_used_code_are_refused(fleet: Fleet) -> None:
    original = enrolled(fleet, "Original")
    code = fleet.add("Klon")
    clone_settings = kiosk_settings(fleet.root, "klon")
    join(clone_settings, fleet.web.url, code)
    with pytest.raises(Refused) as used:
        join(kiosk_settings(fleet.root, "klon2"), fleet.web.url, code)
    assert "Koden er allerede brugt" in used.value.user_message
    original.close()
    # The SD card copied: database, journal key and the fleet identity.
    shutil.rmtree(clone_settings.data_dir)
    shutil.copytree(kiosk_settings(fleet.root, "Original").data_dir, clone_settings.data_dir)
    original, clone = open_kiosk(kiosk_settings(fleet.root, "Original")), open_kiosk(clone_settings)
    try:
        sold = sell(original), sell(clone)
        assert sync_of(original).push() == 1
        with pytest.raises(Refused) as refused:
            sync_of(clone).push()
        number = sync_of(clone).identity.kiosk_no
        assert refused.value.user_message.startswith(f"Serveren afviser kiosk {number}: den samme kiosk findes")
        assert sync_of(clone).outbox.count() == 1  # its sale stays on the clone, for a person to sort out
        assert [s["sale_id"] for s in server_sales(fleet, number)] == [str(sold[0])]
        assert fleet.server.conflicts()[-1]["reason"] == "cloned"
    finally:
        original.close()
        clone.close()


def test_a_price_change_on_the_server_reaches_the_kiosk_and_a_sale_keeps_its_own_prices(fleet: Fleet) -> None:
    k = enrolled(fleet, "Priser")
    try:
        sale = sell(k)
        sync = sync_of(k)
        with unit_of_work(fleet.server._sessions) as s:  # the coordinator changes the price on the server
            product = s.get(Product, COFFEE)
            assert product is not None
            product.price_ore = 2000
        assert sync.pull() >= 1
        with unit_of_work(k.sessions) as s:
            product = s.get(Product, COFFEE)
            assert product is not None and product.price_ore == 2000
        assert sync.pull() == 0  # by change number: nothing twice
        assert k.sales.receipt(sale).total_ore == 1500  # the sale keeps the price it was sold at
        sync.push()
        assert [s["total_ore"] for s in server_sales(fleet, sync.identity.kiosk_no)] == [1500]
    finally:
        k.close()


def test_two_sync_workers_racing_store_each_sale_once(fleet: Fleet) -> None:
    from tests.fleet.journals import journal_on_server, local_journal, server_journal

    k = enrolled(fleet, "To tråde")
    try:
        sold = {sell(k) for _ in range(30)}
        racers = [FleetSync(k.sessions, sync_of(k).identity, kiosk_id=k.settings.kiosk.id) for _ in range(2)]
        done: list[int] = []

        def race(r: FleetSync) -> None:
            done.append(r.push(batch=7))
            r.push_journal(batch=7)  # the journal too: the server's lock makes them take turns

        threads = [threading.Thread(target=race, args=(r,)) for r in racers]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(done) == 2 and sync_of(k).outbox.count() == 0
        on_server = server_sales(fleet, sync_of(k).identity.kiosk_no)
        assert sorted(uuid.UUID(str(s["sale_id"])) for s in on_server) == sorted(sold)  # 30, none twice
        number = sync_of(k).identity.kiosk_no
        assert not [c for c in fleet.server.conflicts() if c["kiosk_no"] == number]  # "same", never a conflict
        assert server_journal(fleet, number) == local_journal(k)  # each entry once, in its chain
        assert journal_on_server(fleet, k).problem is None
    finally:
        k.close()


def test_a_kiosk_on_another_schema_is_told_which_and_keeps_its_sales(fleet: Fleet) -> None:
    k = enrolled(fleet, "Gammel")
    try:
        sell(k)
        sync = sync_of(k)
        link = Link(fleet.web.url, f"{sync.identity.kiosk_no}:{sync.identity.secret}")
        with pytest.raises(Refused) as refused:
            link.call("push", {"schema": "0005", "rows": []})
        assert refused.value.user_message.startswith(
            "Kiosken og serveren har forskellige versioner (kiosk 0005, server"
        )
        assert sync.outbox.count() == 1
    finally:
        k.close()
