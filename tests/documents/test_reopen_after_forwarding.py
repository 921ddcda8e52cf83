"""Once its points are forwarded to RAKORGUB, the agreement document stays closed:
corrections go to the package, where each has a reason."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rakortek.documents.models import FinalDocument
from rakortek.documents.services import DocumentError, document_reopen


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def agreement_document(meeting):
    return FinalDocument.objects.get(
        meeting=meeting, kind=FinalDocument.Kind.AGREEMENT, is_current=True
    )


def test_the_agreement_document_reopens_before_forwarding(agreed_meeting, secretariat):
    document = document_reopen(
        actor=secretariat, document=agreement_document(agreed_meeting), reason="Koreksi."
    )
    assert document.is_reopened


def test_the_agreement_document_does_not_reopen_after_forwarding(package, secretariat):
    document = agreement_document(package.meeting)
    with pytest.raises(DocumentError, match="Amend the points in the RAKORGUB package"):
        document_reopen(actor=secretariat, document=document, reason="Koreksi.")
    document.refresh_from_db()
    assert not document.is_reopened


def test_other_documents_of_the_meeting_still_reopen(package, secretariat):
    minutes = FinalDocument.objects.create(
        meeting=package.meeting,
        kind=FinalDocument.Kind.MINUTES,
        title="Notulen",
        number="NOTULEN/RAKORTEK-2022/V1",
        version=1,
        file="dokumen/notulen.pdf",
        content_type="application/pdf",
        size=1,
        sha256="b" * 64,
        verification_code="kode-notulen",
        finalised_by=secretariat,
    )
    assert document_reopen(actor=secretariat, document=minutes, reason="Salah ketik.").is_reopened


def test_the_reopen_page_says_why_and_keeps_the_document_final(package, as_secretariat):
    document = agreement_document(package.meeting)
    as_secretariat.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = as_secretariat.post(
        reverse("documents:reopen", kwargs={"pk": document.pk}),
        {"reason": "Koreksi penanggung jawab."},
    )
    assert response.status_code == 200
    assert "RAKORGUB package" in response.content.decode()
    assert "Koreksi penanggung jawab." in response.content.decode()
    document.refresh_from_db()
    assert not document.is_reopened
