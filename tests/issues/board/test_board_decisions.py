"""Decisions on the board: reasons, destinations, the status they set, the e-mail to the
region, the history, and the warnings; then locking and unlocking the desk."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from issues import services
from issues.board.selectors import board_criteria, board_issues, build_rows, decision_warnings
from issues.models import DeskState, Issue, IssueEvent
from tests.factories import IssueFactory, region
from tests.issues.board.helpers import (
    default_criteria,
    ranking,
    score,
    score_all,
    verified,
    version,
)

pytestmark = pytest.mark.django_db
S = Issue.Status
D = Issue.Decision


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def issue(desk_bina_marga, secretariat, criteria):
    return verified(desk_bina_marga, secretariat)


def decide(issue, actor, decision, reason="", redirected_to=""):
    return services.issue_decide(
        actor=actor,
        issue=issue,
        decision=decision,
        reason=reason,
        redirected_to=redirected_to,
        version=version(issue.desk),
    )


def decide_url(issue):
    return reverse("issues:board_decide", kwargs={"desk_id": issue.desk_id, "pk": issue.pk})


def warnings_of(desk):
    return decision_warnings(build_rows(board_issues(desk), board_criteria(desk)))


# The service


def test_priority_needs_no_reason_and_sets_the_status(issue, kabid_bina_marga):
    decided = decide(issue, kabid_bina_marga, D.PRIORITY)
    issue.refresh_from_db()
    assert decided.status == issue.status == S.PRIORITY
    assert issue.decision == D.PRIORITY
    assert issue.decided_by == kabid_bina_marga
    assert issue.decided_at is not None


@pytest.mark.parametrize("decision", [D.RESERVE, D.NOT_PRIORITISED, D.REDIRECTED])
def test_every_other_decision_needs_a_reason(issue, kabid_bina_marga, decision):
    with pytest.raises(services.IssueError):
        decide(issue, kabid_bina_marga, decision, redirected_to="BWS Bangka Belitung")
    issue.refresh_from_db()
    assert issue.decision == ""
    assert issue.status == S.VERIFIED


def test_reserve_with_a_reason_is_kept(issue, kabid_bina_marga):
    decide(issue, kabid_bina_marga, D.RESERVE, reason="Anggaran terbatas tahun ini.")
    issue.refresh_from_db()
    assert (issue.status, issue.decision_reason) == (S.RESERVE, "Anggaran terbatas tahun ini.")


def test_redirected_needs_where_it_goes(issue, kabid_bina_marga):
    with pytest.raises(services.IssueError):
        decide(issue, kabid_bina_marga, D.REDIRECTED, reason="Kewenangan pusat.")
    decide(
        issue,
        kabid_bina_marga,
        D.REDIRECTED,
        reason="Kewenangan pusat.",
        redirected_to="BWS Bangka Belitung",
    )
    issue.refresh_from_db()
    assert (issue.status, issue.redirected_to) == (S.REDIRECTED, "BWS Bangka Belitung")


def test_a_decision_other_than_redirected_forgets_the_destination(issue, kabid_bina_marga):
    decide(issue, kabid_bina_marga, D.REDIRECTED, reason="Pusat.", redirected_to="BWS")
    decide(issue, kabid_bina_marga, D.RESERVE, reason="Dipertimbangkan lagi.")
    issue.refresh_from_db()
    assert (issue.status, issue.redirected_to) == (S.RESERVE, "")


def test_a_decision_is_recorded_in_the_history(issue, kabid_bina_marga):
    decide(issue, kabid_bina_marga, D.REDIRECTED, reason="Pusat.", redirected_to="BWS")
    event = issue.events.get(kind=IssueEvent.Kind.DECIDED)
    assert (event.actor, event.from_status, event.to_status, event.reason) == (
        kabid_bina_marga,
        S.VERIFIED,
        S.REDIRECTED,
        "Pusat.",
    )
    assert event.detail == {"redirected_to": "BWS"}


def test_the_region_delegates_are_told_of_the_decision(
    issue, kabid_bina_marga, delegate_pangkalpinang, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decide(issue, kabid_bina_marga, D.RESERVE, reason="Anggaran terbatas.")
    assert [m.to for m in mailoutbox] == [[delegate_pangkalpinang.email]]
    assert issue.code in mailoutbox[0].subject
    assert "Anggaran terbatas." in mailoutbox[0].body


def test_an_issue_waiting_for_verification_cannot_be_decided(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    waiting = services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))
    with pytest.raises(services.InvalidTransition):
        decide(waiting, kabid_bina_marga, D.PRIORITY)


def test_the_chair_of_another_desk_may_not_decide(issue, kabid_sda):
    with pytest.raises(services.PermissionDenied):
        decide(issue, kabid_sda, D.PRIORITY)


def test_a_stale_decision_is_refused(issue, kabid_bina_marga, secretariat, desk_bina_marga):
    seen = version(desk_bina_marga)
    verified(desk_bina_marga, secretariat)  # verifying another issue changes the board
    with pytest.raises(services.StaleBoard):
        services.issue_decide(
            actor=kabid_bina_marga, issue=issue, decision=D.PRIORITY, version=seen
        )


def test_the_database_refuses_a_reserve_without_a_reason(issue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(decision=D.RESERVE, decision_reason="")


def test_the_database_refuses_a_redirect_without_a_destination(issue):
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(
            decision=D.REDIRECTED, decision_reason="Pusat.", redirected_to=""
        )


# Warnings


def test_no_warning_for_a_balanced_priority_list(desk_bina_marga, secretariat, kabid_bina_marga):
    for slug in ("pangkalpinang", "bangka"):
        decide(
            verified(desk_bina_marga, secretariat, region_slug=slug), kabid_bina_marga, D.PRIORITY
        )
    assert warnings_of(desk_bina_marga) == []


def test_a_region_with_more_than_half_of_the_priority_places_is_warned_about(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    for slug in ("pangkalpinang", "pangkalpinang", "bangka"):
        decide(
            verified(desk_bina_marga, secretariat, region_slug=slug), kabid_bina_marga, D.PRIORITY
        )
    warnings = warnings_of(desk_bina_marga)
    assert len(warnings) == 1
    assert region("pangkalpinang").name in warnings[0]


def test_a_priority_outside_provincial_authority_is_warned_about(
    desk_bina_marga, secretariat, kabid_bina_marga
):
    issue = verified(desk_bina_marga, secretariat, authority=Issue.Authority.REGENCY)
    decide(issue, kabid_bina_marga, D.PRIORITY)
    warnings = warnings_of(desk_bina_marga)
    assert len(warnings) == 1
    assert issue.code in warnings[0]


def test_a_warning_does_not_block_the_decision_and_is_shown_after_it(
    as_kabid_bina_marga, desk_bina_marga, secretariat
):
    issue = verified(desk_bina_marga, secretariat, authority=Issue.Authority.CENTRAL)
    response = as_kabid_bina_marga.post(
        decide_url(issue),
        {"decision": D.PRIORITY, "version": version(desk_bina_marga)},
        follow=True,
    )
    issue.refresh_from_db()
    assert issue.status == S.PRIORITY
    levels = [m.level_tag for m in response.context["messages"]]
    assert levels == ["success", "warning"]
    assert response.context["warnings"]


# The decision form


def test_the_chair_decides_through_the_board(as_kabid_bina_marga, issue):
    response = as_kabid_bina_marga.post(
        decide_url(issue),
        {"decision": D.RESERVE, "reason": "Menunggu DED.", "version": version(issue.desk)},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == S.RESERVE


def test_a_missing_reason_is_shown_next_to_the_field_and_the_choice_is_kept(
    as_kabid_bina_marga, issue
):
    response = as_kabid_bina_marga.post(
        decide_url(issue), {"decision": D.NOT_PRIORITISED, "version": version(issue.desk)}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "reason" in form.errors
    assert form.data["decision"] == D.NOT_PRIORITISED
    issue.refresh_from_db()
    assert issue.decision == ""


def test_a_missing_destination_is_shown_next_to_the_field(as_kabid_bina_marga, issue):
    response = as_kabid_bina_marga.post(
        decide_url(issue),
        {"decision": D.REDIRECTED, "reason": "Pusat.", "version": version(issue.desk)},
    )
    assert response.status_code == 200
    assert "redirected_to" in response.context["form"].errors


def test_a_stale_decision_form_keeps_what_was_typed(
    as_kabid_bina_marga, issue, secretariat, desk_bina_marga
):
    seen = version(desk_bina_marga)
    verified(desk_bina_marga, secretariat)
    response = as_kabid_bina_marga.post(
        decide_url(issue), {"decision": D.RESERVE, "reason": "Cadangan dulu.", "version": seen}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors()
    assert form.data["reason"] == "Cadangan dulu."
    assert form.data["version"] == str(version(desk_bina_marga))


# Lock and unlock


def lock(desk, actor):
    """Lock with whatever is still open set aside (tests/issues/board/test_desk_lock_rules.py)."""
    return services.desk_lock(
        actor=actor, desk=desk, version=version(desk), set_aside_reason="Dibahas tahun depan."
    )


def test_a_locked_desk_refuses_scores_ranks_and_decisions(
    issue, desk_bina_marga, kabid_bina_marga, criteria
):
    lock(desk_bina_marga, kabid_bina_marga)
    with pytest.raises(services.BoardLocked):
        score_all(issue, kabid_bina_marga, criteria, 3)
    with pytest.raises(services.BoardLocked):
        services.issue_rank_set(
            actor=kabid_bina_marga, issue=issue, position=1, version=version(desk_bina_marga)
        )
    with pytest.raises(services.BoardLocked):
        decide(issue, kabid_bina_marga, D.PRIORITY)
    with pytest.raises(services.BoardLocked):
        services.desk_apply_proposed_order(
            actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
        )
    issue.refresh_from_db()
    assert (issue.status, issue.rank, issue.score) == (S.VERIFIED, None, None)


def test_locking_records_who_and_when(desk_bina_marga, kabid_bina_marga):
    state = lock(desk_bina_marga, kabid_bina_marga)
    state.refresh_from_db()
    assert state.is_locked
    assert state.locked_by == kabid_bina_marga


def test_a_ranked_issue_of_a_locked_desk_cannot_be_withdrawn(
    issue, desk_bina_marga, kabid_bina_marga, secretariat
):
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    lock(desk_bina_marga, kabid_bina_marga)
    with pytest.raises(services.BoardLocked):
        services.issue_withdraw(actor=secretariat, issue=issue)
    assert ranking(desk_bina_marga) == [issue.pk]


def test_the_secretariat_unlocks_with_a_reason(desk_bina_marga, kabid_bina_marga, secretariat):
    lock(desk_bina_marga, kabid_bina_marga)
    services.desk_unlock(
        actor=secretariat,
        desk=desk_bina_marga,
        reason="Salah input skor BM-02.",
        version=version(desk_bina_marga),
    )
    state = DeskState.objects.get(desk=desk_bina_marga)
    assert not state.is_locked
    assert (state.unlocked_by, state.unlock_reason) == (secretariat, "Salah input skor BM-02.")


def test_unlocking_needs_a_reason(desk_bina_marga, kabid_bina_marga, secretariat):
    lock(desk_bina_marga, kabid_bina_marga)
    with pytest.raises(services.IssueError):
        services.desk_unlock(
            actor=secretariat, desk=desk_bina_marga, reason=" ", version=version(desk_bina_marga)
        )
    assert DeskState.objects.get(desk=desk_bina_marga).is_locked


def test_the_chair_may_not_unlock(desk_bina_marga, kabid_bina_marga):
    lock(desk_bina_marga, kabid_bina_marga)
    with pytest.raises(services.PermissionDenied):
        services.desk_unlock(
            actor=kabid_bina_marga,
            desk=desk_bina_marga,
            reason="Ingin mengubah.",
            version=version(desk_bina_marga),
        )


def test_locking_freezes_the_scores_as_the_board_shows_them(
    issue, desk_bina_marga, kabid_bina_marga, criteria
):
    score(issue, kabid_bina_marga, criteria, [5, 1, 1, 1, 1])
    issue.refresh_from_db()
    assert issue.score == Decimal("30.00")
    # The secretariat raises the urgency weight afterwards: 100 × 60 / 130 = 46.15.
    criteria[0].weight = 60
    criteria[0].save(update_fields=["weight"])
    lock(desk_bina_marga, kabid_bina_marga)
    issue.refresh_from_db()
    assert issue.score == Decimal("46.15")


def test_the_board_locks_and_unlocks_through_its_pages(
    as_kabid_bina_marga, as_secretariat, desk_bina_marga, issue, criteria
):
    lock_url = reverse("issues:board_lock", kwargs={"desk_id": desk_bina_marga.pk})
    unlock_url = reverse("issues:board_unlock", kwargs={"desk_id": desk_bina_marga.pk})
    assert as_kabid_bina_marga.get(lock_url).status_code == 200
    response = as_kabid_bina_marga.post(
        lock_url, {"version": version(desk_bina_marga), "set_aside_reason": "Tahun depan."}
    )
    assert response.status_code == 302
    assert DeskState.objects.get(desk=desk_bina_marga).is_locked
    # The score form is not offered while locked.
    score_url = reverse(
        "issues:board_score", kwargs={"desk_id": desk_bina_marga.pk, "pk": issue.pk}
    )
    assert as_kabid_bina_marga.get(score_url).status_code == 302
    assert as_kabid_bina_marga.get(unlock_url).status_code == 403
    response = as_secretariat.post(unlock_url, {"version": version(desk_bina_marga), "reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = as_secretariat.post(
        unlock_url, {"version": version(desk_bina_marga), "reason": "Koreksi skor."}
    )
    assert response.status_code == 302
    assert not DeskState.objects.get(desk=desk_bina_marga).is_locked


# Taking a decision back


def test_a_decision_is_taken_back_with_a_reason(issue, kabid_bina_marga):
    decide(issue, kabid_bina_marga, D.NOT_PRIORITISED, reason="Kewenangan kabupaten.")
    with pytest.raises(services.IssueError):
        services.issue_decision_withdraw(
            actor=kabid_bina_marga, issue=issue, reason=" ", version=version(issue.desk)
        )
    services.issue_decision_withdraw(
        actor=kabid_bina_marga,
        issue=issue,
        reason="Salah pilih saat rapat; dibahas ulang.",
        version=version(issue.desk),
    )
    issue.refresh_from_db()
    assert (issue.status, issue.decision, issue.decision_reason) == (S.DISCUSSED, "", "")
    assert issue.decided_at is None and issue.decided_by is None
    event = issue.events.filter(kind=IssueEvent.Kind.DECIDED).order_by("-id").first()
    assert event.to_status == S.DISCUSSED
    assert event.detail == {"withdrawn": D.NOT_PRIORITISED}
    assert event.reason == "Salah pilih saat rapat; dibahas ulang."


def test_an_undecided_issue_has_nothing_to_take_back(issue, kabid_bina_marga, kabid_sda):
    with pytest.raises(services.IssueError):
        services.issue_decision_withdraw(
            actor=kabid_bina_marga, issue=issue, reason="Alasan.", version=version(issue.desk)
        )
    decide(issue, kabid_bina_marga, D.PRIORITY)
    with pytest.raises(PermissionDenied):
        services.issue_decision_withdraw(
            actor=kabid_sda, issue=issue, reason="Alasan.", version=version(issue.desk)
        )


@translation.override("en")
def test_the_source_of_an_agreement_point_keeps_its_decision(issue, kabid_bina_marga):
    from issues.agreement.services import agreement_point_create

    decide(issue, kabid_bina_marga, D.PRIORITY)
    agreement_point_create(
        actor=kabid_bina_marga,
        desk=issue.desk,
        data={"text": "Normalisasi saluran.", "responsible": "Dinas", "due": "TA 2023"},
        source_issues=[issue],
    )
    with pytest.raises(services.IssueError, match="agreement point"):
        services.issue_decision_withdraw(
            actor=kabid_bina_marga, issue=issue, reason="Alasan.", version=version(issue.desk)
        )


def test_the_board_offers_taking_back_only_once_decided(
    as_kabid_bina_marga, issue, kabid_bina_marga
):
    page = as_kabid_bina_marga.get(decide_url(issue))
    assert "belum" not in dict(page.context["form"].fields["decision"].choices)
    decide(issue, kabid_bina_marga, D.RESERVE, reason="Menunggu DED.")
    page = as_kabid_bina_marga.get(decide_url(issue))
    assert "belum" in dict(page.context["form"].fields["decision"].choices)
    response = as_kabid_bina_marga.post(
        decide_url(issue), {"decision": "belum", "reason": "", "version": version(issue.desk)}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = as_kabid_bina_marga.post(
        decide_url(issue),
        {"decision": "belum", "reason": "DED sudah ada.", "version": version(issue.desk)},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == S.DISCUSSED and not issue.decision
