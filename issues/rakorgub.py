"""The package of final agreement points that a RAKORTEK forwards to its RAKORGUB.

Forwarding copies the points of the final agreement document into the package
(`PackagePoint`), with their desk, source issues and regions, and makes the
source issues "Diteruskan ke RAKORGUB". From then on the package is the record:
the agreement document can no longer be reopened, and a point changes only
through the functions here, each change with a reason in `PackageChange`.
`content_sha256` is updated with every recorded change, so `package_integrity`
reveals a change made around them (in the database or the admin).
"""

import hashlib
import json
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.agreement import final_agreement_document, meeting_point_groups
from issues.models import (
    Issue,
    IssueEvent,
    PackageChange,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from issues.services import IssueError
from meetings.models import Meeting, Region

C = PackageChange.Kind


class PackageError(IssueError):
    pass


# ---- Reads ----


def rakorgub_of(meeting: Meeting) -> Meeting | None:
    """The RAKORGUB that follows `meeting`, or None when none is recorded yet."""
    return (
        Meeting.objects.filter(kind=Meeting.Kind.RAKORGUB, follows=meeting)
        .order_by("starts_at")
        .first()
    )


def package_of(meeting: Meeting) -> RakorgubPackage | None:
    return (
        RakorgubPackage.objects.select_related("rakorgub", "forwarded_by", "signed_recorded_by")
        .filter(meeting=meeting)
        .first()
    )


def package_points(package: RakorgubPackage):
    """The package's points in number order with desk, field, source issues and regions."""
    return (
        package.points.select_related("desk__field", "desk__chair")
        .prefetch_related(
            Prefetch(
                "source_issues",
                queryset=Issue.objects.select_related("desk__field", "region").order_by("number"),
            ),
            Prefetch("regions", queryset=Region.objects.order_by("kemendagri_code")),
        )
        .order_by("number")
    )


def may_read_package(user, meeting: Meeting) -> bool:
    """Every active account reads a forwarded package of a meeting that is not a draft:
    the points are signed in public. Writes are the secretariat's alone."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_secretariat or meeting.status != Meeting.Status.DRAFT


def package_for(user, meeting: Meeting, *, write=False) -> RakorgubPackage:
    """The meeting's package if `user` may read it (404 otherwise); 403 on a write
    by anyone but the secretariat."""
    if not may_read_package(user, meeting):
        raise Http404
    package = package_of(meeting)
    if package is None:
        raise Http404
    if write and not user.is_secretariat:
        raise PermissionDenied
    return package


# ---- Integrity ----


def _canonical(points) -> bytes:
    rows = []
    for point in points:
        rows.append(
            {
                "number": point.number,
                "field": point.desk.field.slug,
                "text": point.text,
                "responsible": point.responsible,
                "due": point.due,
                "dropped": point.dropped_at is not None,
                "issues": sorted(issue.code for issue in point.source_issues.all()),
                "regions": sorted(region.kemendagri_code for region in point.regions.all()),
            }
        )
    return json.dumps(rows, ensure_ascii=False, sort_keys=True).encode()


def content_hash(package: RakorgubPackage) -> str:
    return hashlib.sha256(_canonical(package_points(package))).hexdigest()


def package_integrity(package: RakorgubPackage) -> bool:
    """Whether the points are what the recorded history says they are."""
    return content_hash(package) == package.content_sha256


def _seal(package: RakorgubPackage):
    package.content_sha256 = content_hash(package)
    package.save(update_fields=["content_sha256"])


def _record(package, actor, kind, *, point=None, reason="", **detail):
    return PackageChange.objects.create(
        package=package, point=point, actor=actor, kind=kind, reason=reason, detail=detail
    )


# ---- Target dates read from "when" ----

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "januari",
            "februari",
            "maret",
            "april",
            "mei",
            "juni",
            "juli",
            "agustus",
            "september",
            "oktober",
            "november",
            "desember",
        ),
        start=1,
    )
}
_QUARTERS = {"i": 3, "ii": 6, "iii": 9, "iv": 12, "1": 3, "2": 6, "3": 9, "4": 12}


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timezone.timedelta(days=1)


def target_from_due(due: str) -> date | None:
    """The last day that `due` allows, when it names one: "Tahun Anggaran 2023" is
    31 December 2023, "Triwulan III 2022" 30 September 2022, "Juli 2023" 31 July 2023,
    "Semester I 2023" 30 June 2023. None when the text names no date."""
    words = due.lower().replace(",", " ").replace(".", " ").split()
    years = [int(w) for w in words if w.isdigit() and len(w) == 4 and 2000 <= int(w) <= 2100]
    if not years:
        return None
    year = years[-1]
    for i, word in enumerate(words[:-1]):
        following = words[i + 1]
        if word in ("triwulan", "tw", "kuartal") and following in _QUARTERS:
            return _month_end(year, _QUARTERS[following])
        if word == "semester" and following in ("i", "1", "ii", "2"):
            return _month_end(year, 6 if following in ("i", "1") else 12)
    for word in words:
        if word in _MONTHS:
            return _month_end(year, _MONTHS[word])
    return date(year, 12, 31)


# ---- Forwarding ----


def signatory_offices() -> list[tuple[Region, str]]:
    """Who signs at RAKORGUB: the Governor, then each regent and mayor in code order."""
    offices = []
    for region in Region.objects.order_by("kemendagri_code"):
        if region.kind == Region.Kind.PROVINCE:
            offices.insert(0, (region, f"Gubernur {region.name.removeprefix('Provinsi ')}"))
        elif region.kind == Region.Kind.CITY:
            offices.append((region, f"Wali Kota {region.name.removeprefix('Kota ')}"))
        else:
            offices.append((region, f"Bupati {region.name.removeprefix('Kabupaten ')}"))
    return offices


def forward_blocker(meeting: Meeting) -> str:
    """Why the meeting's points cannot be forwarded now, or ""."""
    if meeting.kind != Meeting.Kind.RAKORTEK:
        return str(_("Only a RAKORTEK forwards agreement points."))
    if RakorgubPackage.objects.filter(meeting=meeting).exists():
        return str(_("The agreement points are already forwarded."))
    if rakorgub_of(meeting) is None:
        return str(_("Record the RAKORGUB that follows this meeting first."))
    if final_agreement_document(meeting) is None:
        return str(_("Finalise the agreement document (butir kesepakatan) first."))
    return ""


@transaction.atomic
def package_forward(*, actor, meeting: Meeting, note: str = "") -> RakorgubPackage:
    """Forward the final agreement points of `meeting` to its RAKORGUB, frozen.

    Each source issue becomes Diteruskan ke RAKORGUB. The signatories (the
    Governor and each regent or mayor) are listed, not yet recorded.
    """
    if not actor.is_secretariat:
        raise PermissionDenied
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    blocker = forward_blocker(meeting)
    if blocker:
        raise PackageError(blocker)
    document = final_agreement_document(meeting)
    groups = meeting_point_groups(meeting)
    if not any(group.points for group in groups):
        raise PackageError(_("The agreement document has no points to forward."))
    package = RakorgubPackage.objects.create(
        meeting=meeting,
        rakorgub=rakorgub_of(meeting),
        document_number=document.number,
        document_sha256=document.sha256,
        note=(note or "").strip(),
        forwarded_by=actor,
        forwarded_at=timezone.now(),
    )
    source_ids = set()
    for group in groups:
        for point in group.points:
            frozen = PackagePoint.objects.create(
                package=package,
                point=point,
                desk=group.desk,
                number=point.number,
                text=point.text,
                responsible=point.responsible,
                due=point.due,
                target_date=target_from_due(point.due),
            )
            issues = list(point.source_issues.all())
            frozen.source_issues.set(issues)
            frozen.regions.set(point.regions.all())
            source_ids.update(issue.pk for issue in issues)
    for order, (region, office) in enumerate(signatory_offices(), start=1):
        PackageSignatory.objects.create(package=package, region=region, order=order, office=office)
    reason = f"Diteruskan ke {package.rakorgub.title}"
    for issue in Issue.objects.select_for_update().filter(pk__in=source_ids):
        if issue.status == Issue.Status.FORWARDED:
            continue
        from_status = issue.status
        issue.status = Issue.Status.FORWARDED
        issue.save(update_fields=["status", "updated_at"])
        IssueEvent.objects.create(
            issue=issue,
            actor=actor,
            kind=IssueEvent.Kind.STATUS,
            from_status=from_status,
            to_status=Issue.Status.FORWARDED,
            reason=reason,
        )
    _seal(package)
    _record(
        package,
        actor,
        C.FORWARDED,
        document=document.number,
        points=package.points.count(),
        sha256=package.content_sha256,
    )
    return package
