from django import forms
from django.contrib.auth import forms as auth_forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.models import Region
from rakortek.accounts.models import Role, User
from rakortek.core.forms import ChooseForm, ChooseModelForm


class AccountRulesMixin:
    """The rules every form that edits an account applies, in the app and in the admin."""

    def clean_username(self):
        username = self.cleaned_data.get("username")
        if username:
            others = User.objects.filter(username__iexact=username)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("This username is already taken (capital letters do not count)."),
                    code="unique",
                )
        return username

    def clean_nip(self):
        # People copy NIPs in the printed form "19700101 199003 1 002".
        nip = "".join((self.cleaned_data.get("nip") or "").split())
        if nip and not (len(nip) == 18 and nip.isascii() and nip.isdigit()):
            raise forms.ValidationError(_("An NIP has exactly 18 digits."), code="invalid")
        return nip

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        region = cleaned_data.get("region")
        if role == Role.DELEGATE:
            if region is None:
                self.add_error(
                    "region", _("A regional delegate needs the regency or city they represent.")
                )
            elif region.is_province:
                self.add_error(
                    "region",
                    _("Choose a regency or city: the province itself does not send delegates."),
                )
        elif role and region is not None:
            self.add_error(
                "region",
                _("Only regional delegates belong to a region: leave the region empty."),
            )
        return cleaned_data


class UserForm(AccountRulesMixin, ChooseModelForm):
    """The secretariat's form to create or edit an account (never its password)."""

    nip = forms.CharField(
        label=_("NIP"),
        required=False,
        # Room for the spaces of the printed form; clean_nip removes them.
        max_length=24,
        help_text=_("18 digits, for civil servants. Optional."),
    )

    class Meta:
        model = User
        fields = [
            "full_name",
            "username",
            "email",
            "role",
            "region",
            "position",
            "nip",
            "phone",
            "office",
        ]
        help_texts = {
            "username": _("Used to log in. Letters, digits and @ . + - _ only."),
            "region": _("Only for regional delegates: the regency or city they represent."),
        }

    def __init__(self, *args, editing_self=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing_self:
            # A secretariat account that changed its own role would lock itself out.
            self.fields["role"].disabled = True
            self.fields["role"].help_text = _(
                "You cannot change your own role. Ask another secretariat account."
            )
        self.fields["email"].required = True
        self.fields["email"].help_text = _(
            "The invitation link and password reset messages are sent here."
        )
        self.fields["full_name"].help_text = _("With academic titles, as in official documents.")
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="off")
        self.fields["phone"].widget.attrs.update(inputmode="tel")
        self.fields["nip"].widget.attrs.update(inputmode="numeric")
        self.fields["region"].queryset = Region.objects.in_province().order_by("kemendagri_code")
        self.fields["region"].empty_label = _("(none)")


class UserFilterForm(ChooseForm):
    """Filters of the user list; every field optional, bad values are ignored."""

    STATUS_ACTIVE = "active"
    STATUS_INACTIVE = "inactive"

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.in_province().order_by("kemendagri_code"),
        empty_label=_("All regions"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            (STATUS_ACTIVE, _("Active")),
            (STATUS_INACTIVE, _("Deactivated")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_province().order_by("kemendagri_code")
        self.fields["q"].widget.attrs.update(type="search", placeholder=_("Name or username"))

    def filter(self, users):
        if not self.is_valid():
            return users
        data = self.cleaned_data
        if data["q"]:
            for word in data["q"].split():
                users = users.filter(Q(full_name__icontains=word) | Q(username__icontains=word))
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["region"]:
            users = users.filter(region=data["region"])
        if data["status"] == self.STATUS_ACTIVE:
            users = users.filter(is_active=True)
        elif data["status"] == self.STATUS_INACTIVE:
            users = users.filter(is_active=False)
        return users


class AdminUserCreationForm(AccountRulesMixin, auth_forms.AdminUserCreationForm):
    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "role", "region"]


class AdminUserChangeForm(AccountRulesMixin, auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        fields = "__all__"
