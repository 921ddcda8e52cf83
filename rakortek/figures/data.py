"""The numbers behind a meeting's charts and map, read with the documents' own selectors.

Counts per region count a joint issue for every region that proposed it (as the
minutes do); money is counted once, under the issue's own (lead) region, as the
recap lists it, through content.line_cost.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from issues.followup.services import followed_points
from issues.models import FollowUpUpdate, Issue, PackagePoint
from issues.selectors import issues_visible_to
from meetings.models import Meeting, Region
from rakortek.documents import content
from rakortek.documents.monitoring import STATUS_LABELS, STATUS_ORDER, signed_package
from rakortek.figures.reference import CAPITALS
from rakortek.figures.svg import Chart, Marker, Series, bar_chart, province_map

D = Issue.Decision
DECISION_COLOURS = {
    D.PRIORITY: "#2e7d32",
    D.RESERVE: "#f9a825",
    D.NOT_PRIORITISED: "#9e9e9e",
    D.REDIRECTED: "#1565c0",
    "": "#ffffff",
}
UNDECIDED = "Belum diputuskan"
STATUS_COLOURS = {
    PackagePoint.Status.NOT_STARTED: "#ffffff",
    PackagePoint.Status.IN_PROGRESS: "#64b5f6",
    PackagePoint.Status.BLOCKED: "#e57373",
    PackagePoint.Status.DONE: "#2e7d32",
}
ISSUES = "Isu"
PRIORITIES = "Prioritas"
COST = "Usulan biaya"
NO_FUNDING = "Tidak diisi"
MONTHS = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()
MAX_MONTHS = 12


def province_regions():
    return list(Region.objects.exclude(kind=Region.Kind.PROVINCE).order_by("kemendagri_code"))


def issue_charts(meeting: Meeting, *, results=None, regions=None) -> dict[str, Chart]:
    """Issues and priorities per region and desk, cost by funding source and region,
    decisions per desk: from content.desk_results, as the minutes count them (`results`
    and `regions` when the caller has read them already)."""
    results = content.desk_results(meeting) if results is None else results
    regions = province_regions() if regions is None else regions
    per_region, priority_region = Counter(), Counter()
    cost_region, cost_funding = defaultdict(Decimal), defaultdict(Decimal)
    for result in results:
        for line in result.lines:
            is_priority = line.issue.decision == D.PRIORITY
            for region in line.regions:
                per_region[region.pk] += 1
                priority_region[region.pk] += is_priority
            cost_region[line.issue.region_id] += content.line_cost(line)
            cost_funding[line.issue.funding_source] += content.line_cost(line)
    desks = [result.desk.field.name for result in results]
    funding = [
        (content.FUNDING_LABELS.get(key, NO_FUNDING) if key else NO_FUNDING, key)
        for key in [*content.FUNDING_LABELS, ""]
        if cost_funding.get(key)
    ]
    decided = [
        (label, [Counter(line.issue.decision for line in r.lines)[d] for r in results])
        for d, label in [*content.DECISION_LABELS.items(), ("", UNDECIDED)]
    ]
    charts = [
        Chart(
            key="issues_by_region",
            title="Isu dan isu prioritas per kabupaten/kota",
            categories=[region.name for region in regions],
            series=[
                Series(ISSUES, "#90a4ae", [per_region[r.pk] for r in regions]),
                Series(
                    PRIORITIES,
                    DECISION_COLOURS[D.PRIORITY],
                    [priority_region[r.pk] for r in regions],
                ),
            ],
            overlay=True,
        ),
        Chart(
            key="issues_by_desk",
            title="Isu dan isu prioritas per bidang",
            categories=desks,
            series=[
                Series(ISSUES, "#90a4ae", [r.total for r in results]),
                Series(
                    PRIORITIES, DECISION_COLOURS[D.PRIORITY], [len(r.priorities) for r in results]
                ),
            ],
            overlay=True,
        ),
        Chart(
            key="cost_by_funding",
            title="Usulan biaya per sumber pendanaan",
            categories=[label for label, _key in funding],
            series=[Series(COST, "#8d6e63", [cost_funding[key] for _label, key in funding])],
            money=True,
        ),
        Chart(
            key="cost_by_region",
            title="Usulan biaya per kabupaten/kota pengusul",
            categories=[region.name for region in regions],
            series=[Series(COST, "#8d6e63", [cost_region[r.pk] for r in regions])],
            money=True,
        ),
        Chart(
            key="decisions_by_desk",
            title="Keputusan per bidang",
            categories=desks,
            series=[
                Series(label, colour, values)
                for (label, values), colour in zip(decided, DECISION_COLOURS.values(), strict=True)
            ],
            stacked=True,
        ),
    ]
    return {chart.key: bar_chart(chart) for chart in charts}


def followup_chart(
    meeting: Meeting, *, today: date | None = None, last: int = MAX_MONTHS
) -> Chart | None:
    """Points of the signed package by status at the end of each month since signing
    (the `last` months), each point as its latest report by then said; None before signing."""
    package = signed_package(meeting)
    if package is None or package.signed_on is None:
        return None
    today = today or timezone.localdate()
    points = list(followed_points().filter(package=package).values_list("pk", flat=True))
    updates = defaultdict(list)
    for point_id, reported_on, status in (
        FollowUpUpdate.objects.filter(point_id__in=points)
        .order_by("point_id", "reported_on", "created_at", "id")
        .values_list("point_id", "reported_on", "status")
    ):
        updates[point_id].append((reported_on, status))
    months = _months(package.signed_on, today)[-last:]
    counts = []
    for year, month in months:
        end = _month_end(year, month, today)
        tally = Counter()
        for point_id in points:
            status = PackagePoint.Status.NOT_STARTED
            for reported_on, reported in updates[point_id]:
                if reported_on <= end:
                    status = reported
            tally[status] += 1
        counts.append(tally)
    chart = Chart(
        key="followup_by_month",
        title="Butir kesepakatan per status tindak lanjut, akhir tiap bulan",
        categories=[f"{MONTHS[month - 1]} {year}" for year, month in months],
        series=[
            Series(STATUS_LABELS[status], STATUS_COLOURS[status], [c[status] for c in counts])
            for status in STATUS_ORDER
        ],
        stacked=True,
    )
    return bar_chart(chart)


def _months(start: date, end: date):
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _month_end(year: int, month: int, today: date) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return min(date.fromordinal(following.toordinal() - 1), today)


# ---- The map ----


def result_issues(results, *, desk: str = "", region: str = "", decision: str = "") -> list:
    """The issues of `results` (content.desk_results) as map_issues gives them, without
    reading them again: narrowed the same way, in the same order."""
    issues = [line.issue for result in results for line in result.lines]
    if desk:
        issues = [issue for issue in issues if issue.desk.field.slug == desk]
    if region:
        issues = [issue for issue in issues if issue.region.slug == region]
    if decision:
        wanted = "" if decision == "none" else decision
        issues = [issue for issue in issues if issue.decision == wanted]
    return sorted(issues, key=lambda i: (i.region.kemendagri_code, i.number or 0, i.pk))


def map_issues(meeting: Meeting, *, desk: str = "", region: str = "", decision: str = ""):
    """The documents' issues, narrowed by a field's slug, a region's slug and a decision
    ("none" for undecided)."""
    issues = content.document_issues(meeting).order_by("region__kemendagri_code", "number", "pk")
    if desk:
        issues = issues.filter(desk__field__slug=desk)
    if region:
        issues = issues.filter(region__slug=region)
    if decision == "none":
        issues = issues.filter(decision="")
    elif decision:
        issues = issues.filter(decision=decision)
    return issues


def markers(issues, *, user=None) -> list[Marker]:
    """A marker per issue; those without coordinates around their region's capital, in a
    small sunflower so they do not hide each other. Links only where `user` may read."""
    issues = list(issues)
    readable = set()
    if user is not None and issues:
        readable = set(
            issues_visible_to(user)
            .filter(pk__in=[i.pk for i in issues])
            .values_list("pk", flat=True)
        )
    around = Counter()
    result = []
    for issue in issues:
        label = f"{issue.code or ''} {issue.title}".strip()
        url = issue.get_absolute_url() if issue.pk in readable else ""
        colour = DECISION_COLOURS.get(issue.decision, DECISION_COLOURS[""])
        if issue.latitude is not None and issue.longitude is not None:
            result.append(Marker(float(issue.longitude), float(issue.latitude), colour, label, url))
            continue
        capital = CAPITALS.get(issue.region.kemendagri_code)
        if capital is None:
            continue
        n = around[issue.region_id]
        around[issue.region_id] += 1
        radius, angle = 0.035 * math.sqrt(n), n * 2.39996
        result.append(
            Marker(
                capital[1] + radius * math.cos(angle),
                capital[2] + radius * math.sin(angle),
                colour,
                label + " (lokasi perkiraan: ibu kota kabupaten/kota)",
                url,
                approximate=True,
            )
        )
    return result


def map_svg(markers_, *, title: str = "Peta sebaran isu strategis"):
    legend = [
        (DECISION_COLOURS[d], label)
        for d, label in [*content.DECISION_LABELS.items(), ("", UNDECIDED)]
    ]
    places = [(name, lon, lat) for name, lon, lat in CAPITALS.values()]
    return province_map(markers_, title=title, places=places, legend=legend)


# ---- In the documents ----

MAP_NOTE = (
    "Lingkaran: isu pada koordinatnya; persegi bergaris putus-putus: isu tanpa koordinat, "
    "ditempatkan di dekat ibu kota kabupaten/kotanya. Garis pantai: Natural Earth (domain publik)."
)


@dataclass
class DocumentFigures:
    """The page a document opens with: a map and two or three charts."""

    map_title: str
    map: object
    charts: list  # beside the map
    under_map: list = field(default_factory=list)  # charts below the map's note
    note: str = MAP_NOTE


def recap_figures(meeting: Meeting) -> DocumentFigures:
    results = content.desk_results(meeting)
    charts = issue_charts(meeting, results=results)
    return DocumentFigures(
        map_title="Peta sebaran isu strategis",
        map=map_svg(markers(result_issues(results))),
        charts=[charts["issues_by_region"], charts["cost_by_funding"]],
    )


def priority_map(meeting: Meeting):
    return map_svg(
        markers(map_issues(meeting, decision=D.PRIORITY)), title="Peta sebaran isu prioritas"
    )


def monitoring_figures(meeting: Meeting, *, today: date | None = None) -> DocumentFigures:
    """The priority issues the points grew from, the follow-up by month, the cost by region."""
    # Six months keep the page to one sheet beside the map.
    followup = followup_chart(meeting, today=today, last=6)
    return DocumentFigures(
        map_title="Peta sebaran isu prioritas",
        map=priority_map(meeting),
        charts=[followup, issue_charts(meeting)["issues_by_desk"]]
        if followup
        else [issue_charts(meeting)["issues_by_desk"]],
    )
