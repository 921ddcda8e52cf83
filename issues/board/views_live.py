"""The live board: a read-only page for the projector in the desk's room.

It shows the desk's current ranking and decisions in large type and keeps itself up
to date without a reload: htmx asks for the rows every few seconds, carrying the
version it shows. While nothing has changed the answer is an empty 204 (or a 304 to a
conditional request), so an idle projector costs one small query every few seconds.

The version is the desk's board version (DeskState, bumped by every score, rank,
decision and merge) together with the latest change of any of its issues, which also
catches what happens outside the board: a verification, a return, a withdrawal.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db.models import F, IntegerField, Max, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from issues.board.selectors import RANKABLE_STATUSES
from issues.models import DeskState, Issue
from meetings.models import Desk, Region
from meetings.selectors import desk_for

S = Issue.Status
POLL_SECONDS = 3
# The rendered rows are kept per live version; the version changes with every change
# the rows show, so this only bounds how long a renamed region could show its old name.
ROWS_CACHE_SECONDS = 10 * 60
# Only what the board shows: the long texts of hundreds of issues stay in the database.
LIVE_FIELDS = (
    "number",
    "title",
    "status",
    "rank",
    "score",
    "decision",
    "region__name",
    "region__kemendagri_code",
    "desk__field__code",
)


def live_desk_for_user(user, desk_id) -> Desk:
    """The desk `desk_id` with its live version, if `user` may watch its live board
    (rule "live_board" of rakortek.core.access: every account of the meeting)."""
    board_version = DeskState.objects.filter(desk=OuterRef("pk")).values("version")[:1]
    last_change = (
        Issue.objects.filter(desk=OuterRef("pk"))
        .order_by()
        .values("desk")
        .annotate(last=Max("updated_at"))
        .values("last")
    )
    desks = Desk.objects.select_related("meeting", "field").annotate(
        board_version=Coalesce(Subquery(board_version), Value(0), output_field=IntegerField()),
        last_change=Subquery(last_change),
    )
    return desk_for(user, desk_id, "live_board", desks=desks)


def live_version(desk) -> str:
    """What the live board shows changes whenever this string does."""
    changed = desk.last_change.timestamp() if desk.last_change else 0
    return f"{desk.board_version}-{changed:.6f}"


def live_issues(desk) -> list[Issue]:
    """The desk's issues as the room sees them: the ranking first, then the issues not
    ranked yet by score. Only what the desk has verified or decided: the room never sees
    an issue still waiting for the desk or sent back to its region. Two queries (issues,
    joint regions) whatever their number."""
    return list(
        Issue.objects.filter(desk=desk, status__in=RANKABLE_STATUSES, merged_into__isnull=True)
        .select_related("region", "desk__field")
        .only(*LIVE_FIELDS)
        # A plain list per issue: a related manager for each of hundreds of rows costs
        # more than the rest of the row.
        .prefetch_related(
            Prefetch("joint_regions", queryset=Region.objects.only("name"), to_attr="others")
        )
        .order_by(
            F("rank").asc(nulls_last=True),
            F("score").desc(nulls_last=True),
            "number",
        )
    )


def _context(desk):
    issues = live_issues(desk)
    return {
        "desk": desk,
        "meeting": desk.meeting,
        "issues": issues,
        "ranked": [i for i in issues if i.rank is not None],
        "unranked": [i for i in issues if i.rank is None],
        "version": live_version(desk),
        "poll_seconds": POLL_SECONDS,
    }


def live_rows_html(request, desk) -> str:
    """The rendered rows of `desk`, once per live version and language: a room full of
    phones and the projector ask for the same rows. The rows are the same for every
    account that may watch the board."""
    version = live_version(desk)
    key = f"live:{desk.pk}:{translation.get_language()}:{version}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("issues/board/live/_rows.html", _context(desk), request=request)
        cache.set(key, html, ROWS_CACHE_SECONDS)
    return html


@require_safe
@login_required
def live_board(request, desk_id):
    desk = live_desk_for_user(request.user, desk_id)
    context = {
        "desk": desk,
        "meeting": desk.meeting,
        "rows": live_rows_html(request, desk),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "issues/board/live/board.html", context)


@require_safe
def live_rows(request, desk_id):
    """The rows alone, for htmx: 204 while the version the page shows is current."""
    if not request.user.is_authenticated:
        if request.headers.get("HX-Request"):
            # A projector left on after the session ended goes to the login page
            # instead of showing the login form inside the table.
            return HttpResponse(status=204, headers={"HX-Redirect": reverse("login")})
        return redirect_to_login(request.get_full_path())
    desk = live_desk_for_user(request.user, desk_id)
    version = live_version(desk)
    etag = f'"{version}"'
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(live_rows_html(request, desk))
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response
