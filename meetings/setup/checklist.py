"""What a RAKORTEK needs before it becomes active: the set-up checklist on its page.

Reads only; `services.meeting_activate` refuses a meeting whose required steps are not done.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meetings.models import Meeting

CRITERIA_WEIGHT_TOTAL = 100


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: str
    done: bool
    detail: str
    url: str
    required: bool = True


def _day(value) -> str:
    return date_format(timezone.localtime(value), "j F Y")


def _when(value) -> str:
    local = timezone.localtime(value)
    return f"{date_format(local, 'j F Y')}, {local:%H.%M} WIB"


def meeting_setup(meeting: Meeting) -> list[SetupStep]:
    """The steps of a RAKORTEK's set-up, in order; a fixed number of queries.

    Uses the prefetched desks, criteria and agenda items when the caller loaded them.
    """
    slug = meeting.slug
    page = reverse("meetings:detail", kwargs={"slug": slug})
    desks = list(meeting.desks.all())
    without_chair = [d for d in desks if not d.chair_id]
    criteria = list(meeting.criteria.all())
    total = sum(c.weight for c in criteria)
    to_check = [item for item in meeting.agenda_items.all() if item.needs_review]
    participants = meeting.participants.count()

    if not desks:
        desk_detail = _("No desks yet.")
    elif without_chair:
        desk_detail = ngettext(
            "%(count)s desk has no chair.", "%(count)s desks have no chair.", len(without_chair)
        ) % {"count": len(without_chair)}
    else:
        desk_detail = ngettext(
            "%(count)s desk, each with its chair.",
            "%(count)s desks, each with its chair.",
            len(desks),
        ) % {"count": len(desks)}

    opens, closes = meeting.submission_opens_at, meeting.submission_closes_at
    # Issues come before and during the meeting (DOMAIN.md): the window closes by its end.
    window_done = bool(opens and closes and closes <= meeting.ends_at)
    if opens and closes:
        window_detail = _("From %(opens)s until %(closes)s.") % {
            "opens": _when(opens),
            "closes": _when(closes),
        }
        if closes > meeting.ends_at:
            window_detail += " " + _("It must close by the end of the meeting.")
    else:
        window_detail = _("Set when submission opens and closes.")

    steps = [
        SetupStep(
            "desks",
            _("Desks and their chairs"),
            bool(desks) and not without_chair,
            desk_detail,
            f"{page}#desks",
        ),
        SetupStep(
            "criteria",
            _("Scoring criteria weights"),
            bool(criteria) and total == CRITERIA_WEIGHT_TOTAL,
            _("The weights add up to %(total)s of %(required)s.")
            % {"total": total, "required": CRITERIA_WEIGHT_TOTAL},
            reverse("meetings:criteria", kwargs={"slug": slug}),
        ),
        SetupStep(
            "window",
            _("Submission window"),
            window_done,
            window_detail,
            reverse("meetings:update", kwargs={"slug": slug}),
        ),
        SetupStep(
            "agenda",
            _("Agenda checked"),
            not to_check,
            ngettext(
                "%(count)s agenda item copied from last year: fill in who leads it.",
                "%(count)s agenda items copied from last year: fill in who leads them.",
                len(to_check),
            )
            % {"count": len(to_check)}
            if to_check
            else _("Nothing left to check."),
            f"{page}#agenda",
            required=False,
        ),
        SetupStep(
            "participants",
            _("Participants"),
            participants > 0,
            ngettext(
                "%(count)s participant registered.",
                "%(count)s participants registered.",
                participants,
            )
            % {"count": participants}
            if participants
            else _("None registered yet; they can also register themselves at check-in."),
            reverse("meetings:attendance", kwargs={"slug": slug}),
            required=False,
        ),
        SetupStep(
            "checkin",
            _("Check-in"),
            meeting.status == Meeting.Status.ACTIVE,
            _("Self check-in is open from %(opens)s until %(closes)s, once the meeting is active.")
            % {
                "opens": _day(meeting.checkin_opens_at),
                "closes": _day(meeting.checkin_closes_at - timedelta(seconds=1)),
            },
            reverse("meetings:attendance", kwargs={"slug": slug}),
            required=False,
        ),
    ]
    return steps


def meeting_ready(steps: list[SetupStep]) -> bool:
    return all(step.done for step in steps if step.required)
