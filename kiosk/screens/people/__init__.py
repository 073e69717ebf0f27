"""Staff mode and Personer: what the shell and the scan router use of these screens."""

from kiosk.screens.people.staff import MENU, is_staff_screen, staff_scan

__all__ = ["MENU", "is_staff_screen", "staff_scan"]
