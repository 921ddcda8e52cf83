"""Naskah Kesepakatan RAKORGUB: the paper the Governor and every regent or mayor sign.

It is made from the package a RAKORTEK forwards to its RAKORGUB (issues.rakorgub.services):
the points still in the package, numbered KESATU, KEDUA, ... as signed, and a
signature page with a block for every signatory of the package, two columns a
row. Before the signing is recorded a block names the official; once it is
recorded, who signed, with "yang mewakili" and their position for a stand-in.
The signed scan stays with the package; the documents page links to it.
"""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from issues.models import PackagePoint, PackageSignatory, RakorgubPackage
from issues.rakorgub.services import package_of
from meetings.models import Meeting
from rakortek.core.formatting import hari, tanggal, tanggal_terbilang, urutan
from rakortek.documents.rendering import (
    Output,
    RenderOptions,
    Signature,
    render_pdf,
    signature_block,
)

SIG = PackageSignatory.Status
CLOSING = (
    "Demikian Naskah Kesepakatan ini dibuat dan ditandatangani bersama untuk "
    "dilaksanakan dengan penuh tanggung jawab sesuai dengan kewenangan masing-masing."
)


def has_package(meeting: Meeting) -> bool:
    return RakorgubPackage.objects.filter(meeting=meeting).exists()


def count_points(meeting: Meeting, desk=None) -> int:
    return PackagePoint.objects.filter(package__meeting=meeting, dropped_at__isnull=True).count()


def signed_scan_link(meeting: Meeting) -> tuple[str, str] | None:
    """The signed scan of the package, once uploaded: (label, URL)."""
    package = RakorgubPackage.objects.filter(meeting=meeting).only("pk", "signed_scan").first()
    if package is None or not package.signed_scan:
        return None
    return ("signed_scan", reverse("issues:package_scan", kwargs={"pk": package.pk}))


def party_signature(signatory: PackageSignatory) -> Signature:
    """One signatory's block: the office as label; a stand-in "yang mewakili"."""
    label = signatory.office.upper()
    if signatory.status == SIG.SIGNED:
        if signatory.stood_in:
            return Signature(
                heading=label,
                represents=True,
                position=signatory.signed_by_position,
                name=signatory.signed_by_name,
            )
        return Signature(heading=label, name=signatory.signed_by_name)
    return Signature(heading=label, name=signatory.official_name)


def rakorgub_date(meeting: Meeting) -> date:
    """The RAKORGUB's day, the date the naskah prints; the meeting's own day before
    a package is forwarded."""
    package = RakorgubPackage.objects.select_related("rakorgub").filter(meeting=meeting).first()
    held = package.rakorgub if package is not None else meeting
    return timezone.localtime(held.starts_at).date()


def numbered_points(package: RakorgubPackage) -> list:
    points = list(
        package.points.filter(dropped_at__isnull=True)
        .select_related("desk__field")
        .prefetch_related("regions")
        .order_by("number")
    )
    for number, point in enumerate(points, start=1):
        point.ordinal = urutan(number)
    return points


def render_naskah(meeting: Meeting, desk, options: RenderOptions) -> Output:
    package = package_of(meeting)
    rakorgub = package.rakorgub
    signatories = package.signatories.select_related("region").order_by("order")
    return render_pdf(
        "documents/pdf/naskah_rakorgub.html",
        {
            "meeting": meeting,
            "package": package,
            "rakorgub": rakorgub,
            "points": numbered_points(package),
            "day": hari(rakorgub.starts_at),
            "date_words": tanggal_terbilang(rakorgub.starts_at),
            "date": tanggal(rakorgub.starts_at),
            "signature_block": signature_block(
                [party_signature(signatory) for signatory in signatories],
                closing=CLOSING,
                heading="PARA PIHAK YANG BERSEPAKAT",
                max_columns=2,
            ),
            "title": f"Naskah Kesepakatan {rakorgub.title}",
        },
        options=options,
    )
