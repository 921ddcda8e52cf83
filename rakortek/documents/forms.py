from django import forms
from django.utils.translation import gettext_lazy as _

from rakortek.core.forms import ChooseForm, ChooseModelForm
from rakortek.documents.models import DEFAULT_NUMBER_PATTERN, FinalDocument, OfficeProfile
from rakortek.documents.numbering import check_pattern
from rakortek.documents.office import MAX_EMBLEM_BYTES, check_emblem


def numbered_kinds() -> list[str]:
    """The kinds of final document that carry a naskah dinas number: the PDFs."""
    from rakortek.documents.catalog import SPECS

    kinds = []
    for spec in SPECS.values():
        if spec.extension == "pdf" and spec.kind not in kinds:
            kinds.append(spec.kind)
    return kinds


class OfficeProfileForm(ChooseModelForm):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        patterns = self.instance.number_patterns or {}
        for kind in numbered_kinds():
            self.fields[f"number_{kind}"] = forms.CharField(
                label=_("Number of: %(kind)s") % {"kind": FinalDocument.Kind(kind).label},
                max_length=60,
                required=False,
                initial=patterns.get(kind, ""),
                widget=forms.TextInput(attrs={"placeholder": DEFAULT_NUMBER_PATTERN}),
                help_text=_(
                    "{nomor} is the office's sequence number of the year, {tahun} the year. "
                    "Empty: %(default)s."
                )
                % {"default": DEFAULT_NUMBER_PATTERN},
            )

    def clean(self):
        cleaned = super().clean()
        patterns = {}
        for kind in numbered_kinds():
            name = f"number_{kind}"
            value = (cleaned.get(name) or "").strip()
            if not value:
                continue
            try:
                patterns[kind] = check_pattern(value)
            except forms.ValidationError as error:
                self.add_error(name, error)
        cleaned["number_patterns"] = patterns
        return cleaned

    def clean_emblem(self):
        uploaded = self.cleaned_data.get("emblem")
        if not uploaded:
            return None
        if uploaded.size > MAX_EMBLEM_BYTES:
            raise forms.ValidationError(_("The emblem may be at most 1 MB."), code="too_big")
        data = uploaded.read()
        check_emblem(data)
        return data


class ReopenForm(ChooseForm):
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
