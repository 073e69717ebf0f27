"""The screens, one .py + one .kv each, registered by name in SCREENS (the app and `kiosk screenshot` use it)."""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

from kiosk.screens.base import KioskScreen
from kiosk.screens.checkin import CheckinScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.jobs import JobsScreen
from kiosk.screens.sale import SaleScreen
from kiosk.screens.staff import StaffScreen

SCREENS: dict[str, type[KioskScreen]] = {
    "home": HomeScreen,
    "sale": SaleScreen,
    "checkin": CheckinScreen,
    "jobs": JobsScreen,
    "staff": StaffScreen,
}
