"""Forms of the attendance list: the secretariat's, and the public self check-in's."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings import signatures
from meetings.attendance import importing as attendance_import
from meetings.models import AttendanceMode, Desk, Participant, Region
from meetings.services import person_key
from meetings.setup.forms import PersonChoiceField
from rakortek.accounts.models import User
from rakortek.core.forms import ChooseForm, ChooseModelForm


class DeskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.field.name


class SignatureField(forms.CharField):
    """The signature pad's PNG data URL, checked and turned into clean PNG bytes."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Signature"))
        super().__init__(strip=True, **kwargs)
        self.widget.attrs["class"] = "js-signature-value"

    def clean(self, value):
        value = self.to_python(value)
        if not value:
            if self.required:
                raise ValidationError(
                    _("Please sign in the box before you submit."), code="required"
                )
            return None
        return signatures.decode_data_url(value)


def duplicate_of(meeting, name, office, *, exclude_pk=None):
    """The participant of `meeting` with the same name and office, or None."""
    others = Participant.objects.filter(
        meeting=meeting, name_key=person_key(name), office_key=person_key(office)[:200]
    )
    if exclude_pk:
        others = others.exclude(pk=exclude_pk)
    return others.first()


class ParticipantForm(ChooseModelForm):
    """The secretariat's form for one entry of the attendance list."""

    user = PersonChoiceField(
        label=_("Account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("If this person has an account in Rakortek."),
    )

    class Meta:
        model = Participant
        fields = [
            "name",
            "position",
            "office",
            "region",
            "desk",
            "mode",
            "phone",
            "email",
            "user",
            "notes",
        ]
        field_classes = {"desk": DeskChoiceField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["desk"].queryset = Desk.objects.filter(meeting=meeting).select_related("field")
        self.fields["desk"].empty_label = _("Plenary only")
        self.fields["desk"].help_text = ""
        self.fields["region"].empty_label = _("Not from a region")
        self.fields["user"].queryset = User.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.user_id)
        ).order_by("full_name")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not person_key(name):
            raise ValidationError(_("Enter the participant's name."), code="no_name")
        return name

    def clean(self):
        data = super().clean()
        name, office = data.get("name"), data.get("office")
        if name and office:
            other = duplicate_of(self.meeting, name, office, exclude_pk=self.instance.pk)
            if other is not None:
                self.add_error(
                    "name",
                    ValidationError(
                        _("%(name)s of %(office)s is already on the attendance list."),
                        code="duplicate",
                        params={"name": other.name, "office": other.office},
                    ),
                )
        return data

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ParticipantFilterForm(ChooseForm):
    PLENARY = "pleno"
    PRESENT, ABSENT = "hadir", "belum"

    q = forms.CharField(label=_("Name or office"), required=False, max_length=100)
    desk = forms.ChoiceField(label=_("Desk"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.in_province(), required=False
    )
    status = forms.ChoiceField(
        label=_("Checked in"),
        required=False,
        choices=[("", _("Everyone")), (PRESENT, _("Checked in")), (ABSENT, _("Not yet"))],
    )

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_province()
        self.fields["region"].empty_label = _("All regions")
        self.fields["desk"].choices = [
            ("", _("All desks")),
            (self.PLENARY, _("Plenary only")),
            *[(str(desk.pk), desk.field.name) for desk in desks],
        ]


class SecretariatCheckInForm(ChooseForm):
    mode = forms.ChoiceField(label=_("Attendance"), choices=AttendanceMode.choices)
    signature = SignatureField(required=False)


class UndoCheckInForm(ChooseForm):
    reason = forms.CharField(
        label=_("Reason for undoing the check-in"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReplaceSignatureForm(ChooseForm):
    signature = SignatureField()
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


# ---- Public self check-in ----


class CheckInSearchForm(ChooseForm):
    MIN_LENGTH = 3

    q = forms.CharField(
        label=_("Search your name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "autocapitalize": "words"}
        ),
    )

    def query(self):
        """The search text reduced like stored names, or "" when too short to search."""
        if not self.is_valid():
            return ""
        key = person_key(self.cleaned_data["q"])
        return key if len(key) >= self.MIN_LENGTH else ""


class SelfCheckInForm(ChooseForm):
    mode = forms.ChoiceField(
        label=_("I attend"), choices=AttendanceMode.choices, widget=forms.RadioSelect
    )
    signature = SignatureField()


class SelfRegisterForm(ChooseModelForm):
    """Someone who is not on the list adds themselves; the same checks as the secretariat's."""

    signature = SignatureField()

    class Meta:
        model = Participant
        fields = ["name", "position", "office", "region", "phone", "mode"]
        widgets = {
            "mode": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
        }
        labels = {"mode": _("I attend")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["position"].required = True
        self.fields["region"].empty_label = _("Not from a region")
        self.fields["region"].help_text = _("The regency or city you represent, if any.")
        self.fields["phone"].help_text = _("Seen only by the secretariat.")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not person_key(name):
            raise ValidationError(_("Enter your name."), code="no_name")
        return name

    def clean(self):
        data = super().clean()
        name, office = data.get("name"), data.get("office")
        if name and office and duplicate_of(self.meeting, name, office) is not None:
            self.add_error(
                "name",
                ValidationError(
                    _(
                        "You are already on the attendance list. Go back and search your name "
                        "to sign in."
                    ),
                    code="duplicate",
                ),
            )
        return data

    def values(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "mode"}


# ---- Import ----


class ImportUploadForm(ChooseForm):
    file = forms.FileField(
        label=_("Participant list (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.table = None
        self.fields["file"].help_text = _(
            "Columns: Nama, Jabatan, Instansi, Kabupaten/Kota, No. HP, Desk, Kehadiran. "
            "At most %(rows)s rows and %(size)s MB. Nothing is saved before you confirm."
        ) % {
            "rows": attendance_import.MAX_ROWS,
            "size": attendance_import.MAX_UPLOAD_SIZE // (1024 * 1024),
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > attendance_import.MAX_UPLOAD_SIZE:
            raise ValidationError(
                _("The file is too large: at most %(limit)s MB."),
                code="too_large",
                params={"limit": attendance_import.MAX_UPLOAD_SIZE // (1024 * 1024)},
            )
        upload.seek(0)
        self.table = attendance_import.read_table(
            upload.read(attendance_import.MAX_UPLOAD_SIZE + 1), upload.name or ""
        )
        return upload


class ImportConfirmForm(ChooseForm):
    token = forms.CharField(widget=forms.HiddenInput, max_length=100)
