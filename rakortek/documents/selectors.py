"""Reads for the documents page: each document of a meeting with its versions and renderings."""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse

from issues.models import Issue
from meetings.models import Desk, Meeting
from rakortek.documents import content
from rakortek.documents.access import Scope, check_scope, meeting_for_documents, scope_for
from rakortek.documents.catalog import (
    SPECS,
    DocumentSpec,
    Unit,
    renders_in_background,
    shared_lookups,
)
from rakortek.documents.models import FinalDocument, RenderJob


def spec_and_desk(meeting: Meeting, key: str, field_slug: str | None):
    """The document `key` (and its desk, for a desk document) of `meeting`, or 404."""
    spec = SPECS.get(key)
    if spec is None or spec.per_desk != (field_slug is not None):
        raise Http404
    if field_slug is None:
        return spec, None
    try:
        desk = Desk.objects.select_related("field", "chair", "meeting").get(
            meeting=meeting, field__slug=field_slug
        )
    except Desk.DoesNotExist:
        raise Http404 from None
    return spec, desk


def needs_background(spec: DocumentSpec, meeting: Meeting, desk: Desk | None) -> bool:
    """Whether finalising renders in the task worker rather than in the request."""
    return renders_in_background(spec.rows(meeting, desk))


@dataclass
class DocumentRow:
    meeting_slug: str
    spec: DocumentSpec
    desk: Desk | None
    scope: Scope
    available: bool
    rows: int  # what the document counts: issues, points, participants (spec.unit)
    versions: list = field(default_factory=list)  # newest first
    job: RenderJob | None = None
    blocker: str = ""  # why it cannot be finalised now
    attachment_url: str = ""  # a file kept with it elsewhere (the signed scan)

    @property
    def current(self) -> FinalDocument | None:
        return next((v for v in self.versions if v.is_current), None)

    @property
    def background(self) -> bool:
        return renders_in_background(self.rows)

    @property
    def can_finalise(self) -> bool:
        current = self.current
        return (
            self.scope >= Scope.ALL
            and self.available
            and not self.blocker
            and (current is None or current.is_reopened)
            and not (self.job and self.job.is_active)
        )

    @property
    def count_label(self) -> str:
        return self.spec.count_label(self.rows)

    @property
    def may_draft(self) -> bool:
        return self.scope >= Scope.DRAFT and self.available

    @property
    def filename(self) -> str:
        return self.spec.filename(self.desk)

    @property
    def anchor(self) -> str:
        return f"dokumen-{self.spec.key}" + (f"-{self.desk.field.slug}" if self.desk else "")

    def _url(self, name):
        kwargs = {"slug": self.meeting_slug, "key": self.spec.key}
        if self.desk is not None:
            kwargs["field_slug"] = self.desk.field.slug
        return reverse(f"documents:{name}", kwargs=kwargs)

    @property
    def draft_url(self):
        return self._url("draft")

    @property
    def finalise_url(self):
        return self._url("finalise")


def document_rows(user, meeting: Meeting) -> list[DocumentRow]:
    """The documents of `meeting` that `user` may see, in a fixed number of queries.

    Observers and delegates see only documents that have a final version, except
    a draft they may download (observers: the monitoring report once available).
    """
    with shared_lookups(meeting):
        return _document_rows(user, meeting)


def _document_rows(user, meeting: Meeting) -> list[DocumentRow]:
    desks = list(meeting.desks.select_related("field", "chair"))
    versions: dict[tuple, list] = {}
    for document in FinalDocument.objects.filter(meeting=meeting).select_related(
        "finalised_by", "reopened_by"
    ):
        versions.setdefault((document.kind, document.desk_id), []).append(document)
    jobs: dict[tuple, RenderJob] = {}
    for job in RenderJob.objects.filter(meeting=meeting).order_by("-created_at", "-pk"):
        jobs.setdefault((job.kind, job.desk_id), job)
    # Per desk: its issues and its Prioritas issues, in one query.
    per_desk = {
        desk_id: (issues, priorities)
        for desk_id, issues, priorities in content.document_issues(meeting)
        .order_by()
        .values_list("desk_id")
        .annotate(n=Count("id"), p=Count("id", filter=Q(decision=Issue.Decision.PRIORITY)))
        .values_list("desk_id", "n", "p")
    }
    total = (
        sum(issues for issues, _ in per_desk.values()),
        sum(priorities for _, priorities in per_desk.values()),
    )

    rows = []
    availability = {}  # documents that share a rule (PDF and XLSX) share its query
    counts = {}  # and documents that count the same rows share that count
    for spec in SPECS.values():
        if (spec.available, spec.render is None) not in availability:
            availability[spec.available, spec.render is None] = (
                spec.render is not None and spec.available(meeting)
            )
        meeting_available = availability[spec.available, spec.render is None]
        desks_available = (
            spec.desks_available(meeting)
            if meeting_available and spec.desks_available is not None
            else None
        )
        blockers = (
            spec.blockers(meeting)
            if meeting_available and desks_available != set() and user.is_secretariat
            else {}
        )
        for desk in desks if spec.per_desk else [None]:
            scope = scope_for(user, spec.kind, desk)
            if scope == Scope.NONE:
                continue
            available = meeting_available and (
                desks_available is None or desk is None or desk.pk in desks_available
            )
            key = (spec.kind, desk.pk if desk else None)
            found = sorted(versions.get(key, []), key=lambda v: -v.version)
            if scope == Scope.FINAL and not found:
                continue
            # Nor is a draft they could not download yet (the monitoring report before signing).
            if scope < Scope.ALL and not available and not found:
                continue
            job = jobs.get(key)
            # A finished job matters only until a newer version replaces what it reported.
            if job and not job.is_active and job.status != RenderJob.Status.FAILED:
                job = None
            if job and found and job.status == RenderJob.Status.FAILED:
                if found[0].finalised_at > job.created_at:
                    job = None
            rows.append(
                DocumentRow(
                    meeting_slug=meeting.slug,
                    spec=spec,
                    desk=desk,
                    scope=scope,
                    available=available,
                    rows=_count(spec, meeting, desk, per_desk, total, counts) if available else 0,
                    versions=found,
                    job=job,
                    blocker=str(blockers.get(desk.pk if desk else None, "")),
                    attachment_url=_attachment_url(spec, meeting) if available else "",
                )
            )
    return rows


def _attachment_url(spec: DocumentSpec, meeting) -> str:
    if spec.attachment is None:
        return ""
    link = spec.attachment(meeting)
    return link[1] if link else ""


def _count(spec: DocumentSpec, meeting, desk, per_desk: dict, total: int, counts: dict) -> int:
    """What the document's row counts: issues (all, or the Prioritas ones) from the count
    already made, anything else (points, participants) asked once per counting rule and desk."""
    if spec.unit in (Unit.ISSUES, Unit.PRIORITY_ISSUES):
        column = 0 if spec.unit is Unit.ISSUES else 1
        return per_desk.get(desk.pk, (0, 0))[column] if desk else total[column]
    key = (spec.rows, desk.pk if desk else None)
    if key not in counts:
        counts[key] = spec.rows(meeting, desk)
    return counts[key]


def job_for_user(user, pk) -> RenderJob:
    """A rendering job the user may follow (the secretariat); 404 or 403 otherwise."""
    try:
        job = RenderJob.objects.select_related("meeting", "desk__field", "document").get(pk=pk)
    except (RenderJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    meeting_for_documents(user, job.meeting.slug)
    check_scope(user, job.kind, job.desk, Scope.ALL)
    return job


def final_agreement_document(meeting: Meeting) -> FinalDocument | None:
    """The meeting's current final agreement document that is not reopened, or None
    (registered with issues.agreement.services, whose points it locks)."""
    return FinalDocument.objects.filter(
        meeting=meeting,
        kind=FinalDocument.Kind.AGREEMENT,
        is_current=True,
        reopened_at__isnull=True,
    ).first()
