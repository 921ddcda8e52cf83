"""The map-and-charts page and the short piece other pages load: who reads them,
what the filters do, and the pages that load them."""

from decimal import Decimal

import pytest
from django.urls import reverse

from issues.models import Issue
from meetings.models import Meeting
from tests.documents.conftest import decided_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def mapped(monday_meeting, decided_desk, desk_sda):
    decided_issue(
        desk_sda,
        "pangkalpinang",
        title="Pengendalian banjir DAS Rangkui",
        rank=1,
        decision=Issue.Decision.PRIORITY,
        latitude=Decimal("-2.1300"),
        longitude=Decimal("106.1100"),
    )
    return monday_meeting


def url(meeting, **query):
    base = reverse("figures:meeting", args=[meeting.slug])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def markers(response) -> int:
    return response.content.decode().count('class="marker')


def test_secretariat_sees_map_charts_and_their_tables(as_secretariat, mapped):
    response = as_secretariat.get(url(mapped))
    assert response.status_code == 200
    page = response.content.decode()
    assert markers(response) == 5
    assert page.count('class="marker marker-approximate"') == 4  # the Bina Marga issues
    assert "Isu dan isu prioritas per bidang" in page
    assert '<div class="visually-hidden">' in page and "<caption>" in page
    assert "<script" not in page.split("<main", 1)[-1]
    assert ' style="' not in page  # the Content-Security-Policy forbids style attributes
    # Every marker links to its issue for the secretariat.
    assert page.count('<a href="/isu/') == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"desk": "sumber-daya-air"}, 1),
        ({"region": "bangka"}, 1),
        ({"decision": "prioritas"}, 2),
        ({"decision": "none"}, 1),
        ({"region": "belitung-timur"}, 0),
    ],
)
def test_filters_change_the_markers(as_secretariat, mapped, query, expected):
    assert markers(as_secretariat.get(url(mapped, **query))) == expected


def test_observer_reads_the_page_of_an_active_meeting(as_observer, mapped):
    response = as_observer.get(url(mapped))
    assert response.status_code == 200 and markers(response) == 5


def test_observer_gets_404_for_a_draft_meeting(as_observer, mapped):
    Meeting.objects.filter(pk=mapped.pk).update(status=Meeting.Status.DRAFT)
    assert as_observer.get(url(mapped)).status_code == 404
    assert as_observer.get(reverse("figures:summary", args=[mapped.slug])).status_code == 404


@pytest.mark.parametrize("who", ["as_kabid_bina_marga", "as_delegate_bangka"])
def test_desk_heads_and_delegates_get_403(request, mapped, who):
    client = request.getfixturevalue(who)
    assert client.get(url(mapped)).status_code == 403
    assert client.get(reverse("figures:summary", args=[mapped.slug])).status_code == 403


def test_anonymous_is_sent_to_login(client, mapped):
    response = client.get(url(mapped))
    assert response.status_code == 302 and "/akun/" in response.url


def test_unknown_meeting_is_404(as_secretariat, db):
    assert as_secretariat.get(url(type("M", (), {"slug": "tidak-ada"}))).status_code == 404


def test_summary_holds_the_map_and_two_charts(as_secretariat, mapped):
    response = as_secretariat.get(reverse("figures:summary", args=[mapped.slug]))
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page
    assert markers(response) == 5
    assert page.count("<figure") == 3


def test_meeting_page_and_observer_home_load_the_summary(as_secretariat, as_observer, mapped):
    summary = reverse("figures:summary", args=[mapped.slug])
    page = as_secretariat.get(reverse("meetings:detail", args=[mapped.slug])).content.decode()
    assert f'hx-get="{summary}"' in page
    home = as_observer.get(reverse("home")).content.decode()
    assert f'hx-get="{summary}"' in home


def test_followup_overview_loads_the_followup_chart(as_secretariat, agreed_meeting, signed_package):
    page = as_secretariat.get(reverse("issues:followup")).content.decode()
    summary = reverse("figures:summary", args=[agreed_meeting.slug])
    assert f'hx-get="{summary}?tampil=tindak-lanjut"' in page
    piece = as_secretariat.get(summary + "?tampil=tindak-lanjut").content.decode()
    assert "Butir kesepakatan per status tindak lanjut" in piece


@pytest.mark.parametrize("query", [{}, {"region": "bangka"}])
def test_the_page_reads_the_issues_and_the_regions_once(as_secretariat, mapped, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert as_secretariat.get(url(mapped, **query)).status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    document_issues = [
        s for s in sql if 'FROM "issues_issue"' in s and '"merged_into_id" IS NULL' in s
    ]
    regions = [s for s in sql if s.startswith('SELECT "meetings_region"') and "NOT" in s]
    assert len(document_issues) == 1, document_issues
    assert len(regions) == 1, regions


def test_the_pages_answer_head_and_refuse_post(as_secretariat, mapped):
    for name in ("figures:meeting", "figures:summary"):
        target = reverse(name, args=[mapped.slug])
        assert as_secretariat.head(target).status_code == 200
        assert as_secretariat.post(target).status_code == 405
