"""Several kiosks, one PostgreSQL server (DESIGN.md §10).  On a kiosk: its identity (kiosk number, secret), the
outbox its sales go into in their own transaction, the sync worker that pushes them and pulls the server's
changes.  On the server (kiosk web): enrolment with one-time codes, each sale stored once, the change log."""

from kiosk.services.fleet.identity import FleetIdentity, identity_path, load_identity, save_identity
from kiosk.services.fleet.link import Offline, Refused, refusal_text
from kiosk.services.fleet.outbox import Outbox, enqueue
from kiosk.services.fleet.server import FleetServer, PushResult, Refusal
from kiosk.services.fleet.signups import (
    FleetSignups,
    cancel_on_server,
    clear_noted,
    noted,
    noted_path,
    sign_up_on_server,
)
from kiosk.services.fleet.sync import FleetSync, SyncStatus, SyncWorker, join

__all__ = [
    "FleetIdentity",
    "FleetServer",
    "FleetSignups",
    "FleetSync",
    "Offline",
    "Outbox",
    "PushResult",
    "Refusal",
    "Refused",
    "SyncStatus",
    "SyncWorker",
    "cancel_on_server",
    "clear_noted",
    "enqueue",
    "identity_path",
    "join",
    "load_identity",
    "noted",
    "noted_path",
    "refusal_text",
    "save_identity",
    "sign_up_on_server",
]
