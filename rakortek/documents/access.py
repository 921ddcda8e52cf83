"""Which official document a user may read, as a draft or final, and who may finalise:
rakortek.core.access holds the rules ("document.final", "document.draft",
"document.desk_draft", "document.monitoring_draft", "document.personal"); this module
maps a document kind and desk onto them.

- secretariat: every document, drafts and finals; finalises and reopens.
- every account of the meeting: every FINAL document, except the attendance list
  (phone numbers and signatures: the secretariat and observers).
- a desk's chair (and, for its minutes, its note-taker): the drafts of that desk's
  priority list and minutes.
- observers: the draft of the follow-up monitoring report (the follow-up as it stands
  today: observers monitor).

A document outside the user's scope is 404 (its existence is not revealed);
one they may read but not in the form asked (a draft) or not change is 403.
Documents exist only for RAKORTEK meetings that participants may see (not drafts).
"""

from enum import IntEnum

from django.core.exceptions import PermissionDenied
from django.http import Http404

from meetings.models import Desk, Meeting
from rakortek.core import access
from rakortek.documents.models import FinalDocument

K = FinalDocument.Kind
# The follow-up of signed points is read by every account (issues.followup.services.point_for);
# its report as it stands today is what observers come to read.
MONITORING_KINDS = frozenset({K.MONITORING, K.MONITORING_XLSX})
# Documents that carry personal data (phone numbers, signatures).
PERSONAL_KINDS = frozenset({K.ATTENDANCE})


class Scope(IntEnum):
    NONE = 0
    FINAL = 1  # read final versions
    DRAFT = 2  # read drafts and final versions
    ALL = 3  # read, finalise, reopen


def meeting_for_documents(user, slug) -> Meeting:
    """The RAKORTEK `slug` if `user` may see documents of it at all, else 404."""
    meetings = Meeting.objects.filter(kind=Meeting.Kind.RAKORTEK)
    if access.role_of(user) is None:
        raise Http404
    if not user.is_secretariat:
        meetings = meetings.visible_to_participants()
    try:
        return meetings.get(slug=slug)
    except Meeting.DoesNotExist:
        raise Http404 from None


def scope_for(user, kind: str, desk: Desk | None) -> Scope:
    """What `user` may do with the documents of `kind` (for `desk`) of a meeting they
    may see (meeting_for_documents has checked that)."""
    if access.may(user, "document.draft", write=True):
        return Scope.ALL
    if kind == K.DESK_MINUTES and access.may(user, "document.desk_draft", desk=desk):
        return Scope.DRAFT
    if kind == K.PRIORITY_LIST and access.may(
        user, "document.desk_draft", chairs_it=access.chairs(user, desk)
    ):
        return Scope.DRAFT
    if kind in MONITORING_KINDS and access.may(user, "document.monitoring_draft"):
        return Scope.DRAFT
    thing = "document.personal" if kind in PERSONAL_KINDS else "document.final"
    if access.may(user, thing):
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
