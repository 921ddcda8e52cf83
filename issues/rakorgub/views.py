"""The RAKORGUB package of a RAKORTEK: forwarding, the package page, and the
secretariat's corrections and signing record.

Every active account reads a forwarded package (issues.rakorgub.services.package_for);
every write is the secretariat's (403 for anyone else, 404 for what they may not
read). Each write page is a plain form: GET shows it, POST makes one service
call and returns to the package page; a refusal is shown on the form with what
was typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from issues.agreement.services import meeting_point_groups
from issues.models import PackageChange, PackagePoint, PackageSignatory, RakorgubPackage
from issues.rakorgub import services as rakorgub
from issues.rakorgub.forms import (
    ForwardForm,
    PointAmendForm,
    ReasonForm,
    ScanForm,
    SignatoryForm,
    SignForm,
)
from issues.rakorgub.services import PackageError
from issues.submission.views_attachments import _file_response
from meetings.models import Meeting
from meetings.services import meeting_create
from meetings.setup.forms import RakorgubForm

C = PackageChange.Kind
SCAN_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


def _rakortek(slug) -> Meeting:
    return get_object_or_404(Meeting, slug=slug, kind=Meeting.Kind.RAKORTEK)


def _package_url(meeting, anchor=""):
    url = reverse("issues:package", kwargs={"slug": meeting.slug})
    return f"{url}#{anchor}" if anchor else url


def _writable(request, slug) -> RakorgubPackage:
    """The package for a write: 404 when the user may not read it, 403 unless secretariat."""
    return rakorgub.package_for(request.user, _rakortek(slug), write=True)


def _refusal(form, error):
    """Show a refusal of the service on the form, next to the field it names if any."""
    if isinstance(error, PackageError):
        form.add_error(None, str(error.message))
    elif hasattr(error, "error_dict") and set(error.error_dict) <= set(form.fields):
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)


def _form_page(request, package, form, *, title, submit, intro="", danger=False, **extra):
    return render(
        request,
        "issues/rakorgub/form.html",
        {
            "package": package,
            "meeting": package.meeting,
            "form": form,
            "title": title,
            "submit": submit,
            "intro": intro,
            "danger": danger,
            "multipart": form.is_multipart(),
            "cancel_url": _package_url(package.meeting),
            **extra,
        },
    )


# ---- The package page ----


def _groups(points):
    """Points grouped by field in number order (each desk's points are consecutive)."""
    groups = []
    for point in points:
        if not groups or groups[-1]["desk"].pk != point.desk_id:
            groups.append({"desk": point.desk, "points": []})
        groups[-1]["points"].append(point)
    return groups


FIELD_LABELS = {
    "text": gettext_lazy("What is agreed"),
    "responsible": gettext_lazy("Responsible"),
    "due": gettext_lazy("When"),
    "target_date": gettext_lazy("Target date"),
    "official_name": gettext_lazy("Name of the official"),
    "status": gettext_lazy("Status"),
    "signed_by_name": gettext_lazy("Signed by"),
    "signed_by_position": gettext_lazy("Position"),
    "stood_in": gettext_lazy("Stand-in"),
}


def _shown(name, value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "status" and value:
        return str(dict(PackageSignatory.Status.choices).get(value, value))
    return value


def _change_rows(change):
    """(label, before, after) of each field a change touched."""
    before = change.detail.get("before") or {}
    after = change.detail.get("after") or {}
    return [
        {
            "label": FIELD_LABELS.get(name, name),
            "before": _shown(name, before.get(name)),
            "after": _shown(name, after.get(name)),
        }
        for name in after
    ]


def _preview(request, meeting, *, form=None, rakorgub_form=None):
    """The package page before forwarding (secretariat only): what blocks forwarding,
    the RAKORGUB to record when there is none yet, and the points that will go."""
    following = rakorgub.rakorgub_of(meeting)
    if following is None and rakorgub_form is None:
        rakorgub_form = RakorgubForm(follows=meeting)
    return render(
        request,
        "issues/rakorgub/preview.html",
        {
            "meeting": meeting,
            "groups": meeting_point_groups(meeting),
            "blocker": rakorgub.forward_blocker(meeting),
            "rakorgub": following,
            "form": form or ForwardForm(),
            "rakorgub_form": rakorgub_form if following is None else None,
        },
    )


@login_required
@require_GET
def package(request, slug):
    meeting = _rakortek(slug)
    package = rakorgub.package_of(meeting)
    if package is None:
        if not request.user.is_secretariat:
            raise Http404
        return _preview(request, meeting)
    package = rakorgub.package_for(request.user, meeting)
    points = list(rakorgub.package_points(package))
    changes = list(rakorgub.package_history(package))
    dropped_reasons = {}
    for change in changes:
        change.rows = _change_rows(change)
        if change.kind == C.DROPPED and change.point_id not in dropped_reasons:
            dropped_reasons[change.point_id] = change.reason
    for point in points:
        point.drop_reason = dropped_reasons.get(point.pk, "")
    can_write = request.user.is_secretariat
    return render(
        request,
        "issues/rakorgub/package.html",
        {
            "meeting": meeting,
            "package": package,
            "groups": _groups(points),
            "signatories": list(package.signatories.select_related("recorded_by")),
            "changes": changes,
            "intact": rakorgub.package_integrity(package),
            "can_write": can_write,
            "can_reopen": can_write and package.is_signed and not rakorgub.has_followup(package),
        },
    )


# ---- Forwarding ----


@login_required
@require_http_methods(["GET", "POST"])
def package_forward(request, slug):
    meeting = _rakortek(slug)
    if not request.user.is_secretariat:
        raise PermissionDenied
    if rakorgub.package_of(meeting) is not None:
        messages.info(request, _("The agreement points are already forwarded."))
        return redirect(_package_url(meeting))
    form = ForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rakorgub.package_forward(
                actor=request.user, meeting=meeting, note=form.cleaned_data["note"]
            )
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The agreement points are forwarded to RAKORGUB."))
            return redirect(_package_url(meeting))
    return _preview(request, meeting, form=form)


@login_required
@require_http_methods(["POST"])
def package_rakorgub_create(request, slug):
    """Record the RAKORGUB that follows this RAKORTEK, from its package page."""
    meeting = _rakortek(slug)
    if not request.user.is_secretariat:
        raise PermissionDenied
    if rakorgub.rakorgub_of(meeting) is not None:
        messages.info(request, _("The RAKORGUB of this meeting is already recorded."))
        return redirect(_package_url(meeting))
    form = RakorgubForm(request.POST, follows=meeting)
    if form.is_valid():
        try:
            following = meeting_create(
                created_by=request.user,
                kind=Meeting.Kind.RAKORGUB,
                year=meeting.year,
                follows=meeting,
                status=Meeting.Status.ACTIVE,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _("%(title)s on %(date)s is recorded.")
                % {
                    "title": following.title,
                    "date": date_format(localtime(following.starts_at), "j F Y"),
                },
            )
            return redirect(_package_url(meeting))
    return _preview(request, meeting, rakorgub_form=form)


# ---- Points ----


def _point(package, pk) -> PackagePoint:
    return get_object_or_404(package.points.select_related("desk__field"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def point_amend(request, slug, pk):
    package = _writable(request, slug)
    point = _point(package, pk)
    initial = {"text": point.text, "responsible": point.responsible, "due": point.due}
    form = PointAmendForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            rakorgub.point_amend(actor=request.user, point=point, data=data, reason=reason)
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The point is amended."))
            return redirect(_package_url(package.meeting, f"butir-{point.pk}"))
    return _form_page(
        request,
        package,
        form,
        title=_("Amend point %(number)s") % {"number": point.number},
        submit=_("Save the amendment"),
        point=point,
    )


def _drop_or_restore(request, slug, pk, *, drop):
    package = _writable(request, slug)
    point = _point(package, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = rakorgub.point_drop if drop else rakorgub.point_restore
        try:
            service(actor=request.user, point=point, reason=form.cleaned_data["reason"])
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(
                request, _("The point is dropped.") if drop else _("The point is restored.")
            )
            return redirect(_package_url(package.meeting, f"butir-{point.pk}"))
    if drop:
        title = _("Drop point %(number)s") % {"number": point.number}
        intro = _(
            "A point the RAKORGUB did not sign stays in the package, struck through, "
            "and is not followed up."
        )
    else:
        title = _("Restore point %(number)s") % {"number": point.number}
        intro = ""
    return _form_page(
        request,
        package,
        form,
        title=title,
        intro=intro,
        submit=_("Drop the point") if drop else _("Restore the point"),
        danger=drop,
        point=point,
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_drop(request, slug, pk):
    return _drop_or_restore(request, slug, pk, drop=True)


@login_required
@require_http_methods(["GET", "POST"])
def point_restore(request, slug, pk):
    return _drop_or_restore(request, slug, pk, drop=False)


# ---- Signing ----


@login_required
@require_http_methods(["GET", "POST"])
def signatory(request, slug, pk):
    package = _writable(request, slug)
    signatory = get_object_or_404(package.signatories, pk=pk)
    initial = {
        "official_name": signatory.official_name,
        "status": signatory.status,
        "signed_by_name": signatory.signed_by_name or signatory.official_name,
        "signed_by_position": signatory.signed_by_position,
        "stood_in": signatory.stood_in,
    }
    form = SignatoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rakorgub.signatory_record(actor=request.user, signatory=signatory, **form.cleaned_data)
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The signatory is recorded."))
            return redirect(_package_url(package.meeting, "penanda-tangan"))
    return _form_page(
        request,
        package,
        form,
        title=_("Record the signatory: %(office)s") % {"office": signatory.office},
        submit=_("Save"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scan_upload(request, slug):
    package = _writable(request, slug)
    form = ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            rakorgub.package_scan_upload(
                actor=request.user, package=package, uploaded_file=form.cleaned_data["file"]
            )
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(request, _("The signed scan is uploaded."))
            return redirect(_package_url(package.meeting, "pindaian"))
    intro = ""
    if package.signed_scan:
        intro = _("The scan uploaded now replaces %(name)s.") % {"name": package.signed_scan_name}
    return _form_page(
        request, package, form, title=_("Upload the signed scan"), submit=_("Upload"), intro=intro
    )


@login_required
@require_http_methods(["GET", "POST"])
def sign(request, slug):
    package = _writable(request, slug)
    initial = {"signed_on": package.signed_on or package.held_on}
    form = SignForm(request.POST or None, initial=initial, held_on=package.held_on)
    if request.method == "POST" and form.is_valid():
        try:
            rakorgub.package_sign(
                actor=request.user, package=package, signed_on=form.cleaned_data["signed_on"]
            )
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(
                request, _("The package is recorded as signed; its follow-up is open.")
            )
            return redirect(_package_url(package.meeting))
    return _form_page(
        request,
        package,
        form,
        title=_("Record the package as signed"),
        intro=_(
            "Needs the signed scan, the Governor's signature (in person or by a stand-in) "
            "and every signatory recorded. The follow-up of the points opens afterwards."
        ),
        submit=_("Mark as signed (Ditandatangani)"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def signing_reopen(request, slug):
    package = _writable(request, slug)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rakorgub.package_signing_reopen(
                actor=request.user, package=package, reason=form.cleaned_data["reason"]
            )
        except (PackageError, ValidationError) as error:
            _refusal(form, error)
        else:
            messages.success(
                request, _("The signing record is reopened; the package is Diteruskan again.")
            )
            return redirect(_package_url(package.meeting))
    return _form_page(
        request,
        package,
        form,
        title=_("Reopen the signing record"),
        intro=_(
            "The package goes back to Diteruskan so that the signatories, the scan or the "
            "date can be corrected. Not possible once follow-up has been reported."
        ),
        submit=_("Reopen"),
        danger=True,
    )


# ---- The signed scan ----


@login_required
@require_GET
def scan_download(request, pk):
    package = get_object_or_404(RakorgubPackage.objects.select_related("meeting"), pk=pk)
    package = rakorgub.package_for(request.user, package.meeting)
    if not package.signed_scan:
        raise Http404
    extension = package.signed_scan.name.rsplit(".", 1)[-1].lower()
    stem, dot, _extension = package.signed_scan_name.rpartition(".")
    stem = (stem if dot else package.signed_scan_name) or "pindaian"
    return _file_response(
        package.signed_scan,
        content_type=SCAN_TYPES.get(extension, "application/octet-stream"),
        filename=f"{stem}.{extension}",
        inline=False,
    )
