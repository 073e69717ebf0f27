"""Hedemarken kiosk: point of sale, worker check-in and small-job sign-up for a social-economy shop."""

__version__ = "0.1.0"
