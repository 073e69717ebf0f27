"""Translations: Danish is the source, every UI string has English, and the compiled catalogue is current."""

from __future__ import annotations

import gettext
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from babel.messages.pofile import read_po

from kiosk import i18n


@pytest.fixture(autouse=True)
def _danish_after() -> Iterator[None]:
    yield
    i18n.set_language("da")


def _po() -> dict[str, object]:
    with i18n.po_path("en").open("rb") as f:
        catalog = read_po(f)
    return {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in catalog if m.id}


def test_the_compiled_mo_says_exactly_what_the_po_says() -> None:
    mo = i18n.po_path("en").with_suffix(".mo")
    assert mo.exists(), "run: python -m kiosk.i18n compile"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, string in _po().items():
        if isinstance(string, tuple):
            for n, form in ((1, string[0]), (2, string[1])):
                assert compiled.ngettext(msgid, "-", n) == form, f"{msgid!r}: run python -m kiosk.i18n compile"
        else:
            assert compiled.gettext(msgid) == string, f"{msgid!r} is stale: run python -m kiosk.i18n compile"


def test_every_danish_string_in_the_ui_has_an_english_translation() -> None:
    used = i18n.ui_messages()
    assert "Køb" in used and "Tilbage" in used, "the string scan found nothing: is UI_SOURCES right?"
    po = _po()
    missing = [m for m in used if not po.get(m) or (isinstance(po[m], tuple) and not all(po[m]))]  # type: ignore[union-attr]
    assert not missing, f"add to kiosk/assets/locales/en/LC_MESSAGES/kiosk.po: {missing}"
    plurals = [m for m, plural in used.items() if plural is not None and not isinstance(po[m], tuple)]
    assert not plurals, f"these need msgid_plural + msgstr[0]/[1]: {plurals}"


def test_switching_language_changes_the_words_and_back() -> None:
    assert i18n._("Køb") == "Køb"
    i18n.set_language("en")
    assert i18n._("Køb") == "Buy"
    assert i18n.n_("1 ledig plads", "{n} ledige pladser", 3) == "3 free places"
    i18n.set_language("da")
    assert i18n._("Køb") == "Køb"
    assert i18n.n_("1 ledig plads", "{n} ledige pladser", 1) == "1 ledig plads"
    assert i18n.n_("1 ledig plads", "{n} ledige pladser", 2) == "2 ledige pladser"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="da, en"):
        i18n.set_language("sv")


def test_dates_and_times_read_the_danish_way_in_copenhagen_time() -> None:
    winter = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # 14.05 in Copenhagen
    assert i18n.format_now_line(winter) == "mandag 23. november 2026 · 14.05"
    assert i18n.format_day(datetime(2026, 12, 1, 9, 0, tzinfo=UTC)) == "1. december 2026"
    assert i18n.format_time_range(datetime(2026, 6, 1, 7, 0, tzinfo=UTC), datetime(2026, 6, 1, 10, 0)) == "09.00–12.00"
    i18n.set_language("en")
    assert i18n.format_now_line(winter) == "Monday 23 November 2026 · 14:05"


def test_i18n_never_imports_kivy() -> None:
    code = "import sys, kiosk.i18n; print(any(m == 'kivy' or m.startswith('kivy.') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
