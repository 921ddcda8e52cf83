"""Who may open the desk board and its pages (every view: the right role, another desk,
a delegate, the observer, the anonymous visitor), what the board shows, and how many
queries it costs."""

import pytest
from django.http import Http404
from django.urls import reverse

from issues import services
from issues.board.selectors import desk_for_user
from issues.models import Issue
from meetings.models import Meeting
from tests.factories import IssueFactory, region
from tests.issues.board.helpers import default_criteria, score, score_all, verified, version

pytestmark = pytest.mark.django_db
D = Issue.Decision


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def issue(desk_bina_marga, secretariat, criteria):
    return verified(desk_bina_marga, secretariat)


@pytest.fixture
def waiting(desk_bina_marga, secretariat):
    return services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))


def desk_url(name, desk):
    return reverse(name, kwargs={"desk_id": desk.pk})


def issue_url(name, issue):
    return reverse(name, kwargs={"desk_id": issue.desk_id, "pk": issue.pk})


# (url name, per issue?, method); the issue-less ones are about the whole desk.
WRITE_VIEWS = [
    ("issues:board_score", True, "get"),
    ("issues:board_score", True, "post"),
    ("issues:board_rank", True, "get"),
    ("issues:board_rank", True, "post"),
    ("issues:board_decide", True, "get"),
    ("issues:board_decide", True, "post"),
    ("issues:board_verify", True, "post"),
    ("issues:board_return", True, "get"),
    ("issues:board_return", True, "post"),
    ("issues:board_apply_proposed", False, "post"),
    ("issues:board_lock", False, "get"),
    ("issues:board_lock", False, "post"),
    ("issues:board_unlock", False, "get"),
    ("issues:board_unlock", False, "post"),
]
# An issue's board page with its editors: everyone who may read the board reads it.
ALL_VIEWS = [("issues:board", False, "get"), ("issues:board_issue", True, "get"), *WRITE_VIEWS]


def call(client, view, issue, data=None):
    name, per_issue, method = view
    url = issue_url(name, issue) if per_issue else desk_url(name, issue.desk)
    return getattr(client, method)(url, data or {})


def view_id(view):
    return f"{view[0].split(':')[1]}-{view[2]}"


@pytest.mark.parametrize("view", ALL_VIEWS, ids=view_id)
def test_anonymous_visitors_are_sent_to_log_in(client, issue, view):
    response = call(client, view, issue)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("view", ALL_VIEWS, ids=view_id)
def test_the_chair_of_another_desk_gets_not_found(as_kabid_sda, issue, view):
    assert call(as_kabid_sda, view, issue).status_code == 404


@pytest.mark.parametrize("view", ALL_VIEWS, ids=view_id)
def test_a_delegate_gets_not_found_even_for_their_own_issue(as_delegate_pangkalpinang, issue, view):
    assert call(as_delegate_pangkalpinang, view, issue).status_code == 404


@pytest.mark.parametrize("view", WRITE_VIEWS, ids=view_id)
def test_the_observer_may_not_write(as_observer, issue, view):
    assert call(as_observer, view, issue).status_code == 403


def test_the_observer_reads_the_board_without_controls(as_observer, issue, desk_bina_marga):
    response = as_observer.get(desk_url("issues:board", desk_bina_marga))
    assert response.status_code == 200
    assert not response.context["can_write"]
    assert issue_url("issues:board_score", issue).encode() not in response.content


@pytest.mark.parametrize(
    "view", [v for v in ALL_VIEWS if v[2] == "get" and v[0] != "issues:board_unlock"], ids=view_id
)
def test_the_chair_opens_every_page_of_their_board(as_kabid_bina_marga, issue, view):
    assert call(as_kabid_bina_marga, view, issue).status_code == 200


@pytest.mark.parametrize("view", [v for v in ALL_VIEWS if v[2] == "get"], ids=view_id)
def test_the_secretariat_opens_every_page_of_every_board(as_secretariat, issue, view):
    assert call(as_secretariat, view, issue).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_secretariat_unlocks(as_kabid_bina_marga, issue, method):
    response = getattr(as_kabid_bina_marga, method)(desk_url("issues:board_unlock", issue.desk))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["issues:board_score", "issues:board_rank", "issues:board_decide"])
def test_an_issue_of_another_desk_is_not_found_on_this_board(
    as_kabid_bina_marga, desk_bina_marga, desk_sda, secretariat, name
):
    other = verified(desk_sda, secretariat)
    url = reverse(name, kwargs={"desk_id": desk_bina_marga.pk, "pk": other.pk})
    assert as_kabid_bina_marga.get(url).status_code == 404


def test_a_draft_is_not_on_the_board(as_kabid_bina_marga, desk_bina_marga):
    draft = IssueFactory(desk=desk_bina_marga)
    assert as_kabid_bina_marga.get(issue_url("issues:board_score", draft)).status_code == 404
    response = as_kabid_bina_marga.get(desk_url("issues:board", desk_bina_marga))
    assert draft.pk not in {r.issue.pk for r in response.context["rows"]}


def test_a_chair_sees_the_same_issues_on_the_board_and_the_issue_page_in_a_draft_meeting(
    kabid_bina_marga, observer, secretariat, desk_bina_marga, as_kabid_bina_marga
):
    issue = verified(desk_bina_marga, secretariat)
    meeting = desk_bina_marga.meeting
    meeting.status = Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    assert desk_for_user(kabid_bina_marga, desk_bina_marga.pk) == desk_bina_marga
    response = as_kabid_bina_marga.get(desk_url("issues:board", desk_bina_marga))
    assert issue.pk in {r.issue.pk for r in response.context["rows"]}
    assert as_kabid_bina_marga.get(reverse("issues:detail", args=[issue.pk])).status_code == 200
    with pytest.raises(Http404):
        desk_for_user(observer, desk_bina_marga.pk)


# Verification and return from the board


def test_the_chair_verifies_from_the_board(as_kabid_bina_marga, waiting):
    response = as_kabid_bina_marga.post(
        issue_url("issues:board_verify", waiting), {"version": version(waiting.desk)}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Issue.Status.VERIFIED


def test_a_stale_verification_is_refused(as_kabid_bina_marga, waiting, issue, kabid_bina_marga):
    seen = version(waiting.desk)
    services.issue_decide(actor=kabid_bina_marga, issue=issue, decision=D.PRIORITY, version=seen)
    as_kabid_bina_marga.post(issue_url("issues:board_verify", waiting), {"version": seen})
    waiting.refresh_from_db()
    assert waiting.status == Issue.Status.SUBMITTED


def test_the_chair_returns_an_issue_with_a_question_from_the_board(as_kabid_bina_marga, waiting):
    url = issue_url("issues:board_return", waiting)
    response = as_kabid_bina_marga.post(url, {"version": version(waiting.desk), "question": ""})
    assert response.status_code == 200
    assert "question" in response.context["form"].errors
    response = as_kabid_bina_marga.post(
        url, {"version": version(waiting.desk), "question": "Mohon lampirkan foto."}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Issue.Status.NEEDS_REVISION


# What the board shows


@pytest.fixture
def mixed_board(desk_bina_marga, secretariat, kabid_bina_marga, criteria, waiting):
    kota = verified(desk_bina_marga, secretariat)
    bangka = verified(desk_bina_marga, secretariat, region_slug="bangka")
    score_all(kota, kabid_bina_marga, criteria, 5)
    score(bangka, kabid_bina_marga, criteria, [3, 3, 3, 3, 3])
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    services.issue_decide(
        actor=kabid_bina_marga,
        issue=kota,
        decision=D.PRIORITY,
        version=version(desk_bina_marga),
    )
    withdrawn = services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))
    services.issue_withdraw(actor=secretariat, issue=withdrawn)
    return {"kota": kota, "bangka": bangka, "waiting": waiting, "withdrawn": withdrawn}


def board_get(client, desk, **params):
    return client.get(desk_url("issues:board", desk), params)


def test_the_board_groups_ranked_unranked_and_waiting_issues(
    as_kabid_bina_marga, desk_bina_marga, mixed_board
):
    response = board_get(as_kabid_bina_marga, desk_bina_marga)
    context = response.context
    assert [r.issue.pk for r in context["ranked"]] == [
        mixed_board["kota"].pk,
        mixed_board["bangka"].pk,
    ]
    assert [r.issue.pk for r in context["waiting"]] == [mixed_board["waiting"].pk]
    assert mixed_board["withdrawn"].pk not in {r.issue.pk for r in context["rows"]}


def test_the_board_filters_by_region(as_kabid_bina_marga, desk_bina_marga, mixed_board):
    response = board_get(as_kabid_bina_marga, desk_bina_marga, region=region("bangka").pk)
    shown = [r.issue.pk for r in response.context["ranked"] + response.context["waiting"]]
    assert shown == [mixed_board["bangka"].pk]
    # Dragging a filtered list would give wrong ranks, so it is switched off.
    assert not response.context["sortable"]


def test_the_board_filters_by_status_and_by_decision(
    as_kabid_bina_marga, desk_bina_marga, mixed_board
):
    response = board_get(as_kabid_bina_marga, desk_bina_marga, status=Issue.Status.SUBMITTED)
    assert [r.issue.pk for r in response.context["waiting"]] == [mixed_board["waiting"].pk]
    assert response.context["ranked"] == []
    response = board_get(as_kabid_bina_marga, desk_bina_marga, decision=D.PRIORITY)
    assert [r.issue.pk for r in response.context["ranked"]] == [mixed_board["kota"].pk]
    response = board_get(as_kabid_bina_marga, desk_bina_marga, decision="belum")
    assert [r.issue.pk for r in response.context["ranked"]] == [mixed_board["bangka"].pk]


def test_the_board_counts_issues_and_scores_per_region(
    as_kabid_bina_marga, desk_bina_marga, mixed_board
):
    response = board_get(as_kabid_bina_marga, desk_bina_marga)
    summary = {e["region"].slug: e for e in response.context["summary"]}
    assert (summary["pangkalpinang"]["issues"], summary["pangkalpinang"]["scored"]) == (2, 1)
    assert str(summary["pangkalpinang"]["mean"]) == "100.00"
    assert summary["pangkalpinang"]["priority"] == 1
    assert (summary["bangka"]["issues"], str(summary["bangka"]["mean"])) == (1, "50.00")


def test_the_board_shows_the_parts_of_a_score_and_the_formula(
    as_kabid_bina_marga, desk_bina_marga, mixed_board
):
    response = board_get(as_kabid_bina_marga, desk_bina_marga)
    row = next(r for r in response.context["rows"] if r.issue.pk == mixed_board["bangka"].pk)
    assert [str(p.points) for p in row.parts] == ["15", "12.5", "10", "7.5", "5"]
    assert str(response.context["formula"]) in response.content.decode()


def test_the_board_answers_in_the_same_number_of_queries_for_5_and_50_issues(
    as_kabid_bina_marga,
    desk_bina_marga,
    secretariat,
    kabid_bina_marga,
    criteria,
    django_assert_max_num_queries,
):
    def add(count):
        for n in range(count):
            slug = ("pangkalpinang", "bangka", "belitung")[n % 3]
            issue = verified(desk_bina_marga, secretariat, region_slug=slug)
            score(issue, kabid_bina_marga, criteria, [1 + n % 5, 3, 3, 3, 2])
        services.desk_apply_proposed_order(
            actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
        )

    # Session, user, desk, board state, criteria, the fingerprint of the desk's issues (the
    # key of the cached rows), issues, their scores, their joint regions, the merged
    # originals of joint issues (their summed figures), the regions' assent rounds.
    add(5)
    with django_assert_max_num_queries(11) as five:
        assert board_get(as_kabid_bina_marga, desk_bina_marga).status_code == 200
    add(45)
    with django_assert_max_num_queries(11) as fifty:
        response = board_get(as_kabid_bina_marga, desk_bina_marga)
    assert len(response.context["ranked"]) == 50
    assert len(fifty.captured_queries) == len(five.captured_queries)


# History and links


def test_the_issue_history_shows_scores_ranks_and_decisions(as_delegate_pangkalpinang, mixed_board):
    response = as_delegate_pangkalpinang.get(mixed_board["kota"].get_absolute_url())
    kinds = [e.kind for e in response.context["events"]]
    assert {"skor", "peringkat", "keputusan"} <= set(kinds)
    html = response.content.decode()
    assert "100,00" in html  # the score, written the Indonesian way


def test_the_desk_head_home_page_links_to_the_board(as_kabid_bina_marga, desk_bina_marga):
    response = as_kabid_bina_marga.get(reverse("home"))
    assert desk_url("issues:board", desk_bina_marga).encode() in response.content


def test_the_desk_issue_list_links_to_the_board(as_kabid_bina_marga, desk_bina_marga):
    url = reverse(
        "issues:desk_issues",
        kwargs={"slug": desk_bina_marga.meeting.slug, "field_slug": desk_bina_marga.field.slug},
    )
    response = as_kabid_bina_marga.get(url)
    assert desk_url("issues:board", desk_bina_marga).encode() in response.content


def test_the_meeting_issue_list_links_to_each_board(as_secretariat, desk_bina_marga, desk_sda):
    url = reverse("issues:meeting_issues", kwargs={"slug": desk_bina_marga.meeting.slug})
    response = as_secretariat.get(url)
    assert desk_url("issues:board", desk_bina_marga).encode() in response.content
    assert desk_url("issues:board", desk_sda).encode() in response.content
