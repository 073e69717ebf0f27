"""`kiosk web`: the page a job poster's QR opens on a phone.  Server-rendered (Flask + Jinja2, no JavaScript),
served by waitress, on the kiosk's own services and database; Danish first, English by the browser or a link.

    create_app(services)  the Flask app (tests drive it with Flask's test client)
    serve(settings)       waitress on [web] host/port, the address printed once it answers

kiosk.web is a top layer beside the screens: it may use the services (through each flow's __init__), never Kivy,
the screens or the app (tests/unit/house_rules.py)."""

from kiosk.web.app import create_app
from kiosk.web.serve import serve

__all__ = ["create_app", "serve"]
