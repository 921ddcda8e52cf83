"""Writes of the documents layer: final versions, reopening, background renderings, letterhead."""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from issues.models import RakorgubPackage
from meetings.models import Meeting
from rakortek.core.qr import qr_data_uri
from rakortek.core.worker import recover_lost_tasks
from rakortek.documents import numbering
from rakortek.documents.access import Scope, check_scope, meeting_for_documents
from rakortek.documents.catalog import DocumentSpec, renders_in_background
from rakortek.documents.models import DraftJob, FinalDocument, OfficeProfile, RenderJob
from rakortek.documents.office import check_emblem
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.signing import SigningError, sign_pdf, signing_configured
from rakortek.documents.verification import PendingDocument

logger = logging.getLogger(__name__)

__all__ = [
    "DocumentError",
    "FinaliseAllResult",
    "PendingDocument",
    "document_finalise",
    "document_job_enqueue",
    "document_job_lost",
    "document_job_run",
    "document_prepare",
    "document_reopen",
    "document_store",
    "documents_finalise_all",
    "documents_zip",
    "draft_in_background",
    "draft_job_enqueue",
    "draft_job_lost",
    "draft_job_run",
    "office_profile_update",
    "qr_data_uri",
]


class DocumentError(Exception):
    """A request the document rules refuse; the message is shown to the user."""


def _versions(*, meeting, kind, desk):
    return FinalDocument.objects.filter(meeting=meeting, kind=kind, desk=desk)


def current_version(*, meeting, kind, desk=None) -> FinalDocument | None:
    return _versions(meeting=meeting, kind=kind, desk=desk).filter(is_current=True).first()


def document_prepare(
    *, meeting, kind: str, desk=None, number_year: int | None = None
) -> PendingDocument:
    """Reserve the next version and verification code (nothing is written yet).

    A numbered document (a PDF naskah; `number_year`, the year of the date it
    prints, given) gets the number its pattern will most
    likely give; the number is taken for good only when the version is stored
    (`_store_final`), and the document rendered again if another took it meanwhile.
    """
    last = _versions(meeting=meeting, kind=kind, desk=desk).order_by("-version").first()
    version = (last.version + 1) if last else 1
    code = secrets.token_urlsafe(12)
    url = settings.SITE_URL.rstrip("/") + reverse("documents:verify", kwargs={"code": code})
    if number_year is not None:
        sequence = numbering.peek_sequence(number_year)
        number = numbering.format_number(
            OfficeProfile.load().number_pattern(kind), sequence=sequence, year=number_year
        )
    else:
        sequence = None
        scope = f"{desk.field.code}/" if desk is not None else ""
        number = f"{kind.upper().replace('_', '-')}/{scope}{meeting.slug.upper()}/V{version}"
    return PendingDocument(
        number=number,
        version=version,
        verification_code=code,
        verification_url=url,
        sequence=sequence,
        signed=signing_configured(),
    )


@transaction.atomic
def document_store(
    *,
    meeting,
    kind: str,
    title: str,
    pending: PendingDocument,
    content: bytes,
    content_type: str,
    user,
    desk=None,
    pages: int | None = None,
    reason: str = "",
) -> FinalDocument:
    """Store the rendered bytes as the current final version; earlier versions stay available."""
    previous = _versions(meeting=meeting, kind=kind, desk=desk).select_for_update()
    if previous.filter(version__gte=pending.version).exists():
        raise ValueError("A newer version of this document was stored meanwhile; render again.")
    if pending.version > 1 and not reason.strip():
        raise ValueError("A new version of a final document needs a reason.")
    previous.filter(is_current=True).update(is_current=False)
    extension = {"application/pdf": "pdf"}.get(
        content_type,
        "xlsx" if "spreadsheet" in content_type else "bin",
    )
    document = FinalDocument(
        meeting=meeting,
        desk=desk,
        kind=kind,
        title=title,
        number=pending.number,
        version=pending.version,
        content_type=content_type,
        size=len(content),
        pages=pages,
        sha256=hashlib.sha256(content).hexdigest(),
        verification_code=pending.verification_code,
        reason=reason,
        finalised_by=user,
    )
    document.file.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(content), save=False)
    try:
        document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


# ---- Finalising, reopening ----


def _check_finalisable(*, meeting, spec: DocumentSpec, desk, job: RenderJob | None = None):
    if spec.per_desk != (desk is not None):
        raise DocumentError(_("This document belongs to a desk."))
    if not spec.is_available(meeting, desk):
        raise DocumentError(_("This document cannot be made yet."))
    blocker = spec.blocker(meeting, desk)
    if blocker:
        raise DocumentError(blocker)
    current = current_version(meeting=meeting, kind=spec.kind, desk=desk)
    if current is not None and not current.is_reopened:
        raise DocumentError(
            _("This document is final (version %(version)d). Reopen it, with a reason, first.")
            % {"version": current.version}
        )
    active = RenderJob.objects.filter(
        meeting=meeting, kind=spec.kind, desk=desk, status__in=RenderJob.ACTIVE
    )
    if job is not None:
        active = active.exclude(pk=job.pk)
    if active.exists():
        raise DocumentError(_("This document is already being rendered."))
    return current


def _check_actor(actor):
    if actor is None or not actor.is_secretariat:
        raise PermissionDenied


def document_finalise(
    *, actor, meeting, spec: DocumentSpec, desk=None, job: RenderJob | None = None
) -> FinalDocument:
    """Render `spec` once as its next final version and store it.

    Not one transaction: rendering a large document takes seconds and must not
    hold the database's write lock meanwhile. The store re-checks everything
    under a row lock, and `document_store` refuses a version stored meanwhile.
    """
    _check_actor(actor)
    _check_finalisable(meeting=meeting, spec=spec, desk=desk, job=job)
    pending = document_prepare(
        meeting=meeting,
        kind=spec.kind,
        desk=desk,
        number_year=spec.number_year(meeting) if spec.extension == "pdf" else None,
    )
    output = _render_final(spec=spec, meeting=meeting, desk=desk, pending=pending)
    return _store_final(
        actor=actor, meeting=meeting, spec=spec, desk=desk, job=job, pending=pending, output=output
    )


def _render_final(*, spec: DocumentSpec, meeting, desk, pending):
    """Render the final version as `pending` numbers it, refuse it without the app's own
    assets, and sign it when a certificate is configured (the stored fingerprint is that
    of the signed bytes)."""
    output = spec.render(meeting, desk, RenderOptions.create(final=pending))
    if output.refused_assets:
        # Without its stylesheet or fonts the document is wrong (unstyled, more pages,
        # no embedded font); a final version is never stored that way.
        logger.error(
            "Final %s of %s not stored: the renderer could not read the app's own assets %s",
            spec.key,
            meeting.slug,
            output.refused_assets,
        )
        raise DocumentError(
            _(
                "The document could not be finalised: its stylesheet or fonts could not be "
                "read on the server. Nothing was stored. Tell the administrator."
            )
        )
    if output.refused_urls:
        logger.warning(
            "Final %s of %s refused to fetch %s", spec.key, meeting.slug, output.refused_urls
        )
    if pending.signed and output.content_type == "application/pdf":
        output.content = _sign(
            output, spec=spec, meeting=meeting, pending=pending, title=spec.title(meeting, desk)
        )
    return output


def _sign(output, *, spec, meeting, pending, title) -> bytes:
    """The final PDF signed electronically; the stored fingerprint is that of these bytes."""
    if output.signature_box is None:
        logger.warning("Final %s of %s has no signature box: signed invisibly", spec.key, meeting)
    try:
        return sign_pdf(
            output.content,
            reason=f"Dokumen final RAKORTEK: {title}, nomor {pending.number}",
            location=OfficeProfile.load().city,
            box=output.signature_box,
        )
    except SigningError as error:
        logger.error("Final %s of %s not signed, not stored: %s", spec.key, meeting.slug, error)
        raise DocumentError(
            _(
                "The document could not be signed electronically with the configured "
                "certificate. Nothing was stored. Tell the administrator."
            )
        ) from None


@transaction.atomic
def _store_final(*, actor, meeting, spec, desk, job, pending, output) -> FinalDocument:
    # The meeting row first: two first versions at once have no version row to lock, and
    # the second must find the first stored rather than fail on the unique number.
    list(Meeting.objects.select_for_update().filter(pk=meeting.pk).values_list("pk", flat=True))
    # No ordering: the default one joins the nullable desk, which PostgreSQL cannot lock.
    list(_versions(meeting=meeting, kind=spec.kind, desk=desk).order_by().select_for_update())
    if job is not None and not _job_still_mine(job):
        # The job was given to another worker meanwhile (this one was taken for dead).
        raise DocumentError(_("This rendering was handed to another worker meanwhile."))
    current = _check_finalisable(meeting=meeting, spec=spec, desk=desk, job=job)
    if pending.sequence is not None:
        # The number is taken here, under the sequence's row lock, so that it is used
        # exactly once. Another document stored since the prediction took it: render
        # again with the number this one gets (only then is the lock held while rendering).
        year = spec.number_year(meeting)
        sequence = numbering.take_sequence(year)
        pattern = OfficeProfile.load().number_pattern(spec.kind)
        number = numbering.format_number(pattern, sequence=sequence, year=year)
        if number != pending.number:
            pending = replace(pending, number=number, sequence=sequence)
            output = _render_final(spec=spec, meeting=meeting, desk=desk, pending=pending)
    try:
        document = document_store(
            meeting=meeting,
            kind=spec.kind,
            title=spec.title(meeting, desk),
            pending=pending,
            content=output.content,
            content_type=output.content_type,
            user=actor,
            desk=desk,
            pages=output.pages,
            reason=current.reopen_reason if current else "",
        )
    except ValueError:
        raise DocumentError(
            _("Another version of this document was stored meanwhile. Reload the page.")
        ) from None
    if spec.on_final is not None:
        try:
            spec.on_final(actor=actor, meeting=meeting, desk=desk, document=document)
        except BaseException:
            document.file.delete(save=False)  # the row rolls back with the transaction
            raise
    return document


@transaction.atomic
def document_reopen(*, actor, document: FinalDocument, reason: str) -> FinalDocument:
    """Open a final document for correction; the next finalisation makes a new version.

    The reopened version stays current (and its verification page says it is
    being corrected) until the new one is stored.
    """
    _check_actor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Write why the document is reopened."))
    document = FinalDocument.objects.select_for_update().get(pk=document.pk)
    if not document.is_current:
        raise DocumentError(_("Only the current version can be reopened."))
    if document.is_reopened:
        raise DocumentError(_("This document is already reopened."))
    if (
        document.kind == FinalDocument.Kind.AGREEMENT
        and RakorgubPackage.objects.filter(meeting_id=document.meeting_id).exists()
    ):
        raise DocumentError(
            _(
                "The agreement points are already forwarded to RAKORGUB: the document can no "
                "longer be reopened. Amend the points in the RAKORGUB package instead, "
                "with a reason."
            )
        )
    document.reopened_at = timezone.now()
    document.reopened_by = actor
    document.reopen_reason = reason
    document.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    return document


# ---- Background renderings ----


@transaction.atomic
def document_job_enqueue(*, actor, meeting, spec: DocumentSpec, desk=None) -> RenderJob:
    """Queue the finalisation of a large document for the task worker."""
    _check_actor(actor)
    _check_finalisable(meeting=meeting, spec=spec, desk=desk)
    try:
        with transaction.atomic():
            job = RenderJob.objects.create(
                meeting=meeting, desk=desk, kind=spec.kind, requested_by=actor
            )
    except IntegrityError:
        # The constraint caught a second request that raced this one.
        raise DocumentError(_("This document is already being rendered.")) from None
    # Only once the job row is committed can a worker in another process see it.
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int):
    from rakortek.documents.tasks import render_final_document

    try:
        result = render_final_document.enqueue(job_id)
    except Exception as error:
        logger.exception("Could not queue rendering job %s", job_id)
        RenderJob.objects.filter(pk=job_id, status=RenderJob.Status.QUEUED).update(
            status=RenderJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        return
    RenderJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def document_job_run(*, job_id: int) -> FinalDocument | None:
    """Run one queued job (called by the task); its row records progress and outcome."""
    from rakortek.documents.catalog import BY_KIND

    claimed = RenderJob.objects.filter(pk=job_id, status=RenderJob.Status.QUEUED).update(
        status=RenderJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = RenderJob.objects.select_related("meeting", "desk__field", "requested_by").get(pk=job_id)
    try:
        document = document_finalise(
            actor=job.requested_by,
            meeting=job.meeting,
            spec=BY_KIND[job.kind],
            desk=job.desk,
            job=job,
        )
    except Exception as error:
        if not isinstance(error, DocumentError | PermissionDenied):
            logger.exception("Rendering job %s failed", job_id)
        _this_attempt(job).update(
            status=RenderJob.Status.FAILED,
            error=str(error)[:2000] or error.__class__.__name__,
            finished_at=timezone.now(),
        )
        return None
    _this_attempt(job).update(
        status=RenderJob.Status.DONE, document=document, finished_at=timezone.now()
    )
    return document


def _this_attempt(job):
    """The job's row while this worker's attempt still owns it (not handed on meanwhile)."""
    return type(job).objects.filter(pk=job.pk, status=job.Status.RUNNING, attempts=job.attempts)


def _job_still_mine(job: RenderJob) -> bool:
    return _this_attempt(job).select_for_update().exists()


# A job whose worker died is queued again this many times in all, then failed.
JOB_ATTEMPTS = 2


@transaction.atomic
def document_job_lost(*, task_id: str) -> RenderJob | None:
    """The worker running the task of a render job died: queue the job again, or fail it.

    A version the dead worker stored before it could mark the job done is taken
    as the job's outcome, not rendered a second time.
    """
    job = (
        RenderJob.objects.select_for_update()
        .filter(task_id=task_id, status__in=RenderJob.ACTIVE)
        .first()
    )
    if job is None:
        return None
    stored = (
        _versions(meeting=job.meeting_id, kind=job.kind, desk=job.desk_id)
        .filter(
            is_current=True,
            finalised_by=job.requested_by_id,
            finalised_at__gte=job.started_at or job.created_at,
        )
        .first()
    )
    now = timezone.now()
    if stored is not None:
        job.status, job.document, job.finished_at = RenderJob.Status.DONE, stored, now
        job.save(update_fields=["status", "document", "finished_at"])
    elif job.attempts < JOB_ATTEMPTS:
        job.status, job.attempts, job.started_at, job.task_id = (
            job.Status.QUEUED,
            job.attempts + 1,
            None,
            "",
        )
        job.save(update_fields=["status", "attempts", "started_at", "task_id"])
        transaction.on_commit(lambda: _enqueue(job.pk))
    else:
        job.status, job.finished_at = RenderJob.Status.FAILED, now
        job.error = _(
            "The background worker stopped while rendering this document, twice. "
            "Nothing was stored. Try again; if it stops again, tell the administrator."
        )
        job.save(update_fields=["status", "error", "finished_at"])
    logger.warning("Render job %s lost its worker: now %s", job.pk, job.status)
    return job


# ---- Large drafts ----

# A finished draft file is kept this long at most (or until the same user's next
# draft of the document replaces it): drafts go stale as the meeting moves on.
DRAFT_JOB_KEEP = timedelta(days=1)


def draft_in_background(spec: DocumentSpec, meeting, desk=None) -> bool:
    """Whether a draft renders in the task worker: large PDFs only.

    Spreadsheets stay in the request whatever their size: 500 issues take well
    under a second, against ten seconds and more for the PDF.
    """
    return spec.extension == "pdf" and renders_in_background(spec.rows(meeting, desk))


def _check_draft(*, user, meeting, spec: DocumentSpec, desk):
    """The draft view's own rules, for queuing and again in the worker."""
    if user is None or not user.is_active:
        raise PermissionDenied
    try:
        meeting_for_documents(user, meeting.slug)
        check_scope(user, spec.kind, desk, Scope.DRAFT)
    except Http404:
        raise PermissionDenied from None
    if spec.per_desk != (desk is not None):
        raise DocumentError(_("This document belongs to a desk."))
    if not spec.is_available(meeting, desk):
        raise DocumentError(_("This document cannot be made yet."))


@transaction.atomic
def draft_job_enqueue(*, actor, meeting, spec: DocumentSpec, desk=None) -> DraftJob:
    """Queue a large draft for the worker, or return the one `actor` already waits for."""
    _check_draft(user=actor, meeting=meeting, spec=spec, desk=desk)
    mine = DraftJob.objects.filter(
        meeting=meeting, kind=spec.kind, desk=desk, requested_by=actor
    ).select_for_update()
    active = mine.filter(status__in=DraftJob.ACTIVE).first()
    if active is not None and active.status == DraftJob.Status.RUNNING and recover_lost_tasks():
        # Its worker died: the job was queued again (or failed, then a new one is made).
        active = mine.filter(status__in=DraftJob.ACTIVE).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            job = DraftJob.objects.create(
                meeting=meeting, desk=desk, kind=spec.kind, requested_by=actor
            )
    except IntegrityError:
        # A second click raced this one: follow the job it queued.
        return mine.get(status__in=DraftJob.ACTIVE)
    transaction.on_commit(lambda: _enqueue_draft(job.pk))
    return job


@transaction.atomic
def draft_job_lost(*, task_id: str) -> DraftJob | None:
    """The worker rendering a draft died: queue the draft again once, then fail it."""
    job = (
        DraftJob.objects.select_for_update()
        .filter(task_id=task_id, status__in=DraftJob.ACTIVE)
        .first()
    )
    if job is None:
        return None
    if job.attempts < JOB_ATTEMPTS:
        job.status, job.attempts, job.started_at, job.task_id = (
            job.Status.QUEUED,
            job.attempts + 1,
            None,
            "",
        )
        job.save(update_fields=["status", "attempts", "started_at", "task_id"])
        transaction.on_commit(lambda: _enqueue_draft(job.pk))
    else:
        job.status, job.finished_at = DraftJob.Status.FAILED, timezone.now()
        job.error = _("The background worker stopped while rendering this draft. Ask for it again.")
        job.save(update_fields=["status", "error", "finished_at"])
    logger.warning("Draft job %s lost its worker: now %s", job.pk, job.status)
    return job


def _enqueue_draft(job_id: int):
    from rakortek.documents.tasks import render_draft_document

    try:
        result = render_draft_document.enqueue(job_id)
    except Exception:
        logger.exception("Could not queue draft job %s", job_id)
        DraftJob.objects.filter(pk=job_id, status=DraftJob.Status.QUEUED).update(
            status=DraftJob.Status.FAILED,
            error=_("The draft could not be queued for the background worker."),
            finished_at=timezone.now(),
        )
        return
    DraftJob.objects.filter(pk=job_id).update(task_id=str(result.id))


def draft_job_run(*, job_id: int) -> DraftJob | None:
    """Render one queued draft (called by the task); its row records progress and outcome."""
    from rakortek.documents.catalog import BY_KIND

    claimed = DraftJob.objects.filter(pk=job_id, status=DraftJob.Status.QUEUED).update(
        status=DraftJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = DraftJob.objects.select_related("meeting", "desk__field", "requested_by").get(pk=job_id)
    spec = BY_KIND[job.kind]
    try:
        _check_draft(user=job.requested_by, meeting=job.meeting, spec=spec, desk=job.desk)
        output = spec.render(job.meeting, job.desk, RenderOptions.create())
    except (DocumentError, PermissionDenied) as error:
        message = str(error) or _("Your account may no longer download this draft.")
        return _draft_failed(job, message)
    except Exception:
        logger.exception("Draft job %s failed", job_id)
        return _draft_failed(
            job,
            _(
                "The draft could not be rendered because of an error on the server. "
                "Ask for it again; if it fails again, tell the administrator."
            ),
        )
    extension = "pdf" if output.content_type == "application/pdf" else spec.extension
    storage = job.file.storage
    name = storage.save(
        job.file.field.generate_filename(job, f"{secrets.token_hex(16)}.{extension}"),
        ContentFile(output.content),
    )
    finished = _this_attempt(job).update(
        status=DraftJob.Status.DONE,
        file=name,
        content_type=output.content_type,
        size=len(output.content),
        pages=output.pages,
        finished_at=timezone.now(),
    )
    if not finished:  # handed on as lost meanwhile (or deleted): keep no orphan file
        storage.delete(name)
        return None
    job.refresh_from_db()
    _prune_drafts(job, superseded=True)
    return job


def draft_jobs_prune(*, keep=DRAFT_JOB_KEEP) -> int:
    """Delete finished drafts (rows and files) older than `keep`; the number deleted.

    Each finished draft also prunes the old ones, but on a quiet day none finishes:
    `manage.py prune_drafts` (a systemd timer) runs this on its own.
    """
    old = DraftJob.objects.exclude(status__in=DraftJob.ACTIVE).filter(
        finished_at__lt=timezone.now() - keep
    )
    names = [name for name in old.values_list("file", flat=True) if name]
    count, _deleted = old.delete()
    storage = DraftJob._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete draft file %s", name)
    return count


def _draft_failed(job: DraftJob, message: str) -> DraftJob:
    _this_attempt(job).update(
        status=DraftJob.Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )
    job.refresh_from_db()
    _prune_drafts(job, superseded=False)
    return job


def _prune_drafts(job: DraftJob, *, superseded: bool):
    """Delete finished drafts older than DRAFT_JOB_KEEP and, once `job` succeeded,
    the same user's earlier drafts of the document: at most one file per user and
    document outlives a day."""
    stale = Q(finished_at__lt=timezone.now() - DRAFT_JOB_KEEP)
    if superseded:
        stale |= Q(
            meeting=job.meeting_id,
            kind=job.kind,
            desk=job.desk_id,
            requested_by=job.requested_by_id,
            created_at__lte=job.created_at,
        )
    old = DraftJob.objects.exclude(pk=job.pk).exclude(status__in=DraftJob.ACTIVE).filter(stale)
    names = [name for name in old.values_list("file", flat=True) if name]
    old.delete()
    storage = job.file.storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete draft file %s", name)


# ---- Letterhead ----


@transaction.atomic
def office_profile_update(
    *, actor, profile: OfficeProfile, data: dict, emblem: bytes | None = None, remove_emblem=False
) -> OfficeProfile:
    """Save the letterhead; a new emblem is stored under a random name, the old file removed.

    `emblem` is checked again here (ValidationError), whatever the form did.
    """
    _check_actor(actor)
    fields = ["government", "office", "address", "contact", "city", "paper"]
    for name in fields:
        setattr(profile, name, data[name])
    if "number_patterns" in data:
        profile.number_patterns = {
            kind: numbering.check_pattern(pattern)
            for kind, pattern in data["number_patterns"].items()
        }
        fields.append("number_patterns")
    old = profile.emblem.name if profile.emblem else ""
    if emblem is not None:
        extension = "png" if check_emblem(emblem) == "image/png" else "jpg"
        profile.emblem.save(f"{secrets.token_hex(16)}.{extension}", ContentFile(emblem), save=False)
    elif remove_emblem:
        profile.emblem = ""
    profile.updated_by = actor
    profile.save(update_fields=[*fields, "emblem", "updated_by", "updated_at"])
    if old and old != (profile.emblem.name if profile.emblem else ""):
        storage = profile.emblem.storage
        transaction.on_commit(lambda: storage.delete(old))
    return profile


# ---- The whole set at once: "Finalisasi semua" and "Unduh semua (ZIP)" ----


@dataclass
class FinaliseAllResult:
    """What "Finalisasi semua" did: (title, number or message) per document."""

    finalised: list = field(default_factory=list)  # FinalDocument
    queued: list = field(default_factory=list)  # titles, rendered by the task worker
    skipped: list = field(default_factory=list)  # (title, why)


def documents_finalise_all(*, actor, meeting) -> FinaliseAllResult:
    """Finalise every document of `meeting` that can be finalised now.

    Each document on its own, as "Finalisasi" does it (not one transaction: a set of
    documents takes a while to render); large ones go to the task worker. Documents
    already final, not available yet, blocked (minutes not final) or being rendered
    are left as they are and reported with the reason.
    """
    from rakortek.documents.selectors import document_rows

    _check_actor(actor)
    result = FinaliseAllResult()
    for row in document_rows(actor, meeting):
        title = row.spec.title(meeting, row.desk)
        if not row.can_finalise:
            current = row.current
            if current is not None and not current.is_reopened:
                continue  # final already: nothing to do, nothing to report
            reason = row.blocker or (
                _("Being rendered.") if row.job and row.job.is_active else _("Not available yet.")
            )
            result.skipped.append((title, str(reason)))
            continue
        try:
            if row.background:
                document_job_enqueue(actor=actor, meeting=meeting, spec=row.spec, desk=row.desk)
                result.queued.append(title)
            else:
                result.finalised.append(
                    document_finalise(actor=actor, meeting=meeting, spec=row.spec, desk=row.desk)
                )
        except DocumentError as error:
            result.skipped.append((title, str(error)))
    return result


def documents_zip(*, user, meeting) -> tuple[bytes, list[str]]:
    """Every document of `meeting` the user may read, in one ZIP: each document's current
    final version as stored (the file its verification page knows) or, where there is
    none, a draft rendered now. Drafts that only the task worker renders (large ones)
    are left out and named in the list inside the archive. Returns the archive and
    the lines of that list."""
    import io
    import zipfile

    from rakortek.documents.selectors import document_rows

    lines, out = [], io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in document_rows(user, meeting):
            name = row.filename
            current = row.current
            if current is not None and not current.is_reopened:
                with current.file.open("rb") as stored:
                    archive.writestr(name, stored.read())
                lines.append(f"{name}: final, versi {current.version}, nomor {current.number}")
            elif not row.may_draft:
                continue
            elif draft_in_background(row.spec, meeting, row.desk):
                lines.append(
                    f"{name}: tidak disertakan (besar; unduh drafnya dari halaman dokumen)"
                )
            else:
                output = row.spec.render(meeting, row.desk, RenderOptions.create())
                stem, extension = name.rsplit(".", 1)
                name = f"{stem}-draf.{extension}"
                archive.writestr(name, output.content)
                lines.append(f"{name}: draf, dicetak {timezone.localtime():%d-%m-%Y %H.%M} WIB")
        archive.writestr("DAFTAR-ISI.txt", "\n".join([meeting.title, "", *lines, ""]))
    return out.getvalue(), lines
