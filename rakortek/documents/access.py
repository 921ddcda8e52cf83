"""Who may read which official document, as a draft or final, and who may finalise.

| role        | reads                                              | finalises, reopens |
|-------------|----------------------------------------------------|--------------------|
| secretariat | every document, drafts and finals                  | yes                |
| desk head   | the documents of the desks they chair (priority    | no (403)           |
|             | list, desk minutes), drafts and finals; nothing    |                    |
|             | else (404): not another desk's, not the plenary's  |                    |
| observer    | every FINAL document; a draft is 403, except the   | no (403)           |
|             | follow-up monitoring report (its draft is the      |                    |
|             | follow-up as it stands today: observers monitor)   |                    |
| delegate    | the final recap (PDF and XLSX), the final draft    | no (403)           |
|             | agreement points, the final RAKORGUB agreement and |                    |
|             | the final monitoring report: the documents that go |                    |
|             | to every regent; anything else is 404              |                    |

The final RAKORGUB agreement (naskah kesepakatan) is read by every account, desk
heads included: its points are signed in public, like the package they come from.

A document outside the user's scope is 404 (its existence is not revealed);
one they may read but not in the form asked (a draft) or not change is 403.
Documents exist only for RAKORTEK meetings that participants may see (not drafts).
"""

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings.models import Desk, Meeting
from rakortek.documents.models import FinalDocument

K = FinalDocument.Kind
# A desk's own documents: its chair drafts them with the secretariat.
DESK_HEAD_KINDS = frozenset({K.PRIORITY_LIST, K.DESK_MINUTES})
DELEGATE_KINDS = frozenset(
    {K.RECAP, K.RECAP_XLSX, K.AGREEMENT, K.RAKORGUB_AGREEMENT, K.MONITORING, K.MONITORING_XLSX}
)
# Final versions every account reads, whatever its role.
PUBLIC_FINAL_KINDS = frozenset({K.RAKORGUB_AGREEMENT})
# The follow-up of signed points is read by every account (issues.followup.point_for);
# its report as it stands today is what observers come to read.
OBSERVER_DRAFT_KINDS = frozenset({K.MONITORING, K.MONITORING_XLSX})


class Scope(IntEnum):
    NONE = 0
    FINAL = 1  # read final versions
    DRAFT = 2  # read drafts and final versions
    ALL = 3  # read, finalise, reopen


def meeting_for_documents(user, slug) -> Meeting:
    """The RAKORTEK `slug` if `user` may see documents of it at all, else 404."""
    meetings = Meeting.objects.filter(kind=Meeting.Kind.RAKORTEK)
    if not user.is_authenticated or not user.is_active:
        raise Http404
    if not user.is_secretariat:
        meetings = meetings.visible_to_participants()
    try:
        return meetings.get(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None


def scope_for(user, kind: str, desk: Desk | None) -> Scope:
    if user.is_secretariat:
        return Scope.ALL
    if user.is_desk_head:
        if kind in DESK_HEAD_KINDS and desk is not None and desk.chair_id == user.pk:
            return Scope.DRAFT
        return Scope.FINAL if kind in PUBLIC_FINAL_KINDS else Scope.NONE
    if user.is_observer:
        return Scope.DRAFT if kind in OBSERVER_DRAFT_KINDS else Scope.FINAL
    if user.is_delegate and kind in DELEGATE_KINDS:
        return Scope.FINAL
    return Scope.NONE


def check_scope(user, kind: str, desk: Desk | None, needed: Scope) -> Scope:
    """404 outside the user's scope; 403 when in scope but short of `needed`."""
    scope = scope_for(user, kind, desk)
    if scope == Scope.NONE:
        raise Http404
    if scope < needed:
        raise PermissionDenied
    return scope


def final_document_for_user(user, pk) -> FinalDocument:
    """A stored final document `user` may download (any version), else 404."""
    try:
        document = FinalDocument.objects.select_related("meeting", "desk__field").get(pk=pk)
    except (FinalDocument.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting_for_documents(user, document.meeting.slug)
    check_scope(user, document.kind, document.desk, Scope.FINAL)
    return document
