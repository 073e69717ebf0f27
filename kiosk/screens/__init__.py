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
    "home": ScreenRef("home", "HomeScreen"),
    "sale": ScreenRef("sale", "SaleScreen"),
    "checkin": ScreenRef("checkin", "CheckinScreen"),
    "jobs": ScreenRef("jobs", "JobsScreen"),
    "staff": ScreenRef("staff", "StaffScreen"),
    "job": ScreenRef("jobs", "JobScreen"),
    "job_signup": ScreenRef("job_signup", "JobSignupScreen"),
    "job_done": ScreenRef("job_done", "JobDoneScreen"),
    "my_jobs": ScreenRef("job_done", "MyJobsScreen"),
    "jobs_admin": ScreenRef("jobs_admin", "JobsAdminScreen"),
    "job_edit": ScreenRef("jobs_admin", "JobEditScreen"),
    "pay": ScreenRef("pay", "PayScreen"),
    "checkin_pin": ScreenRef("checkin", "CheckinPinScreen"),
    "checkin_done": ScreenRef("checkin_done", "CheckinDoneScreen"),
    "forgotten": ScreenRef("forgotten", "ForgottenScreen"),
    "my_hours": ScreenRef("my_hours", "MyHoursScreen"),
    "staff_menu": ScreenRef("staff", "StaffMenuScreen"),
    "shift_review": ScreenRef("shift_review", "ShiftReviewScreen"),
    "impact": ScreenRef("impact", "ImpactScreen"),
    "till_admin": ScreenRef("till_admin", "TillAdminScreen"),
    "refund": ScreenRef("refund", "RefundScreen"),
    "products_admin": ScreenRef("products_admin", "ProductsAdminScreen"),
    "product_edit": ScreenRef("product_edit", "ProductEditScreen"),
    "people_admin": ScreenRef("people_admin", "PeopleAdminScreen"),
    "settings": ScreenRef("settings", "SettingsScreen"),
    "shop_edit": ScreenRef("shop_edit", "ShopEditScreen"),
    "setup_shop": ScreenRef("first_start", "SetupShopScreen"),  # Kom i gang: only while no admin exists
    "setup_admin": ScreenRef("first_start", "SetupAdminScreen"),
    "setup_printer": ScreenRef("first_start", "SetupPrinterScreen"),
    "setup_scanner": ScreenRef("first_start", "SetupScannerScreen"),
    "setup_done": ScreenRef("first_start", "SetupDoneScreen"),
}
