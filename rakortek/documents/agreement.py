"""The Berita Acara / Draft Butir Kesepakatan of a meeting: its points grouped by field,
the spelled-out date, and a signature column for every party.

The points themselves live in issues (issues.agreement); this module reads them
for the document and, when the document is finalised, lets issues mark the
source issues Disepakati.
"""

from math import ceil

from issues.agreement import (
    agreement_points_agree,
    meeting_point_groups,
    options_for,
)
from issues.models import AgreementOptions, AgreementPoint
from meetings.models import Meeting, Region, Signer
from meetings.selectors import province, provincial_office
from rakortek.documents.rendering import (
    Output,
    RenderOptions,
    Signature,
    render_pdf,
    signer_signatures,
)
from rakortek.formatting import hari, tanggal_terbilang

MAX_COLUMNS = 4


def has_points(meeting: Meeting) -> bool:
    return AgreementPoint.objects.filter(meeting=meeting).exists()


def count_points(meeting: Meeting, desk=None) -> int:
    return AgreementPoint.objects.filter(meeting=meeting).count()


def party_signatures(meeting: Meeting) -> list[Signature]:
    """Without signers set for this document: the province's head of office, then one
    column per regency or city named by a point, each with a line to write the name on."""
    regions = (
        Region.objects.filter(agreement_points__meeting=meeting)
        .exclude(kind=Region.Kind.PROVINCE)
        .distinct()
        .order_by("kemendagri_code")
    )
    province_head = Signature(heading=province().name, position=f"Kepala {provincial_office()}")
    return [
        province_head,
        *(
            Signature(heading=region.name, position="Kepala Perangkat Daerah Pekerjaan Umum")
            for region in regions
        ),
    ]


def signature_rows(signatures: list) -> list[list]:
    """Two to four columns a row, the rows as even as they can be: 5 -> 3 + 2, 8 -> 4 + 4."""
    if not signatures:
        return []
    rows_needed = ceil(len(signatures) / MAX_COLUMNS)
    per_row = max(2, ceil(len(signatures) / rows_needed))
    return [signatures[i : i + per_row] for i in range(0, len(signatures), per_row)]


def render_agreement(meeting: Meeting, desk, options: RenderOptions) -> Output:
    groups = meeting_point_groups(meeting)
    signatures = signer_signatures(meeting, Signer.Document.AGREEMENT) or party_signatures(meeting)
    rows = signature_rows(signatures)
    return render_pdf(
        "documents/pdf/butir_kesepakatan.html",
        {
            "meeting": meeting,
            "groups": groups,
            "ordinals": options_for(meeting).numbering == AgreementOptions.Numbering.ORDINALS,
            "day": hari(meeting.starts_at),
            "date_words": tanggal_terbilang(meeting.starts_at),
            "signature_rows": rows,
            "columns": max(len(rows[0]), 2) if rows else 2,
            "title": f"Berita Acara Draft Butir Kesepakatan {meeting.title}",
        },
        options=options,
    )


def agree_sources(*, actor, meeting: Meeting, desk, document) -> None:
    """Called when the document is finalised: its source issues become Disepakati."""
    agreement_points_agree(actor=actor, meeting=meeting, document_number=document.number)
