"""Who may see, download, finalise and reopen which document (rakortek/documents/access.py)."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from rakortek.documents.catalog import SPECS
from rakortek.documents.models import FinalDocument
from rakortek.documents.services import document_finalise
from tests.documents.conftest import decided_issue, lock_board

pytestmark = pytest.mark.django_db


def draft_url(meeting, key, desk=None):
    kwargs = {"slug": meeting.slug, "key": key}
    if desk is not None:
        kwargs["field_slug"] = desk.field.slug
    return reverse("documents:draft", kwargs=kwargs)


def finalise_url(meeting, key, desk=None):
    kwargs = {"slug": meeting.slug, "key": key}
    if desk is not None:
        kwargs["field_slug"] = desk.field.slug
    return reverse("documents:finalise", kwargs=kwargs)


@pytest.fixture
def desks(meeting, desk_bina_marga, desk_sda):
    decided_issue(desk_bina_marga, "bangka", rank=1, decision="prioritas")
    decided_issue(desk_sda, "pangkalpinang")
    lock_board(desk_bina_marga)
    lock_board(desk_sda)
    return desk_bina_marga, desk_sda


@pytest.fixture
def finals(meeting, desks, secretariat):
    """A final priority list of each desk and a final recap (PDF and XLSX)."""
    bina_marga, sda = desks
    return {
        "prioritas-bm": document_finalise(
            actor=secretariat, meeting=meeting, spec=SPECS["prioritas"], desk=bina_marga
        ),
        "prioritas-sda": document_finalise(
            actor=secretariat, meeting=meeting, spec=SPECS["prioritas"], desk=sda
        ),
        "rekapitulasi": document_finalise(
            actor=secretariat, meeting=meeting, spec=SPECS["rekapitulasi"]
        ),
        "rekapitulasi-xlsx": document_finalise(
            actor=secretariat, meeting=meeting, spec=SPECS["rekapitulasi-xlsx"]
        ),
    }


# ---- The documents page ----


def test_anonymous_visitor_is_sent_to_log_in(client, meeting):
    response = client.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_secretariat_sees_every_document_of_the_meeting(as_secretariat, meeting, desks):
    response = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    assert response.status_code == 200
    keys = [(row.spec.key, row.desk) for row in response.context["rows"]]
    assert ("prioritas", desks[0]) in keys and ("prioritas", desks[1]) in keys
    assert "prioritas-bina-marga.pdf" in response.text
    assert "prioritas-sumber-daya-air.pdf" in response.text
    assert {"notulen", "butir-kesepakatan", "daftar-hadir", "rekapitulasi"} <= {k for k, _ in keys}


def test_desk_head_sees_only_the_priority_list_of_their_desk(as_kabid_bina_marga, meeting, desks):
    response = as_kabid_bina_marga.get(reverse("documents:meeting", kwargs={"slug": meeting.slug}))
    assert response.status_code == 200
    assert [(row.spec.key, row.desk) for row in response.context["rows"]] == [
        ("prioritas", desks[0])
    ]


def test_observer_and_delegate_see_final_documents_only(
    as_observer, as_delegate_bangka, meeting, desks, secretariat
):
    url = reverse("documents:meeting", kwargs={"slug": meeting.slug})
    assert as_observer.get(url).context["rows"] == []
    document_finalise(actor=secretariat, meeting=meeting, spec=SPECS["rekapitulasi"])
    document_finalise(actor=secretariat, meeting=meeting, spec=SPECS["prioritas"], desk=desks[0])
    observer_rows = [row.spec.key for row in as_observer.get(url).context["rows"]]
    delegate_rows = [row.spec.key for row in as_delegate_bangka.get(url).context["rows"]]
    # Final documents are read by every account of the meeting.
    assert sorted(observer_rows) == ["prioritas", "rekapitulasi"]
    assert sorted(delegate_rows) == ["prioritas", "rekapitulasi"]


def test_draft_meeting_is_not_found_for_participants(as_observer, as_secretariat, meeting):
    meeting.status = Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    url = reverse("documents:meeting", kwargs={"slug": meeting.slug})
    assert as_observer.get(url).status_code == 404
    assert as_secretariat.get(url).status_code == 200


def test_documents_page_queries_do_not_grow_with_desks_and_versions(
    as_secretariat, meeting, finals, django_assert_max_num_queries
):
    url = reverse("documents:meeting", kwargs={"slug": meeting.slug})
    # The rules that read the same rows share one query while the page lists the
    # documents: the minutes' states (plenary and desks), the RAKORGUB package's status
    # (naskah kesepakatan and monitoring report).
    with django_assert_max_num_queries(13):
        response = as_secretariat.get(url)
    assert response.status_code == 200


# ---- Draft downloads ----


def test_secretariat_downloads_every_available_draft(as_secretariat, meeting, desks):
    for key, desk in [
        ("prioritas", desks[0]),
        ("rekapitulasi", None),
        ("rekapitulasi-xlsx", None),
    ]:
        response = as_secretariat.get(draft_url(meeting, key, desk))
        assert response.status_code == 200, key
        assert "-draf." in response["Content-Disposition"]


def test_desk_head_downloads_the_draft_of_their_desk_only(
    as_kabid_bina_marga, as_kabid_sda, meeting, desks
):
    own = as_kabid_bina_marga.get(draft_url(meeting, "prioritas", desks[0]))
    assert own.status_code == 200
    assert own.content.startswith(b"%PDF")
    # Another desk's draft, the plenary's: drafts of documents they may read once final.
    assert as_kabid_sda.get(draft_url(meeting, "prioritas", desks[0])).status_code == 403
    assert as_kabid_bina_marga.get(draft_url(meeting, "rekapitulasi")).status_code == 403


def test_observer_may_not_download_drafts(as_observer, meeting, desks):
    assert as_observer.get(draft_url(meeting, "rekapitulasi")).status_code == 403
    assert as_observer.get(draft_url(meeting, "prioritas", desks[0])).status_code == 403


def test_delegate_gets_no_draft_and_no_document_outside_their_scope(
    as_delegate_bangka, meeting, desks
):
    assert as_delegate_bangka.get(draft_url(meeting, "rekapitulasi")).status_code == 403
    assert as_delegate_bangka.get(draft_url(meeting, "prioritas", desks[0])).status_code == 403
    assert as_delegate_bangka.get(draft_url(meeting, "daftar-hadir")).status_code == 404


def test_anonymous_draft_download_is_sent_to_log_in(client, meeting, desks):
    response = client.get(draft_url(meeting, "rekapitulasi"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unknown_document_or_desk_is_not_found(as_secretariat, meeting, desks):
    assert as_secretariat.get(draft_url(meeting, "surat-cinta")).status_code == 404
    wrong = reverse(
        "documents:draft",
        kwargs={"slug": meeting.slug, "key": "prioritas", "field_slug": "perumahan"},
    )
    assert as_secretariat.get(wrong).status_code == 404
    # The recap is not a desk document.
    desk_recap = reverse(
        "documents:draft",
        kwargs={"slug": meeting.slug, "key": "rekapitulasi", "field_slug": "bina-marga"},
    )
    assert as_secretariat.get(desk_recap).status_code == 404


def test_document_not_recorded_yet_is_refused_with_a_message(as_secretariat, meeting):
    response = as_secretariat.get(draft_url(meeting, "butir-kesepakatan"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("documents:meeting", kwargs={"slug": meeting.slug}))


# ---- Finalise ----


def test_only_the_secretariat_finalises(
    client, as_observer, as_kabid_bina_marga, as_kabid_sda, as_delegate_bangka, meeting, desks
):
    bina_marga = desks[0]
    assert as_observer.post(finalise_url(meeting, "rekapitulasi")).status_code == 403
    assert as_delegate_bangka.post(finalise_url(meeting, "rekapitulasi")).status_code == 403
    assert (
        as_kabid_bina_marga.post(finalise_url(meeting, "prioritas", bina_marga)).status_code == 403
    )
    assert as_kabid_sda.post(finalise_url(meeting, "prioritas", bina_marga)).status_code == 403
    anonymous = client.post(finalise_url(meeting, "rekapitulasi"))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert not FinalDocument.objects.exists()


def test_finalise_is_post_only(as_secretariat, meeting, desks):
    assert as_secretariat.get(finalise_url(meeting, "rekapitulasi")).status_code == 405


# ---- Final downloads ----


def download(client, document):
    return client.get(reverse("documents:download", kwargs={"pk": document.pk}))


def test_secretariat_and_observer_download_every_final_document(
    as_secretariat, as_observer, finals
):
    for document in finals.values():
        for client in (as_secretariat, as_observer):
            response = download(client, document)
            assert response.status_code == 200
            assert response["Content-Type"] == document.content_type


def test_desk_head_downloads_every_final_document(as_kabid_bina_marga, finals):
    assert download(as_kabid_bina_marga, finals["prioritas-bm"]).status_code == 200
    assert download(as_kabid_bina_marga, finals["prioritas-sda"]).status_code == 200
    assert download(as_kabid_bina_marga, finals["rekapitulasi"]).status_code == 200


def test_delegate_downloads_every_final_document(as_delegate_pangkalpinang, finals):
    assert download(as_delegate_pangkalpinang, finals["rekapitulasi"]).status_code == 200
    assert download(as_delegate_pangkalpinang, finals["rekapitulasi-xlsx"]).status_code == 200
    assert download(as_delegate_pangkalpinang, finals["prioritas-bm"]).status_code == 200


def test_anonymous_final_download_is_sent_to_log_in(client, finals):
    response = download(client, finals["rekapitulasi"])
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_final_file_is_not_reachable_through_media_url(as_secretariat, finals):
    document = finals["rekapitulasi"]
    assert as_secretariat.get(document.file.url).status_code == 404


def test_behind_nginx_a_final_document_is_handed_over_after_the_access_check(
    settings, as_observer, client, finals
):
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/_protected/"
    document = finals["rekapitulasi"]
    response = download(as_observer, document)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected/{document.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == document.content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Cache-Control"] == "private, no-store"
    # Without the access check passing (here: not logged in) nginx is never asked for it.
    refused = download(client, document)
    assert refused.status_code == 302 and "X-Accel-Redirect" not in refused


def test_behind_nginx_a_final_document_gone_from_disk_is_not_found(settings, as_observer, finals):
    settings.PROTECTED_FILES_ACCEL_PREFIX = "/_protected/"
    document = finals["rekapitulasi"]
    document.file.storage.delete(document.file.name)
    assert download(as_observer, document).status_code == 404


def test_unknown_final_document_is_not_found(as_secretariat):
    assert as_secretariat.get(reverse("documents:download", kwargs={"pk": 999999})).status_code == (
        404
    )


# ---- Reopen ----


def reopen_url(document):
    return reverse("documents:reopen", kwargs={"pk": document.pk})


def test_reopen_is_for_the_secretariat_only(
    client, as_observer, as_kabid_bina_marga, as_kabid_sda, as_delegate_bangka, finals
):
    listing = finals["prioritas-bm"]
    recap = finals["rekapitulasi"]
    data = {"reason": "Koreksi biaya"}
    assert as_observer.post(reopen_url(recap), data).status_code == 403
    assert as_delegate_bangka.post(reopen_url(recap), data).status_code == 403
    assert as_delegate_bangka.post(reopen_url(listing), data).status_code == 403
    assert as_kabid_bina_marga.post(reopen_url(listing), data).status_code == 403
    assert as_kabid_sda.post(reopen_url(listing), data).status_code == 403
    anonymous = client.post(reopen_url(recap), data)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert not FinalDocument.objects.filter(reopened_at__isnull=False).exists()


# ---- Letterhead page ----


def test_letterhead_page_is_for_the_secretariat(
    client, as_secretariat, as_observer, as_kabid_bina_marga, as_delegate_bangka
):
    url = reverse("documents:office_profile")
    assert as_secretariat.get(url).status_code == 200
    for other in (as_observer, as_kabid_bina_marga, as_delegate_bangka):
        assert other.get(url).status_code == 403
        assert other.post(url, {"government": "X"}).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_the_emblem_is_for_the_secretariat(
    client, as_secretariat, as_observer, as_kabid_bina_marga, as_delegate_bangka
):
    url = reverse("documents:office_emblem")
    assert as_secretariat.get(url).status_code == 404  # no emblem uploaded
    for other in (as_observer, as_kabid_bina_marga, as_delegate_bangka):
        assert other.get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_a_final_file_gone_from_storage_is_not_found_not_a_server_error(finals, as_secretariat):
    document = finals["rekapitulasi"]
    document.file.storage.delete(document.file.name)
    response = as_secretariat.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 404
