"""Background tasks: large final documents and drafts render in the worker (`db_worker`)."""

from django_tasks import task

from rakortek.core.worker import on_lost_task
from rakortek.documents.services import (
    document_job_lost,
    document_job_run,
    draft_job_lost,
    draft_job_run,
)


@task()
def render_final_document(job_id: int) -> int | None:
    """Finalise the document of RenderJob `job_id`; the id of the stored version, if any."""
    document = document_job_run(job_id=job_id)
    return document.pk if document else None


@task()
def render_draft_document(job_id: int) -> int | None:
    """Render the draft of DraftJob `job_id`; the job's id once its file is stored."""
    job = draft_job_run(job_id=job_id)
    return job.pk if job is not None and job.is_ready else None


@on_lost_task(render_final_document)
def _final_document_lost(result):
    document_job_lost(task_id=str(result.pk))


@on_lost_task(render_draft_document)
def _draft_document_lost(result):
    draft_job_lost(task_id=str(result.pk))
