"""Thermal slips for småjobs: the tear-off slip with the job's QR, the confirmation slip a resident keeps (its QR
checks them in and cancels), and a first-timer's resident card.

QR payloads (kiosk.domain.scan, README "QR payloads"): ``<job_url><job qr_token>`` (a web address, the same as on
the poster), ``HK1:S:<signup token>``, ``HK1:C:<card token>``; tokens are 128-bit random strings, never database ids."""

from __future__ import annotations

import textwrap

from kiosk.config import ShopSettings
from kiosk.domain import jobs as jt
from kiosk.domain.jobs import Confirmation, JobView
from kiosk.domain.scan import job_payload, make_payload
from kiosk.printouts.document import QR, Document, Feed, Line, Rule
from kiosk.printouts.shop_lines import NARROW, shop_head

SCAN_HERE = ("Scan med din telefon", "– eller ved kiosken")  # the QR opens the job's web page too
CANCEL_HOW = ("Afmeld: scan denne kode", "ved kiosken og tryk Afmeld")


def _say(text: str, *, bold: bool = False) -> tuple[Line, ...]:
    """Centred prose wrapped for the narrowest paper (the preview and 58 mm printers cut long lines)."""
    return tuple(Line(line, bold=bold, align="center") for line in textwrap.wrap(text, NARROW))


def _heading(text: str) -> tuple[Line, ...]:
    """Large and centred when it fits in three double-width lines of the narrowest paper, else bold and wrapped."""
    large = textwrap.wrap(text, NARROW // 2)
    if len(large) <= 3 and all(len(line) <= NARROW // 2 for line in large):
        return tuple(Line(line, bold=True, align="center", large=True) for line in large)
    return tuple(Line(line, bold=True, align="center") for line in textwrap.wrap(text, NARROW))


def _when(job: JobView) -> tuple[Line, ...]:
    return (
        Line(jt.weekday_date_text(job.starts_at), bold=True, align="center"),
        Line(f"kl. {job.time_text}", bold=True, align="center"),
        *_say(job.place),
    )


def job_slip(job: JobView, shop: ShopSettings, job_url: str = "") -> Document:
    """Tear-off slip handed out or pinned at the shop: the shop, the job, and the same QR as the poster
    (``<job_url><qr_token>``: `Settings.job_url`, the web page's address; `shop.job_url` when none is given)."""
    return Document(
        (
            *shop_head(shop),
            Line("Småjob – vær med!", bold=True, align="center"),
            Feed(),
            *_heading(job.title),
            Feed(),
            *_when(job),
            *_say(job.free_text, bold=True),
            Feed(),
            QR(job_payload(job.qr_token, job_url or shop.job_url), size=8),
            Feed(),
            *(Line(line, bold=True, align="center") for line in SCAN_HERE),
        ),
        cut=True,
        title=f"Jobseddel: {job.title}",
    )


def confirmation_slip(c: Confirmation, shop: ShopSettings) -> Document:
    """What the resident keeps: the shop, the job, when and where, and one QR for check-in on the day and for
    Afmeld."""
    waiting = c.status == "waitlist"
    status = f"Venteliste nr. {c.position}" if waiting else "Du er tilmeldt!"
    after = (
        _say("Vi siger til, hvis der bliver plads.")
        if waiting
        else (Line("Scan koden, når du kommer,", align="center"), Line("og igen når du går.", align="center"))
    )
    return Document(
        (
            *shop_head(shop),
            Line(status, bold=True, align="center", large=True),
            *((Line(f"Du er på venteliste som nr. {c.position}", align="center"),) if waiting else ()),
            Line(c.name, align="center"),
            Rule(),
            *_say(c.job.title, bold=True),
            *_when(c.job),
            Rule(),
            QR(make_payload("signup", c.token), size=6),
            *after,
            Feed(),
            *(Line(text, align="center") for text in CANCEL_HOW),
        ),
        cut=True,
        title=f"Tilmelding: {c.job.title}",
    )


def resident_card(name: str, token: str, shop: ShopSettings) -> Document:
    """A first-timer's own card: next time one scan signs them up, checks them in or cancels.  It names the shop
    and its address, where the card works."""
    return Document(
        (
            *shop_head(shop),
            Line("Dit kort til småjobs", bold=True, align="center"),
            Feed(),
            *_heading(name),
            Feed(),
            QR(make_payload("card", token), size=8),
            Feed(),
            *_say("Scan kortet ved kiosken i butikken, når du vil være med til et job.", bold=True),
            Feed(),
            *_say("Mistet? Sig det til en medarbejder."),
        ),
        cut=True,
        title=f"Beboerkort til {name}",
    )
