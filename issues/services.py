"""Every change to an issue goes through here, and each one leaves an IssueEvent.

Views check who may *see* an issue (selectors); these functions check again who may
*do* what, so that no caller can skip a rule. A refused action raises IssueError
with a message for the user.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues import emails
from issues.forms import IssueForm
from issues.models import (
    DELEGATE_EDITABLE_STATUSES,
    UNDECIDED_STATUSES,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSequence,
    RegionWindow,
)
from issues.selectors import (
    can_edit_issue,
    may_act_as_desk,
    may_comment,
    may_write_as_region,
    submission_is_open_for,
)
from meetings.models import Meeting, Region

S = Issue.Status
EDITABLE_FIELDS = tuple(IssueForm.Meta.fields)


class IssueError(Exception):
    """An action that the rules refuse; `message` is shown to the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SubmissionClosed(IssueError):
    pass


class InvalidTransition(IssueError):
    pass


def _transition(issue, allowed_from, action):
    if issue.status not in allowed_from:
        raise InvalidTransition(
            _("This issue cannot be %(action)s while its status is %(status)s.")
            % {"action": action, "status": issue.get_status_display()}
        )


def _check_window(actor, meeting, region):
    """Delegates write only while submission is open for their region; the secretariat
    enters late paper submissions too."""
    if actor.is_secretariat:
        return
    if not submission_is_open_for(meeting, region):
        raise SubmissionClosed(
            _("Submission for this meeting is closed. Contact the secretariat to reopen it.")
        )


def _record(issue, actor, kind, *, from_status="", to_status="", reason="", changed_fields=()):
    return IssueEvent.objects.create(
        issue=issue,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_fields=list(changed_fields),
    )


def _set_status(issue, actor, to_status, *, reason="", extra_fields=()):
    from_status = issue.status
    issue.status = to_status
    issue.save(update_fields=["status", "updated_at", *extra_fields])
    _record(
        issue,
        actor,
        IssueEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


def _next_priority(desk, region):
    last = Issue.objects.filter(desk=desk, region=region).aggregate(m=Max("priority_order"))["m"]
    return (last or 0) + 1


def _take_number(desk) -> int:
    """The next number of `desk`. The sequence row is locked until the transaction ends,
    so two submissions at once cannot get the same number, and a number once given is
    never given again (withdrawn issues keep theirs)."""
    IssueSequence.objects.get_or_create(desk=desk)
    sequence = IssueSequence.objects.select_for_update().get(desk=desk)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number


def _check_may_write(actor, *, meeting: Meeting, region: Region):
    if actor.is_secretariat:
        return
    if not (actor.is_delegate and actor.region_id == region.pk):
        raise PermissionDenied
    if meeting.status == Meeting.Status.DRAFT:
        raise PermissionDenied


@transaction.atomic
def issue_create(*, actor, meeting: Meeting, region: Region, data: dict, submit=False) -> Issue:
    """A new issue of `region` in `meeting`, as a draft (or submitted at once).

    `data` holds the cleaned IssueForm fields. A secretariat member entering it for
    a region is recorded as a proxy entry.
    """
    _check_may_write(actor, meeting=meeting, region=region)
    if meeting.kind != Meeting.Kind.RAKORTEK:
        raise IssueError(_("Issues are submitted to a RAKORTEK meeting."))
    _check_window(actor, meeting, region)
    desk = data["desk"]
    if desk.meeting_id != meeting.pk:
        raise IssueError(_("Choose a field of this meeting."))
    fields = {name: data[name] for name in EDITABLE_FIELDS if name in data}
    issue = Issue(
        meeting=meeting,
        region=region,
        entered_by=actor,
        is_proxy_entry=not actor.is_delegate,
        priority_order=_next_priority(desk, region),
        **fields,
    )
    issue.full_clean(exclude=["number"])
    issue.save()
    _record(issue, actor, IssueEvent.Kind.CREATED, to_status=issue.status)
    if submit:
        issue = issue_submit(actor=actor, issue=issue)
    return issue


@transaction.atomic
def issue_update(*, actor, issue: Issue, data: dict, submit=False, answer="") -> Issue:
    """Save the changed fields of `issue`; with `submit`, submit it (again) as well.

    Moving a numbered issue to another desk gives it the next number of that desk.
    """
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    if not can_edit_issue(actor, issue):
        if issue.status in DELEGATE_EDITABLE_STATUSES:
            _check_window(actor, issue.meeting, issue.region)
        raise InvalidTransition(
            _("This issue cannot be changed while its status is %(status)s.")
            % {"status": issue.get_status_display()}
        )
    desk = data.get("desk", issue.desk)
    if desk.meeting_id != issue.meeting_id:
        raise IssueError(_("Choose a field of this meeting."))
    changed = [
        name for name in EDITABLE_FIELDS if name in data and getattr(issue, name) != data[name]
    ]
    old_code = issue.code
    for name in changed:
        setattr(issue, name, data[name])
    update_fields = [*changed]
    if "desk" in changed:
        issue.priority_order = _next_priority(desk, issue.region)
        update_fields.append("priority_order")
        if issue.number is not None:
            issue.number = _take_number(desk)
            update_fields.append("number")
    if changed:
        issue.full_clean(exclude=["number"])
        issue.save(update_fields=[*update_fields, "updated_at"])
        reason = ""
        if "number" in update_fields:
            reason = _("Moved to another field: %(old)s is now %(new)s.") % {
                "old": old_code,
                "new": issue.code,
            }
        _record(issue, actor, IssueEvent.Kind.EDITED, changed_fields=changed, reason=reason)
    if submit:
        if issue.status == S.NEEDS_REVISION:
            issue = issue_resubmit(actor=actor, issue=issue, answer=answer)
        else:
            issue = issue_submit(actor=actor, issue=issue)
    return issue


def _lock(issue: Issue) -> Issue:
    """Re-read the issue under a row lock so that two people cannot act on a stale status."""
    locked = (
        Issue.objects.select_for_update(of=("self",))
        .select_related("meeting", "region", "desk__field", "desk__chair")
        .get(pk=issue.pk)
    )
    return locked


@transaction.atomic
def issue_submit(*, actor, issue: Issue) -> Issue:
    """Draf -> Diajukan. The first submission gives the issue its number in its desk."""
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.DRAFT,), _("submitted"))
    _check_window(actor, issue.meeting, issue.region)
    extra = []
    if issue.number is None:
        issue.number = _take_number(issue.desk)
        extra.append("number")
    if issue.submitted_at is None:
        issue.submitted_at = timezone.now()
        extra.append("submitted_at")
    _set_status(issue, actor, S.SUBMITTED, extra_fields=extra)
    return issue


@transaction.atomic
def issue_return_for_revision(*, actor, issue: Issue, question: str) -> Issue:
    """Diajukan/Terverifikasi -> Perlu Perbaikan, with the desk's question to the region."""
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.SUBMITTED, S.VERIFIED), _("returned for revision"))
    question = question.strip()
    if not question:
        raise IssueError(_("Write the question for the region."))
    _set_status(issue, actor, S.NEEDS_REVISION, reason=question)
    emails.notify_returned(issue=issue, actor=actor, question=question)
    return issue


@transaction.atomic
def issue_resubmit(*, actor, issue: Issue, answer: str) -> Issue:
    """Perlu Perbaikan -> Diajukan, with the region's answer to the question."""
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.NEEDS_REVISION,), _("submitted again"))
    _check_window(actor, issue.meeting, issue.region)
    answer = answer.strip()
    if not answer:
        raise IssueError(_("Answer the desk's question before submitting again."))
    _set_status(issue, actor, S.SUBMITTED, reason=answer)
    return issue


@transaction.atomic
def issue_withdraw(*, actor, issue: Issue, reason: str = "") -> Issue:
    """Any undecided status -> Ditarik. The number stays taken."""
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _transition(issue, UNDECIDED_STATUSES, _("withdrawn"))
    _set_status(issue, actor, S.WITHDRAWN, reason=reason.strip())
    return issue


@transaction.atomic
def issue_verify(*, actor, issue: Issue, note: str = "") -> Issue:
    """Diajukan -> Terverifikasi, by the desk's chair or the secretariat."""
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.SUBMITTED,), _("verified"))
    _set_status(issue, actor, S.VERIFIED, reason=note.strip())
    return issue


@transaction.atomic
def issue_comment_add(*, actor, issue: Issue, body: str) -> IssueComment:
    if not may_comment(actor, issue):
        raise PermissionDenied
    body = body.strip()
    if not body:
        raise IssueError(_("Write a comment first."))
    comment = IssueComment.objects.create(issue=issue, author=actor, body=body)
    emails.notify_commented(comment=comment)
    return comment


@transaction.atomic
def issue_move(*, actor, issue: Issue, direction: str) -> Issue:
    """Swap `issue` with its neighbour in its region's order for the desk.

    Withdrawn issues take no place in the order.
    """
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _check_window(actor, issue.meeting, issue.region)
    if issue.status == S.WITHDRAWN:
        raise InvalidTransition(_("A withdrawn issue has no place in the order."))
    siblings = list(
        Issue.objects.select_for_update()
        .filter(desk=issue.desk, region=issue.region)
        .exclude(status=S.WITHDRAWN)
        .order_by("priority_order", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == issue.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if not 0 <= other_index < len(siblings):
        return issue
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    # Renumber the whole list 1..n, so gaps left by withdrawals close up.
    for position, sibling in enumerate(siblings, start=1):
        if sibling.priority_order != position:
            sibling.priority_order = position
            sibling.save(update_fields=["priority_order"])
    moved = siblings[other_index]
    _record(
        moved,
        actor,
        IssueEvent.Kind.REORDERED,
        changed_fields=["priority_order"],
        reason=str(moved.priority_order),
    )
    issue.priority_order = moved.priority_order
    return issue


@transaction.atomic
def region_window_set(
    *, actor, meeting: Meeting, region: Region, closes_at, reason: str
) -> RegionWindow:
    """Reopen submission for one region until `closes_at` (replacing an earlier reopening)."""
    if not actor.is_secretariat:
        raise PermissionDenied
    window, _created = RegionWindow.objects.update_or_create(
        meeting=meeting,
        region=region,
        defaults={"closes_at": closes_at, "reason": reason.strip(), "created_by": actor},
    )
    return window


@transaction.atomic
def region_window_delete(*, actor, window: RegionWindow) -> None:
    if not actor.is_secretariat:
        raise PermissionDenied
    window.delete()
