import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rakortek.core.access import secretariat_required
from rakortek.core.confirm import confirm_with_reason
from rakortek.core.files import protected_file_response
from rakortek.core.worker import recover_lost_tasks
from rakortek.documents.access import (
    Scope,
    check_scope,
    final_document_for_user,
    meeting_for_documents,
)
from rakortek.documents.catalog import BY_KIND
from rakortek.documents.forms import OfficeProfileForm, ReopenForm
from rakortek.documents.models import DraftJob, FinalDocument, OfficeProfile, RenderJob
from rakortek.documents.rendering import RenderOptions
from rakortek.documents.selectors import (
    document_rows,
    job_for_user,
    needs_background,
    spec_and_desk,
)
from rakortek.documents.services import (
    DocumentError,
    document_finalise,
    document_job_enqueue,
    document_reopen,
    documents_finalise_all,
    documents_zip,
    draft_in_background,
    draft_job_enqueue,
    office_profile_update,
)
from rakortek.documents.signing import read_signature, stored_signature

MAX_CHECK_BYTES = 30 * 1024 * 1024


def _recover_if_rendering(jobs) -> bool:
    """Before showing a job as rendering, hand on the tasks of workers that died.

    The workers sweep too; this covers the case where none is running at all,
    so a page never shows "rendering" for a job whose worker is gone. True if
    any task was handed on (the caller reloads its rows).
    """
    if not jobs.filter(status=RenderJob.Status.RUNNING).exists():
        return False
    return bool(recover_lost_tasks())


@require_http_methods(["GET", "POST"])
def verify(request, code):
    """Public: what was finalised under this code, and whether it is still the current version.

    Shows metadata only. Whoever holds a file can also upload it to compare its
    fingerprint; the file is hashed and discarded, never stored.
    """
    document = get_object_or_404(
        FinalDocument.objects.select_related("meeting", "desk__field", "finalised_by"),
        verification_code=code,
    )
    current = (
        document
        if document.is_current
        else FinalDocument.objects.filter(
            meeting=document.meeting, kind=document.kind, desk=document.desk, is_current=True
        ).first()
    )
    match = None
    uploaded_signature = None
    if request.method == "POST" and request.FILES.get("file"):
        uploaded = request.FILES["file"]
        if uploaded.size <= MAX_CHECK_BYTES:
            content = b"".join(uploaded.chunks())
            match = hashlib.sha256(content).hexdigest() == document.sha256
            # The copy's own signature: a copy that is not identical may still be
            # signed (by someone else), or show that it was altered after signing.
            uploaded_signature = read_signature(content) if not match else None
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "current": current,
            "match": match,
            "signature": stored_signature(document),
            "uploaded_signature": uploaded_signature,
        },
    )


def _page_url(meeting, anchor=""):
    url = reverse("documents:meeting", kwargs={"slug": meeting.slug})
    return f"{url}#{anchor}" if anchor else url


def _anchor(spec, desk):
    return f"dokumen-{spec.key}" + (f"-{desk.field.slug}" if desk else "")


@login_required
@require_GET
def meeting_documents(request, slug):
    """The official documents of a meeting, each as far as the user may see it."""
    meeting = meeting_for_documents(request.user, slug)
    rows = document_rows(request.user, meeting)
    rendering = [
        row.job.pk for row in rows if row.job and row.job.status == RenderJob.Status.RUNNING
    ]
    if rendering and _recover_if_rendering(RenderJob.objects.filter(pk__in=rendering)):
        rows = document_rows(request.user, meeting)
    return render(
        request,
        "documents/meeting_documents.html",
        {
            "meeting": meeting,
            "rows": rows,
            "reopen_form": ReopenForm(),
            "may_finalise": request.user.is_secretariat,
        },
    )


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def document_draft(request, slug, key, field_slug=None):
    """Unduh PDF: the document as it stands now, marked DRAF.

    Rendered in the request, except a large PDF: that is queued for the task
    worker (or the user's job already queued is reused) and the user follows it
    on the draft's job page.
    """
    meeting = meeting_for_documents(request.user, slug)
    spec, desk = spec_and_desk(meeting, key, field_slug)
    check_scope(request.user, spec.kind, desk, Scope.DRAFT)
    if not spec.is_available(meeting, desk):
        messages.error(request, _("This document cannot be made yet."))
        return redirect(_page_url(meeting, _anchor(spec, desk)))
    if draft_in_background(spec, meeting, desk):
        try:
            job = draft_job_enqueue(actor=request.user, meeting=meeting, spec=spec, desk=desk)
        except DocumentError as error:
            messages.error(request, str(error))
            return redirect(_page_url(meeting, _anchor(spec, desk)))
        return redirect(job)
    output = spec.render(meeting, desk, RenderOptions.create())
    stem, extension = spec.filename(desk).rsplit(".", 1)
    return _attachment(
        output.content, output.content_type, f"{meeting.slug}-{stem}-draf.{extension}"
    )


@login_required
@require_POST
def document_finalise_view(request, slug, key, field_slug=None):
    """Finalisasi: render once, number, fingerprint and store; large documents in the worker."""
    meeting = meeting_for_documents(request.user, slug)
    spec, desk = spec_and_desk(meeting, key, field_slug)
    check_scope(request.user, spec.kind, desk, Scope.ALL)
    try:
        if needs_background(spec, meeting, desk):
            document_job_enqueue(actor=request.user, meeting=meeting, spec=spec, desk=desk)
            messages.info(
                request,
                _("The document is large and is being rendered in the background."),
            )
        else:
            document = document_finalise(actor=request.user, meeting=meeting, spec=spec, desk=desk)
            messages.success(
                request,
                _("Final version %(version)d stored as %(number)s.")
                % {"version": document.version, "number": document.number},
            )
    except DocumentError as error:
        messages.error(request, str(error))
    return redirect(_page_url(meeting, _anchor(spec, desk)))


def _meeting_for_secretariat(user, slug):
    """The meeting's documents for the whole set: 404 outside, 403 for any other role."""
    meeting = meeting_for_documents(user, slug)
    if not user.is_secretariat:
        raise PermissionDenied
    return meeting


@login_required
@require_POST
def documents_finalise_all_view(request, slug):
    """Finalisasi semua: every document that can be finalised now; large ones in the worker."""
    meeting = _meeting_for_secretariat(request.user, slug)
    result = documents_finalise_all(actor=request.user, meeting=meeting)
    if result.finalised:
        messages.success(
            request,
            _("Finalised: %(documents)s.")
            % {"documents": "; ".join(f"{d.title} ({d.number})" for d in result.finalised)},
        )
    if result.queued:
        messages.info(
            request,
            _("Being rendered in the background: %(documents)s.")
            % {"documents": "; ".join(result.queued)},
        )
    if result.skipped:
        messages.warning(
            request,
            _("Not finalised: %(documents)s.")
            % {"documents": "; ".join(f"{title} ({why})" for title, why in result.skipped)},
        )
    if not (result.finalised or result.queued or result.skipped):
        messages.info(request, _("Every document is already final."))
    return redirect(_page_url(meeting))


@login_required
@require_GET
def documents_zip_view(request, slug):
    """Unduh semua (ZIP): each document's final version, or a draft where there is none."""
    meeting = _meeting_for_secretariat(request.user, slug)
    content, _lines = documents_zip(user=request.user, meeting=meeting)
    return _attachment(content, "application/zip", f"{meeting.slug}-dokumen.zip")


@login_required
@require_http_methods(["GET", "POST"])
def document_reopen_view(request, pk):
    """Buka kembali: with a reason, which the next version records."""
    document = final_document_for_user(request.user, pk)
    check_scope(request.user, document.kind, document.desk, Scope.ALL)
    documents_page = reverse("documents:meeting", kwargs={"slug": document.meeting.slug})
    return confirm_with_reason(
        request,
        ReopenForm(request.POST or None),
        act=lambda data: document_reopen(
            actor=request.user, document=document, reason=data["reason"]
        ),
        refusals=(DocumentError,),
        success=_("The document is reopened; finalise it again to issue a new version."),
        next_url=_page_url(document.meeting, _anchor_for_document(document)),
        cancel_url=documents_page,
        back_url=documents_page,
        back_label=_("Official documents"),
        title=_("Reopen document"),
        subject=document.title,
        subject_note=document.number,
        intro=_(
            "The final version stays valid until it is finalised again; the new version "
            "records this reason."
        ),
        submit=_("Reopen"),
    )


def _anchor_for_document(document):
    return _anchor(BY_KIND[document.kind], document.desk)


@login_required
@require_GET
def document_download(request, pk):
    """A stored final version, from storage through this access check (never MEDIA_URL)."""
    document = final_document_for_user(request.user, pk)
    stem, extension = BY_KIND[document.kind].filename(document.desk).rsplit(".", 1)
    response = protected_file_response(
        document.file,
        as_attachment=True,
        filename=f"{document.meeting.slug}-{stem}-v{document.version}.{extension}",
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
@never_cache
def render_job_status(request, pk):
    """The progress of a background rendering, polled by htmx until it has finished."""
    job = job_for_user(request.user, pk)
    if _recover_if_rendering(RenderJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    response = render(
        request,
        "documents/_job.html",
        {"job": job, "polling": True, "retry_url": _document_url("finalise", job)},
    )
    if not job.is_active and request.headers.get("HX-Request"):
        # Finished: reload the page so the new version (or the error) shows in its row.
        response["HX-Refresh"] = "true"
    return response


def _document_url(name: str, job) -> str:
    """The finalise or draft URL of the document a job renders ("Coba lagi")."""
    kwargs = {"slug": job.meeting.slug, "key": BY_KIND[job.kind].key}
    if job.desk is not None:
        kwargs["field_slug"] = job.desk.field.slug
    return reverse(f"documents:{name}", kwargs=kwargs)


def _draft_job_for_user(user, pk) -> DraftJob:
    """A draft job of `user` they may still read as a draft; anyone else's is 404."""
    try:
        job = DraftJob.objects.select_related("meeting", "desk__field").get(
            pk=pk, requested_by=user
        )
    except (DraftJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting_for_documents(user, job.meeting.slug)
    check_scope(user, job.kind, job.desk, Scope.DRAFT)
    return job


@login_required
@require_GET
@never_cache
def draft_job_status(request, pk):
    """A large draft being prepared in the worker; polled by htmx, then its download."""
    job = _draft_job_for_user(request.user, pk)
    if _recover_if_rendering(DraftJob.objects.filter(pk=job.pk)):
        job.refresh_from_db()
    spec = BY_KIND[job.kind]
    context = {
        "job": job,
        "retry_url": _document_url("draft", job),
        "title": spec.title(job.meeting, job.desk),
        "filename": _draft_filename(job),
        "back_url": _page_url(job.meeting, _anchor(spec, job.desk)),
        "polling": True,
    }
    if request.headers.get("HX-Request"):
        return render(request, "documents/_draft_job.html", context)
    return render(request, "documents/draft_job.html", context)


def _draft_filename(job: DraftJob) -> str:
    stem, extension = BY_KIND[job.kind].filename(job.desk).rsplit(".", 1)
    return f"{job.meeting.slug}-{stem}-draf.{extension}"


@login_required
@require_GET
def draft_job_download(request, pk):
    """The rendered draft of a finished job, through the same checks as the draft itself."""
    job = _draft_job_for_user(request.user, pk)
    if job.is_active:
        return redirect(job)
    if not job.is_ready:
        raise Http404
    response = protected_file_response(
        job.file,
        as_attachment=True,
        filename=_draft_filename(job),
        content_type=job.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@secretariat_required
@require_http_methods(["GET", "POST"])
def office_profile(request):
    """Kop surat: the letterhead and default paper of every document."""
    profile = OfficeProfile.load()
    form = OfficeProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            office_profile_update(
                actor=request.user,
                profile=profile,
                data=form.cleaned_data,
                emblem=form.cleaned_data.get("emblem"),
                remove_emblem=form.cleaned_data.get("remove_emblem", False),
            )
        except ValidationError as error:
            form.add_error("emblem", error)
        else:
            messages.success(request, _("Data saved successfully."))
            return redirect("documents:office_profile")
    return render(request, "documents/office_profile.html", {"form": form, "profile": profile})


@secretariat_required
@require_GET
def office_emblem(request):
    """The stored emblem, for the letterhead page (media is served only through the app)."""
    profile = OfficeProfile.load()
    if not profile.emblem:
        raise Http404
    content_type = "image/png" if profile.emblem.name.endswith(".png") else "image/jpeg"
    response = protected_file_response(profile.emblem, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
