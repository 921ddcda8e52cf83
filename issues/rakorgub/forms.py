"""Forms of the RAKORGUB package pages (issues/rakorgub/views.py).

The forms only collect and shape input; the rules (reasons, signing
preconditions, what may change after signing) live in issues.rakorgub.services.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from issues.models import LONG_TEXT, PackagePoint, PackageSignatory
from issues.rakorgub.services import MAX_SCAN_SIZE, check_scan
from issues.submission.attachments import ACCEPT
from rakortek.core.forms import ChooseForm

REASON_HELP = _("Shown in the package's history with your name.")


def reason_field():
    return forms.CharField(
        label=_("Reason"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=REASON_HELP,
    )


class ForwardForm(ChooseForm):
    note = forms.CharField(
        label=_("Cover note (optional)"),
        max_length=LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that these are the final agreement points to forward; "
            "from now on they change only with a reason."
        ),
    )


class PointAmendForm(ChooseForm):
    text = forms.CharField(
        label=_("What is agreed"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    responsible = forms.CharField(
        label=_("Responsible (penanggung jawab)"),
        max_length=PackagePoint._meta.get_field("responsible").max_length,
    )
    due = forms.CharField(
        label=_("When"),
        max_length=PackagePoint._meta.get_field("due").max_length,
        help_text=_("For example: Tahun Anggaran 2023, Triwulan III 2023. Sets the target date."),
    )
    reason = reason_field()


class ReasonForm(ChooseForm):
    reason = reason_field()


class SignatoryForm(ChooseForm):
    official_name = forms.CharField(
        label=_("Name of the official"),
        max_length=200,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=PackageSignatory.Status.choices, widget=forms.RadioSelect
    )
    signed_by_name = forms.CharField(label=_("Signed by"), max_length=200, required=False)
    stood_in = forms.BooleanField(
        label=_("Signed by a stand-in (someone other than the official)"), required=False
    )
    signed_by_position = forms.CharField(
        label=_("Position of who signed"),
        max_length=200,
        required=False,
        help_text=_("Required for a stand-in, for example: Wakil Bupati, Sekretaris Daerah."),
    )


class ScanForm(ChooseForm):
    file = forms.FileField(
        label=_("Signed scan"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        size = MAX_SCAN_SIZE // (1024 * 1024)
        help_text = gettext("PDF, or a JPEG or PNG photo, at most %(size)s MB.")
        self.fields["file"].help_text = help_text % {"size": size}

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            return check_scan(file)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class SignForm(ChooseForm):
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, held_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        if held_on is not None:
            # The rules of issues.rakorgub.services.package_sign, shown before they are broken.
            today = timezone.localdate()
            field = self.fields["signed_on"]
            field.widget.attrs.update(min=held_on.isoformat(), max=today.isoformat())
            field.help_text = _(
                "From the day of the RAKORGUB (%(first)s) until today (%(today)s); not in the "
                "future."
            ) % {"first": date_format(held_on, "j F Y"), "today": date_format(today, "j F Y")}
