"""Electronic signatures (PAdES) on final documents, and reading them back.

A final PDF is signed at finalisation with the office's certificate (a PKCS#12
file, e.g. a BSrE certificate, named by DOCUMENT_SIGNING_P12 and opened with
DOCUMENT_SIGNING_PASSPHRASE). Without one, documents are produced unsigned. The
signature's visible box goes where the template reserved it (SIGNATURE_BOX_ID,
beside the QR code).

Validation never goes to the network (closed government networks): a signer's
certificate is trusted only if it chains to a root in DOCUMENT_SIGNING_TRUST_ROOTS.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# The id of the box the PDF template reserves for the visible signature.
SIGNATURE_BOX_ID = "tanda-tangan-elektronik"

STAMP_TEXT = "Ditandatangani secara elektronik oleh\n%(signer)s\n%(ts)s"


class SigningError(Exception):
    """The document could not be signed (certificate missing, wrong passphrase, ...)."""


def signing_configured() -> bool:
    return bool(settings.DOCUMENT_SIGNING_P12)


def load_signer():
    """The pyHanko signer of the configured PKCS#12 file; SigningError if it cannot be opened."""
    from pyhanko.sign import signers

    path = Path(settings.DOCUMENT_SIGNING_P12)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the certificate file {path}: {error.strerror}") from None
    passphrase = settings.DOCUMENT_SIGNING_PASSPHRASE
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=None, passphrase=passphrase.encode() if passphrase else None
        )
    except ValueError:
        raise SigningError(
            f"cannot open the certificate file {path}: wrong passphrase or not a PKCS#12 file"
        ) from None


def signer_name(signer) -> str:
    """The name to sign with: DOCUMENT_SIGNING_NAME, else the certificate's common name."""
    if settings.DOCUMENT_SIGNING_NAME:
        return settings.DOCUMENT_SIGNING_NAME
    subject = signer.signing_cert.subject.native
    return subject.get("common_name") or signer.signing_cert.subject.human_friendly


def sign_pdf(
    content: bytes,
    *,
    reason: str,
    location: str = "",
    box: tuple[int, tuple[float, float, float, float]] | None = None,
) -> bytes:
    """`content` signed as PAdES (B-B) with the configured certificate.

    `box` is (page index, (x1, y1, x2, y2)) in PDF points for the visible
    signature; without it the signature is invisible.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    signer = load_signer()
    field_spec = fields.SigFieldSpec(
        sig_field_name="TandaTanganElektronik",
        on_page=box[0] if box else 0,
        box=tuple(round(value, 2) for value in box[1]) if box else None,
    )
    meta = signers.PdfSignatureMetadata(
        field_name="TandaTanganElektronik",
        name=signer_name(signer),
        reason=reason,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    style = TextStampStyle(stamp_text=STAMP_TEXT, border_width=1)
    writer = IncrementalPdfFileWriter(BytesIO(content), strict=False)
    pdf_signer = signers.PdfSigner(
        meta, signer=signer, stamp_style=style, new_field_spec=field_spec
    )
    try:
        output = pdf_signer.sign_pdf(writer, appearance_text_params={"signer": meta.name})
    except Exception as error:
        logger.exception("pyHanko could not sign a final document")
        raise SigningError(f"the PDF could not be signed: {error}") from None
    return output.getvalue()


@dataclass(frozen=True)
class SignatureReport:
    """What a PDF's signature says, for the verification page."""

    signer: str
    subject: str
    issuer: str
    signed_at: datetime | None
    reason: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # intact, and the cryptographic signature checks out
    trusted: bool  # the certificate chains to a configured trust root
    whole_file: bool  # nothing was added after signing

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.whole_file


def _validation_context():
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for name in settings.DOCUMENT_SIGNING_TRUST_ROOTS:
        try:
            roots.extend(load_certs_from_pemder([name]))
        except (OSError, ValueError):
            logger.warning("Cannot read the trust root %s", name)
    return ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")


def read_signature(content: bytes) -> SignatureReport | None:
    """The report on the last signature of `content`, or None if it is not a signed PDF."""
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not content.startswith(b"%PDF"):
        return None
    try:
        reader = PdfFileReader(BytesIO(content), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError):
        return None
    if not embedded:
        return None
    signature = embedded[-1]
    try:
        status = validate_pdf_signature(signature, _validation_context())
    except Exception:  # a broken signature object in an uploaded file
        logger.info("A signature could not be validated", exc_info=True)
        return SignatureReport("", "", "", None, "", False, False, False, False)
    cert = status.signing_cert
    info = signature.sig_object
    return SignatureReport(
        signer=str(info.get("/Name", "")) if info is not None else "",
        subject=_distinguished_name(cert, "subject"),
        issuer=_distinguished_name(cert, "issuer"),
        signed_at=status.signer_reported_dt,
        reason=str(info.get("/Reason", "")) if info is not None else "",
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
    )


def _distinguished_name(cert, which: str) -> str:
    """CN=...,O=...,C=ID as the certificate writes it (RFC 4514), the same in every language."""
    if cert is None:
        return ""
    from cryptography import x509

    return getattr(x509.load_der_x509_certificate(cert.dump()), which).rfc4514_string()


def stored_signature(document) -> SignatureReport | None:
    """The signature report of a stored final document, cached by its fingerprint.

    The verification page is public: validating the same file on every visit
    would let anyone keep the server busy.
    """
    if document.content_type != "application/pdf":
        return None
    key = (
        "documents:signature:"
        + hashlib.sha256(
            (document.sha256 + "|" + "|".join(settings.DOCUMENT_SIGNING_TRUST_ROOTS)).encode()
        ).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
        except OSError:
            logger.error("Final document %s: its file cannot be read", document.pk)
            return None
        report = read_signature(content)
        found = {"report": report}
        cache.set(key, found, 60 * 60)
    return found["report"]
