"""Home, Opsætning and Kom i gang: what the shell and the scan router use of them (no kv loaded by these)."""

from kiosk.screens.shop.setup_steps import FIRST, STEPS, is_setup_screen, setup_scan

__all__ = ["FIRST", "STEPS", "is_setup_screen", "setup_scan"]
