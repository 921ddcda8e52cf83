"""Uploading, viewing and deleting an issue's supporting files.

Files are never served from MEDIA_URL: every download passes the same access
check as the issue itself (404 outside the user's scope).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from issues.selectors import get_issue_for_user
from issues.submission.attachments import AttachmentForm, attachment_delete, attachments_add
from issues.submission.attachments import may_change_attachments as _may_change
from rakortek.core.files import protected_file_response

# Nothing in a served file may run or load anything. Chromium shows a PDF through
# an embedded viewer in a page with inline styles, which needs object-src and
# style-src; a PDF response carries no HTML of its own for them to apply to.
FILE_CSP = "default-src 'none'; frame-ancestors 'none'"
PDF_CSP = "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
INLINE_TYPES = {"image/jpeg", "image/png", "application/pdf"}


def _get_writable_issue(user, pk):
    """The issue if `user` may add or delete its files now: 404 outside scope, 403 otherwise."""
    issue = get_issue_for_user(user, pk, write=True)
    if not _may_change(user, issue):
        raise PermissionDenied
    return issue


@login_required
def attachment_upload(request, pk):
    """The upload form of the issue page posts here; shown alone (GET, or with errors)."""
    issue = _get_writable_issue(request.user, pk)
    if request.method != "POST":
        form = AttachmentForm(issue=issue)
    else:
        form = AttachmentForm(request.POST, request.FILES, issue=issue)
    if request.method == "POST" and form.is_valid():
        try:
            added = attachments_add(
                issue=issue,
                files=form.cleaned_data["files"],
                user=request.user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            form.add_error("files", error)
        else:
            messages.success(
                request,
                ngettext("%(count)s file attached.", "%(count)s files attached.", len(added))
                % {"count": len(added)},
            )
            return redirect(f"{issue.get_absolute_url()}#lampiran")
    return render(
        request,
        "issues/submission/attachments/upload.html",
        {"issue": issue, "attachment_form": form},
    )


@login_required
def attachment_delete_view(request, pk, attachment_pk):
    issue = _get_writable_issue(request.user, pk)
    attachment = get_object_or_404(issue.attachments, pk=attachment_pk)
    if request.method == "POST":
        attachment_delete(attachment=attachment, user=request.user)
        messages.success(request, _("The file has been deleted."))
        return redirect(f"{issue.get_absolute_url()}#lampiran")
    return render(
        request,
        "issues/submission/attachments/confirm_delete.html",
        {"issue": issue, "attachment": attachment},
    )


def _attachment_for(request, pk, attachment_pk):
    issue = get_issue_for_user(request.user, pk)
    return get_object_or_404(issue.attachments, pk=attachment_pk)


def _file_response(stored_file, *, content_type, filename, inline):
    response = protected_file_response(
        stored_file, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        PDF_CSP if content_type == "application/pdf" else FILE_CSP
    )
    # Behind a login: a shared cache must not keep it.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def download_name(attachment):
    """The user's name for the file, with the extension of the type actually stored."""
    stem, dot, _extension = attachment.original_name.rpartition(".")
    stem = stem if dot else attachment.original_name
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return f"{stem or 'lampiran'}.{extension}"


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    attachment = _attachment_for(request, pk, attachment_pk)
    inline = attachment.content_type in INLINE_TYPES and "unduh" not in request.GET
    return _file_response(
        attachment.file,
        content_type=attachment.content_type,
        filename=download_name(attachment),
        inline=inline,
    )


@login_required
@require_GET
def attachment_thumbnail(request, pk, attachment_pk):
    attachment = _attachment_for(request, pk, attachment_pk)
    if not attachment.thumbnail:
        raise Http404
    stem = download_name(attachment).rsplit(".", 1)[0]
    return _file_response(
        attachment.thumbnail, content_type="image/jpeg", filename=f"{stem}-kecil.jpg", inline=True
    )
