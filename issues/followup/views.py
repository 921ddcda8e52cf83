"""The follow-up (tindak lanjut) of the signed agreement points.

Every active account reads the follow-up (the points are signed in public);
reports and target dates are written by those issues.followup.services allows (403 for
the others). Every form is a plain post that works without a script.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from issues.followup import services as followup
from issues.followup.forms import FollowUpForm, TargetForm
from issues.models import FollowUpEvidence, FollowUpUpdate, PackagePoint
from issues.submission.views_attachments import INLINE_TYPES, _file_response, download_name
from meetings.models import Meeting
from rakortek.core.access import secretariat_required

S = PackagePoint.Status
REPORT_FIELDS = {"status", "progress", "reported_on", "note", "evidence"}


def _packages_for(user):
    packages = followup.signed_packages().order_by("-rakorgub__starts_at", "-pk")
    if not user.is_secretariat:
        packages = packages.exclude(meeting__status=Meeting.Status.DRAFT)
    return list(packages)


def _filtered(points, params, mine_ids):
    field, region = params.get("bidang", ""), params.get("wilayah", "")
    status, overdue, mine = params.get("status", ""), params.get("lewat"), params.get("saya")
    if field:
        points = [p for p in points if p.desk.field.slug == field]
    if region:
        points = [p for p in points if any(r.slug == region for r in p.regions.all())]
    if status in S.values:
        points = [p for p in points if p.status == status]
    if overdue:
        points = [p for p in points if p.overdue]
    if mine:
        points = [p for p in points if p.pk in mine_ids]
    return points


@login_required
@require_GET
def overview(request):
    """The follow-up of one signed package: counts by status, by field and by region,
    overdue points marked, and the points with filters."""
    packages = _packages_for(request.user)
    chosen = request.GET.get("rapat", "")
    package = next((p for p in packages if p.meeting.slug == chosen), None)
    if chosen and package is None:
        raise Http404
    package = package or (packages[0] if packages else None)
    context = {"packages": packages, "package": package, "statuses": S.choices}
    if package is None and request.user.is_secretariat:
        context["latest_meeting"] = (
            Meeting.objects.filter(kind=Meeting.Kind.RAKORTEK).order_by("-starts_at").first()
        )
    if package is not None:
        result = followup.overview(package)
        mine_ids = set(
            followup.points_user_may_update(
                request.user, followup.followed_points().filter(package=package)
            ).values_list("pk", flat=True)
        )
        for point in result.points:
            point.mine = point.pk in mine_ids
        points = _filtered(result.points, request.GET, mine_ids)
        context.update(
            result=result,
            points=points,
            filtered=len(points) != len(result.points),
            may_update_any=bool(mine_ids),
            params=request.GET,
        )
    return render(request, "issues/followup/overview.html", context)


def _point_page(request, point, form, *, status=200):
    updates = (
        FollowUpUpdate.objects.filter(point=point)
        .select_related("author")
        .prefetch_related(Prefetch("evidence", queryset=FollowUpEvidence.objects.order_by("id")))
    )
    source_issues = point.source_issues.select_related("region", "desk__field").order_by("number")
    changes = point.changes.select_related("actor")
    return render(
        request,
        "issues/followup/point.html",
        {
            "point": point,
            "package": point.package,
            "regions": point.regions.order_by("kemendagri_code"),
            "source_issues": source_issues,
            "updates": updates,
            "changes": changes,
            "overdue": point.is_overdue(),
            "form": form,
            "may_update": form is not None,
            "may_set_target": followup.may_set_target(request.user, point),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_detail(request, pk):
    """A point and its reports; the report form for those who may report."""
    point = followup.point_for(request.user, pk, write=request.method == "POST")
    if not point.package.is_signed and request.method == "GET":
        # A forwarded point that is not signed has no follow-up yet: shown read-only.
        return _point_page(request, point, None)
    if request.method != "POST":
        form = FollowUpForm(point=point) if followup.may_update(request.user, point) else None
        return _point_page(request, point, form)
    form = FollowUpForm(request.POST, request.FILES, point=point)
    if form.is_valid():
        data = form.cleaned_data
        try:
            followup.followup_record(
                actor=request.user,
                point=point,
                status=data["status"],
                progress=data["progress"],
                reported_on=data["reported_on"],
                note=data["note"],
                files=data["evidence"],
                version=data["version"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in REPORT_FIELDS else None, errors)
        except followup.FollowUpError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your report has been recorded."))
            return redirect("issues:followup_point", pk=point.pk)
    if request.FILES:
        form.add_error(
            "evidence",
            _("The report was not recorded: choose the files again before you send it."),
        )
    return _point_page(request, point, form)


@login_required
@require_http_methods(["GET", "POST"])
def point_target(request, pk):
    """Set or change a point's target date (the secretariat, or a desk head of its field)."""
    point = followup.point_for(request.user, pk)
    if not followup.may_set_target(request.user, point):
        raise PermissionDenied
    initial = {"target_date": point.target_date}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            followup.followup_set_target(
                actor=request.user,
                point=point,
                target_date=form.cleaned_data["target_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The target date has been changed."))
            return redirect("issues:followup_point", pk=point.pk)
    return render(request, "issues/followup/target.html", {"point": point, "form": form})


def _evidence_for(user, pk):
    try:
        evidence = FollowUpEvidence.objects.select_related("update").get(pk=pk)
    except FollowUpEvidence.DoesNotExist:
        raise Http404 from None
    followup.point_for(user, evidence.update.point_id)
    return evidence


@login_required
@require_GET
def evidence_download(request, pk):
    evidence = _evidence_for(request.user, pk)
    inline = evidence.content_type in INLINE_TYPES and "unduh" not in request.GET
    return _file_response(
        evidence.file,
        content_type=evidence.content_type,
        filename=download_name(evidence),
        inline=inline,
    )


@login_required
@require_GET
def evidence_thumbnail(request, pk):
    evidence = _evidence_for(request.user, pk)
    if not evidence.thumbnail:
        raise Http404
    stem = download_name(evidence).rsplit(".", 1)[0]
    return _file_response(
        evidence.thumbnail, content_type="image/jpeg", filename=f"{stem}-kecil.jpg", inline=True
    )


@secretariat_required
@require_POST
def send_reminders(request):
    """E-mail now what the monthly reminder sends (followup_reminders command)."""
    sent = followup.send_reminders()
    if sent:
        messages.success(
            request,
            ngettext(
                "A reminder was e-mailed to %(count)d person.",
                "Reminders were e-mailed to %(count)d people.",
                sent,
            )
            % {"count": sent},
        )
    else:
        messages.info(request, _("Every point has a recent report: nobody needs a reminder."))
    return redirect("issues:followup")
