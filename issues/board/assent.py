"""Reads for the regions' assent to a desk's decisions: the current round, what each
region is asked, the answers as the board and the documents show them, and the
outcome recorded when the desk is locked.

Writes go through issues.board.services_assent (open a round, answer) and
issues.services.desk_lock (the lock record).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from issues.board.selectors import HIDDEN_STATUSES
from issues.models import AgreementPoint, AssentItem, AssentRound, DeskLockRecord, Issue
from rakortek.core import access

A = AssentItem.Answer


def current_round(desk) -> AssentRound | None:
    """The desk's open round, or None."""
    return AssentRound.objects.filter(desk=desk, closed_at__isnull=True).first()


def latest_round(desk) -> AssentRound | None:
    return AssentRound.objects.filter(desk=desk).order_by("-number").first()


def askable_issues(desk) -> list[Issue]:
    """The desk's decided issues on its board, each with its regions (joint ones too)."""
    return list(
        Issue.objects.filter(desk=desk, submitted_at__isnull=False, merged_into__isnull=True)
        .exclude(status__in=HIDDEN_STATUSES)
        .exclude(decision="")
        .select_related("region", "desk__field")
        .prefetch_related(
            "joint_regions",
            Prefetch("agreement_points", queryset=AgreementPoint.objects.order_by("order")),
        )
        .order_by("rank", "id")
    )


def issue_regions(issue) -> list:
    regions = {issue.region_id: issue.region}
    for region in issue.joint_regions.all():
        regions.setdefault(region.pk, region)
    return sorted(regions.values(), key=lambda r: r.kemendagri_code)


def wording(issue) -> str:
    """What the region agrees to: the agreement point's sentence where the issue is the
    source of one, else the decision's note (and where a redirected issue goes)."""
    points = list(issue.agreement_points.all())
    if points:
        return "\n".join(point.text for point in points)
    parts = [issue.decision_reason.strip()]
    if issue.decision == Issue.Decision.REDIRECTED and issue.redirected_to:
        parts.append(f"Dialihkan ke {issue.redirected_to}.")
    return "\n".join(part for part in parts if part)


def round_items(assent_round):
    return (
        assent_round.items.select_related("issue__desk__field", "region", "answered_by")
        .order_by("issue__rank", "issue_id", "region__kemendagri_code")
        .all()
    )


@dataclass
class RoundView:
    """A round as the board shows it: its items grouped by issue, and the counts."""

    round: AssentRound
    issues: list = field(default_factory=list)  # (issue, [items])
    agreed: int = 0
    objected: int = 0
    silent: int = 0
    # Issues whose decision or wording changed since the round opened.
    changed: list = field(default_factory=list)

    @property
    def accepts_answers(self):
        return self.round.accepts_answers()


def round_view(assent_round) -> RoundView:
    view = RoundView(round=assent_round)
    by_issue = {}
    for item in round_items(assent_round):
        by_issue.setdefault(item.issue_id, (item.issue, []))[1].append(item)
        if item.answer == A.AGREE:
            view.agreed += 1
        elif item.answer == A.OBJECT:
            view.objected += 1
        else:
            view.silent += 1
    view.issues = list(by_issue.values())
    if assent_round.is_open:
        current = {issue.pk: issue for issue in askable_issues(assent_round.desk)}
        for issue, items in view.issues:
            now = current.get(issue.pk)
            if now is None or (now.decision, wording(now)) != (items[0].decision, items[0].wording):
                view.changed.append(issue)
    return view


def board_assent(desk, *, locked=False) -> dict:
    """For the board's assent block: the latest round (with its answers), the earlier
    rounds, and (on a locked desk) the latest lock record. One query while the desk has
    asked for nothing."""
    rounds = list(AssentRound.objects.filter(desk=desk).order_by("-number"))
    record = None
    if locked:
        record = DeskLockRecord.objects.filter(desk=desk).select_related("actor").first()
    return {
        "latest": round_view(rounds[0]) if rounds else None,
        "earlier": [round_view(r) for r in rounds[1:]],
        "lock_record": record,
    }


def outcome(assent_round, at=None) -> dict:
    """The record of a round as it stands: every region's answer on every issue."""
    if assent_round is None:
        return {}
    at = at or timezone.now()
    return {
        "round": assent_round.number,
        "deadline": assent_round.deadline.isoformat(),
        "deadline_passed": at >= assent_round.deadline,
        "answers": [
            {
                "issue": item.issue.code,
                "title": item.issue.title,
                "region": item.region.name,
                "decision": item.decision,
                "answer": item.answer,
                "note": item.note,
                "by": item.answered_by.get_full_name() if item.answered_by else "",
                "at": item.answered_at.isoformat() if item.answered_at else "",
            }
            for item in round_items(assent_round)
        ],
    }


def objections(desk) -> list[dict]:
    """The objections of the desk's last lock record, or of its latest round while the
    desk is not locked: [{issue, title, region, note, by, at}], for the documents."""
    record = DeskLockRecord.objects.filter(desk=desk).first()
    if record is not None and record.detail.get("answers") is not None:
        return [a for a in record.detail["answers"] if a["answer"] == A.OBJECT]
    latest = latest_round(desk)
    if latest is None:
        return []
    return [a for a in outcome(latest)["answers"] if a["answer"] == A.OBJECT]


def items_for(user, *, open_only=True):
    """The assent items `user` may read (rule "assent"): a delegate's are those of
    their region; the newest round first."""
    items = AssentItem.objects.filter(
        access.q(
            user,
            "assent",
            meeting="issue__meeting",
            desk="round__desk",
            region="region",
        )
    )
    if open_only:
        items = items.filter(round__closed_at__isnull=True)
    return items.select_related(
        "round__desk__field", "round__desk__meeting", "issue__desk__field", "region", "answered_by"
    ).order_by("round__deadline", "round__desk_id", "issue__rank", "issue_id")


def pending_for_region(region) -> list[AssentItem]:
    """The open, unanswered items of `region` whose deadline has not passed."""
    if region is None:
        return []
    return list(
        AssentItem.objects.filter(
            region=region,
            answer="",
            round__closed_at__isnull=True,
            round__deadline__gt=timezone.now(),
        ).select_related("round__desk__field")
    )


def document_summary(desk) -> dict:
    """For the desk minutes: the round recorded at the lock (or the latest round while
    the desk is not locked), its counts, and its objections."""
    record = DeskLockRecord.objects.filter(desk=desk).first()
    if record is not None and record.detail.get("answers") is not None:
        summary = dict(record.detail)
    else:
        latest = latest_round(desk)
        summary = outcome(latest) if latest is not None else {}
    answers = summary.get("answers") or []
    summary["agreed"] = sum(1 for a in answers if a["answer"] == A.AGREE)
    summary["objected"] = sum(1 for a in answers if a["answer"] == A.OBJECT)
    summary["silent"] = sum(1 for a in answers if not a["answer"])
    summary["objections"] = [a for a in answers if a["answer"] == A.OBJECT]
    return summary


def meeting_objections(meeting) -> list[dict]:
    """For the berita acara's annex: each desk of `meeting` with objections, in order."""
    groups = []
    for desk in meeting.desks.select_related("field").order_by("field__order", "field__name"):
        found = objections(desk)
        if found:
            groups.append({"desk": desk, "objections": found})
    return groups
