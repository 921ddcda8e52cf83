"""What the official documents say: the issues of a desk or a meeting, grouped and labelled.

Official documents are in Indonesian whatever the reader's interface language,
so the labels here are fixed Indonesian text (DOMAIN.md), not translations.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet

from issues.figures import attach_figures
from issues.models import AgreementOptions, Issue
from meetings.models import Desk, Meeting, Region

S = Issue.Status

DECISION_LABELS = {
    Issue.Decision.PRIORITY: "Prioritas",
    Issue.Decision.RESERVE: "Cadangan",
    Issue.Decision.NOT_PRIORITISED: "Tidak Diprioritaskan",
    Issue.Decision.REDIRECTED: "Dialihkan",
}
STATUS_LABELS = {
    S.SUBMITTED: "Diajukan",
    S.NEEDS_REVISION: "Perlu Perbaikan",
    S.VERIFIED: "Terverifikasi",
    S.DISCUSSED: "Dibahas",
    S.PRIORITY: "Prioritas",
    S.RESERVE: "Cadangan",
    S.NOT_PRIORITISED: "Tidak Diprioritaskan",
    S.REDIRECTED: "Dialihkan",
    S.AGREED: "Disepakati",
    S.FORWARDED: "Diteruskan ke RAKORGUB",
}
FUNDING_LABELS = {
    Issue.FundingSource.APBD_PROVINCE: "APBD Provinsi",
    Issue.FundingSource.APBD_REGENCY: "APBD Kabupaten/Kota",
    Issue.FundingSource.APBN: "APBN",
    Issue.FundingSource.DAK: "DAK",
    Issue.FundingSource.PROVINCIAL_GRANT: "Bantuan Keuangan Provinsi",
    Issue.FundingSource.OTHER: "Lainnya",
}
AUTHORITY_LABELS = {
    Issue.Authority.PROVINCE: "Provinsi",
    Issue.Authority.REGENCY: "Kabupaten/Kota",
    Issue.Authority.CENTRAL: "Pusat",
    Issue.Authority.UNCLEAR: "Belum jelas",
}
# Order of the decision counts in summaries.
DECISION_ORDER = list(DECISION_LABELS)


def document_issues(meeting: Meeting, desk: Desk | None = None) -> QuerySet[Issue]:
    """The issues the documents report: every one on a desk's board.

    Submitted, neither withdrawn nor merged away (a joint issue stands for the
    merged ones and names all their regions). Three queries whatever the count:
    the issues with region and field, and their joint regions.
    """
    issues = (
        Issue.objects.filter(meeting=meeting, submitted_at__isnull=False, merged_into__isnull=True)
        .exclude(status__in=(S.DRAFT, S.WITHDRAWN, S.MERGED))
        .select_related("region", "desk__field")
        .prefetch_related(
            Prefetch("joint_regions", queryset=Region.objects.order_by("kemendagri_code")),
            Prefetch(
                "merged_issues",
                queryset=Issue.objects.select_related("region").order_by(
                    "region__kemendagri_code", "pk"
                ),
            ),
        )
    )
    if desk is not None:
        issues = issues.filter(desk=desk)
    return issues


def count_document_issues(meeting: Meeting, desk: Desk | None = None) -> int:
    return document_issues(meeting, desk).count()


def count_priority_issues(meeting: Meeting, desk: Desk | None = None) -> int:
    """The Prioritas issues among them: the rows the plenary minutes print."""
    return document_issues(meeting, desk).filter(decision=Issue.Decision.PRIORITY).count()


@dataclass
class IssueLine:
    """One issue as a row of an official document."""

    issue: Issue
    regions: list
    number: int = 0  # the running number within its group, where a document numbers rows
    points: list = field(default_factory=list)  # labels of the agreement points it became

    @property
    def figures(self):
        """Volume and cost, summed over a joint issue's regions (issues.figures)."""
        return self.issue.figures

    @property
    def point_labels(self) -> str:
        return ", ".join(self.points)

    @property
    def region_names(self) -> str:
        return ", ".join(region.name for region in self.regions)

    @property
    def location(self) -> str:
        """Where: the issue's place; a joint issue's every merged location, each with
        its region ("Kabupaten Bangka: Ruas ..., Kec. ...; Kabupaten Belitung: ...")."""
        issue = self.issue
        merged = list(issue.merged_issues.all())
        if not merged:
            return _place(issue)
        places = []
        for member in [issue, *merged]:
            place = _place(member)
            text = f"{member.region.name}: {place}" if place else member.region.name
            if text not in places:
                places.append(text)
        return "; ".join(places)

    @property
    def decision(self) -> str:
        return DECISION_LABELS.get(self.issue.decision, "")

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.issue.status, self.issue.status)

    @property
    def funding(self) -> str:
        return FUNDING_LABELS.get(self.issue.funding_source, "")

    @property
    def authority(self) -> str:
        return AUTHORITY_LABELS.get(self.issue.authority, "")

    @property
    def remarks(self) -> str:
        """Keterangan: why it was decided so, where a redirected issue goes, or its status."""
        issue = self.issue
        parts = []
        if issue.decision == Issue.Decision.REDIRECTED and issue.redirected_to:
            parts.append(f"Dialihkan ke {issue.redirected_to}.")
        if issue.decision_reason:
            parts.append(issue.decision_reason)
        if not issue.decision:
            parts.append(f"Belum diputuskan ({self.status}).")
        if len(self.regions) > 1:
            parts.append("Isu gabungan " + self.region_names + ".")
        return " ".join(parts)


def _place(issue: Issue) -> str:
    parts = [issue.place]
    if issue.village and not _names_village(issue.place, issue.village):
        parts.append(f"Desa/Kel. {issue.village}")
    if issue.district:
        parts.append(f"Kec. {issue.district}")
    return ", ".join(part for part in parts if part)


def _names_village(place: str, village: str) -> bool:
    """Whether the place already says its village ("..., Desa Lampur")."""
    place = " ".join(place.casefold().split())
    village = " ".join(village.casefold().split())
    return any(
        f"{prefix} {village}" in place for prefix in ("desa", "kel.", "kelurahan", "desa/kel.")
    )


def _line(issue: Issue) -> IssueLine:
    return IssueLine(issue=issue, regions=[issue.region, *issue.joint_regions.all()])


def _lines(issues) -> list[IssueLine]:
    """The issues as lines, their figures (joint sums) computed in one more query."""
    return [_line(issue) for issue in attach_figures(issues)]


def priority_lines(desk: Desk) -> list[IssueLine]:
    """The desk's issues in the order of its ranking; unranked ones after, by region."""
    issues = document_issues(desk.meeting, desk).order_by(
        F("rank").asc(nulls_last=True), "region__kemendagri_code", "priority_order", "number"
    )
    return _lines(issues)


def line_cost(line) -> Decimal:
    """The proposed cost an issue line counts for in totals and charts, as its row prints
    it (a joint issue: the sum of its regions' proposals)."""
    return line.figures.cost or Decimal(0)


def total_cost(lines) -> Decimal:
    """The sum of the lines' costs, as the rows print them (joint issues summed)."""
    return sum((line_cost(line) for line in lines), Decimal(0))


def decision_counts(lines) -> list[tuple[str, int]]:
    """(label, count) for each decision taken, in the usual order, then the undecided."""
    counts = Counter(line.issue.decision for line in lines)
    result = [(DECISION_LABELS[d], counts[d]) for d in DECISION_ORDER if counts[d]]
    if counts[""]:
        result.append(("Belum diputuskan", counts[""]))
    return result


# Order of the decisions within a desk in the recap: what goes forward first.
RECAP_DECISION_ORDER = {decision: index for index, decision in enumerate(DECISION_ORDER)}


@dataclass
class FieldGroup:
    """One desk's issues in the recap: priorities first, each decision in rank order."""

    desk: Desk
    lines: list = field(default_factory=list)

    @property
    def total_cost(self) -> Decimal:
        return total_cost(self.lines)

    @property
    def priority_lines(self) -> list:
        return [line for line in self.lines if line.issue.decision == Issue.Decision.PRIORITY]

    @property
    def priority_cost(self) -> Decimal:
        return total_cost(self.priority_lines)


def point_labels(meeting: Meeting) -> dict[int, list[str]]:
    """For each issue that became agreement points, their numbers as the agreement
    document prints them (KESATU, ... or 1, 2, ...). Five queries."""
    from issues.agreement.services import meeting_point_groups, options_for

    ordinals = options_for(meeting).numbering == AgreementOptions.Numbering.ORDINALS
    labels: dict[int, list[str]] = {}
    for group in meeting_point_groups(meeting):
        for point in group.points:
            label = point.ordinal if ordinals else str(point.number)
            for issue in point.source_issues.all():
                labels.setdefault(issue.pk, []).append(label)
    return labels


def recap_groups(meeting: Meeting) -> list[FieldGroup]:
    """The meeting's issues grouped by field (desk order); within a field the Prioritas
    issues first, then Cadangan, Tidak Diprioritaskan, Dialihkan and the undecided,
    each in rank order. A joint issue is one line that names every region and sums
    their figures; a decided issue carries the numbers of the points it became."""
    issues = document_issues(meeting).order_by(
        "desk__field__order",
        "desk__field__name",
        F("rank").asc(nulls_last=True),
        "region__kemendagri_code",
        "priority_order",
        "number",
    )
    labels = point_labels(meeting)
    groups: list[FieldGroup] = []
    for line in _lines(issues):
        issue = line.issue
        if not groups or groups[-1].desk.pk != issue.desk_id:
            groups.append(FieldGroup(desk=issue.desk))
        line.points = labels.get(issue.pk, [])
        groups[-1].lines.append(line)
    for group in groups:
        group.lines.sort(
            key=lambda line: RECAP_DECISION_ORDER.get(line.issue.decision, len(DECISION_ORDER))
        )
        for number, line in enumerate(group.lines, start=1):
            line.number = number
    return groups


def recap_total(groups) -> Decimal:
    return sum((group.total_cost for group in groups), Decimal(0))


def recap_priority_total(groups) -> Decimal:
    return sum((group.priority_cost for group in groups), Decimal(0))


@dataclass
class DeskResult:
    """A desk's results for the minutes: issues per region and its Prioritas list."""

    desk: Desk
    lines: list  # IssueLine, in the ranking's order
    per_region: list  # (region name, issue count)
    priorities: list  # IssueLine
    decisions: list  # (label, count)
    total: int

    @property
    def per_region_rows(self) -> list:
        """per_region two to a row, in reading order: [(name, count), (name, count) or None]."""
        pairs = self.per_region
        return [
            (pairs[index], pairs[index + 1] if index + 1 < len(pairs) else None)
            for index in range(0, len(pairs), 2)
        ]


def desk_results(meeting: Meeting, desk: Desk | None = None) -> list[DeskResult]:
    """Every desk of the meeting (or only `desk`) with its counts, in three queries."""
    desks = meeting.desks.select_related("field", "chair")
    if desk is not None:
        desks = desks.filter(pk=desk.pk)
    desks = list(desks)
    by_desk: dict[int, list[IssueLine]] = {desk.pk: [] for desk in desks}
    issues = document_issues(meeting, desk).order_by(
        F("rank").asc(nulls_last=True), "region__kemendagri_code", "number"
    )
    for line in _lines(issues):
        by_desk.setdefault(line.issue.desk_id, []).append(line)
    results = []
    for desk in desks:
        lines = by_desk[desk.pk]
        per_region = Counter()
        names = {}
        for line in lines:
            for region in line.regions:
                per_region[region.kemendagri_code] += 1
                names[region.kemendagri_code] = region.name
        results.append(
            DeskResult(
                desk=desk,
                lines=lines,
                per_region=[(names[code], per_region[code]) for code in sorted(per_region)],
                priorities=[
                    line for line in lines if line.issue.decision == Issue.Decision.PRIORITY
                ],
                decisions=decision_counts(lines),
                total=len(lines),
            )
        )
    return results
