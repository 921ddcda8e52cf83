"""Finalisasi semua and Unduh semua (ZIP) on the documents page: secretariat only."""

import io
import zipfile

import pytest
from django.urls import reverse

from rakortek.documents.models import FinalDocument, RenderJob
from tests.documents.conftest import response_bytes
from tests.factories import MinutesFactory

pytestmark = pytest.mark.django_db


def finalise_all(client, meeting):
    return client.post(reverse("documents:finalise_all", kwargs={"slug": meeting.slug}))


def download_all(client, meeting):
    return client.get(reverse("documents:zip", kwargs={"slug": meeting.slug}))


@pytest.fixture
def ready_meeting(monday_meeting, decided_desk, desk_sda):
    """Bina Marga decided and locked; Sumber Daya Air still open; minutes not final yet."""
    MinutesFactory(meeting=monday_meeting, chair_name="Ir. Kepala Dinas, M.T.")
    return monday_meeting


def test_finalise_all_finalises_every_document_that_can_be_and_names_the_others(
    as_secretariat, ready_meeting, decided_desk
):
    response = finalise_all(as_secretariat, ready_meeting)
    assert response.status_code == 302
    kinds = set(FinalDocument.objects.values_list("kind", "desk__field__slug"))
    assert ("prioritas", "bina-marga") in kinds
    assert ("rekapitulasi", None) in kinds and ("rekapitulasi_xlsx", None) in kinds
    # The minutes' text is not final and Sumber Daya Air's board is open: left as they are.
    assert ("notulen", None) not in kinds
    assert ("prioritas", "sumber-daya-air") not in kinds
    page = as_secretariat.get(response.url)
    messages = [str(m) for m in page.context["messages"]]
    assert any(m.startswith("Difinalisasi: ") for m in messages)
    assert any(m.startswith("Tidak difinalisasi: ") and "Notulen" in m for m in messages)

    # A second click changes nothing that is final already.
    count = FinalDocument.objects.count()
    finalise_all(as_secretariat, ready_meeting)
    assert FinalDocument.objects.count() == count


def test_finalise_all_sends_large_documents_to_the_task_worker(
    settings, as_secretariat, ready_meeting
):
    settings.DOCUMENTS_BACKGROUND_ROWS = 2
    finalise_all(as_secretariat, ready_meeting)
    queued = set(RenderJob.objects.values_list("kind", flat=True))
    assert {"rekapitulasi", "rekapitulasi_xlsx"} <= queued
    assert not FinalDocument.objects.filter(kind="rekapitulasi").exists()


def test_download_all_holds_finals_as_stored_and_drafts_of_the_rest(as_secretariat, ready_meeting):
    finalise_all(as_secretariat, ready_meeting)
    final = FinalDocument.objects.get(kind="rekapitulasi")
    response = download_all(as_secretariat, ready_meeting)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{ready_meeting.slug}-dokumen.zip"'
    )
    archive = zipfile.ZipFile(io.BytesIO(response_bytes(response)))
    names = set(archive.namelist())
    with final.file.open("rb") as stored:
        assert archive.read("rekapitulasi.pdf") == stored.read()
    assert "notulen-draf.pdf" in names
    assert archive.read("notulen-draf.pdf").startswith(b"%PDF")
    assert "prioritas-sumber-daya-air-draf.pdf" in names
    listing = archive.read("DAFTAR-ISI.txt").decode()
    assert f"rekapitulasi.pdf: final, versi 1, nomor {final.number}" in listing
    assert "notulen-draf.pdf: draf" in listing


def test_large_drafts_are_named_but_left_out_of_the_zip(settings, as_secretariat, ready_meeting):
    settings.DOCUMENTS_BACKGROUND_ROWS = 2
    archive = zipfile.ZipFile(
        io.BytesIO(response_bytes(download_all(as_secretariat, ready_meeting)))
    )
    assert "rekapitulasi-draf.pdf" not in archive.namelist()
    assert "rekapitulasi.pdf: tidak disertakan" in archive.read("DAFTAR-ISI.txt").decode()


@pytest.mark.parametrize(
    "role", ["as_kabid_bina_marga", "as_observer", "as_delegate_pangkalpinang"]
)
def test_only_the_secretariat_finalises_all_or_downloads_all(request, role, ready_meeting):
    client = request.getfixturevalue(role)
    assert finalise_all(client, ready_meeting).status_code == 403
    assert download_all(client, ready_meeting).status_code == 403
    assert not FinalDocument.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, ready_meeting):
    for response in (finalise_all(client, ready_meeting), download_all(client, ready_meeting)):
        assert response.status_code == 302
        assert "/masuk/" in response.url or "login" in response.url


def test_another_meeting_or_a_get_is_refused(as_secretariat, ready_meeting):
    missing = reverse("documents:zip", kwargs={"slug": "tidak-ada"})
    assert as_secretariat.get(missing).status_code == 404
    url = reverse("documents:finalise_all", kwargs={"slug": ready_meeting.slug})
    assert as_secretariat.get(url).status_code == 405


def test_the_documents_page_offers_both_buttons_to_the_secretariat_only(
    as_secretariat, as_observer, ready_meeting
):
    url = reverse("documents:meeting", kwargs={"slug": ready_meeting.slug})
    page = as_secretariat.get(url).content.decode()
    assert "Finalisasi semua" in page and "Unduh semua (ZIP)" in page
    other = as_observer.get(url).content.decode()
    assert "Finalisasi semua" not in other and "Unduh semua (ZIP)" not in other
