"""Translations and display formats.  The source strings are Danish; English comes from a gettext catalogue.

Use ``_("Køb")`` from Python and from kv (``#:import _ kiosk.i18n._``); ``n_("1 ledig plads", "{n} ledige
pladser", n)`` for plurals.  ``set_language("en")`` switches what later calls return: the app rebuilds its
screens after switching, because kv evaluates ``_()`` once, when a widget is created.  The core marks what it
tells a person with ``L_("Kvittering nr. {number} findes ikke", number=n)`` and the screen says it with
``said()``: in the language of whoever reads it, then (see "messages marked where they are written").

Every module is scanned by Babel (``python -m kiosk.i18n extract`` writes ``kiosk.pot``; ``missing`` lists
what has no English): .py and .kv with the Python extractor, the web's templates with Jinja2's.

No Kivy here (the unit tests import this module without a display).  The catalogue lives in
``kiosk/assets/locales/<lang>/LC_MESSAGES/kiosk.po`` and is compiled to ``kiosk.mo`` beside it with
``python -m kiosk.i18n compile`` (or ``pybabel compile -d kiosk/assets/locales -D kiosk``).
"""

from __future__ import annotations

import gettext
import logging
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from babel.dates import format_date, format_time

from kiosk.clock import to_local

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

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
    """The message in the current language (Danish source text when there is no translation).  A `Text` is
    said in full (its parameters too): ``_(exc.user_message)`` is right for any message."""
    if isinstance(message, Text):
        return said(message)
    return _translation().gettext(message) if message else message  # gettext("") is the catalogue's header


def n_(singular: str, plural: str, n: int) -> str:
    """Plural-aware; the result may contain ``{n}``, filled in here."""
    return _translation().ngettext(singular, plural, n).format(n=n)


# ---- messages marked where they are written, said where they are shown ----
#
# The core (domain, services, devices, errors) writes what a person is told, but not who reads it: the kiosk
# after a language switch, a phone on kiosk web in English while the kiosk speaks Danish, a class attribute
# evaluated at import.  So it marks the Danish with L_() and hands on a Text; the screen, the web page or the
# command says it with said() (or _()) in the reader's language.  Receipts, the journal and the payroll and
# SAF-T files stay Danish (legal documents): they use the Text as the plain Danish str it is.

_NULL = gettext.NullTranslations()


class Text(str):
    """A message that is its Danish text (logs, tests, receipts, Danish screens read it as a plain str) and can
    be said again in another language: `said(text, "en")`.  Made by L_(), Ln_(), joined() and in_language().
    Formatting it into another string (f"{text}") keeps only the Danish: pass it on as a parameter instead."""

    _render: Callable[[gettext.NullTranslations, str], str]

    def __new__(cls, render: Callable[[gettext.NullTranslations, str], str]) -> Text:
        made = super().__new__(cls, render(_NULL, SOURCE_LANGUAGE))
        made._render = render
        return made

    def __copy__(self) -> Text:
        return self  # immutable, like the str it is

    def __deepcopy__(self, _memo: object) -> Text:
        return self

    def __reduce__(self) -> tuple[type[str], tuple[str]]:
        return (str, (str(self),))  # pickled (another process) it is its Danish text


def _params(params: dict[str, object], language: str) -> dict[str, object]:
    return {k: said(v, language) if isinstance(v, Text) else v for k, v in params.items()}


def L_(message: str, /, **params: object) -> str:  # a Text; typed str: it stands wherever a str does
    """Mark `message` (Danish, a msgid the extractor sees) and keep it to be said later, `{name}`s filled from
    `params` (a Text parameter is said in the same language)."""

    def render(catalogue: gettext.NullTranslations, language: str) -> str:
        pattern = catalogue.gettext(message)
        return pattern.format(**_params(params, language)) if params else pattern

    return Text(render)


def Ln_(singular: str, plural: str, n: int, /, **params: object) -> str:
    """L_() with a plural: `{n}` and `params` filled in when said."""

    def render(catalogue: gettext.NullTranslations, language: str) -> str:
        return catalogue.ngettext(singular, plural, n).format(n=n, **_params(params, language))

    return Text(render)


def joined(parts: Iterable[str], sep: str = " ") -> str:
    """Several messages said as one ("Skriv en titel. Skriv hvor jobbet er."), each in the reader's language."""
    kept = tuple(parts)
    return Text(lambda catalogue, language: sep.join(_said(p, catalogue, language) for p in kept))


def in_language(render: Callable[[str], str]) -> str:
    """A value written differently per language (a time: "14.05" / "14:05"): `render(language)`."""
    return Text(lambda _catalogue, language: render(language))


def lazy_date(value: date | datetime, danish: str, english: str) -> str:
    """A Text: the shop's local day by a Babel pattern for each language ("d. MMMM y" / "d MMMM y")."""
    day = _local(value).date() if isinstance(value, datetime) else value
    return in_language(
        lambda language: format_date(day, danish if language == "da" else english, locale=BABEL_LOCALES[language])
    )


def lazy_clock(moment: datetime) -> str:
    """A Text: the shop's local time, "09.02" in Danish and "09:02" in English."""
    local = _local(moment)
    return in_language(lambda language: local.strftime("%H.%M" if language == "da" else "%H:%M"))


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language` (Danish: none, the msgids are Danish)."""
    if language == SOURCE_LANGUAGE:
        return _NULL
    try:
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except OSError:
        log.error("no compiled catalogue for %s in %s; showing Danish", language, LOCALE_DIR)
        return _NULL


def _said(text: str, found: gettext.NullTranslations, language: str) -> str:
    if isinstance(text, Text):
        return text._render(found, language)
    return found.gettext(text) if text else text  # gettext("") is the catalogue's header


def shown(text: str) -> str:
    """What a label, toast or dialog shows for `text`: a Text said in the kiosk's language, any other string (a
    name, a line a screen already translated) as it is."""
    return said(text) if isinstance(text, Text) else text


def said(text: str, language: str | None = None) -> str:
    """`text` in `language` (default: the kiosk's): a Text in full, a plain Danish msgid looked up, anything
    else (a name, an already translated line) as it is."""
    if language is None:
        return _said(text, _translation(), get_language())
    return _said(text, catalogue(language), language)


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

PACKAGE_DIR = Path(__file__).resolve().parent
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
# What marks a msgid, everywhere: _() and n_() say it now, L_() and Ln_() keep it to be said later (a Text).
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "n_": (1, 2), "L_": None, "Ln_": (1, 2)}
# kv's expressions are Python (the tokenizer reads a .kv file whole; its rules and #: lines are names and
# comments to it), the web's templates are Jinja2 calling _() and n_().
METHOD_MAP = [("**.py", "python"), ("**.kv", "python"), ("web/templates/**.html", "jinja2.ext:babel_extract")]


def extract(root: Path | None = None) -> Catalog:
    """Every msgid marked anywhere under the package (`root`): the catalogue template, as Babel extracts it."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    base = root or PACKAGE_DIR
    found = Catalog(project="hedemarken-kiosk", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(base), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        if message and (message if isinstance(message, str) else message[0]):
            found.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return found


def ui_messages(root: Path | None = None) -> dict[str, str | None]:
    """Every msgid marked in any module: msgid -> its plural (or None)."""
    found: dict[str, str | None] = {}
    for message in extract(root):
        if not message.id:
            continue  # the template's header
        if isinstance(message.id, str):
            found.setdefault(message.id, None)
        else:
            found[message.id[0]] = message.id[1]
    return found


def write_pot(out: Path = POT_PATH) -> Path:
    from babel.messages.pofile import write_po

    with out.open("wb") as f:
        write_po(f, extract(), width=120, sort_output=True, include_lineno=False)
    return out


def untranslated(language: str = "en", root: Path | None = None) -> list[str]:
    """The msgids marked in the code (under `root`) that `language`'s kiosk.po has no (complete) translation for."""
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as f:
        known = read_po(f)
    missing = []
    for message in extract(root):
        if not message.id:
            continue  # the template's header
        entry = known.get(message.id)
        strings = entry.string if entry is not None else None
        if not strings or (isinstance(strings, tuple) and not all(strings)):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
        elif isinstance(message.id, tuple) and not isinstance(strings, tuple):
            missing.append(message.id[0])  # a plural used in the code needs msgid_plural and msgstr[0]/[1]
    return missing


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
    """``python -m kiosk.i18n compile`` | ``extract`` | ``missing``: compile the catalogues, write kiosk.pot from
    every module, or list the marked strings that have no English."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    args = sys.argv[1:] if argv is None else argv
    if args == ["compile"]:
        for mo in compile_catalogs():
            log.info("wrote %s", mo)
        return 0
    if args == ["extract"]:
        log.info("wrote %s", write_pot())
        return 0
    if args == ["missing"]:
        missing = untranslated("en")
        for m in missing:
            log.info("%s", m)
        return 1 if missing else 0
    log.error("usage: python -m kiosk.i18n compile|extract|missing")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
