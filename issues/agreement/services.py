"""Agreement points (butir kesepakatan): who may open a desk's points, what they read,
and every change to them.

A desk's points are numbered 1..n within the desk with no gaps; the document
numbers them across the meeting, grouped by field in the desks' order. Points
are editable by the secretariat and the desk's chair until the meeting's
agreement document is final; a final document that the secretariat reopens
(with a reason) makes them editable again until the next final version.

When that document is finalised, the documents layer calls
`agreement_points_agree`: the source issues become Disepakati.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F, Max, Prefetch
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from issues.board.selectors import HIDDEN_STATUSES
from issues.models import (
    AgreementOptions,
    AgreementPoint,
    AgreementPointEvent,
    Issue,
    IssueEvent,
)
from issues.services import IssueError
from meetings.models import Desk, Meeting, Region
from meetings.selectors import desk_for, province, provincial_office
from rakortek.core import access
from rakortek.core.document_kinds import DocumentKind
from rakortek.core.formatting import rupiah

AGREEMENT_DOCUMENT = DocumentKind.AGREEMENT

E = AgreementPointEvent.Kind


class PointsLocked(IssueError):
    pass


# ---- Who may open what ----


def desk_for_points(user, desk_id, *, write=False) -> Desk:
    """The desk `desk_id` if `user` may open its agreement points (rule "points" of
    rakortek.core.access). Delegates read the final document on the documents page."""
    return desk_for(user, desk_id, "points", write=write)


def may_write_points(user, desk) -> bool:
    return access.may(user, "points", write=True, meeting=desk.meeting, desk=desk)


def desk_point(desk, pk) -> AgreementPoint:
    try:
        return AgreementPoint.objects.select_related("desk__field", "meeting").get(desk=desk, pk=pk)
    except (AgreementPoint.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# ---- Reads ----


# How to find the current final agreement document of a meeting. The documents
# layer, which stores final documents and sits above this one, registers it when the
# app starts (rakortek.documents.apps); this module never imports it.
_final_agreement_lookup = None


def register_final_agreement_lookup(lookup) -> None:
    """`lookup(meeting)` returns the meeting's current final agreement document that is
    not reopened, or None."""
    global _final_agreement_lookup
    _final_agreement_lookup = lookup


def final_agreement_document(meeting):
    """The current final agreement document of `meeting` that is not reopened, or None.

    Whether that document is final is the one fact that decides whether the points
    may still change."""
    if _final_agreement_lookup is None:
        raise RuntimeError("rakortek.documents has not registered its agreement lookup")
    return _final_agreement_lookup(meeting)


def points_are_locked(meeting) -> bool:
    return final_agreement_document(meeting) is not None


def _points(queryset):
    return queryset.select_related("desk__field").prefetch_related(
        Prefetch(
            "source_issues",
            queryset=Issue.objects.select_related("desk__field", "region").order_by(
                F("rank").asc(nulls_last=True), "number"
            ),
        ),
        Prefetch("regions", queryset=Region.objects.order_by("kemendagri_code")),
    )


def desk_points(desk) -> list[AgreementPoint]:
    """The desk's points in order, source issues and regions prefetched (three queries)."""
    return list(_points(AgreementPoint.objects.filter(desk=desk)).order_by("order"))


@dataclass
class PointGroup:
    """The points of one desk as the document prints them."""

    desk: Desk
    points: list

    @property
    def count(self):
        return len(self.points)


def meeting_point_groups(meeting, *, with_empty=False) -> list[PointGroup]:
    """The meeting's points grouped by field in the desks' order, numbered 1..N across
    the meeting (`point.number`, and `point.ordinal` KESATU...). Four queries."""
    from rakortek.core.formatting import urutan

    desks = list(meeting.desks.select_related("field", "chair"))
    by_desk = {desk.pk: [] for desk in desks}
    for point in _points(AgreementPoint.objects.filter(meeting=meeting)).order_by("order"):
        by_desk.setdefault(point.desk_id, []).append(point)
    groups, number = [], 0
    for desk in desks:
        points = by_desk.get(desk.pk, [])
        for point in points:
            number += 1
            point.number = number
            point.ordinal = urutan(number)
        if points or with_empty:
            groups.append(PointGroup(desk=desk, points=points))
    return groups


def first_number_of(desk) -> int:
    """The document number of the desk's first point: after every point of earlier desks."""
    key = (desk.field.order, desk.field.name)
    earlier = [
        d.pk
        for d in desk.meeting.desks.select_related("field")
        if (d.field.order, d.field.name) < key
    ]
    return AgreementPoint.objects.filter(desk_id__in=earlier).count() + 1


def draftable_issues(desk):
    """The desk's Prioritas issues in rank order that no point comes from yet."""
    return (
        Issue.objects.filter(
            desk=desk,
            decision=Issue.Decision.PRIORITY,
            submitted_at__isnull=False,
            merged_into__isnull=True,
        )
        .exclude(status__in=HIDDEN_STATUSES)
        .exclude(agreement_points__isnull=False)
        .select_related("region", "meeting")
        .prefetch_related("joint_regions")
        .order_by(F("rank").asc(nulls_last=True), "region__kemendagri_code", "number")
    )


def issue_choices(desk):
    """The issues a point of `desk` may come from: every one on its board."""
    return (
        Issue.objects.filter(desk=desk, submitted_at__isnull=False, merged_into__isnull=True)
        .exclude(status__in=HIDDEN_STATUSES)
        .select_related("desk__field", "region")
        .order_by(F("rank").asc(nulls_last=True), "number")
    )


def options_for(meeting) -> AgreementOptions:
    """The meeting's document options; unsaved defaults until the secretariat sets them."""
    return AgreementOptions.objects.filter(meeting=meeting).first() or AgreementOptions(
        meeting=meeting
    )


# ---- Prefilled text ----


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?" else f"{text}."


def _regions_of(issue) -> list:
    return [issue.region, *issue.joint_regions.all()]


def _province_government() -> str:
    return f"Pemerintah {province().name}"


def _funding_words(source: str) -> str:
    return {
        Issue.FundingSource.APBD_PROVINCE: f"APBD {province().name}",
        Issue.FundingSource.APBN: "APBN",
        Issue.FundingSource.DAK: "Dana Alokasi Khusus (DAK)",
        Issue.FundingSource.PROVINCIAL_GRANT: f"Bantuan Keuangan {province().name}",
    }.get(source, "")


def _listed(names: list[str]) -> str:
    """ "A", "A dan B", "A, B, dan C"."""
    if len(names) <= 2:
        return " dan ".join(names)
    return f"{', '.join(names[:-1])}, dan {names[-1]}"


def _governments(regions) -> list[str]:
    return [f"Pemerintah {region.name}" for region in regions if not region.is_province]


def _phrase(text: str) -> str:
    """A title or a handling as the object of a sentence: one line, no final stop,
    lower case first unless it begins with an abbreviation ("DED", "SPAM")."""
    text = " ".join(text.split()).rstrip(".")
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and not (len(first) > 1 and first[1:2].isupper()):
        text = text[:1].lower() + text[1:]
    return text


def _place(issue, regions) -> str:
    if len(regions) > 1:
        return f"di {_listed([region.name for region in regions])}"
    parts = [issue.place.strip()] if issue.place.strip() else []
    if issue.village.strip():
        parts.append(f"Desa/Kelurahan {issue.village.strip()}")
    if issue.district.strip():
        parts.append(f"Kecamatan {issue.district.strip()}")
    if not issue.region.is_province:
        parts.append(issue.region.name)
    return f"di {', '.join(parts)}" if parts else ""


def _funding(issue, regions) -> str:
    if issue.funding_source == Issue.FundingSource.APBD_REGENCY:
        return _listed([f"APBD {region.name}" for region in regions if not region.is_province])
    return _funding_words(issue.funding_source)


def agreement_sentence(issue) -> str:
    """A point as an agreement says it: who agrees to do what, where, how much, funded by
    whom, in which budget year. Joint issues name every region. The desk edits it after."""
    regions = _regions_of(issue)
    regencies = _governments(regions)
    what = _phrase(issue.proposed_handling or issue.title)
    if issue.proposed_handling and _phrase(issue.title).lower() not in what.lower():
        what = f"{what} ({_phrase(issue.title)})"
    year = issue.meeting.year + 1
    parties = _listed([_province_government(), *regencies])
    support = ""
    if issue.authority == Issue.Authority.REGENCY and regencies:
        who = f"{_listed(regencies)} sepakat melaksanakan"
        support = f", dengan dukungan teknis {_province_government()}"
    elif issue.authority == Issue.Authority.CENTRAL:
        who = f"{parties} sepakat mengusulkan kepada Pemerintah Pusat"
    else:
        who = f"{parties} sepakat melaksanakan"
    clauses = [f"{who} {what}"]
    place = _place(issue, regions)
    if place:
        clauses.append(place)
    amount = []
    if issue.volume is not None:
        amount.append(f"sebanyak {issue.volume_text}")
    if issue.estimated_cost:
        amount.append(f"dengan perkiraan biaya {rupiah(issue.estimated_cost)}")
    if amount:
        clauses.append(" ".join(amount))
    funding = _funding(issue, regions)
    budget = f"pada Tahun Anggaran {year}"
    clauses.append(f"yang didanai dari {funding} {budget}" if funding else budget)
    sentence = ", ".join(clauses) + support + "."
    return sentence[:1].upper() + sentence[1:]


def prefill_from_issue(issue) -> dict:
    """A point's text, penanggung jawab and time as drafted from one Prioritas issue."""
    text = agreement_sentence(issue)
    office = " ".join(issue.proposing_office.split())
    if issue.region.name.lower() not in office.lower() and not issue.region.is_province:
        office = f"{office} {issue.region.name}"
    if issue.authority == Issue.Authority.REGENCY:
        responsible = office
    elif issue.authority == Issue.Authority.CENTRAL:
        responsible = f"{provincial_office()} (fasilitasi ke Pemerintah Pusat); {office}"
    else:
        responsible = f"{provincial_office()}; {office}"
    return {
        "text": text[: AgreementPoint._meta.get_field("text").max_length],
        "responsible": responsible[:300],
        "due": f"Tahun Anggaran {issue.meeting.year + 1}",
    }


# ---- Writes ----


def _check_may_write(actor, desk):
    if not may_write_points(actor, desk):
        raise PermissionDenied


def _lock_desk(desk) -> Desk:
    """Serialise the writes of one desk's points (orders are unique and gap-free)."""
    return Desk.objects.select_for_update().get(pk=desk.pk)


def check_not_locked(meeting):
    document = final_agreement_document(meeting)
    if document is not None:
        raise PointsLocked(
            _(
                "The agreement document of this meeting is final (%(number)s): its points can "
                "no longer change. The secretariat can reopen it, with a reason, on the "
                "documents page."
            )
            % {"number": document.number}
        )


def _begin(actor, desk):
    _check_may_write(actor, desk)
    _lock_desk(desk)
    check_not_locked(desk.meeting)


def _record(point, actor, kind, **detail):
    return AgreementPointEvent.objects.create(
        meeting_id=point.meeting_id,
        desk_id=point.desk_id,
        point=point if point.pk else None,
        kind=kind,
        actor=actor,
        detail={"order": point.order, "text": point.text, **detail},
    )


def _clean(data: dict) -> dict:
    cleaned = {
        "text": (data.get("text") or "").strip(),
        "responsible": " ".join((data.get("responsible") or "").split()),
        "due": " ".join((data.get("due") or "").split()),
    }
    if not cleaned["text"]:
        raise IssueError(_("Write what is agreed."))
    return cleaned


def _check_sources(desk, issues) -> list:
    issues = list(issues)
    allowed = set(
        issue_choices(desk).filter(pk__in=[i.pk for i in issues]).values_list("pk", flat=True)
    )
    if any(issue.pk not in allowed for issue in issues):
        raise IssueError(_("A point can only come from issues on this desk's board."))
    return issues


def _set_sources(point, issues):
    point.source_issues.set(issues)
    regions = {}
    for issue in (
        Issue.objects.filter(pk__in=[i.pk for i in issues])
        .prefetch_related("joint_regions")
        .select_related("region")
    ):
        for region in _regions_of(issue):
            regions[region.pk] = region
    point.regions.set(regions.values())


def _next_order(desk) -> int:
    return (AgreementPoint.objects.filter(desk=desk).aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def agreement_point_create(*, actor, desk: Desk, data: dict, source_issues=()) -> AgreementPoint:
    """A new point at the end of the desk's list."""
    _begin(actor, desk)
    issues = _check_sources(desk, source_issues)
    point = AgreementPoint.objects.create(
        meeting=desk.meeting,
        desk=desk,
        order=_next_order(desk),
        created_by=actor,
        updated_by=actor,
        **_clean(data),
    )
    _set_sources(point, issues)
    _record(point, actor, E.CREATED, issues=[i.pk for i in issues])
    return point


@transaction.atomic
def agreement_points_draft_from_priorities(*, desk: Desk, user) -> list[AgreementPoint]:
    """Susun dari isu prioritas: one point per Prioritas issue in rank order, after the
    existing points; an issue that already has a point is skipped, so running it
    again adds only what is new."""
    _begin(user, desk)
    created = []
    order = _next_order(desk)
    for issue in draftable_issues(desk):
        point = AgreementPoint.objects.create(
            meeting=desk.meeting,
            desk=desk,
            order=order,
            created_by=user,
            updated_by=user,
            **prefill_from_issue(issue),
        )
        _set_sources(point, [issue])
        _record(point, user, E.DRAFTED, issues=[issue.pk])
        created.append(point)
        order += 1
    return created


@transaction.atomic
def agreement_point_update(
    *, actor, point: AgreementPoint, data: dict, source_issues=None
) -> AgreementPoint:
    _begin(actor, point.desk)
    point = AgreementPoint.objects.get(pk=point.pk)
    cleaned = _clean(data)
    changed = [name for name, value in cleaned.items() if getattr(point, name) != value]
    before_issues = set(point.source_issues.values_list("pk", flat=True))
    issues = None
    if source_issues is not None:
        issues = _check_sources(point.desk, source_issues)
        if {i.pk for i in issues} != before_issues:
            changed.append("source_issues")
    if not changed:
        return point
    before = {name: getattr(point, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(point, name, value)
    point.updated_by = actor
    point.save(update_fields=[*cleaned, "updated_by", "updated_at"])
    if issues is not None:
        _set_sources(point, issues)
    _record(
        point,
        actor,
        E.EDITED,
        changed=changed,
        before={name: before[name] for name in changed if name in before},
    )
    return point


@transaction.atomic
def agreement_point_move(*, actor, point: AgreementPoint, direction: str) -> AgreementPoint:
    """One place up or down within the desk; the neighbour takes the old place."""
    if direction not in ("up", "down"):
        raise IssueError(_("Choose up or down."))
    _begin(actor, point.desk)
    point = AgreementPoint.objects.get(pk=point.pk)
    target = point.order - 1 if direction == "up" else point.order + 1
    neighbour = AgreementPoint.objects.filter(desk_id=point.desk_id, order=target).first()
    if neighbour is None:
        return point
    old = point.order
    # Through a free number: the orders are unique at every moment, on every database.
    point.order = _next_order(point.desk)
    point.save(update_fields=["order"])
    neighbour.order = old
    neighbour.save(update_fields=["order"])
    point.order = target
    point.updated_by = actor
    point.save(update_fields=["order", "updated_by", "updated_at"])
    _record(point, actor, E.MOVED, from_order=old)
    return point


@transaction.atomic
def agreement_point_delete(*, actor, point: AgreementPoint) -> None:
    """Remove a point; the ones after it close the gap."""
    _begin(actor, point.desk)
    point = AgreementPoint.objects.get(pk=point.pk)
    desk_id, order = point.desk_id, point.order
    _record(point, actor, E.DELETED, issues=list(point.source_issues.values_list("pk", flat=True)))
    point.delete()
    # One row at a time, lowest first: each moves into the number just freed.
    for later in AgreementPoint.objects.filter(desk_id=desk_id, order__gt=order).order_by("order"):
        later.order -= 1
        later.save(update_fields=["order"])


@transaction.atomic
def agreement_options_update(*, actor, meeting: Meeting, numbering: str) -> AgreementOptions:
    if not actor.is_secretariat:
        raise PermissionDenied
    check_not_locked(meeting)
    if numbering not in AgreementOptions.Numbering.values:
        raise IssueError(_("Choose how the points are numbered."))
    options, _created = AgreementOptions.objects.get_or_create(meeting=meeting)
    options.numbering = numbering
    options.updated_by = actor
    options.save(update_fields=["numbering", "updated_by", "updated_at"])
    return options


@transaction.atomic
def agreement_points_agree(*, actor, meeting: Meeting, document_number: str = "") -> int:
    """The agreement document is final: every source issue of its points becomes Disepakati.

    An issue agreed under an earlier version whose point has since been removed
    goes back to the status of its decision. Each change is in the issue's history.
    Returns the number of issues whose status changed.
    """
    reason = f"Butir kesepakatan final {document_number}".strip()
    sources = set(
        AgreementPoint.source_issues.through.objects.filter(
            agreementpoint__meeting=meeting
        ).values_list("issue_id", flat=True)
    )
    changed = 0
    to_agree = (
        Issue.objects.select_for_update()
        .filter(pk__in=sources)
        .exclude(status__in=(Issue.Status.AGREED, Issue.Status.FORWARDED, *HIDDEN_STATUSES))
    )
    for issue in to_agree:
        changed += _set_status(issue, actor, Issue.Status.AGREED, reason)
    no_longer = (
        Issue.objects.select_for_update()
        .filter(meeting=meeting, status=Issue.Status.AGREED)
        .exclude(pk__in=sources)
    )
    for issue in no_longer:
        back = issue.decision or Issue.Status.DISCUSSED
        changed += _set_status(
            issue, actor, back, f"{reason}: tidak lagi menjadi sumber butir kesepakatan"
        )
    return changed


def _set_status(issue, actor, status, reason) -> int:
    from_status = issue.status
    issue.status = status
    issue.save(update_fields=["status", "updated_at"])
    IssueEvent.objects.create(
        issue=issue,
        actor=actor,
        kind=IssueEvent.Kind.STATUS,
        from_status=from_status,
        to_status=status,
        reason=reason,
    )
    return 1


def point_events(desk, limit=20):
    return list(
        AgreementPointEvent.objects.filter(desk=desk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
