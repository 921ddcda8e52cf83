"""The demo's RAKORGUB 2022: a signed package and a year of follow-up, seeded once."""

from datetime import date

import pytest
from django.core.management import call_command

from issues.models import (
    FollowUpEvidence,
    FollowUpUpdate,
    PackageChange,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from issues.rakorgub.services import package_integrity
from meetings.models import Meeting
from rakortek.documents.models import FinalDocument

pytestmark = pytest.mark.django_db


def _counts():
    return (
        RakorgubPackage.objects.count(),
        PackageSignatory.objects.count(),
        PackageChange.objects.count(),
        FollowUpUpdate.objects.count(),
        FollowUpEvidence.objects.count(),
        FinalDocument.objects.count(),
    )


def test_seed_demo_signs_the_package_and_reports_follow_up_once(settings, media):
    settings.DEBUG = True
    call_command("seed_demo")
    meeting = Meeting.objects.get(slug="rakortek-2022")
    package = RakorgubPackage.objects.get(meeting=meeting)
    assert package.rakorgub.slug == "rakorgub-2022"
    assert package.is_signed and package.signed_on == date(2022, 7, 28)
    assert package.signed_scan and package.signed_scan_sha256
    assert package.signed_scan.read().startswith(b"%PDF")
    assert package_integrity(package)
    # The agreement document was finalised for real before forwarding.
    document = FinalDocument.objects.get(meeting=meeting, kind=FinalDocument.Kind.AGREEMENT)
    assert document.number == package.document_number and document.pages
    # Numbered in the year of the meeting it belongs to, whatever year it is finalised in.
    assert document.number.endswith("/2022")

    signatories = list(package.signatories.order_by("order"))
    assert len(signatories) == 8
    assert all(s.status == PackageSignatory.Status.SIGNED and s.signed_by_name for s in signatories)
    stand_ins = [s for s in signatories if s.stood_in]
    assert 1 <= len(stand_ins) <= 2
    assert all(s.signed_by_position and s.official_name for s in stand_ins)

    points = {p.number: p for p in package.points.all()}
    statuses = {p.status for p in points.values()}
    assert statuses == set(PackagePoint.Status.values)
    assert any(
        p.status == PackagePoint.Status.IN_PROGRESS and 0 < p.progress < 100
        for p in points.values()
    )
    blocked = [p for p in points.values() if p.status == PackagePoint.Status.BLOCKED]
    assert len(blocked) == 1 and "lahan" in blocked[0].updates.first().note
    assert any(p.is_overdue() for p in points.values())

    updates = FollowUpUpdate.objects.filter(point__package=package)
    assert updates.count() >= 8
    days = sorted(updates.values_list("reported_on", flat=True))
    assert days[0] >= date(2022, 7, 28) and days[0].year == 2022 and days[-1].year == 2023
    authors = set(updates.values_list("author__role", flat=True))
    assert authors == {"delegasi", "kabid", "sekretariat"}
    # Every point marked done has evidence: photos (with thumbnails) and PDFs.
    evidence = FollowUpEvidence.objects.filter(update__point__package=package)
    assert evidence.filter(kind="foto").exists() and evidence.filter(kind="dokumen").exists()
    assert all(e.thumbnail for e in evidence.filter(kind="foto"))
    for point in points.values():
        if point.status == PackagePoint.Status.DONE:
            assert evidence.filter(update__point=point).exists()

    before = _counts()
    call_command("seed_demo")
    assert _counts() == before
