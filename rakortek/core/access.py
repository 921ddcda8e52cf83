"""The access policy: who may read and who may change what, in one table.

Every view and selector asks this module; none decides access on its own. The
convention (DESIGN.md): anonymous users are sent to log in; an object outside
the user's scope is "not found" (404), so its existence is not revealed; an
object the user may read but not change gives 403 on a write.

A rule gives each role a *scope*: which objects of a kind it reaches.

    ALL      every one (the secretariat), draft meetings included
    MEETING  those of every meeting that is not a draft: every account of the meeting
    DESK     those of the desks the user chairs, whatever the meeting's state
    TEAM     those of the desks the user chairs or takes notes for
    REGION   those of the user's own region, in meetings that are not drafts
    NONE     none

A tuple of scopes means "any of them". This module sits at the bottom: it
imports no app. Callers describe the object (its meeting, whether the user
chairs its desk, whether it is of the user's region) and get a yes or no, or a
`Q` filter for a list.
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from rakortek.accounts.models import Role


class Scope(StrEnum):
    ALL = "all"
    MEETING = "meeting"
    DESK = "desk"
    TEAM = "team"
    REGION = "region"
    NONE = "none"


ALL, MEETING, DESK, TEAM, REGION, NONE = Scope

# The value of meetings.Meeting.Status.DRAFT (this module imports no app;
# tests/accounts/test_access.py checks that the two agree).
MEETING_DRAFT = "draf"

SECRETARIAT, DESK_HEAD, DELEGATE, OBSERVER = (
    Role.SECRETARIAT,
    Role.DESK_HEAD,
    Role.DELEGATE,
    Role.OBSERVER,
)

# ---- The rules ----
# thing -> {role: (read scope, write scope)}. Read is what a GET shows; write is every
# change. What a change needs beyond the role (a state, a window) is the service's rule.
RULES: dict[str, dict[str, tuple]] = {
    # An issue and its files and questions. Drafts and returned issues stay with the
    # region, the secretariat and (once submitted) the desk's chair: see issue_q.
    "issue": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (DESK, NONE),
        DELEGATE: (REGION, REGION),
        OBSERVER: (MEETING, NONE),
    },
    # The desk's work on an issue: verify, return, ask a question.
    "issue.desk": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (DESK, DESK),
        DELEGATE: (NONE, NONE),
        OBSERVER: (NONE, NONE),
    },
    # The desk board (scores, ranks, decisions, merges, duplicates, the lock).
    "board": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (DESK, DESK),
        DELEGATE: (NONE, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # A region's assent to a desk's decision before the desk is locked: the region's
    # delegates answer; the desk (on its board) and the secretariat read the answers.
    # Opening a round for assent is a board write (rule "board").
    "assent": {
        SECRETARIAT: (ALL, NONE),
        DESK_HEAD: (DESK, NONE),
        DELEGATE: (REGION, REGION),
        OBSERVER: (NONE, NONE),
    },
    # The live board on the projector: the screen the whole desk room sees. It shows
    # only the issues the desk has verified or decided.
    "live_board": {
        SECRETARIAT: (ALL, NONE),
        DESK_HEAD: ((MEETING, DESK), NONE),
        DELEGATE: (MEETING, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # A desk's agreement points while they are drafted (the final ones are a document).
    "points": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (DESK, DESK),
        DELEGATE: (NONE, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # Final minutes (plenary or a desk's), as text: every account of the meeting.
    "minutes.final": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: ((MEETING, DESK), DESK),
        DELEGATE: (MEETING, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # Draft minutes: the secretariat; a desk's own minutes, its chair (writes) and
    # note-taker (reads).
    "minutes.draft": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (TEAM, DESK),
        DELEGATE: (TEAM, NONE),
        OBSERVER: (TEAM, NONE),
    },
    # A final official document (PDF, XLSX), any version: every account of the meeting.
    "document.final": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (MEETING, NONE),
        DELEGATE: (MEETING, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # A draft of an official document; finalising and reopening are the write.
    "document.draft": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (NONE, NONE),
        DELEGATE: (NONE, NONE),
        OBSERVER: (NONE, NONE),
    },
    # A final document that carries personal data (the attendance list: phone numbers,
    # signatures).
    "document.personal": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (NONE, NONE),
        DELEGATE: (NONE, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # The draft of a desk's own document: its minutes (chair and note-taker), its
    # priority list (chair).
    "document.desk_draft": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (TEAM, NONE),
        DELEGATE: (TEAM, NONE),
        OBSERVER: (TEAM, NONE),
    },
    # The monitoring report's draft is the follow-up as it stands today: observers
    # come to read it.
    "document.monitoring_draft": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (NONE, NONE),
        DELEGATE: (NONE, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # The RAKORGUB package, its points and signed scan: every account reads; the
    # secretariat alone changes it.
    "package": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (MEETING, NONE),
        DELEGATE: (MEETING, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # A signed point's follow-up (reports, evidence): every account reads; the
    # desk heads of its field and the delegates of its regions report.
    "followup": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (MEETING, DESK),
        DELEGATE: (MEETING, REGION),
        OBSERVER: (MEETING, NONE),
    },
    # The target date of a followed point.
    "followup.target": {
        SECRETARIAT: (ALL, ALL),
        DESK_HEAD: (MEETING, DESK),
        DELEGATE: (MEETING, NONE),
        OBSERVER: (MEETING, NONE),
    },
    # A region's kecamatan and desa (the location fields' suggestions): public reference
    # data, but a delegate only ever enters issues for their own region.
    "areas": {
        SECRETARIAT: (ALL, NONE),
        DESK_HEAD: (ALL, NONE),
        DELEGATE: (REGION, NONE),
        OBSERVER: (ALL, NONE),
    },
}


# ---- Asking ----


def role_of(user) -> str | None:
    """The role the rules know `user` by; None for anonymous and inactive accounts."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_secretariat:  # superusers count as secretariat
        return SECRETARIAT
    return user.role


def scopes(user, thing: str, *, write: bool = False) -> tuple:
    role = role_of(user)
    if role is None:
        return ()
    scope = RULES[thing].get(role, (NONE, NONE))[1 if write else 0]
    return scope if isinstance(scope, tuple) else (scope,)


def chairs(user, desk) -> bool:
    """Whether `user` chairs `desk` (a desk head's reach)."""
    return bool(desk is not None and user.is_desk_head and desk.chair_id == user.pk)


def takes_notes(user, desk) -> bool:
    return bool(desk is not None and desk.note_taker_id == user.pk)


def may(
    user,
    thing: str,
    *,
    write: bool = False,
    meeting=None,
    desk=None,
    region_ids=(),
    chairs_it: bool | None = None,
) -> bool:
    """Whether `user` may read (or with `write`, change) an object of `thing`.

    Describe the object: its `meeting` (for MEETING and REGION), its `desk` (DESK and
    TEAM; or `chairs_it` when "chairs it" is not one desk, e.g. a field), and the ids
    of its regions (REGION).
    """
    draft = meeting is not None and meeting.status == MEETING_DRAFT
    if chairs_it is None:
        chairs_it = chairs(user, desk)
    for scope in scopes(user, thing, write=write):
        if scope is ALL:
            return True
        if scope is MEETING and not draft:
            return True
        if scope is DESK and chairs_it:
            return True
        if scope is TEAM and (chairs_it or takes_notes(user, desk)):
            return True
        if scope is REGION and not draft and user.region_id and user.region_id in region_ids:
            return True
    return False


def check(user, thing: str, *, write: bool = False, **obj) -> None:
    """404 unless `user` may read the object; with `write`, 403 unless they may change it."""
    if not may(user, thing, **obj):
        raise Http404
    if write and not may(user, thing, write=True, **obj):
        raise PermissionDenied


def q(user, thing: str, *, write=False, meeting="meeting", desk="desk", region="region") -> Q:
    """A filter for the objects of `thing` that `user` reaches; the keyword arguments
    are the paths from the filtered model to its meeting, desk and region ("" for the
    model itself). Matches nothing when the user reaches none."""

    def path(prefix, name):
        return f"{prefix}__{name}" if prefix else name

    condition = Q(pk__in=[])
    for scope in scopes(user, thing, write=write):
        if scope is ALL:
            return Q()
        if scope is MEETING:
            condition |= ~Q(**{path(meeting, "status"): MEETING_DRAFT})
        elif scope is DESK:
            condition |= Q(**{path(desk, "chair"): user})
        elif scope is TEAM:
            condition |= Q(**{path(desk, "chair"): user}) | Q(**{path(desk, "note_taker"): user})
        elif scope is REGION and user.region_id:
            condition |= Q(**{path(region, "pk"): user.region_id}) & ~Q(
                **{path(meeting, "status"): MEETING_DRAFT}
            )
    return condition


# ---- Views that need a role and no object ----


def roles_required(*roles):
    """Login required, then 403 unless the user has one of `roles` (superusers always pass)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


secretariat_required = roles_required(Role.SECRETARIAT)
