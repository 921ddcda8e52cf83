"""The secretariat's and a desk's issue lists come in pages of at most 100 rows, with
the filters kept in the page links and the same queries for any size of meeting."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issues.models import Issue
from issues.submission.views import ISSUES_PER_PAGE
from rakortek.demo import seed as demo
from tests.issues.test_scale import criteria  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ROW_LINK = re.compile(r'<a href="/isu/(\d+)/">')


def _shown(response):
    """The issues listed on a page, in order."""
    return [int(pk) for pk in ROW_LINK.findall(response.content.decode())]


@pytest.fixture
def many_issues(meeting, desk_bina_marga, criteria):  # noqa: F811
    demo.seed_bulk(meeting, ISSUES_PER_PAGE * 2 - 20)
    return Issue.objects.filter(meeting=meeting, submitted_at__isnull=False)


def test_the_secretariat_list_shows_the_rest_on_page_two(as_secretariat, meeting, many_issues):
    url = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    first = as_secretariat.get(url)
    second = as_secretariat.get(url, {"page": 2})
    assert len(_shown(first)) == ISSUES_PER_PAGE
    assert len(_shown(second)) == many_issues.count() - ISSUES_PER_PAGE
    assert set(_shown(first)) | set(_shown(second)) == set(many_issues.values_list("pk", flat=True))
    assert not set(_shown(first)) & set(_shown(second))
    page = first.content.decode()
    assert "Halaman 1 dari 2" in page
    assert 'href="?page=2"' in page
    assert 'href="?page=1"' in second.content.decode()


def test_a_page_out_of_range_or_not_a_number_still_answers(as_secretariat, meeting, many_issues):
    url = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    last = as_secretariat.get(url, {"page": 2})
    assert as_secretariat.get(url, {"page": 99}).status_code == 200
    assert _shown(as_secretariat.get(url, {"page": 99})) == _shown(last)
    assert _shown(as_secretariat.get(url, {"page": "x"})) == _shown(as_secretariat.get(url))
    assert _shown(as_secretariat.get(url, {"page": -1})) == _shown(last)


def test_the_filters_stay_in_the_page_links(as_secretariat, meeting, many_issues):
    status = Issue.Status.VERIFIED
    verified = many_issues.filter(status=status)
    assert verified.count() > ISSUES_PER_PAGE
    url = reverse("issues:meeting_issues", kwargs={"slug": meeting.slug})
    first = as_secretariat.get(url, {"status": status})
    assert f'href="?status={status}&amp;page=2"' in first.content.decode()
    second = as_secretariat.get(url, {"status": status, "page": 2})
    shown = _shown(first) + _shown(second)
    assert sorted(shown) == sorted(verified.values_list("pk", flat=True))
    assert f'href="?status={status}&amp;page=1"' in second.content.decode()


def test_the_desk_list_is_paginated_too(as_kabid_bina_marga, meeting, desk_bina_marga, many_issues):
    url = reverse(
        "issues:desk_issues",
        kwargs={"slug": meeting.slug, "field_slug": desk_bina_marga.field.slug},
    )
    first = as_kabid_bina_marga.get(url)
    second = as_kabid_bina_marga.get(url, {"page": 2})
    assert len(_shown(first)) == ISSUES_PER_PAGE
    assert set(_shown(first)) | set(_shown(second)) == set(
        many_issues.filter(desk=desk_bina_marga).values_list("pk", flat=True)
    )


def test_a_short_list_has_no_page_links(as_secretariat, meeting, desk_bina_marga, criteria):  # noqa: F811
    demo.seed_bulk(meeting, 5)
    response = as_secretariat.get(reverse("issues:meeting_issues", kwargs={"slug": meeting.slug}))
    assert len(_shown(response)) == 5
    assert "?page=" not in response.content.decode()


def test_the_lists_answer_in_the_same_queries_for_20_and_300_issues(
    as_secretariat,
    meeting,
    desk_bina_marga,
    criteria,  # noqa: F811
):
    urls = [
        reverse("issues:meeting_issues", kwargs={"slug": meeting.slug}),
        reverse(
            "issues:desk_issues",
            kwargs={"slug": meeting.slug, "field_slug": desk_bina_marga.field.slug},
        ),
    ]
    counts = []
    for size in (20, 300):
        demo.seed_bulk(meeting, size)
        for url in urls:
            as_secretariat.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert as_secretariat.get(url, {"page": 2 if size > 100 else 1}).status_code == 200
            counts.append((url, len(queries)))
    assert counts[:2] == [(url, n) for (url, n) in counts[2:]]
