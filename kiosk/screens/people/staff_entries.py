"""What the staff menu offers: one line per staff screen, with the least role that may open it.

Feature screens add their entry here (and their screen to SCREENS); the staff menu draws its buttons from this
list, showing only the entries the logged-in person's role allows.  Titles are Danish msgids, translated when
the menu is drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.roles import role_allows


def _(message: str) -> str:
    """Mark a msgid for extraction (kiosk.i18n.ui_messages); the menu translates it when drawn."""
    return message


@dataclass(frozen=True)
class StaffEntry:
    screen: str  # a name in kiosk.screens.SCREENS
    title: str
    subtitle: str
    icon: str  # a name in kiosk/assets/icons
    role: str = "supervisor"  # the least role that may open it

    def allowed(self, role: str) -> bool:
        return role_allows(role, self.role)


STAFF_ENTRIES: list[StaffEntry] = [
    StaffEntry("shift_review", _("Godkend timer"), _("Glemte gå hjem, lange dage, rettelser"), "clock"),
    StaffEntry("jobs_admin", _("Småjobs"), _("Nye job, lister, sedler, ring til"), "calendar"),
    StaffEntry("till_admin", _("Kassen"), _("X og Z, kasse ind og ud, retur, priser, øvelse"), "cash"),
    StaffEntry("impact", _("Rapport til kommunen"), _("Nøgletal og grafer, gem på USB, backup"), "receipt"),
    StaffEntry("products_admin", _("Varer"), _("Nye varer, priser, stregkoder, billeder"), "basket", "admin"),
    StaffEntry("people_admin", _("Personer"), _("Nye folk, kort og koder"), "badge", "admin"),
    StaffEntry("settings", _("Opsætning"), _("Butik, printer, scanner, backup"), "toolbox", "admin"),
]
