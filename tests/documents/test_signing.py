"""Final PDFs signed electronically (PAdES) when a certificate is configured.

The tests issue their own CA and signer certificate (with `cryptography`), sign
through the finalisation (in the request and in the worker) and check the
stored file with pyHanko and with poppler's `pdfsig`.
"""

import hashlib
import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from rakortek.checks import check_document_signing
from rakortek.documents.models import FinalDocument, RenderJob
from rakortek.documents.signing import SigningError, read_signature, sign_pdf
from tests.documents.conftest import decided_issue, lock_board

pytestmark = pytest.mark.django_db

PASSPHRASE = "rahasia-kantor"
SIGNER = "Kepala Dinas PUPR Uji"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Balai Uji Sertifikat"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _certificate(subject, issuer, public_key, signing_key, *, ca):
    now = datetime.now(UTC) - timedelta(hours=1)
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    usage.update(
        {"key_cert_sign": True, "crl_sign": True}
        if ca
        else {"digital_signature": True, "content_commitment": True}
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .sign(signing_key, hashes.SHA256())
    )


@pytest.fixture
def test_ca(tmp_path):
    """A CA of the tests' own and a signer certificate it issued, as PKCS#12 and PEM files."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = _certificate(
        _name("CA Uji RAKORTEK"), _name("CA Uji RAKORTEK"), ca_key.public_key(), ca_key, ca=True
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(_name(SIGNER), ca_cert.subject, key.public_key(), ca_key, ca=False)
    p12 = tmp_path / "kantor.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            name=b"kantor",
            key=key,
            cert=cert,
            cas=[ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(PASSPHRASE.encode()),
        )
    )
    root = tmp_path / "ca.pem"
    root.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    return {"p12": str(p12), "root": str(root), "ca_cert": ca_cert}


@pytest.fixture
def signing(settings, test_ca):
    """Finalisation signs with the test certificate; the verification page trusts its CA."""
    settings.DOCUMENT_SIGNING_P12 = test_ca["p12"]
    settings.DOCUMENT_SIGNING_PASSPHRASE = PASSPHRASE
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = [test_ca["root"]]
    return test_ca


def finalise(client, meeting, key="prioritas", field_slug="bina-marga"):
    kwargs = {"slug": meeting.slug, "key": key}
    if field_slug:
        kwargs["field_slug"] = field_slug
    return client.post(reverse("documents:finalise", kwargs=kwargs))


def stored_bytes(document):
    with document.file.open("rb") as handle:
        return handle.read()


def pdfsig(tmp_path, content, name="dokumen.pdf"):
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) is not installed")
    path = tmp_path / name
    path.write_bytes(content)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def pyhanko_status(content, trust_root):
    reader = PdfFileReader(io.BytesIO(content))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[trust_root], allow_fetching=False)
    return signature, validate_pdf_signature(signature, context)


def tampered(content: bytes) -> bytes:
    """The same file with one letter of the producer's name changed (same length)."""
    assert b"WeasyPrint" in content
    return content.replace(b"WeasyPrint", b"WeasyPrinT", 1)


def test_final_pdf_is_signed_and_validates_with_pyhanko_and_pdfsig(
    tmp_path, as_secretariat, monday_meeting, decided_desk, signing
):
    response = finalise(as_secretariat, monday_meeting)
    assert response.status_code == 302
    document = FinalDocument.objects.get()
    content = stored_bytes(document)
    # The stored fingerprint is that of the signed file.
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.size == len(content)

    signature, status = pyhanko_status(content, x509_to_asn1(signing["ca_cert"]))
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.signing_cert.subject.native["common_name"] == SIGNER
    assert str(signature.sig_object["/Reason"]).startswith("Dokumen final RAKORTEK")
    assert document.number in str(signature.sig_object["/Reason"])
    assert str(signature.sig_object["/Name"]) == SIGNER
    assert str(signature.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"

    # The visible box is on the last page, beside the QR code at the end of the document.
    x1, y1, x2, y2 = (float(value) for value in signature.sig_field["/Rect"])
    assert round((x2 - x1) / 72 * 25.4) == 62 and round((y2 - y1) / 72 * 25.4) == 22
    reader = PdfFileReader(io.BytesIO(content))
    last_page = reader.root["/Pages"]["/Kids"][-1].get_object()
    annotations = [ref.get_object() for ref in last_page.get("/Annots", [])]
    (widget,) = [annotation for annotation in annotations if annotation.get("/FT") == "/Sig"]
    assert "/N" in widget["/AP"]  # drawn: the stamp with the signer's name and time

    report = pdfsig(tmp_path, content)
    assert "Signature is Valid" in report
    assert "Total document signed" in report
    assert f"Signer Certificate Common Name: {SIGNER}" in report


def x509_to_asn1(cert):
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def test_verification_page_shows_the_signature_and_whether_it_is_trusted(
    settings, client, as_secretariat, monday_meeting, decided_desk, signing
):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    page = client.get(document.get_verification_url())
    assert page.status_code == 200
    report = page.context["signature"]
    assert report.ok and report.trusted
    assert SIGNER in report.subject and "CA Uji RAKORTEK" in report.issuer
    assert report.signed_at is not None
    text = page.content.decode()
    assert "CA Uji RAKORTEK" in text and document.sha256 in text
    assert "sertifikat tepercaya" in text  # Indonesian by default

    # Without the CA among the trust roots the same signature is valid but not trusted.
    settings.DOCUMENT_SIGNING_TRUST_ROOTS = []
    untrusted = client.get(document.get_verification_url())
    assert untrusted.context["signature"].ok
    assert not untrusted.context["signature"].trusted
    assert "bukan dari otoritas" in untrusted.content.decode()


def test_uploaded_copy_is_checked_by_hash_and_by_signature(
    tmp_path, client, as_secretariat, monday_meeting, decided_desk, signing
):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    content = stored_bytes(document)
    url = document.get_verification_url()

    same = client.post(url, {"file": SimpleUploadedFile("a.pdf", content)})
    assert same.context["match"] is True

    altered = tampered(content)
    other = client.post(url, {"file": SimpleUploadedFile("a.pdf", altered)})
    assert other.context["match"] is False
    assert other.context["uploaded_signature"].intact is False
    assert "diubah setelah ditandatangani" in other.content.decode()
    assert "Digest Mismatch" in pdfsig(tmp_path, altered, "diubah.pdf")
    _, status = pyhanko_status(altered, x509_to_asn1(signing["ca_cert"]))
    assert not status.intact

    # A change appended after signing keeps the signed bytes intact but is reported.
    writer = IncrementalPdfFileWriter(io.BytesIO(content))
    writer.root["/Lang"] = writer.root.get("/Lang", "id")
    writer.update_root()
    appended = io.BytesIO()
    writer.write(appended)
    later = client.post(url, {"file": SimpleUploadedFile("a.pdf", appended.getvalue())})
    assert later.context["match"] is False
    report = later.context["uploaded_signature"]
    assert report.intact and not report.whole_file and not report.ok
    assert "Total document signed" not in pdfsig(tmp_path, appended.getvalue(), "tambah.pdf")

    unsigned = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7 bukan")})
    assert unsigned.context["match"] is False
    assert unsigned.context["uploaded_signature"] is None


def test_wrong_passphrase_fails_clearly_and_stores_nothing(
    settings, as_secretariat, monday_meeting, decided_desk, signing
):
    settings.DOCUMENT_SIGNING_PASSPHRASE = "salah"
    response = finalise(as_secretariat, monday_meeting)
    assert response.status_code == 302
    assert not FinalDocument.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "tidak dapat ditandatangani secara elektronik" in message
    assert "Tidak ada yang disimpan" in message


def test_a_pdf_pyhanko_cannot_sign_is_a_signing_error(signing):
    once = sign_pdf(plain_pdf(), reason="Dokumen final RAKORTEK: uji")
    assert read_signature(once).ok
    # The field is filled already: pyHanko refuses, and the caller gets a SigningError.
    with pytest.raises(SigningError, match="could not be signed"):
        sign_pdf(once, reason="Dokumen final RAKORTEK: uji")


def plain_pdf() -> bytes:
    from rakortek.core.pdf import html_to_pdf

    return html_to_pdf("<p>Isi dokumen</p>").content


def test_the_worker_signs_large_documents_and_fails_clearly_on_a_wrong_passphrase(
    settings,
    as_secretariat,
    monday_meeting,
    desk_bina_marga,
    signing,
    django_capture_on_commit_callbacks,
):
    settings.TASKS = IMMEDIATE
    settings.DOCUMENTS_BACKGROUND_ROWS = 1
    for rank in (1, 2):
        decided_issue(desk_bina_marga, "bangka", rank=rank, decision="prioritas")
    lock_board(desk_bina_marga)
    url = reverse("documents:finalise", kwargs={"slug": monday_meeting.slug, "key": "rekapitulasi"})

    settings.DOCUMENT_SIGNING_PASSPHRASE = "salah"
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.post(url)
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.FAILED
    assert "tidak dapat ditandatangani" in job.error
    assert not FinalDocument.objects.exists()

    settings.DOCUMENT_SIGNING_PASSPHRASE = PASSPHRASE
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.post(url)
    document = FinalDocument.objects.get()
    content = stored_bytes(document)
    assert hashlib.sha256(content).hexdigest() == document.sha256
    report = read_signature(content)
    assert report.ok and report.trusted and SIGNER in report.subject


def test_without_a_certificate_documents_are_unsigned_as_before(
    client, as_secretariat, monday_meeting, decided_desk
):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    content = stored_bytes(document)
    assert read_signature(content) is None
    assert b"/Sig" not in content
    page = client.get(document.get_verification_url())
    assert page.context["signature"] is None
    assert "tidak ditandatangani secara elektronik" in page.content.decode()


def test_deploy_check_reports_the_choice_without_failing_on_warnings(settings, signing):
    settings.DOCUMENT_SIGNING_P12 = ""
    (unsigned,) = check_document_signing()
    assert unsigned.id == "rakortek.I010" and not unsigned.is_serious()
    assert unsigned.level < 30  # below WARNING: `check --deploy --fail-level WARNING` passes

    settings.DOCUMENT_SIGNING_P12 = signing["p12"]
    (signed,) = check_document_signing()
    assert signed.id == "rakortek.I011" and signing["p12"] in signed.msg

    settings.DOCUMENT_SIGNING_PASSPHRASE = "salah"
    (broken,) = check_document_signing()
    assert broken.id == "rakortek.E010" and broken.is_serious()


def test_development_certificate_is_made_once_and_is_not_trusted(
    settings, tmp_path, client, as_secretariat, monday_meeting, decided_desk
):
    folder = tmp_path / "signing"
    call_command("signing_certificate", dir=str(folder), passphrase="dev", stdout=io.StringIO())
    first = (folder / "signer.p12").read_bytes()
    call_command("signing_certificate", dir=str(folder), passphrase="dev", stdout=io.StringIO())
    assert (folder / "signer.p12").read_bytes() == first

    settings.DOCUMENT_SIGNING_P12 = str(folder / "signer.p12")
    settings.DOCUMENT_SIGNING_PASSPHRASE = "dev"
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    report = client.get(document.get_verification_url()).context["signature"]
    assert report.ok and not report.trusted
    assert "sertifikat pengembangan" in report.subject
