"""The follow-up (tindak lanjut) of the points signed at RAKORGUB.

Each signed point has a target date, a status and a progress in percent, set by
dated updates that say what was done and may carry evidence (photos or
documents, checked like an issue's attachments). Who may report:

- the secretariat, on every point;
- a desk head, on the points of a field they chair a desk of;
- a delegate, on the points their region is responsible for.

The rules of a report: Belum Dimulai is 0 %, Selesai is 100 % and needs
evidence (in this report or an earlier one), any other status is below 100 %;
the date of the situation is neither in the future nor before the RAKORGUB; a
point marked Selesai is reopened by the secretariat only.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models import (
    FollowUpEvidence,
    FollowUpUpdate,
    PackageChange,
    PackagePoint,
    RakorgubPackage,
)
from issues.rakorgub.services import PackageError, _record
from issues.rakorgub.services import _locked as _locked_package
from issues.submission.attachments import check_upload, store_checked
from meetings.models import Desk
from rakortek.core import access

S = PackagePoint.Status
MAX_EVIDENCE_PER_UPDATE = 5


class FollowUpError(PackageError):
    pass


# ---- Who may do what ----


def followed_points():
    """Points that are followed up: signed packages, not dropped."""
    return PackagePoint.objects.filter(
        package__status=RakorgubPackage.Status.SIGNED, dropped_at__isnull=True
    )


def _is_followed(user, point: PackagePoint) -> bool:
    """An active account, and a point of a signed package that is not dropped."""
    return (
        user.is_authenticated
        and user.is_active
        and not point.is_dropped
        and point.package.status == RakorgubPackage.Status.SIGNED
    )


def _chairs_its_field(user, point: PackagePoint) -> bool:
    """A desk head reports on the points of the field they chair a desk of (the
    points outlive the meeting whose desk proposed them)."""
    return (
        user.is_desk_head and Desk.objects.filter(chair=user, field_id=point.desk.field_id).exists()
    )


def _may(user, thing, point: PackagePoint) -> bool:
    if not _is_followed(user, point):
        return False
    region_ids = ()
    if user.is_delegate and user.region_id:
        region_ids = set(point.regions.filter(pk=user.region_id).values_list("pk", flat=True))
    return access.may(
        user,
        thing,
        write=True,
        chairs_it=_chairs_its_field(user, point),
        region_ids=region_ids,
    )


def may_update(user, point: PackagePoint) -> bool:
    """Report on a followed point (rule "followup" of rakortek.core.access)."""
    return _may(user, "followup", point)


def point_for(user, pk, *, write=False) -> PackagePoint:
    """A point of a forwarded package that `user` may read (every active account may:
    signed points are public); 403 on a write they may not make."""
    if access.role_of(user) is None:
        raise Http404
    try:
        point = PackagePoint.objects.select_related(
            "package__meeting", "package__rakorgub", "desk__field"
        ).get(pk=pk)
    except (PackagePoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not access.may(user, "followup", meeting=point.package.meeting):
        raise Http404
    if write and not may_update(user, point):
        raise PermissionDenied
    return point


# ---- Reporting progress ----


def check_rules(
    *, point: PackagePoint, status: str, progress: int, reported_on: date, has_evidence: bool, actor
) -> None:
    """Raise ValidationError (by field) when a report breaks the rules above."""
    errors = {}
    if status not in S.values:
        errors["status"] = _("Choose a status.")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors["progress"] = _("Progress is a whole number from 0 to 100.")
    elif status == S.NOT_STARTED and progress != 0:
        errors["progress"] = _("A point that has not started is at 0 %.")
    elif status == S.DONE and progress != 100:
        errors["progress"] = _("A point that is done is at 100 %.")
    elif status in (S.IN_PROGRESS, S.BLOCKED) and progress == 100:
        errors["status"] = _("At 100 % the point is done: choose Selesai.")
    if status == S.DONE and not has_evidence:
        errors.setdefault(
            "evidence",
            _("Attach a photo or document that shows the point is done."),
        )
    if point.status == S.DONE and status != S.DONE and not actor.is_secretariat:
        errors.setdefault("status", _("This point is done; only the secretariat can reopen it."))
    today = timezone.localdate()
    if reported_on > today:
        errors["reported_on"] = _("The date cannot be in the future.")
    elif reported_on < point.package.held_on:
        errors["reported_on"] = _("The date cannot be before the RAKORGUB.")
    if errors:
        raise ValidationError(errors)


def _has_earlier_evidence(point) -> bool:
    return FollowUpEvidence.objects.filter(update__point=point).exists()


def _store_evidence(update, checked, caption=""):
    evidence = FollowUpEvidence(update=update)
    try:
        store_checked(evidence, checked, caption)
        evidence.save()
    except BaseException:
        for stored in (evidence.file, evidence.thumbnail):
            if stored:
                stored.delete(save=False)
        raise
    return evidence


@transaction.atomic
def followup_record(
    *,
    actor,
    point: PackagePoint,
    status: str,
    progress: int,
    reported_on: date,
    note: str,
    files=(),
    caption: str = "",
    version: int | None = None,
) -> FollowUpUpdate:
    """Record a dated report on `point` and make it the point's current state.

    `files` are uploaded files or CheckedFiles; all are stored or none. When
    `version` is given and the point changed since it was read, the report is
    refused so that nobody overwrites a report they have not seen.
    """
    # The package first, as package_signing_reopen does: a first report and a reopening
    # of the signing record cannot cross.
    _locked_package(point.package_id)
    point = (
        PackagePoint.objects.select_for_update()
        .select_related("package__rakorgub", "desk__field")
        .get(pk=point.pk)
    )
    if not may_update(actor, point):
        raise PermissionDenied
    if version is not None and version != point.version:
        raise FollowUpError(
            _("Someone reported on this point in the meantime. Read their report and try again.")
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write what was done, or what stands in the way.")})
    files = list(files)
    if len(files) > MAX_EVIDENCE_PER_UPDATE:
        raise ValidationError(
            {
                "evidence": _("At most %(limit)s files per report.")
                % {"limit": MAX_EVIDENCE_PER_UPDATE}
            }
        )
    checked = [f if hasattr(f, "is_photo") else check_upload(f) for f in files]
    check_rules(
        point=point,
        status=status,
        progress=progress,
        reported_on=reported_on,
        has_evidence=bool(checked) or _has_earlier_evidence(point),
        actor=actor,
    )
    update = FollowUpUpdate.objects.create(
        point=point,
        reported_on=reported_on,
        status=status,
        progress=progress,
        from_status=point.status,
        from_progress=point.progress,
        note=note,
        author=actor,
    )
    stored = []
    try:
        for item in checked:
            stored.append(_store_evidence(update, item, caption))
    except BaseException:
        for evidence in stored:
            evidence.file.delete(save=False)
            if evidence.thumbnail:
                evidence.thumbnail.delete(save=False)
        raise
    # The latest situation wins; a report about an earlier date is history only.
    latest = point.updates.order_by("-reported_on", "-created_at", "-id").first()
    point.status, point.progress, point.reported_on = (
        latest.status,
        latest.progress,
        latest.reported_on,
    )
    point.version += 1
    point.save(update_fields=["status", "progress", "reported_on", "version"])
    return update


# ---- The overview ----


@dataclass
class Tally:
    """Counts of one field or region: points by status, and how many are overdue."""

    label: str
    key: str
    counts: dict = dataclass_field(default_factory=lambda: {status: 0 for status in S.values})
    overdue: int = 0

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def done(self):
        return self.counts[S.DONE]

    @property
    def percent_done(self):
        return round(100 * self.done / self.total) if self.total else 0

    def by_status(self):
        """[(status value, label, count)] in the order of the statuses."""
        return [(value, label, self.counts[value]) for value, label in S.choices]

    def add(self, point, overdue):
        self.counts[point.status] += 1
        self.overdue += bool(overdue)


@dataclass
class Overview:
    """The follow-up of one package: every point (with `overdue` set), and tallies."""

    package: RakorgubPackage
    points: list
    total: Tally
    by_field: list
    by_region: list
    today: date


def signed_packages():
    return RakorgubPackage.objects.filter(status=RakorgubPackage.Status.SIGNED).select_related(
        "meeting", "rakorgub"
    )


def overview(package: RakorgubPackage, *, today: date | None = None) -> Overview:
    """The points of `package` that are followed up, each with `overdue`, and the counts
    by status for the whole package, each field (in the desks' order) and each region
    responsible (in code order; a point of two regions counts for both). Four queries."""
    from issues.rakorgub.services import package_points

    today = today or timezone.localdate()
    points = [p for p in package_points(package) if not p.is_dropped]
    total = Tally(label=str(_("All points")), key="")
    fields, regions = {}, {}
    for point in points:
        point.overdue = point.is_overdue(today)
        total.add(point, point.overdue)
        field = point.desk.field
        fields.setdefault(field.pk, Tally(label=field.name, key=field.slug)).add(
            point, point.overdue
        )
        for region in point.regions.all():
            regions.setdefault(
                region.kemendagri_code, Tally(label=region.name, key=region.slug)
            ).add(point, point.overdue)
    return Overview(
        package=package,
        points=points,
        total=total,
        by_field=list(fields.values()),
        by_region=[regions[code] for code in sorted(regions)],
        today=today,
    )


# ---- Target dates ----


def may_set_target(user, point: PackagePoint) -> bool:
    """The secretariat, or a desk head of the point's field, on a point that is followed up."""
    return _may(user, "followup.target", point)


@transaction.atomic
def followup_set_target(*, actor, point: PackagePoint, target_date: date, reason: str = ""):
    """Set the date the point's follow-up is measured against.

    Changing a date already set needs a reason; every change is recorded as a
    PackageChange (PLAN) with the dates before and after.
    """
    point = (
        PackagePoint.objects.select_for_update()
        .select_related("package__rakorgub", "desk__field")
        .get(pk=point.pk)
    )
    if not may_set_target(actor, point):
        raise PermissionDenied
    reason = (reason or "").strip()
    if target_date is None:
        raise ValidationError({"target_date": _("Choose a target date.")})
    if target_date < point.package.held_on:
        raise ValidationError({"target_date": _("The target date cannot be before the RAKORGUB.")})
    if target_date == point.target_date:
        raise ValidationError({"target_date": _("That is already the target date.")})
    if point.target_date is not None and not reason:
        raise ValidationError(
            {"reason": _("Say why the target date changes: it was agreed at RAKORGUB.")}
        )
    before = point.target_date
    point.target_date = target_date
    point.save(update_fields=["target_date"])
    return _record(
        point.package,
        actor,
        PackageChange.Kind.PLAN,
        point=point,
        reason=reason,
        before={"target_date": before.isoformat() if before else None},
        after={"target_date": target_date.isoformat()},
    )


# ---- Selectors ----


def updatable_q(user) -> Q | None:
    """A filter on PackagePoint for the points `user` may report on by their role
    (see may_update), or None when they may report on none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_secretariat:
        return Q()
    if user.is_desk_head:
        return Q(desk__field_id__in=Desk.objects.filter(chair=user).values("field_id"))
    if user.is_delegate and user.region_id:
        return Q(regions=user.region_id)
    return None


def points_user_may_update(user, points=None):
    """The followed points (or those of `points`) that `user` may report on."""
    points = followed_points() if points is None else points
    condition = updatable_q(user)
    if condition is None:
        return points.none()
    return points.filter(condition).distinct()


def _counts(points, today):
    active = ~Q(status=S.DONE)
    row = points.aggregate(
        total=Count("pk", distinct=True),
        done=Count("pk", distinct=True, filter=Q(status=S.DONE)),
        overdue=Count("pk", distinct=True, filter=active & Q(target_date__lt=today)),
        not_reported=Count("pk", distinct=True, filter=active & Q(reported_on__isnull=True)),
    )
    return row


def home_summary(user, *, today: date | None = None) -> dict | None:
    """What a home page says about the follow-up (two queries at most), or None.

    Delegates and desk heads: the points they report on, across the signed packages.
    Secretariat and observers: the points of the latest signed package.
    """
    today = today or timezone.localdate()
    if user.is_secretariat or not (user.is_delegate or user.is_desk_head):
        package = signed_packages().order_by("-rakorgub__starts_at", "-pk").first()
        if package is None:
            return None
        counts = _counts(followed_points().filter(package=package), today)
        return {"mine": False, "package": package, **counts}
    counts = _counts(points_user_may_update(user), today)
    if not counts["total"]:
        return None
    return {"mine": True, "package": None, **counts}


# ---- Reminders ----

# A point not reported on for this many days is due a report.
REMINDER_STALE_DAYS = 30


@dataclass
class Reminder:
    """The points one person reports on that are overdue or due a report."""

    user: object
    points: list


def points_due_a_report(points, *, today: date, stale_days: int = REMINDER_STALE_DAYS):
    """Of `points`, those not done that are past their target date, never reported on,
    or last reported on more than `stale_days` ago."""
    stale = today - timedelta(days=stale_days)
    return points.exclude(status=S.DONE).filter(
        Q(target_date__lt=today) | Q(reported_on__isnull=True) | Q(reported_on__lt=stale)
    )


def reminders(*, today: date | None = None, stale_days: int = REMINDER_STALE_DAYS):
    """One reminder for each active delegate and desk head with an e-mail address who
    reports on points of a signed package that are overdue or due a report. The
    secretariat reads the overview instead."""
    from rakortek.accounts.models import Role, User

    today = today or timezone.localdate()
    due = points_due_a_report(followed_points(), today=today, stale_days=stale_days)
    people = (
        User.objects.filter(is_active=True, role__in=(Role.DELEGATE, Role.DESK_HEAD))
        .exclude(email="")
        .order_by("role", "region__kemendagri_code", "full_name", "pk")
    )
    result = []
    for user in people:
        points = list(
            points_user_may_update(user, due)
            .select_related("package__meeting", "desk__field")
            .order_by("package__rakorgub__starts_at", "number")
        )
        if points:
            for point in points:
                point.overdue = point.is_overdue(today)
            result.append(Reminder(user=user, points=points))
    return result


def send_reminders(*, today: date | None = None, stale_days: int = REMINDER_STALE_DAYS) -> int:
    """E-mail every reminder (see `reminders`); returns how many were sent."""
    from issues.emails import send_followup_reminder

    sent = 0
    for reminder in reminders(today=today, stale_days=stale_days):
        send_followup_reminder(user=reminder.user, points=reminder.points)
        sent += 1
    return sent
