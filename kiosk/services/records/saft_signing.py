"""Signatures on SAF-T cash transactions (momsbekendtgørelsen § 65: journal data signed with the shop's OCES3
certificate, a sequential transaction number per CVR, the system's serial number).

The signed string, one per ``cashtransaction``, fields joined by ``;`` exactly as they are written in the file::

    previous signature;transDate;transTime;nr;transAmntIn;transAmntEx;
    transID;registerID;companyIdent;payments;trainingID                      (one line, wrapped here)

The first six fields are the Norwegian SAF-T rule (previous signature, date, time, receipt number, amounts incl. and
excl. VAT; the first transaction's previous signature is ``0``).  Adapted to the Danish requirements, the string also
binds the sequential transaction number (``transID`` = journal sequence number), the system's serial number
(``registerID``), the CVR number (``companyIdent``), the payment methods and amounts (``payments`` =
``paymentType=paidAmnt`` pairs joined by ``|`` in file order) and the training flag, so that turning a real sale
into a training sale, or cash into card, breaks the signature too.  Skattestyrelsen's own Danish specification is
handed out on request and is not in this repository: when it arrives, check this string against it.

Algorithm: RSA PKCS#1 v1.5 with SHA-256, base64 (the Norwegian rule allows RSA-SHA1; SHA-1 is no longer safe).
``keyVersion`` names the certificate by its SHA-256 fingerprint, so a verifier knows which certificate to use.

The chain restarts at ``0`` in every file: signatures are made when the file is exported, because journal rows are
append-only (database triggers refuse UPDATE) and are protected at the time of sale by their chained SHA-256 hash.
Without a key the export still works: ``signature`` then holds the journal entry's chained hash and ``keyVersion`` is
``unsigned-chain-v1``; ``kiosk journal verify`` checks that chain against the database.
"""

from __future__ import annotations

import base64
import binascii
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

NS = "urn:StandardAuditFile-Taxation-CashRegister:NO"
UNSIGNED_KEY_VERSION = "unsigned-chain-v1"
FIRST_PREVIOUS = "0"
SIGNED_FIELDS = (
    "forrige signatur;transDate;transTime;nr;transAmntIn;transAmntEx;transID;registerID;companyIdent;"
    "betalinger;trainingID"
)


class SaftSignatureError(DomainError):
    """A transaction whose signature does not match (the file was changed, or signed with another key)."""

    user_message = "SAF-T-filens signaturer passer ikke."


class TransactionSigner(Protocol):
    @property
    def key_version(self) -> str: ...

    def sign(self, data: bytes) -> str:
        """Base64 signature of `data`."""
        ...

    def describe(self) -> str:
        """One Danish line for the file's header comment: algorithm and certificate."""
        ...


@dataclass(frozen=True)
class TransactionFields:
    """What the signed string is made of, as text exactly as written in the XML."""

    trans_date: str
    trans_time: str
    nr: str
    amount_in: str
    amount_ex: str
    trans_id: str
    register_id: str
    company_ident: str
    payments: tuple[tuple[str, str], ...]  # (paymentType, paidAmnt)
    training: str  # "true" | "false"


def signed_string(previous: str, f: TransactionFields) -> bytes:
    payments = "|".join(f"{kind}={amount}" for kind, amount in f.payments)
    parts = (previous, f.trans_date, f.trans_time, f.nr, f.amount_in, f.amount_ex, f.trans_id, f.register_id,
             f.company_ident, payments, f.training)  # fmt: skip
    return ";".join(parts).encode("utf-8")


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


def read_fields(tx: ET.Element, register_id: str, company_ident: str) -> TransactionFields:
    """The signed fields of one parsed ``cashtransaction`` (the verifier's side of `signed_string`)."""
    payments = tuple((_text(p, "paymentType"), _text(p, "paidAmnt")) for p in tx.iterfind(f"{{{NS}}}payment"))
    return TransactionFields(
        trans_date=_text(tx, "transDate"),
        trans_time=_text(tx, "transTime"),
        nr=_text(tx, "nr"),
        amount_in=_text(tx, "transAmntIn"),
        amount_ex=_text(tx, "transAmntEx"),
        trans_id=_text(tx, "transID"),
        register_id=register_id,
        company_ident=company_ident,
        payments=payments,
        training=_text(tx, "trainingID") or "false",
    )


def _transactions(root: ET.Element) -> Iterator[tuple[str, ET.Element]]:
    company = root.find(f"{{{NS}}}company")
    if company is None:
        raise SaftSignatureError(user_message="Filen er ikke en SAF-T Cash Register-fil (ingen company)")
    for register in company.iterfind(f"{{{NS}}}location/{{{NS}}}cashregister"):
        register_id = _text(register, "registerID")
        for tx in register.iterfind(f"{{{NS}}}cashtransaction"):
            yield register_id, tx


def verify_saft_signatures(xml_path: Path, cert_pem: bytes | str) -> int:
    """Check every cashtransaction's signature with the certificate; return how many were verified.

    Raises SaftSignatureError naming the first transaction that fails (changed figures, a removed transaction, a
    file signed with another certificate, or an unsigned file).
    """
    certificate = x509.load_pem_x509_certificate(cert_pem.encode() if isinstance(cert_pem, str) else cert_pem)
    public, expected_version = _rsa_public(certificate), key_version(certificate)
    root = ET.parse(xml_path).getroot()
    company_ident = root.findtext(f"{{{NS}}}company/{{{NS}}}companyIdent", default="")
    previous: dict[str, str] = {}
    verified = 0
    for register_id, tx in _transactions(root):
        name = f"transaktion nr. {_text(tx, 'nr')} (transID {_text(tx, 'transID')})"
        version, signature = _text(tx, "keyVersion"), _text(tx, "signature")
        if version == UNSIGNED_KEY_VERSION:
            raise SaftSignatureError(user_message=f"Filen er ikke signeret ({name} har kun journalens hash)")
        if version != expected_version:
            raise SaftSignatureError(user_message=f"{name} er signeret med et andet certifikat ({version})")
        data = signed_string(previous.get(register_id, FIRST_PREVIOUS), read_fields(tx, register_id, company_ident))
        try:
            public.verify(base64.b64decode(signature, validate=True), data, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, binascii.Error) as exc:
            raise SaftSignatureError(user_message=f"Signaturen passer ikke: {name}") from exc
        previous[register_id] = signature
        verified += 1
    return verified
