"""Self check-in at /hadir/<code>/: no login, on the participant's own phone.

The code in the link is the meeting's current check-in code; an old (rotated)
or unknown code, or a meeting that is not active, gets a clear page and
nothing else. Search results show a name and an office, never a phone number
or e-mail address, and only for a search of three or more letters. Requests
are counted per client address so that a script cannot sweep the list or
flood the check-in; the limits are generous because a whole venue may share
one address.
"""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings import selectors, services
from meetings.attendance.forms import CheckInSearchForm, SelfCheckInForm, SelfRegisterForm
from meetings.models import Participant

# (requests, seconds) per client address and meeting.
DEFAULT_RATE_LIMITS = {"search": (300, 60), "write": (300, 600)}


def _client_address(request) -> str:
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(request, meeting, bucket) -> bool:
    limits = getattr(settings, "CHECKIN_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    allowed, seconds = limits[bucket]
    key = f"checkin:{bucket}:{meeting.pk}:{_client_address(request)}"
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count > allowed


def _closed(request, meeting=None, *, status):
    return render(
        request, "meetings/attendance/checkin/closed.html", {"meeting": meeting}, status=status
    )


def _too_many(request, meeting):
    return render(
        request, "meetings/attendance/checkin/too_many.html", {"meeting": meeting}, status=429
    )


def _open_meeting(request, code):
    """(meeting, None) when check-in is open, else (None, the page that says why)."""
    meeting = selectors.meeting_for_checkin(code)
    if meeting is None:
        return None, _closed(request, status=404)
    if not meeting.checkin_is_open:
        return None, _closed(request, meeting, status=403)
    return meeting, None


@require_GET
def checkin_start(request, code):
    meeting, refusal = _open_meeting(request, code)
    if refusal:
        return refusal
    search = CheckInSearchForm(request.GET or None)
    key = search.query()
    if key and _over_limit(request, meeting, "search"):
        return _too_many(request, meeting)
    context = {
        "meeting": meeting,
        "code": code,
        "search": search,
        "searched": bool(key),
        "results": [
            (participant, _sign_url_for(meeting, participant))
            for participant in selectors.checkin_search(meeting=meeting, key=key)
        ],
    }
    if request.headers.get("HX-Request"):
        return render(request, "meetings/attendance/checkin/_results.html", context)
    return render(request, "meetings/attendance/checkin/start.html", context)


# A participant's page is reached only from a search result: its address carries a
# signed, expiring token instead of the participant's id, so trying ids lists nobody.
TOKEN_SALT = "meetings.checkin.participant"
TOKEN_MAX_AGE = 12 * 60 * 60


def participant_token(participant: Participant) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(
        [participant.meeting_id, participant.pk]
    )


def _participant_pk(token: str, meeting) -> int | None:
    try:
        meeting_id, pk = signing.TimestampSigner(salt=TOKEN_SALT).unsign_object(
            token, max_age=TOKEN_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk if meeting_id == meeting.pk else None


def _sign_url_for(meeting, participant) -> str:
    participant.meeting = meeting
    return _sign_url(participant)


def _sign_url(participant) -> str:
    return reverse(
        "meetings:checkin_sign",
        kwargs={"code": participant.meeting.checkin_code, "token": participant_token(participant)},
    )


@require_http_methods(["GET", "POST"])
def checkin_sign(request, code, token):
    meeting, refusal = _open_meeting(request, code)
    if refusal:
        return refusal
    # Opening a participant's page counts like a search.
    if request.method == "GET" and _over_limit(request, meeting, "search"):
        return _too_many(request, meeting)
    pk = _participant_pk(token, meeting)
    if pk is None:
        messages.info(request, _("Search for your name again to check in."))
        return redirect("meetings:checkin", code=code)
    participant = get_object_or_404(
        Participant.objects.only("pk", "name", "office", "mode", "checked_in_at", "meeting_id"),
        meeting=meeting,
        pk=pk,
    )
    participant.meeting = meeting
    form = None
    if not participant.is_checked_in:
        form = SelfCheckInForm(request.POST or None, initial={"mode": participant.mode})
        if request.method == "POST":
            if _over_limit(request, meeting, "write"):
                return _too_many(request, meeting)
            if form.is_valid():
                try:
                    services.participant_check_in(
                        participant=participant,
                        via=Participant.Via.SELF,
                        signature=form.cleaned_data["signature"],
                        mode=form.cleaned_data["mode"],
                    )
                except services.AlreadyCheckedIn:
                    pass  # the page below says so
                except services.CheckInClosed:
                    return _closed(request, meeting, status=403)
                else:
                    messages.success(request, _("Thank you. Your attendance has been recorded."))
                return redirect(_sign_url(participant))
    return render(
        request,
        "meetings/attendance/checkin/sign.html",
        {"meeting": meeting, "code": code, "participant": participant, "form": form},
    )


@require_http_methods(["GET", "POST"])
def checkin_register(request, code):
    meeting, refusal = _open_meeting(request, code)
    if refusal:
        return refusal
    form = SelfRegisterForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        if _over_limit(request, meeting, "write"):
            return _too_many(request, meeting)
        if form.is_valid():
            try:
                participant = services.participant_self_register(
                    meeting=meeting,
                    signature=form.cleaned_data["signature"],
                    mode=form.cleaned_data["mode"],
                    **form.values(),
                )
            except services.CheckInClosed:
                return _closed(request, meeting, status=403)
            except services.AttendanceError as exc:
                form.add_error("name", str(exc))
            else:
                messages.success(request, _("Thank you. Your attendance has been recorded."))
                return redirect(_sign_url(participant))
    return render(
        request,
        "meetings/attendance/checkin/register.html",
        {"meeting": meeting, "code": code, "form": form},
    )
