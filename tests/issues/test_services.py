from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from issues import services
from issues.forms import IssueForm
from issues.models import Issue, IssueEvent, IssueSequence, RegionWindow
from tests.factories import IssueFactory, region
from tests.issues.conftest import close_submission, form_data

pytestmark = pytest.mark.django_db
S = Issue.Status


def cleaned(desk, /, **overrides):
    form = IssueForm(form_data(desk, **overrides), meeting=desk.meeting)
    assert form.is_valid(), form.errors
    return form.cleaned_data


# Creating


def test_delegate_creates_a_draft_of_their_region_without_a_number(
    delegate_pangkalpinang, desk_bina_marga
):
    issue = services.issue_create(
        actor=delegate_pangkalpinang,
        meeting=desk_bina_marga.meeting,
        region=delegate_pangkalpinang.region,
        data=cleaned(desk_bina_marga),
    )
    issue.refresh_from_db()
    assert issue.status == S.DRAFT
    assert issue.number is None and issue.code == ""
    assert issue.region.slug == "pangkalpinang"
    assert issue.estimated_cost == 1_250_000_000
    assert issue.entered_by == delegate_pangkalpinang and not issue.is_proxy_entry
    assert list(issue.events.values_list("kind", flat=True)) == [IssueEvent.Kind.CREATED]


def test_delegate_cannot_create_an_issue_for_another_region(
    delegate_pangkalpinang, desk_bina_marga
):
    with pytest.raises(PermissionDenied):
        services.issue_create(
            actor=delegate_pangkalpinang,
            meeting=desk_bina_marga.meeting,
            region=region("bangka"),
            data=cleaned(desk_bina_marga),
        )


def test_secretariat_entry_for_a_region_is_recorded_as_proxy(secretariat, desk_bina_marga):
    issue = services.issue_create(
        actor=secretariat,
        meeting=desk_bina_marga.meeting,
        region=region("belitung"),
        data=cleaned(desk_bina_marga),
        submit=True,
    )
    assert issue.is_proxy_entry
    assert issue.entered_by == secretariat
    assert issue.region.slug == "belitung"
    assert issue.status == S.SUBMITTED and issue.code == "BM-01"


def test_an_issue_cannot_use_a_desk_of_another_meeting(delegate_pangkalpinang, desk_bina_marga):
    other_desk = IssueFactory().desk
    data = cleaned(desk_bina_marga)
    data["desk"] = other_desk
    with pytest.raises(services.IssueError):
        services.issue_create(
            actor=delegate_pangkalpinang,
            meeting=desk_bina_marga.meeting,
            region=delegate_pangkalpinang.region,
            data=data,
        )


def test_new_issues_go_to_the_end_of_the_regions_order(delegate_pangkalpinang, desk_bina_marga):
    meeting = desk_bina_marga.meeting
    first, second = (
        services.issue_create(
            actor=delegate_pangkalpinang,
            meeting=meeting,
            region=delegate_pangkalpinang.region,
            data=cleaned(desk_bina_marga, title=title),
        )
        for title in ("Satu", "Dua")
    )
    assert (first.priority_order, second.priority_order) == (1, 2)


# Numbering


def test_numbers_are_given_on_submission_in_order_per_desk(
    delegate_pangkalpinang, delegate_bangka, desk_bina_marga, desk_sda
):
    drafts = [IssueFactory(desk=desk_bina_marga) for _ in range(3)]
    bangka = IssueFactory(desk=desk_bina_marga, region=region("bangka"))
    sda = IssueFactory(desk=desk_sda)
    assert all(d.number is None for d in drafts)
    services.issue_submit(actor=delegate_pangkalpinang, issue=drafts[1])
    services.issue_submit(actor=delegate_bangka, issue=bangka)
    services.issue_submit(actor=delegate_pangkalpinang, issue=sda)
    services.issue_submit(actor=delegate_pangkalpinang, issue=drafts[0])
    codes = {i.pk: i.code for i in Issue.objects.select_related("desk__field").exclude(number=None)}
    assert codes == {
        drafts[1].pk: "BM-01",
        bangka.pk: "BM-02",
        sda.pk: "SDA-01",
        drafts[0].pk: "BM-03",
    }
    assert Issue.objects.get(pk=drafts[2].pk).number is None


def test_a_withdrawn_issues_number_is_never_given_again(
    submitted, delegate_pangkalpinang, desk_bina_marga
):
    services.issue_withdraw(actor=delegate_pangkalpinang, issue=submitted, reason="Sudah ditangani")
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN and submitted.number == 1
    later = services.issue_submit(
        actor=delegate_pangkalpinang, issue=IssueFactory(desk=desk_bina_marga)
    )
    assert later.number == 2


def test_resubmission_keeps_the_number(submitted, kabid_bina_marga, delegate_pangkalpinang):
    services.issue_return_for_revision(
        actor=kabid_bina_marga, issue=submitted, question="Lengkapi foto kondisi."
    )
    services.issue_resubmit(
        actor=delegate_pangkalpinang, issue=submitted, answer="Foto sudah dilampirkan."
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.number) == (S.SUBMITTED, 1)
    assert IssueSequence.objects.get(desk=submitted.desk).last_number == 1


def test_the_database_refuses_two_issues_with_one_number_in_a_desk(submitted, desk_bina_marga):
    other = IssueFactory(desk=desk_bina_marga)
    other.number = submitted.number
    other.status = S.SUBMITTED
    with pytest.raises(IntegrityError):
        other.save()


def test_the_database_refuses_a_submitted_issue_without_a_number(draft):
    draft.status = S.SUBMITTED
    with pytest.raises(IntegrityError):
        draft.save()


def test_moving_a_numbered_issue_to_another_desk_gives_it_that_desks_next_number(
    submitted, secretariat, desk_sda
):
    data = cleaned(submitted.desk, desk=desk_sda.pk)
    services.issue_update(actor=secretariat, issue=submitted, data=data)
    submitted.refresh_from_db()
    assert submitted.code == "SDA-01"
    event = submitted.events.get(kind=IssueEvent.Kind.EDITED)
    assert "desk" in event.changed_fields and "BM-01" in event.reason


# Transitions


def test_submit_twice_is_refused(submitted, delegate_pangkalpinang):
    with pytest.raises(services.InvalidTransition):
        services.issue_submit(actor=delegate_pangkalpinang, issue=submitted)


def test_a_draft_cannot_be_verified_or_returned(draft, kabid_bina_marga):
    with pytest.raises(services.InvalidTransition):
        services.issue_verify(actor=kabid_bina_marga, issue=draft)
    with pytest.raises(services.InvalidTransition):
        services.issue_return_for_revision(actor=kabid_bina_marga, issue=draft, question="?")


def test_only_a_returned_issue_can_be_resubmitted(submitted, delegate_pangkalpinang):
    with pytest.raises(services.InvalidTransition):
        services.issue_resubmit(actor=delegate_pangkalpinang, issue=submitted, answer="Sudah")


def test_a_decided_issue_cannot_be_withdrawn_or_edited(
    submitted, delegate_pangkalpinang, secretariat
):
    Issue.objects.filter(pk=submitted.pk).update(status=S.PRIORITY)
    submitted.refresh_from_db()
    with pytest.raises(services.InvalidTransition):
        services.issue_withdraw(actor=delegate_pangkalpinang, issue=submitted)
    with pytest.raises(services.InvalidTransition):
        services.issue_update(actor=secretariat, issue=submitted, data={"title": "Baru"})


def test_returned_issue_is_revised_and_resubmitted_with_history(
    submitted, kabid_bina_marga, delegate_pangkalpinang, desk_bina_marga
):
    services.issue_verify(actor=kabid_bina_marga, issue=submitted, note="Lengkap")
    services.issue_return_for_revision(
        actor=kabid_bina_marga, issue=submitted, question="Berapa panjang ruas yang rusak?"
    )
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_REVISION
    services.issue_update(
        actor=delegate_pangkalpinang,
        issue=submitted,
        data=cleaned(desk_bina_marga, volume="2,5", unit="km"),
        submit=True,
        answer="Ruas yang rusak sepanjang 2,5 km.",
    )
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED
    history = list(submitted.events.values_list("kind", "from_status", "to_status", "reason"))
    assert history == [
        ("status", "draf", "diajukan", ""),
        ("status", "diajukan", "terverifikasi", "Lengkap"),
        ("status", "terverifikasi", "perlu_perbaikan", "Berapa panjang ruas yang rusak?"),
        ("diubah", "", "", ""),
        ("status", "perlu_perbaikan", "diajukan", "Ruas yang rusak sepanjang 2,5 km."),
    ]
    edit = submitted.events.get(kind=IssueEvent.Kind.EDITED)
    assert "volume" in edit.changed_fields and "title" in edit.changed_fields
    assert all(e.actor_id for e in submitted.events.all())


def test_returning_needs_a_question(submitted, kabid_bina_marga):
    with pytest.raises(services.IssueError):
        services.issue_return_for_revision(actor=kabid_bina_marga, issue=submitted, question="  ")


def test_resubmitting_needs_an_answer(submitted, kabid_bina_marga, delegate_pangkalpinang):
    services.issue_return_for_revision(actor=kabid_bina_marga, issue=submitted, question="?")
    with pytest.raises(services.IssueError):
        services.issue_resubmit(actor=delegate_pangkalpinang, issue=submitted, answer="")


def test_head_of_another_desk_cannot_verify_or_return(submitted, kabid_sda):
    with pytest.raises(PermissionDenied):
        services.issue_verify(actor=kabid_sda, issue=submitted)
    with pytest.raises(PermissionDenied):
        services.issue_return_for_revision(actor=kabid_sda, issue=submitted, question="?")


def test_delegate_cannot_verify_their_own_issue(submitted, delegate_pangkalpinang):
    with pytest.raises(PermissionDenied):
        services.issue_verify(actor=delegate_pangkalpinang, issue=submitted)


def test_secretariat_may_verify_and_return_any_issue(submitted, secretariat):
    services.issue_verify(actor=secretariat, issue=submitted)
    services.issue_return_for_revision(actor=secretariat, issue=submitted, question="Lokasi?")
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_REVISION


def test_withdrawal_records_the_reason(draft, delegate_pangkalpinang):
    services.issue_withdraw(actor=delegate_pangkalpinang, issue=draft, reason="Digabung")
    event = draft.events.get(to_status=S.WITHDRAWN)
    assert (event.from_status, event.reason, event.actor) == (
        S.DRAFT,
        "Digabung",
        delegate_pangkalpinang,
    )


def test_another_region_cannot_withdraw_or_submit(draft, delegate_bangka):
    with pytest.raises(PermissionDenied):
        services.issue_withdraw(actor=delegate_bangka, issue=draft)
    with pytest.raises(PermissionDenied):
        services.issue_submit(actor=delegate_bangka, issue=draft)


# Editing


def test_an_edit_records_which_fields_changed(draft, delegate_pangkalpinang):
    data = cleaned(draft.desk)
    services.issue_update(actor=delegate_pangkalpinang, issue=draft, data=data)
    services.issue_update(
        actor=delegate_pangkalpinang, issue=draft, data={**data, "district": "Bukit Intan"}
    )
    edits = draft.events.filter(kind=IssueEvent.Kind.EDITED)
    assert edits.count() == 2
    assert edits.last().changed_fields == ["district"]


def test_saving_without_changes_writes_no_history(draft, delegate_pangkalpinang):
    services.issue_update(actor=delegate_pangkalpinang, issue=draft, data={"title": draft.title})
    assert not draft.events.filter(kind=IssueEvent.Kind.EDITED).exists()


def test_delegate_cannot_edit_a_submitted_issue(submitted, delegate_pangkalpinang):
    with pytest.raises(services.InvalidTransition):
        services.issue_update(actor=delegate_pangkalpinang, issue=submitted, data={"title": "X"})


def test_secretariat_can_correct_a_submitted_issue(submitted, secretariat):
    services.issue_update(actor=secretariat, issue=submitted, data={"title": "Judul benar"})
    submitted.refresh_from_db()
    assert submitted.title == "Judul benar" and submitted.status == S.SUBMITTED


# The submission window


def test_after_the_window_closes_a_delegate_cannot_create_edit_or_submit(
    draft, delegate_pangkalpinang, desk_bina_marga
):
    close_submission(desk_bina_marga.meeting)
    with pytest.raises(services.SubmissionClosed):
        services.issue_create(
            actor=delegate_pangkalpinang,
            meeting=desk_bina_marga.meeting,
            region=delegate_pangkalpinang.region,
            data=cleaned(desk_bina_marga),
        )
    with pytest.raises(services.SubmissionClosed):
        services.issue_update(actor=delegate_pangkalpinang, issue=draft, data={"title": "Baru"})
    with pytest.raises(services.SubmissionClosed):
        services.issue_submit(actor=delegate_pangkalpinang, issue=draft)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.title != "Baru"


def test_before_the_window_opens_a_delegate_cannot_submit(draft, delegate_pangkalpinang):
    meeting = draft.meeting
    meeting.submission_opens_at = timezone.now() + timedelta(days=1)
    meeting.save(update_fields=["submission_opens_at"])
    with pytest.raises(services.SubmissionClosed):
        services.issue_submit(actor=delegate_pangkalpinang, issue=draft)


def test_a_region_window_reopens_submission_for_that_region_only(
    draft, bangka_draft, delegate_pangkalpinang, delegate_bangka, secretariat
):
    meeting = draft.meeting
    close_submission(meeting)
    services.region_window_set(
        actor=secretariat,
        meeting=meeting,
        region=draft.region,
        closes_at=timezone.now() + timedelta(days=1),
        reason="Jaringan internet terganggu",
    )
    services.issue_submit(actor=delegate_pangkalpinang, issue=draft)
    with pytest.raises(services.SubmissionClosed):
        services.issue_submit(actor=delegate_bangka, issue=bangka_draft)


def test_an_expired_region_window_does_not_reopen(draft, delegate_pangkalpinang, secretariat):
    close_submission(draft.meeting)
    RegionWindow.objects.create(
        meeting=draft.meeting,
        region=draft.region,
        closes_at=timezone.now() - timedelta(minutes=1),
        reason="Terlambat",
    )
    with pytest.raises(services.SubmissionClosed):
        services.issue_submit(actor=delegate_pangkalpinang, issue=draft)


def test_secretariat_enters_paper_submissions_after_the_window(draft, secretariat):
    close_submission(draft.meeting)
    services.issue_submit(actor=secretariat, issue=draft)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_setting_a_region_window_again_replaces_it(secretariat, meeting):
    for days in (1, 3):
        services.region_window_set(
            actor=secretariat,
            meeting=meeting,
            region=region("bangka"),
            closes_at=timezone.now() + timedelta(days=days),
            reason=f"Perpanjangan {days}",
        )
    window = RegionWindow.objects.get()
    assert window.reason == "Perpanjangan 3"


# Ordering


def test_moving_up_swaps_with_the_issue_above(delegate_pangkalpinang, desk_bina_marga):
    a, b, c = (IssueFactory(desk=desk_bina_marga, priority_order=n) for n in (1, 2, 3))
    services.issue_move(actor=delegate_pangkalpinang, issue=c, direction="up")
    order = list(
        Issue.objects.filter(desk=desk_bina_marga)
        .order_by("priority_order")
        .values_list("pk", flat=True)
    )
    assert order == [a.pk, c.pk, b.pk]
    assert c.events.get(kind=IssueEvent.Kind.REORDERED).reason == "2"


def test_moving_the_first_issue_up_changes_nothing(delegate_pangkalpinang, desk_bina_marga):
    a = IssueFactory(desk=desk_bina_marga, priority_order=1)
    IssueFactory(desk=desk_bina_marga, priority_order=2)
    services.issue_move(actor=delegate_pangkalpinang, issue=a, direction="up")
    a.refresh_from_db()
    assert a.priority_order == 1 and not a.events.exists()


def test_order_is_per_region_and_skips_withdrawn_issues(
    delegate_pangkalpinang, delegate_bangka, desk_bina_marga
):
    a = IssueFactory(desk=desk_bina_marga, priority_order=1)
    gone = IssueFactory(desk=desk_bina_marga, priority_order=2)
    services.issue_withdraw(actor=delegate_pangkalpinang, issue=gone)
    bangka = IssueFactory(desk=desk_bina_marga, region=region("bangka"), priority_order=1)
    c = IssueFactory(desk=desk_bina_marga, priority_order=3)
    services.issue_move(actor=delegate_pangkalpinang, issue=c, direction="up")
    a.refresh_from_db()
    c.refresh_from_db()
    bangka.refresh_from_db()
    assert (c.priority_order, a.priority_order, bangka.priority_order) == (1, 2, 1)


def test_another_region_cannot_reorder(draft, delegate_bangka):
    with pytest.raises(PermissionDenied):
        services.issue_move(actor=delegate_bangka, issue=draft, direction="up")


# Comments


def test_observer_cannot_comment(submitted, observer):
    with pytest.raises(PermissionDenied):
        services.issue_comment_add(actor=observer, issue=submitted, body="Catatan")


def test_desk_head_and_delegate_comment(submitted, kabid_bina_marga, delegate_pangkalpinang):
    services.issue_comment_add(actor=kabid_bina_marga, issue=submitted, body="Mohon foto.")
    services.issue_comment_add(actor=delegate_pangkalpinang, issue=submitted, body="Terlampir.")
    assert list(submitted.comments.values_list("body", flat=True)) == ["Mohon foto.", "Terlampir."]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_different_numbers(desk_bina_marga, secretariat):
    """Eight people press Ajukan at the same moment in one desk: eight different numbers."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database with row locks between connections (PostgreSQL)")
    drafts = [IssueFactory(desk=desk_bina_marga) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(issue):
        try:
            barrier.wait()
            services.issue_submit(actor=secretariat, issue=issue)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Issue.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))
