import re
from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from meetings.models import AgendaItem, Criterion, Desk, Field, Meeting
from meetings.services import (
    CRITERIA_WEIGHT_TOTAL,
    RESERVED_MEETING_SLUGS,
    meeting_year_of,
    next_year_proposal,
    title_for_year,
)
from rakortek.accounts.models import Role, User
from rakortek.core.forms import ChooseForm, ChooseModelForm

LEVELS = range(1, 6)
WIB_HELP = _("Date and time in WIB (Asia/Jakarta).")


class DateTimeWidget(forms.SplitDateTimeWidget):
    """A date and a time input: the phone's own pickers, in the server's zone (WIB)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs=attrs,
            date_attrs={"type": "date", "aria-label": _("Date")},
            time_attrs={"type": "time", "aria-label": _("Time")},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        )


class TimeWidget(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _datetime_field(label, *, required=True):
    return forms.SplitDateTimeField(
        label=label, required=required, widget=DateTimeWidget, help_text=WIB_HELP
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} · {obj.position}" if obj.position else str(obj)


class MeetingForm(ChooseModelForm):
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    submission_opens_at = _datetime_field(_("Submission opens"), required=False)
    submission_closes_at = _datetime_field(_("Submission closes"), required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Required for online and hybrid meetings."),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "follows",
            "year",
            "title",
            "slug",
            "starts_at",
            "ends_at",
            "venue",
            "mode",
            "online_link",
            "submission_opens_at",
            "submission_closes_at",
            "status",
        ]
        labels = {"slug": _("Web address (slug)")}
        help_texts = {
            "slug": _(
                "Part of the page address, for example rakortek-pu-2026. Suggested from the "
                "title and year; letters, digits and hyphens."
            ),
            "follows": _("Required for a RAKORGUB: the RAKORTEK whose results it receives."),
        }
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": "RAKORTEK Bidang PU"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(min=2000, max=2100)
        follows = self.fields["follows"]
        follows.queryset = Meeting.objects.filter(kind=Meeting.Kind.RAKORTEK).exclude(
            pk=self.instance.pk
        )
        if self.instance.pk:
            # Desks and criteria belong to a RAKORTEK, and a RAKORGUB points at one:
            # switching the kind later would strand them.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = _("The kind cannot be changed after creation.")
        else:
            self.fields["slug"].required = False
            self.fields["year"].initial = timezone.localdate().year

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if not slug:
            return slug
        if slug in RESERVED_MEETING_SLUGS:
            raise ValidationError(_("This address is reserved; choose another."))
        if Meeting.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("Another meeting already uses this address."))
        return slug

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Meeting.Kind.RAKORGUB and not data.get("follows"):
            self.add_error("follows", _("Choose the RAKORTEK this RAKORGUB follows."))
        if kind == Meeting.Kind.RAKORTEK and data.get("follows"):
            self.add_error("follows", _("Only a RAKORGUB follows another meeting; leave empty."))
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        opens, closes = data.get("submission_opens_at"), data.get("submission_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("submission_closes_at", _("Submission must close after it opens."))
        if data.get("mode") in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID) and not data.get(
            "online_link"
        ):
            self.add_error("online_link", _("An online or hybrid meeting needs its link."))
        return data


class MeetingFilterForm(ChooseForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Meeting.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Meeting.Status.choices],
    )


class AgendaItemForm(ChooseModelForm):
    class Meta:
        model = AgendaItem
        fields = ["starts_at", "ends_at", "activity", "person"]
        labels = {"starts_at": _("From"), "ends_at": _("Until"), "person": _("By (who)")}
        widgets = {"starts_at": TimeWidget, "ends_at": TimeWidget}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data

    def save(self, commit=True):
        # Saving the item is checking it: a copied item is no longer marked.
        self.instance.needs_review = False
        return super().save(commit=commit)


class DeskForm(ChooseModelForm):
    chair = PersonChoiceField(
        label=_("Chair (head of field)"),
        queryset=User.objects.none(),
        help_text=_("Only accounts with the role Head of field."),
    )
    note_taker = PersonChoiceField(
        label=_("Note-taker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A secretariat or head-of-field account."),
    )

    class Meta:
        model = Desk
        fields = ["field", "chair", "note_taker", "room", "starts_at", "ends_at"]
        labels = {"starts_at": _("From"), "ends_at": _("Until")}
        widgets = {"starts_at": TimeWidget, "ends_at": TimeWidget}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        # An inactive field or account already on the desk stays selectable, so
        # editing the room does not force a new chair.
        self.fields["field"].queryset = Field.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.field_id)
        )
        self.fields["chair"].queryset = User.objects.filter(
            Q(role=Role.DESK_HEAD, is_active=True) | Q(pk=self.instance.chair_id)
        ).order_by("full_name")
        self.fields["note_taker"].queryset = User.objects.filter(
            Q(role__in=[Role.SECRETARIAT, Role.DESK_HEAD], is_active=True)
            | Q(pk=self.instance.note_taker_id)
        ).order_by("full_name")

    def clean_field(self):
        field = self.cleaned_data["field"]
        duplicate = Desk.objects.filter(meeting=self.instance.meeting, field=field).exclude(
            pk=self.instance.pk
        )
        if duplicate.exists():
            raise ValidationError(
                _("This meeting already has a desk for %(field)s."), params={"field": field}
            )
        return field

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class CriterionForm(ChooseModelForm):
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=CRITERIA_WEIGHT_TOTAL)

    class Meta:
        model = Criterion
        fields = ["name", "description", "weight", "order"]
        labels = {"name": _("Criterion"), "order": _("Order")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = list(self.instance.level_labels or [])
        for level in LEVELS:
            self.fields[f"level_{level}"] = forms.CharField(
                label=_("Score %(level)s means") % {"level": level},
                max_length=100,
                required=False,
                initial=labels[level - 1] if len(labels) >= level else "",
            )
        self.fields["weight"].widget.attrs["class"] = "js-criterion-weight"

    def has_changed(self):
        # A new row left without name and weight is an unused row (its order may
        # have been filled in for the user), not a half-filled criterion.
        if self.instance.pk is None and self.is_bound:
            name = self.data.get(self.add_prefix("name"), "").strip()
            weight = self.data.get(self.add_prefix("weight"), "").strip()
            if not name and not weight:
                return False
        return super().has_changed()

    @property
    def level_fields(self):
        return [self[f"level_{level}"] for level in LEVELS]

    def clean(self):
        data = super().clean()
        self.instance.level_labels = [data.get(f"level_{level}", "").strip() for level in LEVELS]
        return data


class BaseCriterionFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this criterion")

    def rows(self):
        """(kept criteria, removed criteria) once the formset is valid; blank extra rows skipped."""
        keep, remove = [], []
        for form in self.forms:
            if self._should_delete_form(form):
                if form.instance.pk:
                    remove.append(form.instance)
            elif form.instance.pk or form.has_changed():
                keep.append(form.instance)
        return keep, remove

    def clean(self):
        super().clean()
        total, seen = 0, {}
        for form in self.forms:
            if self._should_delete_form(form) or (form.empty_permitted and not form.has_changed()):
                continue
            data = getattr(form, "cleaned_data", {})
            total += data.get("weight") or 0
            name = (data.get("name") or "").strip()
            if name.casefold() in seen:
                raise ValidationError(
                    _("Two criteria are both called %(name)s; give each its own name."),
                    params={"name": name},
                    code="duplicate_name",
                )
            if name:
                seen[name.casefold()] = name
        self.total_weight = total
        if total != CRITERIA_WEIGHT_TOTAL:
            raise ValidationError(
                _("The weights add up to %(total)s; they must add up to exactly %(required)s."),
                params={"total": total, "required": CRITERIA_WEIGHT_TOTAL},
                code="weight_total",
            )


CriterionFormSet = inlineformset_factory(
    Meeting,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    validate_max=True,
)


class FieldForm(ChooseModelForm):
    class Meta:
        model = Field
        fields = ["name", "code", "description", "order", "is_active"]
        help_texts = {
            "is_active": _(
                "An inactive field is kept with its history but cannot be given new desks."
            )
        }

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not re.fullmatch(r"[A-Z]{1,5}", code):
            raise ValidationError(_("Use one to five letters, for example BM."))
        return code


class RakorgubForm(ChooseModelForm):
    """The RAKORGUB that follows `follows`, recorded in one step from its package page.

    The model checks that it is held after the RAKORTEK ends (Meeting.clean).
    """

    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    online_link = MeetingForm.base_fields["online_link"]

    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "venue", "mode", "online_link"]
        widgets = {
            "venue": forms.TextInput(attrs={"placeholder": "Ruang Pasir Padi, Kantor Gubernur"})
        }

    def __init__(self, *args, follows: Meeting, **kwargs):
        ends = timezone.localtime(follows.ends_at)
        day = (ends + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        kwargs.setdefault(
            "initial",
            {
                "title": f"RAKORGUB {follows.year}",
                "starts_at": day.replace(hour=9),
                "ends_at": day.replace(hour=15),
                "mode": Meeting.Mode.IN_PERSON,
            },
        )
        super().__init__(*args, **kwargs)
        self.follows = follows
        self.instance.kind = Meeting.Kind.RAKORGUB
        self.instance.follows = follows
        self.instance.year = follows.year
        self.fields["starts_at"].help_text = _(
            "After the RAKORTEK, which ends on %(date)s. Date and time in WIB."
        ) % {"date": date_format(ends, "j F Y, H.i")}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if data.get("mode") in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID) and not data.get(
            "online_link"
        ):
            self.add_error("online_link", _("An online or hybrid meeting needs its link."))
        return data


class NextYearForm(ChooseModelForm):
    """Next year's RAKORTEK: the title, address, dates and online link; the rest is copied
    from `source`.

    It proposes the source's dates moved to the next year still ahead, and checks them as
    the meeting form does. The year comes from the dates; a stale year in the title follows.
    """

    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    submission_opens_at = _datetime_field(_("Submission opens"), required=False)
    submission_closes_at = _datetime_field(_("Submission closes"), required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_(
            "Last year's link is not copied. Required for online and hybrid meetings; "
            "choose In person until the new link is known."
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "slug",
            "starts_at",
            "ends_at",
            "submission_opens_at",
            "submission_closes_at",
            "mode",
            "online_link",
        ]
        labels = MeetingForm.Meta.labels
        help_texts = {
            "slug": _(
                "Part of the page address. Leave empty to have it made from the title and year."
            ),
            "title": _("The year in the title follows the meeting's dates."),
        }

    clean_slug = MeetingForm.clean_slug

    def __init__(self, *args, source: Meeting, **kwargs):
        kwargs.setdefault("initial", next_year_proposal(source))
        super().__init__(*args, **kwargs)
        self.source = source
        self.instance.year = source.year + 1
        self.fields["slug"].required = False

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The end must be after the start."))
        if starts and meeting_year_of(starts) <= self.source.year:
            self.add_error(
                "starts_at",
                _("Next year's meeting must be held after %(year)s.") % {"year": self.source.year},
            )
        opens, closes = data.get("submission_opens_at"), data.get("submission_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("submission_closes_at", _("Submission must close after it opens."))
        if data.get("mode") in (Meeting.Mode.ONLINE, Meeting.Mode.HYBRID) and not data.get(
            "online_link"
        ):
            self.add_error("online_link", _("An online or hybrid meeting needs its link."))
        if starts and data.get("title"):
            year = meeting_year_of(starts)
            self.instance.year = year
            data["title"] = title_for_year(data["title"], source_year=self.source.year, year=year)
        return data
