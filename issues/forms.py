"""Forms for issues. `IssueForm` is also what the spreadsheet import validates rows with,
so every rule about what may be typed lives in its clean_* methods."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import construct_instance
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from issues.models import Issue, RegionWindow
from meetings import areas
from meetings.models import Region
from rakortek.core.formatting import rupiah as format_rupiah
from rakortek.core.forms import ChooseForm, ChooseModelForm

MAX_COST = Decimal("999999999999999")

_MULTIPLIERS = {
    "rb": 10**3,
    "ribu": 10**3,
    "jt": 10**6,
    "juta": 10**6,
    "m": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "t": 10**12,
    "triliun": 10**12,
}
_ABOUT_RE = re.compile(r"^(±|\+/-|\+-|kurang lebih|kurleb|sekitar|kira-kira|kl\.|approx\.?)\s*")
_MULTIPLIER_RE = re.compile(r"^(?P<number>.*?)\s*(?P<word>[a-z]+)\.?$")


def parse_number(text: str, *, dot_groups_thousands=True) -> Decimal:
    """A number as written in Indonesia or in English: "3,5", "1.250.000,75", "3.5", "1250".

    A comma is the decimal mark and dots group thousands. With no comma, several dots
    group thousands, and so does one dot before exactly three digits ("1.250" is one
    thousand two hundred and fifty, as an Indonesian reads it) unless
    `dot_groups_thousands` is off (coordinates); any other dot is a decimal point.
    Raises ValueError.
    """
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        raise ValueError("empty")
    negative = text.startswith("-")
    if negative:
        text = text[1:]
    whole, _sep, fraction = text.partition(".")
    if "," in text:
        whole, _sep, fraction = text.rpartition(",")
        if "," in whole:
            raise ValueError(text)
        whole = _ungroup(whole, ".")
    elif text.count(".") > 1 or (
        dot_groups_thousands and text.count(".") == 1 and len(fraction) == 3
    ):
        whole, fraction = _ungroup(text, "."), ""
    if fraction in ("-", "--"):
        fraction = ""
    if not whole.isdigit() or (fraction and not fraction.isdigit()):
        raise ValueError(text)
    try:
        value = Decimal(f"{whole}.{fraction or 0}")
    except InvalidOperation:
        raise ValueError(text) from None
    return -value if negative else value


def _ungroup(text: str, separator: str) -> str:
    groups = text.split(separator)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise ValueError(text)
    return "".join(groups)


def parse_rupiah(text: str) -> Decimal:
    """Whole rupiah from what people type: "Rp1.250.000", "Rp 1.250.000,00", "1250000",
    "1.250.000,-", "1,5 M", "750 juta". Sen are rounded. Raises ValueError."""
    text = str(text).strip().lower().replace("\u00a0", " ")
    # "± Rp 6,5 M", "kurang lebih Rp 750 juta": an estimate is still the amount.
    text = _ABOUT_RE.sub("", text)
    text = re.sub(r"^(rp\.?|idr)\s*", "", text)
    text = re.sub(r",-+$|\.-+$", "", text).strip()
    multiplier = 1
    match = _MULTIPLIER_RE.match(text)
    if match and match.group("word") in _MULTIPLIERS:
        multiplier = _MULTIPLIERS[match.group("word")]
        text = match.group("number")
    value = parse_number(text) * multiplier
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


class PrefetchedDeskField(forms.ModelChoiceField):
    """The desk chosen among desks already read, so that a form validated once per row of
    a spreadsheet does not look the desk up in the database each time."""

    def __init__(self, *args, desks, **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = {str(desk.pk): desk for desk in desks}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        desk = self.desks.get(str(getattr(value, "pk", value)))
        if desk is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return desk


def proposing_office_example() -> str:
    """ "For example DPUPR Kabupaten Bangka.": a regency of the configured province."""
    regency = areas.example_regency()
    if not regency:
        return ""
    return _("For example DPUPR %(regency)s.") % {"regency": regency}


class IssueForm(ChooseModelForm):
    """Everything a delegate writes about an issue. The region is never a field here: it
    comes from the delegate's account, or from the secretariat's choice for proxy entry.

    `desks` (the meeting's desks, already read) makes the form ask nothing of the
    database while it validates: for the rows of a spreadsheet import. The model's
    check constraints are then left to the database at insert; the form's own
    cleaning states each of them (a cost or volume that is not negative, coordinates
    in the province) so a row that passes here does not fail there.
    """

    # Typed as text so that "Rp 1.250.000,00" and "3,5" are understood.
    estimated_cost = forms.CharField(
        label=_("Estimated cost (Rp)"),
        max_length=40,
        help_text=_("For example Rp1.250.000 or 1,5 M."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    volume = forms.CharField(
        label=_("Volume"),
        max_length=30,
        required=False,
        help_text=_("For example 3,5 (km) or 120 (unit)."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    latitude = forms.CharField(
        label=_("Latitude"),
        max_length=20,
        required=False,
        help_text=_("Optional, for example -2,1291."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        max_length=20,
        required=False,
        help_text=_("Optional, for example 106,1131."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    class Meta:
        model = Issue
        fields = [
            "desk",
            "title",
            "proposing_office",
            "problem",
            "current_condition",
            "proposed_handling",
            "support_requested",
            "district",
            "village",
            "place",
            "latitude",
            "longitude",
            "volume",
            "unit",
            "estimated_cost",
            "funding_source",
            "authority",
            "land_readiness",
            "ded_readiness",
            "environmental_readiness",
            "plan_link",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "current_condition": forms.Textarea(attrs={"rows": 3}),
            "proposed_handling": forms.Textarea(attrs={"rows": 3}),
            "support_requested": forms.Textarea(attrs={"rows": 3}),
            "plan_link": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"desk": _("Field")}
        help_texts = {
            "desk": _("The desk that will discuss this issue."),
            "place": _("For example Ruas Jalan Sungailiat - Pangkalpinang km 12."),
            "plan_link": _("Which RPJMD/RKPD programme or target this supports."),
        }

    def __init__(self, *args, meeting, desks=None, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        if region is not None:
            self._offer_areas(region)
        self.prefetched = desks is not None
        if not self.prefetched:  # shown on a page (an import row's form asks no database)
            self.fields["proposing_office"].help_text = proposing_office_example()
        if self.prefetched:
            field = self.fields["desk"]
            self.fields["desk"] = PrefetchedDeskField(
                queryset=field.queryset,
                desks=desks,
                label=field.label,
                help_text=field.help_text,
            )
        desk_field = self.fields["desk"]
        desk_field.queryset = meeting.desks.select_related("field")
        desk_field.label_from_instance = lambda desk: desk.field.name
        desk_field.empty_label = _("Choose a field")
        for name in ("estimated_cost", "volume", "latitude", "longitude"):
            value = getattr(self.instance, name, None)
            if not self.is_bound and value is not None:
                self.initial[name] = _display_number(value, name)

    def _offer_areas(self, region):
        """Suggest the region's kecamatan and desa/kelurahan (the page's <datalist>s); the
        desa list follows the kecamatan with htmx, and without JavaScript lists the region's.
        Any name may still be typed: one not in the lists is kept and marked for the
        secretariat."""
        district, village = self.fields["district"], self.fields["village"]
        district.widget.attrs.update(
            {
                "list": "kecamatan-options",
                "autocomplete": "off",
                "hx-get": f"{reverse('meetings:area_villages')}?region={region.pk}",
                "hx-trigger": "change",
                "hx-target": "#desa-options",
            }
        )
        village.widget.attrs.update({"list": "desa-options", "autocomplete": "off"})
        district.help_text = _("Choose from the list of the region's kecamatan.")
        village.help_text = _(
            "Choose from the list; a name that is not in it is kept and marked for the "
            "secretariat to check."
        )

    def _post_clean(self):
        if not self.prefetched:
            return super()._post_clean()
        # The model's own field checks, without the desk's existence query and the
        # check constraints' queries (see the class's docstring).
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(
                self, self.instance, self._meta.fields, self._meta.exclude
            )
        except ValidationError as error:
            self._update_errors(error)
        try:
            self.instance.full_clean(
                exclude={*exclude, "desk"}, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            self._update_errors(error)
        return None

    def clean_estimated_cost(self):
        text = self.cleaned_data["estimated_cost"]
        try:
            value = parse_rupiah(text)
        except ValueError:
            raise ValidationError(
                _("Write the cost in rupiah, for example Rp1.250.000."), code="invalid"
            ) from None
        if value < 0:
            raise ValidationError(_("The cost cannot be negative."), code="negative")
        if value > MAX_COST:
            raise ValidationError(_("The cost is too large."), code="too_large")
        return value

    def clean_volume(self):
        text = self.cleaned_data["volume"]
        if not text:
            return None
        try:
            value = parse_number(text)
        except ValueError:
            raise ValidationError(
                _("Write the volume as a number, for example 3,5."), code="invalid"
            ) from None
        if value < 0:
            raise ValidationError(_("The volume cannot be negative."), code="negative")
        if value >= Decimal("1e12"):
            raise ValidationError(_("The volume is too large."), code="too_large")
        return value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)

    def clean_latitude(self):
        return self._clean_coordinate("latitude", areas.province_bounds()[0])

    def clean_longitude(self):
        return self._clean_coordinate("longitude", areas.province_bounds()[1])

    def _clean_coordinate(self, name, bounds):
        text = self.cleaned_data[name]
        if not text:
            return None
        try:
            value = parse_number(text.replace("\u2212", "-"), dot_groups_thousands=False)
        except ValueError:
            raise ValidationError(
                _("Write the coordinate as a decimal number, for example -2,1291."), code="invalid"
            ) from None
        low, high = bounds
        if not low <= value <= high:
            raise ValidationError(
                _("This point is outside %(province)s (between %(low)s and %(high)s).")
                % {
                    "province": areas.province_name(),
                    "low": _display_number(low, name),
                    "high": _display_number(high, name),
                },
                code="outside_province",
            )
        return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        lat_ok = "latitude" not in self.errors
        lon_ok = "longitude" not in self.errors
        if lat_ok and lon_ok and (latitude is None) != (longitude is None):
            missing = "longitude" if longitude is None else "latitude"
            self.add_error(missing, _("Fill in both latitude and longitude, or neither."))
        volume, unit = cleaned.get("volume"), cleaned.get("unit", "")
        if volume is not None and not unit:
            self.add_error("unit", _("Give the unit of the volume, for example km or unit."))
        if unit and volume is None and "volume" not in self.errors:
            self.add_error("volume", _("Give the volume for this unit."))
        return cleaned


def _display_number(value, name):
    """A stored number shown back the way people write it here."""
    if name == "estimated_cost":
        return format_rupiah(value)
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class ProxyRegionForm(ChooseForm):
    """The region a secretariat member enters an issue for (proxy entry)."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.in_province(),
        empty_label=_("Choose the region"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_province()  # the setting, now


class SubmitForm(ChooseForm):
    """The answer to the desk's question, when a returned issue is submitted again."""

    answer = forms.CharField(
        label=_("Your answer to the desk's question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReturnForm(ChooseForm):
    question = forms.CharField(
        label=_("What should the region correct or explain?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class WithdrawForm(ChooseForm):
    reason = forms.CharField(
        label=_("Why is the issue withdrawn?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifyForm(ChooseForm):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CommentForm(ChooseForm):
    body = forms.CharField(
        label=_("Comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MoveForm(ChooseForm):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class RegionWindowForm(ChooseModelForm):
    class Meta:
        model = RegionWindow
        fields = ["region", "closes_at", "reason"]
        widgets = {
            "closes_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
        }
        help_texts = {"closes_at": _("Time in WIB.")}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["region"].queryset = Region.objects.in_province().exclude(
            kind=Region.Kind.PROVINCE
        )
        self.fields["closes_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= timezone.now():
            raise ValidationError(_("Choose a time in the future."), code="past")
        return closes_at


class IssueFilterForm(ChooseForm):
    """Filters of an issue list (GET); an unknown value is simply ignored."""

    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.in_province(),
        required=False,
        empty_label=_("All"),
    )
    desk = forms.ModelChoiceField(
        label=_("Field"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, desks, statuses=Issue.Status.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.in_province()
        self.fields["desk"].queryset = desks
        self.fields["desk"].label_from_instance = lambda desk: desk.field.name
        self.fields["status"].choices = [("", _("All")), *statuses]
        for bound_field in self.fields.values():
            bound_field.widget.attrs["class"] = "form-select"

    def filter(self, issues):
        if not self.is_valid():
            return issues
        data = self.cleaned_data
        if data.get("region"):
            issues = issues.filter(region=data["region"])
        if data.get("desk"):
            issues = issues.filter(desk=data["desk"])
        if data.get("status"):
            issues = issues.filter(status=data["status"])
        return issues


# The desk board (issues/board/views.py)


class BoardForm(ChooseForm):
    """Every board write carries the board version the user saw."""

    version = forms.IntegerField(
        min_value=1, widget=forms.HiddenInput(attrs={"data-board-version": ""})
    )


class ScoreForm(BoardForm):
    """One select per criterion of the meeting, 1 to 5 with the criterion's words."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            labels = list(criterion.level_labels or []) + [""] * 5
            choices = [("", _("Not scored"))]
            for value in range(1, 6):
                label = labels[value - 1]
                choices.append((str(value), f"{value} – {label}" if label else str(value)))
            self.fields[self.field_name(criterion)] = forms.TypedChoiceField(
                label=_("%(name)s (weight %(weight)d)")
                % {"name": criterion.name, "weight": criterion.weight},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                help_text=criterion.description,
            )

    @staticmethod
    def field_name(criterion):
        return f"c{criterion.pk}"

    def values(self) -> dict:
        return {c.pk: self.cleaned_data[self.field_name(c)] for c in self.criteria}


class RankForm(BoardForm):
    """A rank typed in, picked by the up/down buttons, or set by dragging."""

    position = forms.IntegerField(label=_("Rank"), min_value=1, required=False)
    reason = forms.CharField(
        label=_("Reason for ranking against the scores"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    remove = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("remove") and cleaned.get("position") is None:
            if "position" not in self.errors:
                self.add_error("position", _("This field is required."))
        return cleaned


class DecisionForm(BoardForm):
    # Offered only once the issue is decided: back to Dibahas, without a decision.
    UNDECIDED = "belum"

    decision = forms.ChoiceField(
        label=_("Decision"), choices=Issue.Decision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for every decision but Priority."),
    )
    redirected_to = forms.CharField(
        label=_("Redirected to"),
        max_length=300,
        required=False,
        help_text=_(
            "For Redirected: the body that should handle it, for example the river basin "
            "agency (BWS) or a ministry's regional office."
        ),
    )

    def __init__(self, *args, decided=False, **kwargs):
        super().__init__(*args, **kwargs)
        if decided:
            self.fields["decision"].choices = [
                *Issue.Decision.choices,
                (self.UNDECIDED, _("No decision yet: take the decision back (Discussed)")),
            ]

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        if decision == self.UNDECIDED and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason for taking the decision back."))
        elif decision and decision != Issue.Decision.PRIORITY and not cleaned.get("reason"):
            self.add_error("reason", _("Give the reason for this decision."))
        if decision == Issue.Decision.REDIRECTED and not cleaned.get("redirected_to"):
            self.add_error("redirected_to", _("Say where the issue is redirected to."))
        return cleaned


class BoardReturnForm(BoardForm, ReturnForm):
    pass


class LockForm(BoardForm):
    """Locking; with issues still open, the reason for setting them aside."""

    set_aside_reason = forms.CharField(
        label=_("Reason for setting the open issues aside"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Kept in the history of each open issue. Leave empty and decide them first instead."
        ),
    )

    confirm_open_assent = forms.BooleanField(
        label=_("Lock now, before the regions' deadline for answering"),
        required=False,
        help_text=_("The answers given so far are recorded with the lock."),
    )

    def __init__(self, *args, open_issues=True, assent_open=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not open_issues:
            del self.fields["set_aside_reason"]
        if not assent_open:
            del self.fields["confirm_open_assent"]


class UnlockForm(BoardForm):
    reason = forms.CharField(
        label=_("Why is the desk unlocked?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BoardFilterForm(ChooseForm):
    """Filters of the board (GET), applied to the rows already loaded."""

    UNDECIDED = "belum"

    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All"))] + [(str(r.pk), r.name) for r in regions]
        self.fields["status"].choices = [("", _("All"))] + [
            c
            for c in Issue.Status.choices
            if c[0] not in (Issue.Status.DRAFT, Issue.Status.WITHDRAWN, Issue.Status.MERGED)
        ]
        self.fields["decision"].choices = [
            ("", _("All")),
            (self.UNDECIDED, _("Not decided yet")),
            *Issue.Decision.choices,
        ]
        for bound_field in self.fields.values():
            bound_field.widget.attrs["class"] = "form-select"

    @property
    def active(self):
        return self.is_bound and self.is_valid() and any(self.cleaned_data.values())

    def filter(self, rows):
        if not self.is_bound or not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["region"]:
            region_id = int(data["region"])
            rows = [r for r in rows if any(region.pk == region_id for region in r.regions)]
        if data["status"]:
            rows = [r for r in rows if r.issue.status == data["status"]]
        if data["decision"] == self.UNDECIDED:
            rows = [r for r in rows if not r.issue.decision]
        elif data["decision"]:
            rows = [r for r in rows if r.issue.decision == data["decision"]]
        return rows
