"""The screens, one .py + one .kv each, registered by name in SCREENS (the app and `kiosk screenshot` use it)."""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

from kiosk.screens.base import KioskScreen
from kiosk.screens.checkin import CheckinPinScreen, CheckinScreen
from kiosk.screens.checkin_done import CheckinDoneScreen
from kiosk.screens.forgotten import ForgottenScreen
from kiosk.screens.home import HomeScreen
from kiosk.screens.impact import ImpactScreen
from kiosk.screens.job_done import JobDoneScreen, MyJobsScreen
from kiosk.screens.job_signup import JobSignupScreen
from kiosk.screens.jobs import JobScreen, JobsScreen
from kiosk.screens.jobs_admin import JobEditScreen, JobsAdminScreen
from kiosk.screens.my_hours import MyHoursScreen
from kiosk.screens.pay import PayScreen
from kiosk.screens.people_admin import PeopleAdminScreen
from kiosk.screens.product_edit import ProductEditScreen
from kiosk.screens.products_admin import ProductsAdminScreen
from kiosk.screens.refund import RefundScreen
from kiosk.screens.sale import SaleScreen
from kiosk.screens.shift_review import ShiftReviewScreen
from kiosk.screens.staff import StaffMenuScreen, StaffScreen
from kiosk.screens.till_admin import TillAdminScreen

SCREENS: dict[str, type[KioskScreen]] = {
    "home": HomeScreen,
    "sale": SaleScreen,
    "checkin": CheckinScreen,
    "jobs": JobsScreen,
    "staff": StaffScreen,
    "job": JobScreen,
    "job_signup": JobSignupScreen,
    "job_done": JobDoneScreen,
    "my_jobs": MyJobsScreen,
    "jobs_admin": JobsAdminScreen,
    "job_edit": JobEditScreen,
    "pay": PayScreen,
    "checkin_pin": CheckinPinScreen,
    "checkin_done": CheckinDoneScreen,
    "forgotten": ForgottenScreen,
    "my_hours": MyHoursScreen,
    "staff_menu": StaffMenuScreen,
    "shift_review": ShiftReviewScreen,
    "impact": ImpactScreen,
    "till_admin": TillAdminScreen,
    "refund": RefundScreen,
    "products_admin": ProductsAdminScreen,
    "product_edit": ProductEditScreen,
    "people_admin": PeopleAdminScreen,
}
