from django import forms
from django.utils.translation import gettext_lazy as _

from rakortek.documents.models import OfficeProfile
from rakortek.documents.office import MAX_EMBLEM_BYTES, check_emblem


class OfficeProfileForm(forms.ModelForm):
    emblem = forms.FileField(
        label=_("Emblem"),
        required=False,
        help_text=_("The regional emblem on the letterhead: PNG or JPEG, at most 1 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_emblem = forms.BooleanField(label=_("Remove the emblem"), required=False)

    class Meta:
        model = OfficeProfile
        fields = ["government", "office", "address", "contact", "city", "paper"]

    def clean_emblem(self):
        uploaded = self.cleaned_data.get("emblem")
        if not uploaded:
            return None
        if uploaded.size > MAX_EMBLEM_BYTES:
            raise forms.ValidationError(_("The emblem may be at most 1 MB."), code="too_big")
        data = uploaded.read()
        check_emblem(data)
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded with the next version, for example: correction of a region's cost."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("This field is required."), code="required")
        return reason
