"""Forms of the follow-up (tindak lanjut) pages: a report on a point, and its target date.

The rules of a report live in issues.followup.services.check_rules; the forms check only
what a form can (types, the files' contents) and show the service's messages
next to the fields they are about.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.followup.services import MAX_EVIDENCE_PER_UPDATE
from issues.models import PackagePoint
from issues.submission.attachments import ACCEPT, MAX_FILE_SIZE, MultipleFileInput, check_upload
from rakortek.core.forms import ChooseForm


class EvidenceField(forms.FileField):
    """Several photos or documents, optional; each is checked by its content."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(EvidenceField, self).clean(file, initial) for file in files]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FollowUpForm(ChooseForm):
    status = forms.ChoiceField(label=_("Status"), choices=PackagePoint.Status.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    reported_on = forms.DateField(
        label=_("Situation as of"),
        widget=DateInput(),
        help_text=_("The date the status and progress describe."),
    )
    note = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Or what stands in the way."),
    )
    evidence = EvidenceField(
        label=_("Evidence: photos or documents"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT, "capture": "environment"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, point, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "status": point.status,
                "progress": point.progress,
                "reported_on": timezone.localdate(),
                "version": point.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.point = point
        self.fields["evidence"].help_text = _(
            "JPEG or PNG photos and PDF documents, at most %(size)s MB each, "
            "up to %(limit)s per report. Needed when the point is done."
        ) % {"size": MAX_FILE_SIZE // (1024 * 1024), "limit": MAX_EVIDENCE_PER_UPDATE}

    def clean_evidence(self):
        files = self.cleaned_data["evidence"]
        if len(files) > MAX_EVIDENCE_PER_UPDATE:
            raise ValidationError(
                _("At most %(limit)s files per report."),
                params={"limit": MAX_EVIDENCE_PER_UPDATE},
            )
        checked, errors = [], []
        for file in files:
            try:
                checked.append(check_upload(file))
            except ValidationError as error:
                label = getattr(file, "name", "") or "?"
                errors.extend(f"{label}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class TargetForm(ChooseForm):
    target_date = forms.DateField(label=_("Target date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when a target date was already set."),
    )
