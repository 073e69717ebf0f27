"""The shop as the receipt names it (navn, adresse, CVR) and the MobilePay number, changed by an admin at the
kiosk.  The TOML file stays the one place settings live: the change is written into its ``[shop]`` table
(tomlkit keeps the admin's comments and layout), atomically, and journaled with who and the old and new values
in the same step — a receipt's shop identity is bogføring, so a change to it must be traceable.

The web addresses (QR on the receipt, småjobs) stay file-only: the on-screen keyboard has no ``:`` or ``/``."""

from __future__ import annotations

import logging
import os
import re
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.clock import Clock
from kiosk.config import Settings, ShopSettings
from kiosk.db.engine import unit_of_work
from kiosk.domain.text import text_problem
from kiosk.errors import DomainError
from kiosk.i18n import L_, joined
from kiosk.services.people import require_role
from kiosk.services.records import journal

log = logging.getLogger(__name__)

FIELDS = ("name", "address", "cvr", "mobilepay")


@dataclass(frozen=True)
class ShopDraft:
    name: str
    address: str
    cvr: str
    mobilepay: str

    @classmethod
    def of(cls, shop: ShopSettings) -> ShopDraft:
        return cls(shop.name, shop.address, shop.cvr, shop.mobilepay)

    def cleaned(self) -> ShopDraft:
        return ShopDraft(" ".join(self.name.split()), " ".join(self.address.split()), self.cvr.strip(),
                         self.mobilepay.strip())  # fmt: skip


class ShopInvalid(DomainError):
    """`problems` maps a field to what is wrong with it, in Danish (the form shows each under its field)."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(f"shop settings refused: {problems}", user_message=joined(problems.values()))
        self.problems = problems


def shop_problems(draft: ShopDraft) -> dict[str, str]:
    problems = {field: odd for field in FIELDS if (odd := text_problem(getattr(draft, field))) is not None}
    if problems:  # a NUL or a right-to-left override on every receipt: say that before anything else
        return problems
    if not draft.name or len(draft.name) > 60:
        problems["name"] = L_("Skriv butikkens navn (højst 60 tegn).")
    if not draft.address or len(draft.address) > 120:
        problems["address"] = L_("Skriv butikkens adresse (højst 120 tegn).")
    if not re.fullmatch(r"\d{8}", draft.cvr):
        problems["cvr"] = L_("Et CVR-nummer har 8 cifre.")
    if draft.mobilepay and not re.fullmatch(r"\d{4,8}", draft.mobilepay):  # empty: the shop takes no MobilePay
        problems["mobilepay"] = L_("MobilePay-nummeret har 4 til 8 cifre (eller lad feltet stå tomt).")
    return problems


class ShopIdentity:
    def __init__(self, sessions: sessionmaker[Session], kiosk_id: str, clock: Clock) -> None:
        self._sessions = sessions
        self.kiosk_id = kiosk_id
        self._clock = clock

    def save(self, by: uuid.UUID, settings: Settings, draft: ShopDraft) -> Settings:
        """The settings with the new shop; the file now says the same.  ShopInvalid names each bad field;
        a file that cannot be written is a DomainError and nothing changes."""
        draft = draft.cleaned()
        problems = shop_problems(draft)
        if problems:
            raise ShopInvalid(problems)
        path = settings.config_file
        if path is None:
            raise DomainError("no config file", user_message=L_("Kiosken er ikke startet med en opsætningsfil."))
        before = ShopDraft.of(settings.shop)
        changes = {f: {"old": getattr(before, f), "new": getattr(draft, f)} for f in FIELDS
                   if getattr(before, f) != getattr(draft, f)}  # fmt: skip
        new = replace(settings, shop=replace(settings.shop, **{f: getattr(draft, f) for f in FIELDS}))
        if not changes:
            return new
        with unit_of_work(self._sessions) as s:
            require_role(s, by, "admin")
            old_text = write_shop_file(path, draft)
            try:
                journal.append(
                    s, kiosk_id=self.kiosk_id, kind="settings_changed", at=self._clock(), person_id=by,
                    payload={"section": "shop", "changes": changes},
                )  # fmt: skip
                s.flush()
            except BaseException:
                restore_shop_file(path, old_text)
                raise
        log.info("shop settings changed by %s: %s", by, sorted(changes))
        return new


def write_shop_file(path: Path, draft: ShopDraft) -> str | None:
    """Write the [shop] values into the file (created if missing); the old text, to put back on failure."""
    import tomlkit  # only when the shop is saved: not a megabyte of parser in every kiosk's start
    from tomlkit.exceptions import TOMLKitError

    try:
        old_text = path.read_text(encoding="utf-8") if path.exists() else None
        doc = tomlkit.parse(old_text or "")
        shop = doc.get("shop")
        if shop is None:
            shop = tomlkit.table()
            doc["shop"] = shop
        for field in FIELDS:
            shop[field] = getattr(draft, field)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(tomlkit.dumps(doc), encoding="utf-8")
        os.replace(temporary, path)  # a power cut leaves the old file or the new one, never half of one
        return old_text
    except (OSError, TOMLKitError) as exc:
        log.warning("cannot write %s: %s", path, exc)
        raise DomainError(
            str(exc),
            user_message=L_(
                "Opsætningsfilen kan ikke gemmes ({path}). Intet er ændret. Spørg den ansvarlige.", path=path
            ),
        ) from exc


def restore_shop_file(path: Path, old_text: str | None) -> None:
    try:
        if old_text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(old_text, encoding="utf-8")
    except OSError:
        log.exception("could not put %s back", path)
