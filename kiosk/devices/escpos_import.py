"""Import python-escpos with its side effects tamed (DESIGN §3).

python-escpos 3.1 does three rude things when imported or used; this module undoes each of them:

* ``escpos.capabilities`` unpickles its printer database into a fresh ``mkdtemp()`` directory on every
  start (~0.3 s, a new temp dir each run) unless ``ESCPOS_CAPABILITIES_PICKLE_DIR`` names a directory:
  we point it at our cache dir before the first import.
* It calls ``logging.basicConfig()`` at import, and its transports log through the *root* logger
  (``logging.info(...)``), which calls ``basicConfig()`` again whenever the root has no handler.  We remove
  the handlers that appear during the import or a print job, but only when the root had none before (an app
  that configured logging keeps its own handlers).
* It ``print()``s warnings to stdout.  ``quiet_stdout()`` sends them to ``logging.debug`` for the calling
  thread only, so a print job on a worker thread never swallows another thread's output.

Nothing here runs at import: ``load_escpos()`` does the work once, on first use.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO, cast

import platformdirs

from kiosk.config import APP_NAME

log = logging.getLogger(__name__)
_escpos_log = logging.getLogger("escpos.stdout")

_import_lock = threading.Lock()
_stdout_lock = threading.Lock()
_quiet = threading.local()
_proxy: _ThreadAwareStdout | None = None
_proxy_users = 0


def escpos_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME)) / "escpos"


def load_escpos() -> ModuleType:
    """``escpos.printer`` (Dummy, File, Serial, Usb, Network, CupsPrinter, LP), imported quietly once."""
    with _import_lock:
        if "escpos.printer" in sys.modules:
            return sys.modules["escpos.printer"]
        if "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ:
            cache = escpos_cache_dir()
            try:
                cache.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # read-only home: escpos falls back to a temp dir, only slower
                log.warning("cannot create escpos cache dir %s: %s", cache, exc)
            else:
                os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
        with _root_handlers_kept(), quiet_stdout():
            import escpos.printer

            module: ModuleType = escpos.printer
        log.debug("python-escpos loaded (capabilities cache %s)", os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"))
        return module


@contextlib.contextmanager
def tamed_escpos() -> Iterator[None]:
    """Wrap every call into escpos: its print() goes to logging.debug and no root handler is left behind."""
    with _root_handlers_kept(), quiet_stdout():
        yield


@contextlib.contextmanager
def _root_handlers_kept() -> Iterator[None]:
    root = logging.getLogger()
    had_handlers = bool(root.handlers)
    try:
        yield
    finally:
        if not had_handlers:
            for handler in list(root.handlers):
                root.removeHandler(handler)


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Route this thread's writes to ``sys.stdout`` to ``logging.debug`` while inside the block."""
    global _proxy, _proxy_users
    with _stdout_lock:
        if _proxy is None or sys.stdout is not _proxy:
            _proxy = _ThreadAwareStdout(sys.stdout)
            sys.stdout = cast(TextIO, _proxy)
        _proxy_users += 1
    _quiet.depth = getattr(_quiet, "depth", 0) + 1
    try:
        yield
    finally:
        _quiet.depth -= 1
        if _quiet.depth == 0:
            _log_line(getattr(_quiet, "partial", ""))  # a print() without newline at the end
            _quiet.partial = ""
        with _stdout_lock:
            _proxy_users -= 1
            if _proxy_users == 0 and _proxy is not None:
                if sys.stdout is _proxy:  # someone else swapped stdout meanwhile: leave theirs alone
                    sys.stdout = _proxy.original
                _proxy = None


def _log_line(line: str) -> None:
    if line.strip():
        _escpos_log.debug("%s", line.rstrip())


class _ThreadAwareStdout:
    """Stands in for sys.stdout: quiet threads write to the log, all others to the real stream."""

    def __init__(self, original: TextIO) -> None:
        self.original = original

    def write(self, text: str) -> int:
        if getattr(_quiet, "depth", 0) <= 0:
            return self.original.write(text)
        *lines, rest = (getattr(_quiet, "partial", "") + text).split("\n")
        _quiet.partial = rest
        for line in lines:
            _log_line(line)
        return len(text)

    def flush(self) -> None:
        self.original.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)
