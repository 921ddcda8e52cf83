"""The attendance list (daftar hadir) for the secretariat.

Every view here is secretariat-only (others get 403, anonymous visitors log
in); an unknown meeting, or a participant of another meeting, is a 404.
Signatures are served only from here, never from MEDIA_URL.
"""

import secrets
import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from meetings import selectors, services
from meetings.attendance import importing as attendance_import
from meetings.attendance.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    ParticipantFilterForm,
    ParticipantForm,
    ReplaceSignatureForm,
    SecretariatCheckInForm,
    UndoCheckInForm,
)
from meetings.models import Participant
from rakortek.core.access import secretariat_required
from rakortek.core.files import protected_file_response
from rakortek.core.qr import qr_data_uri

PAGE_SIZE = 100
IMPORT_SESSION_KEY = "participant_import"
# A preview older than this must be uploaded again.
IMPORT_MAX_AGE_SECONDS = 60 * 60


def checkin_link(request, meeting) -> str:
    """The absolute self check-in link, on the host the secretariat is using."""
    return request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.checkin_code]))


@secretariat_required
@require_safe
def attendance_list(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    desks = list(meeting.desks.select_related("field"))
    filters = ParticipantFilterForm(request.GET or None, desks=desks)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    participants = selectors.participant_list(
        meeting=meeting,
        q=criteria.get("q", ""),
        desk=criteria.get("desk", ""),
        region=criteria.get("region"),
        status=criteria.get("status", ""),
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    link = checkin_link(request, meeting)
    return render(
        request,
        "meetings/attendance/list.html",
        {
            "meeting": meeting,
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "counts": selectors.attendance_counts(meeting),
            "checkin_link": link,
            "checkin_qr": qr_data_uri(link, svg=True),
        },
    )


@secretariat_required
@require_safe
def attendance_screen(request, slug):
    """The QR code and short link, large, for the projector or the online meeting."""
    meeting = selectors.meeting_get(slug=slug)
    link = checkin_link(request, meeting)
    return render(
        request,
        "meetings/attendance/screen.html",
        {"meeting": meeting, "checkin_link": link, "checkin_qr": qr_data_uri(link, svg=True)},
    )


@secretariat_required
@require_POST
def checkin_code_rotate(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    services.checkin_code_rotate(meeting=meeting)
    messages.success(request, _("A new check-in link has been made; the old link no longer works."))
    return redirect("meetings:attendance", slug=meeting.slug)


@secretariat_required
@require_http_methods(["GET", "POST"])
def participant_create(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    form = ParticipantForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_create(meeting=meeting, created_by=request.user, **form.values())
        except services.AttendanceError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("The data has been saved."))
            if "save_and_add" in request.POST:
                return redirect("meetings:participant_create", slug=meeting.slug)
            return redirect("meetings:attendance", slug=meeting.slug)
    return render(
        request,
        "meetings/attendance/participant_form.html",
        {"meeting": meeting, "form": form, "heading": _("Add participant")},
    )


def _participant_page(request, meeting, participant, **forms):
    forms.setdefault("form", ParticipantForm(instance=participant, meeting=meeting))
    forms.setdefault("checkin_form", SecretariatCheckInForm(initial={"mode": participant.mode}))
    forms.setdefault("undo_form", UndoCheckInForm())
    forms.setdefault("signature_form", ReplaceSignatureForm())
    return render(
        request,
        "meetings/attendance/participant_form.html",
        {
            "meeting": meeting,
            "participant": participant,
            "heading": _("Edit participant"),
            "events": participant.events.select_related("actor")[:20],
            **forms,
        },
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def participant_update(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    if request.method == "POST":
        form = ParticipantForm(request.POST, instance=participant, meeting=meeting)
        if form.is_valid():
            try:
                services.participant_update(participant=participant, **form.values())
            except services.AttendanceError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, _("The data has been saved."))
                return redirect("meetings:attendance", slug=meeting.slug)
        # Re-read: a failed ModelForm has already written its values onto the instance.
        participant = selectors.participant_get(meeting=meeting, pk=pk)
        return _participant_page(request, meeting, participant, form=form)
    return _participant_page(request, meeting, participant)


@secretariat_required
@require_POST
def participant_check_in(request, slug, pk):
    """The secretariat records someone as present, with a signature if they signed its tablet."""
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    form = SecretariatCheckInForm(request.POST)
    if form.is_valid():
        try:
            services.participant_check_in(
                participant=participant,
                via=Participant.Via.SECRETARIAT,
                actor=request.user,
                signature=form.cleaned_data["signature"],
                mode=form.cleaned_data["mode"],
            )
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s is recorded as present.") % {"name": participant})
        return redirect("meetings:participant_update", slug=meeting.slug, pk=participant.pk)
    return _participant_page(request, meeting, participant, checkin_form=form)


@secretariat_required
@require_POST
def participant_check_in_undo(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    form = UndoCheckInForm(request.POST)
    if form.is_valid():
        try:
            services.participant_check_in_undo(
                participant=participant, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The check-in has been undone."))
        return redirect("meetings:participant_update", slug=meeting.slug, pk=participant.pk)
    return _participant_page(request, meeting, participant, undo_form=form)


@secretariat_required
@require_POST
def participant_signature_replace(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    form = ReplaceSignatureForm(request.POST)
    if form.is_valid():
        try:
            services.participant_signature_replace(
                participant=participant,
                actor=request.user,
                signature=form.cleaned_data["signature"],
                reason=form.cleaned_data["reason"],
            )
        except services.AttendanceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The signature has been replaced."))
        return redirect("meetings:participant_update", slug=meeting.slug, pk=participant.pk)
    return _participant_page(request, meeting, participant, signature_form=form)


@secretariat_required
@require_GET
def participant_signature(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    if not participant.signature:
        raise Http404
    response = protected_file_response(participant.signature, content_type="image/png")
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, max-age=300"
    return response


@secretariat_required
@require_http_methods(["GET", "POST"])
def participant_delete(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    participant = selectors.participant_get(meeting=meeting, pk=pk)
    if request.method == "POST":
        services.participant_delete(participant=participant)
        messages.success(request, _("The data has been deleted."))
        return redirect("meetings:attendance", slug=meeting.slug)
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "object": f"{participant.name} · {participant.office}",
            "heading": _("Delete participant"),
            "cancel_url": reverse(
                "meetings:participant_update", args=[meeting.slug, participant.pk]
            ),
        },
    )


# ---- Import ----


@secretariat_required
@require_GET
def attendance_import_template(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    response = HttpResponse(
        attendance_import.build_template(), content_type=attendance_import.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="daftar-hadir-{meeting.slug}.xlsx"'
    return response


@secretariat_required
@require_http_methods(["GET", "POST"])
def attendance_import_start(request, slug):
    """Upload a list and see every row checked; nothing is saved on this page."""
    meeting = selectors.meeting_get(slug=slug)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    results, confirm = None, None
    if request.method == "POST" and form.is_valid():
        results = attendance_import.check_rows(form.table, meeting)
        request.session.pop(IMPORT_SESSION_KEY, None)
        if all(result.is_valid for result in results):
            token = secrets.token_urlsafe(16)
            request.session[IMPORT_SESSION_KEY] = {
                "token": token,
                "meeting": meeting.pk,
                "user": request.user.pk,
                "created": time.time(),
                "rows": attendance_import.to_session(results),
            }
            confirm = ImportConfirmForm(initial={"token": token})
    return render(
        request,
        "meetings/attendance/import.html",
        {
            "meeting": meeting,
            "form": form,
            "results": results,
            "confirm": confirm,
            "error_count": sum(1 for r in results or [] if not r.is_valid),
            "ignored_headers": form.table.ignored_headers if form.table else [],
        },
    )


@secretariat_required
@require_POST
def attendance_import_confirm(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    form = ImportConfirmForm(request.POST)
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    fresh = time.time() - pending.get("created", 0) < IMPORT_MAX_AGE_SECONDS
    if not (
        form.is_valid()
        and fresh
        and secrets.compare_digest(str(pending.get("token", "")), form.cleaned_data["token"])
        and pending.get("meeting") == meeting.pk
        and pending.get("user") == request.user.pk
    ):
        messages.error(request, _("This import has expired. Upload the file again."))
        return redirect("meetings:attendance_import", slug=meeting.slug)
    del request.session[IMPORT_SESSION_KEY]
    try:
        rows = attendance_import.from_session(pending["rows"], meeting)
        created = services.participants_import(meeting=meeting, rows=rows, created_by=request.user)
    except (KeyError, ValidationError, services.AttendanceError) as exc:
        message = str(exc) if isinstance(exc, services.AttendanceError) else ""
        messages.error(
            request,
            _("Nothing was imported: the list changed meanwhile. Upload the file again.")
            + (f" {message}" if message else ""),
        )
        return redirect("meetings:attendance_import", slug=meeting.slug)
    messages.success(
        request,
        ngettext(
            "%(count)s participant has been added.",
            "%(count)s participants have been added.",
            len(created),
        )
        % {"count": len(created)},
    )
    return redirect("meetings:attendance", slug=meeting.slug)
