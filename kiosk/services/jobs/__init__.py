"""Småjobs: the job board, the admin's jobs, residents' sign-ups and waitlist, the check-in on the day, the lists
(mine, the roster) and the upkeep that closes past jobs and erases residents no longer seen."""

from kiosk.domain.jobs import Confirmation, JobView
from kiosk.services.jobs.admin import JobAdmin, JobCancelled, JobDraft
from kiosk.services.jobs.board import JobNotFound, Jobs
from kiosk.services.jobs.lists import credited_minutes
from kiosk.services.jobs.on_the_day import resident
from kiosk.services.jobs.personal import SignupByToken
from kiosk.services.jobs.signup_types import (
    AlreadySignedUp,
    CancelResult,
    ConsentMissing,
    JobClosed,
    MyJob,
    MyJobs,
    News,
    OutsideWindow,
    Roster,
    RosterLine,
    ScanResult,
    SignupRefused,
    SignupResult,
    UnknownCode,
    signup_result,
)
from kiosk.services.jobs.signups import Signups
from kiosk.services.jobs.upkeep import ERASED_NAME, close_past_jobs, delete_inactive_residents, erase

__all__ = [
    "ERASED_NAME",
    "AlreadySignedUp",
    "CancelResult",
    "Confirmation",
    "ConsentMissing",
    "JobAdmin",
    "JobCancelled",
    "JobClosed",
    "JobDraft",
    "JobNotFound",
    "JobView",
    "Jobs",
    "MyJob",
    "MyJobs",
    "News",
    "OutsideWindow",
    "Roster",
    "RosterLine",
    "ScanResult",
    "SignupByToken",
    "SignupRefused",
    "SignupResult",
    "Signups",
    "UnknownCode",
    "close_past_jobs",
    "credited_minutes",
    "delete_inactive_residents",
    "erase",
    "resident",
    "signup_result",
]
