"""Who may do what: worker (sell, check in) < supervisor (refund, training, X/Z, hours, jobs) < admin (products,
people, settings).  A role allows everything the roles below it allow."""

from __future__ import annotations

ROLE_RANK = {"worker": 0, "supervisor": 1, "admin": 2}
LEADER_ROLES = ("supervisor", "admin")  # the roles that open staff mode


def role_allows(role: str, least: str) -> bool:
    """True when `role` is `least` or above it; residents and unknown roles are allowed nothing."""
    return ROLE_RANK.get(role, -1) >= ROLE_RANK[least]
