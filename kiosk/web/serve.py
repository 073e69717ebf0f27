"""`kiosk web`: the pages served by waitress (pure Python, threaded, synchronous like the services) on the kiosk's
own database.  Prints the address it answers on once it is ready, then serves until SIGTERM or Ctrl+C."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from types import FrameType
from typing import TextIO

from kiosk.bootstrap import build_web_services
from kiosk.config import Settings
from kiosk.web.app import create_app, url_prefix

log = logging.getLogger(__name__)

THREADS = 8  # waitress's workers: a sign-up waits on SQLite's write lock at most busy_timeout (5 s)
# The page and the till share the Pi's cores: the till's checkout and screen come first (as its writes do at the
# database's write gate, kiosk.db.write_gate), a phone's page a few milliseconds later.
NICE = 10


def serve(settings: Settings, host: str | None = None, port: int | None = None, out: TextIO = sys.stdout) -> int:
    from waitress.server import create_server

    with contextlib.suppress(OSError):  # a sandbox may forbid it; the page works all the same
        os.nice(NICE)
    services = build_web_services(settings)
    web = settings.web
    proxy: dict[str, object] = {}
    if web.trusted_proxy:
        proxy = {
            "trusted_proxy": web.trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": "x-forwarded-for x-forwarded-proto",
        }
    server = create_server(
        create_app(services),
        host=host or web.host,
        port=web.port if port is None else port,
        threads=THREADS,
        ident="",  # no "Server: waitress" header
        **proxy,
    )

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    address = f"http://{_host(server.effective_host)}:{server.effective_port}{url_prefix(web.public_url)}/"
    print(f"Småjobs på nettet: {address}", file=out, flush=True)
    log.info("kiosk web on %s (jobs' QR: %s<token>)", address, settings.job_url)
    try:
        server.run()
    except KeyboardInterrupt:
        log.info("kiosk web stopped")
    finally:
        server.close()
        services.close()
    return 0


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
