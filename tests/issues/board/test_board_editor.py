"""An issue's board page: the editors the board no longer carries in every row (score
details, scores, rank, decision, verify and return), loaded into the row by htmx or
shown as a page of its own; and the board's weight at a province's scale."""

import pytest
from django.urls import reverse

from issues import services
from issues.models import Issue
from rakortek.demo import seed as demo
from tests.factories import IssueFactory
from tests.issues.board.helpers import default_criteria, score_all, verified, version

pytestmark = pytest.mark.django_db

# Measured at 264 KB for 200 generated issues (1.19 MB when every row carried its score
# details and three forms of its own); the budget leaves room for longer titles.
BOARD_BYTES_FOR_200_ISSUES = 320_000


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def issue(desk_bina_marga, secretariat, criteria):
    return verified(desk_bina_marga, secretariat)


def editor_url(issue, desk=None):
    desk_id = desk.pk if desk else issue.desk_id
    return reverse("issues:board_issue", kwargs={"desk_id": desk_id, "pk": issue.pk})


def board_url(desk):
    return reverse("issues:board", kwargs={"desk_id": desk.pk})


HTMX = {"HX-Request": "true"}


def test_htmx_loads_the_editors_of_an_issue_alone(as_kabid_bina_marga, issue, criteria):
    response = as_kabid_bina_marga.get(editor_url(issue), headers=HTMX)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "issues/board/_editor.html"
    context = response.context
    assert f"c{criteria[0].pk}" in context["score_form"].fields
    assert context["decision_form"] and context["rank_form"]
    html = response.content.decode()
    # The forms post to the board's own views; the score form saves without a reload.
    assert f'hx-post="{reverse("issues:board_score", args=[issue.desk_id, issue.pk])}"' in html
    assert f'action="{reverse("issues:board_decide", args=[issue.desk_id, issue.pk])}"' in html
    assert f'action="{reverse("issues:board_rank", args=[issue.desk_id, issue.pk])}"' in html
    assert "<html" not in html


def test_without_scripts_the_editors_are_a_page_that_leads_back_to_the_row(
    as_kabid_bina_marga, issue
):
    response = as_kabid_bina_marga.get(editor_url(issue))
    assert response.status_code == 200
    assert "issues/board/issue.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert f'href="{board_url(issue.desk)}#isu-{issue.pk}"' in html
    # A plain post there: the score form has no htmx of its own on this page.
    assert "hx-post" not in html


def test_a_decision_posted_from_the_editors_returns_to_the_row(
    as_kabid_bina_marga, issue, kabid_bina_marga
):
    url = reverse("issues:board_decide", args=[issue.desk_id, issue.pk])
    response = as_kabid_bina_marga.post(
        url, {"decision": Issue.Decision.PRIORITY, "version": version(issue.desk)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(issue.desk)}#isu-{issue.pk}"


def test_the_editors_show_the_parts_of_the_saved_score(
    as_kabid_bina_marga, issue, criteria, kabid_bina_marga
):
    score_all(issue, kabid_bina_marga, criteria, 5)
    response = as_kabid_bina_marga.get(editor_url(issue), headers=HTMX)
    assert [str(p.points) for p in response.context["parts"]] == ["30", "25", "20", "15", "10"]
    assert str(response.context["score"]) == "100.00"


def test_a_waiting_issue_offers_verify_and_return_but_no_score(
    as_kabid_bina_marga, desk_bina_marga, secretariat
):
    waiting = services.issue_submit(actor=secretariat, issue=IssueFactory(desk=desk_bina_marga))
    response = as_kabid_bina_marga.get(editor_url(waiting), headers=HTMX)
    assert "score_form" not in response.context
    html = response.content.decode()
    assert reverse("issues:board_verify", args=[desk_bina_marga.pk, waiting.pk]) in html
    assert reverse("issues:board_return", args=[desk_bina_marga.pk, waiting.pk]) in html


def test_the_observer_reads_the_score_details_without_any_form(as_observer, issue):
    response = as_observer.get(editor_url(issue), headers=HTMX)
    assert response.status_code == 200
    assert response.context["parts"]
    assert not {"score_form", "decision_form", "rank_form"} & set(response.context.keys())
    assert b"<form" not in response.content


def test_a_locked_desk_shows_the_details_without_forms(
    as_kabid_bina_marga, issue, kabid_bina_marga
):
    services.desk_lock(
        actor=kabid_bina_marga,
        desk=issue.desk,
        version=version(issue.desk),
        set_aside_reason="Dibahas tahun depan.",
    )
    response = as_kabid_bina_marga.get(editor_url(issue), headers=HTMX)
    assert response.status_code == 200
    assert "score_form" not in response.context
    assert b"<form" not in response.content


@pytest.mark.parametrize("client_name", ["as_kabid_bina_marga", "as_observer"])
def test_the_editors_page_only_reads(request, issue, client_name):
    client = request.getfixturevalue(client_name)
    assert client.post(editor_url(issue)).status_code == 405


def test_an_issue_of_another_desk_or_a_draft_has_no_editors_here(
    as_kabid_bina_marga, desk_bina_marga, desk_sda, secretariat
):
    other = verified(desk_sda, secretariat)
    assert as_kabid_bina_marga.get(editor_url(other, desk_bina_marga)).status_code == 404
    draft = IssueFactory(desk=desk_bina_marga)
    assert as_kabid_bina_marga.get(editor_url(draft)).status_code == 404


# The board itself at a province's scale


def test_the_board_of_200_issues_stays_within_its_size_budget(
    meeting, desk_bina_marga, criteria, as_kabid_bina_marga
):
    demo.seed_bulk(meeting, 200, desks=[desk_bina_marga])
    response = as_kabid_bina_marga.get(board_url(desk_bina_marga))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 200
    assert response.context["editable"]
    assert len(response.content) < BOARD_BYTES_FOR_200_ISSUES, len(response.content)
    # The editors are not in the rows: no score selects, no decision radios, and one
    # token for the arrows of every row (in the move form above the cached rows) rather
    # than a form per arrow.
    page = response.content.decode()
    rows = page.split('id="board-ranking"')[1].split("<footer")[0]
    assert "<select" not in rows
    assert 'name="decision"' not in rows
    assert "csrfmiddlewaretoken" not in rows
    assert page.count('<form id="board-move"') == 1
    assert rows.count('form="board-move"') > 150


def test_each_board_row_shows_the_estimated_cost(as_kabid_bina_marga, desk_bina_marga, issue):
    Issue.objects.filter(pk=issue.pk).update(estimated_cost=1_250_000_000)
    response = as_kabid_bina_marga.get(board_url(desk_bina_marga))
    assert "Rp1.250.000.000" in response.text


def test_a_row_shows_the_region_s_own_priority(as_kabid_bina_marga, issue):
    Issue.objects.filter(pk=issue.pk).update(priority_order=2)
    html = as_kabid_bina_marga.get(board_url(issue.desk)).content.decode()
    row = html[html.index(f'id="isu-{issue.pk}"') :]
    row = row[: row.index("</li>")]
    assert "(prioritas daerah 2)" in row
