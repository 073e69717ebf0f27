"""The web page's words, in the visitor's language: Danish first, English by the browser's Accept-Language or by
the link on every page (kept in the session).

The kiosk switches one global language (kiosk.i18n.set_language); a web server answers Danes and English
speakers at once on several threads, so here each request carries its own catalogue in `flask.g`.  The msgids
are the kiosk's: the same kiosk.po, the same Danish source text, checked by tests/unit/test_i18n.py."""

from __future__ import annotations

import gettext
from datetime import UTC, datetime

from babel.dates import format_date, format_time
from flask import g, has_request_context, request, session

from kiosk.clock import to_local
from kiosk.i18n import BABEL_LOCALES, LANGUAGES, SOURCE_LANGUAGE, Text, catalogue, said


def choose_language() -> str:
    """The link's choice (kept in the session), else the browser's preference between Danish and English."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES, default=SOURCE_LANGUAGE) or SOURCE_LANGUAGE


def use_language(language: str) -> None:
    g.language = language
    g.catalogue = catalogue(language)


def language() -> str:
    return str(g.get("language", SOURCE_LANGUAGE)) if has_request_context() else SOURCE_LANGUAGE


def _(message: str) -> str:
    """The Danish `message` in this request's language (a service's Text in full, its parameters too)."""
    if isinstance(message, Text):
        return said(message, language())
    found = g.get("catalogue") if has_request_context() else None
    return found.gettext(message) if isinstance(found, gettext.NullTranslations) else message


def n_(singular: str, plural: str, n: int) -> str:
    found = g.get("catalogue") if has_request_context() else None
    text = found.ngettext(singular, plural, n) if isinstance(found, gettext.NullTranslations) else None
    return (text or (singular if n == 1 else plural)).format(n=n)


def _local(moment: datetime) -> datetime:
    return to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def day_text(moment: datetime) -> str:
    """ "Tirsdag 1. december 2026" / "Tuesday 1 December 2026"."""
    pattern = "EEEE d. MMMM y" if language() == "da" else "EEEE d MMMM y"
    text = format_date(_local(moment), pattern, locale=BABEL_LOCALES[language()])
    return text[:1].upper() + text[1:]


def clock_text(moment: datetime) -> str:
    """ "10.00" in Danish, "10:00" in English."""
    return format_time(_local(moment), "HH.mm" if language() == "da" else "HH:mm", locale=BABEL_LOCALES[language()])


def time_text(starts: datetime, ends: datetime) -> str:
    """ "kl. 10.00–13.00" / "10:00–13:00"."""
    said = _("kl. {time}").format(time=f"{clock_text(starts)}–{clock_text(ends)}")
    return said.replace(" ", "\u00a0")  # one piece on a narrow screen: never "kl." alone at a line's end
