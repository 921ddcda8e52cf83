"""The charts and the map: their figures are the documents' own numbers, and the map's
markers follow the filters and include issues without coordinates."""

import re
from decimal import Decimal

import pytest

from issues.models import Issue
from rakortek.documents import content
from rakortek.documents.monitoring import STATUS_LABELS, STATUS_ORDER, monitoring
from rakortek.figures import data
from tests.documents.conftest import decided_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_meeting(monday_meeting, decided_desk, desk_sda):
    decided_issue(
        desk_sda,
        "pangkalpinang",
        title="Pengendalian banjir DAS Rangkui",
        rank=1,
        decision=Issue.Decision.PRIORITY,
        cost=Decimal("42500000000"),
        funding_source=Issue.FundingSource.APBN,
        latitude=Decimal("-2.1300"),
        longitude=Decimal("106.1100"),
    )
    decided_issue(
        desk_sda,
        "bangka",
        title="Abrasi pantai Matras",
        rank=2,
        decision=Issue.Decision.RESERVE,
        reason="Menunggu kajian BWS.",
        latitude=None,
        longitude=None,
    )
    return monday_meeting


def values(chart, series_label):
    series = next(s for s in chart.series if s.label == series_label)
    return dict(zip(chart.categories, series.values, strict=True))


def test_issue_counts_equal_the_minutes_tables(figures_meeting):
    charts = data.issue_charts(figures_meeting)
    results = content.desk_results(figures_meeting)
    by_desk = values(charts["issues_by_desk"], data.ISSUES)
    priorities = values(charts["issues_by_desk"], data.PRIORITIES)
    for result in results:
        assert by_desk[result.desk.field.name] == result.total
        assert priorities[result.desk.field.name] == len(result.priorities)
    # Per region: the sum of each desk's "issues per region" table (a joint issue counts
    # for every region that proposed it), zero for a region without issues.
    expected = {}
    for result in results:
        for name, count in result.per_region:
            expected[name] = expected.get(name, 0) + count
    by_region = values(charts["issues_by_region"], data.ISSUES)
    assert {name: n for name, n in by_region.items() if n} == expected
    assert by_region["Kabupaten Belitung Timur"] == 0
    assert expected["Kabupaten Bangka Tengah"] == 1  # the joint issue's second region
    # Decisions per desk: the minutes' decision counts, desk by desk.
    decisions = charts["decisions_by_desk"]
    for i, result in enumerate(results):
        shown = [(s.label, s.values[i]) for s in decisions.series if s.values[i]]
        assert shown == result.decisions


def test_costs_equal_the_recap_totals(figures_meeting):
    charts = data.issue_charts(figures_meeting)
    groups = content.recap_groups(figures_meeting)
    total = content.recap_total(groups)
    assert total == Decimal("38000000000") + Decimal("1250000") + 3 * Decimal("1250000000") + (
        Decimal("42500000000")
    )
    assert sum(charts["cost_by_funding"].series[0].values) == total
    assert sum(charts["cost_by_region"].series[0].values) == total
    by_region = {}
    for group in groups:
        for line in group.lines:
            name = line.issue.region.name
            by_region[name] = by_region.get(name, Decimal(0)) + content.line_cost(line)
    shown = values(charts["cost_by_region"], data.COST)
    assert {name: v for name, v in shown.items() if v} == by_region
    assert values(charts["cost_by_funding"], data.COST)["APBN"] == Decimal("42500000000")


def test_the_svg_and_the_table_carry_the_same_numbers(figures_meeting):
    chart = data.issue_charts(figures_meeting)["issues_by_desk"]
    svg = str(chart.svg)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert chart.rows == [("Bina Marga", ["4", "1"]), ("Sumber Daya Air", ["2", "1"])]
    # Each bar's hover title and label states the value the table gives.
    assert "Bina Marga: Isu 4" in svg and "Sumber Daya Air: Prioritas 1" in svg
    money = data.issue_charts(figures_meeting)["cost_by_funding"]
    assert "Rp42,5 M" in str(money.svg)
    assert ("APBN", ["Rp42.500.000.000"]) in money.rows


def test_followup_chart_ends_with_the_monitoring_counts(agreed_meeting, signed_package):
    chart = data.followup_chart(agreed_meeting)
    report = monitoring(agreed_meeting)
    last = [s.values[-1] for s in chart.series]
    assert [s.label for s in chart.series] == [STATUS_LABELS[s] for s in STATUS_ORDER]
    assert last == report.total.counts
    assert sum(last) == report.total.total == 3


def test_no_followup_chart_before_the_package_is_signed(figures_meeting):
    assert data.followup_chart(figures_meeting) is None


def marker_labels(meeting, **filters):
    return [m.label for m in data.markers(data.map_issues(meeting, **filters))]


def test_filters_change_the_markers(figures_meeting):
    everything = marker_labels(figures_meeting)
    assert len(everything) == 6
    sda = marker_labels(figures_meeting, desk="sumber-daya-air")
    assert len(sda) == 2 and all("SDA" in label for label in sda)
    bangka = marker_labels(figures_meeting, region="bangka")
    assert len(bangka) == 2
    priority = marker_labels(figures_meeting, decision=Issue.Decision.PRIORITY)
    assert len(priority) == 2
    assert "Pengendalian banjir DAS Rangkui" in priority[1]
    assert "Rekonstruksi ruas Sungailiat - Belinyu" in priority[0]
    assert len(marker_labels(figures_meeting, decision="none")) == 1


def test_an_issue_without_coordinates_sits_near_its_capital(figures_meeting):
    found = data.markers(data.map_issues(figures_meeting, region="bangka"))
    matras = next(m for m in found if "Abrasi pantai Matras" in m.label)
    assert matras.approximate
    assert abs(matras.lon - 106.118) < 0.1 and abs(matras.lat + 1.855) < 0.1
    placed = next(m for m in data.markers(data.map_issues(figures_meeting)) if "Rangkui" in m.label)
    assert not placed.approximate and (placed.lon, placed.lat) == (106.11, -2.13)
    svg = str(data.map_svg(found))
    assert svg.count('class="marker marker-approximate"') == 2


def test_markers_link_only_for_readers_of_the_issue(figures_meeting, secretariat, delegate_bangka):
    issues = data.map_issues(figures_meeting)
    for_secretariat = data.markers(issues, user=secretariat)
    assert all(m.url for m in for_secretariat)
    for_delegate = data.markers(issues, user=delegate_bangka)
    linked = [m.label for m in for_delegate if m.url]
    assert len(linked) == 2  # Bangka's own issue on each desk
    svg = str(data.map_svg(for_delegate))
    assert len(re.findall(r"<a href=", svg)) == 2
