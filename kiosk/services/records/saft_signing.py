"""Signatures on SAF-T cash transactions (momsbekendtgørelsen § 65: journal data signed with the shop's OCES3
certificate, a sequential transaction number per CVR, the system's serial number).

What is signed: the whole transaction.  One signed string per ``cashtransaction``, canonical JSON (UTF-8, no
spaces, keys never reordered because there are none: a list)::

    ["hk-saft-tx-2", previous signature, registerID, companyIdent, [[path, text], ...]]

where the last list holds every field of the transaction exactly as written in the file, in file order, as its
path below ``cashtransaction`` and its text: ``["nr", "4"]``, ``["ctLine/lineAmntIn", "15.00"]``,
``["ctLine/vat/vatAmnt", "3.00"]``, ``["vat/vatPerc", "25.00"]``, ``["rounding/roundingAmnt", "0.25"]``,
``["payment/paidAmnt", "20.00"]``, ``["trainingID", "false"]`` ... (all but ``signature`` and ``keyVersion``
themselves).  So a changed line, quantity, VAT amount or rate, rounding, payment, reference, seller, date or
training flag, or a line added or taken out, breaks the signature; JSON keeps a ``;`` or ``|`` typed into a
product name from shifting text between fields.  The Norwegian rule signs only ``previous signature;transDate;
transTime;nr;transAmntIn;transAmntEx`` (github.com/Skatteetaten/saf-t); Skattestyrelsen's Danish specification
is handed out on request and is not in this repository: when it arrives, check this string against it.

The chain runs across files: the first transaction's previous signature is the last signature of the previous
signed export (journaled as a ``saft_export`` entry; ``0`` for the very first), and the file says so at the start
of its header comment (``Første forrige signatur: <signature> ...``), so a verifier can start from it and check
it against the previous file's last signature.  Signatures are made when the file is exported: journal rows are
append-only (database triggers refuse UPDATE), hash-chained and signed with the kiosk's journal key when written.

Algorithm: RSA PKCS#1 v1.5 with SHA-256, base64 (the Norwegian rule allows RSA-SHA1; SHA-1 is no longer safe).
``keyVersion`` names the certificate by its SHA-256 fingerprint, so a verifier knows which certificate to use.
Without a key the export still works: ``signature`` then holds the journal entry's chained hash and ``keyVersion``
is ``unsigned-chain-v1``; ``kiosk journal verify`` checks that chain against the database.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.errors import ConfigError, DomainError
from kiosk.i18n import L_

NS = "urn:StandardAuditFile-Taxation-CashRegister:NO"
UNSIGNED_KEY_VERSION = "unsigned-chain-v1"
FIRST_PREVIOUS = "0"
SIGNED_FORMAT = "hk-saft-tx-2"
SIGNED_FIELDS = (
    f'["{SIGNED_FORMAT}", forrige signatur, registerID, companyIdent, [[sti, tekst], ...]]: hele transaktionen, '
    "hvert felt som det står i filen (linjer, moms, afrunding, betalinger), undtagen signature og keyVersion"
)
CHAIN_START = "Første forrige signatur:"  # the header comment's first words, then the signature and a space
_CHAIN_START = re.compile(re.escape(CHAIN_START) + r" (\S+)")
_UNSIGNED_TAGS = {"signature", "keyVersion"}


class SaftSignatureError(DomainError):
    """A transaction whose signature does not match (the file was changed, or signed with another key)."""

    user_message = L_("SAF-T-filens signaturer passer ikke.")


class TransactionSigner(Protocol):
    @property
    def key_version(self) -> str: ...

    def sign(self, data: bytes) -> str:
        """Base64 signature of `data`."""
        ...

    def describe(self) -> str:
        """One Danish line for the file's header comment: algorithm and certificate."""
        ...


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]  # "{urn:...}nr" (parsed) and "nr" (built) alike


def signed_fields(tx: ET.Element) -> list[list[str]]:
    """Every field of a ``cashtransaction`` in file order as [path, text], all but the signature itself."""
    fields: list[list[str]] = []

    def walk(el: ET.Element, path: str) -> None:
        for child in el:
            name = _local(child.tag)
            here = f"{path}/{name}" if path else name
            if len(child):
                walk(child, here)
            elif path or name not in _UNSIGNED_TAGS:
                fields.append([here, child.text or ""])

    walk(tx, "")
    return fields


def signed_string(previous: str, register_id: str, company_ident: str, tx: ET.Element) -> bytes:
    """What a transaction's signature covers (see the module docstring)."""
    body = [SIGNED_FORMAT, previous, register_id, company_ident, signed_fields(tx)]
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def chain_start_text(previous: str) -> str:
    """How the header comment begins: the previous signature the file's chain starts from."""
    return f"{CHAIN_START} {previous} "


def key_version(certificate: x509.Certificate) -> str:
    # String50 in the schema: a 32-hex prefix of the SHA-256 fingerprint identifies the certificate well enough.
    return "x509-sha256:" + certificate.fingerprint(hashes.SHA256()).hex()[:32]


@dataclass(frozen=True)
class CertificateSigner:
    """The shop's key and certificate (OCES3 in production, a throwaway pair in tests)."""

    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    @classmethod
    def from_pem(cls, key_pem: bytes, cert_pem: bytes, password: bytes | None = None) -> CertificateSigner:
        try:
            key = serialization.load_pem_private_key(key_pem, password=password)
            certificate = x509.load_pem_x509_certificate(cert_pem)
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"nøgle eller certifikat kan ikke læses: {exc}") from exc
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ConfigError("nøglen skal være en RSA-nøgle (som OCES3-certifikatets)")
        if key.public_key().public_numbers() != _rsa_public(certificate).public_numbers():
            raise ConfigError("nøglen hører ikke til certifikatet")
        return cls(key, certificate)

    @classmethod
    def from_files(cls, key_path: Path, cert_path: Path, password: bytes | None = None) -> CertificateSigner:
        return cls.from_pem(key_path.read_bytes(), cert_path.read_bytes(), password)

    @property
    def key_version(self) -> str:
        return key_version(self.certificate)

    def sign(self, data: bytes) -> str:
        return base64.b64encode(self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode("ascii")

    def describe(self) -> str:
        subject = self.certificate.subject.rfc4514_string()
        until = self.certificate.not_valid_after_utc.date().isoformat()
        serial = f"{self.certificate.serial_number:x}"
        return f"RSA-SHA256 (PKCS#1 v1.5), certifikat {subject}, serienr. {serial}, gyldigt til {until}"


def _rsa_public(certificate: x509.Certificate) -> rsa.RSAPublicKey:
    public = certificate.public_key()
    if not isinstance(public, rsa.RSAPublicKey):
        raise ConfigError("certifikatet skal have en RSA-nøgle")
    return public


def _text(el: ET.Element, tag: str) -> str:
    return el.findtext(f"{{{NS}}}{tag}", default="")


def _transactions(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    company = root.find(f"{{{NS}}}company")
    if company is None:
        raise SaftSignatureError(user_message=L_("Filen er ikke en SAF-T Cash Register-fil (ingen company)"))
    for register in company.iterfind(f"{{{NS}}}location/{{{NS}}}cashregister"):
        register_id = _text(register, "registerID")
        for tx in register.iterfind(f"{{{NS}}}cashtransaction"):
            yield register_id, tx


def _root(xml_path: Path) -> ET.Element:
    try:
        return ET.parse(xml_path).getroot()
    except ET.ParseError as exc:
        raise SaftSignatureError(user_message=L_("Filen kan ikke læses som XML: {problem}", problem=exc)) from exc


def chain_ends(xml_path: Path) -> tuple[str, str | None]:
    """The previous signature a file's chain starts from (its header comment; ``0`` when it names none) and its
    last transaction's signature (None for a file without transactions)."""
    root = _root(xml_path)
    found = _CHAIN_START.search(root.findtext(f"{{{NS}}}header/{{{NS}}}headerComment", default=""))
    last = None
    for _register, tx in _transactions(root):
        last = _text(tx, "signature")
    return (found[1] if found else FIRST_PREVIOUS), last


def verify_saft_signatures(xml_path: Path, cert_pem: bytes | str, *, previous: str | None = None) -> int:
    """Check every cashtransaction's signature with the certificate; return how many were verified.

    The chain starts from `previous` (the previous file's last signature) or, when not given, from what the
    file's header says it starts from.  Raises SaftSignatureError naming the first transaction that fails
    (changed figures, a removed transaction, a file signed with another certificate, or an unsigned file).
    """
    certificate = x509.load_pem_x509_certificate(cert_pem.encode() if isinstance(cert_pem, str) else cert_pem)
    public, expected_version = _rsa_public(certificate), key_version(certificate)
    root = _root(xml_path)
    company_ident = root.findtext(f"{{{NS}}}company/{{{NS}}}companyIdent", default="")
    start = previous if previous is not None else chain_ends(xml_path)[0]
    chained: dict[str, str] = {}
    verified = 0
    for register_id, tx in _transactions(root):
        name = f"transaktion nr. {_text(tx, 'nr')} (transID {_text(tx, 'transID')})"
        version, signature = _text(tx, "keyVersion"), _text(tx, "signature")
        if version == UNSIGNED_KEY_VERSION:
            raise SaftSignatureError(
                user_message=L_("Filen er ikke signeret ({name} har kun journalens hash)", name=name)
            )
        if version != expected_version:
            raise SaftSignatureError(
                user_message=L_("{name} er signeret med et andet certifikat ({version})", name=name, version=version)
            )
        data = signed_string(chained.get(register_id, start), register_id, company_ident, tx)
        try:
            public.verify(base64.b64decode(signature, validate=True), data, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, binascii.Error) as exc:
            raise SaftSignatureError(user_message=L_("Signaturen passer ikke: {name}", name=name)) from exc
        chained[register_id] = signature
        verified += 1
    return verified
