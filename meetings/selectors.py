"""Reads for the meeting pages, each a fixed number of queries however many rows."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from meetings import services
from meetings.models import (
    PLENARY_SCOPE,
    Desk,
    Field,
    Meeting,
    Minutes,
    Participant,
    Region,
)
from rakortek.core import access


def meeting_list(*, kind: str = "", status: str = "") -> QuerySet[Meeting]:
    # Explicit order: Django drops Meta.ordering from aggregating queries.
    meetings = (
        Meeting.objects.select_related("follows")
        .annotate(
            # distinct: two joined relations would otherwise multiply each other's rows.
            desk_count=Count("desks", distinct=True),
            criterion_count=Count("criteria", distinct=True),
        )
        .order_by("-starts_at", "pk")
    )
    if kind:
        meetings = meetings.filter(kind=kind)
    if status:
        meetings = meetings.filter(status=status)
    return meetings


def meeting_get(*, slug: str, kind: str | None = None) -> Meeting:
    """The meeting or 404; with `kind`, a meeting of another kind is a 404 too."""
    meetings = Meeting.objects.all()
    if kind:
        meetings = meetings.filter(kind=kind)
    return get_object_or_404(meetings, slug=slug)


def meeting_get_with_setup(*, slug: str) -> Meeting:
    """The meeting with its agenda, desks, criteria and linked meetings, for the detail page."""
    meetings = Meeting.objects.select_related("follows", "created_by").prefetch_related(
        "agenda_items",
        Prefetch("desks", queryset=Desk.objects.select_related("field", "chair", "note_taker")),
        "criteria",
        "followed_by",
    )
    return get_object_or_404(meetings, slug=slug)


def province() -> Region:
    """The province itself, from the reference data (the regions of migration 0002):
    the one place its name comes from."""
    return Region.objects.get(kind=Region.Kind.PROVINCE)


def provincial_office() -> str:
    """The lead agency, as points and documents name it."""
    return f"Dinas PUPRPRKP {province().name}"


def field_list() -> QuerySet[Field]:
    return Field.objects.annotate(desk_count=Count("desks")).order_by("order", "name")


# ---- Attendance ----


def participant_list(
    *,
    meeting: Meeting,
    q: str = "",
    desk: str = "",
    region: Region | None = None,
    status: str = "",
) -> QuerySet[Participant]:
    """The attendance list with its filters; `desk` is a desk pk, "pleno", or empty."""
    participants = Participant.objects.filter(meeting=meeting).select_related(
        "desk__field", "region"
    )
    if q:
        participants = participants.filter(Q(name__icontains=q) | Q(office__icontains=q))
    if desk == "pleno":
        participants = participants.filter(desk__isnull=True)
    elif desk:
        participants = participants.filter(desk_id=desk)
    if region is not None:
        participants = participants.filter(region=region)
    if status == "hadir":
        participants = participants.filter(checked_in_at__isnull=False)
    elif status == "belum":
        participants = participants.filter(checked_in_at__isnull=True)
    return participants.order_by("name", "pk")


def attendance_counts(meeting: Meeting) -> dict:
    return Participant.objects.filter(meeting=meeting).aggregate(
        total=Count("id"),
        present=Count("id", filter=Q(checked_in_at__isnull=False)),
        in_person=Count("id", filter=Q(checked_in_at__isnull=False, mode="luring")),
        online=Count("id", filter=Q(checked_in_at__isnull=False, mode="daring")),
    )


def participant_get(*, meeting: Meeting, pk: int) -> Participant:
    return get_object_or_404(
        Participant.objects.select_related("meeting", "desk__field", "region", "user"),
        meeting=meeting,
        pk=pk,
    )


def meeting_for_checkin(code: str) -> Meeting | None:
    """The meeting whose current check-in code this is, or None (also for an old code)."""
    if not code or len(code) > 16:
        return None
    return Meeting.objects.filter(checkin_code=code).first()


def checkin_search(*, meeting: Meeting, key: str, limit: int = 8) -> list[Participant]:
    """Participants whose name contains the reduced search text; name and office only."""
    if not key:
        return []
    return list(
        Participant.objects.filter(meeting=meeting, name_key__contains=key)
        .only("pk", "name", "office")
        .order_by("name", "pk")[:limit]
    )


# ---- Minutes ----


@dataclass
class MinutesAccess:
    meeting: Meeting
    desk: Desk | None
    minutes: Minutes  # unsaved when nobody has written it yet
    can_edit: bool


def meeting_visible_to(user, slug: str) -> Meeting:
    meetings = Meeting.objects.all()
    if not user.is_secretariat:
        meetings = meetings.visible_to_participants()
    return get_object_or_404(meetings, slug=slug)


def desk_for(user, desk_id, thing: str, *, write=False, desks=None) -> Desk:
    """The desk `desk_id` of a RAKORTEK if `user` may open its `thing` (a rule of
    rakortek.core.access: "board", "points", "live_board"): 404 outside their scope, 403 on
    a write they may not make."""
    if access.role_of(user) is None:
        raise Http404
    if desks is None:
        desks = Desk.objects.select_related("meeting", "field", "chair")
    desks = desks.filter(meeting__kind=Meeting.Kind.RAKORTEK).filter(access.q(user, thing, desk=""))
    try:
        desk = desks.get(pk=desk_id)
    except (Desk.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if write and not access.may(user, thing, write=True, meeting=desk.meeting, desk=desk):
        raise PermissionDenied
    return desk


def may_edit_minutes(user, desk: Desk | None) -> bool:
    """The secretariat edits every minutes; a desk's chair edits that desk's minutes."""
    return access.may(user, "minutes.draft", write=True, desk=desk)


def _minutes_rule(minutes: Minutes | None) -> str:
    return (
        "minutes.final"
        if minutes is not None and minutes.pk and minutes.is_final
        else "minutes.draft"
    )


def minutes_for_user(user, *, slug: str, scope: str, write: bool = False) -> MinutesAccess:
    """The minutes of the plenary ("pleno") or of a desk (field slug), for `user`.

    Editors see drafts; everyone else who may see the meeting sees final minutes
    only: a draft is a 404 for them, and asking to write is a 403.
    """
    meeting = meeting_visible_to(user, slug)
    if scope == PLENARY_SCOPE:
        desk = None
    else:
        desk = get_object_or_404(
            Desk.objects.select_related("field", "chair", "note_taker"),
            meeting=meeting,
            field__slug=scope,
        )
    minutes = (
        Minutes.objects.select_related("locked_by", "updated_by")
        .filter(meeting=meeting, desk=desk)
        .first()
    )
    if minutes is None:
        minutes = services.minutes_new(meeting=meeting, desk=desk)
    else:
        # Share the objects already loaded instead of fetching them again.
        minutes.meeting, minutes.desk = meeting, desk
    access.check(user, _minutes_rule(minutes), write=write, meeting=meeting, desk=desk)
    can_edit = may_edit_minutes(user, desk)
    return MinutesAccess(meeting=meeting, desk=desk, minutes=minutes, can_edit=can_edit)


def minutes_index(user, meeting: Meeting) -> list[dict]:
    """Plenary and desk minutes of the meeting that `user` may open, with their state."""
    desks = list(meeting.desks.select_related("field", "chair"))
    stored = {m.desk_id: m for m in Minutes.objects.filter(meeting=meeting)}
    rows = []
    for desk in [None, *desks]:
        minutes = stored.get(desk.pk if desk else None)
        can_edit = may_edit_minutes(user, desk)
        if not access.may(user, _minutes_rule(minutes), meeting=meeting, desk=desk):
            continue
        rows.append(
            {
                "desk": desk,
                "minutes": minutes,
                "scope": desk.field.slug if desk else PLENARY_SCOPE,
                "can_edit": can_edit,
            }
        )
    return rows
