"""The official documents of a meeting: what each is called, how it is rendered, when it exists.

A document is named in URLs by its `key` and, for a desk's document (the
priority list, the desk's minutes), its desk's field slug. Documents that need
data another part of the app has not recorded yet say so through `available`
(and `desks_available`, for a desk document that exists desk by desk) and are
listed as not available.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from enum import Enum

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from issues.models import DeskState, RakorgubPackage
from meetings.models import Desk, Meeting, Minutes, Participant
from rakortek.documents import agreement, content, monitoring, naskah, rendering
from rakortek.documents.models import FinalDocument


def renders_in_background(rows: int) -> bool:
    """A document of more than DOCUMENTS_BACKGROUND_ROWS rows is rendered by the task
    worker, not in the request (the one place that compares against the setting)."""
    return rows > settings.DOCUMENTS_BACKGROUND_ROWS


K = FinalDocument.Kind


def _always(meeting) -> bool:
    return True


def _no_blockers(meeting) -> dict:
    return {}


@contextmanager
def shared_lookups(meeting):
    """While the documents of `meeting` are listed, rules that read the same rows (the
    minutes' states, the RAKORGUB package's status) share one query: the page stays at
    a fixed, small number of queries. Outside it each rule asks the database itself."""
    meeting._document_lookups = {}
    try:
        yield
    finally:
        del meeting._document_lookups


def _shared(meeting, name, compute):
    lookups = getattr(meeting, "_document_lookups", None)
    if lookups is None:
        return compute()
    if name not in lookups:
        lookups[name] = compute()
    return lookups[name]


def _minutes_states(meeting) -> dict:
    """{desk id, or None for the plenary: status} of the meeting's minutes, one query."""
    return _shared(
        meeting,
        "minutes",
        lambda: dict(Minutes.objects.filter(meeting=meeting).values_list("desk_id", "status")),
    )


def _has_minutes(meeting) -> bool:
    return None in _minutes_states(meeting)


def _minutes_blockers(meeting) -> dict:
    """The notulen PDF is final only once the minutes' text is final (locked)."""
    if _minutes_states(meeting).get(None) == Minutes.Status.FINAL:
        return {}
    return {None: _("Finalise the text of the minutes first, on the minutes page.")}


def _desks_with_minutes(meeting) -> set[int]:
    return {desk_id for desk_id in _minutes_states(meeting) if desk_id is not None}


def _desk_minutes_blockers(meeting) -> dict:
    """A desk's notulen PDF is final only once the text of that desk's minutes is final.

    A desk without minutes has no document yet (`_desks_with_minutes`), so only
    the desks whose minutes are still a draft are named.
    """
    message = _("Finalise the text of this desk's minutes first, on the minutes page.")
    return {
        desk_id: message
        for desk_id, status in _minutes_states(meeting).items()
        if desk_id is not None and status != Minutes.Status.FINAL
    }


def _package_status(meeting) -> str | None:
    """The status of the meeting's RAKORGUB package, None before it is forwarded."""
    return _shared(
        meeting,
        "package",
        lambda: (
            RakorgubPackage.objects.filter(meeting=meeting).values_list("status", flat=True).first()
        ),
    )


def _has_package(meeting) -> bool:
    return _package_status(meeting) is not None


def _package_signed(meeting) -> bool:
    return _package_status(meeting) == RakorgubPackage.Status.SIGNED


def _has_attendance(meeting) -> bool:
    return Participant.objects.filter(meeting=meeting, checked_in_at__isnull=False).exists()


def _attendance_rows(meeting, desk) -> int:
    return Participant.objects.filter(meeting=meeting, checked_in_at__isnull=False).count()


def meeting_date(meeting) -> date:
    """The meeting's day: the date its minutes, lists and recap print."""
    return timezone.localtime(meeting.starts_at).date()


def printing_date(meeting) -> date:
    """Today: the date a report of the state of things prints."""
    return timezone.localdate()


def _board_blockers(meeting) -> dict:
    """A desk's priority list is final only while its board is locked: it cannot change
    under the final document."""
    locked = set(
        DeskState.objects.filter(desk__meeting=meeting, locked_at__isnull=False).values_list(
            "desk_id", flat=True
        )
    )
    message = _("Lock the desk board first, so that the list cannot change any more.")
    return {
        desk_id: message
        for desk_id in meeting.desks.values_list("pk", flat=True)
        if desk_id not in locked
    }


class Unit(Enum):
    """What a document's rows count, for the documents page: "12 issues", "28 points"."""

    ISSUES = "issues"
    # The Prioritas issues only: the rows of the plenary minutes' tables.
    PRIORITY_ISSUES = "priority issues"
    POINTS = "points"
    PARTICIPANTS = "participants"

    def label(self, count: int) -> str:
        if self is Unit.POINTS:
            text = ngettext("%(count)d point", "%(count)d points", count)
        elif self is Unit.PRIORITY_ISSUES:
            text = ngettext("%(count)d priority issue", "%(count)d priority issues", count)
        elif self is Unit.PARTICIPANTS:
            text = ngettext("%(count)d participant", "%(count)d participants", count)
        else:
            text = ngettext("%(count)d issue", "%(count)d issues", count)
        return text % {"count": count}


@dataclass(frozen=True)
class DocumentSpec:
    key: str
    kind: str
    label: object
    title_text: str  # the Indonesian title printed and stored, before the meeting's title
    render: Callable | None
    rows: Callable[[Meeting, Desk | None], int]
    # What `rows` counts. A document counting issues is counted, on the documents
    # page, from the one query that counts the issues of every desk.
    unit: Unit = Unit.ISSUES
    per_desk: bool = False
    extension: str = "pdf"
    available: Callable[[Meeting], bool] = _always
    # For a desk document that exists desk by desk: the ids of the desks it exists for.
    desks_available: Callable[[Meeting], set] | None = None
    unavailable_note: object = ""
    # {desk id or None: why it cannot be finalised now}, for the whole meeting at once.
    blockers: Callable[[Meeting], dict] = _no_blockers
    # Called with actor, meeting, desk and the stored document once a final version is stored.
    on_final: Callable | None = None
    # A file that belongs with the document but is kept elsewhere (the signed scan):
    # called with the meeting, returns (label key, URL) or None.
    attachment: Callable | None = None
    # The date the document prints as its own; its number takes this date's year
    # (rakortek.documents.numbering).
    dated: Callable[[Meeting], date] = meeting_date

    def number_year(self, meeting: Meeting) -> int:
        return self.dated(meeting).year

    def title(self, meeting: Meeting, desk: Desk | None = None) -> str:
        if desk is not None:
            return f"{self.title_text} {desk.field.name} - {meeting.title}"
        return f"{self.title_text} - {meeting.title}"

    def filename(self, desk: Desk | None = None) -> str:
        """notulen.pdf, prioritas-bina-marga.pdf, rekapitulasi.xlsx"""
        stem = self.key.removesuffix("-xlsx")
        if desk is not None:
            stem = f"{stem}-{desk.field.slug}"
        return f"{stem}.{self.extension}"

    def is_available(self, meeting: Meeting, desk: Desk | None = None) -> bool:
        """Whether it can be rendered now (for `desk`; without one, for some desk)."""
        if self.render is None or not self.available(meeting):
            return False
        if self.desks_available is None:
            return True
        desks = self.desks_available(meeting)
        return desk.pk in desks if desk is not None else bool(desks)

    def count_label(self, count: int) -> str:
        return self.unit.label(count)

    def blocker(self, meeting: Meeting, desk: Desk | None = None) -> str:
        """Why this document cannot be finalised now, or ""."""
        return str(self.blockers(meeting).get(desk.pk if desk else None, ""))


SPECS: dict[str, DocumentSpec] = {}


def _rendering_as(spec: DocumentSpec) -> Callable:
    """`spec.render` told which kind it renders and the year of its number (for the
    number pattern a draft prints)."""
    render = spec.render

    def render_kind(meeting, desk, options):
        options.kind = spec.kind
        options.year = spec.number_year(meeting)
        return render(meeting, desk, options)

    return render_kind


def register(spec: DocumentSpec) -> DocumentSpec:
    if spec.render is not None:
        spec = replace(spec, render=_rendering_as(spec))
    SPECS[spec.key] = spec
    return spec


register(
    DocumentSpec(
        key="notulen",
        kind=K.MINUTES,
        label=_("Minutes (notulen)"),
        title_text="Notulen",
        render=rendering.render_minutes,
        # The rows it prints: each desk's Prioritas issues (the other issues are only counted).
        rows=lambda meeting, desk: content.count_priority_issues(meeting),
        unit=Unit.PRIORITY_ISSUES,
        available=_has_minutes,
        unavailable_note=_("Available once the minutes of the plenary are written."),
        blockers=_minutes_blockers,
    )
)
register(
    DocumentSpec(
        key="notulen-desk",
        kind=K.DESK_MINUTES,
        label=_("Desk minutes (notulen desk)"),
        title_text="Notulen Desk",
        render=rendering.render_desk_minutes,
        rows=content.count_document_issues,
        per_desk=True,
        desks_available=_desks_with_minutes,
        unavailable_note=_("Available once the minutes of this desk are written."),
        blockers=_desk_minutes_blockers,
    )
)
register(
    DocumentSpec(
        key="butir-kesepakatan",
        kind=K.AGREEMENT,
        label=_("Draft agreement points (butir kesepakatan)"),
        title_text="Draf Butir Kesepakatan",
        render=agreement.render_agreement,
        rows=agreement.count_points,
        unit=Unit.POINTS,
        available=agreement.has_points,
        unavailable_note=_("Available once the desks have recorded agreement points."),
        on_final=agreement.agree_sources,
    )
)
register(
    DocumentSpec(
        key="naskah-kesepakatan",
        kind=K.RAKORGUB_AGREEMENT,
        label=_("RAKORGUB agreement (naskah kesepakatan)"),
        title_text="Naskah Kesepakatan RAKORGUB",
        render=naskah.render_naskah,
        rows=naskah.count_points,
        unit=Unit.POINTS,
        available=_has_package,
        unavailable_note=_("Available once the agreement points are forwarded to RAKORGUB."),
        attachment=naskah.signed_scan_link,
        dated=naskah.rakorgub_date,
    )
)
register(
    DocumentSpec(
        key="daftar-hadir",
        kind=K.ATTENDANCE,
        label=_("Attendance list (daftar hadir)"),
        title_text="Daftar Hadir",
        render=rendering.render_attendance,
        rows=_attendance_rows,
        unit=Unit.PARTICIPANTS,
        available=_has_attendance,
        unavailable_note=_("Available once someone has checked in."),
    )
)
register(
    DocumentSpec(
        key="prioritas",
        kind=K.PRIORITY_LIST,
        label=_("Desk priority list"),
        title_text="Daftar Prioritas Desk",
        render=rendering.render_priority_list,
        rows=content.count_document_issues,
        per_desk=True,
        blockers=_board_blockers,
    )
)
register(
    DocumentSpec(
        key="rekapitulasi",
        kind=K.RECAP,
        label=_("Recap for Biro Pemerintahan (PDF)"),
        title_text="Rekapitulasi Isu Strategis",
        render=rendering.render_recap,
        rows=lambda meeting, desk: content.count_document_issues(meeting),
    )
)
register(
    DocumentSpec(
        key="rekapitulasi-xlsx",
        kind=K.RECAP_XLSX,
        label=_("Recap for Biro Pemerintahan (spreadsheet)"),
        title_text="Rekapitulasi Isu Strategis (XLSX)",
        render=rendering.render_recap_xlsx,
        rows=lambda meeting, desk: content.count_document_issues(meeting),
        extension="xlsx",
    )
)
register(
    DocumentSpec(
        key="tindak-lanjut",
        kind=K.MONITORING,
        label=_("Follow-up monitoring report (laporan monitoring tindak lanjut, PDF)"),
        title_text="Laporan Monitoring Tindak Lanjut",
        render=monitoring.render_monitoring,
        rows=monitoring.count_points,
        unit=Unit.POINTS,
        available=_package_signed,
        unavailable_note=_("Available once the agreement points are signed at RAKORGUB."),
        dated=printing_date,
    )
)
register(
    DocumentSpec(
        key="tindak-lanjut-xlsx",
        kind=K.MONITORING_XLSX,
        label=_("Follow-up monitoring report (spreadsheet)"),
        title_text="Laporan Monitoring Tindak Lanjut (XLSX)",
        render=monitoring.render_monitoring_xlsx,
        rows=monitoring.count_points,
        unit=Unit.POINTS,
        extension="xlsx",
        available=_package_signed,
        unavailable_note=_("Available once the agreement points are signed at RAKORGUB."),
        dated=printing_date,
    )
)

BY_KIND = {spec.kind: spec for spec in SPECS.values()}
