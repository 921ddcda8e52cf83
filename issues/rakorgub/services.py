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
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from issues.agreement.services import final_agreement_document, meeting_point_groups
from issues.board.selectors import HIDDEN_STATUSES
from issues.models import (
    FollowUpUpdate,
    Issue,
    PackageChange,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
)
from issues.services import IssueError
from issues.services import _set_status as set_issue_status
from issues.submission.attachments import CheckedFile, check_upload
from meetings.models import Meeting, Region
from rakortek.core import access

C = PackageChange.Kind
SIG = PackageSignatory.Status
# A signed scan of many pages at a readable resolution is larger than an attachment.
MAX_SCAN_SIZE = 25 * 1024 * 1024
AMENDABLE = ("text", "responsible", "due")


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
    the points are signed in public (rule "package" of rakortek.core.access)."""
    return access.may(user, "package", meeting=meeting)


def package_for(user, meeting: Meeting, *, write=False) -> RakorgubPackage:
    """The meeting's package if `user` may read it (404 otherwise); 403 on a write
    by anyone but the secretariat."""
    if not may_read_package(user, meeting):
        raise Http404
    package = package_of(meeting)
    if package is None:
        raise Http404
    if write and not access.may(user, "package", write=True, meeting=meeting):
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
    return date(year, month + 1, 1) - timedelta(days=1)


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
    for region in Region.objects.in_province().order_by("kemendagri_code"):
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
    # A source withdrawn or merged since keeps that status (the point still names it).
    sources = (
        Issue.objects.select_for_update()
        .filter(pk__in=source_ids)
        .exclude(status__in=(Issue.Status.FORWARDED, *HIDDEN_STATUSES))
    )
    for issue in sources:
        set_issue_status(issue, actor, Issue.Status.FORWARDED, reason=reason)
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


# ---- After forwarding: every write by the secretariat, with the package row locked ----


def _check_secretariat(actor):
    if not actor.is_authenticated or not actor.is_active or not actor.is_secretariat:
        raise PermissionDenied


def _locked(package_id) -> RakorgubPackage:
    """The package row, locked until the transaction ends, so two writes never interleave."""
    return (
        RakorgubPackage.objects.select_for_update(of=("self",))
        .select_related("rakorgub", "meeting")
        .get(pk=package_id)
    )


def _require_reason(reason) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise PackageError(_("Write the reason for this change: it is shown in the history."))
    return reason


def _refuse_when_signed(package, message=None):
    if package.is_signed:
        raise PackageError(
            message or _("The package is signed. Reopen the signing record first, with a reason.")
        )


def _locked_point(package, point) -> PackagePoint:
    return PackagePoint.objects.select_for_update().get(pk=point.pk, package=package)


@transaction.atomic
def point_amend(*, actor, point: PackagePoint, data: dict, reason: str) -> PackagePoint:
    """Change the text, the responsible party or "when" of a forwarded point.

    Allowed after signing too (a correction of the record, always with a reason);
    a changed "when" also sets the target date it names.
    """
    _check_secretariat(actor)
    reason = _require_reason(reason)
    package = _locked(point.package_id)
    point = _locked_point(package, point)
    before, after = {}, {}
    for name in AMENDABLE:
        if name not in data:
            continue
        value = (data[name] or "").strip()
        if value != getattr(point, name):
            before[name], after[name] = getattr(point, name), value
            setattr(point, name, value)
    if not after:
        raise PackageError(_("Nothing was changed."))
    point.full_clean(exclude=["package", "point", "desk"], validate_constraints=False)
    fields = list(after)
    if "due" in after:
        target = target_from_due(point.due)
        if target != point.target_date:
            before["target_date"] = point.target_date.isoformat() if point.target_date else None
            after["target_date"] = target.isoformat() if target else None
            point.target_date = target
            fields.append("target_date")
    point.save(update_fields=fields)
    _record(
        package,
        actor,
        C.AMENDED,
        point=point,
        reason=reason,
        number=point.number,
        before=before,
        after=after,
    )
    _seal(package)
    return point


@transaction.atomic
def point_drop(*, actor, point: PackagePoint, reason: str) -> PackagePoint:
    """Mark a point the RAKORGUB did not sign: kept in the package, struck through,
    not followed up. Only before the package is signed."""
    _check_secretariat(actor)
    reason = _require_reason(reason)
    package = _locked(point.package_id)
    _refuse_when_signed(package)
    point = _locked_point(package, point)
    if point.is_dropped:
        raise PackageError(_("This point is already dropped."))
    point.dropped_at = timezone.now()
    point.save(update_fields=["dropped_at"])
    _record(package, actor, C.DROPPED, point=point, reason=reason, number=point.number)
    _seal(package)
    return point


@transaction.atomic
def point_restore(*, actor, point: PackagePoint, reason: str) -> PackagePoint:
    """Undo `point_drop`; only before the package is signed."""
    _check_secretariat(actor)
    reason = _require_reason(reason)
    package = _locked(point.package_id)
    _refuse_when_signed(package)
    point = _locked_point(package, point)
    if not point.is_dropped:
        raise PackageError(_("This point is not dropped."))
    point.dropped_at = None
    point.save(update_fields=["dropped_at"])
    _record(package, actor, C.RESTORED, point=point, reason=reason, number=point.number)
    _seal(package)
    return point


_SIGNATORY_FIELDS = ("official_name", "status", "signed_by_name", "signed_by_position", "stood_in")


def _signatory_state(signatory) -> dict:
    return {name: getattr(signatory, name) for name in _SIGNATORY_FIELDS}


@transaction.atomic
def signatory_record(
    *,
    actor,
    signatory: PackageSignatory,
    status: str,
    signed_by_name: str = "",
    signed_by_position: str = "",
    stood_in: bool = False,
    official_name: str | None = None,
) -> PackageSignatory:
    """Record whether an office signed the package, and who signed for it.

    Signed needs the name of who signed; a stand-in (someone other than the
    official) also needs their position. Not signed (or not yet recorded)
    clears who signed.
    """
    _check_secretariat(actor)
    package = _locked(signatory.package_id)
    _refuse_when_signed(package)
    signatory = PackageSignatory.objects.select_for_update().get(pk=signatory.pk, package=package)
    if status not in SIG.values:
        raise ValidationError({"status": _("Choose a status.")})
    name = (signed_by_name or "").strip()
    position = (signed_by_position or "").strip()
    stood_in = bool(stood_in)
    errors = {}
    if status == SIG.SIGNED:
        if not name:
            errors["signed_by_name"] = _("Write the name of who signed.")
        if stood_in and not position:
            errors["signed_by_position"] = _("Write the position of who stood in for the official.")
    else:
        name, position, stood_in = "", "", False
    if errors:
        raise ValidationError(errors)
    before = _signatory_state(signatory)
    if official_name is not None:
        signatory.official_name = official_name.strip()
    signatory.status = status
    signatory.signed_by_name = name
    signatory.signed_by_position = position
    signatory.stood_in = stood_in
    after = _signatory_state(signatory)
    if after == before:
        raise PackageError(_("Nothing was changed."))
    signatory.full_clean(exclude=["package", "region", "recorded_by"], validate_constraints=False)
    signatory.recorded_by = actor
    signatory.recorded_at = timezone.now()
    signatory.save()
    changed = [name for name in _SIGNATORY_FIELDS if before[name] != after[name]]
    _record(
        package,
        actor,
        C.SIGNATORY,
        office=signatory.office,
        before={name: before[name] for name in changed},
        after={name: after[name] for name in changed},
    )
    return signatory


def check_scan(uploaded_file) -> CheckedFile:
    """A signed scan is checked like an attachment (PDF or photo), up to MAX_SCAN_SIZE."""
    return check_upload(uploaded_file, max_size=MAX_SCAN_SIZE)


def package_scan_upload(*, actor, package: RakorgubPackage, uploaded_file) -> RakorgubPackage:
    """Store the signed scan under a random name; a replaced scan's file goes only
    once the new one is saved and the change committed."""
    _check_secretariat(actor)
    checked = uploaded_file if isinstance(uploaded_file, CheckedFile) else check_scan(uploaded_file)
    new_name = ""
    try:
        with transaction.atomic():
            package = _locked(package.pk)
            _refuse_when_signed(package)
            old_name, old_display = package.signed_scan.name, package.signed_scan_name
            package.signed_scan.save(checked.random_name(), ContentFile(checked.data), save=False)
            new_name = package.signed_scan.name
            package.signed_scan_name = checked.display_name
            package.signed_scan_sha256 = checked.sha256
            package.save(update_fields=["signed_scan", "signed_scan_name", "signed_scan_sha256"])
            _record(
                package,
                actor,
                C.SCAN,
                name=checked.display_name,
                size=checked.size,
                sha256=checked.sha256,
                replaced=old_display if old_name else "",
            )
            if old_name:
                transaction.on_commit(lambda: default_storage.delete(old_name))
    except BaseException:
        if new_name:
            default_storage.delete(new_name)
        raise
    return package


def governor_of(package) -> PackageSignatory | None:
    return (
        package.signatories.select_related("region")
        .filter(region__kind=Region.Kind.PROVINCE)
        .first()
    )


@transaction.atomic
def package_sign(*, actor, package: RakorgubPackage, signed_on: date) -> RakorgubPackage:
    """Record the package as signed (Ditandatangani); its follow-up opens."""
    _check_secretariat(actor)
    package = _locked(package.pk)
    if package.is_signed:
        raise PackageError(_("The package is already signed."))
    if signed_on is None:
        raise ValidationError({"signed_on": _("Enter the date of signing.")})
    held_on = package.held_on
    if signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("The date of signing cannot be in the future.")})
    if signed_on < held_on:
        raise ValidationError(
            {
                "signed_on": _("The date of signing cannot be before the RAKORGUB (%(date)s).")
                % {"date": date_format(held_on, "j F Y")}
            }
        )
    if not package.signed_scan:
        raise PackageError(_("Upload the signed scan first."))
    governor = governor_of(package)
    if governor is None or governor.status != SIG.SIGNED:
        raise PackageError(_("Record the Governor's signature first (in person or by a stand-in)."))
    pending = list(
        package.signatories.filter(status=SIG.PENDING)
        .order_by("order")
        .values_list("office", flat=True)
    )
    if pending:
        raise PackageError(
            _("Record every signatory first (signed or did not sign): %(offices)s.")
            % {"offices": ", ".join(pending)}
        )
    package.status = RakorgubPackage.Status.SIGNED
    package.signed_on = signed_on
    package.signed_recorded_by = actor
    package.signed_recorded_at = timezone.now()
    package.save(update_fields=["status", "signed_on", "signed_recorded_by", "signed_recorded_at"])
    _record(
        package,
        actor,
        C.SIGNED,
        signed_on=signed_on.isoformat(),
        signed=package.signatories.filter(status=SIG.SIGNED).count(),
        scan_sha256=package.signed_scan_sha256,
    )
    return package


def has_followup(package) -> bool:
    return FollowUpUpdate.objects.filter(point__package=package).exists()


@transaction.atomic
def package_signing_reopen(*, actor, package: RakorgubPackage, reason: str) -> RakorgubPackage:
    """Back to Diteruskan to correct the signing record, while no follow-up is reported."""
    _check_secretariat(actor)
    reason = _require_reason(reason)
    package = _locked(package.pk)
    if not package.is_signed:
        raise PackageError(_("The package is not signed."))
    if has_followup(package):
        raise PackageError(
            _(
                "Follow-up has been reported on the points of this package: "
                "the signing record can no longer be reopened."
            )
        )
    signed_on = package.signed_on
    package.status = RakorgubPackage.Status.FORWARDED
    package.signed_recorded_by = None
    package.signed_recorded_at = None
    package.save(update_fields=["status", "signed_recorded_by", "signed_recorded_at"])
    _record(
        package,
        actor,
        C.REOPENED,
        reason=reason,
        signed_on=signed_on.isoformat() if signed_on else None,
    )
    return package


def package_history(package):
    """The recorded changes, newest first."""
    return package.changes.select_related("actor", "point").order_by("-created_at", "-id")
