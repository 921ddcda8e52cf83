"""Every change to an issue goes through here, and each one leaves an IssueEvent.

Views check who may *see* an issue (selectors); these functions check again who may
*do* what, so that no caller can skip a rule. A refused action raises IssueError
with a message for the user.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from issues import emails
from issues.board import assent
from issues.board.scoring import weighted_score
from issues.board.selectors import (
    HIDDEN_STATUSES,
    RANKABLE_STATUSES,
    WAITING_STATUSES,
    WORKABLE_STATUSES,
    live_score,
    may_work_on_board,
    proposal_key,
    ranked_against_score,
)
from issues.figures import Figures
from issues.forms import IssueForm
from issues.models import (
    DELEGATE_EDITABLE_STATUSES,
    UNDECIDED_STATUSES,
    AgreementPoint,
    AssentRound,
    DeskLockRecord,
    DeskState,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSequence,
    RegionWindow,
    Score,
)
from issues.selectors import (
    can_edit_issue,
    may_act_as_desk,
    may_comment,
    may_write_as_region,
    submission_is_open_for,
)
from meetings import areas
from meetings.models import Desk, Meeting, Region
from rakortek.core import access
from rakortek.core.formatting import jam, tanggal

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


def _record(
    issue,
    actor,
    kind,
    *,
    from_status="",
    to_status="",
    reason="",
    changed_fields=(),
    detail=None,
):
    return IssueEvent.objects.create(
        issue=issue,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        changed_fields=list(changed_fields),
        detail=detail or {},
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
    if not access.may(actor, "issue", write=True, meeting=meeting, region_ids=(region.pk,)):
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
    areas.place(issue)
    issue.full_clean(exclude=["number"])
    issue.save()
    _record(issue, actor, IssueEvent.Kind.CREATED, to_status=issue.status)
    if submit:
        issue = issue_submit(actor=actor, issue=issue)
    return issue


@transaction.atomic
def issue_update(*, actor, issue: Issue, data: dict, submit=False, answer="") -> Issue:
    """Save the changed fields of `issue`; with `submit`, submit it (again) as well.

    Moving a numbered issue to another desk gives it the next number of that desk, and
    takes it out of the old desk's ranking.
    """
    moves_desk = "desk" in data and data["desk"].pk != issue.desk_id
    old_board = _lock_board(issue.desk_id) if moves_desk else None
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
        if old_board is not None and issue.rank is not None:
            _check_not_locked(old_board)
            _unrank(issue, actor, old_board)
        issue.priority_order = _next_priority(desk, issue.region)
        update_fields.append("priority_order")
        if issue.number is not None:
            issue.number = _take_number(desk)
            update_fields.append("number")
    if changed:
        if {"district", "village"} & set(changed):
            update_fields += areas.place(issue)
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
    _check_desk_open(issue)
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
def issue_return_for_revision(
    *, actor, issue: Issue, question: str, version: int | None = None
) -> Issue:
    """Diajukan/Terverifikasi -> Perlu Perbaikan, with the desk's question to the region.

    A ranked issue leaves the ranking. From the board, `version` is the board version
    the user saw (see `_check_version`).
    """
    board = _lock_board(issue.desk_id)
    _check_version(board, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.SUBMITTED, S.VERIFIED), _("returned for revision"))
    question = question.strip()
    if not question:
        raise IssueError(_("Write the question for the region."))
    if issue.rank is not None:
        _check_not_locked(board)
        _unrank(issue, actor, board)
    elif issue.status == S.VERIFIED:
        _bump(board)
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
    _check_desk_open(issue)
    _check_window(actor, issue.meeting, issue.region)
    answer = answer.strip()
    if not answer:
        raise IssueError(_("Answer the desk's question before submitting again."))
    _set_status(issue, actor, S.SUBMITTED, reason=answer)
    return issue


def point_source_in(issues) -> tuple[Issue, AgreementPoint] | None:
    """(issue, point) for the first of `issues` that an agreement point comes from, or None.

    Such an issue may be neither withdrawn nor merged: the point would then stand on an
    issue that is no longer on the board. The desk takes it out of the point first."""
    point = (
        AgreementPoint.objects.filter(source_issues__in=[i.pk for i in issues])
        .order_by("order", "pk")
        .first()
    )
    if point is None:
        return None
    sources = set(point.source_issues.values_list("pk", flat=True))
    return next(i for i in issues if i.pk in sources), point


@transaction.atomic
def issue_withdraw(*, actor, issue: Issue, reason: str = "") -> Issue:
    """Any undecided status -> Ditarik. The number stays taken; a ranked issue leaves
    the ranking."""
    board = _lock_board(issue.desk_id)
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _transition(issue, UNDECIDED_STATUSES, _("withdrawn"))
    source = point_source_in([issue])
    if source:
        _issue, point = source
        raise InvalidTransition(
            _(
                "%(code)s is a source of agreement point %(number)s of its desk and cannot be "
                "withdrawn; the desk must first take it out of that point."
            )
            % {"code": issue.code, "number": point.order}
        )
    if issue.rank is not None:
        _check_not_locked(board)
        _unrank(issue, actor, board)
    elif issue.status in WORKABLE_STATUSES:
        _bump(board)
    _set_status(issue, actor, S.WITHDRAWN, reason=reason.strip())
    return issue


@transaction.atomic
def issue_verify(*, actor, issue: Issue, note: str = "", version: int | None = None) -> Issue:
    """Diajukan -> Terverifikasi, by the desk's chair or the secretariat.

    The issue joins the board's proposed order, so the board's version changes.
    """
    board = _lock_board(issue.desk_id)
    _check_version(board, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _transition(issue, (S.SUBMITTED,), _("verified"))
    _set_status(issue, actor, S.VERIFIED, reason=note.strip())
    _bump(board)
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

    Withdrawn and merged issues take no place in the order.
    """
    issue = _lock(issue)
    if not may_write_as_region(actor, issue):
        raise PermissionDenied
    _check_window(actor, issue.meeting, issue.region)
    if issue.status == S.WITHDRAWN:
        raise InvalidTransition(_("A withdrawn issue has no place in the order."))
    if issue.status == S.MERGED:
        raise InvalidTransition(_("A merged issue has no place in the order; its joint issue has."))
    siblings = list(
        Issue.objects.select_for_update()
        .filter(desk=issue.desk, region=issue.region)
        .exclude(status__in=(S.WITHDRAWN, S.MERGED))
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


# The desk board: scores, ranks, decisions, lock.
#
# Every write locks the desk's DeskState row first (then the issue rows), which
# serialises the writers of one desk, so ranks stay unique and gap-free; and every
# write carries the board version the user saw, so nobody overwrites a change they
# have not seen.


class StaleBoard(IssueError):
    """The board changed after the user loaded it."""

    def __init__(self, message, *, current_version):
        super().__init__(message)
        self.current_version = current_version


class BoardLocked(IssueError):
    pass


class ReasonRequired(IssueError):
    """A rank against the scores needs a reason; `passed` are the issues it goes against."""

    def __init__(self, message, *, passed):
        super().__init__(message)
        self.passed = passed


def _lock_board(desk_id) -> DeskState:
    DeskState.objects.get_or_create(desk_id=desk_id)
    return DeskState.objects.select_for_update().get(desk_id=desk_id)


def _check_version(board: DeskState, version: int | None):
    """`version` is what the user saw; None for actions that do not come from the board."""
    if version is not None and version != board.version:
        raise StaleBoard(
            _(
                "Someone else changed this desk's board while you were looking at it, so "
                "nothing was saved. Check the current board and try again."
            ),
            current_version=board.version,
        )


def _check_not_locked(board: DeskState):
    if board.is_locked:
        raise BoardLocked(
            _(
                "This desk is locked: its scores, ranks and decisions can no longer change. "
                "Ask the secretariat to unlock it."
            )
        )


def _board_for_write(desk_id, version) -> DeskState:
    board = _lock_board(desk_id)
    _check_version(board, version)
    _check_not_locked(board)
    return board


def _bump(board: DeskState):
    board.version += 1
    board.save(update_fields=["version", "updated_at"])


def _check_workable(issue, action):
    if issue.status in (S.SUBMITTED, S.NEEDS_REVISION):
        raise InvalidTransition(_("Verify the issue before it is scored, ranked or decided."))
    _transition(issue, WORKABLE_STATUSES, action)


def _criteria(meeting_id):
    return list(Meeting.objects.get(pk=meeting_id).criteria.all())


def _current_scores(issues, meeting_id) -> dict:
    """Issue id -> live score (criteria as they are now), for `issues`."""
    criteria = _criteria(meeting_id)
    values = {}
    for score in Score.objects.filter(issue__in=[i.pk for i in issues]):
        values.setdefault(score.issue_id, {})[score.criterion_id] = score.value
    return {i.pk: weighted_score(criteria, values.get(i.pk, {})) for i in issues}


def _ranking(desk_id):
    """(every ranked issue of the desk, the ones that belong in the ranking), by rank.

    An issue merged away or no longer rankable loses its rank at the next write.
    """
    ranked = list(
        Issue.objects.filter(desk_id=desk_id, rank__isnull=False)
        .select_related("desk__field")
        .order_by("rank")
    )
    clean = [
        i
        for i in ranked
        if i.status in RANKABLE_STATUSES and i.merged_into_id is None and i.submitted_at
    ]
    return ranked, clean


def _write_ranks(*, actor, old: list[Issue], new: list[Issue], reasons=None, detail=None):
    """Give `new` the ranks 1..n and take the rank from every other issue in `old`.

    Records a RANKED event for each issue whose rank changed. Returns
    {issue id: (old rank, new rank)}.
    """
    reasons = reasons or {}
    old_rank = {i.pk: i.rank for i in old}
    new_rank = {i.pk: position for position, i in enumerate(new, start=1)}
    changes = {
        pk: (old_rank.get(pk), new_rank.get(pk))
        for pk in old_rank.keys() | new_rank.keys()
        if old_rank.get(pk) != new_rank.get(pk)
    }
    if not changes:
        return changes
    now = timezone.now()
    # The unique index on (desk, rank) is partial and so cannot be deferred: clear the
    # ranks that move first, or a swap would collide half-way.
    Issue.objects.filter(pk__in=changes).update(rank=None, updated_at=now)
    moved = [Issue(pk=pk, rank=new) for pk, (_old, new) in changes.items() if new is not None]
    Issue.objects.bulk_update(moved, ["rank"])
    IssueEvent.objects.bulk_create(
        IssueEvent(
            issue_id=pk,
            actor=actor,
            kind=IssueEvent.Kind.RANKED,
            reason=reasons.get(pk, ""),
            changed_fields=["rank"],
            detail={"from_rank": old, "to_rank": new, **(detail or {})},
        )
        for pk, (old, new) in sorted(changes.items())
    )
    return changes


def _unrank(issue, actor, board):
    """Take `issue` out of the ranking of `board`'s desk and close the gap. The caller
    holds `board` (the issue may already be on its way to another desk)."""
    old, clean = _ranking(board.desk_id)
    _write_ranks(actor=actor, old=old, new=[i for i in clean if i.pk != issue.pk])
    issue.rank = None
    _bump(board)


def _against_scores(before: list[Issue], after: list[Issue], issue, scores) -> list[Issue]:
    """The issues whose order relative to `issue` changed against the scores: now below it
    with a higher score, or now above it with a lower one."""
    own = scores.get(issue.pk)
    if own is None:
        return []

    def above(order):
        ids = [i.pk for i in order]
        if issue.pk not in ids:  # not ranked: below everything
            return set(ids)
        return set(ids[: ids.index(issue.pk)])

    was_above, now_above = above(before), above(after)
    passed = []
    for other in after:
        theirs = scores.get(other.pk)
        if other.pk == issue.pk or theirs is None:
            continue
        if other.pk in was_above - now_above and theirs > own:
            passed.append(other)
        elif other.pk in now_above - was_above and theirs < own:
            passed.append(other)
    return passed


def _is_against_scores(order: list[Issue], issue, scores) -> bool:
    return issue.pk in ranked_against_score(order, scores)


@transaction.atomic
def issue_scores_set(*, actor, issue: Issue, values: dict, version: int) -> Issue:
    """Score `issue` on the meeting's criteria: `values` maps criterion id to 1..5, or to
    None to clear that criterion. The weighted score is stored once every criterion is
    scored (issues.board.scoring). A verified issue is now being discussed (Dibahas)."""
    board = _board_for_write(issue.desk_id, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _check_workable(issue, _("scored"))
    criteria = _criteria(issue.meeting_id)
    known = {c.pk for c in criteria}
    existing = {s.criterion_id: s for s in Score.objects.filter(issue=issue)}
    now = timezone.now()
    changed = False
    for criterion_id, value in values.items():
        if criterion_id not in known:
            raise IssueError(_("This criterion does not belong to the meeting."))
        if value is not None and not 1 <= value <= 5:
            raise IssueError(_("A score is a whole number from 1 to 5."))
        old = existing.get(criterion_id)
        if value is None:
            if old is not None:
                old.delete()
                del existing[criterion_id]
                changed = True
        elif old is None:
            existing[criterion_id] = Score.objects.create(
                issue=issue, criterion_id=criterion_id, value=value, scored_by=actor, scored_at=now
            )
            changed = True
        elif old.value != value:
            old.value, old.scored_by, old.scored_at = value, actor, now
            old.save(update_fields=["value", "scored_by", "scored_at"])
            changed = True
    if not changed:
        return issue
    current = {criterion_id: s.value for criterion_id, s in existing.items()}
    issue.score = weighted_score(criteria, current)
    issue.save(update_fields=["score", "updated_at"])
    _record(
        issue,
        actor,
        IssueEvent.Kind.SCORED,
        changed_fields=["score"],
        detail={
            "scores": [[c.name, current.get(c.pk)] for c in criteria],
            "score": None if issue.score is None else str(issue.score),
        },
    )
    if issue.status == S.VERIFIED:
        _set_status(issue, actor, S.DISCUSSED)
    _bump(board)
    return issue


@transaction.atomic
def issue_rank_set(
    *, actor, issue: Issue, position: int | None, version: int, reason: str = ""
) -> Issue:
    """Put `issue` at `position` in its desk's ranking (None: out of the ranking).

    The others move up or down to keep the ranks 1..n. A position against the scores
    (above an issue with a higher score, or below one with a lower score) needs a
    reason, kept on the issue and in its history.
    """
    board = _board_for_write(issue.desk_id, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    if issue.merged_into_id is not None:
        raise InvalidTransition(_("A merged issue is ranked through the issue it joined."))
    if issue.status not in RANKABLE_STATUSES:
        _check_workable(issue, _("ranked"))
    old, clean = _ranking(issue.desk_id)
    others = [i for i in clean if i.pk != issue.pk]
    if position is None:
        new = others
    else:
        last = len(others) + 1
        if not 1 <= position <= last:
            raise IssueError(_("Choose a rank from 1 to %(last)d.") % {"last": last})
        new = [*others[: position - 1], issue, *others[position - 1 :]]
    if [i.pk for i in new] == [i.pk for i in clean] and len(old) == len(clean):
        return issue
    reason = reason.strip()
    update_fields = []
    if position is not None:
        scores = _current_scores([*others, issue], issue.meeting_id)
        passed = _against_scores(clean, new, issue, scores)
        if passed and not reason:
            raise ReasonRequired(
                _(
                    "This rank goes against the scores of %(codes)s. "
                    "Give the reason for ranking it here."
                )
                % {"codes": ", ".join(i.code for i in passed)},
                passed=passed,
            )
        if passed:
            issue.rank_override_reason = reason
            update_fields.append("rank_override_reason")
        elif issue.rank_override_reason and not _is_against_scores(new, issue, scores):
            issue.rank_override_reason = ""
            update_fields.append("rank_override_reason")
    elif issue.rank_override_reason:
        issue.rank_override_reason = ""
        update_fields.append("rank_override_reason")
    if update_fields:
        issue.save(update_fields=update_fields)
    changes = _write_ranks(
        actor=actor,
        old=old,
        new=new,
        reasons={issue.pk: reason},
        detail={"moved": issue.code} if position is not None else None,
    )
    issue.rank = changes.get(issue.pk, (None, issue.rank))[1]
    _bump(board)
    return issue


@transaction.atomic
def desk_apply_proposed_order(*, actor, desk: Desk, version: int) -> int:
    """Rank every rankable issue of `desk` by score (ties: the region's own priority, then
    the number); unscored issues come last. Clears the reasons for earlier overrides and
    brings the stored scores up to date with the criteria. Returns how many ranks changed.
    """
    if not may_work_on_board(actor, desk):
        raise PermissionDenied
    board = _board_for_write(desk.pk, version)
    issues = list(
        Issue.objects.select_for_update()
        .filter(desk=desk, submitted_at__isnull=False, merged_into__isnull=True)
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("desk__field")
        .prefetch_related("scores")
    )
    criteria = _criteria(desk.meeting_id)
    scores = {i.pk: live_score(i, criteria) for i in issues}
    _store_scores(issues, scores)
    rankable = [i for i in issues if i.status in RANKABLE_STATUSES]
    new = sorted(rankable, key=lambda i: proposal_key(scores[i.pk], i))
    old, _clean = _ranking(desk.pk)
    changes = _write_ranks(actor=actor, old=old, new=new, detail={"proposed": True})
    cleared = Issue.objects.filter(desk=desk).exclude(rank_override_reason="")
    cleared = cleared.update(rank_override_reason="")
    if changes or cleared:
        _bump(board)
    return len(changes)


@transaction.atomic
def meeting_scores_refresh(meeting: Meeting) -> int:
    """Store every issue's weighted score again with the meeting's criteria as they are
    now, so that the board, the live board and the documents agree after the weights
    change. Boards with a changed score get a new version (an open form is then stale).
    Returns how many scores changed."""
    scored = Score.objects.filter(issue__meeting=meeting).values("issue_id")
    issues = list(
        Issue.objects.select_for_update()
        .filter(meeting=meeting)
        .filter(Q(score__isnull=False) | Q(pk__in=scored))
        .prefetch_related("scores")
    )
    criteria = _criteria(meeting.pk)
    scores = {i.pk: live_score(i, criteria) for i in issues}
    stale = [i for i in issues if i.score != scores[i.pk]]
    _store_scores(issues, scores)
    desks = {i.desk_id for i in stale}
    if desks:
        DeskState.objects.filter(desk_id__in=desks).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    return len(stale)


def _store_scores(issues, scores):
    """Store the live score where the stored one is out of date (weights changed)."""
    stale = [i for i in issues if i.score != scores[i.pk]]
    for issue in stale:
        issue.score = scores[issue.pk]
    if stale:
        Issue.objects.bulk_update(stale, ["score"])


@transaction.atomic
def issue_decide(
    *,
    actor,
    issue: Issue,
    decision: str,
    reason: str = "",
    redirected_to: str = "",
    version: int,
) -> Issue:
    """Prioritas / Cadangan / Tidak Diprioritaskan / Dialihkan, with a reason for all but
    Prioritas and a destination for Dialihkan. The status follows the decision and the
    region's delegates are told."""
    board = _board_for_write(issue.desk_id, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _check_workable(issue, _("decided"))
    if decision not in Issue.Decision.values:
        raise IssueError(_("Choose a decision."))
    reason, redirected_to = reason.strip(), redirected_to.strip()
    if decision != Issue.Decision.PRIORITY and not reason:
        raise IssueError(_("Give the reason for this decision."))
    if decision == Issue.Decision.REDIRECTED and not redirected_to:
        raise IssueError(_("Say where the issue is redirected to."))
    if decision != Issue.Decision.REDIRECTED:
        redirected_to = ""
    if (issue.decision, issue.decision_reason, issue.redirected_to) == (
        decision,
        reason,
        redirected_to,
    ):
        return issue
    from_status = issue.status
    issue.decision = decision
    issue.decision_reason = reason
    issue.redirected_to = redirected_to
    issue.decided_at = timezone.now()
    issue.decided_by = actor
    issue.status = decision
    issue.save(
        update_fields=[
            "decision",
            "decision_reason",
            "redirected_to",
            "decided_at",
            "decided_by",
            "status",
            "updated_at",
        ]
    )
    _record(
        issue,
        actor,
        IssueEvent.Kind.DECIDED,
        from_status=from_status,
        to_status=issue.status,
        reason=reason,
        changed_fields=["decision"],
        detail={"redirected_to": redirected_to} if redirected_to else None,
    )
    _bump(board)
    emails.notify_decided(issue=issue, actor=actor)
    return issue


@transaction.atomic
def issue_decision_withdraw(*, actor, issue: Issue, reason: str, version: int) -> Issue:
    """Take back a decision made in error: the issue is Dibahas again, undecided, and the
    history keeps the decision and why it was taken back. Refused while the issue is the
    source of an agreement point (remove it from the point first)."""
    board = _board_for_write(issue.desk_id, version)
    issue = _lock(issue)
    if not may_act_as_desk(actor, issue):
        raise PermissionDenied
    _check_workable(issue, _("decided"))
    if not issue.decision:
        raise IssueError(_("This issue has no decision to take back."))
    reason = (reason or "").strip()
    if not reason:
        raise IssueError(_("Give the reason for taking the decision back."))
    if issue.agreement_points.exists():
        raise IssueError(
            _("This issue is the source of an agreement point. Remove it from the point first.")
        )
    from_status, decision = issue.status, issue.decision
    issue.decision = ""
    issue.decision_reason = ""
    issue.redirected_to = ""
    issue.decided_at = None
    issue.decided_by = None
    issue.status = S.DISCUSSED
    issue.save(
        update_fields=[
            "decision",
            "decision_reason",
            "redirected_to",
            "decided_at",
            "decided_by",
            "status",
            "updated_at",
        ]
    )
    _record(
        issue,
        actor,
        IssueEvent.Kind.DECIDED,
        from_status=from_status,
        to_status=S.DISCUSSED,
        reason=reason,
        changed_fields=["decision"],
        detail={"withdrawn": decision},
    )
    _bump(board)
    return issue


def desk_open_issues(desk: Desk):
    """The desk's issues with nothing decided: waiting for verification or for the
    region's answer, or verified without a decision."""
    return Issue.objects.filter(desk=desk).filter(
        Q(status__in=WAITING_STATUSES) | Q(status__in=WORKABLE_STATUSES, decision="")
    )


class DeskLocked(IssueError):
    """A region writes into a desk that is locked: say whom to ask to reopen it."""

    def __init__(self, desk: Desk):
        chair = desk.chair.get_full_name() if desk.chair_id else ""
        if chair:
            text = _(
                "The %(field)s desk is locked: the issue cannot be submitted again. Contact "
                "the desk's chair (%(chair)s) or the secretariat, who can reopen the desk."
            ) % {"field": desk.field.name, "chair": chair}
        else:
            text = _(
                "The %(field)s desk is locked: the issue cannot be submitted again. Contact "
                "the secretariat, who can reopen the desk."
            ) % {"field": desk.field.name}
        super().__init__(text)


def desk_locked_notice(issue: Issue) -> str:
    """What a region is told when `issue`'s desk is locked (whom to contact), or ""."""
    if DeskState.objects.filter(desk_id=issue.desk_id, locked_at__isnull=False).exists():
        return DeskLocked(
            Desk.objects.select_related("field", "chair").get(pk=issue.desk_id)
        ).message
    return ""


def _check_desk_open(issue: Issue) -> None:
    if DeskState.objects.filter(desk_id=issue.desk_id, locked_at__isnull=False).exists():
        raise DeskLocked(Desk.objects.select_related("field", "chair").get(pk=issue.desk_id))


class AssentStillOpen(IssueError):
    """Locking while the regions may still answer: the desk confirms it first."""


@transaction.atomic
def desk_lock(
    *,
    actor,
    desk: Desk,
    version: int,
    set_aside_reason: str = "",
    confirm_open_assent: bool = False,
) -> DeskState:
    """Kunci: the desk's scores, ranks and decisions freeze until the secretariat unlocks.

    Every issue must be decided first, or the ones still open are set aside explicitly,
    with a reason kept in each one's history.

    The regions' assent is recorded, not required: the desk locks after the deadline
    whatever the answers (objections and silence included), and before the deadline of
    an open round only when it confirms. The round closes, and a DeskLockRecord keeps
    who assented, who objected and who did not answer.
    """
    if not may_work_on_board(actor, desk):
        raise PermissionDenied
    board = _board_for_write(desk.pk, version)
    assent_round = AssentRound.objects.select_for_update().filter(desk=desk).first()
    if assent_round is not None and not assent_round.is_open:
        assent_round = None
    now = timezone.now()
    if assent_round is not None and now < assent_round.deadline and not confirm_open_assent:
        raise AssentStillOpen(
            _(
                "The regions may still answer the request for assent until %(deadline)s. "
                "Confirm that the desk is locked now; the answers given so far are recorded."
            )
            % {"deadline": f"{tanggal(assent_round.deadline)} {jam(assent_round.deadline)}"}
        )
    still_open = list(desk_open_issues(desk).select_for_update())
    set_aside_reason = set_aside_reason.strip()
    if still_open and not set_aside_reason:
        raise IssueError(
            ngettext(
                "%(count)s issue is still open (no decision, or waiting for verification or "
                "for the region's answer). Decide it, or give the reason for setting it aside.",
                "%(count)s issues are still open (no decision, or waiting for verification or "
                "for the region's answer). Decide them, or give the reason for setting them "
                "aside.",
                len(still_open),
            )
            % {"count": len(still_open)}
        )
    for issue in still_open:
        _record(
            issue,
            actor,
            IssueEvent.Kind.SET_ASIDE,
            from_status=issue.status,
            to_status=issue.status,
            reason=set_aside_reason,
        )
    issues = list(
        Issue.objects.filter(desk=desk, submitted_at__isnull=False).prefetch_related("scores")
    )
    criteria = _criteria(desk.meeting_id)
    # What is frozen is what the board shows: scores as the criteria are now.
    _store_scores(issues, {i.pk: live_score(i, criteria) for i in issues})
    DeskLockRecord.objects.create(
        desk=desk, round=assent_round, actor=actor, detail=assent.outcome(assent_round, now)
    )
    if assent_round is not None:
        assent_round.closed_at = now
        assent_round.save(update_fields=["closed_at"])
    board.locked_at = now
    board.locked_by = actor
    board.save(update_fields=["locked_at", "locked_by", "updated_at"])
    _bump(board)
    return board


@transaction.atomic
def desk_unlock(*, actor, desk: Desk, reason: str, version: int) -> DeskState:
    """The secretariat reopens a locked desk; the reason is kept with the desk."""
    if not actor.is_secretariat:
        raise PermissionDenied
    board = _lock_board(desk.pk)
    _check_version(board, version)
    if not board.is_locked:
        raise IssueError(_("This desk is not locked."))
    reason = reason.strip()
    if not reason:
        raise IssueError(_("Give the reason for unlocking."))
    board.locked_at = None
    board.locked_by = None
    board.unlocked_at = timezone.now()
    board.unlocked_by = actor
    board.unlock_reason = reason
    board.save(
        update_fields=[
            "locked_at",
            "locked_by",
            "unlocked_at",
            "unlocked_by",
            "unlock_reason",
            "updated_at",
        ]
    )
    _bump(board)
    return board


# ---- Carrying an unresolved issue over into next year's RAKORTEK ----

# Decisions that leave work for a later year: the issue was wanted, and may not be done yet.
# Not a merged issue (Digabung): its joint issue is the one carried over.
CARRYABLE_STATUSES = (S.PRIORITY, S.RESERVE, S.AGREED, S.FORWARDED)
# What the copy takes over; the desk's work (number, scores, rank, decision) starts afresh.
CARRIED_FIELDS = tuple(name for name in EDITABLE_FIELDS if name != "desk")


def _lead_figures(source: Issue) -> dict:
    """For a joint issue: the lead region's own volume and cost (the sum of its originals),
    which the carried copy holds as its own; the other regions' shares stay with `source`.
    A single issue's figures are copied as they are (CARRIED_FIELDS)."""
    figures = source.figures
    if not figures.is_joint:
        return {}
    lead = Figures(shares=[s for s in figures.shares if s.issue.region_id == source.region_id])
    if not lead.shares:
        return {}
    own = {"estimated_cost": lead.cost}
    if len(lead.volumes) == 1:
        own["volume"], own["unit"] = lead.volumes[0]
    return own


@transaction.atomic
def issue_carry_over(*, actor, source: Issue, meeting: Meeting) -> Issue:
    """A draft copy of `source` (an unresolved issue of an earlier RAKORTEK) in `meeting`,
    in the desk of the same field, linked to where it came from.

    A delegate carries over their own region's issues while submission is open; the
    secretariat at any time. Attachments stay with the earlier issue.
    """
    _check_may_write(actor, meeting=meeting, region=source.region)
    if meeting.kind != Meeting.Kind.RAKORTEK:
        raise IssueError(_("Issues are submitted to a RAKORTEK meeting."))
    # The row lock makes a second carry-over of the same issue wait and then see the first.
    source = (
        Issue.objects.select_for_update()
        .select_related("meeting", "desk__field", "region")
        .get(pk=source.pk)
    )
    if source.meeting.kind != Meeting.Kind.RAKORTEK or source.meeting.year >= meeting.year:
        raise IssueError(_("Only an issue of an earlier year's RAKORTEK can be carried over."))
    if source.status not in CARRYABLE_STATUSES or source.merged_into_id is not None:
        raise IssueError(
            _("Only a Priority, Reserve, Agreed or Forwarded issue can be carried over.")
        )
    _check_window(actor, meeting, source.region)
    if Issue.objects.filter(meeting=meeting, carried_over_from=source).exists():
        raise IssueError(_("This issue has already been carried over into this meeting."))
    # Once carried over, the copy is the one to follow (and to carry over again).
    earlier_copy = source.carried_over_to.select_related("meeting").first()
    if earlier_copy is not None:
        raise IssueError(
            _("This issue has already been carried over into %(meeting)s: follow that copy.")
            % {"meeting": earlier_copy.meeting.title}
        )
    desk = meeting.desks.filter(field_id=source.desk.field_id).first()
    if desk is None:
        raise IssueError(
            _(
                "%(meeting)s has no desk for %(field)s, so the issue cannot be carried over. "
                "Ask the secretariat to add the desk."
            )
            % {"meeting": meeting.title, "field": source.desk.field.name}
        )
    issue = Issue.objects.create(
        meeting=meeting,
        desk=desk,
        region=source.region,
        entered_by=actor,
        is_proxy_entry=not actor.is_delegate,
        priority_order=_next_priority(desk, source.region),
        carried_over_from=source,
        **{
            **{name: getattr(source, name) for name in CARRIED_FIELDS},
            **_lead_figures(source),
        },
    )
    # A joint issue stays joint: every proposing region, and (issues.figures) every
    # region's volume and cost read from the joint issue it continues.
    issue.joint_regions.set(source.joint_regions.all())
    origin = {
        "issue": source.pk,
        "code": source.code,
        "meeting": source.meeting.title,
        "status": source.status,
    }
    _record(
        issue,
        actor,
        IssueEvent.Kind.CARRIED_IN,
        to_status=issue.status,
        reason=f"{source.code or source.title} · {source.meeting.title}",
        detail={"carried_over_from": origin},
    )
    _record(
        source,
        actor,
        IssueEvent.Kind.CARRIED_OUT,
        reason=meeting.title,
        detail={"carried_over_to": {"issue": issue.pk, "meeting": meeting.title}},
    )
    return issue
