"""The screens, one .py + one .kv each, registered by name in SCREENS (the app and `kiosk screenshot` use it)."""

from __future__ import annotations

import os

os.environ.setdefault("KIVY_NO_ARGS", "1")  # before the first kivy import: Kivy must not parse our argv

from importlib import import_module
from typing import Any

from kiosk.screens.base import KioskScreen


class ScreenRef:
    """A registered screen, imported the first time it is built: importing every screen module (and parsing its
    kv rules) up front was a fifth of the start-up time.  Call it like the class (``ref(name="home")``)."""

    def __init__(self, module: str, class_name: str) -> None:
        self.module, self.class_name = module, class_name

    def load(self) -> type[KioskScreen]:
        cls: type[KioskScreen] = getattr(import_module(f"kiosk.screens.{self.module}"), self.class_name)
        return cls

    def __call__(self, **kwargs: Any) -> KioskScreen:
        return self.load()(**kwargs)


SCREENS: dict[str, ScreenRef] = {
    "home": ScreenRef("shop.home", "HomeScreen"),
    "sale": ScreenRef("sales.sale", "SaleScreen"),
    "checkin": ScreenRef("checkin.checkin", "CheckinScreen"),
    "jobs": ScreenRef("jobs.jobs", "JobsScreen"),
    "staff": ScreenRef("people.staff", "StaffScreen"),
    "job": ScreenRef("jobs.jobs", "JobScreen"),
    "job_signup": ScreenRef("jobs.job_signup", "JobSignupScreen"),
    "job_done": ScreenRef("jobs.job_done", "JobDoneScreen"),
    "my_jobs": ScreenRef("jobs.job_done", "MyJobsScreen"),
    "jobs_admin": ScreenRef("jobs.jobs_admin", "JobsAdminScreen"),
    "job_edit": ScreenRef("jobs.jobs_admin", "JobEditScreen"),
    "pay": ScreenRef("sales.pay", "PayScreen"),
    "checkin_pin": ScreenRef("checkin.checkin", "CheckinPinScreen"),
    "checkin_done": ScreenRef("checkin.checkin_done", "CheckinDoneScreen"),
    "forgotten": ScreenRef("checkin.forgotten", "ForgottenScreen"),
    "my_hours": ScreenRef("checkin.my_hours", "MyHoursScreen"),
    "staff_menu": ScreenRef("people.staff", "StaffMenuScreen"),
    "shift_review": ScreenRef("checkin.shift_review", "ShiftReviewScreen"),
    "impact": ScreenRef("reports.impact", "ImpactScreen"),
    "till_admin": ScreenRef("sales.till_admin", "TillAdminScreen"),
    "refund": ScreenRef("sales.refund", "RefundScreen"),
    "products_admin": ScreenRef("sales.products_admin", "ProductsAdminScreen"),
    "product_edit": ScreenRef("sales.product_edit", "ProductEditScreen"),
    "people_admin": ScreenRef("people.people_admin", "PeopleAdminScreen"),
    "settings": ScreenRef("shop.settings", "SettingsScreen"),
    "shop_edit": ScreenRef("shop.shop_edit", "ShopEditScreen"),
    "setup_shop": ScreenRef("shop.first_start", "SetupShopScreen"),  # Kom i gang: only while no admin exists
    "setup_admin": ScreenRef("shop.first_start", "SetupAdminScreen"),
    "setup_printer": ScreenRef("shop.first_start", "SetupPrinterScreen"),
    "setup_scanner": ScreenRef("shop.first_start", "SetupScannerScreen"),
    "setup_done": ScreenRef("shop.first_start", "SetupDoneScreen"),
}
