"""Mød ind / Gå hjem: what other screens and the scan router use of the check-in screens."""

from kiosk.screens.checkin.checkin import checkin_scan, show_problem, show_result

__all__ = ["checkin_scan", "show_problem", "show_result"]
