"""Writes that touch several rows, or that carry a rule the database cannot check alone."""

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from meetings.models import DEFAULT_CRITERIA, Criterion, Desk, Field, Meeting
from rakortek.accounts.models import User

# Path segments next to /rapat/<slug>/ that a meeting slug must not shadow.
RESERVED_MEETING_SLUGS = frozenset({"tambah"})

CRITERIA_WEIGHT_TOTAL = 100


class FieldInUse(Exception):
    """A field that desks (or later, issues) refer to cannot be deleted; deactivate it instead."""


class CriteriaWeightError(Exception):
    def __init__(self, total: int):
        self.total = total
        super().__init__(
            _("The weights add up to %(total)s; they must add up to exactly %(required)s.")
            % {"total": total, "required": CRITERIA_WEIGHT_TOTAL}
        )


def meeting_slug_suggestion(*, title: str, year: int | None) -> str:
    """The slug the meeting form proposes: the title, with the year unless it already has it.

    static/js/meetings.js makes the same suggestion while the user types.
    """
    text = title if not year or str(year) in title else f"{title} {year}"
    return slugify(text)[:70].strip("-")


def meeting_unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = base or "rapat"
    taken = Meeting.objects.filter(slug__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    taken_slugs = set(taken.values_list("slug", flat=True)) | RESERVED_MEETING_SLUGS
    slug, n = base, 2
    while slug in taken_slugs:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def meeting_create(
    *,
    created_by: User,
    kind: str,
    year: int,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    venue: str,
    mode: str,
    slug: str = "",
    online_link: str = "",
    submission_opens_at: datetime | None = None,
    submission_closes_at: datetime | None = None,
    status: str = Meeting.Status.DRAFT,
    follows: Meeting | None = None,
) -> Meeting:
    """Create a meeting; a RAKORTEK starts with the default scoring criteria (DOMAIN.md)."""
    if not slug:
        slug = meeting_unique_slug(meeting_slug_suggestion(title=title, year=year))
    meeting = Meeting.objects.create(
        kind=kind,
        year=year,
        title=title,
        slug=slug,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        mode=mode,
        online_link=online_link,
        submission_opens_at=submission_opens_at,
        submission_closes_at=submission_closes_at,
        status=status,
        follows=follows,
        created_by=created_by,
    )
    if meeting.kind == Meeting.Kind.RAKORTEK:
        Criterion.objects.bulk_create(
            Criterion(
                meeting=meeting,
                name=name,
                description=description,
                weight=weight,
                order=order,
                level_labels=list(labels),
            )
            for order, (name, description, weight, labels) in enumerate(DEFAULT_CRITERIA, start=1)
        )
    return meeting


@transaction.atomic
def criteria_update(
    *, meeting: Meeting, keep: Sequence[Criterion], remove: Sequence[Criterion]
) -> None:
    """Save the meeting's criteria as one set whose weights add up to exactly 100.

    `keep` holds new and changed criteria (unsaved), `remove` those to delete.
    Nothing is written unless the final set in the database adds up to 100.
    """
    # Two secretaries saving at once would each check their own sum; the lock
    # makes the second wait and check the set the first one left behind.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    for criterion in [*keep, *remove]:
        if criterion.meeting_id != meeting.pk:
            raise ValueError(f"criterion {criterion.pk} belongs to another meeting")
    total = sum(c.weight for c in keep)
    if total != CRITERIA_WEIGHT_TOTAL:
        raise CriteriaWeightError(total)
    # Deletes first, so a name freed by a removed criterion can be taken by another.
    for criterion in remove:
        if criterion.pk:
            criterion.delete()
    for criterion in keep:
        criterion.save()
    stored = meeting.criteria.aggregate(total=Sum("weight"))["total"] or 0
    if stored != CRITERIA_WEIGHT_TOTAL:
        # A concurrent edit added a criterion this form did not show.
        raise CriteriaWeightError(stored)


@transaction.atomic
def desk_delete(*, desk: Desk) -> None:
    # Issues do not exist yet. When they do, they must refer to their desk with
    # on_delete=PROTECT and this function must turn the ProtectedError into a
    # clear refusal, as field_delete does.
    desk.delete()


@transaction.atomic
def field_create(
    *, name: str, code: str, description: str = "", order: int = 0, is_active: bool = True
) -> Field:
    base = slugify(name)[:55] or code.lower()
    taken = set(Field.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return Field.objects.create(
        name=name, code=code, slug=slug, description=description, order=order, is_active=is_active
    )


@transaction.atomic
def field_delete(*, field: Field) -> None:
    """Delete a field no desk has used; history keeps fields, so those are only deactivated."""
    if field.desks.exists():
        raise FieldInUse(field)
    try:
        field.delete()
    except ProtectedError as exc:
        # Another app's rows that refer to the field (PROTECT) also keep it.
        raise FieldInUse(field) from exc
