"""Jobs survive workers: a task left RUNNING by a worker whose heartbeat stopped is queued
again once, then failed with a message and a "Coba lagi" button; never rendered twice at once.

The worker here is the real `db_worker` command, run in batch mode; a dead worker is
what it leaves in the database: a RUNNING task claimed under its id, and a heartbeat
row last seen longer ago than WORKER_STALE_SECONDS (or none at all). The test that
kills a real worker process is tests/documents/test_worker_process.py.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from rakortek.core.worker import recover_lost_tasks
from rakortek.documents.catalog import BY_KIND
from rakortek.documents.models import DraftJob, FinalDocument, RenderJob
from rakortek.documents.services import DocumentError, document_finalise
from rakortek.models import WorkerHeartbeat
from tests.documents.conftest import decided_issue, lock_board, pdf_text

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def large_meeting(settings, monday_meeting, desk_bina_marga, desk_sda):
    settings.DOCUMENTS_BACKGROUND_ROWS = 2
    settings.TASKS = DATABASE
    for rank in (1, 2):
        decided_issue(desk_bina_marga, "bangka", rank=rank, decision="prioritas")
        decided_issue(desk_sda, "belitung", rank=rank, decision="cadangan", reason="Kajian.")
    lock_board(desk_bina_marga)
    lock_board(desk_sda)
    return monday_meeting


def finalise_url(meeting):
    return reverse("documents:finalise", kwargs={"slug": meeting.slug, "key": "rekapitulasi"})


def documents_url(meeting):
    return reverse("documents:meeting", kwargs={"slug": meeting.slug})


def dead_worker(name="worker-a", *, seen=timedelta(minutes=2)):
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=name, started_at=now - timedelta(hours=1), seen_at=now - seen
    )


def claimed_then_died(job, worker_id="worker-a"):
    """What a worker leaves behind when it is killed while rendering `job`."""
    job.refresh_from_db()
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(worker_id)
    type(job).objects.filter(pk=job.pk).update(status=job.Status.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    return task


def queue_final(client, meeting, capture):
    with capture(execute=True):
        client.post(finalise_url(meeting))
    return RenderJob.objects.get(status__in=RenderJob.ACTIVE)


@pytest.mark.django_db(transaction=True)
def test_a_render_job_whose_worker_died_is_queued_again_and_the_next_worker_finishes_it(
    as_secretariat, large_meeting
):
    as_secretariat.post(finalise_url(large_meeting))
    job = RenderJob.objects.get()
    dead_worker("worker-a")
    lost = claimed_then_died(job, "worker-a")

    # The documents page does not show "proses" for a job whose worker is gone.
    page = as_secretariat.get(documents_url(large_meeting))
    job.refresh_from_db()
    lost.refresh_from_db()
    assert job.status == RenderJob.Status.QUEUED and job.attempts == 2
    assert (
        lost.status == "FAILED" and lost.exception_class_path == "rakortek.core.worker.WorkerLost"
    )
    assert job.task_id != str(lost.pk)
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
    assert "Menunggu" in page.text or "Waiting" in page.text

    call_command("db_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE, job.error
    document = FinalDocument.objects.get()
    assert job.document == document
    with document.file.open("rb") as stored:
        assert "Jumlah seluruhnya (4 isu)" in pdf_text(stored.read())


@pytest.mark.django_db(transaction=True)
def test_a_starting_worker_takes_back_running_tasks_no_live_worker_owns(
    as_secretariat, large_meeting
):
    as_secretariat.post(finalise_url(large_meeting))
    job = RenderJob.objects.get()
    claimed_then_died(job, "worker-without-heartbeat")

    call_command("db_worker", "--batch", verbosity=0)

    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE and job.attempts == 2
    assert FinalDocument.objects.count() == 1
    # A worker that stopped cleanly leaves no heartbeat behind.
    assert not WorkerHeartbeat.objects.exists()


@pytest.mark.django_db
def test_a_job_whose_worker_is_alive_is_left_alone(
    as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    job = queue_final(as_secretariat, large_meeting, django_capture_on_commit_callbacks)
    dead_worker("worker-b", seen=timedelta(seconds=1))  # seen a second ago: alive
    task = claimed_then_died(job, "worker-b")
    page = as_secretariat.get(documents_url(large_meeting))
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == RenderJob.Status.RUNNING and task.status == "RUNNING"
    assert "Coba lagi" not in page.text


@pytest.mark.django_db
def test_a_job_lost_twice_fails_with_a_message_and_a_coba_lagi_button(
    as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    job = queue_final(as_secretariat, large_meeting, django_capture_on_commit_callbacks)
    dead_worker("worker-a")
    claimed_then_died(job, "worker-a")
    with django_capture_on_commit_callbacks(execute=True):
        recover_lost_tasks()
    job.refresh_from_db()
    assert job.status == RenderJob.Status.QUEUED and job.attempts == 2
    claimed_then_died(job, "worker-a")

    with django_capture_on_commit_callbacks(execute=True):
        polled = as_secretariat.get(reverse("documents:job", kwargs={"pk": job.pk}))
    job.refresh_from_db()
    assert job.status == RenderJob.Status.FAILED
    assert "berhenti dua kali" in job.error
    assert not FinalDocument.objects.exists()
    assert "Coba lagi" in polled.text
    assert f'action="{finalise_url(large_meeting)}"' in polled.text

    page = as_secretariat.get(documents_url(large_meeting))
    assert "berhenti dua kali" in page.text and "Coba lagi" in page.text
    # Coba lagi queues a fresh job, which the worker may now run.
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.post(finalise_url(large_meeting))
    fresh = RenderJob.objects.exclude(pk=job.pk).get()
    assert fresh.status == RenderJob.Status.QUEUED and fresh.attempts == 1


@pytest.mark.django_db
def test_a_worker_taken_for_dead_cannot_store_once_its_job_was_handed_on(
    secretariat, large_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        from rakortek.documents.services import document_job_enqueue

        job = document_job_enqueue(
            actor=secretariat, meeting=large_meeting, spec=BY_KIND["rekapitulasi"]
        )
    dead_worker("worker-a")
    claimed_then_died(job, "worker-a")
    first_attempt = RenderJob.objects.get(pk=job.pk)
    with django_capture_on_commit_callbacks(execute=False):
        recover_lost_tasks()  # handed on: queued again as attempt 2

    # The first worker was only slow: it finishes its rendering and tries to store it.
    with pytest.raises(DocumentError):
        document_finalise(
            actor=secretariat,
            meeting=large_meeting,
            spec=BY_KIND["rekapitulasi"],
            job=first_attempt,
        )
    assert not FinalDocument.objects.exists()


@pytest.mark.django_db
def test_a_lost_version_already_stored_is_taken_as_the_outcome_not_rendered_again(
    secretariat, large_meeting, django_capture_on_commit_callbacks
):
    from rakortek.documents.services import document_job_enqueue, document_job_run

    with django_capture_on_commit_callbacks(execute=False):
        job = document_job_enqueue(
            actor=secretariat, meeting=large_meeting, spec=BY_KIND["rekapitulasi"]
        )
    # No task queued (callbacks held back): record one claimed by a worker that then died
    # after storing the document but before marking the job done.
    from rakortek.documents.tasks import render_final_document

    with django_capture_on_commit_callbacks(execute=True):
        result = render_final_document.enqueue(job.pk)
    RenderJob.objects.filter(pk=job.pk).update(task_id=str(result.id))
    DBTaskResult.objects.get(pk=result.id).claim("worker-a")
    document = document_job_run(job_id=job.pk)
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING, document=None, finished_at=None
    )
    recover_lost_tasks()
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE and job.document == document
    assert FinalDocument.objects.count() == 1


# ---- Drafts ----


def draft_url(meeting):
    return reverse("documents:draft", kwargs={"slug": meeting.slug, "key": "rekapitulasi"})


@pytest.mark.django_db
def test_a_lost_draft_is_queued_again_then_failed_with_a_coba_lagi_link(
    as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.get(draft_url(large_meeting))
    job = DraftJob.objects.get()
    dead_worker("worker-a")
    claimed_then_died(job, "worker-a")
    page_url = reverse("documents:draft_job", kwargs={"pk": job.pk})

    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.get(page_url)
    job.refresh_from_db()
    assert job.status == DraftJob.Status.QUEUED and job.attempts == 2

    claimed_then_died(job, "worker-a")
    with django_capture_on_commit_callbacks(execute=True):
        page = as_secretariat.get(page_url)
    job.refresh_from_db()
    assert job.status == DraftJob.Status.FAILED and "berhenti" in job.error
    assert "Coba lagi" in page.text and f'href="{draft_url(large_meeting)}"' in page.text


@pytest.mark.django_db
def test_asking_again_for_a_draft_whose_worker_died_does_not_wait_on_it(
    as_secretariat, large_meeting, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        as_secretariat.get(draft_url(large_meeting))
    job = DraftJob.objects.get()
    dead_worker("worker-a")
    lost = claimed_then_died(job, "worker-a")
    with django_capture_on_commit_callbacks(execute=True):
        response = as_secretariat.get(draft_url(large_meeting))
    job.refresh_from_db()
    lost.refresh_from_db()
    assert response.url == reverse("documents:draft_job", kwargs={"pk": job.pk})
    assert job.status == DraftJob.Status.QUEUED and lost.status == "FAILED"
    assert DBTaskResult.objects.get(pk=job.task_id).status == "READY"
