"""Importing a region's issues from the spreadsheet template.

Three steps: download the template; upload a filled file and see every row's
errors (checked by IssueForm, the web form itself); confirm, which creates all
rows in one transaction through `services.issue_create`. Between the preview
and the confirmation the checked values wait in the server-side session, bound
to the user, the meeting and the region and to a one-time token in the page.
They are not run through the form a second time (a 300-row file would take too
long); `issue_create` validates each issue against the model again, and a field
(desk) removed from the meeting since the preview refuses the whole import.
"""

import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from issues import services
from issues.forms import IssueForm
from issues.models import Issue
from issues.selectors import get_meeting_for_user, submission_is_open_for
from issues.services import IssueError
from issues.submission import spreadsheet
from meetings.areas import AreaIndex
from meetings.models import Region
from rakortek.accounts.models import Role
from rakortek.core.access import roles_required
from rakortek.core.forms import ChooseForm

SESSION_KEY = "issue_import"
# A preview older than this must be uploaded again: the meeting may have moved on.
MAX_AGE_SECONDS = 60 * 60

may_import = roles_required(Role.DELEGATE, Role.SECRETARIAT)


class ImportUploadForm(ChooseForm):
    file = forms.FileField(
        label=_("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{spreadsheet.XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.content = None
        self.fields["file"].help_text = gettext(
            "At most %(rows)s issues and %(size)s MB. Nothing is saved before you confirm."
        ) % {
            "rows": spreadsheet.MAX_ROWS,
            "size": spreadsheet.MAX_UPLOAD_SIZE // (1024 * 1024),
        }
        if user.is_secretariat:
            # The region is chosen here, never read from the file.
            self.fields["region"] = forms.ModelChoiceField(
                label=_("Region"),
                queryset=Region.objects.in_province(),
                empty_label=_("Choose the region"),
            )
            self.order_fields(["region", "file"])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > spreadsheet.MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("The file is too large: at most %(limit)s MB."),
                code="too_large",
                params={"limit": spreadsheet.MAX_UPLOAD_SIZE // (1024 * 1024)},
            )
        upload.seek(0)
        self.content = spreadsheet.read_rows(
            upload.read(spreadsheet.MAX_UPLOAD_SIZE + 1), upload.name or ""
        )
        return upload


class ImportConfirmForm(ChooseForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
    checked = forms.BooleanField(
        label=_("I have checked the values marked as unusual; they are right."),
        required=False,
    )
    submit = forms.BooleanField(
        label=_("Submit them at once"),
        required=False,
        help_text=_("Otherwise they are saved as drafts that you can check and submit one by one."),
    )


@dataclass
class Cell:
    """One column of a row as the app understood it, beside what was typed."""

    name: str
    header: str
    typed: str
    understood: str
    error: bool = False
    warning: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.typed) and self.typed != self.understood


@dataclass
class RowResult:
    number: int
    cells: dict
    form: IssueForm
    errors: list = field(default_factory=list)  # (column header, message)
    warnings: list = field(default_factory=list)  # (column header, message)
    understood: list = field(default_factory=list)  # Cell, one per template column
    # Kecamatan or desa not among the region's areas: imported as typed, marked for checking.
    location_unmatched: bool = False

    @property
    def is_valid(self):
        return not self.errors


# The preview's columns: what decides the figures and the desk first, long texts last.
PREVIEW_ORDER = [
    "desk",
    "title",
    "volume",
    "unit",
    "estimated_cost",
    "funding_source",
    "authority",
    "land_readiness",
    "ded_readiness",
    "environmental_readiness",
    "district",
    "village",
    "place",
    "latitude",
    "longitude",
    "proposing_office",
    "problem",
    "current_condition",
    "proposed_handling",
    "support_requested",
    "plan_link",
]
PREVIEW_COLUMNS = [spreadsheet.COLUMNS_BY_FIELD[name] for name in PREVIEW_ORDER]


def _context(request, slug):
    user = request.user
    meeting = get_meeting_for_user(user, slug)
    form = IssueForm(meeting=meeting)
    return meeting, form, spreadsheet.choices_for(form)


def _error_message(header, typed, error, choices, name):
    """Column, value typed and (for a list) the allowed values, in one sentence."""
    if error.code == "invalid_choice" and name in choices.labels:
        return gettext("%(column)s: '%(value)s' is not a choice; choose %(choices)s.") % {
            "column": header,
            "value": typed,
            "choices": ", ".join(choices.labels[name]),
        }
    message = " ".join(error.messages)
    if typed:
        return gettext("%(column)s: %(message)s (typed: '%(value)s')") % {
            "column": header,
            "message": message,
            "value": typed,
        }
    return gettext("%(column)s: %(message)s") % {"column": header, "message": message}


def _validate(rows, *, meeting, choices, region=None):
    """Each sheet row through IssueForm: the same rules as the web page; then what each
    column was understood as, the values out of the usual range, and the kecamatan and
    desa checked against the region's areas."""
    results = []
    desks = list(meeting.desks.select_related("field"))
    index = AreaIndex(region)
    for row in rows:
        form = IssueForm(spreadsheet.form_data(row, choices), meeting=meeting, desks=desks)
        result = RowResult(number=row.number, cells=row.cells, form=form)
        result.location_unmatched = index.is_unmatched(
            row.cells.get("district", ""), row.cells.get("village", "")
        )
        if not form.is_valid():
            for name, errors in form.errors.as_data().items():
                column = spreadsheet.COLUMNS_BY_FIELD.get(name)
                header = column.header if column else ""
                typed = row.cells.get(name, "")
                for error in errors:
                    result.errors.append(
                        (header, _error_message(header, typed, error, choices, name))
                    )
        cleaned = getattr(form, "cleaned_data", {})
        warnings = dict(spreadsheet.unusual_values(cleaned))
        for column in PREVIEW_COLUMNS:
            if column.field in warnings:
                result.warnings.append((column.header, warnings[column.field]))
            result.understood.append(
                Cell(
                    name=column.field,
                    header=column.header,
                    typed=row.cells.get(column.field, ""),
                    understood=spreadsheet.understood_text(form, column.field),
                    error=column.field in form.errors,
                    warning=warnings.get(column.field, ""),
                )
            )
        results.append(result)
    return results


def _window_closed_for(user, meeting, region):
    return user.is_delegate and not submission_is_open_for(meeting, region)


def _render_start(request, meeting, form, status=200):
    user = request.user
    return render(
        request,
        "issues/submission/import/start.html",
        {
            "meeting": meeting,
            "form": form,
            "window_closed": _window_closed_for(user, meeting, user.region),
            "max_rows": spreadsheet.MAX_ROWS,
        },
        status=status,
    )


@may_import
def import_start(request, slug):
    """The page with the template link and the upload form; an upload shows the preview."""
    user = request.user
    meeting, issue_form, choices = _context(request, slug)
    if request.method != "POST":
        return _render_start(request, meeting, ImportUploadForm(user=user))
    form = ImportUploadForm(request.POST, request.FILES, user=user)
    if _window_closed_for(user, meeting, user.region):
        messages.error(
            request,
            gettext("Submission for this meeting is closed. Contact the secretariat to reopen it."),
        )
        return _render_start(request, meeting, form)
    if not form.is_valid():
        return _render_start(request, meeting, form)
    region = form.cleaned_data["region"] if user.is_secretariat else user.region
    content = form.content
    missing = spreadsheet.missing_columns(issue_form, choices, content.fields)
    if missing:
        form.add_error(
            "file",
            gettext("These required columns are missing: %(columns)s. Use the template.")
            % {"columns": ", ".join(missing)},
        )
        return _render_start(request, meeting, form)
    results = _validate(content.rows, meeting=meeting, choices=choices, region=region)
    valid = all(result.is_valid for result in results)
    confirm_form = None
    request.session.pop(SESSION_KEY, None)
    if valid:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_KEY] = {
            "token": token,
            "user": user.pk,
            "meeting": meeting.pk,
            "region": region.pk,
            "at": time.time(),
            "rows": [_freeze(result.form.cleaned_data) for result in results],
            "warnings": sum(len(result.warnings) for result in results),
        }
        confirm_form = ImportConfirmForm(initial={"token": token})
    return render(
        request,
        "issues/submission/import/preview.html",
        {
            "meeting": meeting,
            "region": region,
            "results": results,
            "valid": valid,
            "error_count": sum(len(result.errors) for result in results),
            "warning_count": sum(len(result.warnings) for result in results),
            "headers": [column.header for column in PREVIEW_COLUMNS],
            "ignored_headers": content.ignored_headers,
            "confirm_form": confirm_form,
            "may_submit": user.is_secretariat or submission_is_open_for(meeting, region),
            "form": ImportUploadForm(user=user, initial={"region": region}),
        },
    )


def _freeze(cleaned_data):
    """A form's cleaned values as JSON for the session: objects by key, decimals as text."""
    frozen = {}
    for name, value in cleaned_data.items():
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, Decimal):
            value = str(value)
        frozen[name] = value
    return frozen


def _thaw(frozen_rows, meeting):
    """The cleaned values back, or None when an object they name is gone from the meeting."""
    desks = {desk.pk: desk for desk in meeting.desks.select_related("field")}
    rows = []
    for frozen in frozen_rows:
        data = {}
        for name, value in frozen.items():
            try:
                model_field = Issue._meta.get_field(name)
            except FieldDoesNotExist:  # a form-only field: kept as it was
                model_field = None
            if value is None:
                pass
            elif name == "desk":
                value = desks.get(value)
                if value is None:
                    return None
            elif isinstance(model_field, models.ForeignKey):
                value = model_field.related_model._default_manager.filter(pk=value).first()
                if value is None:
                    return None
            elif isinstance(model_field, models.DecimalField):
                value = Decimal(value)
            data[name] = value
        rows.append(data)
    return rows


def _pending(request, meeting, token):
    """The previewed rows if this confirmation belongs to them; None when stale or tampered."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not token:
        return None
    if not secrets.compare_digest(str(pending.get("token", "")), token):
        return None
    if pending.get("user") != request.user.pk or pending.get("meeting") != meeting.pk:
        return None
    if time.time() - float(pending.get("at", 0)) > MAX_AGE_SECONDS:
        return None
    if request.user.is_delegate and pending.get("region") != request.user.region_id:
        return None
    return pending


@may_import
@require_POST
def import_confirm(request, slug):
    user = request.user
    meeting = get_meeting_for_user(user, slug)
    form = ImportConfirmForm(request.POST)
    token = form.data.get("token", "")
    pending = _pending(request, meeting, token) if form.is_valid() else None
    if pending is None:
        messages.error(
            request,
            gettext(
                "This import has expired or does not match your last upload. Upload the file again."
            ),
        )
        return redirect("issues:import", slug=meeting.slug)
    if pending.get("warnings") and not form.cleaned_data["checked"]:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request,
            gettext(
                "Some values are out of the usual range and were not confirmed; nothing was "
                "saved. Correct the file, or upload it again and confirm that they are right."
            ),
        )
        return redirect("issues:import", slug=meeting.slug)
    region = user.region if user.is_delegate else Region.objects.get(pk=pending["region"])
    rows = _thaw(pending["rows"], meeting)
    if rows is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request,
            gettext(
                "The meeting has changed since the preview; nothing was saved. "
                "Upload the file again."
            ),
        )
        return redirect("issues:import", slug=meeting.slug)
    submit = form.cleaned_data["submit"]
    try:
        with transaction.atomic():
            created = [
                services.issue_create(
                    actor=user,
                    meeting=meeting,
                    region=region,
                    data=data,
                    submit=submit,
                )
                for data in rows
            ]
    except (IssueError, ValidationError) as error:
        reason = error.message if isinstance(error, IssueError) else " ".join(error.messages)
        messages.error(request, gettext("Nothing was saved: %(reason)s") % {"reason": reason})
        return redirect("issues:import", slug=meeting.slug)
    request.session.pop(SESSION_KEY, None)
    count = len(created)
    if submit:
        message = ngettext(
            "%(count)s issue imported and submitted.",
            "%(count)s issues imported and submitted.",
            count,
        )
    else:
        message = ngettext(
            "%(count)s issue imported as a draft.", "%(count)s issues imported as drafts.", count
        )
    messages.success(request, message % {"count": count})
    return redirect("issues:meeting_issues", slug=meeting.slug)


@may_import
@require_GET
def import_template(request, slug):
    user = request.user
    meeting, issue_form, _choices = _context(request, slug)
    region = user.region if user.is_delegate else None
    content = spreadsheet.build_template(meeting=meeting, form=issue_form, region=region)
    response = HttpResponse(content, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="templat-isu-{meeting.slug}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
