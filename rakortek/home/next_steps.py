"""What each role should do next, for the home pages: the open submission window and its
deadline (or when the next one opens), returned issues, and the secretariat's next step
in a meeting's year. Reads only.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from issues.board.assent import pending_for_region
from issues.models import Issue, RakorgubPackage, RegionWindow
from meetings.models import Meeting


def when(value) -> str:
    """6 Desember 2026, 16.00 WIB (the month in the active language)."""
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')}, {local:%H.%M} WIB"


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    action: str


def region_deadlines(meetings, region, open_ids) -> dict[int, object]:
    """For each open meeting, when submission closes for `region` (a reopened window
    for the region counts), in one query."""
    now = timezone.now()
    wide_open = {m.pk for m in meetings if m.pk in open_ids and m.submission_is_open(now)}
    deadlines = {
        m.pk: (m.submission_closes_at if m.pk in wide_open else None)
        for m in meetings
        if m.pk in open_ids
    }
    if region is not None and deadlines:
        for window in RegionWindow.objects.filter(
            meeting_id__in=list(deadlines), region=region, closes_at__gt=now
        ):
            current = deadlines[window.meeting_id]
            if window.meeting_id not in wide_open or (current and window.closes_at > current):
                deadlines[window.meeting_id] = window.closes_at
    return deadlines


def next_window(meetings, open_ids, at=None):
    """The meeting whose submission opens next (active, not yet open), or None."""
    at = at or timezone.now()
    upcoming = [
        m
        for m in meetings
        if m.pk not in open_ids
        and m.status == Meeting.Status.ACTIVE
        and m.submission_opens_at
        and m.submission_opens_at > at
    ]
    return min(upcoming, key=lambda m: m.submission_opens_at, default=None)


def returned_issues(region, meetings):
    """The region's issues the desk returned for revision, oldest first."""
    if region is None:
        return []
    return list(
        Issue.objects.filter(
            region=region, meeting__in=meetings, status=Issue.Status.NEEDS_REVISION
        )
        .select_related("desk__field", "meeting")
        .order_by("meeting__starts_at", "id")
    )


def assent_requests(region) -> list[dict]:
    """The desks waiting for `region`'s answer on their decisions (rounds still open),
    each with how many issues are unanswered and the deadline, earliest first."""
    requests = {}
    for item in pending_for_region(region):
        entry = requests.setdefault(
            item.round_id, {"desk": item.round.desk, "deadline": item.round.deadline, "count": 0}
        )
        entry["count"] += 1
    return sorted(requests.values(), key=lambda entry: entry["deadline"])


def secretariat_next_step(meeting: Meeting, *, pending: int = 0, at=None) -> NextStep | None:
    """The secretariat's next step in the year of a RAKORTEK.

    Uses `meeting.plenary_final` (annotated) and `meeting.rakorgub_package` (joined) when
    the caller loaded them.
    """
    if meeting.kind != Meeting.Kind.RAKORTEK:
        return None
    at = at or timezone.now()
    page = meeting.get_absolute_url()
    slug = meeting.slug
    if meeting.status == Meeting.Status.DRAFT:
        return NextStep(
            _("Complete the set-up, then activate the meeting."),
            f"{page}#setup",
            _("Open the set-up"),
        )
    opens, closes = meeting.submission_opens_at, meeting.submission_closes_at
    if opens and at < opens:
        return NextStep(
            _("Submission opens on %(date)s. Register the participants meanwhile.")
            % {"date": when(opens)},
            reverse("meetings:attendance", kwargs={"slug": slug}),
            _("Attendance list"),
        )
    if meeting.submission_is_open(at):
        text = (
            _("Submission is open until %(date)s.") % {"date": when(closes)}
            if closes
            else _("Submission is open.")
        )
        if pending:
            text += " " + ngettext(
                "%(count)s issue waits for its desk's verification.",
                "%(count)s issues wait for their desk's verification.",
                pending,
            ) % {"count": pending}
        return NextStep(
            text, reverse("issues:meeting_issues", kwargs={"slug": slug}), _("Strategic issues")
        )
    if at < meeting.starts_at:
        return NextStep(
            _("The meeting is on %(date)s: prepare the attendance list and the check-in QR code.")
            % {"date": when(meeting.starts_at)},
            reverse("meetings:attendance", kwargs={"slug": slug}),
            _("Attendance list"),
        )
    if not getattr(meeting, "plenary_final", True):
        return NextStep(
            _("Write the minutes and finalise them."),
            reverse("meetings:minutes_index", kwargs={"slug": slug}),
            _("Minutes"),
        )
    package = getattr(meeting, "rakorgub_package", None)
    if package is None:
        return NextStep(
            _("Finalise the documents and forward the agreement points to the RAKORGUB."),
            reverse("issues:package", kwargs={"slug": slug}),
            _("RAKORGUB package"),
        )
    if package.status != RakorgubPackage.Status.SIGNED:
        return NextStep(
            _("Record the signatories, upload the signed scan and mark the package signed."),
            reverse("issues:package", kwargs={"slug": slug}),
            _("RAKORGUB package"),
        )
    return NextStep(
        _("Follow up the signed agreement points."),
        reverse("issues:followup"),
        _("Follow-up"),
    )
