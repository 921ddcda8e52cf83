"""Ranks: the proposed order, moves by arrows, typed ranks and drags, the reason for
ranking against the scores, and ranks that stay unique and gap-free whatever happens."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse

from issues import services
from issues.models import Issue, IssueEvent
from tests.factories import IssueFactory
from tests.issues.board.helpers import (
    assert_gap_free,
    default_criteria,
    ranking,
    score_all,
    verified,
    version,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def three(desk_bina_marga, secretariat, kabid_bina_marga, criteria):
    """Three verified issues scored 100, 75 and 50, ranked in that order."""
    issues = [
        verified(desk_bina_marga, secretariat, region_slug=slug)
        for slug in ("pangkalpinang", "bangka", "belitung")
    ]
    for issue, value in zip(issues, (5, 4, 3), strict=True):
        score_all(issue, kabid_bina_marga, criteria, value)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    return issues


def move(issue, actor, position, reason=""):
    return services.issue_rank_set(
        actor=actor, issue=issue, position=position, version=version(issue.desk), reason=reason
    )


def rank_url(issue):
    return reverse("issues:board_rank", kwargs={"desk_id": issue.desk_id, "pk": issue.pk})


# The proposed order


def test_the_proposed_order_follows_the_scores(three, desk_bina_marga):
    assert ranking(desk_bina_marga) == [i.pk for i in three]
    assert_gap_free(desk_bina_marga)


def test_ties_go_to_the_region_own_priority_then_to_the_number(
    desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    first_of_bangka = verified(desk_bina_marga, secretariat, region_slug="bangka", priority_order=1)
    second_of_kota = verified(desk_bina_marga, secretariat, priority_order=2)
    first_of_kota = verified(desk_bina_marga, secretariat, priority_order=1)
    for issue in (first_of_bangka, second_of_kota, first_of_kota):
        score_all(issue, kabid_bina_marga, criteria, 4)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    # Same score: priority 1 before priority 2; between the two priority-1 issues, the
    # lower number (Bangka's, submitted first) comes first.
    assert ranking(desk_bina_marga) == [first_of_bangka.pk, first_of_kota.pk, second_of_kota.pk]


def test_unscored_issues_come_after_the_scored_ones(
    desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    unscored = verified(desk_bina_marga, secretariat, priority_order=1)
    low = verified(desk_bina_marga, secretariat, priority_order=2)
    score_all(low, kabid_bina_marga, criteria, 1)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    assert ranking(desk_bina_marga) == [low.pk, unscored.pk]


def test_issues_waiting_for_verification_are_not_ranked(
    desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    waiting = services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))
    ranked = verified(desk_bina_marga, secretariat)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    assert ranking(desk_bina_marga) == [ranked.pk]
    waiting.refresh_from_db()
    assert waiting.rank is None


def test_applying_the_proposed_order_records_each_change_and_clears_old_overrides(
    three, desk_bina_marga, kabid_bina_marga
):
    first, second, third = three
    move(third, kabid_bina_marga, 1, reason="Jembatan hampir putus.")
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    assert ranking(desk_bina_marga) == [first.pk, second.pk, third.pk]
    assert not Issue.objects.exclude(rank_override_reason="").exists()
    last = third.events.filter(kind=IssueEvent.Kind.RANKED).last()
    assert last.detail == {"from_rank": 1, "to_rank": 3, "proposed": True}


def test_applying_the_proposed_order_through_the_board(
    as_kabid_bina_marga, desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    low = verified(desk_bina_marga, secretariat)
    high = verified(desk_bina_marga, secretariat)
    score_all(low, kabid_bina_marga, criteria, 2)
    score_all(high, kabid_bina_marga, criteria, 5)
    url = reverse("issues:board_apply_proposed", kwargs={"desk_id": desk_bina_marga.pk})
    response = as_kabid_bina_marga.post(url, {"version": version(desk_bina_marga)})
    assert response.status_code == 302
    assert ranking(desk_bina_marga) == [high.pk, low.pk]


# Moving


def test_moving_up_with_the_arrow_swaps_two_neighbours(as_kabid_bina_marga, three, desk_bina_marga):
    first, second, third = three
    response = as_kabid_bina_marga.post(
        rank_url(third), {"position": 2, "version": version(desk_bina_marga), "reason": "Mendesak"}
    )
    assert response.status_code == 302
    assert ranking(desk_bina_marga) == [first.pk, third.pk, second.pk]
    assert_gap_free(desk_bina_marga)


def test_moving_down_with_the_arrow(as_kabid_bina_marga, three, desk_bina_marga):
    first, second, third = three
    response = as_kabid_bina_marga.post(
        rank_url(first), {"position": 2, "version": version(desk_bina_marga), "reason": "Alasan"}
    )
    assert response.status_code == 302
    assert ranking(desk_bina_marga) == [second.pk, first.pk, third.pk]


def test_a_typed_rank_moves_the_issue_and_the_others_close_up(
    three, desk_bina_marga, kabid_bina_marga
):
    first, second, third = three
    move(first, kabid_bina_marga, 3, reason="Menunggu DED.")
    assert ranking(desk_bina_marga) == [second.pk, third.pk, first.pk]
    assert_gap_free(desk_bina_marga)


def test_ranks_stay_unique_and_gap_free_after_many_moves(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    issues = [verified(desk_bina_marga, secretariat) for _ in range(6)]
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    expected = [i.pk for i in Issue.objects.filter(desk=desk_bina_marga).order_by("rank")]
    for pk, position in [(0, 6), (5, 1), (2, 4), (3, 2), (1, 5), (4, 3)]:
        issue = Issue.objects.get(pk=expected[pk])
        move(issue, kabid_bina_marga, position)
        expected.remove(issue.pk)
        expected.insert(position - 1, issue.pk)
        assert ranking(desk_bina_marga) == expected
        assert_gap_free(desk_bina_marga)
    assert len(expected) == len(issues)


def test_an_unranked_issue_is_put_in_at_the_typed_rank(
    three, desk_bina_marga, secretariat, kabid_bina_marga
):
    newcomer = verified(desk_bina_marga, secretariat)
    move(newcomer, kabid_bina_marga, 2)
    assert ranking(desk_bina_marga) == [three[0].pk, newcomer.pk, three[1].pk, three[2].pk]
    assert_gap_free(desk_bina_marga)


def test_taking_an_issue_out_of_the_ranking_closes_the_gap(
    as_kabid_bina_marga, three, desk_bina_marga
):
    first, second, third = three
    response = as_kabid_bina_marga.post(
        rank_url(second), {"remove": "on", "version": version(desk_bina_marga)}
    )
    assert response.status_code == 302
    assert ranking(desk_bina_marga) == [first.pk, third.pk]
    assert_gap_free(desk_bina_marga)


def test_a_rank_beyond_the_end_is_refused_next_to_the_field(
    as_kabid_bina_marga, three, desk_bina_marga
):
    response = as_kabid_bina_marga.post(
        rank_url(three[0]), {"position": 9, "version": version(desk_bina_marga)}
    )
    assert response.status_code == 200
    assert "position" in response.context["form"].errors
    assert response.context["form"].data["position"] == "9"
    assert ranking(desk_bina_marga) == [i.pk for i in three]


def test_a_rank_that_is_not_a_number_is_refused_next_to_the_field(
    as_kabid_bina_marga, three, desk_bina_marga
):
    response = as_kabid_bina_marga.post(
        rank_url(three[0]), {"position": "satu", "version": version(desk_bina_marga)}
    )
    assert response.status_code == 200
    assert "position" in response.context["form"].errors


def test_an_issue_waiting_for_verification_cannot_be_ranked(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    waiting = services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))
    with pytest.raises(services.InvalidTransition):
        move(waiting, kabid_bina_marga, 1)


# Against the scores


def test_moving_above_a_higher_score_needs_a_reason(three, desk_bina_marga, kabid_bina_marga):
    first, second, third = three
    with pytest.raises(services.ReasonRequired) as refused:
        move(third, kabid_bina_marga, 1)
    assert {i.pk for i in refused.value.passed} == {first.pk, second.pk}
    assert ranking(desk_bina_marga) == [first.pk, second.pk, third.pk]


def test_moving_below_a_lower_score_needs_a_reason(three, kabid_bina_marga):
    first, second, _third = three
    with pytest.raises(services.ReasonRequired) as refused:
        move(first, kabid_bina_marga, 2)
    assert [i.pk for i in refused.value.passed] == [second.pk]


def test_the_reason_is_kept_on_the_issue_and_in_its_history(
    three, desk_bina_marga, kabid_bina_marga
):
    third = three[2]
    move(third, kabid_bina_marga, 1, reason="Jembatan hampir putus, keselamatan warga.")
    third.refresh_from_db()
    assert third.rank == 1
    assert third.rank_override_reason == "Jembatan hampir putus, keselamatan warga."
    event = third.events.filter(kind=IssueEvent.Kind.RANKED).last()
    assert event.actor == kabid_bina_marga
    assert event.reason == "Jembatan hampir putus, keselamatan warga."
    assert event.detail["from_rank"] == 3
    assert event.detail["to_rank"] == 1


def test_the_issues_that_shift_are_recorded_too(three, kabid_bina_marga):
    first, second, third = three
    move(third, kabid_bina_marga, 1, reason="Darurat.")
    assert first.events.filter(kind=IssueEvent.Kind.RANKED).last().detail["to_rank"] == 2
    assert second.events.filter(kind=IssueEvent.Kind.RANKED).last().detail["to_rank"] == 3


def test_moving_back_in_line_with_the_scores_clears_the_reason(three, kabid_bina_marga):
    third = three[2]
    move(third, kabid_bina_marga, 1, reason="Darurat.")
    move(third, kabid_bina_marga, 3)
    third.refresh_from_db()
    assert third.rank_override_reason == ""


def test_moving_between_equal_scores_needs_no_reason(
    desk_bina_marga, secretariat, kabid_bina_marga, criteria
):
    a, b = verified(desk_bina_marga, secretariat), verified(desk_bina_marga, secretariat)
    score_all(a, kabid_bina_marga, criteria, 4)
    score_all(b, kabid_bina_marga, criteria, 4)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    move(b, kabid_bina_marga, 1)
    assert ranking(desk_bina_marga) == [b.pk, a.pk]


def test_the_board_asks_for_the_reason_and_keeps_the_rank(
    as_kabid_bina_marga, three, desk_bina_marga
):
    first, second, third = three
    response = as_kabid_bina_marga.post(
        rank_url(third), {"position": 1, "version": version(desk_bina_marga)}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert response.context["form"].data["position"] == "1"
    assert {i.pk for i in response.context["passed"]} == {first.pk, second.pk}
    response = as_kabid_bina_marga.post(
        rank_url(third),
        {"position": 1, "version": version(desk_bina_marga), "reason": "Akses satu-satunya."},
    )
    assert response.status_code == 302
    assert ranking(desk_bina_marga) == [third.pk, first.pk, second.pk]


def test_the_board_flags_an_issue_ranked_against_the_scores(
    as_kabid_bina_marga, three, desk_bina_marga, kabid_bina_marga
):
    move(three[2], kabid_bina_marga, 1, reason="Darurat.")
    response = as_kabid_bina_marga.get(reverse("issues:board", args=[desk_bina_marga.pk]))
    flagged = {r.issue.pk for r in response.context["ranked"] if r.against_score}
    # 50 above 100 and 75: the moved issue sits above higher scores, and the two it
    # passed sit below a lower one.
    assert flagged == {three[0].pk, three[1].pk, three[2].pk}
    assert b"Darurat." in response.content


# Versions


def test_a_stale_version_is_refused_and_nothing_moves(three, desk_bina_marga, kabid_bina_marga):
    seen = version(desk_bina_marga)
    move(three[1], kabid_bina_marga, 1, reason="Lebih mendesak.")
    after = ranking(desk_bina_marga)
    with pytest.raises(services.StaleBoard):
        services.issue_rank_set(
            actor=kabid_bina_marga, issue=three[2], position=1, version=seen, reason="x"
        )
    assert ranking(desk_bina_marga) == after


def test_the_board_refuses_a_stale_rank_and_shows_the_current_ranking(
    as_kabid_bina_marga, three, desk_bina_marga, kabid_bina_marga
):
    seen = version(desk_bina_marga)
    move(three[1], kabid_bina_marga, 1, reason="Lebih mendesak.")
    response = as_kabid_bina_marga.post(
        rank_url(three[2]), {"position": 1, "version": seen, "reason": "Darurat."}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form.data["version"] == str(version(desk_bina_marga))
    assert [r.issue.pk for r in response.context["ranked"]] == ranking(desk_bina_marga)
    assert ranking(desk_bina_marga) == [three[1].pk, three[0].pk, three[2].pk]


# Ranks and other changes of the issue


def test_a_withdrawn_issue_leaves_the_ranking_without_a_gap(
    three, desk_bina_marga, delegate_bangka
):
    services.issue_withdraw(actor=delegate_bangka, issue=three[1], reason="Sudah ditangani.")
    assert ranking(desk_bina_marga) == [three[0].pk, three[2].pk]
    assert_gap_free(desk_bina_marga)


def test_an_issue_returned_for_revision_leaves_the_ranking(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    a, b = verified(desk_bina_marga, secretariat), verified(desk_bina_marga, secretariat)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    services.issue_return_for_revision(actor=kabid_bina_marga, issue=a, question="Mohon DED.")
    assert ranking(desk_bina_marga) == [b.pk]
    assert_gap_free(desk_bina_marga)


def test_an_issue_moved_to_another_desk_leaves_the_ranking_of_the_first(
    three, desk_bina_marga, desk_sda, secretariat
):
    moved = services.issue_update(actor=secretariat, issue=three[0], data={"desk": desk_sda})
    assert moved.desk == desk_sda
    assert moved.rank is None
    assert ranking(desk_bina_marga) == [three[1].pk, three[2].pk]
    assert_gap_free(desk_bina_marga)
    assert ranking(desk_sda) == []


def test_the_database_refuses_two_issues_with_one_rank_in_a_desk(three):
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=three[1].pk).update(rank=1)


def test_the_same_rank_in_two_desks_is_fine(three, desk_sda, secretariat, kabid_sda):
    other = verified(desk_sda, secretariat)
    services.desk_apply_proposed_order(actor=kabid_sda, desk=desk_sda, version=version(desk_sda))
    other.refresh_from_db()
    assert other.rank == 1


@pytest.mark.django_db(transaction=True)
def test_two_chairs_moving_at_the_same_moment_cannot_break_the_ranking(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    """Two people drop an issue at rank 1 at once, both having seen the same board: one
    move is applied, the other is refused as stale, and the ranks stay 1..n."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks between connections (PostgreSQL)")
    issues = [verified(desk_bina_marga, secretariat) for _ in range(4)]
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    seen = version(desk_bina_marga)
    barrier = threading.Barrier(2)
    outcomes = []

    def drop_first(issue):
        try:
            barrier.wait()
            services.issue_rank_set(
                actor=secretariat, issue=issue, position=1, version=seen, reason="Darurat."
            )
            outcomes.append("moved")
        except services.StaleBoard:
            outcomes.append("stale")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=drop_first, args=(i,)) for i in (issues[2], issues[3])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "stale"]
    assert_gap_free(desk_bina_marga)
    assert len(ranking(desk_bina_marga)) == 4
    assert version(desk_bina_marga) == seen + 1
