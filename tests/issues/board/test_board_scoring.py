"""Scores: the arithmetic of the weighted score, saving scores through the service, and
the score form on the board (plain post and htmx)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from issues import services
from issues.board.scoring import level_label, score_parts, weighted_score
from issues.models import Issue, IssueEvent, Score
from tests.factories import MeetingFactory
from tests.issues.board.helpers import default_criteria, score, submitted, verified, version

pytestmark = pytest.mark.django_db
S = Issue.Status


def criteria_with(*weights):
    return [
        SimpleNamespace(pk=n, weight=w, level_labels=["", "", "", "", ""])
        for n, w in enumerate(weights, start=1)
    ]


def values(*scores):
    return {n: v for n, v in enumerate(scores, start=1)}


# The arithmetic (issues/board/scoring.py)


def test_an_issue_scored_one_everywhere_has_zero():
    assert weighted_score(criteria_with(30, 25, 20, 15, 10), values(1, 1, 1, 1, 1)) == Decimal(
        "0.00"
    )


def test_an_issue_scored_five_everywhere_has_a_hundred():
    assert weighted_score(criteria_with(30, 25, 20, 15, 10), values(5, 5, 5, 5, 5)) == Decimal(
        "100.00"
    )


def test_the_default_weights_give_the_documented_total():
    # 30 × 4/4 + 25 × 3/4 + 20 × 2/4 + 15 × 1/4 + 10 × 0/4 = 30 + 18.75 + 10 + 3.75 + 0
    assert weighted_score(criteria_with(30, 25, 20, 15, 10), values(5, 4, 3, 2, 1)) == Decimal(
        "62.50"
    )


def test_weights_that_do_not_add_up_to_a_hundred_still_give_a_score_out_of_a_hundred():
    # 100 × (2 × 4/4 + 2 × 2/4) / 4 = 75
    assert weighted_score(criteria_with(2, 2), values(5, 3)) == Decimal("75.00")


def test_the_total_is_rounded_half_up_to_two_places():
    # 100 × (1 × 1/4) / 8 = 3.125: half up gives 3.13 where banker's rounding would give 3.12
    assert weighted_score(criteria_with(1, 7), values(2, 1)) == Decimal("3.13")


def test_a_third_is_rounded_to_two_places():
    # 100 × (1 × 1/4 + 1 × 1/4) / 3 = 16.666...
    assert weighted_score(criteria_with(1, 1, 1), values(2, 2, 1)) == Decimal("16.67")


def test_there_is_no_score_until_every_criterion_is_scored():
    assert weighted_score(criteria_with(50, 50), {1: 5}) is None
    assert weighted_score([], {}) is None


def test_the_parts_show_each_criterion_share_and_its_maximum():
    parts = score_parts(criteria_with(30, 70), {1: 3})
    assert [(p.value, p.points, p.max_points) for p in parts] == [
        (3, Decimal(15), Decimal(30)),
        (None, None, Decimal(70)),
    ]


def test_a_level_label_is_the_criterion_word_for_the_value(meeting):
    urgency = default_criteria(meeting)[0]
    assert level_label(urgency, 5) == "Sangat mendesak"
    assert level_label(urgency, 1) == "Tidak mendesak"
    assert level_label(urgency, None) == ""


# The service


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def issue(desk_bina_marga, secretariat, criteria):
    return verified(desk_bina_marga, secretariat)


def test_saving_scores_stores_the_weighted_score_and_marks_the_issue_discussed(
    issue, kabid_bina_marga, criteria
):
    score(issue, kabid_bina_marga, criteria, [5, 4, 3, 2, 1])
    issue.refresh_from_db()
    assert issue.score == Decimal("62.50")
    assert issue.status == S.DISCUSSED
    assert sorted(issue.scores.values_list("value", flat=True)) == [1, 2, 3, 4, 5]
    assert set(issue.scores.values_list("scored_by", flat=True)) == {kabid_bina_marga.pk}


def test_changing_the_weights_stores_every_score_again_so_both_boards_agree(
    issue, kabid_bina_marga, criteria
):
    from issues.board.views_live import live_issues
    from meetings.services import criteria_update

    score(issue, kabid_bina_marga, criteria, [5, 4, 3, 2, 1])
    before = version(issue.desk)
    for criterion, weight in zip(criteria, [10, 15, 20, 25, 30], strict=True):
        criterion.weight = weight
    criteria_update(meeting=issue.meeting, keep=criteria, remove=[])
    issue.refresh_from_db()
    # 100 x (10 x 4/4 + 15 x 3/4 + 20 x 2/4 + 25 x 1/4) / 100
    assert issue.score == Decimal("37.50")
    assert [i.score for i in live_issues(issue.desk) if i.pk == issue.pk] == [Decimal("37.50")]
    assert version(issue.desk) == before + 1


def test_scoring_is_recorded_in_the_history_with_every_value(issue, kabid_bina_marga, criteria):
    score(issue, kabid_bina_marga, criteria, [5, 4, 3, 2, 1])
    event = issue.events.get(kind=IssueEvent.Kind.SCORED)
    assert event.actor == kabid_bina_marga
    assert event.detail == {
        "scores": [[c.name, v] for c, v in zip(criteria, [5, 4, 3, 2, 1], strict=True)],
        "score": "62.50",
    }
    assert issue.events.filter(kind=IssueEvent.Kind.STATUS, to_status=S.DISCUSSED).exists()


def test_a_partly_scored_issue_has_no_total_yet(issue, kabid_bina_marga, criteria):
    score(issue, kabid_bina_marga, criteria, [5, 4, None, None, None])
    issue.refresh_from_db()
    assert issue.score is None
    assert issue.scores.count() == 2


def test_clearing_a_score_removes_it_and_the_total(issue, kabid_bina_marga, criteria):
    score(issue, kabid_bina_marga, criteria, [5, 5, 5, 5, 5])
    score(issue, kabid_bina_marga, criteria, [5, 5, 5, 5, None])
    issue.refresh_from_db()
    assert issue.score is None
    assert issue.scores.count() == 4


def test_saving_the_same_scores_again_changes_nothing(issue, kabid_bina_marga, criteria):
    score(issue, kabid_bina_marga, criteria, [3, 3, 3, 3, 3])
    before = version(issue.desk)
    score(issue, kabid_bina_marga, criteria, [3, 3, 3, 3, 3])
    assert version(issue.desk) == before
    assert issue.events.filter(kind=IssueEvent.Kind.SCORED).count() == 1


def test_every_score_change_bumps_the_board_version(issue, kabid_bina_marga, criteria):
    before = version(issue.desk)
    score(issue, kabid_bina_marga, criteria, [3, 3, 3, 3, 3])
    assert version(issue.desk) == before + 1


def test_an_issue_not_yet_verified_cannot_be_scored(
    desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    waiting = submitted(desk_bina_marga, secretariat)
    with pytest.raises(services.InvalidTransition):
        score(waiting, kabid_bina_marga, criteria, [3, 3, 3, 3, 3])
    assert not Score.objects.exists()


def test_a_score_outside_one_to_five_is_refused(issue, kabid_bina_marga, criteria):
    with pytest.raises(services.IssueError):
        score(issue, kabid_bina_marga, criteria, [6, 3, 3, 3, 3])
    assert not Score.objects.exists()


def test_a_criterion_of_another_meeting_is_refused(issue, kabid_bina_marga, criteria):
    other = default_criteria(MeetingFactory())[0]
    with pytest.raises(services.IssueError):
        services.issue_scores_set(
            actor=kabid_bina_marga, issue=issue, values={other.pk: 3}, version=version(issue.desk)
        )


def test_the_chair_of_another_desk_may_not_score(issue, kabid_sda, criteria):
    with pytest.raises(services.PermissionDenied):
        score(issue, kabid_sda, criteria, [3, 3, 3, 3, 3])


def test_the_database_refuses_a_score_of_six(issue, criteria, kabid_bina_marga):
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            issue=issue, criterion=criteria[0], value=6, scored_at=issue.created_at
        )


def test_the_database_refuses_two_scores_for_one_criterion(issue, criteria):
    Score.objects.create(issue=issue, criterion=criteria[0], value=3, scored_at=issue.created_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            issue=issue, criterion=criteria[0], value=4, scored_at=issue.created_at
        )


# The score form on the board


def score_url(issue):
    return reverse("issues:board_score", kwargs={"desk_id": issue.desk_id, "pk": issue.pk})


def board_url(desk):
    return reverse("issues:board", kwargs={"desk_id": desk.pk})


def form_data(criteria, scores, board_version):
    data = {f"c{c.pk}": "" if v is None else str(v) for c, v in zip(criteria, scores, strict=True)}
    data["version"] = str(board_version)
    return data


def test_the_score_form_offers_each_criterion_with_its_level_words(
    as_kabid_bina_marga, issue, criteria
):
    response = as_kabid_bina_marga.get(score_url(issue))
    assert response.status_code == 200
    form = response.context["form"]
    urgency = form.fields[f"c{criteria[0].pk}"]
    assert ("5", "5 – Sangat mendesak") in urgency.choices


def test_the_chair_saves_scores_with_a_plain_post(as_kabid_bina_marga, issue, criteria):
    response = as_kabid_bina_marga.post(
        score_url(issue), form_data(criteria, [5, 4, 3, 2, 1], version(issue.desk))
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(issue.desk)}#isu-{issue.pk}"
    issue.refresh_from_db()
    assert issue.score == Decimal("62.50")


def test_htmx_saves_scores_and_answers_with_the_row_and_the_new_version(
    as_kabid_bina_marga, issue, criteria
):
    before = version(issue.desk)
    response = as_kabid_bina_marga.post(
        score_url(issue),
        form_data(criteria, [5, 5, 5, 5, 5], before),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#isu-{issue.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    assert response.context["row"].score == Decimal("100.00")
    html = response.content.decode()
    assert f'id="isu-{issue.pk}"' in html
    assert f'data-version="{before + 1}"' in html
    assert f'data-previous="{before}"' in html
    assert 'hx-swap-oob="true"' in html


def test_htmx_opens_the_score_form_alone(as_kabid_bina_marga, issue):
    response = as_kabid_bina_marga.get(score_url(issue), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "issues/board/_score_form.html"


def test_an_unknown_score_value_is_shown_next_to_the_field_and_nothing_is_saved(
    as_kabid_bina_marga, issue, criteria
):
    data = form_data(criteria, [5, 4, 3, 2, 1], version(issue.desk))
    data[f"c{criteria[0].pk}"] = "9"
    response = as_kabid_bina_marga.post(score_url(issue), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert f"c{criteria[0].pk}" in form.errors
    assert form.data[f"c{criteria[1].pk}"] == "4"
    assert not Score.objects.exists()


def test_a_stale_version_is_refused_and_the_typed_scores_are_kept(
    as_kabid_bina_marga, as_secretariat, issue, criteria, kabid_bina_marga
):
    seen = version(issue.desk)
    score(issue, kabid_bina_marga, criteria, [1, 1, 1, 1, 1])  # someone else, meanwhile
    response = as_kabid_bina_marga.post(
        score_url(issue), form_data(criteria, [5, 5, 5, 5, 5], seen)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form.data[f"c{criteria[0].pk}"] == "5"
    # The form now carries the current version: sending it again is a deliberate choice.
    assert form.data["version"] == str(version(issue.desk))
    # The page shows what is saved now.
    assert response.context["score"] == Decimal("0.00")
    issue.refresh_from_db()
    assert issue.score == Decimal("0.00")
