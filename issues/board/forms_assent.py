"""Forms of the regions' assent: the desk's deadline, and a region's answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.forms import BoardForm
from issues.models import AssentItem


class AssentOpenForm(BoardForm):
    deadline = forms.DateTimeField(
        label=_("Answers accepted until"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Date and time in WIB (Asia/Jakarta)."),
    )

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline for the answers must be in the future."))
        return deadline


class AssentAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=AssentItem.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose Setuju or Keberatan.")},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required with Keberatan: what the region objects to, and why."),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == AssentItem.Answer.OBJECT and not data.get("note", "").strip():
            self.add_error("note", _("Write the reason for the objection."))
        return data
