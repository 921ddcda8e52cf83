"""Writes that touch several rows, or that carry a rule the database cannot check alone."""

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    DEFAULT_CRITERIA,
    AgendaItem,
    Criterion,
    Desk,
    Field,
    Meeting,
    Minutes,
    MinutesVersion,
    Participant,
    ParticipantEvent,
    Signer,
    new_checkin_code,
    rakorgub_date_message,
)
from meetings.setup.checklist import CRITERIA_WEIGHT_TOTAL, meeting_setup
from rakortek.accounts.models import User

# Path segments next to /rapat/<slug>/ that a meeting slug must not shadow.
RESERVED_MEETING_SLUGS = frozenset({"tambah"})


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
    """Create a meeting; a RAKORTEK starts with the default scoring criteria (DOMAIN.md).

    A RAKORGUB is held after the RAKORTEK it follows has ended.
    """
    if kind == Meeting.Kind.RAKORGUB and follows is not None and starts_at < follows.ends_at:
        raise ValidationError({"starts_at": rakorgub_date_message(follows)})
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


class MeetingNotReady(Exception):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__("; ".join(str(m) for m in missing))


@transaction.atomic
def meeting_activate(*, meeting: Meeting) -> Meeting:
    """A draft RAKORTEK becomes active once its set-up is complete (selectors.meeting_setup)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.DRAFT:
        raise MeetingNotReady([_("The meeting is not a draft.")])
    missing = [step.label for step in meeting_setup(meeting) if step.required and not step.done]
    if missing:
        raise MeetingNotReady(missing)
    meeting.status = Meeting.Status.ACTIVE
    meeting.save(update_fields=["status", "updated_at"])
    return meeting


# Called with the meeting, in the same transaction, after its criteria or their weights
# changed. The layers above register here (issues stores every weighted score again);
# meetings itself knows nothing of them.
CRITERIA_CHANGED_HOOKS: list[Callable[[Meeting], None]] = []


def on_criteria_changed(hook: Callable[[Meeting], None]) -> None:
    if hook not in CRITERIA_CHANGED_HOOKS:
        CRITERIA_CHANGED_HOOKS.append(hook)


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
    for hook in CRITERIA_CHANGED_HOOKS:
        hook(meeting)


class DeskInUse(Exception):
    """A desk with issues or minutes cannot be removed from its meeting."""


@transaction.atomic
def desk_delete(*, desk: Desk) -> None:
    try:
        desk.delete()
    except ProtectedError as exc:
        # Issues and minutes refer to their desk with PROTECT.
        raise DeskInUse(desk) from exc


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


# ---- Attendance ----


class AttendanceError(Exception):
    """A refused attendance change; the message is for the user."""

    def __init__(self, message=""):
        super().__init__(message or self.default_message)

    default_message = _("This change to the attendance list is not possible.")


class DuplicateParticipant(AttendanceError):
    default_message = _(
        "This person (same name and office) is already on the attendance list of this meeting."
    )


class AlreadyCheckedIn(AttendanceError):
    default_message = _("This person has already checked in.")


class NotCheckedIn(AttendanceError):
    default_message = _("This person has not checked in.")


class CheckInClosed(AttendanceError):
    default_message = _("Check-in for this meeting is closed.")


def person_key(text: str) -> str:
    """A name or office reduced to lower-case letters and digits, accents dropped.

    "Budi Santoso, S.T." and "budi  santoso ST" give the same key, so the
    database can refuse the same person twice however they were typed.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return "".join(ch for ch in text.casefold() if ch.isalnum())[:150]


PARTICIPANT_FIELDS = (
    "desk",
    "name",
    "position",
    "office",
    "region",
    "phone",
    "email",
    "mode",
    "user",
    "notes",
)


def _participant_values(meeting: Meeting, values: dict) -> dict:
    unknown = set(values) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise TypeError(f"unknown participant fields: {sorted(unknown)}")
    desk = values.get("desk")
    if desk is not None and desk.meeting_id != meeting.pk:
        raise ValueError("the desk belongs to another meeting")
    cleaned = {
        name: (value.strip() if isinstance(value, str) else value) for name, value in values.items()
    }
    if "name" in cleaned and not person_key(cleaned["name"]):
        raise AttendanceError(_("Enter the participant's name."))
    return cleaned


def _save_participant(participant: Participant, *, update_fields=None) -> None:
    participant.name_key = person_key(participant.name)
    participant.office_key = person_key(participant.office)[:200]
    try:
        # A savepoint, so that PostgreSQL's transaction survives the refusal.
        with transaction.atomic():
            if update_fields is None:
                participant.save()
            else:
                participant.save(update_fields=[*update_fields, "name_key", "office_key"])
    except IntegrityError as exc:
        raise DuplicateParticipant() from exc


@transaction.atomic
def participant_create(
    *, meeting: Meeting, created_by: User | None = None, **values
) -> Participant:
    participant = Participant(
        meeting=meeting, created_by=created_by, **_participant_values(meeting, values)
    )
    _save_participant(participant)
    return participant


@transaction.atomic
def participant_update(*, participant: Participant, **values) -> Participant:
    values = _participant_values(participant.meeting, values)
    for name, value in values.items():
        setattr(participant, name, value)
    _save_participant(participant, update_fields=[*values, "updated_at"])
    return participant


@transaction.atomic
def participant_delete(*, participant: Participant) -> None:
    name = participant.signature.name
    participant.delete()
    _delete_file_after_commit(name)


@transaction.atomic
def participants_import(
    *, meeting: Meeting, rows: Sequence[dict], created_by: User | None = None
) -> list[Participant]:
    """Add every row or none: one duplicate (in the file or the list) refuses the import."""
    participants = []
    for values in rows:
        participants.append(participant_create(meeting=meeting, created_by=created_by, **values))
    return participants


def _store_signature(participant: Participant, png: bytes) -> str:
    """Write the checked PNG under a fresh random name; returns the name."""
    participant.signature.save("ttd.png", ContentFile(png), save=False)
    return participant.signature.name


def _delete_file_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _locked_participant(participant: Participant) -> Participant:
    return Participant.objects.select_for_update().select_related("meeting").get(pk=participant.pk)


@transaction.atomic
def participant_check_in(
    *,
    participant: Participant,
    via: str,
    actor: User | None = None,
    signature: bytes | None = None,
    mode: str | None = None,
) -> Participant:
    """Record that the participant is present; a second check-in is refused, nothing overwritten.

    `signature` is PNG bytes already checked by meetings.signatures.
    """
    locked = _locked_participant(participant)
    if locked.is_checked_in:
        raise AlreadyCheckedIn()
    if via == Participant.Via.SELF and not locked.meeting.checkin_is_open:
        raise CheckInClosed()
    new_file = _store_signature(locked, signature) if signature else ""
    try:
        locked.checked_in_at = timezone.now()
        locked.checked_in_via = via
        fields = ["checked_in_at", "checked_in_via", "signature", "updated_at"]
        if mode:
            locked.mode = mode
            fields.append("mode")
        locked.save(update_fields=fields)
        ParticipantEvent.objects.create(
            participant=locked, kind=ParticipantEvent.Kind.CHECKED_IN, actor=actor
        )
    except Exception:
        if new_file:
            default_storage.delete(new_file)
        raise
    return locked


@transaction.atomic
def participant_self_register(
    *, meeting: Meeting, signature: bytes, mode: str, **values
) -> Participant:
    """Someone who was not on the list adds themselves at the venue and checks in at once."""
    if not meeting.checkin_is_open:
        raise CheckInClosed()
    participant = participant_create(meeting=meeting, mode=mode, **values)
    return participant_check_in(
        participant=participant, via=Participant.Via.SELF, signature=signature
    )


@transaction.atomic
def participant_check_in_undo(*, participant: Participant, actor: User, reason: str) -> Participant:
    """Take back a wrong check-in (its signature goes too); the reason is kept."""
    if not reason.strip():
        raise AttendanceError(_("Give the reason for undoing the check-in."))
    locked = _locked_participant(participant)
    if not locked.is_checked_in:
        raise NotCheckedIn()
    old_file = locked.signature.name
    locked.checked_in_at = None
    locked.checked_in_via = ""
    locked.signature = ""
    locked.save(update_fields=["checked_in_at", "checked_in_via", "signature", "updated_at"])
    ParticipantEvent.objects.create(
        participant=locked, kind=ParticipantEvent.Kind.UNDONE, actor=actor, reason=reason.strip()
    )
    _delete_file_after_commit(old_file)
    return locked


@transaction.atomic
def participant_signature_replace(
    *, participant: Participant, actor: User, signature: bytes, reason: str = ""
) -> Participant:
    locked = _locked_participant(participant)
    if not locked.is_checked_in:
        raise NotCheckedIn()
    old_file = locked.signature.name
    new_file = _store_signature(locked, signature)
    try:
        locked.save(update_fields=["signature", "updated_at"])
        ParticipantEvent.objects.create(
            participant=locked,
            kind=ParticipantEvent.Kind.SIGNATURE_REPLACED,
            actor=actor,
            reason=reason.strip(),
        )
    except Exception:
        default_storage.delete(new_file)
        raise
    _delete_file_after_commit(old_file)
    return locked


@transaction.atomic
def checkin_code_rotate(*, meeting: Meeting) -> str:
    """Give the meeting a new check-in code; the old link stops working at once."""
    for _attempt in range(10):
        code = new_checkin_code()
        if not Meeting.objects.filter(checkin_code=code).exists():
            break
    meeting.checkin_code = code
    meeting.save(update_fields=["checkin_code", "updated_at"])
    return code


# ---- Minutes ----


class MinutesError(Exception):
    default_message = _("This change to the minutes is not possible.")

    def __init__(self, message=""):
        super().__init__(message or self.default_message)


class MinutesLocked(MinutesError):
    default_message = _("These minutes are final and locked. Reopen them to make changes.")


class MinutesConflict(MinutesError):
    default_message = _(
        "Someone else saved these minutes while you were editing. Your text is still in the "
        "form: copy what you need, reload the page and apply your changes again."
    )


MINUTES_FIELDS = (
    *Minutes.SECTIONS,
    "chair_name",
    "chair_position",
    "note_taker_name",
    "place",
    "date_text",
)
DEFAULT_SIGNING_PLACE = "Pangkalpinang"


def minutes_new(*, meeting: Meeting, desk: Desk | None) -> Minutes:
    """An unsaved minutes with what the meeting already tells: chair, note-taker, place."""
    minutes = Minutes(meeting=meeting, desk=desk, place=DEFAULT_SIGNING_PLACE)
    if desk is not None:
        if desk.chair is not None:
            minutes.chair_name = desk.chair.full_name
            minutes.chair_position = desk.chair.position
        if desk.note_taker is not None:
            minutes.note_taker_name = desk.note_taker.full_name
    return minutes


def _locked_minutes(minutes: Minutes) -> Minutes:
    # Only the minutes row is locked: PostgreSQL cannot lock the nullable side of the desk join.
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting", "desk")
        .get(pk=minutes.pk)
    )


@transaction.atomic
def minutes_update(
    *,
    minutes: Minutes,
    user: User,
    data: dict,
    revision: int | None = None,
    prefill: Callable[[Minutes], dict] | None = None,
) -> Minutes:
    """Save a draft's text; refused when final, or when someone saved since `revision`.

    With `prefill`, sections still empty afterwards are filled from its suggestions;
    typed text is never replaced.
    """
    unknown = set(data) - set(MINUTES_FIELDS)
    if unknown:
        raise TypeError(f"unknown minutes fields: {sorted(unknown)}")
    if minutes.pk:
        target = _locked_minutes(minutes)
        if target.is_final:
            raise MinutesLocked()
        if revision is not None and target.revision != revision:
            raise MinutesConflict()
    else:
        target = minutes
    for name, value in data.items():
        setattr(target, name, value.strip() if isinstance(value, str) else value)
    if prefill is not None:
        for name, value in (prefill(target) or {}).items():
            if name in MINUTES_FIELDS and value and not (getattr(target, name) or "").strip():
                setattr(target, name, value)
    target.revision += 1
    target.updated_by = user
    if target.pk:
        target.save(update_fields=[*MINUTES_FIELDS, "revision", "updated_by", "updated_at"])
    else:
        try:
            with transaction.atomic():
                target.save()
        except IntegrityError as exc:
            # Another editor created these minutes a moment ago.
            raise MinutesConflict() from exc
    return target


@transaction.atomic
def minutes_finalise(*, minutes: Minutes, user: User) -> Minutes:
    """Lock the minutes and keep a snapshot of this version."""
    target = _locked_minutes(minutes)
    if target.is_final:
        raise MinutesLocked()
    if not any((getattr(target, name) or "").strip() for name in Minutes.SECTIONS):
        raise MinutesError(_("Write at least one section before finalising the minutes."))
    now = timezone.now()
    target.status = Minutes.Status.FINAL
    target.locked_at = now
    target.locked_by = user
    target.revision += 1
    target.save(update_fields=["status", "locked_at", "locked_by", "revision", "updated_at"])
    MinutesVersion.objects.create(
        minutes=target,
        version=target.version,
        data=target.snapshot(),
        reason=target.reopen_reason,
        finalised_by=user,
        finalised_at=now,
    )
    return target


@transaction.atomic
def minutes_reopen(*, minutes: Minutes, user: User, reason: str) -> Minutes:
    """Unlock final minutes as the next version's draft; the final version stays as it was."""
    reason = (reason or "").strip()
    if not reason:
        raise MinutesError(_("Give the reason for reopening the minutes."))
    target = _locked_minutes(minutes)
    if not target.is_final:
        raise MinutesError(_("Only final minutes can be reopened."))
    now = timezone.now()
    MinutesVersion.objects.filter(minutes=target, version=target.version).update(
        reopened_by=user, reopened_at=now, reopen_reason=reason
    )
    target.status = Minutes.Status.DRAFT
    target.version += 1
    target.locked_at = None
    target.locked_by = None
    target.reopen_reason = reason
    target.revision += 1
    target.updated_by = user
    target.save(
        update_fields=[
            "status",
            "version",
            "locked_at",
            "locked_by",
            "reopen_reason",
            "revision",
            "updated_by",
            "updated_at",
        ]
    )
    return target


# ---- Signers ----


@transaction.atomic
def signers_update(
    *,
    meeting: Meeting,
    document: str,
    desk: Desk | None,
    keep: Sequence[Signer],
    remove: Sequence[Signer],
) -> None:
    """Save the signers of one document (kept rows new or changed, removed rows deleted)."""
    if desk is not None and desk.meeting_id != meeting.pk:
        raise ValueError("the desk belongs to another meeting")
    for signer in [*keep, *remove]:
        if signer.pk and (
            signer.meeting_id != meeting.pk
            or signer.document != document
            or signer.desk_id != (desk.pk if desk else None)
        ):
            raise ValueError(f"signer {signer.pk} belongs to another document")
    for signer in remove:
        if signer.pk:
            signer.delete()
    for signer in keep:
        signer.meeting = meeting
        signer.document = document
        signer.desk = desk
        signer.save()


# ---- Next year's RAKORTEK ----


def _year_later(value: datetime | None, years: int) -> datetime | None:
    """The same WIB date and time `years` later; 29 February becomes 28 February."""
    if value is None:
        return None
    local = timezone.localtime(value)
    try:
        return local.replace(year=local.year + years)
    except ValueError:
        return local.replace(year=local.year + years, day=28)


def _next_year_datetime(value: datetime | None) -> datetime | None:
    return _year_later(value, 1)


def meeting_year_of(starts_at: datetime) -> int:
    """A meeting's year is the (WIB) year of its first day."""
    return timezone.localtime(starts_at).year


_YEAR_IN_TEXT = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def title_for_year(title: str, *, source_year: int, year: int) -> str:
    """`title` with a stale year (the source's or a later one) moved to `year`.

    A title that already names `year` is kept; one without a year gets it appended.
    """
    if str(year) in title:
        return title
    replaced = _YEAR_IN_TEXT.sub(
        lambda m: str(year) if source_year <= int(m.group(0)) else m.group(0), title
    )
    return replaced if str(year) in replaced else f"{replaced} {year}"


def next_year_title(source: Meeting, year: int | None = None) -> str:
    """The source's title with its year moved on, or the new year appended."""
    return title_for_year(source.title, source_year=source.year, year=year or source.year + 1)


def next_year_target(source: Meeting, *, today=None) -> int:
    """The year next year's meeting is proposed in: the year after the source, but never
    a year whose meeting day (the source's day moved to it) has already passed."""
    today = today or timezone.localdate()
    years = 1
    while _year_later(source.starts_at, years).date() < today:
        years += 1
    return meeting_year_of(source.starts_at) + years


def next_year_proposal(source: Meeting, *, today=None) -> dict:
    """What the next-year form proposes: the title and every date moved to the next year
    in which the meeting's day is still ahead."""
    target = next_year_target(source, today=today)
    years = target - meeting_year_of(source.starts_at)
    return {
        "title": next_year_title(source, target),
        "starts_at": _year_later(source.starts_at, years),
        "ends_at": _year_later(source.ends_at, years),
        "submission_opens_at": _year_later(source.submission_opens_at, years),
        "submission_closes_at": _year_later(source.submission_closes_at, years),
        "mode": source.mode,
        "online_link": "",
    }


# "Pembukaan dibuka oleh Penjabat Gubernur": who opens or leads belongs to one year.
_AGENDA_PERSON_IN_TEXT = re.compile(
    r"\s*[,;:(-]?\s*\b(dibuka|dipimpin|disampaikan|dipandu|oleh)\b.*$", re.IGNORECASE
)


def agenda_activity_without_names(activity: str) -> str:
    """The activity without a trailing "dibuka oleh ..." (names and titles of one year)."""
    cleaned = _AGENDA_PERSON_IN_TEXT.sub("", activity).strip()
    return cleaned or activity


@transaction.atomic
def meeting_copy_for_next_year(
    *,
    source: Meeting,
    actor: User,
    title: str,
    slug: str,
    starts_at: datetime,
    ends_at: datetime,
    submission_opens_at: datetime | None,
    submission_closes_at: datetime | None,
    mode: str = Meeting.Mode.IN_PERSON,
    online_link: str = "",
) -> Meeting:
    """Next year's RAKORTEK, set up like `source`: its desks (field, chair, note-taker,
    room, times), criteria and agenda (without last year's speakers); new dates, status Draft.

    The year comes from the dates, and the title follows it. What belongs to one year
    is not copied: the online link (a new one is given, or the meeting is in person) and
    the names and titles in the agenda, whose items are marked to check.
    Issues, attendance and minutes stay with the year they belong to.
    """
    if source.kind != Meeting.Kind.RAKORTEK:
        raise ValueError("only a RAKORTEK is copied for next year")
    year = meeting_year_of(starts_at)
    title = title_for_year(title, source_year=source.year, year=year)
    if not slug:
        slug = meeting_unique_slug(meeting_slug_suggestion(title=title, year=year))
    if mode != Meeting.Mode.IN_PERSON and not online_link:
        mode = Meeting.Mode.IN_PERSON
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.RAKORTEK,
        year=year,
        title=title,
        slug=slug,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=source.venue,
        mode=mode,
        online_link=online_link,
        submission_opens_at=submission_opens_at,
        submission_closes_at=submission_closes_at,
        status=Meeting.Status.DRAFT,
        created_by=actor,
    )
    Desk.objects.bulk_create(
        Desk(
            meeting=meeting,
            field_id=desk.field_id,
            chair_id=desk.chair_id,
            note_taker_id=desk.note_taker_id,
            room=desk.room,
            starts_at=desk.starts_at,
            ends_at=desk.ends_at,
        )
        for desk in source.desks.all()
    )
    Criterion.objects.bulk_create(
        Criterion(
            meeting=meeting,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            order=criterion.order,
            level_labels=list(criterion.level_labels or []),
        )
        for criterion in source.criteria.all()
    )
    items = []
    for item in source.agenda_items.all():
        activity = agenda_activity_without_names(item.activity)
        items.append(
            AgendaItem(
                meeting=meeting,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                activity=activity,
                person="",
                needs_review=bool(item.person) or activity != item.activity,
            )
        )
    AgendaItem.objects.bulk_create(items)
    return meeting
