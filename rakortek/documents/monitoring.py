"""Laporan Monitoring Tindak Lanjut: the follow-up of the points signed at RAKORGUB.

A RAKORTEK's report exists once its package is signed. It reads the follow-up
as it stands on the day it is printed (issues.followup.services.overview): the counts by
status for each field and each region responsible, then the points of each
field with their latest report. Dropped points are not followed up and not
listed. A point past its target date and not done says "Terlambat" in words,
not only in colour, so a black-and-white copy shows it too.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import Truncator

from issues.followup.services import overview
from issues.models import FollowUpUpdate, PackagePoint, RakorgubPackage
from meetings.models import Meeting, Minutes, Signer
from meetings.selectors import provincial_office
from rakortek.core.formatting import tanggal, urutan
from rakortek.documents.rendering import (
    XLSX,
    Output,
    RenderOptions,
    Signature,
    render_pdf,
    signature_block,
    signer_signatures,
)

S = PackagePoint.Status

STATUS_LABELS = {
    S.NOT_STARTED: "Belum Dimulai",
    S.IN_PROGRESS: "Dalam Proses",
    S.BLOCKED: "Terkendala",
    S.DONE: "Selesai",
}
# The order of the status columns of the summary: from not started to done.
STATUS_ORDER = list(STATUS_LABELS)
OVERDUE_LABEL = "Terlambat"
NOTE_LENGTH = 160


def signed_package(meeting: Meeting) -> RakorgubPackage | None:
    return (
        RakorgubPackage.objects.select_related("rakorgub")
        .filter(meeting=meeting, status=RakorgubPackage.Status.SIGNED)
        .first()
    )


def is_available(meeting: Meeting) -> bool:
    return RakorgubPackage.objects.filter(
        meeting=meeting, status=RakorgubPackage.Status.SIGNED
    ).exists()


def count_points(meeting: Meeting, desk=None) -> int:
    return PackagePoint.objects.filter(
        package__meeting=meeting,
        package__status=RakorgubPackage.Status.SIGNED,
        dropped_at__isnull=True,
    ).count()


@dataclass
class MonitoringLine:
    """One followed point as a row of the report."""

    point: PackagePoint
    overdue: bool
    last: FollowUpUpdate | None
    ordinal: str = ""  # KESATU, KEDUA ...: as the naskah kesepakatan numbers it

    @property
    def region_names(self) -> str:
        return ", ".join(region.name for region in self.point.regions.all())

    @property
    def status(self) -> str:
        return STATUS_LABELS.get(self.point.status, self.point.status)

    @property
    def last_note(self) -> str:
        if self.last is None:
            return ""
        return Truncator(" ".join(self.last.note.split())).chars(NOTE_LENGTH)

    @property
    def full_note(self) -> str:
        return self.last.note if self.last else ""


@dataclass
class FieldSection:
    name: str
    lines: list


@dataclass
class SummaryRow:
    """Counts of one field or region in the status order, with overdue and percent done."""

    label: str
    counts: list  # [count] in STATUS_ORDER
    total: int
    overdue: int
    percent_done: int


@dataclass
class Monitoring:
    meeting: Meeting
    package: RakorgubPackage
    today: object
    sections: list  # FieldSection
    by_field: list  # SummaryRow
    by_region: list  # SummaryRow
    total: SummaryRow

    @property
    def lines(self):
        return [line for section in self.sections for line in section.lines]


def _summary(tally, label=None) -> SummaryRow:
    return SummaryRow(
        label=label or tally.label,
        counts=[tally.counts[status] for status in STATUS_ORDER],
        total=tally.total,
        overdue=tally.overdue,
        percent_done=tally.percent_done,
    )


def latest_updates(points) -> dict:
    """{point id: its latest FollowUpUpdate} in one query (the one that set its status)."""
    latest = {}
    updates = FollowUpUpdate.objects.filter(point__in=[p.pk for p in points]).order_by(
        "point_id", "-reported_on", "-created_at", "-id"
    )
    for update in updates:
        latest.setdefault(update.point_id, update)
    return latest


def monitoring(meeting: Meeting, today=None) -> Monitoring | None:
    """The report's content, or None while the meeting's package is not signed."""
    package = signed_package(meeting)
    if package is None:
        return None
    today = today or timezone.localdate()
    view = overview(package, today=today)
    latest = latest_updates(view.points)
    sections: list[FieldSection] = []
    by_desk = {}
    # The points as signed: the naskah kesepakatan numbers the points kept in the package.
    ordinals = {
        point.pk: urutan(number)
        for number, point in enumerate(sorted(view.points, key=lambda p: p.number), start=1)
    }
    for point in view.points:
        section = by_desk.get(point.desk_id)
        if section is None:
            section = by_desk[point.desk_id] = FieldSection(name=point.desk.field.name, lines=[])
            sections.append(section)
        section.lines.append(
            MonitoringLine(
                point=point,
                overdue=point.overdue,
                last=latest.get(point.pk),
                ordinal=ordinals[point.pk],
            )
        )
    return Monitoring(
        meeting=meeting,
        package=package,
        today=today,
        sections=sections,
        by_field=[_summary(tally) for tally in view.by_field],
        by_region=[_summary(tally) for tally in view.by_region],
        total=_summary(view.total, label="Jumlah"),
    )


def monitoring_signatures(meeting: Meeting) -> list[Signature]:
    """The signers set for the report; without them, the chair of the plenary minutes
    (the head of the office) as the minutes name them, or a block to sign by hand."""
    signatures = signer_signatures(meeting, Signer.Document.MONITORING)
    if signatures:
        return signatures
    minutes = Minutes.objects.filter(meeting=meeting, desk__isnull=True).first()
    if minutes and minutes.chair_name:
        signer = Signer.objects.filter(
            meeting=meeting, document=Signer.Document.MINUTES, name=minutes.chair_name
        ).first()
        return [
            Signature(
                position=minutes.chair_position or (signer.position if signer else ""),
                name=minutes.chair_name,
                rank=signer.rank if signer else "",
                nip=signer.nip if signer else "",
            )
        ]
    return [Signature(position=f"Kepala {provincial_office()}")]


def render_monitoring(meeting: Meeting, desk, options: RenderOptions) -> Output:
    from rakortek.figures import data as figures  # it reads this module's labels

    data = monitoring(meeting)
    return render_pdf(
        "documents/pdf/tindak_lanjut.html",
        {
            "meeting": meeting,
            "report": data,
            "package": data.package,
            "status_labels": [STATUS_LABELS[status] for status in STATUS_ORDER],
            "as_of": tanggal(data.today),
            "signed_on": tanggal(data.package.signed_on),
            "signature_block": signature_block(
                monitoring_signatures(meeting),
                place_date=f"{options.profile.city}, {tanggal(data.today)}",
            ),
            "title": f"Laporan Monitoring Tindak Lanjut {meeting.title}",
            "figures": figures.monitoring_figures(meeting, today=data.today),
        },
        options=options,
        landscape=True,
    )


def render_monitoring_xlsx(meeting: Meeting, desk, options: RenderOptions) -> Output:
    from rakortek.documents.spreadsheet import monitoring_workbook

    return Output(content=monitoring_workbook(monitoring(meeting), options), content_type=XLSX)
