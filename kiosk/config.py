"""Settings from a TOML file (``--config PATH`` or ``KIOSK_CONFIG``) plus a few environment overrides.

No I/O happens at import; ``load_settings`` reads the file when asked.  Every field has a default so an empty
file (or none) gives a working kiosk; ``--demo`` swaps in simulated devices and a separate demo database.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.errors import ConfigError
from kiosk.i18n import L_

APP_NAME = "hedemarken-kiosk"
EXAMPLE_DOMAINS = ("example.org", "example.com", "example.net")  # RFC 2606: reserved, nobody's real page


@dataclass(frozen=True)
class ShopSettings:
    name: str = "Hedemarkens Butik"
    address: str = "Hedemarken 1, 2620 Albertslund"
    cvr: str = "12345678"
    mobilepay: str = "12345"
    receipt_qr_url: str = ""  # empty: the job board, [web] public_url (Settings.receipt_qr)
    job_url: str = "https://example.org/hedemarken/job/"  # job QR codes read <job_url><token> (README "QR payloads")


@dataclass(frozen=True)
class KioskSettings:
    id: str = "kiosk-1"
    language: str = "da"
    kiosk_mode: bool = False  # fullscreen, no cursor, Esc and window-close do not exit
    idle_timeout_s: int = 90  # back to the home screen after this long without a touch or scan
    closing_time: str = "17:00"
    forgotten_margin_min: int = 60  # still "in" this long after closing: ask "Hvornår gik du hjem?"
    repeat_scan_s: int = 10  # the same badge again within this many seconds does not toggle
    resident_retention_months: int = 12  # residents' data is erased this long after their last job
    min_free_mb: int = 20  # a sale is not begun with less free disk than this (Disken er fuld)


@dataclass(frozen=True)
class DatabaseSettings:
    url: str = ""  # empty: an SQLite file in the data dir


@dataclass(frozen=True)
class PrinterSettings:
    url: str = "dummy"
    profile: str = "TM-T20II"
    codepage: str = "CP858"
    qr: str = "native"  # "native" (GS ( k, ~60 bytes) or "image" (raster, for clones without QR support)
    columns: int = 48
    timeout_s: float = 5.0


@dataclass(frozen=True)
class ScannerSettings:
    url: str = "keyboard"
    max_key_interval_ms: int = 50  # keyboard wedge: keys closer than this belong to one scan
    min_length: int = 3


@dataclass(frozen=True)
class UsbSettings:
    # Where the automounter puts USB sticks: a writable mount point at most two levels below one of these.
    mount_roots: tuple[str, ...] = ("/media", "/run/media")


@dataclass(frozen=True)
class BackupSettings:
    folder: str = ""  # empty: <data_dir>/backups.  Better: a second disk or a network share
    keep: int = 14  # the newest this many backups stay; older ones are deleted
    daily: bool = True  # the running kiosk backs itself up once a day


@dataclass(frozen=True)
class WebSettings:
    """`kiosk web`: the page a job's QR opens on a phone (README "The web page")."""

    public_url: str = "https://example.org/hedemarken/"  # job QR codes carry <public_url>job/<token>
    host: str = "127.0.0.1"  # behind a reverse proxy; "0.0.0.0" only when the router forwards straight to it
    port: int = 8080
    trusted_proxy: str = ""  # the reverse proxy's address ("127.0.0.1"): its X-Forwarded-For/-Proto are believed
    signups_per_client_hour: int = 20  # sign-ups from one address (a shared Wi-Fi is one address)
    signups_per_job_hour: int = 60


@dataclass(frozen=True)
class Settings:
    shop: ShopSettings = field(default_factory=ShopSettings)
    kiosk: KioskSettings = field(default_factory=KioskSettings)
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    usb: UsbSettings = field(default_factory=UsbSettings)
    backup: BackupSettings = field(default_factory=BackupSettings)
    web: WebSettings = field(default_factory=WebSettings)
    data_dir: Path = field(default_factory=lambda: default_data_dir())
    demo: bool = False
    config_file: Path | None = None  # the TOML file load_settings read (or looked for); None: not from a file

    @property
    def database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{self.data_dir / self.sqlite_name}"

    @property
    def sqlite_name(self) -> str:
        """The SQLite file's name in data_dir when no [database] url is set."""
        return "demo.sqlite" if self.demo else "kiosk.sqlite"

    @property
    def job_url(self) -> str:
        """What a job's QR carries before its token (posters, slips): the web page's address for the job."""
        return self.web.public_url.rstrip("/") + "/job/"

    @property
    def receipt_qr(self) -> str:
        """What the QR at a receipt's foot carries ("Ledige småjobs – scan koden"): the shop's own `[shop]
        receipt_qr_url`, else the job board's `[web] public_url`; "" (no QR printed) while that is still an example
        address, which would send every customer's phone to a page that is not the shop's.  The demo prints the
        example address: it shows what a shop's receipt looks like, and no customer scans it."""
        for url in (self.shop.receipt_qr_url.strip(), self.web.public_url.strip()):
            if url and (self.demo or not is_example_address(url)):
                return url
        return ""

    @property
    def job_urls(self) -> tuple[str, ...]:
        """Job addresses the scanner reads: today's, and `[shop] job_url` (posters printed before `[web]`)."""
        same = self.job_url.casefold() == self.shop.job_url.casefold()
        return (self.job_url,) if same else (self.job_url, self.shop.job_url)

    def as_demo(self) -> Settings:
        """Simulated printer (receipt preview on screen) and keyboard scanner, separate seeded database."""
        return replace(
            self,
            demo=True,
            database=DatabaseSettings(url=""),
            printer=replace(self.printer, url="preview"),
            scanner=replace(self.scanner, url="keyboard"),
        )


@lru_cache(maxsize=32)  # asked for every receipt (Settings.receipt_qr): parsing the address was ~10 µs of a sale
def is_example_address(url: str) -> bool:
    """An address on a domain reserved for examples (RFC 2606: example.org, .com, .net), as the example file has."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in EXAMPLE_DOMAINS)


def default_data_dir() -> Path:
    env = os.environ.get("KIOSK_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME))


def default_config_path() -> Path:
    env = os.environ.get("KIOSK_CONFIG")
    return Path(env) if env else Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"


def _section(cls: type[Any], raw: Any, name: str) -> Any:
    if raw is None:
        return cls()
    from kiosk.config_checks import bad, value_text
    from kiosk.i18n import _

    if not isinstance(raw, dict):
        said = _("[{section}] skal være en tabel: [{section}] på sin egen linje.")
        raise bad(f"[{name}]", "must be a table", said, section=name)
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(raw) - set(known))
    if unknown:
        said = _("[{section}] har ukendte nøgler: {keys}. Tjek stavningen (se kiosk.example.toml).")
        keys = ", ".join(unknown)
        raise bad(f"[{name}]", f"has unknown keys: {keys}", said, section=name, keys=value_text(keys))
    values: dict[str, Any] = {}
    for key, value in raw.items():
        default = getattr(cls(), key)
        expected = type(default)
        if expected is tuple and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)  # TOML arrays of strings
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            said = _("[{section}] {name} = {value} går ikke: skriv {kind}.")
            detail = f"must be {expected.__name__}, got {value_text(value)}"
            shown = value_text(value)
            raise bad(f"[{name}] {key}", detail, said, section=name, name=key, value=shown, kind=_kind(expected))
        values[key] = value
    return cls(**values)


def _web(raw: dict[str, Any]) -> Any:
    """A file from before `[web]` keeps the job address it set in `[shop] job_url` (one that ends in "/job/")."""
    web, shop = raw.get("web"), raw.get("shop")
    if (isinstance(web, dict) and "public_url" in web) or not isinstance(shop, dict):
        return web
    job_url = shop.get("job_url")
    if not isinstance(job_url, str) or not job_url.rstrip("/").endswith("/job"):
        return web
    return {**(web if isinstance(web, dict) else {}), "public_url": job_url.rstrip("/")[: -len("job")]}


def parse_settings(raw: dict[str, Any], *, base_dir: Path | None = None) -> Settings:
    known = {"shop", "kiosk", "database", "printer", "scanner", "usb", "backup", "web", "data_dir"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"unknown sections: {', '.join(unknown)}")
    data_dir = default_data_dir()
    if "data_dir" in raw:
        if not isinstance(raw["data_dir"], str) or not raw["data_dir"].strip():
            from kiosk.config_checks import bad
            from kiosk.i18n import _

            said = _('data_dir skal være en mappe i anførselstegn, fx data_dir = "/var/lib/hedemarken-kiosk".')
            raise bad("data_dir", "not a path", said)
        data_dir = Path(str(raw["data_dir"])).expanduser()
        if base_dir is not None and not data_dir.is_absolute():
            data_dir = base_dir / data_dir
    settings = Settings(
        shop=_section(ShopSettings, raw.get("shop"), "shop"),
        kiosk=_section(KioskSettings, raw.get("kiosk"), "kiosk"),
        database=_section(DatabaseSettings, raw.get("database"), "database"),
        printer=_section(PrinterSettings, raw.get("printer"), "printer"),
        scanner=_section(ScannerSettings, raw.get("scanner"), "scanner"),
        usb=_section(UsbSettings, raw.get("usb"), "usb"),
        backup=_section(BackupSettings, raw.get("backup"), "backup"),
        web=_section(WebSettings, _web(raw), "web"),
        data_dir=data_dir,
    )
    from kiosk.config_checks import check_values

    check_values(settings)  # every key's value, with a Danish message naming it
    if settings.kiosk.language not in ("da", "en"):
        raise ConfigError("[kiosk] language must be 'da' or 'en'")
    if settings.printer.qr not in ("native", "image"):
        raise ConfigError("[printer] qr must be 'native' or 'image'")
    if not settings.shop.job_url.startswith(("https://", "http://")):
        raise ConfigError("[shop] job_url must be a web address (https://...)")
    if not settings.web.public_url.startswith(("https://", "http://")):
        raise ConfigError("[web] public_url must be a web address (https://...)")
    if settings.backup.keep < 1:
        raise ConfigError("[backup] keep must be at least 1")
    if settings.printer.columns not in (32, 42, 48):
        raise ConfigError("[printer] columns must be 32, 42 or 48")
    return settings


def load_settings(path: Path | None = None, *, demo: bool = False) -> Settings:
    """Read the TOML file; a missing default file is fine (all defaults), a missing explicit one is not."""
    explicit = path is not None or "KIOSK_CONFIG" in os.environ
    path = path or default_config_path()
    from kiosk.config_checks import check_paths, read_config

    raw: dict[str, Any] = {}
    if path.exists() or path.is_symlink():
        raw = read_config(path)
    elif explicit:
        raise ConfigError(f"config file not found: {path}", user_message=_missing(path))
    try:
        settings = replace(parse_settings(raw, base_dir=path.parent), config_file=path)
        check_paths(settings.as_demo() if demo else settings)
    except ConfigError as exc:  # which file: there may be several on the machine
        exc.user_message = L_("{path}: {message}", path=_shown(path), message=exc.user_message)
        raise
    return settings.as_demo() if demo else settings


def chosen_language(path: Path | None = None) -> str | None:
    """The file's `[kiosk] language` when it is one the kiosk speaks, read before anything else in the file is
    checked: a volunteer who chose English is told in English what is wrong with the rest.  None when the file
    cannot be read (said in Danish) or chooses nothing (Danish, the default).  The same file load_settings reads."""
    from kiosk.config_checks import read_config

    path = path or default_config_path()
    try:
        kiosk = read_config(path).get("kiosk") if path.is_file() else None
    except (ConfigError, OSError, ValueError):
        return None
    language = kiosk.get("language") if isinstance(kiosk, dict) else None
    return language if language in ("da", "en") else None


def _kind(expected: type) -> str:
    from kiosk.i18n import _

    kinds = {int: _("et helt tal"), float: _("et tal"), str: _("tekst i anførselstegn"), bool: _("true eller false"),
             tuple: _('en liste af tekster, fx ["/media"]')}  # fmt: skip
    return kinds.get(expected, expected.__name__)


def _shown(path: Path) -> str:
    from kiosk.domain.text import shorten

    return shorten(str(path), 120)


def _missing(path: Path) -> str:
    from kiosk.i18n import _

    return _("Opsætningsfilen {path} findes ikke. Tjek --config eller KIOSK_CONFIG.").format(path=_shown(path))
