"""Who may see and change which issue.

Outside a user's scope an issue does not exist (404); a role that may only read
gets 403 when it asks to write. `write=True` means writing as the region does
(editing, submitting, withdrawing, attaching files): the delegates of the issue's
region and the secretariat. Desk actions (verify, return, comment) check
`is_desk_chair` on top of a read.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from issues.models import (
    DELEGATE_EDITABLE_STATUSES,
    UNDECIDED_STATUSES,
    Issue,
    RegionWindow,
)
from meetings.models import Desk, Meeting
from rakortek.accounts.models import Role
from rakortek.core import access


def issues_visible_to(user) -> QuerySet[Issue]:
    """Every issue `user` may read (rule "issue" of rakortek.core.access).

    Delegates see all of their own region's issues, drafts included; desk heads
    the issues of the desks they chair once submitted, whatever the meeting's state;
    observers every submitted issue of a meeting that is not a draft; the
    secretariat everything.
    """
    issues = Issue.objects.filter(access.q(user, "issue"))
    if access.role_of(user) in (Role.SECRETARIAT, Role.DELEGATE):
        return issues
    # Drafts stay with their region and the secretariat.
    return issues.filter(submitted_at__isnull=False)


def get_issue_for_user(user, pk, *, write=False) -> Issue:
    """The issue `pk` if `user` may read it (404 otherwise); with `write`, 403 unless they
    may write as the region does. A delegate also reads the joint issues their region
    proposed together with others; only the joint issue's own (lead) region writes."""
    try:
        issue = (
            (issues_visible_to(user) | joint_issues_of_region(user))
            .select_related(
                "meeting",
                "desk__field",
                "desk__chair",
                "region",
                "entered_by",
                "district_area",
                "village_area",
            )
            .get(pk=pk)
        )
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not may_write_as_region(user, issue):
        raise PermissionDenied
    return issue


def joint_issues_of_region(user) -> QuerySet[Issue]:
    """For a delegate, the joint issues their region proposed together with the joint
    issue's own region: they read them (the lists stay with their own region's issues)."""
    if not (user.is_authenticated and user.is_active and user.is_delegate and user.region_id):
        return Issue.objects.none()
    joint = Issue.joint_regions.through.objects.filter(region_id=user.region_id)
    return Issue.objects.filter(
        pk__in=joint.values("issue_id"), submitted_at__isnull=False
    ).exclude(meeting__status=Meeting.Status.DRAFT)


def may_write_as_region(user, issue) -> bool:
    return access.may(user, "issue", write=True, region_ids=(issue.region_id,))


def is_desk_chair(user, issue) -> bool:
    return access.chairs(user, issue.desk)


def may_act_as_desk(user, issue) -> bool:
    """Verify, return for revision: the chair of the issue's desk or the secretariat."""
    return access.may(user, "issue.desk", write=True, desk=issue.desk)


def get_issue_for_desk(user, pk) -> Issue:
    """The issue `pk` for the desk's work on it: 404 outside the user's reading scope,
    403 unless they chair its desk (or are the secretariat)."""
    issue = get_issue_for_user(user, pk)
    if not may_act_as_desk(user, issue):
        raise PermissionDenied
    return issue


def may_comment(user, issue) -> bool:
    return may_write_as_region(user, issue) or is_desk_chair(user, issue)


def region_window(meeting, region) -> RegionWindow | None:
    return RegionWindow.objects.filter(meeting=meeting, region=region).first()


def submission_is_open_for(meeting, region, at=None) -> bool:
    """The meeting's window, or a reopening for this one region that has not closed yet."""
    at = at or timezone.now()
    if meeting.submission_is_open(at):
        return True
    if meeting.status != Meeting.Status.ACTIVE or meeting.kind != Meeting.Kind.RAKORTEK:
        return False
    return RegionWindow.objects.filter(meeting=meeting, region=region, closes_at__gt=at).exists()


def meetings_open_for_region(meetings, region, at=None) -> set[int]:
    """The ids of `meetings` in which `region` may submit now, in one query."""
    at = at or timezone.now()
    open_ids = {m.pk for m in meetings if m.submission_is_open(at)}
    candidates = [
        m.pk
        for m in meetings
        if m.pk not in open_ids
        and m.status == Meeting.Status.ACTIVE
        and m.kind == Meeting.Kind.RAKORTEK
    ]
    if candidates and region is not None:
        reopened = RegionWindow.objects.filter(
            meeting_id__in=candidates, region=region, closes_at__gt=at
        ).values_list("meeting_id", flat=True)
        open_ids.update(reopened)
    return open_ids


def can_edit_issue(user, issue) -> bool:
    """Whether `user` may change the content of `issue` now."""
    if user.is_secretariat:
        return issue.status in UNDECIDED_STATUSES
    if not (user.is_delegate and user.region_id == issue.region_id):
        return False
    return issue.status in DELEGATE_EDITABLE_STATUSES and submission_is_open_for(
        issue.meeting, issue.region
    )


def meetings_open_to(user) -> QuerySet[Meeting]:
    """The RAKORTEK meetings in which `user` may see or enter issues."""
    meetings = Meeting.objects.filter(kind=Meeting.Kind.RAKORTEK)
    if user.is_secretariat:
        return meetings
    return meetings.visible_to_participants()


def get_meeting_for_user(user, slug) -> Meeting:
    try:
        return meetings_open_to(user).get(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None


def desks_visible_to(user, meeting) -> QuerySet[Desk]:
    desks = meeting.desks.select_related("field", "chair")
    if user.is_secretariat or user.is_observer or user.is_delegate:
        return desks
    if user.is_desk_head:
        return desks.filter(chair=user)
    return desks.none()
