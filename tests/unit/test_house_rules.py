"""The house rules (DESIGN.md §8) hold: the core never imports the UI, flows meet only through their __init__,
screens never import the app, printouts read domain objects only, only the journal module writes the journal, and
no import cycle anywhere in kiosk/ (imports inside functions and under TYPE_CHECKING count)."""

from __future__ import annotations

from tests.unit.house_rules import broken_rules, cycles, imports, modules


def test_the_checker_sees_the_whole_house() -> None:
    known = modules()
    assert "kiosk.services.sales.checkout" in known and "kiosk.screens.scan_router" in known
    edges = {(i.source, i.target) for i in imports(known)}
    assert ("kiosk.app", "kiosk.screens.scan_router") in edges or any(s == "kiosk.app" for s, _ in edges)


def test_the_checker_finds_a_cycle_when_there_is_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_every_house_rule_holds() -> None:
    broken = broken_rules()
    assert not broken, "\n".join(broken)
