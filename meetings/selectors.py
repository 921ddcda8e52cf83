"""Reads for the meeting pages, each a fixed number of queries however many rows."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from meetings.models import Desk, Field, Meeting


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


def field_list() -> QuerySet[Field]:
    return Field.objects.annotate(desk_count=Count("desks")).order_by("order", "name")
