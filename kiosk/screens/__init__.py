"""The screens, one .py + one .kv each, registered by name in SCREENS (the app and `kiosk screenshot` use it)."""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

from kiosk.screens.base import KioskScreen
from kiosk.screens.checkin import CheckinPinScreen, CheckinScreen
from kiosk.screens.checkin_done import CheckinDoneScreen
from kiosk.screens.forgotten import ForgottenScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.jobs import JobsScreen
from kiosk.screens.my_hours import MyHoursScreen
from kiosk.screens.pay import PayScreen
from kiosk.screens.sale import SaleScreen
from kiosk.screens.shift_review import ShiftReviewScreen
from kiosk.screens.staff import StaffMenuScreen, StaffScreen

SCREENS: dict[str, type[KioskScreen]] = {
    "home": HomeScreen,
    "sale": SaleScreen,
    "checkin": CheckinScreen,
    "jobs": JobsScreen,
    "staff": StaffScreen,
    "pay": PayScreen,
    "checkin_pin": CheckinPinScreen,
    "checkin_done": CheckinDoneScreen,
    "forgotten": ForgottenScreen,
    "my_hours": MyHoursScreen,
    "staff_menu": StaffMenuScreen,
    "shift_review": ShiftReviewScreen,
}
