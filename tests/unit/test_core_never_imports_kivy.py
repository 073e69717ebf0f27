"""The core (domain, services, db, devices, receipts) must run without Kivy: on a server, in the CLI, in tests."""

import subprocess
import sys
from pathlib import Path

import kiosk

CORE = ("domain", "services", "db", "devices", "printouts")


def _core_modules() -> list[str]:
    root = Path(kiosk.__file__).parent
    names = ["kiosk.config", "kiosk.bootstrap", "kiosk.cli", "kiosk.errors", "kiosk.clock"]
    for package in CORE:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(root.parent).with_suffix("")
            names.append(".".join(p for p in rel.parts if p != "__init__"))
    return names


def test_importing_every_core_module_leaves_kivy_unloaded() -> None:
    modules = _core_modules()
    assert len(modules) > 15
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "loaded = sorted(m for m in sys.modules if m == 'kivy' or m.startswith('kivy.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"core pulled in Kivy: {result.stdout[:200]}"
