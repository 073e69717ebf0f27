"""Småjobs: what the scan router uses of the job screens' flow (kiosk/screens/jobs/job_flow.py)."""

from kiosk.screens.jobs.job_flow import SIGNUP_SCREENS, day_scan, open_job_by_token, sign_up_by_card

__all__ = ["SIGNUP_SCREENS", "day_scan", "open_job_by_token", "sign_up_by_card"]
