"""Translations: Danish is the source; Babel finds every marked string in every module (.py, .kv, the web's
templates) and each has its English; a message the core writes is said in the reader's language; the compiled
catalogue is current."""

from __future__ import annotations

import ast
import gettext
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

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


def test_babel_extracts_the_marked_strings_of_every_module() -> None:
    """The core's messages (errors, services, domain, devices), the screens' .py and .kv, and the web's templates."""
    where = {m.id if isinstance(m.id, str) else m.id[0]: {path for path, _line in m.locations} for m in i18n.extract()}
    expected = {
        "Noget gik galt. Prøv igen, eller spørg en medarbejder.": "errors.py",  # a class attribute
        "Gør betalingen færdig først": "services/sales/counter.py",
        "Kontant": "domain/payment.py",  # METHOD_NAMES, shown with _(METHOD_NAMES[m])
        "Printeren svarer ikke. Tjek at den er tændt og har papir.": "errors.py",
        "Sæt en USB-nøgle i kiosken, og prøv igen.": "devices/usb_storage.py",
        "Køb": "screens/shop/home.kv",
        "Gå til indholdet": "web/templates/base.html",
    }
    for msgid, path in expected.items():
        assert path in where.get(msgid, set()), f"{msgid!r} not extracted from {path}: {where.get(msgid)}"


def test_every_marked_string_has_its_english() -> None:
    missing = i18n.untranslated("en")
    assert not missing, (
        f"add to kiosk/assets/locales/en/LC_MESSAGES/kiosk.po, then python -m kiosk.i18n compile: {missing}"
    )


def test_the_catalogue_has_each_msgid_once() -> None:
    """A msgid appended twice is silently merged by Babel (the last English wins) and rejected by msgfmt."""
    entries: list[str] = []
    current: list[str] | None = None
    for line in i18n.po_path("en").read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [line[6:]]
        elif current is not None and line.startswith('"'):
            current.append(line)
        elif current is not None:
            entries.append("".join(current))
            current = None
    doubled = sorted({e for e in entries if entries.count(e) > 1 and e != '""'})
    assert not doubled, f"these are in kiosk.po more than once: {doubled}"


def test_a_marked_string_without_an_entry_fails_the_check(tmp_path: Path) -> None:
    """The check sees a new message wherever it is marked: L_() in the core, _() in kv, n_() in a template."""
    (tmp_path / "services").mkdir()
    (tmp_path / "services" / "new.py").write_text('said = L_("Kassen er {n} kr. for lidt", n=3)\n', encoding="utf-8")
    (tmp_path / "new.kv").write_text('<New@Label>:\n    text: _("Køb")\n', encoding="utf-8")
    (tmp_path / "web" / "templates").mkdir(parents=True)
    (tmp_path / "web" / "templates" / "new.html").write_text(
        '<p>{{ n_("1 ny ting", "{n} nye ting", n) }}</p>\n', encoding="utf-8"
    )
    assert sorted(i18n.untranslated("en", tmp_path)) == ["1 ny ting", "Kassen er {n} kr. for lidt"]


def test_extract_writes_the_catalogue_template(tmp_path: Path) -> None:
    from babel.messages.pofile import read_po

    with i18n.write_pot(tmp_path / "kiosk.pot").open("rb") as f:
        template = read_po(f)
    assert template.get("Gør betalingen færdig først") is not None
    assert len([m for m in template if m.id]) == len(i18n.ui_messages())


# A message a person can be told is marked where it is written (L_(), _()), never a bare literal or f-string:
# the extractor cannot see those, and no language but Danish can say them.
_MARKERS = {"_", "n_", "L_", "Ln_", "joined", "in_language", "said"}


def _is_bare_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value != ""
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_bare_text(node.left) or _is_bare_text(node.right)
    if isinstance(node, ast.IfExp):
        return _is_bare_text(node.body) or _is_bare_text(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "…".format(), " ".join(…)
        return _is_bare_text(node.func.value) and not (
            isinstance(node.func.value, ast.Call) and _call_name(node.func.value) in _MARKERS
        )
    return False


def _call_name(node: ast.Call) -> str:
    return node.func.id if isinstance(node.func, ast.Name) else ""


def test_no_user_message_is_left_unmarked() -> None:
    package = Path(i18n.__file__).parent
    bare = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.keyword) and node.arg == "user_message":
                values.append(node.value)
            elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(getattr(t, "id", getattr(t, "attr", None)) == "user_message" for t in targets):
                    values.append(node.value)
            bare += [f"{path.relative_to(package)}:{v.lineno}" for v in values if _is_bare_text(v)]
    assert not bare, f"mark these with L_() (kiosk.i18n) so they can be said in English: {bare}"


def _has_words(node: ast.expr) -> bool:
    """Text with a letter in it, not said through a marker: "Gemt i {x}", f"Gemt i {x}", "Gemt" + x, and the same
    inside an f-string's braces or a .format()'s arguments.  "  " + _("…"), f"  {name}" and "  ".join(…) are
    layout, not words."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_has_words(v.value if isinstance(v, ast.FormattedValue) else v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _has_words(node.left) or _has_words(node.right)
    if isinstance(node, ast.IfExp):
        return _has_words(node.body) or _has_words(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):  # "…".format(…), ", ".join(…)
        marked = isinstance(node.func.value, ast.Call) and _call_name(node.func.value) in _MARKERS
        return (not marked and _has_words(node.func.value)) or any(_has_words(k.value) for k in node.keywords)
    return False


def _unmarked_prints(source: str) -> list[int]:
    """The lines of print() calls that would show a person Danish words whatever their language."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _call_name(node) == "print" and any(_has_words(a) for a in node.args)
    ]


def test_every_line_the_kiosk_command_prints_goes_through_the_catalogue() -> None:
    """`kiosk devices`, `journal verify`, `backup`, `people list` …: said in [kiosk] language, not always Danish."""
    package = Path(i18n.__file__).parent
    unmarked = [
        f"{path.name}:{line}"
        for path in sorted(package.glob("cli*.py"))
        for line in _unmarked_prints(path.read_text(encoding="utf-8"))
    ]
    assert not unmarked, f"print these with _() (kiosk.i18n) and add the English to kiosk.po: {unmarked}"


def test_a_danish_literal_printed_by_a_command_fails_the_check() -> None:
    source = """
print(f"Varer gemt i {path}")
print("Serielle porte:" if ports else _("Serielle porte: ingen fundet"))
print(f"Printer: {'svarer' if online else _('SVARER IKKE')}")
print(_("Gemt i {path}").format(path="ukendt sted"))
print("  " + "Kiosken skal være stoppet")
print(_("Varer gemt i {file}").format(file=path), file=sys.stderr)
print("  " + _("Gemt i {path}").format(path=path))
print(f"  {person.name}: {shown(hours)}")
print("  ".join(row))
print(path)
"""
    assert _unmarked_prints(source) == [2, 3, 4, 5, 6]


def test_a_message_from_the_core_is_said_in_the_readers_language() -> None:
    from kiosk.errors import DomainError, KioskError, PrinterOfflineError

    refused = DomainError(user_message=i18n.L_("Gør betalingen færdig først"))
    assert refused.user_message == "Gør betalingen færdig først"  # it is its Danish text
    assert i18n.said(refused.user_message, "en") == "Finish the payment first"
    assert i18n.said(PrinterOfflineError().user_message, "en").startswith("The printer is not answering")
    inner = i18n.L_("Kontant")
    outer = i18n.L_("Pengene gives tilbage som {method}.", method=inner)
    assert outer == "Pengene gives tilbage som Kontant."
    assert i18n.said(outer, "en") == "The money goes back as Cash."
    both = i18n.joined([i18n.L_("Kurven er tom"), "Åse"], ", ")
    assert (both, i18n.said(both, "en")) == ("Kurven er tom, Åse", "The basket is empty, Åse")
    places = i18n.Ln_("1 ledig plads", "{n} ledige pladser", 3)
    assert (places, i18n.said(places, "en")) == ("3 ledige pladser", "3 free places")
    i18n.set_language("en")  # the kiosk switched after the message was made: _() and said() follow it
    assert i18n._(outer) == i18n.said(outer) == "The money goes back as Cash."
    assert i18n.said(KioskError.user_message).startswith("Something went wrong")
    assert i18n.said("Åse Ørbæk") == "Åse Ørbæk" and i18n.said("") == ""


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
