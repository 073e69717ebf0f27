"""Staff mode and the admin's work against a real SQLite file, through the composition root, with a clock the
test moves: the staff menu's code lockout (and that it survives a restart), roles, products, people and badges, USB
sticks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.db.engine import unit_of_work
from kiosk.db.models import JournalEntry
from kiosk.devices.usb_storage import NoStickError, UsbStorage
from kiosk.errors import ConfigError, DomainError
from kiosk.printouts.document import QR
from kiosk.services.people import CodeLockedError, RevokedBadgeError, WrongCodeError
from kiosk.services.people.staff_access import NotALeaderError
from kiosk.services.sales.product_admin import ProductDraft
from tests.conftest import SettableClock, png_bytes, same_picture
from tests.integration.conftest import running_kiosk

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PNG = png_bytes()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(START)


def refused(call: Any, *args: Any) -> str:
    """What the screen would show: the refusal's plain-Danish message."""
    with pytest.raises(DomainError) as caught:
        call(*args)
    return caught.value.user_message


def journal(services: Any, *kinds: str) -> list[JournalEntry]:
    with unit_of_work(services.sessions) as s:
        q = select(JournalEntry).where(JournalEntry.kind.in_(kinds)).order_by(JournalEntry.seq)
        return list(s.scalars(q))


# ---- staff mode: PIN lockout and roles ------------------------------------------------------------


def test_five_wrong_pins_lock_pin_entry_for_five_minutes_even_across_a_restart(
    settings: Any, services: Any, team: dict[str, Any], clock: SettableClock
) -> None:
    access = services.staff_access
    for left in (4, 3, 2, 1):
        with pytest.raises(WrongCodeError) as wrong:
            access.log_in_with_pin("999999")
        assert wrong.value.tries_left == left
    with pytest.raises(CodeLockedError) as locked:
        access.log_in_with_pin("999999")
    assert locked.value.until == START + timedelta(minutes=5)
    with pytest.raises(CodeLockedError):
        access.log_in_with_pin("147036")  # even the right code waits

    assert [json.loads(e.payload)["try"] for e in journal(services, "code_wrong")] == [1, 2, 3, 4, 5]
    [lock] = journal(services, "code_locked")
    assert json.loads(lock.payload)["until"] == "2026-11-23T09:05:00+00:00"

    services.close()  # the kiosk restarts: the lock is still there
    with running_kiosk(settings, clock) as again:
        clock.now = START + timedelta(minutes=4, seconds=59)
        with pytest.raises(CodeLockedError):
            again.staff_access.log_in_with_pin("147036")
        clock.now = START + timedelta(minutes=5)
        assert again.staff_access.log_in_with_pin("147036").id == team["leader"].id
        [login] = journal(again, "staff_login")
        assert (login.person_id, json.loads(login.payload)) == (team["leader"].id, {"method": "pin"})
        with pytest.raises(WrongCodeError) as fresh:
            again.staff_access.log_in_with_pin("999999")
        assert fresh.value.tries_left == 4, "after the lock the count starts again"


def test_a_leaders_badge_opens_staff_mode_even_while_pin_entry_is_locked(services: Any, team: dict[str, Any]) -> None:
    access = services.staff_access
    for _ in range(5):
        with pytest.raises((WrongCodeError, CodeLockedError)):
            access.log_in_with_pin("0000")
    assert access.pin_state().locked_until is not None
    token = services.people.badge_token(team["admin"].id)
    assert access.log_in_with_badge(token).role == "admin"
    assert json.loads(journal(services, "staff_login")[-1].payload) == {"method": "badge"}


def test_a_workers_pin_and_badge_do_not_open_staff_mode(services: Any, team: dict[str, Any]) -> None:
    with pytest.raises(WrongCodeError):
        services.staff_access.log_in_with_pin("1357")
    with pytest.raises(NotALeaderError, match="worker"):
        services.staff_access.log_in_with_badge(services.people.badge_token(team["worker"].id))
    assert journal(services, "staff_login") == []


def test_a_supervisor_cannot_do_an_admins_work(services: Any, team: dict[str, Any]) -> None:
    leader = team["leader"].id
    said = "Det kræver en administrator"
    assert refused(services.product_admin.save, leader, ProductDraft("Saft", 1000, "Drikke")) == said
    assert refused(services.people_admin.add, leader, "Nadia", "worker") == said
    assert refused(services.people_admin.reissue_badge, leader, team["worker"].id) == said
    assert services.catalog.products() == []


# ---- products -------------------------------------------------------------------------------------


def test_an_admin_creates_a_product_with_a_scanned_barcode_changes_it_and_takes_it_off(
    services: Any, team: dict[str, Any]
) -> None:
    admin = team["admin"].id
    admin_tool = services.product_admin
    made = admin_tool.save(admin, ProductDraft("  Hyldeblomst   saft ", 1850, "Drikke", barcode=" 5701234567892 "))
    assert (made.name, made.price_ore, made.category, made.barcodes) == (
        "Hyldeblomst saft",
        1850,
        "Drikke",
        ("5701234567892",),
    )
    assert services.catalog.by_barcode("5701234567892").id == made.id  # the till finds it
    [created] = journal(services, "product_created")
    assert created.person_id == admin
    assert json.loads(created.payload)["barcode"] == "5701234567892"

    admin_tool.save(admin, ProductDraft("Hyldeblomst saft", 2000, "Drikke"), made.id)
    [changed] = journal(services, "product_changed")
    assert json.loads(changed.payload)["changes"] == {"price_ore": [1850, 2000]}, "the old price stays beside the new"
    assert changed.person_id == admin

    admin_tool.set_active(admin, made.id, False)
    assert services.catalog.by_barcode("5701234567892") is None
    assert made.id not in {p.id for p in services.catalog.products()}
    assert [lp.active for lp in admin_tool.products() if lp.product.id == made.id] == [False]
    assert journal(services, "product_deactivated")[0].person_id == admin


@pytest.mark.parametrize(
    ("price", "said"), [(-500, "over 0"), (0, "over 0"), (300_001, "for høj"), (9_999_999, "for høj")]
)
def test_a_negative_or_absurd_price_is_refused_and_nothing_is_stored(
    services: Any, team: dict[str, Any], price: int, said: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.product_admin.save(team["admin"].id, ProductDraft("Kage", price, "Mad"))
    assert said in refused.value.user_message
    assert services.catalog.products() == []
    assert journal(services, "product_created") == []


def test_a_barcode_that_belongs_to_another_product_is_refused(services: Any, team: dict[str, Any]) -> None:
    admin = team["admin"].id
    services.product_admin.save(admin, ProductDraft("Te", 1200, "Drikke", barcode="5701234567892"))
    with pytest.raises(DomainError) as refused:
        services.product_admin.save(admin, ProductDraft("Kaffe", 1500, "Drikke", barcode="5701234567892"))
    assert refused.value.user_message == "Stregkoden hører allerede til Te"
    assert [p.name for p in services.catalog.products()] == ["Te"]


# ---- people and badges ----------------------------------------------------------------------------


def test_a_reissued_badge_stops_working_and_the_new_one_does(services: Any, team: dict[str, Any]) -> None:
    admin = team["admin"].id
    nadia = services.people_admin.add(admin, "Nadia Holm", "worker")
    old = services.people.badge_token(nadia.id)
    assert services.checkin.scan_badge(old).status == "checked_in"

    new = services.people_admin.reissue_badge(admin, nadia.id)
    assert new != old
    assert services.people.by_badge(old) is None
    with pytest.raises(RevokedBadgeError):
        services.checkin.scan_badge(old)
    slip = services.people_admin.badge(nadia.id, services.settings.shop)
    assert [b.data for b in slip.elements if isinstance(b, QR)] == [f"HK1:B:{new}"]

    [added] = journal(services, "person_added")
    payload = {k: v for k, v in json.loads(added.payload).items() if k != "journal_key"}  # the first entry has the key
    assert (added.person_id, payload) == (admin, {"person": str(nadia.id), "role": "worker"})
    [reissued] = journal(services, "badge_reissued")
    assert json.loads(reissued.payload)["by"] == str(admin)


def test_a_pin_a_leader_uses_cannot_be_given_to_anyone_else(services: Any, team: dict[str, Any]) -> None:
    admin, worker = team["admin"].id, team["worker"].id
    # Jørgen's code from before the 6-digit rule: Åse would open his menu with it.
    jørgen = services.people.add("Jørgen Hansen", "supervisor", pin="1470")
    assert refused(services.people_admin.set_pin, admin, worker, "1470") == "Den kode er optaget. Vælg en anden"
    services.people_admin.set_pin(admin, worker, "8642")
    assert services.people.check_pin(worker, "8642")
    assert journal(services, "pin_set")[0].person_id == admin
    assert refused(services.people_admin.set_pin, admin, worker, "12") == "Koden skal være 4 tal"
    assert refused(services.people_admin.set_pin, admin, jørgen.id, "258025") == "Den kode er optaget. Vælg en anden"


def test_a_deactivated_person_is_refused_everywhere_and_an_admin_cannot_deactivate_themselves(
    services: Any, team: dict[str, Any]
) -> None:
    admin, leader = team["admin"].id, team["leader"].id
    assert refused(services.people_admin.set_active, admin, admin, False) == "Du kan ikke deaktivere dig selv"
    services.people_admin.set_active(admin, leader, False)
    with pytest.raises(WrongCodeError):
        services.staff_access.log_in_with_pin("147036")
    with pytest.raises(RevokedBadgeError):
        services.staff_access.log_in_with_badge(services.people.badge_token(leader))
    assert leader not in {p.id for p in services.people.staff()}


# ---- USB sticks -----------------------------------------------------------------------------------


def _stick(tmp_path: Path) -> tuple[UsbStorage, Path]:
    """A temporary "mount": /media/kiosk/STICK, told apart from the folders above it as the kernel would."""
    root = tmp_path / "media"
    stick = root / "kiosk" / "STICK"
    stick.mkdir(parents=True)
    (root / "kiosk" / "not-mounted").mkdir()
    return UsbStorage((root, tmp_path / "run-media-missing"), is_mount=lambda p: p == stick), stick


def test_a_file_is_copied_onto_the_stick_and_a_second_copy_does_not_overwrite(tmp_path: Path) -> None:
    usb, stick = _stick(tmp_path)
    assert usb.sticks() == [stick]
    report = tmp_path / "z-rapport.pdf"
    report.write_bytes(b"%PDF-1.4 first")
    first = usb.copy_to_stick(report)
    report.write_bytes(b"%PDF-1.4 second")
    second = usb.copy_to_stick(report, "z-rapport.pdf")
    assert (first.name, second.name) == ("z-rapport.pdf", "z-rapport (2).pdf")
    assert (first.read_bytes(), second.read_bytes()) == (b"%PDF-1.4 first", b"%PDF-1.4 second")
    assert usb.copy_to_stick(report, "timer: nov/2026.pdf").name == "timer_ nov_2026.pdf"
    assert not [p for p in stick.iterdir() if p.name.endswith(".part")]


def test_no_stick_gives_a_plain_message(tmp_path: Path) -> None:
    usb = UsbStorage((tmp_path / "media",))
    (tmp_path / "media" / "kiosk").mkdir(parents=True)  # the automounter's folder, nothing mounted in it
    with pytest.raises(NoStickError) as none:
        usb.copy_to_stick(tmp_path / "x.pdf")
    assert none.value.user_message == "Sæt en USB-nøgle i kiosken, og prøv igen."


# A write-protected stick is mounted read-only: its folder is mounted for real (tmpfs, ro then rw) in a mount
# namespace of its own, so nothing is left mounted on the machine; the kernel's mount table says it is a stick.
_MOUNTED_STICK = """
import subprocess, sys
from pathlib import Path
from kiosk.devices.usb_storage import UsbStorage
root, options = Path(sys.argv[1]), sys.argv[2]
stick = root / "kiosk" / "STICK"
subprocess.run(["mount", "-t", "tmpfs", "-o", options + ",size=1m", "tmpfs", str(stick)], check=True)
print([p.name for p in UsbStorage((root,)).sticks()])
"""


@pytest.mark.parametrize(("options", "offered"), [("ro", "[]"), ("rw", "['STICK']")])
def test_a_read_only_stick_is_not_offered(tmp_path: Path, options: str, offered: str) -> None:
    """A stick the kiosk may not write on is not offered for an export.  As an ordinary user (the kiosk runs as
    User=kiosk) a folder without write permission is refused; as root, which may write in any folder, the stick
    is mounted read-only for real."""
    usb, stick = _stick(tmp_path)
    if os.geteuid() != 0:
        stick.chmod(0o555 if options == "ro" else 0o755)
        try:
            assert str([p.name for p in usb.sticks()]) == offered
        finally:
            stick.chmod(0o755)
        return
    done = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", sys.executable, "-c", _MOUNTED_STICK,
         str(tmp_path / "media"), options],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == offered


def test_a_photo_on_the_stick_becomes_the_products_picture(
    tmp_path: Path, settings: Any, services: Any, team: dict[str, Any]
) -> None:
    usb, stick = _stick(tmp_path)
    (stick / "Billeder").mkdir()
    (stick / "Billeder" / "saft.PNG").write_bytes(PNG)
    (stick / ".Trash-1000").mkdir()
    (stick / ".Trash-1000" / "old.png").write_bytes(PNG)
    (stick / "noter.txt").write_text("ikke et billede")
    (stick / "falsk.jpg").write_text("heller ikke")
    assert [p.name for p in usb.images()] == ["falsk.jpg", "saft.PNG"]

    said = refused(services.product_admin.import_image, stick / "falsk.jpg")
    assert said == "Det er ikke et billede (PNG eller JPG)"
    name = services.product_admin.import_image(stick / "Billeder" / "saft.PNG")
    assert same_picture(settings.data_dir / name, stick / "Billeder" / "saft.PNG")
    made = services.product_admin.save(team["admin"].id, ProductDraft("Saft", 1000, "Drikke", image=name))
    assert made.image == name and name.startswith("product_images/") and name.endswith(".png")


def test_usb_mount_roots_come_from_the_config_file(tmp_path: Path) -> None:
    from kiosk.config import load_settings

    f = tmp_path / "k.toml"
    f.write_text('[usb]\nmount_roots = ["/mnt/usb"]\n', encoding="utf-8")
    assert load_settings(f).usb.mount_roots == ("/mnt/usb",)
    f.write_text('[usb]\nmount_roots = "/mnt/usb"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="mount_roots"):
        load_settings(f)


# ---- roles (helper F) -----------------------------------------------------------------------------


def test_an_admin_changes_a_role_and_the_journal_says_who_from_what_to_what(
    services: Any, team: dict[str, Any]
) -> None:
    admin, worker = team["admin"].id, team["worker"].id
    with pytest.raises(WrongCodeError):
        services.staff_access.log_in_with_pin("1357")  # Åse is a worker: her code does not open staff mode

    assert services.people_admin.set_role(admin, worker, "supervisor") is True  # her old code is removed
    [entry] = journal(services, "role_changed")
    assert entry.person_id == admin
    said = json.loads(entry.payload)
    assert said == {"person": str(worker), "from": "worker", "to": "supervisor", "pin_removed": True}
    assert not services.people.check_pin(worker, "1357"), "a worker's code may be another worker's too"
    services.people_admin.set_pin(admin, worker, "975310")
    assert services.staff_access.log_in_with_pin("975310").id == worker
    assert services.staff_access.log_in_with_badge(services.people.badge_token(worker)).id == worker

    assert services.people_admin.set_role(admin, worker, "supervisor") is False  # no change, nothing journaled
    assert services.people_admin.set_role(admin, worker, "worker") is True  # a leader's code is no worker's
    assert json.loads(journal(services, "role_changed")[-1].payload)["to"] == "worker"
    assert len(journal(services, "role_changed")) == 2
    with pytest.raises(WrongCodeError):
        services.staff_access.log_in_with_pin("975310")
    assert not services.people.check_pin(worker, "975310"), "a worker's code is 4 digits: she is given a new one"


def test_an_admin_cannot_demote_themselves_so_the_last_admin_stays_and_others_are_refused(
    services: Any, team: dict[str, Any]
) -> None:
    admin, leader, worker = team["admin"].id, team["leader"].id, team["worker"].id
    said = "Du kan ikke fjerne dine egne administrator-rettigheder"
    assert refused(services.people_admin.set_role, admin, admin, "supervisor") == said  # the only admin
    assert refused(services.people_admin.set_role, leader, worker, "admin") == "Det kræver en administrator"
    assert refused(services.people_admin.set_role, admin, worker, "resident") == "Vælg en rolle"
    resident = services.people.add("Bo Beboer", "resident", phone="12345678")
    assert refused(services.people_admin.set_role, admin, resident.id, "worker") == "Personen findes ikke"
    assert not journal(services, "role_changed")

    services.people_admin.set_role(admin, leader, "admin")  # Jørgen becomes admin and demotes Line
    services.people_admin.set_role(leader, admin, "worker")
    assert refused(services.people_admin.set_role, admin, leader, "worker") == "Det kræver en administrator"
    assert refused(services.people_admin.set_role, leader, leader, "worker") == said
    assert [json.loads(e.payload)["to"] for e in journal(services, "role_changed")] == ["admin", "worker"]
    assert [e.person_id for e in journal(services, "role_changed")] == [admin, leader]


# ---- Opsætning: what the kiosk is set up with (helper F) ------------------------------------------


def test_the_settings_overview_reads_the_config_file_the_devices_and_the_last_backup(tmp_path: Path) -> None:
    from kiosk import __version__
    from kiosk.bootstrap import build_services
    from kiosk.config import load_settings
    from kiosk.devices.printer import PreviewPrinter
    from kiosk.devices.scanner import FakeScanner
    from kiosk.services.records import backup
    from kiosk.services.shop import system_status

    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n[shop]\nname = "Butikken på Hedemarken"\ncvr = "87654321"\n'
        '[kiosk]\nid = "kiosk-2"\nidle_timeout_s = 120\nkiosk_mode = true\n[backup]\ndaily = false\n',
        encoding="utf-8",
    )
    settings = load_settings(config)
    assert settings.config_file == config
    printer, scanner = PreviewPrinter(48), FakeScanner()
    services = build_services(settings, printer=printer, scanner=scanner, clock=lambda: START)
    try:
        info = system_status.overview(settings, printer, scanner, services.sessions, START)
        assert (info.settings.shop.name, info.settings.shop.cvr) == ("Butikken på Hedemarken", "87654321")
        assert (info.settings.kiosk.id, info.settings.kiosk.idle_timeout_s, info.settings.kiosk.kiosk_mode) == (
            "kiosk-2",
            120,
            True,
        )
        assert (info.config_file, info.config_file_exists) == (config, True)
        assert info.printer == "preview (simulated printer, 48 columns)" and info.scanner_connected
        assert info.backup.last_at is None and info.backup.stale
        assert info.version == __version__  # the installed package's version is the source tree's

        scanner.connected = False
        printer.online = False
        assert not system_status.overview(settings, printer, scanner, services.sessions, START).scanner_connected
        answers: list[bool] = []
        system_status.check_printer(printer, answers.append).join(5)
        assert answers == [False]
        printer.online = True
        system_status.check_printer(printer, answers.append).join(5)
        assert answers == [False, True]

        backup.take_backup(settings, services.sessions)
        later = system_status.overview(settings, printer, scanner, services.sessions, START + timedelta(hours=1))
        assert later.backup.last_at is not None and not later.backup.stale
    finally:
        services.close()


def test_a_printer_that_raises_while_asked_counts_as_offline() -> None:
    from kiosk.services.shop import system_status

    class Broken:
        columns = 48

        def is_online(self) -> bool:
            raise OSError("network unreachable")

        def describe(self) -> str:
            return "tcp://192.0.2.1:9100"

    assert system_status.printer_online(Broken()) is False  # type: ignore[arg-type]


# ---- people's photos -----------------------------------------------------------------------------------


def test_an_admin_gives_a_worker_a_photo_from_the_stick_replaces_it_and_removes_it(
    tmp_path: Path, settings: Any, services: Any, team: dict[str, Any]
) -> None:
    from PIL import Image

    _usb, stick = _stick(tmp_path)
    (stick / "åse.png").write_bytes(PNG)
    Image.new("RGB", (30, 40), (90, 60, 30)).save(stick / "åse.jpg", "JPEG")
    admin, worker = team["admin"].id, team["worker"].id

    first = services.people_admin.set_photo(admin, worker, stick / "åse.png")
    assert first.startswith("people_photos/") and first.endswith(".png")
    assert same_picture(settings.data_dir / first, stick / "åse.png")
    assert next(p for p in services.people.staff() if p.id == worker).photo == first
    second = services.people_admin.set_photo(admin, worker, stick / "åse.jpg")
    assert second.endswith(".jpg") and (settings.data_dir / second).exists()
    assert not (settings.data_dir / first).exists(), "a replaced photo's file is deleted"

    services.people_admin.remove_photo(admin, worker)
    assert next(p for p in services.people.staff() if p.id == worker).photo is None
    assert not (settings.data_dir / second).exists()
    services.people_admin.remove_photo(admin, worker)  # nothing to remove: nothing happens

    entries = journal(services, "photo_set", "photo_removed")
    assert [(e.kind, e.person_id) for e in entries] == [
        ("photo_set", admin),
        ("photo_set", admin),
        ("photo_removed", admin),
    ]
    # (the journal's first entry also carries the kiosk's public key)
    payloads = [{k: v for k, v in json.loads(e.payload).items() if k != "journal_key"} for e in entries]
    assert payloads == [
        {"person": str(worker), "photo": first},
        {"person": str(worker), "photo": second},
        {"person": str(worker)},
    ]
    assert str(stick) not in " ".join(e.payload for e in entries), "no path on the stick in the journal"


def test_only_an_admin_sets_a_photo_and_only_a_picture_is_taken(
    tmp_path: Path, settings: Any, services: Any, team: dict[str, Any]
) -> None:
    _usb, stick = _stick(tmp_path)
    (stick / "foto.png").write_bytes(PNG)
    (stick / "falsk.png").write_text("ikke et billede")
    (stick / "kæmpe.png").write_bytes(PNG + b"\x00" * (10 * 1024 * 1024))
    admin, leader, worker = team["admin"].id, team["leader"].id, team["worker"].id

    said = "Det kræver en administrator"
    assert refused(services.people_admin.set_photo, leader, worker, stick / "foto.png") == said
    assert refused(services.people_admin.set_photo, worker, worker, stick / "foto.png") == said
    assert refused(services.people_admin.set_photo, admin, worker, stick / "falsk.png") == (
        "Det er ikke et billede (PNG eller JPG)"
    )
    assert refused(services.people_admin.set_photo, admin, worker, stick / "kæmpe.png") == (
        "Billedet er for stort – højst 10 MB"
    )
    assert refused(services.people_admin.set_photo, admin, worker, stick / "væk.png") == "Billedet kan ikke læses"
    assert not any((settings.data_dir / "people_photos").glob("*")), "nothing copied for a refusal"
    assert next(p for p in services.people.staff() if p.id == worker).photo is None
    assert journal(services, "photo_set") == []

    services.people_admin.set_photo(admin, worker, stick / "foto.png")
    assert refused(services.people_admin.remove_photo, leader, worker) == said
    assert next(p for p in services.people.staff() if p.id == worker).photo is not None


def test_a_big_phone_photo_is_stored_upright_and_shrunk_for_the_tiles(tmp_path: Path) -> None:
    from PIL import Image

    from kiosk.services.records.images import MAX_SIDE_PX, import_image

    photo = Image.new("RGB", (3000, 2000), (30, 140, 200))
    exif = photo.getexif()
    exif[0x0112] = 6  # the camera was held upright: "rotate 90° to show"
    photo.save(tmp_path / "telefon.jpg", "JPEG", exif=exif.tobytes())

    name = import_image(tmp_path / "data", tmp_path / "telefon.jpg", "people_photos")
    with Image.open(tmp_path / "data" / name) as stored:
        assert stored.size == (MAX_SIDE_PX * 2 // 3, MAX_SIDE_PX)  # upright (portrait), longest side 800 px
    assert (tmp_path / "data" / name).stat().st_size < (tmp_path / "telefon.jpg").stat().st_size


def test_a_truncated_picture_is_refused_and_nothing_is_left_behind(tmp_path: Path) -> None:
    from kiosk.services.records.images import import_image

    (tmp_path / "halv.png").write_bytes(png_bytes((400, 300))[:200])
    with pytest.raises(DomainError) as refused_:
        import_image(tmp_path / "data", tmp_path / "halv.png", "product_images")
    assert refused_.value.user_message == "Billedet kunne ikke gemmes"
    assert not list((tmp_path / "data").rglob("*.png"))
