"""Translations and display formats.  The source strings are Danish; English comes from a gettext catalogue.

Use ``_("Køb")`` from Python and from kv (``#:import _ kiosk.i18n._``); ``n_("1 ledig plads", "{n} ledige
pladser", n)`` for plurals.  ``set_language("en")`` switches what later calls return: the app rebuilds its
screens after switching, because kv evaluates ``_()`` once, when a widget is created.

No Kivy here (the unit tests import this module without a display).  The catalogue lives in
``kiosk/assets/locales/<lang>/LC_MESSAGES/kiosk.po`` and is compiled to ``kiosk.mo`` beside it with
``python -m kiosk.i18n compile`` (or ``pybabel compile -d kiosk/assets/locales -D kiosk``).
"""

from __future__ import annotations

import gettext
import logging
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.dates import format_date, format_time

from kiosk.clock import to_local

log = logging.getLogger(__name__)

DOMAIN = "kiosk"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"
LOCALE_DIR = ASSETS_DIR / "locales"
LANGUAGES = ("da", "en")
SOURCE_LANGUAGE = "da"
BABEL_LOCALES = {"da": "da_DK", "en": "en_GB"}

_state: dict[str, object] = {"language": SOURCE_LANGUAGE, "translation": gettext.NullTranslations()}


def _translation() -> gettext.NullTranslations:
    found = _state["translation"]
    assert isinstance(found, gettext.NullTranslations)
    return found


def set_language(language: str) -> None:
    """Switch to "da" (the source strings) or "en".  A missing catalogue falls back to Danish, logged."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    translation: gettext.NullTranslations = gettext.NullTranslations()
    if language != SOURCE_LANGUAGE:
        try:
            translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
        except OSError:
            log.error("no compiled catalogue for %s in %s; showing Danish", language, LOCALE_DIR)
    _state["language"] = language
    _state["translation"] = translation


def get_language() -> str:
    return str(_state["language"])


def babel_locale() -> str:
    return BABEL_LOCALES[get_language()]


def _(message: str) -> str:
    """The message in the current language (Danish source text when there is no translation)."""
    return _translation().gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """Plural-aware; the result may contain ``{n}``, filled in here."""
    return _translation().ngettext(singular, plural, n).format(n=n)


# ---- display formats (Danish: "mandag 23. november 2026 · 14.05", "1. december 2026", "10.00–13.00") ----


def _local(moment: datetime) -> datetime:
    return to_local(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def format_day(moment: datetime) -> str:
    """ "1. december 2026" / "1 December 2026"."""
    return format_date(_local(moment), "long", locale=babel_locale())


def format_weekday_date(moment: datetime) -> str:
    """ "mandag 23. november 2026" / "Monday 23 November 2026"."""
    pattern = "EEEE d. MMMM y" if get_language() == "da" else "EEEE d MMMM y"
    return format_date(_local(moment), pattern, locale=babel_locale())


def format_clock(moment: datetime) -> str:
    """ "14.05" in Danish, "14:05" in English."""
    return format_time(_local(moment), "short", locale=babel_locale())


def format_now_line(moment: datetime) -> str:
    return f"{format_weekday_date(moment)} · {format_clock(moment)}"


def format_time_range(starts: datetime, ends: datetime) -> str:
    return f"{format_clock(starts)}–{format_clock(ends)}"


# ---- catalogue maintenance (used by the unit test and `python -m kiosk.i18n`) ----

UI_SOURCES = ("app.py", "screenshot.py", "screens", "widgets", "web")  # web: its .py and its .html templates
_STRING = r"\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'"
_CALL_ = re.compile(r"(?<![\w.])_\(\s*(?:" + _STRING + r")\s*\)")
_CALL_N = re.compile(r"(?<![\w.])n_\(\s*(?:" + _STRING + r")\s*,\s*(?:" + _STRING + r")\s*,")


def _unescape(text: str) -> str:
    return text.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in text else text


def ui_messages(root: Path | None = None) -> dict[str, str | None]:
    """Every literal passed to ``_()``/``n_()`` in the UI's .py, .kv and .html files: msgid -> plural (or None)."""
    base = root or Path(__file__).resolve().parent
    files: list[Path] = []
    for name in UI_SOURCES:
        path = base / name
        files += sorted(p for p in path.rglob("*") if p.suffix in (".py", ".kv", ".html")) if path.is_dir() else [path]
    found: dict[str, str | None] = {}
    for path in files:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        for m in _CALL_.finditer(text):
            found.setdefault(_unescape(m.group(1) if m.group(1) is not None else m.group(2)), None)
        for m in _CALL_N.finditer(text):
            singular = m.group(1) if m.group(1) is not None else m.group(2)
            plural = m.group(3) if m.group(3) is not None else m.group(4)
            found[_unescape(singular)] = _unescape(plural)
    return found


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogs() -> list[Path]:
    """Compile every kiosk.po under LOCALE_DIR to kiosk.mo beside it (Babel, same as `pybabel compile`)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as f:
            write_mo(f, catalog)
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.i18n compile`` | ``missing``: compile the catalogues, or list untranslated strings."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = sys.argv[1:] if argv is None else argv
    if args == ["compile"]:
        for mo in compile_catalogs():
            log.info("wrote %s", mo)
        return 0
    if args == ["missing"]:
        from babel.messages.pofile import read_po

        with po_path("en").open("rb") as f:
            catalog = read_po(f)
        missing = [m for m in ui_messages() if (found := catalog.get(m)) is None or not found.string]
        for m in missing:
            log.info("%s", m)
        return 1 if missing else 0
    log.error("usage: python -m kiosk.i18n compile|missing")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
