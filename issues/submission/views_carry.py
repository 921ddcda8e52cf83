"""Unresolved issues of earlier years, and carrying one over into a new RAKORTEK.

Delegates see and carry over their own region's issues (while submission is open
for it); the secretariat every region's, at any time. Desk heads and observers
get 403; an issue outside the user's scope is a 404.
"""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from issues import services
from issues.models import Issue, PackagePoint, RakorgubPackage
from issues.selectors import (
    get_issue_for_user,
    get_meeting_for_user,
    issues_visible_to,
    submission_is_open_for,
)
from issues.services import CARRYABLE_STATUSES, IssueError
from meetings.models import Meeting
from rakortek.accounts.models import Role
from rakortek.core.access import roles_required

carry_roles_required = roles_required(Role.DELEGATE, Role.SECRETARIAT)


def earlier_open_issues(user, meeting: Meeting) -> QuerySet[Issue]:
    """Issues of earlier RAKORTEKs that the desk wanted (Priority, Reserve, Agreed,
    Forwarded) and that nobody has carried over yet, as far as `user` may see them.

    Once carried over, the copy is the one to follow, and the copy is what a later
    year lists if it stays unresolved. An issue whose signed agreement points are all
    done (Selesai) is resolved and not listed; each issue carries `followed_points`,
    the signed points it is a source of, for their follow-up status.
    """
    followed = PackagePoint.objects.filter(
        source_issues=OuterRef("pk"),
        package__status=RakorgubPackage.Status.SIGNED,
        dropped_at__isnull=True,
    )
    done = followed.filter(status=PackagePoint.Status.DONE)
    not_done = followed.exclude(status=PackagePoint.Status.DONE)
    return (
        issues_visible_to(user)
        .filter(
            meeting__kind=Meeting.Kind.RAKORTEK,
            meeting__year__lt=meeting.year,
            status__in=CARRYABLE_STATUSES,
            merged_into__isnull=True,
            carried_over_to__isnull=True,
        )
        .exclude(Exists(done) & ~Exists(not_done))
        .select_related("meeting", "desk__field", "region")
        .prefetch_related(
            Prefetch(
                "package_points",
                queryset=PackagePoint.objects.filter(
                    package__status=RakorgubPackage.Status.SIGNED, dropped_at__isnull=True
                ).order_by("number"),
                to_attr="followed_points",
            )
        )
        .order_by("region__kemendagri_code", "-meeting__year", "desk__field__order", "number")
    )


@carry_roles_required
@require_safe
def carry_list(request, slug):
    user = request.user
    meeting = get_meeting_for_user(user, slug)
    groups = {}
    for issue in earlier_open_issues(user, meeting):
        groups.setdefault(issue.region, []).append(issue)
    carried = (
        issues_visible_to(user)
        .filter(meeting=meeting, carried_over_from__isnull=False)
        .select_related("desk__field", "region", "carried_over_from__meeting")
        .order_by("region__kemendagri_code", "desk__field__order", "id")
    )
    may_carry = user.is_secretariat or submission_is_open_for(meeting, user.region)
    return render(
        request,
        "issues/submission/carry/list.html",
        {
            "meeting": meeting,
            "groups": list(groups.items()),
            "carried": carried,
            "may_carry": may_carry,
            "desk_fields": set(meeting.desks.values_list("field_id", flat=True)),
        },
    )


@carry_roles_required
@require_POST
def carry_over(request, slug, pk):
    user = request.user
    meeting = get_meeting_for_user(user, slug)
    source = get_issue_for_user(user, pk, write=True)
    try:
        issue = services.issue_carry_over(actor=user, source=source, meeting=meeting)
    except IssueError as error:
        messages.error(request, error.message)
        return redirect("issues:carry_list", slug=meeting.slug)
    messages.success(
        request,
        _("The issue has been carried over as a draft. Check it, add its files and submit it."),
    )
    return redirect(issue)
