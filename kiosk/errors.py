"""Typed errors.  Each carries a plain-Danish message a shop worker can act on (`user_message`), marked with
L_() where it is written and said in the reader's language where it is shown (`_(exc.user_message)`)."""

from __future__ import annotations

from kiosk.i18n import L_


class KioskError(Exception):
    """Base of every error the kiosk expects and can explain."""

    user_message: str = L_("Noget gik galt. Prøv igen, eller spørg en medarbejder.")

    def __init__(self, message: str | None = None, *, user_message: str | None = None) -> None:
        super().__init__(message or user_message or self.user_message)
        if user_message is not None:
            self.user_message = user_message


class BadInput(KioskError):
    """What a person gave the kiosk cannot be used (a file, an argument, a path, the config): nothing was done.
    The `kiosk` command exits 2 for these, 1 for everything else it refuses."""

    user_message = L_("Det, kiosken fik, kan ikke bruges. Intet er ændret.")


class ConfigError(BadInput):
    user_message = L_("Opsætningen af kiosken er forkert. Kontakt en administrator.")


class DeviceError(KioskError):
    user_message = L_("En enhed svarer ikke.")


class PrinterOfflineError(DeviceError):
    user_message = L_("Printeren svarer ikke. Tjek at den er tændt og har papir.")


class ScannerError(DeviceError):
    user_message = L_("Scanneren svarer ikke. Tjek kablet.")


class DomainError(KioskError):
    user_message = L_("Det kan ikke lade sig gøre.")


class ImportRejected(DomainError, BadInput):
    """A whole import refused: nothing was stored.  `problems` lists (row number, reason)."""

    user_message = L_("Filen blev ikke indlæst. Ret fejlene og prøv igen.")

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        lines = "\n".join(f"række {row}: {reason}" for row, reason in problems)
        super().__init__(f"{len(problems)} fejl, intet indlæst:\n{lines}")


class StorageError(KioskError):
    user_message = L_("Kiosken kan ikke gemme lige nu. Intet er tabt – kontakt en administrator.")


class DiskFullError(StorageError):
    """The disk (or the database's size cap) is full: the transaction was rolled back, nothing half-stored."""

    user_message = L_("Disken er fuld – intet kan gemmes. Ring til den ansvarlige.")
