"""People: workers, supervisors, admins and residents — the directory, staff codes and staff mode, badges, the
admin screen's changes, the spreadsheet import/export and a person's own data (export, forget)."""

import kiosk.services.people.badges as badges
from kiosk.services.people.admin import BadgeIssuer, ListedPerson, PeopleAdmin
from kiosk.services.people.badges import (
    BadgeError,
    NotABadgeError,
    ResidentCardError,
    RevokedBadgeError,
    UnknownBadgeError,
)
from kiosk.services.people.code_guard import (
    BARCODE,
    CHECKIN,
    REFUND,
    STAFF,
    TILL,
    CodeGuard,
    CodeLockedError,
    CodeState,
    MustChangeCodeError,
    WrongCodeError,
)
from kiosk.services.people.directory import People, PersonView, person_view
from kiosk.services.people.forgotten import forget as forget_resident
from kiosk.services.people.forgotten import reapply as reapply_forgotten
from kiosk.services.people.forgotten import register_path as forgotten_register
from kiosk.services.people.person_data import (
    CannotForget,
    PersonNotFound,
    export_person,
    find_person,
    forget_person,
)
from kiosk.services.people.spreadsheet import (
    CodeRefused,
    code_holder,
    export_people,
    import_people,
    list_people,
    set_code,
)
from kiosk.services.people.staff_access import NotALeaderError, StaffAccess, require_role
from kiosk.services.people.staff_session import StaffSession

__all__ = [
    "BARCODE",
    "CHECKIN",
    "REFUND",
    "STAFF",
    "TILL",
    "BadgeError",
    "BadgeIssuer",
    "CannotForget",
    "CodeGuard",
    "CodeLockedError",
    "CodeRefused",
    "CodeState",
    "ListedPerson",
    "MustChangeCodeError",
    "NotABadgeError",
    "NotALeaderError",
    "People",
    "PeopleAdmin",
    "PersonNotFound",
    "PersonView",
    "ResidentCardError",
    "RevokedBadgeError",
    "StaffAccess",
    "StaffSession",
    "UnknownBadgeError",
    "WrongCodeError",
    "badges",
    "code_holder",
    "export_people",
    "export_person",
    "find_person",
    "forget_person",
    "forget_resident",
    "forgotten_register",
    "import_people",
    "list_people",
    "person_view",
    "reapply_forgotten",
    "require_role",
    "set_code",
]
