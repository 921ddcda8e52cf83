"""The regions' assent to a desk's decisions: the desk opens a round with a deadline,
each region's delegate answers Setuju or Keberatan for each of its issues.

Every answer leaves an IssueEvent in the issue's history. Locking the desk closes the
round and records its outcome (issues.services.desk_lock); whether locking waits for
the answers is the desk's choice (README, on the desk board).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues import emails
from issues.board import assent
from issues.board.selectors import may_work_on_board
from issues.models import AssentItem, AssentRound, IssueEvent
from issues.services import IssueError, _board_for_write, _bump, _record
from meetings.models import Desk
from rakortek.core import access
from rakortek.core.formatting import jam, tanggal

A = AssentItem.Answer


@transaction.atomic
def assent_open(*, actor, desk: Desk, deadline, version: int) -> AssentRound:
    """Open a round on the desk's decided issues until `deadline`; the previous round
    closes. A region whose issue's decision and wording are as they were in the
    previous round keeps its answer; every other region answers again."""
    if not may_work_on_board(actor, desk):
        raise PermissionDenied
    board = _board_for_write(desk.pk, version)
    now = timezone.now()
    if deadline is None or deadline <= now:
        raise IssueError(_("The deadline for the answers must be in the future."))
    issues = assent.askable_issues(desk)
    if not issues:
        raise IssueError(_("The desk has no decision yet to ask the regions about."))
    previous = AssentRound.objects.select_for_update().filter(desk=desk).order_by("-number").first()
    earlier = {}
    if previous is not None:
        earlier = {(i.issue_id, i.region_id): i for i in previous.items.all()}
        if previous.closed_at is None:
            previous.closed_at = now
            previous.save(update_fields=["closed_at"])
    new_round = AssentRound.objects.create(
        desk=desk,
        number=(previous.number + 1) if previous else 1,
        deadline=deadline,
        opened_by=actor,
    )
    items = []
    asked_regions = {}
    for issue in issues:
        text = assent.wording(issue)
        asked = []
        for region in assent.issue_regions(issue):
            item = AssentItem(
                round=new_round, issue=issue, region=region, decision=issue.decision, wording=text
            )
            before = earlier.get((issue.pk, region.pk))
            if (
                before
                and before.answer
                and (before.decision, before.wording)
                == (
                    issue.decision,
                    text,
                )
            ):
                item.answer, item.note = before.answer, before.note
                item.answered_by_id, item.answered_at = before.answered_by_id, before.answered_at
                item.carried = True
            else:
                asked.append(region.name)
                asked_regions[region.pk] = region
            items.append(item)
        _record(
            issue,
            actor,
            IssueEvent.Kind.ASSENT_ASKED,
            detail={
                "round": new_round.number,
                "deadline": deadline.isoformat(),
                "decision": issue.decision,
                "asked": asked,
            },
        )
    AssentItem.objects.bulk_create(items)
    _bump(board)
    emails.notify_assent_asked(round=new_round, regions=list(asked_regions.values()))
    return new_round


def assent_item_for(user, pk) -> AssentItem:
    """One item `user` may read (rule "assent"), or 404."""
    item = assent.items_for(user, open_only=False).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@transaction.atomic
def assent_answer(*, actor, item: AssentItem, answer: str, note: str = "") -> AssentItem:
    """A delegate of the item's region answers; again, as long as the round takes
    answers, to change the answer. Refused after the deadline and once the round is
    closed (a new round opened, or the desk locked)."""
    meeting = item.issue.meeting
    if not access.may(actor, "assent", write=True, meeting=meeting, region_ids=[item.region_id]):
        raise PermissionDenied
    assent_round = AssentRound.objects.select_for_update().get(pk=item.round_id)
    item = AssentItem.objects.select_for_update().select_related("issue", "region").get(pk=item.pk)
    now = timezone.now()
    if assent_round.closed_at is not None:
        raise IssueError(
            _(
                "This request for assent is closed: the desk has asked again or locked the "
                "desk. Answer the current request, if there is one."
            )
        )
    if now >= assent_round.deadline:
        raise IssueError(
            _("The deadline for answering passed on %(deadline)s: the answer was not saved.")
            % {"deadline": f"{tanggal(assent_round.deadline)} {jam(assent_round.deadline)}"}
        )
    if answer not in A.values:
        raise IssueError(_("Choose Setuju or Keberatan."))
    note = (note or "").strip()
    if answer == A.OBJECT and not note:
        raise IssueError(_("Write the reason for the objection."))
    item.answer, item.note = answer, note
    item.answered_by, item.answered_at, item.carried = actor, now, False
    item.save(update_fields=["answer", "note", "answered_by", "answered_at", "carried"])
    _record(
        item.issue,
        actor,
        IssueEvent.Kind.ASSENT_ANSWERED,
        reason=note,
        detail={
            "round": assent_round.number,
            "region": item.region.name,
            "answer": answer,
        },
    )
    return item
