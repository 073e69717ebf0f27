"""The one source of "now": always timezone-aware UTC, replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_local(moment: datetime) -> datetime:
    """Shop-local wall time for display and receipts (storage stays UTC)."""
    return moment.astimezone(LOCAL_TZ)
