"""Building blocks for the desk board tests: the meeting's criteria, verified issues,
scores given through the services, and the ranking as the database holds it."""

from issues import services
from issues.board.selectors import board_state
from issues.models import Issue
from meetings.models import DEFAULT_CRITERIA, Criterion
from tests.factories import IssueFactory, region


def default_criteria(meeting):
    """Urgency 30, impact 25, plans 20, readiness 15, authority 10, with their level words."""
    return [
        Criterion.objects.create(
            meeting=meeting,
            name=name,
            description=description,
            weight=weight,
            order=order,
            level_labels=labels,
        )
        for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA)
    ]


def verified(desk, actor, *, region_slug="pangkalpinang", **fields):
    """A submitted and verified issue of `region_slug` in `desk` (actor: the secretariat)."""
    issue = IssueFactory(desk=desk, region=region(region_slug), **fields)
    issue = services.issue_submit(actor=actor, issue=issue)
    return services.issue_verify(actor=actor, issue=issue)


def submitted(desk, actor, *, region_slug="pangkalpinang", **fields):
    issue = IssueFactory(desk=desk, region=region(region_slug), **fields)
    return services.issue_submit(actor=actor, issue=issue)


def version(desk):
    return board_state(desk).version


def score(issue, actor, criteria, values):
    """Score `issue` with `values` in the order of `criteria` (1..5 or None)."""
    return services.issue_scores_set(
        actor=actor,
        issue=issue,
        values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        version=version(issue.desk),
    )


def score_all(issue, actor, criteria, value):
    return score(issue, actor, criteria, [value] * len(criteria))


def ranking(desk):
    """The issue ids of `desk` in rank order."""
    return list(
        Issue.objects.filter(desk=desk, rank__isnull=False)
        .order_by("rank")
        .values_list("pk", flat=True)
    )


def assert_gap_free(desk):
    ranks = list(
        Issue.objects.filter(desk=desk, rank__isnull=False)
        .order_by("rank")
        .values_list("rank", flat=True)
    )
    assert ranks == list(range(1, len(ranks) + 1))
