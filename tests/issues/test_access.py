"""Who may open which page: every view, for the right role, another region or desk (404),
a read-only role (403) and the anonymous visitor (sent to log in)."""

import pytest
from django.urls import reverse

from issues.models import Issue
from issues.selectors import can_edit_issue, get_issue_for_user, issues_visible_to
from tests.factories import MeetingFactory
from tests.issues.conftest import close_submission

pytestmark = pytest.mark.django_db
S = Issue.Status

# Pages about one issue, with the method that does the work.
ISSUE_WRITE_VIEWS = [
    ("issues:edit", "get"),
    ("issues:submit", "post"),
    ("issues:withdraw", "get"),
    ("issues:move", "post"),
]
DESK_VIEWS = [("issues:return", "get"), ("issues:verify", "post")]


def call(client, name, method, issue, data=None):
    url = reverse(name, kwargs={"pk": issue.pk})
    return getattr(client, method)(url, data or {})


def assert_sent_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# The selectors


def test_delegate_sees_only_their_regions_issues(draft, bangka_draft, delegate_pangkalpinang):
    assert list(issues_visible_to(delegate_pangkalpinang)) == [draft]


def test_desk_head_sees_submitted_issues_of_their_desks_only(
    draft, submitted, sda_submitted, kabid_bina_marga
):
    assert list(issues_visible_to(kabid_bina_marga)) == [submitted]


def test_observer_sees_submitted_issues_only(draft, submitted, sda_submitted, observer):
    assert set(issues_visible_to(observer)) == {submitted, sda_submitted}


def test_delegate_does_not_see_issues_of_a_meeting_back_in_draft(draft, delegate_pangkalpinang):
    meeting = draft.meeting
    meeting.status = meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    assert not issues_visible_to(delegate_pangkalpinang).exists()


def test_inactive_user_sees_nothing(submitted, delegate_pangkalpinang):
    delegate_pangkalpinang.is_active = False
    assert not issues_visible_to(delegate_pangkalpinang).exists()


def test_desk_head_asking_to_write_as_the_region_is_forbidden(submitted, kabid_bina_marga):
    from django.core.exceptions import PermissionDenied

    assert get_issue_for_user(kabid_bina_marga, submitted.pk) == submitted
    with pytest.raises(PermissionDenied):
        get_issue_for_user(kabid_bina_marga, submitted.pk, write=True)


def test_outsider_gets_not_found_even_when_asking_to_write(draft, delegate_bangka):
    from django.http import Http404

    with pytest.raises(Http404):
        get_issue_for_user(delegate_bangka, draft.pk, write=True)
    with pytest.raises(Http404):
        get_issue_for_user(delegate_bangka, "not-a-number")


def test_can_edit_follows_status_window_and_role(
    draft, submitted, delegate_pangkalpinang, secretariat, kabid_bina_marga
):
    assert can_edit_issue(delegate_pangkalpinang, draft)
    assert not can_edit_issue(delegate_pangkalpinang, submitted)
    assert can_edit_issue(secretariat, submitted)
    assert not can_edit_issue(kabid_bina_marga, submitted)
    close_submission(draft.meeting)
    draft.refresh_from_db()
    assert not can_edit_issue(delegate_pangkalpinang, draft)
    assert can_edit_issue(secretariat, draft)
    Issue.objects.filter(pk=submitted.pk).update(status=S.PRIORITY)
    submitted.refresh_from_db()
    assert not can_edit_issue(secretariat, submitted)


# Pages about one issue


@pytest.mark.parametrize(
    "name,method",
    [("issues:detail", "get"), ("issues:comment", "post")] + ISSUE_WRITE_VIEWS + DESK_VIEWS,
)
def test_anonymous_is_sent_to_log_in(client, submitted, name, method):
    assert_sent_to_login(call(client, name, method, submitted))


@pytest.mark.parametrize(
    "name,method",
    [("issues:detail", "get"), ("issues:comment", "post")] + ISSUE_WRITE_VIEWS + DESK_VIEWS,
)
def test_another_regions_delegate_gets_not_found(
    as_delegate_bangka, draft, submitted, name, method
):
    assert call(as_delegate_bangka, name, method, draft).status_code == 404
    assert call(as_delegate_bangka, name, method, submitted).status_code == 404


@pytest.mark.parametrize(
    "name,method",
    [("issues:detail", "get"), ("issues:comment", "post")] + ISSUE_WRITE_VIEWS + DESK_VIEWS,
)
def test_head_of_another_desk_gets_not_found(as_kabid_sda, submitted, name, method):
    assert call(as_kabid_sda, name, method, submitted).status_code == 404


@pytest.mark.parametrize("name,method", [("issues:detail", "get")] + ISSUE_WRITE_VIEWS + DESK_VIEWS)
def test_desk_head_gets_not_found_for_a_draft(as_kabid_bina_marga, draft, name, method):
    assert call(as_kabid_bina_marga, name, method, draft).status_code == 404


@pytest.mark.parametrize(
    "name,method", [("issues:comment", "post")] + ISSUE_WRITE_VIEWS + DESK_VIEWS
)
def test_observer_may_only_read(as_observer, submitted, name, method):
    assert call(as_observer, "issues:detail", "get", submitted).status_code == 200
    assert call(as_observer, name, method, submitted, {"body": "x"}).status_code == 403


@pytest.mark.parametrize("name,method", ISSUE_WRITE_VIEWS)
def test_desk_head_may_not_write_as_the_region(as_kabid_bina_marga, submitted, name, method):
    assert call(as_kabid_bina_marga, name, method, submitted).status_code == 403


@pytest.mark.parametrize("name,method", DESK_VIEWS)
def test_delegate_may_not_act_as_the_desk(as_delegate_pangkalpinang, submitted, name, method):
    assert call(as_delegate_pangkalpinang, name, method, submitted).status_code == 403


def test_observer_does_not_see_drafts(as_observer, draft):
    assert call(as_observer, "issues:detail", "get", draft).status_code == 404


def test_the_region_reads_its_issue(as_delegate_pangkalpinang, draft):
    response = call(as_delegate_pangkalpinang, "issues:detail", "get", draft)
    assert response.status_code == 200
    assert response.context["can_edit"] and response.context["can_submit"]


def test_desk_head_reads_and_may_act_on_an_issue_of_their_desk(as_kabid_bina_marga, submitted):
    response = call(as_kabid_bina_marga, "issues:detail", "get", submitted)
    assert response.status_code == 200
    ctx = response.context
    assert ctx["can_verify"] and ctx["can_return"] and ctx["can_comment"]
    assert not ctx["can_edit"] and not ctx["can_withdraw"]
    assert call(as_kabid_bina_marga, "issues:return", "get", submitted).status_code == 200


def test_secretariat_may_do_everything_on_any_issue(as_secretariat, submitted):
    response = call(as_secretariat, "issues:detail", "get", submitted)
    ctx = response.context
    assert ctx["can_edit"] and ctx["can_verify"] and ctx["can_return"] and ctx["can_withdraw"]
    assert call(as_secretariat, "issues:edit", "get", submitted).status_code == 200


@pytest.mark.parametrize(
    "name", ["issues:submit", "issues:verify", "issues:comment", "issues:move"]
)
def test_actions_refuse_get(as_secretariat, submitted, name):
    assert call(as_secretariat, name, "get", submitted).status_code == 405


# Pages about a meeting


def meeting_url(name, meeting, **kwargs):
    return reverse(name, kwargs={"slug": meeting.slug, **kwargs})


@pytest.mark.parametrize(
    "name", ["issues:meeting_issues", "issues:create", "issues:region_windows"]
)
def test_meeting_pages_send_anonymous_to_log_in(client, meeting, name):
    assert_sent_to_login(client.get(meeting_url(name, meeting)))


def test_desk_page_sends_anonymous_to_log_in(client, desk_bina_marga):
    url = meeting_url("issues:desk_issues", desk_bina_marga.meeting, field_slug="bina-marga")
    assert_sent_to_login(client.get(url))


@pytest.mark.parametrize("name", ["issues:meeting_issues", "issues:create"])
def test_delegate_gets_not_found_for_a_meeting_in_draft(as_delegate_pangkalpinang, name):
    hidden = MeetingFactory(status="draf")
    assert as_delegate_pangkalpinang.get(meeting_url(name, hidden)).status_code == 404


def test_unknown_meeting_is_not_found(as_secretariat):
    for name in ("issues:meeting_issues", "issues:create", "issues:region_windows"):
        assert as_secretariat.get(reverse(name, kwargs={"slug": "tidak-ada"})).status_code == 404


def test_create_page_is_for_delegates_and_the_secretariat(
    as_delegate_pangkalpinang, as_secretariat, as_kabid_bina_marga, as_observer, desk_bina_marga
):
    url = meeting_url("issues:create", desk_bina_marga.meeting)
    assert as_delegate_pangkalpinang.get(url).status_code == 200
    assert as_secretariat.get(url).status_code == 200
    assert as_kabid_bina_marga.get(url).status_code == 403
    assert as_observer.get(url).status_code == 403
    assert as_observer.post(url, {}).status_code == 403


def test_desk_page_for_its_chair_the_secretariat_and_the_observer(
    as_kabid_bina_marga, as_secretariat, as_observer, desk_bina_marga
):
    url = meeting_url("issues:desk_issues", desk_bina_marga.meeting, field_slug="bina-marga")
    for client in (as_kabid_bina_marga, as_secretariat, as_observer):
        assert client.get(url).status_code == 200


def test_desk_page_of_another_desk_is_not_found(as_kabid_sda, desk_bina_marga, desk_sda):
    url = meeting_url("issues:desk_issues", desk_bina_marga.meeting, field_slug="bina-marga")
    assert as_kabid_sda.get(url).status_code == 404


def test_desk_page_is_not_for_delegates(as_delegate_pangkalpinang, desk_bina_marga):
    url = meeting_url("issues:desk_issues", desk_bina_marga.meeting, field_slug="bina-marga")
    assert as_delegate_pangkalpinang.get(url).status_code == 403


def test_region_windows_page_is_for_the_secretariat(
    as_secretariat, as_delegate_pangkalpinang, as_kabid_bina_marga, as_observer, meeting
):
    url = meeting_url("issues:region_windows", meeting)
    assert as_secretariat.get(url).status_code == 200
    for client in (as_delegate_pangkalpinang, as_kabid_bina_marga, as_observer):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_removing_a_region_window_is_for_the_secretariat(
    client, as_secretariat, as_observer, as_delegate_pangkalpinang, meeting, secretariat
):
    from datetime import timedelta

    from django.utils import timezone

    from issues.models import RegionWindow
    from tests.factories import region

    window = RegionWindow.objects.create(
        meeting=meeting,
        region=region("bangka"),
        closes_at=timezone.now() + timedelta(days=1),
        reason="Gangguan jaringan",
    )
    url = meeting_url("issues:region_window_delete", meeting, pk=window.pk)
    assert_sent_to_login(client.post(url))
    assert as_observer.post(url).status_code == 403
    assert as_delegate_pangkalpinang.post(url).status_code == 403
    other = MeetingFactory()
    wrong = meeting_url("issues:region_window_delete", other, pk=window.pk)
    assert as_secretariat.post(wrong).status_code == 404
    assert as_secretariat.post(url).status_code == 302
    assert not RegionWindow.objects.exists()
