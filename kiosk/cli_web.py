"""`kiosk web [--host 127.0.0.1] [--port 8080]`: the page a job's QR opens on a phone (kiosk.web), on the same
database as the kiosk.  kiosk/cli.py wires it with ``register(sub)``."""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.config import load_settings

SubParsers = Any  # argparse._SubParsersAction is private


def cmd_web(args: argparse.Namespace) -> int:
    from kiosk.web import serve

    settings = load_settings(args.config, demo=getattr(args, "demo", False))
    return serve(settings, host=args.host, port=args.port)


def register(sub: SubParsers) -> None:
    p = sub.add_parser("web", help="the sign-up page a job poster's QR opens on a phone")
    p.add_argument("--host", default=None, help="address to listen on (default: [web] host, 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: [web] port, 8080; 0: any free port)")
    p.add_argument("--demo", action="store_true", help="the demo database (seeded), as `kiosk run --demo`")
    p.set_defaults(handler=cmd_web)
