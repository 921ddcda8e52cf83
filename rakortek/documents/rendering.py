"""Rendering each official document, as a draft preview or as a final version.

A draft carries a "DRAF" watermark and the time it was printed; a final version
carries its number, version and verification link in the footer of every page
and its QR code at the end. Everything goes through rakortek.core.pdf, whose fetcher
reads only the app's static files and the data: images made here.
"""

from dataclasses import dataclass, field, replace
from math import ceil

from django.template.loader import render_to_string
from django.utils import timezone, translation

from issues.board import assent
from meetings.models import Desk, Meeting, Minutes, Participant, Signer
from meetings.signatures import signature_data_uri
from rakortek.core import formatting
from rakortek.core.formatting import jam, rupiah, tanggal
from rakortek.core.pdf import PAPER_SIZES, html_to_pdf
from rakortek.core.qr import qr_data_uri
from rakortek.core.xlsx import XLSX_CONTENT_TYPE
from rakortek.documents import content, numbering
from rakortek.documents.columns import Column
from rakortek.documents.columns import widths as columns_widths
from rakortek.documents.models import OfficeProfile
from rakortek.documents.office import letterhead_for
from rakortek.documents.signing import SIGNATURE_BOX_ID
from rakortek.documents.verification import PendingDocument

PDF = "application/pdf"
XLSX = XLSX_CONTENT_TYPE


@dataclass
class Output:
    content: bytes
    content_type: str
    pages: int | None = None
    refused_urls: list = field(default_factory=list)
    # The app's own static files (stylesheets, fonts) the PDF asked for and did not get.
    refused_assets: list = field(default_factory=list)
    # Where the template reserved the visible electronic signature: (page index, rectangle).
    signature_box: tuple | None = None


@dataclass
class RenderOptions:
    """What every document needs besides its own data."""

    profile: OfficeProfile
    final: PendingDocument | None = None
    printed_at: object = None
    kind: str = ""  # set by the catalog: which document is rendered
    year: int | None = None  # set by the catalog: the year of the document's own date

    @classmethod
    def create(cls, *, final: PendingDocument | None = None, profile=None) -> "RenderOptions":
        return cls(profile=profile or OfficeProfile.load(), final=final, printed_at=timezone.now())


@dataclass
class Signature:
    """One signature block: label, jabatan, signing space, name (bold, underlined), rank, NIP.

    `label` is what the signer signs as ("Pimpinan Rapat", "Notulis", "BUPATI BANGKA");
    `on_behalf` the official a stand-in signs for ("a.n. Kepala Dinas ...");
    `represents` prints "yang mewakili" for a stand-in at a joint signing.
    """

    heading: str = ""
    position: str = ""
    name: str = ""
    rank: str = ""
    nip: str = ""
    on_behalf: str = ""
    represents: bool = False
    place_date: str = ""

    @property
    def label(self) -> str:
        heading = self.heading.strip()
        if heading and not heading.endswith(","):
            heading += ","
        return heading

    @property
    def nip_text(self) -> str:
        return formatting.nip(self.nip)

    @property
    def name_size(self) -> str:
        """A smaller type for a long name, so name and degrees stay on one line."""
        length = len(self.name)
        if length > 40:
            return "sig-name-xs"
        if length > 30:
            return "sig-name-s"
        return ""


@dataclass
class SignatureRow:
    cells: list  # Signature or None (an empty column)

    @property
    def span(self) -> int:
        return len(self.cells)

    @property
    def has_date(self) -> bool:
        return any(cell and cell.place_date for cell in self.cells)

    @property
    def has_rank(self) -> bool:
        return any(cell and cell.rank for cell in self.cells)

    @property
    def has_nip(self) -> bool:
        return any(cell and cell.nip for cell in self.cells)


@dataclass
class SignatureBlock:
    """The signatures of a document laid out in rows of equal columns.

    Each row is one table whose lines (date, label and jabatan, signing space,
    name, rank, NIP) are table rows, so the blocks of a row start at the same
    height and their names share a baseline whatever the length of a jabatan.
    The closing paragraph and the heading ("PARA PIHAK") are kept on the page of
    the first row.
    """

    rows: list = field(default_factory=list)
    columns: int = 2
    closing: str = ""
    heading: str = ""


def signature_block(
    signatures: list,
    *,
    place_date: str = "",
    closing: str = "",
    heading: str = "",
    max_columns: int = 3,
) -> SignatureBlock:
    """Rows of at most `max_columns`, as even as they can be (5 -> 3 + 2, 8 -> 3 + 3 + 2).

    One signer stands on the right, as in a letter. The place and date line goes
    over the last block of the first row, unless a block already has its own.
    """
    signatures = [sig for sig in signatures if sig is not None]
    if not signatures:
        return SignatureBlock(closing=closing, heading=heading)
    if place_date and not any(sig.place_date for sig in signatures):
        first_row_end = min(len(signatures), _per_row(len(signatures), max_columns)) - 1
        signatures = list(signatures)
        signatures[first_row_end] = replace(signatures[first_row_end], place_date=place_date)
    if len(signatures) == 1:
        return SignatureBlock(
            rows=[SignatureRow(cells=[None, signatures[0]])],
            columns=2,
            closing=closing,
            heading=heading,
        )
    per_row = _per_row(len(signatures), max_columns)
    rows = []
    for start in range(0, len(signatures), per_row):
        cells = signatures[start : start + per_row]
        rows.append(SignatureRow(cells=cells))
    return SignatureBlock(rows=rows, columns=per_row, closing=closing, heading=heading)


def _per_row(count: int, max_columns: int) -> int:
    rows_needed = ceil(count / max_columns)
    return max(2, ceil(count / rows_needed))


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
        "draft_number": (
            numbering.draft_number(options.kind, options.profile, options.year)
            if options.kind
            else ""
        ),
        **context,
    }
    if "signature_block" not in context:
        context["signature_block"] = signature_block(
            context.get("signatures") or [], place_date=context.get("place_date", "")
        )
    # Official documents are Indonesian whatever language the reader chose.
    with translation.override("id"):
        html = render_to_string(template, context)
    boxes = (SIGNATURE_BOX_ID,) if final is not None and final.signed else ()
    rendered = html_to_pdf(html, boxes=boxes)
    return Output(
        signature_box=rendered.boxes.get(SIGNATURE_BOX_ID),
        content=rendered.content,
        content_type=PDF,
        pages=rendered.pages,
        refused_urls=rendered.refused_urls,
        refused_assets=rendered.refused_assets,
    )


def place_date(profile: OfficeProfile, meeting: Meeting) -> str:
    """Pangkalpinang, 25 Juli 2022: the office's city and the meeting's day."""
    return f"{profile.city}, {tanggal(meeting.starts_at)}"


def signer_signatures(meeting: Meeting, document: str, desk: Desk | None = None) -> list:
    """The signers the secretariat set for a document (meetings.Signer), in their order."""
    return [
        Signature(position=signer.position, name=signer.name, rank=signer.rank, nip=signer.nip)
        for signer in Signer.objects.filter(meeting=meeting, document=document, desk=desk).order_by(
            "order", "id"
        )
    ]


def label_minutes_signers(signatures: list, minutes: Minutes, chair_label: str) -> list:
    """Signers set for a minutes document sign as what the minutes name them:
    the chair as `chair_label` ("Pimpinan Rapat"), the note-taker as "Notulis"."""
    for signature in signatures:
        if signature.heading:
            continue
        if minutes.chair_name and signature.name == minutes.chair_name:
            signature.heading = chair_label
        elif minutes.note_taker_name and signature.name == minutes.note_taker_name:
            signature.heading = "Notulis"
            if signature.position.strip().lower() == "notulis":
                signature.position = ""
    return signatures


def desk_chair_signature(desk: Desk) -> Signature:
    chair = desk.chair
    field_name = desk.field.name
    return Signature(
        heading=f"Pimpinan Desk {field_name}",
        position=(chair.position if chair and chair.position else f"Kepala Bidang {field_name}"),
        name=chair.full_name if chair else "",
        nip=chair.nip if chair else "",
    )


def render_priority_list(meeting: Meeting, desk: Desk, options: RenderOptions) -> Output:
    lines = content.priority_lines(desk)
    signatures = signer_signatures(meeting, Signer.Document.PRIORITY_LIST, desk) or [
        desk_chair_signature(desk)
    ]
    decisions = content.decision_counts(lines)
    summary = ""
    if decisions:
        counts = ", ".join(f"{label} {count}" for label, count in decisions)
        summary = f"Jumlah isu: {len(lines)} ({counts})."
    return render_pdf(
        "documents/pdf/prioritas.html",
        {
            "meeting": meeting,
            "desk": desk,
            "lines": lines,
            "widths": priority_widths(lines, options.profile.paper),
            "decisions": decisions,
            "signature_block": signature_block(
                signatures, place_date=place_date(options.profile, meeting), closing=summary
            ),
            "title": f"Daftar Prioritas Desk {desk.field.name}",
        },
        options=options,
        landscape=True,
    )


# The wide tables (recap, priority list): font size and cell padding, as in the print
# stylesheets (table.dense in documents-print.css).
DENSE_FONT_PT = 8
DENSE_PADDING_MM = 0.9
# The page's side margins (print.css): 25 mm left, 18 mm right.
SIDE_MARGINS_MM = 43


def table_width_mm(paper: str, *, landscape: bool) -> float:
    width = paper_size(paper, landscape=landscape).split()[0]
    return float(width.removesuffix("mm")) - SIDE_MARGINS_MM


def _share_texts(line, cost: bool) -> list[str]:
    return [
        f"{share.region_short_name}: {rupiah(share.cost) if cost else share.volume_text}"
        for share in line.figures.breakdown
    ]


def recap_widths(groups, paper: str) -> list[float]:
    """The recap's column widths, from what its rows print (rakortek.documents.columns)."""
    lines = [line for group in groups for line in group.lines]
    columns = [
        Column("No", [str(line.number) for line in lines], wrap=False),
        Column("Kab/Kota", [line.region_names for line in lines]),
        Column("Isu", [f"{line.issue.code} {line.issue.title}" for line in lines]),
        Column("Lokasi", [line.location for line in lines]),
        Column("Penanganan", [line.issue.proposed_handling for line in lines]),
        Column(
            "Volume/ Satuan",
            [line.figures.volume_text for line in lines]
            + [text for line in lines for text in _share_texts(line, cost=False)],
        ),
        Column("Biaya", [rupiah(line.figures.cost) for line in lines], wrap=False),
        Column("Sumber Dana", [line.funding for line in lines]),
        Column("Kewenangan", [line.authority for line in lines]),
        Column(
            "Keputusan/ Butir Kesepakatan",
            [line.decision for line in lines]
            + [f"Butir {line.point_labels}" for line in lines if line.points],
        ),
        Column("Keterangan", [line.remarks for line in lines]),
    ]
    return columns_widths(
        columns,
        table_mm=table_width_mm(paper, landscape=True),
        font_pt=DENSE_FONT_PT,
        padding_mm=DENSE_PADDING_MM,
    )


def priority_widths(lines, paper: str) -> list[float]:
    """The priority list's column widths, from what its rows print."""
    return columns_widths(
        [
            Column("Pering kat", [str(line.issue.rank or "-") for line in lines], wrap=False),
            Column("Nomor", [line.issue.code for line in lines], wrap=False),
            Column("Kabupaten/ Kota", [line.region_names for line in lines]),
            Column("Isu Strategis", [line.issue.title for line in lines]),
            Column("Lokasi", [line.location for line in lines]),
            Column(
                "Volume",
                [line.figures.volume_text for line in lines]
                + [text for line in lines for text in _share_texts(line, cost=False)],
            ),
            Column("Perkiraan Biaya", [rupiah(line.figures.cost) for line in lines], wrap=False),
            Column("Sumber Dana", [line.funding for line in lines]),
            Column("Kewe nangan", [line.authority for line in lines]),
            Column("Skor", [formatting.angka(line.issue.score, 2) for line in lines], wrap=False),
            Column(
                "Keputusan dan Alasan",
                [line.decision or line.status for line in lines] + [line.remarks for line in lines],
            ),
        ],
        table_mm=table_width_mm(paper, landscape=True),
        font_pt=DENSE_FONT_PT,
        padding_mm=DENSE_PADDING_MM,
    )


def render_recap(meeting: Meeting, desk, options: RenderOptions) -> Output:
    # Imported here: the figures read the monitoring module, which imports this one.
    from rakortek.figures import data as figures

    groups = content.recap_groups(meeting)
    return render_pdf(
        "documents/pdf/rekapitulasi.html",
        {
            "meeting": meeting,
            "groups": groups,
            "widths": recap_widths(groups, options.profile.paper),
            "total": content.recap_total(groups),
            "count": sum(len(group.lines) for group in groups),
            "priority_total": content.recap_priority_total(groups),
            "priority_count": sum(len(group.priority_lines) for group in groups),
            "signatures": signer_signatures(meeting, Signer.Document.RECAP),
            "place_date": place_date(options.profile, meeting),
            "title": "Rekapitulasi Isu Strategis",
            "figures": figures.recap_figures(meeting),
        },
        options=options,
        landscape=True,
    )


def render_recap_xlsx(meeting: Meeting, desk, options: RenderOptions) -> Output:
    from rakortek.documents.spreadsheet import recap_workbook

    groups = content.recap_groups(meeting)
    return Output(content=recap_workbook(meeting, groups, options), content_type=XLSX)


# ---- Minutes (notulen) and attendance (daftar hadir) ----


def plenary_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting, desk__isnull=True).first()


def present_participants(meeting: Meeting):
    """Everyone checked in, luring first, in the order they arrived."""
    return (
        Participant.objects.filter(meeting=meeting, checked_in_at__isnull=False)
        .select_related("region")
        .order_by("mode", "checked_in_at", "id")
    )


def meeting_time(meeting: Meeting) -> str:
    """08.00 - 16.00 WIB (or with both dates when the meeting spans days)."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    if start.date() == end.date():
        return f"{jam(start, zone='')} - {jam(end)}"
    return f"{tanggal(start)} {jam(start)} - {tanggal(end)} {jam(end)}"


def render_minutes(meeting: Meeting, desk, options: RenderOptions) -> Output:
    from rakortek.figures import data as figures

    minutes = plenary_minutes(meeting)
    signatures = label_minutes_signers(
        signer_signatures(meeting, Signer.Document.MINUTES), minutes, "Pimpinan Rapat"
    )
    if not signatures:
        # Without signers set for the minutes: the note-taker and the chair sign.
        if minutes.note_taker_name:
            signatures.append(Signature(heading="Notulis", name=minutes.note_taker_name))
        if minutes.chair_name:
            signatures.append(
                Signature(
                    heading="Pimpinan Rapat",
                    position=minutes.chair_position,
                    name=minutes.chair_name,
                )
            )
    date_text = minutes.date_text or tanggal(meeting.starts_at)
    place = minutes.place or options.profile.city
    return render_pdf(
        "documents/pdf/notulen.html",
        {
            "meeting": meeting,
            "minutes": minutes,
            "agenda": list(meeting.agenda_items.all()),
            "time": meeting_time(meeting),
            "present": present_participants(meeting).count(),
            "desk_results": content.desk_results(meeting),
            "priority_map": figures.priority_map(meeting),
            "signatures": signatures,
            "place_date": f"{place}, {date_text}",
            "title": f"Notulen {meeting.title}",
        },
        options=options,
    )


def desk_time(meeting: Meeting, desk: Desk) -> str:
    """10.00 - 12.00 WIB: the desk's own session, else the meeting's time."""
    if desk.starts_at and desk.ends_at:
        return f"{jam(desk.starts_at, zone='')} - {jam(desk.ends_at)}"
    if desk.starts_at:
        return f"{jam(desk.starts_at)} s.d. selesai"
    return meeting_time(meeting)


def desk_place(meeting: Meeting, desk: Desk) -> str:
    """The desk's room and the meeting's venue, without saying a place twice
    ("Ruang Auditorium" in "Ruang Auditorium Dinas PUPRPRKP")."""
    room, venue = desk.room.strip(), meeting.venue.strip()
    if not room:
        return venue
    if not venue or room.casefold() in venue.casefold():
        return venue or room
    if venue.casefold() in room.casefold():
        return room
    return f"{room}, {venue}"


def desk_minutes_chair_signature(desk: Desk, minutes: Minutes) -> Signature:
    """The desk's chair, or the stand-in the minutes name as having chaired it."""
    signature = desk_chair_signature(desk)
    if minutes.chair_name and minutes.chair_name != signature.name:
        # A stand-in signs on behalf of the head of the field ("a.n.").
        return Signature(
            heading=signature.heading,
            on_behalf=signature.position,
            position=minutes.chair_position,
            name=minutes.chair_name,
        )
    if minutes.chair_position:
        signature.position = minutes.chair_position
    return signature


def render_desk_minutes(meeting: Meeting, desk: Desk, options: RenderOptions) -> Output:
    """Notulen Desk: one desk's minutes, its issues and decisions, signed for the desk."""
    minutes = Minutes.objects.get(meeting=meeting, desk=desk)
    signatures = label_minutes_signers(
        signer_signatures(meeting, Signer.Document.DESK_MINUTES, desk),
        minutes,
        f"Pimpinan Desk {desk.field.name}",
    )
    if not signatures:
        # Without signers set for this desk's minutes: its note-taker and its chair sign.
        note_taker = minutes.note_taker_name or (
            desk.note_taker.full_name if desk.note_taker else ""
        )
        if note_taker:
            signatures.append(Signature(heading="Notulis", name=note_taker))
        signatures.append(desk_minutes_chair_signature(desk, minutes))
    date_text = minutes.date_text or tanggal(meeting.starts_at)
    place = minutes.place or options.profile.city
    present = Participant.objects.filter(
        meeting=meeting, desk=desk, checked_in_at__isnull=False
    ).count()
    return render_pdf(
        "documents/pdf/notulen_desk.html",
        {
            "meeting": meeting,
            "desk": desk,
            "minutes": minutes,
            "time": desk_time(meeting, desk),
            "place": desk_place(meeting, desk),
            "present": present,
            "result": content.desk_results(meeting, desk)[0],
            "assent": assent.document_summary(desk),
            "signatures": signatures,
            "place_date": f"{place}, {date_text}",
            "title": f"Notulen Desk {desk.field.name} {meeting.title}",
        },
        options=options,
    )


MODE_LABELS = {"luring": "Luring", "daring": "Daring"}


def region_after_office(participant) -> str:
    """The region after the office, unless the office already names it
    ("DPUPR Kabupaten Bangka" needs no "(Kabupaten Bangka)")."""
    region = participant.region
    if region is None:
        return ""
    office = participant.office.casefold()
    short = region.name.removeprefix("Kabupaten ").removeprefix("Kota ").casefold()
    if region.name.casefold() in office or (short and short in office.split()):
        return ""
    return region.name


def render_attendance(meeting: Meeting, desk, options: RenderOptions) -> Output:
    groups = {}
    for participant in present_participants(meeting):
        participant.signature_uri = signature_data_uri(participant)
        participant.region_after_office = region_after_office(participant)
        groups.setdefault(participant.mode, []).append(participant)
    count = sum(len(people) for people in groups.values())
    return render_pdf(
        "documents/pdf/daftar_hadir.html",
        {
            "meeting": meeting,
            "time": meeting_time(meeting),
            "groups": [
                (label, groups[mode]) for mode, label in MODE_LABELS.items() if mode in groups
            ],
            "count": count,
            # No phone numbers: they stay in the secretariat's working list (Peserta).
            "signature_block": signature_block(
                signer_signatures(meeting, Signer.Document.ATTENDANCE),
                place_date=place_date(options.profile, meeting),
                closing=f"Jumlah peserta hadir: {count} orang." if count else "",
            ),
            "title": f"Daftar Hadir {meeting.title}",
        },
        options=options,
    )
