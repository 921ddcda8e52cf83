"""The board's rows are rendered once per version of the board and served from the
cache after that: any change shows on the next page, and the cached markup never
crosses from one role, permission or language to another."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues import services
from issues.models import Issue
from tests.issues.board.helpers import default_criteria, score_all, verified, version

pytestmark = pytest.mark.django_db

MOVE_ARROW = 'form="board-move"'


@pytest.fixture
def criteria(meeting):
    return default_criteria(meeting)


@pytest.fixture
def ranked_board(desk_bina_marga, secretariat, kabid_bina_marga, criteria):
    issues = [
        verified(desk_bina_marga, secretariat, region_slug=slug)
        for slug in ("pangkalpinang", "bangka", "belitung")
    ]
    for value, issue in zip((5, 4, 3), issues, strict=True):
        score_all(issue, kabid_bina_marga, criteria, value)
    services.desk_apply_proposed_order(
        actor=kabid_bina_marga, desk=desk_bina_marga, version=version(desk_bina_marga)
    )
    return issues


def board(client, desk, **extra):
    response = client.get(reverse("issues:board", kwargs={"desk_id": desk.pk}), **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_visit_reads_the_rows_from_the_cache(
    as_kabid_bina_marga, desk_bina_marga, ranked_board
):
    first = board(as_kabid_bina_marga, desk_bina_marga)
    with CaptureQueriesContext(connection) as queries:
        second = board(as_kabid_bina_marga, desk_bina_marga)
    # Session, user, desk with its board state, criteria, the issues' fingerprint and the
    # regions' assent rounds (shown outside the cached rows): no rows read.
    assert len(queries) <= 6
    assert not any('"issues_score"' in q["sql"] for q in queries.captured_queries)
    for issue in ranked_board:
        assert issue.title in second

    def rows(page):
        return page.split('id="board-ranking"')[1].split("<footer")[0]

    assert rows(first) == rows(second)


def test_a_decision_on_the_board_shows_on_the_next_page(
    as_kabid_bina_marga, kabid_bina_marga, desk_bina_marga, ranked_board
):
    assert "Prioritas</strong>" not in board(as_kabid_bina_marga, desk_bina_marga)
    before = version(desk_bina_marga)
    services.issue_decide(
        actor=kabid_bina_marga,
        issue=ranked_board[0],
        decision=Issue.Decision.PRIORITY,
        reason="",
        redirected_to="",
        version=before,
    )
    assert version(desk_bina_marga) == before + 1
    page = board(as_kabid_bina_marga, desk_bina_marga)
    assert "Prioritas</strong>" in page
    assert f'data-version="{before + 1}"' in page


def test_an_edit_outside_the_board_shows_on_the_next_page(
    as_kabid_bina_marga, desk_bina_marga, ranked_board
):
    """A change that is no board write (here a corrected title) leaves the version as it
    is; the fingerprint of the desk's issues still changes the key."""
    before = version(desk_bina_marga)
    assert "Jembatan gantung Desa Air Anyir" not in board(as_kabid_bina_marga, desk_bina_marga)
    issue = ranked_board[1]
    issue.title = "Jembatan gantung Desa Air Anyir"
    issue.save(update_fields=["title", "updated_at"])
    assert version(desk_bina_marga) == before
    assert "Jembatan gantung Desa Air Anyir" in board(as_kabid_bina_marga, desk_bina_marga)


def test_the_chair_and_the_observer_never_share_markup(
    as_kabid_bina_marga, as_observer, desk_bina_marga, ranked_board
):
    # Either one first: the other must not be served what the first one cached.
    assert MOVE_ARROW in board(as_kabid_bina_marga, desk_bina_marga)
    assert MOVE_ARROW not in board(as_observer, desk_bina_marga)
    assert "data-board-sortable" not in board(as_observer, desk_bina_marga)
    assert MOVE_ARROW in board(as_kabid_bina_marga, desk_bina_marga)
    assert "data-board-sortable" in board(as_kabid_bina_marga, desk_bina_marga)


def test_the_observer_first_then_the_chair(
    as_kabid_bina_marga, as_observer, desk_bina_marga, ranked_board
):
    assert MOVE_ARROW not in board(as_observer, desk_bina_marga)
    assert MOVE_ARROW in board(as_kabid_bina_marga, desk_bina_marga)


def test_each_user_gets_their_own_token_around_the_cached_rows(
    as_kabid_bina_marga, as_secretariat, desk_bina_marga, ranked_board
):
    """The forms that carry a token are outside the cached part: each visitor's page posts
    with their own token."""
    for client in (as_kabid_bina_marga, as_secretariat):
        page = board(client, desk_bina_marga)
        response = client.post(
            reverse(
                "issues:board_rank",
                kwargs={"desk_id": desk_bina_marga.pk, "pk": ranked_board[2].pk},
            ),
            {
                "csrfmiddlewaretoken": page.split('name="csrfmiddlewaretoken" value="')[1].split(
                    '"'
                )[0],
                "position": 3,
                "version": version(desk_bina_marga),
            },
        )
        assert response.status_code in (200, 302)


def test_a_language_switch_is_not_served_the_other_language(
    as_kabid_bina_marga, desk_bina_marga, ranked_board
):
    assert "Peringkat</h2>" in board(as_kabid_bina_marga, desk_bina_marga)
    as_kabid_bina_marga.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = board(as_kabid_bina_marga, desk_bina_marga)
    assert "Ranking</h2>" in english
    assert "Peringkat" not in english
    as_kabid_bina_marga.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Peringkat</h2>" in board(as_kabid_bina_marga, desk_bina_marga)


def test_filters_are_cached_apart(as_kabid_bina_marga, desk_bina_marga, ranked_board):
    everyone = board(as_kabid_bina_marga, desk_bina_marga)
    region = ranked_board[0].region
    one = board(as_kabid_bina_marga, desk_bina_marga, data={"region": region.pk})
    assert all(issue.title in everyone for issue in ranked_board)
    assert ranked_board[0].title in one
    assert ranked_board[1].title not in one
    assert all(issue.title in board(as_kabid_bina_marga, desk_bina_marga) for issue in ranked_board)
