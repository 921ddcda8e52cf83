"""Cross-app pages: each role's home page, and the error pages."""

import sys

from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from issues.models import Issue
from issues.selectors import meetings_open_for_region
from meetings.models import Desk, Meeting, Minutes
from rakortek.home.next_steps import (
    assent_requests,
    next_window,
    region_deadlines,
    returned_issues,
    secretariat_next_step,
)

# Not counted as submitted: withdrawn by the region, or merged into a joint issue (which
# is counted itself).
SET_ASIDE = (Issue.Status.WITHDRAWN, Issue.Status.MERGED)
WITHDRAWN = Q(status__in=SET_ASIDE)
DESK_WITHDRAWN = Q(issues__status__in=SET_ASIDE)


@login_required
@require_safe
def home(request):
    user = request.user
    if user.is_secretariat:
        return _secretariat_home(request)
    if user.is_desk_head:
        return _desk_head_home(request)
    if user.is_delegate:
        return _delegate_home(request)
    return _observer_home(request)


def _secretariat_home(request):
    plenary_final = Minutes.objects.filter(
        meeting=OuterRef("pk"), desk__isnull=True, status=Minutes.Status.FINAL
    )
    meetings = list(
        Meeting.objects.select_related("rakorgub_package")
        .annotate(desk_count=Count("desks"), plenary_final=Exists(plenary_final))
        .prefetch_related(Prefetch("desks", queryset=Desk.objects.select_related("field", "chair")))
    )
    # Two aggregate queries for every meeting together, whatever the number of issues.
    counts = {
        "submitted": Count("id", filter=Q(submitted_at__isnull=False) & ~WITHDRAWN),
        "pending": Count("id", filter=Q(status=Issue.Status.SUBMITTED)),
        "drafts": Count("id", filter=Q(status=Issue.Status.DRAFT)),
    }
    by_region = (
        Issue.objects.values("meeting_id", "region__name", "region__kemendagri_code")
        .annotate(**counts)
        .order_by("meeting_id", "region__kemendagri_code")
    )
    by_desk = (
        Issue.objects.values("meeting_id", "desk__field__name", "desk__field__slug")
        .annotate(**counts)
        .order_by("meeting_id", "desk__field__order", "desk__field__name")
    )
    now = timezone.now()
    for meeting in meetings:
        meeting.counts_by_region = [row for row in by_region if row["meeting_id"] == meeting.pk]
        meeting.counts_by_desk = [row for row in by_desk if row["meeting_id"] == meeting.pk]
        pending = sum(row["pending"] for row in meeting.counts_by_desk)
        meeting.next_step = secretariat_next_step(meeting, pending=pending, at=now)
    return render(request, "home/secretariat.html", {"meetings": meetings})


def _desk_head_home(request):
    desks = (
        Desk.objects.filter(chair=request.user)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting", "field")
        .annotate(
            submitted_count=Count(
                "issues", filter=Q(issues__submitted_at__isnull=False) & ~DESK_WITHDRAWN
            ),
            pending_count=Count("issues", filter=Q(issues__status=Issue.Status.SUBMITTED)),
        )
        .order_by("-meeting__starts_at", "field__order")
    )
    return render(request, "home/desk_head.html", {"desks": desks})


def _delegate_home(request):
    region = request.user.region
    meetings = list(Meeting.objects.visible_to_participants().filter(kind=Meeting.Kind.RAKORTEK))
    rows = (
        Issue.objects.filter(region=region, meeting__in=meetings)
        .values("meeting_id", "status")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["meeting_id"], {})[row["status"]] = row["n"]
    open_ids = meetings_open_for_region(meetings, region)
    for meeting in meetings:
        by_status = counts.get(meeting.pk, {})
        meeting.status_counts = [
            (label, by_status[value]) for value, label in Issue.Status.choices if value in by_status
        ]
        meeting.issue_total = sum(by_status.values())
        meeting.open_for_region = meeting.pk in open_ids
    deadlines = region_deadlines(meetings, region, open_ids)
    for meeting in meetings:
        meeting.deadline = deadlines.get(meeting.pk)
    return render(
        request,
        "home/delegate.html",
        {
            "meetings": meetings,
            "open_meetings": [m for m in meetings if m.open_for_region],
            "next_window": next_window(meetings, open_ids),
            "returned": returned_issues(region, meetings),
            "assent_requests": assent_requests(region),
        },
    )


def _observer_home(request):
    meetings = Meeting.objects.visible_to_participants()
    # The map and charts of the latest RAKORTEK (loaded after the page).
    figures_meeting = (
        meetings.filter(kind=Meeting.Kind.RAKORTEK).order_by("-starts_at").only("slug").first()
    )
    return render(
        request,
        "home/observer.html",
        {"meetings": meetings, "figures_meeting": figures_meeting},
    )


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors that could fail again: a plain render of a static page.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable()
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


# What the database driver raises while the server restarts or cannot be reached.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
# Seconds a client (or a proxy) is asked to wait before trying again.
RETRY_AFTER_SECONDS = 15


def service_unavailable():
    """503 with Retry-After: the database cannot be reached for the moment (a restart).

    A plain page that needs no database, unlike the templates that read the user.
    """
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
