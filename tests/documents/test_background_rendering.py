"""Large documents are finalised by the task worker; the page follows the job's progress."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from rakortek.documents.models import FinalDocument, RenderJob
from tests.documents.conftest import decided_issue, lock_board, pdf_text

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def small_threshold(settings):
    """Treat anything above two issues as large."""
    settings.DOCUMENTS_BACKGROUND_ROWS = 2


@pytest.fixture
def large_meeting(monday_meeting, desk_bina_marga, desk_sda, small_threshold):
    for rank in (1, 2):
        decided_issue(desk_bina_marga, "bangka", rank=rank, decision="prioritas")
        decided_issue(desk_sda, "belitung", rank=rank, decision="cadangan", reason="Kajian.")
    lock_board(desk_bina_marga)
    lock_board(desk_sda)
    return monday_meeting


def recap_finalise_url(meeting):
    return reverse("documents:finalise", kwargs={"slug": meeting.slug, "key": "rekapitulasi"})


def job_url(job):
    return reverse("documents:job", kwargs={"pk": job.pk})


@pytest.mark.django_db
def test_large_recap_is_rendered_by_a_task_and_stored(
    settings, as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.post(recap_finalise_url(large_meeting))
    assert response.status_code == 302
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.DONE
    assert job.task_id
    document = FinalDocument.objects.get()
    assert job.document == document and document.kind == "rekapitulasi"
    with document.file.open("rb") as stored:
        assert "Jumlah seluruhnya (4 isu)" in pdf_text(stored.read())


@pytest.mark.django_db
def test_page_polls_a_queued_job_until_it_has_finished(
    settings, as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    # The job is queued but its task not yet run: on_commit callbacks are held back.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_secretariat.post(recap_finalise_url(large_meeting))
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.QUEUED
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": large_meeting.slug}))
    assert f'hx-get="{job_url(job)}"' in page.text
    row = next(r for r in page.context["rows"] if r.spec.key == "rekapitulasi")
    assert not row.can_finalise
    # A second click while it waits is refused: still one job, no document.
    as_secretariat.post(recap_finalise_url(large_meeting))
    assert RenderJob.objects.count() == 1

    polled = as_secretariat.get(job_url(job), HTTP_HX_REQUEST="true")
    assert polled.status_code == 200
    assert "HX-Refresh" not in polled
    assert 'hx-trigger="every 2s"' in polled.text

    for callback in callbacks:
        callback()
    done = as_secretariat.get(job_url(job), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in done.text
    assert FinalDocument.objects.filter(kind="rekapitulasi").count() == 1


@pytest.mark.django_db
def test_a_failed_job_shows_its_error_and_allows_another_try(
    settings, as_secretariat, large_meeting, secretariat, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    # The secretariat account loses its role before the worker runs the job.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_secretariat.post(recap_finalise_url(large_meeting))
    secretariat.role = "pengamat"
    secretariat.save(update_fields=["role"])
    for callback in callbacks:
        callback()
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.FAILED
    assert not FinalDocument.objects.exists()
    secretariat.role = "sekretariat"
    secretariat.save(update_fields=["role"])
    page = as_secretariat.get(reverse("documents:meeting", kwargs={"slug": large_meeting.slug}))
    row = next(r for r in page.context["rows"] if r.spec.key == "rekapitulasi")
    assert row.job == job and row.can_finalise


@pytest.mark.django_db
def test_job_status_is_for_the_secretariat_only(
    client,
    as_observer,
    as_kabid_bina_marga,
    as_kabid_sda,
    as_delegate_bangka,
    as_secretariat,
    large_meeting,
    desk_bina_marga,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.DOCUMENTS_BACKGROUND_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False):
        as_secretariat.post(
            reverse(
                "documents:finalise",
                kwargs={
                    "slug": large_meeting.slug,
                    "key": "prioritas",
                    "field_slug": "bina-marga",
                },
            )
        )
    job = RenderJob.objects.get()
    assert as_secretariat.get(job_url(job)).status_code == 200
    assert as_observer.get(job_url(job)).status_code == 403
    assert as_kabid_bina_marga.get(job_url(job)).status_code == 403
    # Every account of the meeting reads the final list; following its rendering is
    # the secretariat's.
    assert as_kabid_sda.get(job_url(job)).status_code == 403
    assert as_delegate_bangka.get(job_url(job)).status_code == 403
    anonymous = client.get(job_url(job))
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    assert as_secretariat.get(reverse("documents:job", kwargs={"pk": 999999})).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_queues_the_job_and_the_worker_command_runs_it(
    settings, as_secretariat, large_meeting
):
    settings.TASKS = DATABASE
    as_secretariat.post(recap_finalise_url(large_meeting))
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.QUEUED
    task = DBTaskResult.objects.get()
    assert task.status == "READY"
    assert str(task.id) == job.task_id
    assert not FinalDocument.objects.exists()

    call_command("db_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, job.error
    assert task.status == "SUCCESSFUL"
    document = FinalDocument.objects.get()
    assert job.document == document
    assert task.return_value == document.pk
