"""Locking a desk needs every issue decided or set aside with a reason; a region cannot
submit into a locked desk and is told whom to contact; the secretariat reopens it."""

import pytest
from django.urls import reverse

from issues import services
from issues.models import DeskState, Issue, IssueEvent
from tests.issues.board.helpers import version

pytestmark = pytest.mark.django_db
S = Issue.Status
D = Issue.Decision


def lock_url(desk):
    return reverse("issues:board_lock", kwargs={"desk_id": desk.pk})


def is_locked(desk):
    return DeskState.objects.filter(desk=desk, locked_at__isnull=False).exists()


@pytest.fixture
def returned(submitted, kabid_bina_marga):
    return services.issue_return_for_revision(
        actor=kabid_bina_marga, issue=submitted, question="Berapa panjang ruasnya?"
    )


def test_a_desk_with_an_issue_waiting_for_the_region_does_not_lock_without_a_reason(
    returned, desk_bina_marga, kabid_bina_marga
):
    with pytest.raises(services.IssueError) as refused:
        services.desk_lock(
            actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
        )
    assert "1 isu masih terbuka" in str(refused.value.message)
    assert not is_locked(desk_bina_marga)


def test_an_unverified_issue_also_blocks_the_lock(submitted, desk_bina_marga, kabid_bina_marga):
    with pytest.raises(services.IssueError):
        services.desk_lock(
            actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
        )


def test_setting_open_issues_aside_with_a_reason_locks_and_records_it(
    returned, desk_bina_marga, kabid_bina_marga
):
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        version=version(desk_bina_marga),
        set_aside_reason="  Data belum lengkap; dibahas tahun depan.  ",
    )
    assert is_locked(desk_bina_marga)
    event = returned.events.get(kind=IssueEvent.Kind.SET_ASIDE)
    assert event.reason == "Data belum lengkap; dibahas tahun depan."
    assert event.actor == kabid_bina_marga


def test_a_desk_with_every_issue_decided_locks_without_a_reason(
    submitted, desk_bina_marga, kabid_bina_marga
):
    services.issue_verify(actor=kabid_bina_marga, issue=submitted)
    services.issue_decide(
        actor=kabid_bina_marga,
        issue=submitted,
        decision=D.PRIORITY,
        reason="Jalan provinsi yang rusak berat.",
        version=version(desk_bina_marga),
    )
    services.desk_lock(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    assert is_locked(desk_bina_marga)
    assert not IssueEvent.objects.filter(kind=IssueEvent.Kind.SET_ASIDE).exists()


def test_the_lock_page_lists_the_open_issues_and_keeps_the_typed_reason_on_refusal(
    as_kabid_bina_marga, returned, desk_bina_marga
):
    page = as_kabid_bina_marga.get(lock_url(desk_bina_marga)).content.decode()
    assert returned.title in page
    assert "set_aside_reason" in page
    response = as_kabid_bina_marga.post(
        lock_url(desk_bina_marga), {"version": version(desk_bina_marga), "set_aside_reason": ""}
    )
    assert response.status_code == 200
    assert "1 isu masih terbuka" in response.content.decode()
    assert not is_locked(desk_bina_marga)
    response = as_kabid_bina_marga.post(
        lock_url(desk_bina_marga),
        {"version": version(desk_bina_marga), "set_aside_reason": "Dibahas tahun depan."},
    )
    assert response.status_code == 302
    assert is_locked(desk_bina_marga)


def test_a_resubmission_into_a_locked_desk_is_refused_naming_whom_to_contact(
    as_delegate_pangkalpinang,
    returned,
    desk_bina_marga,
    kabid_bina_marga,
    delegate_pangkalpinang,
    secretariat,
):
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        version=version(desk_bina_marga),
        set_aside_reason="Dibahas tahun depan.",
    )
    url = reverse("issues:submit", kwargs={"pk": returned.pk})
    response = as_delegate_pangkalpinang.post(
        url, {"resubmit-answer": "Panjang ruas 3,5 km."}, follow=True
    )
    page = response.content.decode()
    assert "Desk Bina Marga telah dikunci" in page
    assert kabid_bina_marga.get_full_name() in page
    assert "Sekretariat" in page
    returned.refresh_from_db()
    assert returned.status == S.NEEDS_REVISION

    # The secretariat reopens the desk; the answer then goes through.
    services.desk_unlock(
        actor=secretariat,
        desk=desk_bina_marga,
        reason="Pangkalpinang menjawab pertanyaan desk.",
        version=version(desk_bina_marga),
    )
    services.issue_resubmit(actor=delegate_pangkalpinang, issue=returned, answer="3,5 km.")
    returned.refresh_from_db()
    assert returned.status == S.SUBMITTED


def test_a_first_submission_into_a_locked_desk_is_refused(
    draft, desk_bina_marga, kabid_bina_marga, delegate_pangkalpinang
):
    services.desk_lock(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    with pytest.raises(services.DeskLocked):
        services.issue_submit(actor=delegate_pangkalpinang, issue=draft)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_the_issue_page_says_the_desk_is_locked_instead_of_offering_the_answer_form(
    as_delegate_pangkalpinang, returned, desk_bina_marga, kabid_bina_marga
):
    page = as_delegate_pangkalpinang.get(returned.get_absolute_url()).content.decode()
    assert "resubmit-answer" in page
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=desk_bina_marga,
        version=version(desk_bina_marga),
        set_aside_reason="Dibahas tahun depan.",
    )
    page = as_delegate_pangkalpinang.get(returned.get_absolute_url()).content.decode()
    assert "Desk Bina Marga telah dikunci" in page
    assert kabid_bina_marga.get_full_name() in page
    assert "resubmit-answer" not in page
