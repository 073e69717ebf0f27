"""What kiosk and server agree on byte for byte: canonical JSON and its hash (same payload -> same hash)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

API_VERSION = 1  # the sync API's own version; the schema (Alembic head) is compared separately


def canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
