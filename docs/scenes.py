"""The README's screenshots of screens in use (a seller with a cart, the payment, a check-in...), rendered
offscreen from the demo data.  `./dev screenshots` runs it after rendering every screen's first state.

    python docs/scenes.py [--out docs/screenshots] [--only NAME]
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kiosk.screenshot_scenes import kiosk_scenes


def main() -> None:
    with kiosk_scenes(__doc__, (1280, 800)) as scenes:
        from kiosk.domain.scan import make_payload
        from kiosk.screens.checkin.checkin import checkin_scan
        from kiosk.screenshot import pump

        app, services, shot = scenes.app, scenes.services, scenes.shot
        aase = next(p for p in services.people.staff() if p.first_name == "Åse")
        app.go("sale")
        shot("sale_locked")
        app.counter.log_in(aase)
        products = {p.name: p for p in services.catalog.products()}
        for name in ("Kaffe, kop", "Kaffe, kop", "Kanelsnegl", "Æblemost fra Hedemarken, 0,5 l"):
            app.counter.add(products[name])
        pump()
        shot("sale")
        app.sm.get_screen("sale").pay()
        pay = app.sm.get_screen("pay")
        pay.choose("cash")
        shot("pay")
        pay.cash(10000)
        shot("pay_change")
        app.counter.finished = None
        app.counter.log_out()

        app.go_home()
        pump()
        checkin_scan(app, make_payload("badge", services.people.badge_token(aase.id) or ""))
        shot("checkin_done")

        # Opsætning > Ret: the shop's name, address, CVR and MobilePay number on the on-screen keyboard
        line = next(p for p in services.people.staff() if p.role == "admin")
        services.settings = dataclasses.replace(services.settings, config_file=Path("/etc/hedemarken-kiosk/kiosk.toml"))
        app.go("shop_edit", supervisor=line)
        shot("shop_edit")


if __name__ == "__main__":
    main()
