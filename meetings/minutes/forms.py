"""Forms of the minutes pages and of the signers of each document."""

from django import forms
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from meetings.models import Minutes, Signer
from meetings.services import MINUTES_FIELDS
from rakortek.core.forms import ChooseForm, ChooseModelForm


class MinutesForm(ChooseModelForm):
    # The revision the editor started from (see services.minutes_update).
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = Minutes
        fields = list(MINUTES_FIELDS)
        labels = {
            "opening": _("Opening"),
            "discussion": _("Course of the discussion"),
            "decisions": _("Decisions and conclusions"),
            "closing": _("Closing"),
        }
        widgets = {name: forms.Textarea(attrs={"rows": 6}) for name in Minutes.SECTIONS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].initial = self.instance.revision
        self.fields["place"].widget.attrs["placeholder"] = "Pangkalpinang"

    def values(self):
        return {name: self.cleaned_data[name] for name in MINUTES_FIELDS}


class MinutesReopenForm(ChooseForm):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the version history; required."),
    )


class SignerScopeForm(ChooseForm):
    """Which document's signers the page shows: the document kind and, optionally, a desk."""

    document = forms.ChoiceField(
        label=_("Document"), choices=Signer.Document.choices, initial=Signer.Document.MINUTES
    )
    desk = forms.ChoiceField(label=_("Desk"), required=False)

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = {str(desk.pk): desk for desk in desks}
        self.fields["desk"].choices = [
            ("", _("Whole meeting (plenary)")),
            *[(pk, desk.field.name) for pk, desk in self.desks.items()],
        ]

    def scope(self):
        """(document, desk or None); the defaults when the query is missing or wrong."""
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            return data["document"], self.desks.get(data["desk"])
        return Signer.Document.MINUTES, None


class SignerForm(ChooseModelForm):
    class Meta:
        model = Signer
        fields = ["order", "name", "position", "rank", "nip"]
        widgets = {
            "order": forms.NumberInput(attrs={"min": 1, "max": 20}),
            "nip": forms.TextInput(attrs={"inputmode": "numeric"}),
        }


class BaseSignerFormSet(BaseModelFormSet):
    def rows(self):
        """(kept signers, removed signers) once valid; blank extra rows skipped."""
        keep, remove = [], []
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    remove.append(form.instance)
            elif form.instance.pk or form.has_changed():
                keep.append(form.instance)
        return keep, remove


SignerFormSet = modelformset_factory(
    Signer,
    form=SignerForm,
    formset=BaseSignerFormSet,
    extra=2,
    can_delete=True,
    max_num=10,
    validate_max=True,
)
