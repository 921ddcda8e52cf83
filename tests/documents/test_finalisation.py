"""Finalisasi, Buka kembali, versions and the verification page, through the views."""

import hashlib
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from issues.models import DeskState
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import DocumentError, document_finalise, document_reopen
from tests.documents.conftest import decided_issue, flat, lock_board, pdf_reader, response_bytes

pytestmark = pytest.mark.django_db


def finalise(client, meeting, key="prioritas", field_slug="bina-marga"):
    kwargs = {"slug": meeting.slug, "key": key}
    if field_slug:
        kwargs["field_slug"] = field_slug
    return client.post(reverse("documents:finalise", kwargs=kwargs))


def test_secretariat_finalises_the_priority_list_once(as_secretariat, monday_meeting, decided_desk):
    response = finalise(as_secretariat, monday_meeting)
    assert response.status_code == 302
    assert response.url.endswith("#dokumen-prioritas-bina-marga")
    document = FinalDocument.objects.get()
    assert (document.kind, document.desk, document.version) == ("prioritas", decided_desk, 1)
    year = timezone.localtime(monday_meeting.starts_at).year
    assert document.number == f"000.1.2/1/DPUPRPRKP/{year}"  # the meeting year's first naskah
    assert document.title == "Daftar Prioritas Desk Bina Marga - RAKORTEK PU 2022"
    with document.file.open("rb") as stored:
        content = stored.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert document.pages == len(pdf_reader(content).pages)
    # Finalising again without reopening is refused: a final document is locked.
    again = finalise(as_secretariat, monday_meeting)
    assert again.status_code == 302
    assert FinalDocument.objects.count() == 1


def test_final_pdf_prints_number_and_verification_link_on_every_page_and_a_qr_code(
    as_secretariat, monday_meeting, desk_bina_marga
):
    for rank in range(1, 36):
        decided_issue(
            desk_bina_marga, "bangka", rank=rank, decision="prioritas", score=Decimal(99 - rank)
        )
    lock_board(desk_bina_marga)
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    with document.file.open("rb") as stored:
        reader = pdf_reader(stored.read())
    assert len(reader.pages) >= 2
    link = f"/v/{document.verification_code}/"
    for number, page in enumerate(reader.pages, start=1):
        text = flat(page.extract_text())
        assert document.number in text, f"page {number}"
        assert link in text.replace(" ", ""), f"page {number}"
        assert f"Halaman {number} dari {len(reader.pages)}" in text
        assert "DRAF" not in text
    last = reader.pages[-1]
    assert len(last.images) == 1  # the QR code


def test_download_serves_the_stored_bytes(as_secretariat, monday_meeting, decided_desk):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    response = as_secretariat.get(document.get_absolute_url())
    content = response_bytes(response)
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert "rakortek-2022-prioritas-bina-marga-v1.pdf" in response["Content-Disposition"]


def test_reopen_needs_a_reason_and_keeps_what_was_typed(
    as_secretariat, monday_meeting, decided_desk
):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    url = reverse("documents:reopen", kwargs={"pk": document.pk})
    assert as_secretariat.get(url).status_code == 200
    response = as_secretariat.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    document.refresh_from_db()
    assert not document.is_reopened


def test_reopened_document_is_finalised_again_as_a_new_version_with_the_reason(
    as_secretariat, client, monday_meeting, decided_desk
):
    finalise(as_secretariat, monday_meeting)
    first = FinalDocument.objects.get()
    response = as_secretariat.post(
        reverse("documents:reopen", kwargs={"pk": first.pk}),
        {"reason": "Koreksi biaya Kabupaten Bangka"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_reopened and first.is_current
    # While reopened, the verification page still shows it, and says it is being corrected.
    assert client.get(first.get_verification_url()).context["document"].is_reopened

    finalise(as_secretariat, monday_meeting)
    second = FinalDocument.objects.get(is_current=True)
    first.refresh_from_db()
    assert (second.version, second.reason) == (2, "Koreksi biaya Kabupaten Bangka")
    assert not first.is_current
    # A new version is a new naskah: the next number of the year.
    assert second.number.startswith("000.1.2/2/")
    # Both versions stay downloadable and listed on the page.
    assert as_secretariat.get(first.get_absolute_url()).status_code == 200
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": monday_meeting.slug}))
    row = next(r for r in page.context["rows"] if r.spec.key == "prioritas")
    assert [v.version for v in row.versions] == [2, 1]
    assert first.get_absolute_url() in page.text
    # The old version's verification page points to the new one.
    assert client.get(first.get_verification_url()).context["current"] == second


def test_verification_page_matches_the_stored_file(
    client, as_secretariat, monday_meeting, decided_desk
):
    finalise(as_secretariat, monday_meeting)
    document = FinalDocument.objects.get()
    content = response_bytes(as_secretariat.get(document.get_absolute_url()))
    page = client.get(document.get_verification_url())
    assert page.status_code == 200 and document.sha256 in page.text
    same = client.post(
        document.get_verification_url(), {"file": SimpleUploadedFile("a.pdf", content)}
    )
    assert same.context["match"] is True
    other = client.post(
        document.get_verification_url(), {"file": SimpleUploadedFile("a.pdf", content[:-10])}
    )
    assert other.context["match"] is False


def test_services_refuse_what_the_rules_refuse(monday_meeting, decided_desk, secretariat, observer):
    spec = SPECS["prioritas"]
    with pytest.raises(DocumentError):
        # A desk document needs its desk.
        document_finalise(actor=secretariat, meeting=monday_meeting, spec=spec)
    with pytest.raises(DocumentError):
        document_finalise(
            actor=secretariat, meeting=monday_meeting, spec=SPECS["butir-kesepakatan"]
        )
    with pytest.raises(PermissionDenied):
        document_finalise(actor=observer, meeting=monday_meeting, spec=spec, desk=decided_desk)
    document = document_finalise(
        actor=secretariat, meeting=monday_meeting, spec=spec, desk=decided_desk
    )
    with pytest.raises(DocumentError):
        document_finalise(actor=secretariat, meeting=monday_meeting, spec=spec, desk=decided_desk)
    with pytest.raises(DocumentError):
        document_reopen(actor=secretariat, document=document, reason="")
    document_reopen(actor=secretariat, document=document, reason="Salah ketik")
    with pytest.raises(DocumentError):
        document_reopen(actor=secretariat, document=document, reason="Lagi")
    second = document_finalise(
        actor=secretariat, meeting=monday_meeting, spec=spec, desk=decided_desk
    )
    with pytest.raises(DocumentError):
        # Only the current version can be reopened.
        document_reopen(actor=secretariat, document=document, reason="Versi lama")
    assert second.version == 2


def test_final_recap_spreadsheet_carries_its_number(as_secretariat, monday_meeting, decided_desk):
    finalise(as_secretariat, monday_meeting, key="rekapitulasi-xlsx", field_slug=None)
    document = FinalDocument.objects.get()
    assert document.kind == "rekapitulasi_xlsx" and document.pages is None
    assert document.file.name.endswith(".xlsx")
    with document.file.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).active
    assert document.number in sheet["A3"].value
    assert document.verification_code in sheet["A3"].value


def test_priority_list_is_final_only_while_the_board_is_locked(
    as_secretariat, monday_meeting, decided_desk
):
    DeskState.objects.filter(desk=decided_desk).update(locked_at=None)
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": monday_meeting.slug}))
    row = next(r for r in page.context["rows"] if r.spec.key == "prioritas")
    assert row.blocker and not row.can_finalise
    finalise(as_secretariat, monday_meeting)
    assert not FinalDocument.objects.exists()
    # The draft is still there to read.
    draft = as_secretariat.get(row.draft_url)
    assert draft.status_code == 200
