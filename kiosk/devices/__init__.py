"""Printer, scanner and cash drawer.  Never imports Kivy; devices call back, the UI hands results to its thread."""
