"""Suggested text for minutes, from what the meetings app knows.

`prefill_from_meeting(minutes)` returns {field name: text} for the sections it
can say something about: who attended (counted by region and mode), the
agenda, the desks and their chairs, opening and closing times. It never
looks at issues; the documents layer may wrap it and add issue counts and
decisions (settings.MINUTES_PREFILL names the function the edit page calls).
The service that applies it fills only sections that are still empty.

The text is Indonesian whatever the interface language: minutes are official
documents (DOMAIN.md, "Documents").
"""

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from meetings.models import AgendaItem, Meeting, Minutes, Participant
from rakortek.core.formatting import hari_tanggal, jam

DEFAULT_PREFILL = "meetings.minutes.prefill.prefill_from_meeting"

MODE_TEXT = {
    Meeting.Mode.IN_PERSON: "secara luring",
    Meeting.Mode.ONLINE: "secara daring",
    Meeting.Mode.HYBRID: "secara hibrida (luring dan daring)",
}


def prefill_function():
    """The function the minutes page's "fill in automatically" button calls."""
    return import_string(getattr(settings, "MINUTES_PREFILL", DEFAULT_PREFILL))


def prefill_from_meeting(minutes: Minutes) -> dict[str, str]:
    meeting = minutes.meeting
    agenda = list(meeting.agenda_items.all())
    attendance = attendance_summary(meeting, desk=minutes.desk)
    if minutes.desk_id:
        return _desk_text(minutes.desk, attendance)
    return _plenary_text(meeting, agenda, attendance)


def attendance_summary(meeting, *, desk=None) -> dict:
    """Checked-in participants: total, per mode, and per region (in the regions' order)."""
    present = Participant.objects.filter(meeting=meeting, checked_in_at__isnull=False)
    if desk is not None:
        present = present.filter(desk=desk)
    totals = present.aggregate(
        total=Count("id"),
        in_person=Count("id", filter=Q(mode=Participant.Mode.IN_PERSON)),
        online=Count("id", filter=Q(mode=Participant.Mode.ONLINE)),
    )
    by_region = list(
        present.values("region__name", "region__kemendagri_code")
        .annotate(n=Count("id"))
        # Participants without a region last, on every database.
        .order_by(F("region__kemendagri_code").asc(nulls_last=True))
    )
    return {**totals, "by_region": by_region}


def _attendance_text(attendance, *, who="Rapat") -> str:
    if not attendance["total"]:
        return "Daftar hadir terlampir."
    lines = [
        f"{who} dihadiri oleh {attendance['total']} peserta "
        f"({attendance['in_person']} luring, {attendance['online']} daring) dengan rincian:"
    ]
    for row in attendance["by_region"]:
        name = row["region__name"] or "Instansi lain"
        lines.append(f"- {name}: {row['n']} orang")
    lines.append("Daftar hadir terlampir.")
    return "\n".join(lines)


def _find(agenda, word):
    word = word.casefold()
    return next((item for item in agenda if word in item.activity.casefold()), None)


def _plenary_text(meeting, agenda: list[AgendaItem], attendance) -> dict[str, str]:
    opening_item = _find(agenda, "pembukaan")
    opened_at = opening_item.starts_at if opening_item else timezone.localtime(meeting.starts_at)
    opened_by = f" oleh {opening_item.person}" if opening_item and opening_item.person else ""
    place = f" di {meeting.venue}" if meeting.venue else ""
    online = ""
    if meeting.mode != Meeting.Mode.IN_PERSON and meeting.online_link:
        online = f" dan melalui tautan {meeting.online_link}"
    opening = (
        f"{meeting.title} dilaksanakan pada hari {hari_tanggal(meeting.starts_at)} "
        f"{MODE_TEXT.get(meeting.mode, '')}{place}{online}. "
        f"Rapat dibuka pada pukul {jam(opened_at)}{opened_by}.\n\n" + _attendance_text(attendance)
    )

    parts = []
    if agenda:
        lines = ["Susunan acara:"]
        for number, item in enumerate(agenda, start=1):
            until = f"–{jam(item.ends_at, zone='')}" if item.ends_at else ""
            by = f" ({item.person})" if item.person else ""
            lines.append(f"{number}. {jam(item.starts_at, zone='')}{until} {item.activity}{by}")
        parts.append("\n".join(lines))
    desks = list(meeting.desks.select_related("field", "chair"))
    if desks:
        lines = [f"Pembahasan isu strategis dilaksanakan dalam {len(desks)} desk bidang:"]
        for number, desk in enumerate(desks, start=1):
            line = f"{number}. Desk {desk.field.name}"
            if desk.chair:
                position = f" ({desk.chair.position})" if desk.chair.position else ""
                line += f", dipimpin oleh {desk.chair.full_name}{position}"
            if desk.room:
                line += f", bertempat di {desk.room}"
            lines.append(line)
        parts.append("\n".join(lines))

    closing_item = _find(agenda, "penutupan")
    if closing_item:
        closed_at = closing_item.ends_at or closing_item.starts_at
    else:
        closed_at = timezone.localtime(meeting.ends_at)
    closing = f"Rapat ditutup pada pukul {jam(closed_at)}."
    return {"opening": opening, "discussion": "\n\n".join(parts), "closing": closing}


def _desk_text(desk, attendance) -> dict[str, str]:
    field = desk.field.name
    start = f" pada pukul {jam(desk.starts_at)}" if desk.starts_at else ""
    chair = ""
    if desk.chair:
        chair = f" oleh {desk.chair.full_name}"
        if desk.chair.position:
            chair += f" selaku {desk.chair.position}"
    room = f", bertempat di {desk.room}" if desk.room else ""
    opening = f"Diskusi Desk Bidang {field} dibuka{start}{chair}{room}.\n\n" + _attendance_text(
        attendance, who="Desk"
    )
    result = {"opening": opening}
    if desk.ends_at:
        result["closing"] = f"Diskusi Desk Bidang {field} ditutup pada pukul {jam(desk.ends_at)}."
    if desk.chair:
        result["chair_name"] = desk.chair.full_name
        result["chair_position"] = desk.chair.position
    if desk.note_taker:
        result["note_taker_name"] = desk.note_taker.full_name
    return result
