"""Background tasks: large final documents render in the worker (`manage.py db_worker`)."""

from django_tasks import task

from rakortek.documents.services import document_job_run


@task()
def render_final_document(job_id: int) -> int | None:
    """Finalise the document of RenderJob `job_id`; the id of the stored version, if any."""
    document = document_job_run(job_id=job_id)
    return document.pk if document else None
