"""The till's screens (Køb, Betal, Retur, Kassen, Varer): what the scan router uses of them."""

from kiosk.screens.sales.refund import receipt_scan

__all__ = ["receipt_scan"]
