"""A joint issue's volume and cost are the sums of what its regions proposed, per unit,
with each region's share; computed for a whole list in one query."""

from decimal import Decimal

import pytest
from django.urls import reverse

from issues.board.duplicates import issue_merge, issue_unmerge
from issues.figures import attach_figures
from issues.models import Issue
from tests.issues.board.test_duplicates import submitted_issue

pytestmark = pytest.mark.django_db
S = Issue.Status


def flood(desk, slug, *, volume, unit="km", cost):
    return submitted_issue(
        desk,
        slug,
        status=S.VERIFIED,
        title=f"Normalisasi Sungai Rangkui ({slug})",
        volume=volume,
        unit=unit,
        estimated_cost=cost,
    )


@pytest.fixture
def joint(desk_sda, secretariat):
    first = flood(desk_sda, "pangkalpinang", volume=Decimal("2.5"), cost=Decimal("15000000000"))
    second = flood(desk_sda, "bangka-tengah", volume=Decimal("1.125"), cost=Decimal("6500000000"))
    third = flood(desk_sda, "bangka", volume=Decimal("3"), unit="unit", cost=None)
    return issue_merge(primary=first, others=[second, third], user=secretariat, reason="Satu DAS.")


def test_a_joint_issue_sums_its_originals_and_keeps_each_regions_share(joint):
    figures = Issue.objects.get(pk=joint.pk).figures
    assert figures.is_joint
    assert figures.cost == Decimal("21500000000")
    # km are added (1,125 km kept to the metre), units are not added to km: side by side,
    # in the order of the regions.
    assert figures.volumes == [(Decimal("3"), "unit"), (Decimal("3.625"), "km")]
    assert figures.volume_text == "3 unit; 3,625 km"
    assert figures.volume is None and figures.unit == ""
    assert [(s.region.slug, s.cost) for s in figures.shares] == [
        ("bangka", None),
        ("bangka-tengah", Decimal("6500000000")),
        ("pangkalpinang", Decimal("15000000000")),
    ]
    # The joint issue's own fields still hold the primary's copy; the figures do not use them.
    assert joint.estimated_cost == Decimal("15000000000")


def test_a_single_issue_is_its_own_figures(desk_sda):
    issue = flood(desk_sda, "bangka", volume=Decimal("4"), cost=Decimal("1000000000"))
    figures = Issue.objects.get(pk=issue.pk).figures
    assert not figures.is_joint and figures.breakdown == []
    assert figures.cost == Decimal("1000000000")
    assert figures.volume == Decimal("4") and figures.unit == "km"
    assert figures.volume_text == "4 km"


def test_a_joint_issue_merged_again_sums_every_original(joint, desk_sda, secretariat):
    fourth = flood(desk_sda, "belitung", volume=Decimal("1"), cost=Decimal("500000000"))
    bigger = issue_merge(primary=joint, others=[fourth], user=secretariat, reason="Satu DAS.")
    figures = Issue.objects.get(pk=bigger.pk).figures
    assert figures.cost == Decimal("22000000000")
    assert len(figures.shares) == 4


def test_undoing_the_merge_gives_each_original_its_own_figures_back(joint, secretariat):
    originals = issue_unmerge(joint=joint, user=secretariat, reason="Bukan satu DAS.")
    for issue in attach_figures(Issue.objects.filter(pk__in=[i.pk for i in originals])):
        assert not issue.figures.is_joint
        assert issue.figures.cost == issue.estimated_cost


def test_figures_for_a_list_take_one_query_whatever_its_length(
    joint, desk_sda, django_assert_num_queries
):
    for n in range(5):
        flood(desk_sda, "belitung-timur", volume=Decimal(n + 1), cost=Decimal("1000000"))
    issues = list(
        Issue.objects.filter(desk=desk_sda, merged_into__isnull=True)
        .exclude(status=S.WITHDRAWN)
        .select_related("region")
    )
    with django_assert_num_queries(1):
        attach_figures(issues)
        total = sum(issue.figures.cost or 0 for issue in issues)
    assert total == Decimal("21500000000") + 5 * Decimal("1000000")


def test_the_issue_page_and_the_desk_list_show_the_sum_and_each_region(joint, as_secretariat):
    page = as_secretariat.get(joint.get_absolute_url()).content.decode()
    assert "Rp21.500.000.000" in page
    assert "Kabupaten Bangka Tengah: Rp6.500.000.000" in page
    assert "3 unit; 3,625 km" in page
    assert "Kabupaten Bangka Tengah: 1,125 km" in page
    listing = as_secretariat.get(
        reverse(
            "issues:desk_issues",
            kwargs={"slug": joint.meeting.slug, "field_slug": joint.desk.field.slug},
        )
    ).content.decode()
    assert "Rp21.500.000.000" in listing
    assert "Kota Pangkalpinang: Rp15.000.000.000" in listing
