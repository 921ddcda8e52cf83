"""Large drafts render in the task worker; the user follows their own job and downloads the file.

Small drafts (and every spreadsheet) stay in the request. Each test makes
"large" mean more than two issues (or one point) with a settings override.
"""

import dataclasses
import io
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from rakortek.documents import catalog
from rakortek.documents.models import DraftJob, FinalDocument
from tests.documents.conftest import decided_issue, lock_board, pdf_text, response_bytes
from tests.factories import UserFactory

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def large_meeting(settings, monday_meeting, desk_bina_marga, desk_sda):
    """Four decided issues, two per desk, with anything above two rows counted as large."""
    settings.DOCUMENTS_BACKGROUND_ROWS = 2
    settings.TASKS = IMMEDIATE
    for rank in (1, 2):
        decided_issue(desk_bina_marga, "bangka", rank=rank, decision="prioritas")
        decided_issue(desk_sda, "belitung", rank=rank, decision="cadangan", reason="Kajian.")
    lock_board(desk_bina_marga)
    lock_board(desk_sda)
    return monday_meeting


def draft_url(meeting, key="rekapitulasi", field_slug=None):
    kwargs = {"slug": meeting.slug, "key": key}
    if field_slug:
        kwargs["field_slug"] = field_slug
    return reverse("documents:draft", kwargs=kwargs)


def job_url(job):
    return reverse("documents:draft_job", kwargs={"pk": job.pk})


def download_url(job):
    return reverse("documents:draft_job_download", kwargs={"pk": job.pk})


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def queue(client, url, capture):
    """Ask for a draft with the worker held back: the job stays queued."""
    with capture(execute=False) as callbacks:
        response = client.get(url)
    return response, callbacks


def run(callbacks):
    with translation.override("en"):
        for callback in callbacks:
            callback()


@pytest.mark.django_db
def test_a_small_draft_is_still_rendered_in_the_request(settings, as_secretariat, large_meeting):
    settings.DOCUMENTS_BACKGROUND_ROWS = 200
    response = as_secretariat.get(draft_url(large_meeting))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "DRAF" in pdf_text(response_bytes(response))
    assert not DraftJob.objects.exists()


@pytest.mark.django_db
def test_spreadsheet_drafts_stay_in_the_request_however_large(as_secretariat, large_meeting):
    response = as_secretariat.get(draft_url(large_meeting, "rekapitulasi-xlsx"))
    assert response.status_code == 200
    assert "spreadsheet" in response["Content-Type"]
    assert response_bytes(response)[:2] == b"PK"
    assert not DraftJob.objects.exists()


@pytest.mark.django_db
def test_a_large_draft_is_queued_then_downloaded_from_its_job_page(
    as_secretariat, secretariat, large_meeting, django_capture_on_commit_callbacks
):
    english(as_secretariat)
    response, callbacks = queue(
        as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks
    )
    job = DraftJob.objects.get()
    assert response.status_code == 302 and response.url == job_url(job)
    assert job.status == DraftJob.Status.QUEUED
    assert (job.kind, job.desk, job.requested_by) == ("rekapitulasi", None, secretariat)

    page = as_secretariat.get(job_url(job))
    assert page.status_code == 200
    assert "being prepared in the background" in page.text
    assert "waiting for the background worker" in page.text
    assert f'hx-get="{job_url(job)}"' in page.text
    assert "<html" in page.text  # a whole page, which the fragment below refreshes
    # Until it is rendered there is nothing to download: back to the job page.
    early = as_secretariat.get(download_url(job))
    assert early.status_code == 302 and early.url == job_url(job)

    # A second click while it waits follows the same job and queues no task.
    again, more = queue(
        as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks
    )
    assert again.url == job_url(job) and not more
    assert DraftJob.objects.count() == 1

    run(callbacks)
    job.refresh_from_db()
    assert job.status == DraftJob.Status.DONE, job.error
    assert job.task_id and job.file and job.pages and job.size
    polled = as_secretariat.get(job_url(job), HTTP_HX_REQUEST="true")
    assert "<html" not in polled.text and "hx-get" not in polled.text
    assert download_url(job) in polled.text

    download = as_secretariat.get(download_url(job))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert 'filename="rakortek-2022-rekapitulasi-draf.pdf"' in download["Content-Disposition"]
    text = pdf_text(response_bytes(download))
    assert "DRAF" in text
    assert "Jumlah seluruhnya (4 isu)" in text
    # A draft is never a final version.
    assert not FinalDocument.objects.exists()

    # Once that one is done, the next click asks for a fresh draft.
    as_secretariat.get(draft_url(large_meeting))
    assert DraftJob.objects.count() == 2


@pytest.mark.django_db
def test_each_user_has_their_own_draft_job(
    as_secretariat, large_meeting, client, django_capture_on_commit_callbacks
):
    colleague = UserFactory(role="sekretariat")
    client.force_login(colleague)
    queue(as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks)
    queue(client, draft_url(large_meeting), django_capture_on_commit_callbacks)
    mine, theirs = DraftJob.objects.order_by("pk")
    assert theirs.requested_by == colleague and mine != theirs
    # Neither sees the other's job, even with every right on the document.
    assert as_secretariat.get(job_url(theirs)).status_code == 404
    assert client.get(job_url(mine)).status_code == 404
    assert client.get(download_url(mine)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_worker_command_renders_the_draft_and_replaces_older_files(
    settings, as_secretariat, large_meeting
):
    settings.TASKS = DATABASE
    as_secretariat.get(draft_url(large_meeting))
    job = DraftJob.objects.get()
    task = DBTaskResult.objects.get()
    assert task.status == "READY" and str(task.id) == job.task_id

    call_command("db_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == DraftJob.Status.DONE, job.error
    assert task.status == "SUCCESSFUL" and task.return_value == job.pk
    first_file = job.file.name
    assert job.file.storage.exists(first_file)
    text = pdf_text(response_bytes(as_secretariat.get(download_url(job))))
    assert "DRAF" in text and "Jumlah seluruhnya (4 isu)" in text

    # Another user's draft finished two days ago is past keeping.
    colleague = UserFactory(role="sekretariat")
    old = DraftJob.objects.create(
        meeting=large_meeting,
        kind="rekapitulasi",
        requested_by=colleague,
        status=DraftJob.Status.DONE,
        finished_at=timezone.now() - timedelta(days=2),
    )
    old.file.save("lama.pdf", job.file.open("rb"), save=True)
    old_file = old.file.name

    as_secretariat.get(draft_url(large_meeting))
    call_command("db_worker", "--batch", verbosity=0)
    newer = DraftJob.objects.get()
    assert newer.pk != job.pk and newer.status == DraftJob.Status.DONE
    storage = newer.file.storage
    assert storage.exists(newer.file.name)
    assert not storage.exists(first_file) and not storage.exists(old_file)
    assert as_secretariat.get(job_url(job)).status_code == 404


@pytest.mark.django_db
def test_a_crash_in_the_worker_shows_a_clear_message(
    as_secretariat, large_meeting, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broken(meeting, desk, options):
        raise RuntimeError("font cache unreadable")

    spec = catalog.BY_KIND["rekapitulasi"]
    monkeypatch.setitem(catalog.BY_KIND, "rekapitulasi", dataclasses.replace(spec, render=broken))
    english(as_secretariat)
    _response, callbacks = queue(
        as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks
    )
    run(callbacks)
    job = DraftJob.objects.get()
    assert job.status == DraftJob.Status.FAILED and not job.file
    assert "font cache unreadable" in caplog.text  # the detail goes to the log
    page = as_secretariat.get(job_url(job))
    assert "alert-danger" in page.text and "hx-get" not in page.text
    assert "The draft could not be rendered:" in page.text
    assert "error on the server" in page.text
    assert "font cache unreadable" not in page.text
    assert as_secretariat.get(download_url(job)).status_code == 404
    # Asking again queues a new job.
    queue(as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks)
    assert DraftJob.objects.filter(status=DraftJob.Status.QUEUED).count() == 1


@pytest.mark.django_db
def test_a_user_who_lost_the_right_before_the_worker_ran_gets_no_file(
    as_secretariat, secretariat, large_meeting, django_capture_on_commit_callbacks
):
    english(as_secretariat)
    _response, callbacks = queue(
        as_secretariat, draft_url(large_meeting), django_capture_on_commit_callbacks
    )
    secretariat.role = "pengamat"
    secretariat.save(update_fields=["role"])
    run(callbacks)
    job = DraftJob.objects.get()
    assert job.status == DraftJob.Status.FAILED and not job.file
    # As an observer, the recap draft is 403 and so is its job.
    assert as_secretariat.get(job_url(job)).status_code == 403
    secretariat.role = "sekretariat"
    secretariat.save(update_fields=["role"])
    page = as_secretariat.get(job_url(job))
    assert "may no longer download this draft" in page.text


@pytest.mark.django_db
def test_who_may_queue_follow_and_download_a_desk_draft(
    settings,
    client,
    as_secretariat,
    as_kabid_bina_marga,
    as_kabid_sda,
    as_observer,
    as_delegate_bangka,
    kabid_bina_marga,
    large_meeting,
    django_capture_on_commit_callbacks,
):
    settings.DOCUMENTS_BACKGROUND_ROWS = 1
    url = draft_url(large_meeting, "prioritas", "bina-marga")
    # Queuing: the same answers as the draft itself.
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert as_kabid_sda.get(url).status_code == 403
    assert as_delegate_bangka.get(url).status_code == 403
    assert as_observer.get(url).status_code == 403
    assert as_delegate_bangka.get(draft_url(large_meeting)).status_code == 403
    assert as_observer.get(draft_url(large_meeting)).status_code == 403
    assert not DraftJob.objects.exists()

    # The desk's chair queues their own desk's list.
    response, callbacks = queue(as_kabid_bina_marga, url, django_capture_on_commit_callbacks)
    job = DraftJob.objects.get()
    assert response.url == job_url(job) and job.requested_by == kabid_bina_marga
    run(callbacks)
    for path in (job_url(job), download_url(job)):
        assert as_kabid_bina_marga.get(path).status_code == 200
        assert as_secretariat.get(path).status_code == 404
        assert as_kabid_sda.get(path).status_code == 404
        assert as_observer.get(path).status_code == 404
        assert as_delegate_bangka.get(path).status_code == 404
        denied = client.get(path)
        assert denied.status_code == 302 and denied.url.startswith(reverse("login"))
    text = pdf_text(response_bytes(as_kabid_bina_marga.get(download_url(job))))
    assert "DRAF" in text and "Bina Marga" in text

    # A chair who hands the desk over loses the draft with it (they still read the
    # final list, as every account does).
    large_meeting.desks.filter(field__slug="bina-marga").update(chair=None)
    assert as_kabid_bina_marga.get(job_url(job)).status_code == 403
    assert as_kabid_bina_marga.get(download_url(job)).status_code == 403
    assert (
        as_secretariat.get(reverse("documents:draft_job", kwargs={"pk": 999999})).status_code == 404
    )


@pytest.mark.django_db
def test_an_observer_queues_the_large_monitoring_report(
    settings, as_observer, observer, signed_package, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.DOCUMENTS_BACKGROUND_ROWS = 1
    meeting = signed_package.meeting
    response, callbacks = queue(
        as_observer, draft_url(meeting, "tindak-lanjut"), django_capture_on_commit_callbacks
    )
    job = DraftJob.objects.get()
    assert response.url == job_url(job) and job.requested_by == observer
    run(callbacks)
    job.refresh_from_db()
    assert job.status == DraftJob.Status.DONE, job.error
    assert "DRAF" in pdf_text(response_bytes(as_observer.get(download_url(job))))
    # Its spreadsheet stays in the request.
    sheet = as_observer.get(draft_url(meeting, "tindak-lanjut-xlsx"))
    assert sheet.status_code == 200 and "spreadsheet" in sheet["Content-Type"]
    assert DraftJob.objects.count() == 1


@pytest.mark.django_db
def test_prune_drafts_deletes_drafts_finished_more_than_a_day_ago_with_their_files(
    large_meeting, secretariat
):
    def finished(hours_ago, status=DraftJob.Status.DONE):
        job = DraftJob.objects.create(
            meeting=large_meeting,
            kind="rekapitulasi",
            requested_by=UserFactory(role="sekretariat"),
            status=status,
            finished_at=timezone.now() - timedelta(hours=hours_ago),
        )
        job.file.save(f"draf-{hours_ago}.pdf", ContentFile(b"%PDF-1.4 draf"), save=True)
        return job

    old, recent = finished(30), finished(2)
    running = DraftJob.objects.create(
        meeting=large_meeting,
        kind="rekapitulasi",
        requested_by=secretariat,
        status=DraftJob.Status.RUNNING,
    )
    storage = old.file.storage
    out = io.StringIO()
    call_command("prune_drafts", stdout=out)
    assert out.getvalue().strip() == "1 draft(s) deleted"
    assert set(DraftJob.objects.values_list("pk", flat=True)) == {recent.pk, running.pk}
    assert not storage.exists(old.file.name) and storage.exists(recent.file.name)
    call_command("prune_drafts", "--hours", "1", stdout=out)
    assert list(DraftJob.objects.values_list("pk", flat=True)) == [running.pk]
    assert not storage.exists(recent.file.name)
