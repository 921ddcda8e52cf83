"""The Berita Acara / Draf Butir Kesepakatan of a meeting: its points grouped by field,
the spelled-out date, and a signature column for every party.

The points themselves live in issues (issues.agreement.services); this module reads them
for the document and, when the document is finalised, lets issues mark the
source issues Disepakati.
"""

from issues.agreement.services import (
    agreement_points_agree,
    meeting_point_groups,
    options_for,
)
from issues.board import assent
from issues.models import AgreementOptions, AgreementPoint
from meetings.models import Meeting, Region, Signer
from meetings.selectors import province, provincial_office
from rakortek.core.formatting import hari, tanggal_terbilang
from rakortek.documents.rendering import (
    Output,
    RenderOptions,
    Signature,
    SignatureRow,
    render_pdf,
    signature_block,
    signer_signatures,
)

MAX_COLUMNS = 3


def closing() -> str:
    return (
        "Demikian berita acara ini dibuat untuk dipergunakan sebagaimana mestinya dan sebagai "
        "bahan Rapat Koordinasi Gubernur (RAKORGUB) dengan Bupati/Wali Kota se-"
        f"{province().name}."
    )


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


def signature_rows(signatures: list) -> list[SignatureRow]:
    """Two or three columns a row, the rows as even as they can be: 5 -> 3 + 2, 8 -> 3 + 3 + 2."""
    return signature_block(signatures, max_columns=MAX_COLUMNS).rows


def render_agreement(meeting: Meeting, desk, options: RenderOptions) -> Output:
    groups = meeting_point_groups(meeting)
    signatures = signer_signatures(meeting, Signer.Document.AGREEMENT) or party_signatures(meeting)
    return render_pdf(
        "documents/pdf/butir_kesepakatan.html",
        {
            "meeting": meeting,
            "groups": groups,
            "ordinals": options_for(meeting).numbering == AgreementOptions.Numbering.ORDINALS,
            "day": hari(meeting.starts_at),
            "date_words": tanggal_terbilang(meeting.starts_at),
            "signature_block": signature_block(
                signatures, closing=closing(), heading="PARA PIHAK", max_columns=MAX_COLUMNS
            ),
            "title": f"Berita Acara Draf Butir Kesepakatan {meeting.title}",
            "assent_annex": assent.meeting_objections(meeting),
        },
        options=options,
    )


def agree_sources(*, actor, meeting: Meeting, desk, document) -> None:
    """Called when the document is finalised: its source issues become Disepakati."""
    agreement_points_agree(actor=actor, meeting=meeting, document_number=document.number)
