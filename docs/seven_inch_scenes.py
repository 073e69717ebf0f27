"""The README's 7-inch gallery: Home, Køb (a seller with a cart) and Betal (cash) on the official Raspberry Pi 7"
screen (800x480), in Danish and in English, rendered offscreen from the demo data.  `./dev screenshots` runs it.

    python docs/seven_inch_scenes.py [--out docs/screenshots] [--only NAME]

Writes {home,sale,pay}_7in_{da,en}.png, each re-saved by Pillow with optimize=True (as assets/make_icons.py does):
the same pixels, a smaller file for the README.
"""

from __future__ import annotations

from kiosk.screenshot_scenes import kiosk_scenes

SEVEN_INCH = (800, 480)
CART = ("Kaffe, kop", "Kaffe, kop", "Kanelsnegl", "Æblemost fra Hedemarken, 0,5 l")  # docs/scenes.py's cart


def main() -> None:
    with kiosk_scenes(__doc__, SEVEN_INCH, optimize=True) as scenes:
        app, services, shot = scenes.app, scenes.services, scenes.shot
        aase = next(p for p in services.people.staff() if p.first_name == "Åse")
        products = {p.name: p for p in services.catalog.products()}
        for language in ("da", "en"):
            app.set_language(language)
            app.go_home()
            shot(f"home_7in_{language}")
            app.counter.log_in(aase)
            for name in CART:
                app.counter.add(products[name])
            app.go("sale")
            shot(f"sale_7in_{language}")
            app.sm.get_screen("sale").pay()
            app.sm.get_screen("pay").choose("cash")
            shot(f"pay_7in_{language}")
            app.counter.clear()  # the next language starts from an empty till, as a new sale would
            app.counter.finished = None
            app.counter.log_out()


if __name__ == "__main__":
    main()
