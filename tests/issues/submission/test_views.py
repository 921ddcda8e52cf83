"""The pages at work: what each role does through the browser's plain form posts."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.models import Issue, IssueComment, IssueEvent, RegionWindow
from rakortek.accounts.models import Role
from tests.factories import DeskFactory, IssueFactory, UserFactory, field, region
from tests.issues.conftest import close_submission, form_data

pytestmark = pytest.mark.django_db
S = Issue.Status


def create_url(meeting):
    return reverse("issues:create", kwargs={"slug": meeting.slug})


def list_url(meeting):
    return reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})


def message_levels(response):
    return [m.level_tag for m in get_messages(response.wsgi_request)]


# Creating and submitting


def test_delegate_saves_a_draft(as_delegate_pangkalpinang, desk_bina_marga):
    response = as_delegate_pangkalpinang.post(
        create_url(desk_bina_marga.meeting), {**form_data(desk_bina_marga), "action": "draft"}
    )
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == issue.get_absolute_url()
    assert issue.status == S.DRAFT and issue.number is None
    assert issue.region == region("pangkalpinang")
    assert issue.estimated_cost == 1_250_000_000


def test_delegate_writes_and_submits_in_one_go(as_delegate_pangkalpinang, desk_bina_marga):
    as_delegate_pangkalpinang.post(
        create_url(desk_bina_marga.meeting), {**form_data(desk_bina_marga), "action": "submit"}
    )
    issue = Issue.objects.select_related("desk__field").get()
    assert (issue.status, issue.code) == (S.SUBMITTED, "BM-01")
    response = as_delegate_pangkalpinang.get(issue.get_absolute_url())
    assert "BM-01" in response.text


def test_posting_another_region_is_ignored(as_delegate_pangkalpinang, desk_bina_marga):
    bangka = region("bangka")
    data = {
        **form_data(desk_bina_marga),
        "region": bangka.pk,
        "proxy-region": bangka.pk,
        "action": "draft",
    }
    as_delegate_pangkalpinang.post(create_url(desk_bina_marga.meeting), data)
    issue = Issue.objects.get()
    assert issue.region == region("pangkalpinang") and not issue.is_proxy_entry


def test_editing_cannot_move_an_issue_to_another_region(as_delegate_pangkalpinang, draft):
    data = {**form_data(draft.desk), "region": region("bangka").pk, "action": "draft"}
    as_delegate_pangkalpinang.post(reverse("issues:edit", kwargs={"pk": draft.pk}), data)
    draft.refresh_from_db()
    assert draft.region == region("pangkalpinang")
    assert draft.title == form_data(draft.desk)["title"]


def test_invalid_input_is_shown_again_with_what_was_typed(
    as_delegate_pangkalpinang, desk_bina_marga
):
    data = {
        **form_data(desk_bina_marga),
        "estimated_cost": "kira-kira satu miliar",
        "latitude": "-6,2",
        "title": "",
        "action": "submit",
    }
    response = as_delegate_pangkalpinang.post(create_url(desk_bina_marga.meeting), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"estimated_cost", "latitude", "title"} <= set(errors)
    assert "kira-kira satu miliar" in response.text
    assert form_data(desk_bina_marga)["problem"] in response.text
    assert not Issue.objects.exists()


def test_create_form_proposes_the_delegates_office(as_delegate_pangkalpinang, desk_bina_marga):
    as_delegate_pangkalpinang.get(create_url(desk_bina_marga.meeting))
    user = as_delegate_pangkalpinang.get(create_url(desk_bina_marga.meeting)).context["user"]
    user.office = "DPUPRPKP Kota Pangkalpinang"
    user.save(update_fields=["office"])
    response = as_delegate_pangkalpinang.get(
        create_url(desk_bina_marga.meeting) + f"?desk={desk_bina_marga.pk}"
    )
    form = response.context["form"]
    assert form["proposing_office"].value() == "DPUPRPKP Kota Pangkalpinang"
    assert str(form["desk"].value()) == str(desk_bina_marga.pk)


def test_submitting_from_the_issue_page_gives_the_number(as_delegate_pangkalpinang, draft):
    response = as_delegate_pangkalpinang.post(reverse("issues:submit", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (S.SUBMITTED, 1)
    assert message_levels(response) == ["success"]


def test_submitting_twice_shows_an_error_and_changes_nothing(as_delegate_pangkalpinang, submitted):
    response = as_delegate_pangkalpinang.post(reverse("issues:submit", kwargs={"pk": submitted.pk}))
    assert response.status_code == 302
    assert message_levels(response) == ["danger"]
    assert submitted.events.filter(kind=IssueEvent.Kind.STATUS).count() == 1


def test_after_the_window_closes_the_delegate_cannot_create_edit_or_submit(
    as_delegate_pangkalpinang, draft
):
    meeting = draft.meeting
    close_submission(meeting)
    response = as_delegate_pangkalpinang.post(
        create_url(meeting), {**form_data(draft.desk), "action": "submit"}
    )
    assert response.status_code == 302 and Issue.objects.count() == 1
    response = as_delegate_pangkalpinang.post(
        reverse("issues:edit", kwargs={"pk": draft.pk}),
        {**form_data(draft.desk), "action": "draft"},
    )
    assert response.status_code == 302 and message_levels(response) == ["danger", "danger"]
    response = as_delegate_pangkalpinang.post(reverse("issues:submit", kwargs={"pk": draft.pk}))
    assert message_levels(response) == ["danger"] * 3
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.number is None


def test_a_reopened_region_can_submit_after_the_window(as_delegate_pangkalpinang, draft):
    close_submission(draft.meeting)
    RegionWindow.objects.create(
        meeting=draft.meeting,
        region=draft.region,
        closes_at=timezone.now() + timedelta(hours=5),
        reason="Server kabupaten sempat mati",
    )
    response = as_delegate_pangkalpinang.get(list_url(draft.meeting))
    assert response.context["window_open"]
    as_delegate_pangkalpinang.post(reverse("issues:submit", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


# Secretariat


def test_secretariat_enters_an_issue_for_a_region(as_secretariat, secretariat, desk_bina_marga):
    data = {
        **form_data(desk_bina_marga),
        "proxy-region": region("belitung-timur").pk,
        "action": "submit",
    }
    response = as_secretariat.post(create_url(desk_bina_marga.meeting), data)
    issue = Issue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert issue.region.slug == "belitung-timur"
    assert issue.is_proxy_entry and issue.entered_by == secretariat
    assert issue.status == S.SUBMITTED


def test_secretariat_must_choose_the_region(as_secretariat, desk_bina_marga):
    response = as_secretariat.post(
        create_url(desk_bina_marga.meeting), {**form_data(desk_bina_marga), "action": "draft"}
    )
    assert response.status_code == 200
    assert "region" in response.context["proxy_form"].errors
    assert not Issue.objects.exists()


def test_secretariat_reopens_submission_for_one_region(as_secretariat, meeting):
    url = reverse("issues:region_windows", kwargs={"slug": meeting.slug})
    closes = timezone.localtime() + timedelta(days=2)
    response = as_secretariat.post(
        url,
        {
            "region": region("bangka-barat").pk,
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "reason": "Banjir di kantor DPUPR",
        },
    )
    assert response.status_code == 302
    window = RegionWindow.objects.get()
    assert window.region.slug == "bangka-barat" and window.reason == "Banjir di kantor DPUPR"


def test_a_reopening_must_end_in_the_future(as_secretariat, meeting):
    url = reverse("issues:region_windows", kwargs={"slug": meeting.slug})
    past = timezone.localtime() - timedelta(days=1)
    response = as_secretariat.post(
        url,
        {
            "region": region("bangka").pk,
            "closes_at": past.strftime("%Y-%m-%dT%H:%M"),
            "reason": "x",
        },
    )
    assert response.status_code == 200 and "closes_at" in response.context["form"].errors
    assert not RegionWindow.objects.exists()


# Desk head


def test_desk_head_returns_an_issue_with_a_question(as_kabid_bina_marga, submitted):
    url = reverse("issues:return", kwargs={"pk": submitted.pk})
    response = as_kabid_bina_marga.post(url, {"question": ""})
    assert response.status_code == 200 and "question" in response.context["form"].errors
    response = as_kabid_bina_marga.post(url, {"question": "Mohon lampirkan foto kerusakan."})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_REVISION


def test_the_delegate_answers_and_submits_again(
    as_delegate_pangkalpinang, submitted, kabid_bina_marga
):
    services.issue_return_for_revision(
        actor=kabid_bina_marga, issue=submitted, question="Mohon lampirkan foto kerusakan."
    )
    detail = as_delegate_pangkalpinang.get(submitted.get_absolute_url())
    assert detail.context["can_resubmit"]
    assert "Mohon lampirkan foto kerusakan." in detail.text
    url = reverse("issues:submit", kwargs={"pk": submitted.pk})
    response = as_delegate_pangkalpinang.post(url, {"resubmit-answer": ""})
    assert message_levels(response) == ["danger"]
    as_delegate_pangkalpinang.post(url, {"resubmit-answer": "Foto sudah dilampirkan."})
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.number == 1


def test_the_delegate_revises_the_returned_issue_and_submits_it_from_the_form(
    as_delegate_pangkalpinang, submitted, kabid_bina_marga
):
    services.issue_return_for_revision(actor=kabid_bina_marga, issue=submitted, question="Lokasi?")
    url = reverse("issues:edit", kwargs={"pk": submitted.pk})
    page = as_delegate_pangkalpinang.get(url)
    assert page.context["question"].reason == "Lokasi?"
    data = {**form_data(submitted.desk), "place": "Simpang Empat Kampak", "action": "submit"}
    response = as_delegate_pangkalpinang.post(url, data)
    assert response.status_code == 200
    assert "answer" in response.context["answer_form"].errors
    data["resubmit-answer"] = "Lokasi di Simpang Empat Kampak."
    as_delegate_pangkalpinang.post(url, data)
    submitted.refresh_from_db()
    assert submitted.status == S.SUBMITTED and submitted.place == "Simpang Empat Kampak"


def test_saving_a_returned_issue_without_submitting_needs_no_answer(
    as_delegate_pangkalpinang, submitted, kabid_bina_marga
):
    services.issue_return_for_revision(actor=kabid_bina_marga, issue=submitted, question="?")
    url = reverse("issues:edit", kwargs={"pk": submitted.pk})
    data = {**form_data(submitted.desk), "district": "Taman Sari", "action": "draft"}
    assert as_delegate_pangkalpinang.post(url, data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_REVISION and submitted.district == "Taman Sari"


def test_desk_head_verifies(as_kabid_bina_marga, submitted):
    as_kabid_bina_marga.post(reverse("issues:verify", kwargs={"pk": submitted.pk}))
    submitted.refresh_from_db()
    assert submitted.status == S.VERIFIED


def test_verifying_a_returned_issue_is_refused_with_a_message(
    as_kabid_bina_marga, submitted, kabid_bina_marga
):
    services.issue_return_for_revision(actor=kabid_bina_marga, issue=submitted, question="?")
    response = as_kabid_bina_marga.post(reverse("issues:verify", kwargs={"pk": submitted.pk}))
    assert message_levels(response) == ["danger"]
    submitted.refresh_from_db()
    assert submitted.status == S.NEEDS_REVISION


# Withdrawing, comments, order


def test_delegate_withdraws_after_confirming(as_delegate_pangkalpinang, submitted):
    url = reverse("issues:withdraw", kwargs={"pk": submitted.pk})
    assert as_delegate_pangkalpinang.get(url).status_code == 200
    as_delegate_pangkalpinang.post(url, {"reason": "Sudah dianggarkan di APBD kota."})
    submitted.refresh_from_db()
    assert submitted.status == S.WITHDRAWN
    assert submitted.events.last().reason == "Sudah dianggarkan di APBD kota."


def test_comments_make_a_thread(as_kabid_bina_marga, as_delegate_pangkalpinang, submitted):
    url = reverse("issues:comment", kwargs={"pk": submitted.pk})
    as_kabid_bina_marga.post(url, {"body": "Apakah sudah ada DED?"})
    as_delegate_pangkalpinang.post(url, {"body": "DED sedang disusun."})
    response = as_delegate_pangkalpinang.get(submitted.get_absolute_url())
    assert [c.body for c in response.context["comments"]] == [
        "Apakah sudah ada DED?",
        "DED sedang disusun.",
    ]


def test_an_empty_comment_is_refused(as_delegate_pangkalpinang, submitted):
    url = reverse("issues:comment", kwargs={"pk": submitted.pk})
    response = as_delegate_pangkalpinang.post(url, {"body": "   "})
    assert message_levels(response) == ["danger"]
    assert not IssueComment.objects.exists()


def test_move_buttons_reorder_and_return_to_the_list(as_delegate_pangkalpinang, desk_bina_marga):
    first = IssueFactory(desk=desk_bina_marga, priority_order=1)
    second = IssueFactory(desk=desk_bina_marga, priority_order=2)
    response = as_delegate_pangkalpinang.post(
        reverse("issues:move", kwargs={"pk": second.pk}),
        {"direction": "up", "next": list_url(desk_bina_marga.meeting)},
    )
    assert response["Location"] == f"{list_url(desk_bina_marga.meeting)}#desk-{desk_bina_marga.pk}"
    page = as_delegate_pangkalpinang.get(list_url(desk_bina_marga.meeting))
    group = next(g for g in page.context["groups"] if g["desk"] == desk_bina_marga)
    assert group["issues"] == [second, first]


def test_move_ignores_a_next_address_on_another_site(as_delegate_pangkalpinang, draft):
    response = as_delegate_pangkalpinang.post(
        reverse("issues:move", kwargs={"pk": draft.pk}),
        {"direction": "down", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith(list_url(draft.meeting))


def test_move_is_refused_after_the_window(as_delegate_pangkalpinang, desk_bina_marga):
    IssueFactory(desk=desk_bina_marga, priority_order=1)
    second = IssueFactory(desk=desk_bina_marga, priority_order=2)
    close_submission(desk_bina_marga.meeting)
    response = as_delegate_pangkalpinang.post(
        reverse("issues:move", kwargs={"pk": second.pk}), {"direction": "up"}
    )
    assert message_levels(response) == ["danger"]
    second.refresh_from_db()
    assert second.priority_order == 2


# Lists


def test_delegate_list_groups_their_regions_issues_by_desk(
    as_delegate_pangkalpinang, draft, submitted, bangka_submitted, sda_submitted
):
    response = as_delegate_pangkalpinang.get(list_url(draft.meeting))
    assert response.status_code == 200
    groups = {g["desk"].field.slug: g["issues"] for g in response.context["groups"]}
    assert groups["bina-marga"] == [draft, submitted]
    assert groups["sumber-daya-air"] == [sda_submitted]
    assert bangka_submitted.title not in response.text
    assert "BM-01" in response.text


def test_desk_list_filters_by_region_and_status(
    as_kabid_bina_marga, draft, submitted, bangka_submitted, sda_submitted
):
    url = reverse(
        "issues:desk_issues", kwargs={"slug": draft.meeting.slug, "field_slug": "bina-marga"}
    )
    response = as_kabid_bina_marga.get(url)
    assert set(response.context["issues"]) == {submitted, bangka_submitted}
    response = as_kabid_bina_marga.get(url, {"region": region("bangka").pk})
    assert list(response.context["issues"]) == [bangka_submitted]
    response = as_kabid_bina_marga.get(url, {"status": S.VERIFIED})
    assert list(response.context["issues"]) == []
    response = as_kabid_bina_marga.get(url, {"status": "bukan-status"})
    assert set(response.context["issues"]) == {submitted, bangka_submitted}


def test_secretariat_table_shows_every_region_and_filters_by_desk(
    as_secretariat, draft, bangka_submitted, sda_submitted
):
    url = list_url(draft.meeting)
    response = as_secretariat.get(url)
    assert set(response.context["issues"]) == {draft, bangka_submitted, sda_submitted}
    response = as_secretariat.get(url, {"desk": sda_submitted.desk_id})
    assert list(response.context["issues"]) == [sda_submitted]


def test_observer_table_shows_submitted_issues_only(as_observer, draft, bangka_submitted):
    response = as_observer.get(list_url(draft.meeting))
    assert list(response.context["issues"]) == [bangka_submitted]


def _many_issues(meeting, count):
    """`count` submitted issues of two regions in two desks, plus a draft and a comment each."""
    desks = [
        DeskFactory(meeting=meeting, field=field(slug)) for slug in ("perumahan", "jasa-konstruksi")
    ]
    clerk = UserFactory(username="sekretariat-pengisi", role=Role.SECRETARIAT)
    for n in range(count):
        issue = IssueFactory(desk=desks[n % 2], region=region(("bangka", "pangkalpinang")[n % 2]))
        services.issue_submit(actor=clerk, issue=issue)
        IssueFactory(desk=desks[n % 2])


@pytest.mark.parametrize("count", [2, 12])
def test_list_pages_do_not_query_per_row(
    count,
    meeting,
    as_secretariat,
    as_delegate_pangkalpinang,
    as_observer,
    django_assert_max_num_queries,
):
    _many_issues(meeting, count)
    for client in (as_secretariat, as_delegate_pangkalpinang, as_observer):
        with django_assert_max_num_queries(12):
            assert client.get(list_url(meeting)).status_code == 200


def test_desk_list_does_not_query_per_row(meeting, as_secretariat, django_assert_max_num_queries):
    _many_issues(meeting, 12)
    url = reverse("issues:desk_issues", kwargs={"slug": meeting.slug, "field_slug": "perumahan"})
    with django_assert_max_num_queries(10):
        response = as_secretariat.get(url)
    assert len(response.context["issues"]) == 6


def test_issue_page_query_count_does_not_grow_with_history(
    as_delegate_pangkalpinang, submitted, kabid_bina_marga, django_assert_max_num_queries
):
    for n in range(8):
        services.issue_comment_add(actor=kabid_bina_marga, issue=submitted, body=f"Catatan {n}")
    with django_assert_max_num_queries(20):
        assert as_delegate_pangkalpinang.get(submitted.get_absolute_url()).status_code == 200


def test_issue_page_shows_everything_the_region_wrote(as_kabid_bina_marga, desk_bina_marga):
    from decimal import Decimal

    issue = IssueFactory(
        desk=desk_bina_marga,
        latitude=Decimal("-2.129100"),
        longitude=Decimal("106.113100"),
        volume=Decimal("3.50"),
        plan_link="RPJMD 2018-2023 Misi 3",
    )
    services.issue_submit(actor=UserFactory(role=Role.SECRETARIAT), issue=issue)
    text = as_kabid_bina_marga.get(issue.get_absolute_url()).text
    for expected in (
        issue.title,
        issue.problem,
        issue.current_condition,
        issue.proposed_handling,
        issue.support_requested,
        "Gerunggang",
        "Kacang Pedang",
        "-2,1291; 106,1131",
        "3,5 km",
        "Rp1.250.000.000",
        "RPJMD 2018-2023 Misi 3",
        "BM-01",
    ):
        assert expected in text, expected


def test_a_decided_issue_shows_the_decision_and_reason(as_delegate_pangkalpinang, submitted):
    Issue.objects.filter(pk=submitted.pk).update(
        status=S.PRIORITY, decision_reason="Ruas strategis penghubung pelabuhan."
    )
    response = as_delegate_pangkalpinang.get(submitted.get_absolute_url())
    assert response.context["decided"]
    assert "Ruas strategis penghubung pelabuhan." in response.text
    assert not response.context["can_withdraw"] and not response.context["can_edit"]
