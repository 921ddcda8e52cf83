"""Reads for a desk's board: who may open it, its issues with their scores, the
proposed order, the per-region summary and the warnings about the decisions.

Writes go through issues.services (issue_scores_set, issue_rank_set, ...).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from issues.board.scoring import score_parts, weighted_score
from issues.figures import attach_figures
from issues.models import DeskState, Issue, Score
from meetings.models import Desk
from meetings.selectors import desk_for
from rakortek.core import access

S = Issue.Status
D = Issue.Decision

# On the board at all: everything submitted that has not been withdrawn or merged into
# a joint issue (the joint issue stands for it).
HIDDEN_STATUSES = (S.DRAFT, S.WITHDRAWN, S.MERGED)
# Waiting for the desk to verify them or for the region to answer.
WAITING_STATUSES = (S.SUBMITTED, S.NEEDS_REVISION)
# The desk may score, rank and decide these.
WORKABLE_STATUSES = (
    S.VERIFIED,
    S.DISCUSSED,
    S.PRIORITY,
    S.RESERVE,
    S.NOT_PRIORITISED,
    S.REDIRECTED,
)
# Keep their rank once ranked; agreed and forwarded issues are past the board's work.
RANKABLE_STATUSES = (*WORKABLE_STATUSES, S.AGREED, S.FORWARDED)


def desk_for_user(user, desk_id, *, write=False) -> Desk:
    """The desk `desk_id` if `user` may open its board (rule "board" of rakortek.core.access)."""
    return desk_for(user, desk_id, "board", write=write)


def desk_and_state_for_user(user, desk_id) -> tuple[Desk, DeskState]:
    """The desk (as desk_for_user) and its board state, in one query."""
    desks = Desk.objects.select_related("meeting", "field", "chair", "board_state")
    desk = desk_for(user, desk_id, "board", desks=desks)
    try:
        state = desk.board_state
    except DeskState.DoesNotExist:
        state = DeskState(desk=desk)
    return desk, state


def may_work_on_board(user, desk) -> bool:
    """Score, rank, decide, merge, lock: the desk's chair or the secretariat."""
    return access.may(user, "board", write=True, meeting=desk.meeting, desk=desk)


def board_issue(desk, pk) -> Issue:
    """One issue on `desk`'s board, or 404."""
    try:
        return (
            Issue.objects.select_related("region", "desk__field", "meeting")
            .exclude(status__in=HIDDEN_STATUSES)
            .get(desk=desk, pk=pk, submitted_at__isnull=False, merged_into__isnull=True)
        )
    except (Issue.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def board_issues(desk) -> list[Issue]:
    """Every issue on the board of `desk`, with its scores and joint regions.

    Three queries whatever the number of issues: the issues (with region and field),
    their joint regions, and their scores, which come as plain values in
    `issue.score_values` ({criterion id: value}): at hundreds of issues building a Score
    object for each of the thousands of scores took longer than the rest of the reading.
    """
    on_board = Issue.objects.filter(
        desk=desk, submitted_at__isnull=False, merged_into__isnull=True
    ).exclude(status__in=HIDDEN_STATUSES)
    issues = list(
        on_board.select_related("region", "desk__field")
        .prefetch_related("joint_regions")
        .order_by(F("rank").asc(nulls_last=True), "region__kemendagri_code", "priority_order", "id")
    )
    values = {}
    scores = Score.objects.filter(issue__in=on_board.values("pk"))
    for issue_id, criterion_id, value in scores.values_list("issue_id", "criterion_id", "value"):
        values.setdefault(issue_id, {})[criterion_id] = value
    for issue in issues:
        issue.score_values = values.get(issue.pk, {})
    return attach_figures(issues)


def board_ranked_count(desk) -> int:
    """How many issues the ranking of `desk` holds: the next free rank is one more."""
    return Issue.objects.filter(
        desk=desk,
        rank__isnull=False,
        status__in=RANKABLE_STATUSES,
        merged_into__isnull=True,
        submitted_at__isnull=False,
    ).count()


def board_criteria(desk):
    return list(desk.meeting.criteria.all())


def board_state(desk) -> DeskState:
    """The desk's board state; an unsaved one at version 1 until the first write."""
    return DeskState.objects.filter(desk=desk).first() or DeskState(desk=desk)


@dataclass
class Row:
    """One issue as the board shows it."""

    issue: Issue
    values: dict
    parts: list
    score: Decimal | None
    proposed_rank: int | None = None
    # Ranked above an issue with a higher score, or below one with a lower score.
    against_score: bool = False
    regions: list = field(default_factory=list)
    # Links and words of the row, set once per board by the view (issues.board.views.link_rows):
    # a reverse() or a get_FOO_display() per row is a good part of a large board's time.
    detail_url: str = ""
    editor_url: str = ""
    rank_url: str = ""
    status_label: str = ""
    authority_label: str = ""
    decision_label: str = ""

    @property
    def workable(self):
        return self.issue.status in WORKABLE_STATUSES

    @property
    def waiting(self):
        return self.issue.status in WAITING_STATUSES

    @property
    def scored_count(self):
        return len(self.values)

    @property
    def region_names(self):
        return " + ".join(region.name for region in self.regions)

    @property
    def figures(self):
        """Volume and cost, summed over a joint issue's regions (issues.figures)."""
        return self.issue.figures


def live_score(issue, criteria) -> Decimal | None:
    """The score from the issue's (prefetched) scores and the criteria as they are now."""
    values = {s.criterion_id: s.value for s in issue.scores.all()}
    return weighted_score(criteria, values)


def proposal_key(score, issue):
    """Highest score first; ties by the region's own priority, then by number.
    Issues without a full score come after every scored one."""
    if score is None:
        return (1, 0, issue.priority_order, issue.number or 0, issue.pk)
    return (0, -score, issue.priority_order, issue.number or 0, issue.pk)


def build_rows(issues, criteria) -> list[Row]:
    """The rows of `issues` as board_issues() reads them."""
    rows = []
    for issue in issues:
        values = issue.score_values
        parts = score_parts(criteria, values)
        rows.append(
            Row(
                issue=issue,
                values=values,
                parts=parts,
                score=weighted_score(criteria, values),
                regions=[issue.region, *issue.joint_regions.all()],
            )
        )
    rankable = [r for r in rows if r.issue.status in RANKABLE_STATUSES]
    for position, row in enumerate(
        sorted(rankable, key=lambda r: proposal_key(r.score, r.issue)), start=1
    ):
        row.proposed_rank = position
    mark_against_score([r for r in rows if r.issue.rank is not None])
    return rows


def ranked_against_score(order, scores) -> set:
    """The ids of the issues in `order` (ranked, best first) that sit above a lower score
    or below a higher one; `scores` maps issue id to score (None: not scored, never out
    of place). The one definition of "ranked against the score": the board marks these
    rows, and moving an issue there needs a reason."""
    against = set()
    best_below = None
    for issue in reversed(order):
        score = scores.get(issue.pk)
        if score is None:
            continue
        if best_below is not None and best_below > score:
            against.add(issue.pk)
        if best_below is None or score > best_below:
            best_below = score
    worst_above = None
    for issue in order:
        score = scores.get(issue.pk)
        if score is None:
            continue
        if worst_above is not None and worst_above < score:
            against.add(issue.pk)
        if worst_above is None or score < worst_above:
            worst_above = score
    return against


def mark_against_score(ranked_rows):
    """Flag every ranked row that sits above a higher score or below a lower one."""
    ranked_rows = sorted(ranked_rows, key=lambda r: r.issue.rank)
    against = ranked_against_score(
        [r.issue for r in ranked_rows], {r.issue.pk: r.score for r in ranked_rows}
    )
    for row in ranked_rows:
        row.against_score = row.issue.pk in against


def region_summary(rows) -> list[dict]:
    """Per region: issues, fully scored, mean score, Priority decisions.

    Shown because delegates may score in favour of their own region: the desk sees
    each region's scores side by side. A joint issue counts for each of its regions.
    """
    summary = {}
    for row in rows:
        for region in row.regions:
            entry = summary.setdefault(
                region.pk,
                {"region": region, "issues": 0, "scored": 0, "total": Decimal(0), "priority": 0},
            )
            entry["issues"] += 1
            if row.score is not None:
                entry["scored"] += 1
                entry["total"] += row.score
            if row.issue.decision == D.PRIORITY:
                entry["priority"] += 1
    result = sorted(summary.values(), key=lambda e: e["region"].kemendagri_code)
    for entry in result:
        entry["mean"] = (
            (entry["total"] / entry["scored"]).quantize(Decimal("0.01"))
            if entry["scored"]
            else None
        )
    return result


def decision_warnings(rows) -> list[str]:
    """Things the chair should look at again; they never block a decision."""
    warnings = []
    priority = [r for r in rows if r.issue.decision == D.PRIORITY]
    # A single Priority is trivially all of them; the warning starts with the second.
    if len(priority) >= 2:
        per_region = Counter()
        names = {}
        for row in priority:
            for region in row.regions:
                per_region[region.pk] += 1
                names[region.pk] = region.name
        for region_id, count in sorted(per_region.items(), key=lambda item: names[item[0]]):
            if count * 2 > len(priority):
                warnings.append(
                    _(
                        "%(region)s holds %(count)d of the %(total)d Priority places, "
                        "more than half."
                    )
                    % {"region": names[region_id], "count": count, "total": len(priority)}
                )
    for row in priority:
        if row.issue.authority != Issue.Authority.PROVINCE:
            warnings.append(
                _("%(code)s is a Priority but its authority is %(authority)s, not the province.")
                % {"code": row.issue.code, "authority": row.issue.get_authority_display()}
            )
    return warnings
