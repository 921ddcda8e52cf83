"""The live board for the projector: who may watch it, what it shows, and the rows
partial that answers "unchanged" while nothing has changed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from issues import services
from issues.board.duplicates import issue_merge
from issues.board.selectors import board_state
from issues.models import DeskState, Issue
from meetings.models import Meeting
from tests.factories import IssueFactory
from tests.issues.board.test_duplicates import submitted_issue

pytestmark = pytest.mark.django_db
S = Issue.Status


@pytest.fixture
def desk_issues(desk_bina_marga):
    """Two ranked issues with their scores and one decision, one verified but not ranked
    yet, one still waiting for the desk to verify it, a draft."""
    first = submitted_issue(
        desk_bina_marga, "bangka", title="Rekonstruksi ruas Sungailiat - Belinyu", status=S.PRIORITY
    )
    second = submitted_issue(
        desk_bina_marga, "pangkalpinang", title="Pelebaran Jalan Lingkar Timur", status=S.VERIFIED
    )
    waiting = submitted_issue(
        desk_bina_marga, "belitung", title="Jembatan Aik Rusa", status=S.VERIFIED
    )
    submitted_issue(desk_bina_marga, "belitung", title="Belum diverifikasi desk")
    Issue.objects.filter(pk=first.pk).update(rank=1, score=82, decision="prioritas")
    Issue.objects.filter(pk=second.pk).update(rank=2, score=64)
    IssueFactory(desk=desk_bina_marga, title="Draf yang belum diajukan")
    return first, second, waiting


def board_url(desk):
    return reverse("issues:live_board", kwargs={"desk_id": desk.pk})


def rows_url(desk):
    return reverse("issues:live_rows", kwargs={"desk_id": desk.pk})


def test_live_board_shows_the_ranking_then_the_unranked_issues(
    desk_issues, desk_bina_marga, as_kabid_bina_marga
):
    first, second, waiting = desk_issues
    response = as_kabid_bina_marga.get(board_url(desk_bina_marga))
    assert response.status_code == 200
    assert response.context["ranked"] == [first, second]
    assert response.context["unranked"] == [waiting]
    html = response.content.decode()
    assert "Draf yang belum diajukan" not in html
    # The room sees only what the desk has verified or decided.
    assert "Belum diverifikasi desk" not in html
    assert html.index(first.title) < html.index(second.title) < html.index(waiting.title)
    assert 'hx-trigger="every 3s"' in html
    # For the projector: no navigation and nothing to click.
    assert "<nav" not in html and "<form" not in html and "<button" not in html


def test_live_board_names_every_region_of_a_joint_issue(
    desk_issues, desk_bina_marga, secretariat, as_secretariat
):
    first, second, _waiting = desk_issues
    joint = issue_merge(primary=first, others=[second], user=secretariat, reason="Sama")
    html = as_secretariat.get(board_url(desk_bina_marga)).content.decode()
    row = html[html.index(f'data-issue="{joint.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Kabupaten Bangka" in row and "Kota Pangkalpinang" in row
    # Written as a list is: no space before the comma.
    assert "Kabupaten Bangka, Kota Pangkalpinang" in row
    assert " ," not in row


@pytest.mark.parametrize(
    "who", ["as_secretariat", "as_kabid_bina_marga", "as_observer", "as_delegate_bangka"]
)
def test_everyone_in_the_room_may_watch_the_live_board(desk_issues, desk_bina_marga, who, request):
    client = request.getfixturevalue(who)
    assert client.get(board_url(desk_bina_marga)).status_code == 200
    assert client.get(rows_url(desk_bina_marga)).status_code == 200


def test_chair_of_another_desk_watches_it_too(desk_issues, desk_bina_marga, as_kabid_sda):
    # Every account of the meeting may be in the room.
    assert as_kabid_sda.get(board_url(desk_bina_marga)).status_code == 200
    assert as_kabid_sda.get(rows_url(desk_bina_marga)).status_code == 200


def test_a_returned_issue_leaves_the_live_board(desk_issues, desk_bina_marga, as_observer):
    first, _second, _waiting = desk_issues
    Issue.objects.filter(pk=first.pk).update(status=S.NEEDS_REVISION)
    response = as_observer.get(board_url(desk_bina_marga))
    assert first not in response.context["issues"]


def test_nobody_but_the_secretariat_watches_a_draft_meeting(
    desk_issues, desk_bina_marga, as_delegate_bangka, as_observer, as_secretariat
):
    Meeting.objects.filter(pk=desk_bina_marga.meeting_id).update(status=Meeting.Status.DRAFT)
    assert as_delegate_bangka.get(board_url(desk_bina_marga)).status_code == 404
    assert as_observer.get(rows_url(desk_bina_marga)).status_code == 404
    assert as_secretariat.get(board_url(desk_bina_marga)).status_code == 200


def test_the_live_board_only_reads(desk_issues, desk_bina_marga, as_secretariat):
    # Every role that may see it only reads it, so there is no 403 case: writes are refused.
    assert as_secretariat.post(board_url(desk_bina_marga)).status_code == 405
    assert as_secretariat.post(rows_url(desk_bina_marga)).status_code == 405


def test_anonymous_visitor_is_sent_to_log_in(client, desk_bina_marga):
    for url in (board_url(desk_bina_marga), rows_url(desk_bina_marga)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_projector_whose_session_ended_goes_to_the_login_page(client, desk_bina_marga):
    response = client.get(rows_url(desk_bina_marga), headers={"HX-Request": "true"})
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("login")


def test_unknown_desk_is_not_found(as_secretariat):
    assert (
        as_secretariat.get(reverse("issues:live_board", kwargs={"desk_id": 999})).status_code == 404
    )


# The rows partial


def test_rows_answer_no_content_while_the_version_is_unchanged(
    desk_issues, desk_bina_marga, as_observer, django_assert_max_num_queries
):
    version = as_observer.get(rows_url(desk_bina_marga)).context["version"]
    with django_assert_max_num_queries(3):  # session, user, desk with its version
        response = as_observer.get(rows_url(desk_bina_marga), {"v": version})
    assert response.status_code == 204 and response.content == b""


def test_rows_answer_not_modified_to_a_conditional_request(
    desk_issues, desk_bina_marga, as_observer
):
    first = as_observer.get(rows_url(desk_bina_marga))
    again = as_observer.get(rows_url(desk_bina_marga), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_a_board_change_gives_new_rows(desk_issues, desk_bina_marga, as_observer):
    first, second, _waiting = desk_issues
    version = as_observer.get(rows_url(desk_bina_marga)).context["version"]
    # What the board does when the chair swaps two ranks: new ranks, a new board version.
    Issue.objects.filter(pk=first.pk).update(rank=None)
    Issue.objects.filter(pk=second.pk).update(rank=1)
    Issue.objects.filter(pk=first.pk).update(rank=2)
    DeskState.objects.update_or_create(desk=desk_bina_marga, defaults={"version": 2})

    response = as_observer.get(rows_url(desk_bina_marga), {"v": version})
    assert response.status_code == 200
    assert response.context["ranked"] == [second, first]
    assert response.context["version"] != version
    assert f"v={response.context['version']}" in response.content.decode()


def test_a_change_outside_the_board_gives_new_rows_too(
    desk_issues, desk_bina_marga, as_observer, kabid_bina_marga
):
    waiting = Issue.objects.get(title="Belum diverifikasi desk")
    version = as_observer.get(rows_url(desk_bina_marga)).context["version"]
    services.issue_verify(actor=kabid_bina_marga, issue=waiting)
    response = as_observer.get(rows_url(desk_bina_marga), {"v": version})
    assert response.status_code == 200
    assert waiting in response.context["unranked"]


def test_the_version_is_stable_while_nothing_changes(desk_issues, desk_bina_marga, as_observer):
    first = as_observer.get(rows_url(desk_bina_marga))["ETag"]
    DeskState.objects.filter(desk=desk_bina_marga).update(updated_at=timezone.now())
    # The rows come from the cache the second time; the ETag carries the version.
    assert as_observer.get(rows_url(desk_bina_marga))["ETag"] == first


@pytest.mark.parametrize(
    "who, page",
    [
        ("as_kabid_bina_marga", "home"),
        ("as_kabid_bina_marga", "desk_issues"),
        ("as_delegate_bangka", "region_issues"),
        ("as_observer", "desk_issues"),
        ("as_secretariat", "desk_issues"),
        ("as_secretariat", "meeting"),
    ],
)
def test_the_live_board_is_linked_where_its_viewers_work(desk_bina_marga, who, page, request):
    urls = {
        "home": reverse("home"),
        "desk_issues": reverse(
            "issues:desk_issues",
            kwargs={"slug": desk_bina_marga.meeting.slug, "field_slug": "bina-marga"},
        ),
        "meeting": desk_bina_marga.meeting.get_absolute_url(),
        "region_issues": reverse(
            "issues:meeting_issues", kwargs={"slug": desk_bina_marga.meeting.slug}
        ),
    }
    html = request.getfixturevalue(who).get(urls[page]).content.decode()
    assert board_url(desk_bina_marga) in html


def test_the_rows_are_rendered_once_per_version_and_follow_every_change(
    desk_issues, desk_bina_marga, as_observer, as_kabid_bina_marga, kabid_bina_marga
):
    page = as_observer.get(reverse("issues:live_board", kwargs={"desk_id": desk_bina_marga.pk}))
    rows = as_kabid_bina_marga.get(rows_url(desk_bina_marga))
    # Rendered for the first visitor, read from the cache for the second.
    assert page.context["ranked"] is not None
    assert rows.context is None
    body = rows.content.decode()
    assert body in page.content.decode()
    assert "Cadangan" not in body
    services.issue_decide(
        actor=kabid_bina_marga,
        issue=desk_issues[1],
        decision=Issue.Decision.RESERVE,
        reason="Menunggu kesiapan lahan.",
        redirected_to="",
        version=board_state(desk_bina_marga).version,
    )
    changed = as_observer.get(rows_url(desk_bina_marga))
    assert changed["ETag"] != rows["ETag"]
    assert changed.content.decode() != body
    assert "Cadangan" in changed.content.decode()
