"""The shop itself: its identity (name, address, CVR), the first start, the print queue, the system status and
the demo data."""

import kiosk.services.shop.system_status as system_status
from kiosk.services.shop.demo import DEMO_PINS, seed_demo
from kiosk.services.shop.first_start import AdminInvalid, DeviceCheck, FirstStart, SetupDone, SetupDraft, SetupResult
from kiosk.services.shop.identity import ShopDraft, ShopIdentity, ShopInvalid
from kiosk.services.shop.printing import PrintOutcome, PrintQueue

__all__ = [
    "DEMO_PINS",
    "AdminInvalid",
    "DeviceCheck",
    "FirstStart",
    "PrintOutcome",
    "PrintQueue",
    "SetupDone",
    "SetupDraft",
    "SetupResult",
    "ShopDraft",
    "ShopIdentity",
    "ShopInvalid",
    "seed_demo",
    "system_status",
]
