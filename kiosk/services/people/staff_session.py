"""The staff session: which leader has staff mode open on this kiosk, since when, and its end.

One lives beside the App (it is the kiosk's state, not a screen's).  A supervisor or admin opens it with their
badge or PIN (StaffAccess checks who may); it ends with "Log ud", when the kiosk goes to a screen outside staff
mode, or when it is left alone.  Each end is journaled (staff_logout with the reason) by StaffAccess.
Listeners hear every change (the shell makes the staff screens forget the leader when it ends).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from kiosk.clock import Clock
from kiosk.errors import KioskError
from kiosk.services.people.directory import PersonView

log = logging.getLogger(__name__)

Listener = Callable[["PersonView | None"], None]


class StaffSession:
    def __init__(self, log_out: Callable[[uuid.UUID, str], None], clock: Clock) -> None:
        """`log_out(person_id, reason)` journals an end (StaffAccess.log_out of the kiosk's services)."""
        self._log_out = log_out
        self._clock = clock
        self.leader: PersonView | None = None  # None: staff mode is closed
        self.since: dt.datetime | None = None
        self._listeners: list[Listener] = []

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    @property
    def is_open(self) -> bool:
        return self.leader is not None

    def start(self, leader: PersonView) -> None:
        """`leader` has been let in (StaffAccess checked the badge or PIN); another leader's session ends first."""
        if self.leader is not None and self.leader.id != leader.id:
            self.end("logout")
        self.leader, self.since = leader, self._clock()
        self._tell()

    def hand_to(self, leader: PersonView) -> None:
        """The staff menu was opened for `leader` without a login here (Retur's supervisor code, then back to the
        menu): staff mode is theirs from now on, nothing journaled, as when the menu kept the session."""
        if self.leader is None or self.leader.id != leader.id:
            self.leader, self.since = leader, self._clock()
            self._tell()

    def end(self, reason: str) -> None:
        """`reason`: "logout", "idle" or "left" (journaled).  Nothing happens when no session is open."""
        leader = self.leader
        if leader is None:
            return
        self.leader = self.since = None
        log.info("staff mode closed for %s (%s)", leader.id, reason)
        try:
            self._log_out(leader.id, reason)
        except KioskError:
            log.exception("could not journal the staff logout")
        self._tell()

    def forget(self) -> None:
        """The screens were built anew (a language switch, another database): staff mode starts over, unjournaled,
        as it always has (the leader lived on the staff menu screen until issue 12)."""
        if self.leader is not None:
            self.leader = self.since = None
            self._tell()

    def _tell(self) -> None:
        for listener in list(self._listeners):
            listener(self.leader)
