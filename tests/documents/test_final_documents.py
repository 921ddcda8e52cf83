"""Final documents: stored once with fingerprint, versioned, verifiable by anyone holding a copy."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.urls import reverse
from pypdf import PdfReader

from rakortek.core.pdf import Letterhead, html_to_pdf
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import document_prepare, document_store, qr_data_uri

pytestmark = pytest.mark.django_db

TEMPLATE = """{% extends "pdf/base.html" %}{% block content %}
<h1>Notulen</h1><p>Nomor: {{ pending.number }}</p>
<img src="{{ qr }}" alt=""><p>{{ pending.verification_url }}</p>{% endblock %}"""


def render_and_store(meeting, user, reason=""):
    pending = document_prepare(meeting=meeting, kind=FinalDocument.Kind.MINUTES)
    html = (
        engines["django"]
        .from_string(TEMPLATE)
        .render(
            {
                "pending": pending,
                "qr": qr_data_uri(pending.verification_url),
                "letterhead": Letterhead(),
                "paper_size": "210mm 297mm",
            }
        )
    )
    rendered = html_to_pdf(html)
    document = document_store(
        meeting=meeting,
        kind=FinalDocument.Kind.MINUTES,
        title="Notulen RAKORTEK PU 2022",
        pending=pending,
        content=rendered.content,
        content_type="application/pdf",
        user=user,
        pages=rendered.pages,
        reason=reason,
    )
    return document, rendered


def test_stored_document_carries_its_qr_code_and_fingerprint(meeting, secretariat):
    document, rendered = render_and_store(meeting, secretariat)
    assert rendered.refused_urls == []
    page = PdfReader(io.BytesIO(rendered.content)).pages[0]
    assert len(page.images) == 1  # the QR code
    assert document.verification_code in page.extract_text().replace("\n", "")
    with document.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == document.sha256
    assert document.version == 1 and document.is_current
    assert document.file.name.startswith("dokumen/") and document.file.name.endswith(".pdf")


def test_verification_page_is_public_and_shows_metadata_only(client, meeting, secretariat):
    document, _ = render_and_store(meeting, secretariat)
    response = client.get(document.get_verification_url())
    assert response.status_code == 200
    assert document.sha256 in response.text
    assert document.number in response.text
    assert document.file.url not in response.text


def test_uploaded_copy_is_compared_with_the_stored_fingerprint(client, meeting, secretariat):
    document, rendered = render_and_store(meeting, secretariat)
    url = document.get_verification_url()
    same = client.post(url, {"file": SimpleUploadedFile("n.pdf", rendered.content)})
    assert same.context["match"] is True
    altered = client.post(url, {"file": SimpleUploadedFile("n.pdf", rendered.content + b"\n")})
    assert altered.context["match"] is False


def test_unknown_code_is_not_found(client):
    assert client.get(reverse("documents:verify", kwargs={"code": "tidak-ada"})).status_code == 404


def test_new_version_needs_a_reason_and_keeps_the_old_one(client, meeting, secretariat):
    first, _ = render_and_store(meeting, secretariat)
    with pytest.raises(ValueError):
        render_and_store(meeting, secretariat, reason="  ")
    second, _ = render_and_store(meeting, secretariat, reason="Perbaikan nama peserta")
    first.refresh_from_db()
    assert (first.is_current, second.is_current, second.version) == (False, True, 2)
    old_page = client.get(first.get_verification_url())
    assert old_page.context["current"] == second


def test_a_version_reserved_before_another_was_stored_is_refused(meeting, secretariat):
    stale = document_prepare(meeting=meeting, kind=FinalDocument.Kind.MINUTES)
    render_and_store(meeting, secretariat)
    with pytest.raises(ValueError):
        document_store(
            meeting=meeting,
            kind=FinalDocument.Kind.MINUTES,
            title="x",
            pending=stale,
            content=b"%PDF-1.7",
            content_type="application/pdf",
            user=secretariat,
        )
