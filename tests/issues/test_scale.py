"""A province's worth of issues: the generated data set, the pages that must not grow
with it, and the benchmark command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.board.scoring import weighted_score
from issues.models import DeskState, Issue, Score
from meetings.models import DEFAULT_CRITERIA, Meeting
from rakortek.demo import seed as demo
from tests.factories import CriterionFactory, DeskFactory, field

pytestmark = pytest.mark.django_db
S = Issue.Status

# Session, user, desk (with its state), the fingerprint of the board's cached rows, and
# the rows with their prefetches (and the merged originals behind joint issues'
# figures), and the regions' assent rounds: the same for 5 issues as for 500.
BOARD_QUERIES = 11
LIVE_QUERIES = 5


@pytest.fixture
def criteria(meeting):
    return [
        CriterionFactory(meeting=meeting, name=name, weight=weight, order=order)
        for order, (name, _description, weight, _labels) in enumerate(DEFAULT_CRITERIA, 1)
    ]


def test_seed_bulk_spreads_issues_over_desks_and_regions(
    meeting, desk_bina_marga, desk_sda, criteria
):
    created = demo.seed_bulk(meeting, 40)

    assert created == 40
    per_desk = dict(Issue.objects.values("desk").annotate(n=Count("id")).values_list("desk", "n"))
    assert per_desk == {desk_bina_marga.pk: 20, desk_sda.pk: 20}
    assert Issue.objects.values("region").distinct().count() == 7
    for desk in (desk_bina_marga, desk_sda):
        issues = Issue.objects.filter(desk=desk)
        assert sorted(issues.values_list("number", flat=True)) == list(range(1, 21))
        assert desk.issue_sequence.last_number == 20
        ranks = sorted(issues.exclude(rank=None).values_list("rank", flat=True))
        assert ranks == list(range(1, len(ranks) + 1)) and ranks
        assert DeskState.objects.get(desk=desk).version > 1


def test_generated_issues_are_scored_ranked_by_score_and_partly_decided(
    meeting, desk_bina_marga, criteria
):
    demo.seed_bulk(meeting, 60)
    ranked = list(Issue.objects.filter(rank__isnull=False).order_by("rank"))
    scores = [issue.score for issue in ranked]
    assert scores == sorted(scores, reverse=True)
    for issue in ranked[:3]:
        values = dict(Score.objects.filter(issue=issue).values_list("criterion", "value"))
        assert len(values) == len(criteria)
        assert weighted_score(criteria, values) == issue.score
    assert ranked[0].decision == ranked[0].status == S.PRIORITY
    reserve = [i for i in ranked if i.decision == S.RESERVE]
    assert reserve and all(i.decision_reason for i in reserve)
    unranked = Issue.objects.filter(rank__isnull=True)
    assert set(unranked.values_list("status", flat=True)) <= {S.SUBMITTED}
    assert not Issue.objects.filter(submitted_at__isnull=True).exists()


def test_seed_bulk_tops_up_instead_of_adding_again(meeting, desk_bina_marga, criteria):
    assert demo.seed_bulk(meeting, 12) == 12
    assert demo.seed_bulk(meeting, 12) == 0
    assert demo.seed_bulk(meeting, 20) == 8
    assert Issue.objects.count() == 20
    numbers = list(Issue.objects.order_by("number").values_list("number", flat=True))
    ranks = sorted(Issue.objects.exclude(rank=None).values_list("rank", flat=True))
    assert numbers == list(range(1, 21)) and ranks == list(range(1, len(ranks) + 1))
    # A region asking for the same thing again asks for a next phase.
    titles = Issue.objects.values_list("region", "title")
    assert len(set(titles)) == len(titles)


def test_seed_demo_generates_issues_on_request(db, media):
    out = StringIO()
    call_command("seed_demo", "--force", "--issues", "60", stdout=out)
    meeting = Meeting.objects.get(slug="rakortek-2022")
    assert meeting.issues.filter(submitted_at__isnull=False).count() == 60
    assert "Generated issues" in out.getvalue()
    call_command("seed_demo", "--force", "--issues", "60", stdout=StringIO())
    assert meeting.issues.filter(submitted_at__isnull=False).count() == 60


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("name", "limit"), [("issues:board", BOARD_QUERIES), ("issues:live_board", LIVE_QUERIES)]
)
def test_board_pages_answer_in_the_same_queries_for_5_and_500_issues(
    meeting,
    desk_bina_marga,
    criteria,
    as_kabid_bina_marga,
    django_assert_max_num_queries,
    name,
    limit,
):
    url = reverse(name, kwargs={"desk_id": desk_bina_marga.pk})
    demo.seed_bulk(meeting, 5, desks=[desk_bina_marga])
    with django_assert_max_num_queries(limit):
        small = _queries(as_kabid_bina_marga, url)

    demo.seed_bulk(meeting, 500, desks=[desk_bina_marga])
    assert desk_bina_marga.issues.count() == 500
    with django_assert_max_num_queries(limit):
        large = _queries(as_kabid_bina_marga, url)
    assert small == large


def test_live_rows_answer_in_the_same_queries_for_5_and_500_issues(
    meeting, desk_bina_marga, criteria, as_observer
):
    url = reverse("issues:live_rows", kwargs={"desk_id": desk_bina_marga.pk})
    demo.seed_bulk(meeting, 5, desks=[desk_bina_marga])
    small = _queries(as_observer, url)
    demo.seed_bulk(meeting, 500, desks=[desk_bina_marga])
    assert _queries(as_observer, url) == small <= LIVE_QUERIES


def test_duplicates_page_answers_in_the_same_queries_for_5_and_500_issues(
    meeting, desk_bina_marga, criteria, as_kabid_bina_marga
):
    url = reverse("issues:duplicates", kwargs={"desk_id": desk_bina_marga.pk})
    demo.seed_bulk(meeting, 5, desks=[desk_bina_marga])
    small = _queries(as_kabid_bina_marga, url)
    demo.seed_bulk(meeting, 500, desks=[desk_bina_marga])
    assert _queries(as_kabid_bina_marga, url) == small


def test_bench_board_prints_figures_and_leaves_nothing_behind(db):
    meetings = Meeting.objects.count()
    issues = Issue.objects.count()
    out = StringIO()
    call_command("bench_board", "--sizes", "4,8", "--runs", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert "median of 1 runs" in lines[0]
    assert [line.split()[0] for line in lines[2:]] == ["4", "8"]
    assert all(line.count(" ms ") == 4 for line in lines[2:])
    assert (Meeting.objects.count(), Issue.objects.count()) == (meetings, issues)


def test_bench_pages_prints_figures_and_leaves_nothing_behind(db):
    from issues.models import PackagePoint

    counts = (Meeting.objects.count(), Issue.objects.count(), PackagePoint.objects.count())
    out = StringIO()
    call_command("bench_pages", "--sizes", "60", "--runs", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert "median of 1 runs" in lines[0]
    issues, points = lines[2].split()[:2]
    assert int(issues) >= 60 and int(points) >= 6
    assert lines[2].count(" ms ") == 5
    assert (
        Meeting.objects.count(),
        Issue.objects.count(),
        PackagePoint.objects.count(),
    ) == counts


def test_seed_bulk_fills_a_field_it_has_no_templates_for(meeting):
    desk = DeskFactory(meeting=meeting, field=field("jasa-konstruksi"))
    other = DeskFactory(
        meeting=meeting,
        field=type(desk.field).objects.create(name="Bidang Lain", code="BL", slug="bidang-lain"),
    )
    assert demo.seed_bulk(meeting, 6, desks=[desk, other]) == 6
    assert other.issues.count() == 3 and not other.issues.exclude(rank=None).exists()
