"""kiosk web under load, on this machine: 20 phones at once opening a job page and signing up, against `kiosk web`
as a real process on an SQLite file, while the kiosk (this process) checks out sales on the same file.

Two rounds, each printing the job page's and the sign-up's p50/p99, requests per second, and the kiosk's checkout p99
idle and under that load (targets: the web p99 under 100 ms; checkout p99 at most 1.5 × its idle p99):
- "as people": 20 phones at once, each held by a person who reads a page for --think seconds (0.5 to 2 s, drawn
  anew each time) before the next tap: twenty residents in front of posters at the same moment;
- "flat out": the same 20 phones with no pause at all, each asking again the moment an answer arrives: what the
  server can answer per second (its capacity), where each answer waits for the other 19.

The till sells a sale every --till-pause seconds (0.1: ten a second, a hundred times a busy shop's pace, so the
p99 has a few hundred samples), idle first and then beside the phones.

    python bench/web_load.py [--clients 20] [--seconds 30] [--sales 300] [--think 0.5-2.0] [--till-pause 0.1]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import select
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

from _summary import summary

from kiosk.bootstrap import build_web_services, open_database
from kiosk.clock import LOCAL_TZ, utc_now
from kiosk.config import load_settings
from kiosk.db.engine import unit_of_work
from kiosk.db.models import Person
from kiosk.domain.cart import Cart, CartLine
from kiosk.domain.payment import Payment
from kiosk.services.jobs import Jobs
from kiosk.services.sales import Sales

JOBS = 10
SIGNUP_EVERY = 5  # one phone in five that opens a job signs up (the rest look and leave)


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html[:500]
    return found[1]


Think = tuple[float, float]


def _phone(
    jobs: list[str], until: float, seed: int, think: Think, out: multiprocessing.Queue[tuple[str, float]]
) -> None:
    rnd = random.Random(seed)

    def reads() -> None:  # the person reads the page (or types their name) before the next tap
        if think[1] > 0:
            time.sleep(rnd.uniform(*think))

    n = 0
    reads()  # twenty people do not tap in the same millisecond
    while time.monotonic() < until:
        opener = build_opener(HTTPCookieProcessor(CookieJar()))
        job = rnd.choice(jobs)
        t = time.perf_counter()
        with opener.open(job, timeout=30) as answer:
            answer.read()
        out.put(("job", (time.perf_counter() - t) * 1000))
        reads()
        n += 1
        if n % SIGNUP_EVERY:
            continue
        with opener.open(job + "/tilmeld", timeout=30) as answer:
            token = _csrf(answer.read().decode())
        reads()
        name = "".join(rnd.choice(string.ascii_lowercase) for _ in range(8)).capitalize()
        for step, form in (("/tilmeld", {"name": name}), ("/telefon", {"phone": ""})):
            with opener.open(job + step, data=urlencode({**form, "csrf_token": token}).encode(), timeout=30) as a:
                a.read()
            reads()
        with opener.open(job + "/tjek", timeout=30) as answer:
            token = _csrf(answer.read().decode())
        reads()
        t = time.perf_counter()
        with opener.open(job + "/tjek", data=urlencode({"csrf_token": token}).encode(), timeout=30) as answer:
            answer.read()
        out.put(("signup", (time.perf_counter() - t) * 1000))
        reads()


def _load(
    jobs: list[str], clients: int, seconds: float, think: Think, out: multiprocessing.Queue[tuple[str, float]]
) -> None:
    """In its own process (its own GIL), `clients` threads, each a phone; ("done", 0) when all have stopped."""
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=_phone, args=(jobs, until, i, think, out)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(("done", 0.0))


def _drain(queue: multiprocessing.Queue[tuple[str, float]], samples: dict[str, list[float]]) -> None:
    while True:
        kind, ms = queue.get()
        if kind == "done":
            return
        samples[kind].append(ms)


def _checkouts(
    sales: Sales,
    seller: Person,
    n: int,
    pause: float,
    going: Callable[[], bool] = lambda: True,
    failed: list[str] | None = None,
) -> list[float]:
    """Each checkout's time in ms; a checkout that fails is counted in `failed` (its message), not a crash."""
    out = []
    for i in range(n):
        if not going():
            break
        cart = Cart()
        cart.add(CartLine(None, "Kaffe, kop", 1500, category="Café", quantity=2))
        cart.add(CartLine(None, "Kanelsnegl", 1750, category="Bageri"))
        pay = Payment(cart.total_ore)
        if i % 2:
            pay.pay_cash(10000)
        else:
            pay.pay_electronic("card")
        t = time.perf_counter()
        try:
            sales.checkout(cart, pay, seller.id)
        except Exception as exc:  # a figure to print: the till refused a sale
            if failed is None:
                raise
            failed.append(f"{type(exc).__name__}: {exc}"[:200])
            continue
        out.append((time.perf_counter() - t) * 1000)
        time.sleep(pause)  # a till sells one sale at a time, not flat out
    return out


def _round(label: str, jobs: list[str], args: argparse.Namespace, think: Think, sales: Sales, seller: Person) -> None:
    # The targets are for phones held by people; flat out (each phone asks again the moment it is answered) the
    # figures are the server's capacity on two cores: printed, with no target beside them.
    targets = think[1] > 0
    idle = _checkouts(sales, seller, args.sales, args.till_pause)
    queue: multiprocessing.Queue[tuple[str, float]] = multiprocessing.Queue()
    samples: dict[str, list[float]] = {"job": [], "signup": []}
    drain = threading.Thread(target=_drain, args=(queue, samples))
    load = multiprocessing.Process(target=_load, args=(jobs, args.clients, args.seconds, think, queue))
    started = time.monotonic()
    drain.start()
    load.start()
    failed: list[str] = []
    busy = _checkouts(sales, seller, 10**9, args.till_pause, going=drain.is_alive, failed=failed)
    drain.join()
    load.join()
    elapsed = time.monotonic() - started
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{label} (load average {load_avg}):")
    for kind, name in (("job", "job page"), ("signup", "sign-up (Ja, tilmeld mig)")):
        got = samples[kind]
        rate = len(got) / elapsed
        p50, p99 = statistics.median(got), percentile(got, 99)
        mark = "✓" if p99 < 100 else "✗"
        print(f"  {name:27} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   {rate:6.1f} /s   (target p99 < 100 ms) {mark}")
        target = ("p99 < 100 ms", p99 < 100) if targets else ()
        summary(f"`kiosk web` {name}, {args.clients} phones {label} (`web_load.py`)",
                f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, {rate:.1f}/s", *target)  # fmt: skip
    total = (len(samples["job"]) + len(samples["signup"]) * 8) / elapsed
    print(f"  requests answered           {total:6.1f} /s (a sign-up is 8, redirects included)")
    idle99, busy99 = percentile(idle, 99), percentile(busy, 99)
    mark = "✓" if busy99 <= 1.5 * idle99 else "✗"
    print(f"  kiosk checkout p99          idle {idle99:6.1f} ms   under load {busy99:6.1f} ms   "
          f"{busy99 / idle99:4.2f} ×   (target ≤ 1.5 ×) {mark}")  # fmt: skip
    summary(f"the kiosk's checkout meanwhile ({len(failed)} sales refused)",
            f"p99 {busy99:.0f} ms against {idle99:.0f} ms idle: **{busy99 / idle99:.1f} ×**",
            *(("≤ 1.5 × idle", busy99 <= 1.5 * idle99) if targets else ()))  # fmt: skip
    print(
        f"  kiosk sales refused         {len(failed)} of {len(failed) + len(busy)}"
        + (f"  ({failed[0]})" if failed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--sales", type=int, default=300)
    parser.add_argument(
        "--till-pause",
        type=float,
        default=0.1,
        help="seconds between the till's sales: 0.1 is ten sales a second, far busier than any shop's lunchtime",
    )
    parser.add_argument("--think", default="0.5-2.0", help="a person's pause between taps, seconds: MIN-MAX")
    args = parser.parse_args()
    low, high = (float(x) for x in args.think.split("-"))
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "kiosk.toml"
        config.write_text(
            f'data_dir = "{tmp}/data"\n[web]\nsignups_per_client_hour = 100000\nsignups_per_job_hour = 100000\n',
            encoding="utf-8",
        )
        settings = load_settings(config)
        web = build_web_services(settings)
        day = (datetime.now(LOCAL_TZ) + timedelta(days=3)).date()
        rows = "".join(f"Job {chr(65 + i)};Gården;{day} 10:00;{day} 13:00;200;\n" for i in range(JOBS))
        Jobs(web.sessions).import_csv(("title;place;starts;ends;capacity;description\n" + rows).encode())
        tokens = [j.qr_token for j in web.jobs.upcoming(utc_now())]
        web.close()
        engine, sessions = open_database(settings, till=True)  # the till's writes first, as `kiosk run`
        with unit_of_work(sessions) as s:
            seller = Person(name="Åse Ørbæk", role="worker")
            s.add(seller)
        sales = Sales(sessions, settings, utc_now)

        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "web", "--config", str(config), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert server.stdout is not None
        select.select([server.stdout], [], [], 60)
        base = re.search(r"(http://\S+/)", server.stdout.readline())
        assert base, "kiosk web did not start"
        jobs = [f"{base[1]}job/{t}" for t in tokens]
        print(f"kiosk web: {args.clients} phones for {args.seconds:.0f} s a round on this machine "
              f"({os.cpu_count()} cores), the kiosk checking out on the same SQLite file meanwhile")  # fmt: skip
        try:
            _round(
                f"as people (a page read {low:g}–{high:g} s before the next tap)",
                jobs,
                args,
                (low, high),
                sales,
                seller,
            )
            _round("flat out (no pause: the server's capacity)", jobs, args, (0.0, 0.0), sales, seller)
        finally:
            server.terminate()
            server.wait(timeout=30)
            engine.dispose()


if __name__ == "__main__":
    main()
