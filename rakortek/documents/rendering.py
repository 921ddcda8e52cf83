"""Rendering each official document, as a draft preview or as a final version.

A draft carries a "DRAF" watermark and the time it was printed; a final version
carries its number, version and verification link in the footer of every page
and its QR code at the end. Everything goes through rakortek.pdf, whose fetcher
reads only the app's static files and the data: images made here.
"""

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings.models import Desk, Meeting
from rakortek.documents import content
from rakortek.documents.models import OfficeProfile
from rakortek.documents.office import letterhead_for
from rakortek.documents.verification import PendingDocument, qr_data_uri
from rakortek.pdf import PAPER_SIZES, html_to_pdf

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Output:
    content: bytes
    content_type: str
    pages: int | None = None
    refused_urls: list = field(default_factory=list)


@dataclass
class RenderOptions:
    """What every document needs besides its own data."""

    profile: OfficeProfile
    final: PendingDocument | None = None
    printed_at: object = None

    @classmethod
    def create(cls, *, final: PendingDocument | None = None, profile=None) -> "RenderOptions":
        return cls(profile=profile or OfficeProfile.load(), final=final, printed_at=timezone.now())


@dataclass
class Signature:
    """One signature column: place and date, position, name (bold, underlined), rank, NIP."""

    heading: str = ""
    position: str = ""
    name: str = ""
    rank: str = ""
    nip: str = ""
    place_date: str = ""
    image: str = ""  # a data: URI, when a signature was collected


def paper_size(paper: str, *, landscape: bool) -> str:
    size = PAPER_SIZES.get(paper, PAPER_SIZES["A4"])
    if landscape:
        width, height = size.split()
        size = f"{height} {width}"
    return size


def render_pdf(template: str, context: dict, *, options: RenderOptions, landscape=False) -> Output:
    final = options.final
    context = {
        "letterhead": letterhead_for(options.profile),
        "paper_size": paper_size(options.profile.paper, landscape=landscape),
        "final": final,
        "qr": qr_data_uri(final.verification_url) if final else "",
        "draft": final is None,
        "printed_at": options.printed_at or timezone.now(),
        "city": options.profile.city,
        **context,
    }
    # Official documents are Indonesian whatever language the reader chose.
    with translation.override("id"):
        html = render_to_string(template, context)
    rendered = html_to_pdf(html)
    return Output(
        content=rendered.content,
        content_type=PDF,
        pages=rendered.pages,
        refused_urls=rendered.refused_urls,
    )


def place_date(profile: OfficeProfile, meeting: Meeting) -> str:
    from rakortek.formatting import tanggal

    return f"{profile.city}, {tanggal(meeting.starts_at)}"


def desk_chair_signature(desk: Desk, profile: OfficeProfile) -> Signature:
    chair = desk.chair
    field_name = desk.field.name
    return Signature(
        heading=f"Pimpinan Desk {field_name}",
        position=(chair.position if chair and chair.position else f"Kepala Bidang {field_name}"),
        name=chair.full_name if chair else "",
        nip=chair.nip if chair else "",
        place_date=place_date(profile, desk.meeting),
    )


def render_priority_list(meeting: Meeting, desk: Desk, options: RenderOptions) -> Output:
    lines = content.priority_lines(desk)
    return render_pdf(
        "documents/pdf/prioritas.html",
        {
            "meeting": meeting,
            "desk": desk,
            "lines": lines,
            "decisions": content.decision_counts(lines),
            "signature": desk_chair_signature(desk, options.profile),
            "title": f"Daftar Prioritas Desk {desk.field.name}",
        },
        options=options,
        landscape=True,
    )


def render_recap(meeting: Meeting, desk, options: RenderOptions) -> Output:
    groups = content.recap_groups(meeting)
    return render_pdf(
        "documents/pdf/rekapitulasi.html",
        {
            "meeting": meeting,
            "groups": groups,
            "total": content.recap_total(groups),
            "count": sum(len(group.lines) for group in groups),
            "title": "Rekapitulasi Isu Strategis",
        },
        options=options,
        landscape=True,
    )


def render_recap_xlsx(meeting: Meeting, desk, options: RenderOptions) -> Output:
    from rakortek.documents.spreadsheet import recap_workbook

    groups = content.recap_groups(meeting)
    return Output(content=recap_workbook(meeting, groups, options), content_type=XLSX)
