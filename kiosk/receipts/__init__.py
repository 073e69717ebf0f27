"""Turns domain receipts, slips, badges and reports into printer-neutral `Document`s."""
