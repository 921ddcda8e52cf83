from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from meetings.models import (
    AgendaItem,
    Criterion,
    Desk,
    District,
    Field,
    Meeting,
    Minutes,
    MinutesVersion,
    Participant,
    ParticipantEvent,
    Region,
    Signer,
    Village,
)
from meetings.services import CRITERIA_WEIGHT_TOTAL, person_key


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Regions come from migration 0002 and are keyed on their codes: names may be corrected."""

    list_display = ["kemendagri_code", "bps_code", "name", "kind", "capital"]
    readonly_fields = ["kemendagri_code", "bps_code", "kind", "slug"]
    search_fields = ["name", "kemendagri_code", "bps_code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    """Kecamatan come from `manage.py load_areas`: read-only here."""

    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Village)
class VillageAdmin(DistrictAdmin):
    """Desa and kelurahan come from `manage.py load_areas`: read-only here."""

    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind", "district__region"]
    list_select_related = ["district"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}


class CriterionAdminFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        weights = [
            form.cleaned_data.get("weight") or 0
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        # A meeting without criteria (a RAKORGUB) is fine; a partial set is not.
        if weights and sum(weights) != CRITERIA_WEIGHT_TOTAL:
            raise ValidationError(
                _("The weights add up to %(total)s; they must add up to exactly %(required)s."),
                params={"total": sum(weights), "required": CRITERIA_WEIGHT_TOTAL},
            )


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class DeskInline(admin.TabularInline):
    model = Desk
    extra = 0
    raw_id_fields = ["chair", "note_taker"]


class CriterionInline(admin.StackedInline):
    model = Criterion
    formset = CriterionAdminFormSet
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "starts_at", "status", "follows"]
    list_filter = ["kind", "status", "year"]
    list_select_related = ["follows"]
    search_fields = ["title", "slug", "venue"]
    prepopulated_fields = {"slug": ["title", "year"]}
    raw_id_fields = ["follows", "created_by"]
    readonly_fields = ["created_at", "updated_at"]
    date_hierarchy = "starts_at"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [AgendaItemInline, DeskInline, CriterionInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["meeting", "starts_at", "ends_at", "activity", "person"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["field", "meeting", "chair", "note_taker", "room"]
    list_filter = ["meeting", "field"]
    list_select_related = ["field", "meeting", "chair", "note_taker"]
    raw_id_fields = ["chair", "note_taker"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "meeting", "weight", "order"]
    list_filter = ["meeting"]
    list_select_related = ["meeting"]


# ---- Attendance and minutes ----


class ParticipantEventInline(admin.TabularInline):
    model = ParticipantEvent
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    """Corrections belong in the secretariat's pages, which keep the check-in history."""

    list_display = ["name", "office", "region", "desk", "mode", "checked_in_at", "meeting"]
    list_filter = ["meeting", "mode", "checked_in_via", "region"]
    list_select_related = ["region", "desk__field", "meeting"]
    search_fields = ["name", "office", "phone"]
    raw_id_fields = ["meeting", "desk", "user", "created_by"]
    readonly_fields = [
        "checked_in_at",
        "checked_in_via",
        "signature",
        "name_key",
        "office_key",
        "created_at",
        "updated_at",
    ]
    inlines = [ParticipantEventInline]

    def save_model(self, request, obj, form, change):
        obj.name_key = person_key(obj.name)
        obj.office_key = person_key(obj.office)[:200]
        super().save_model(request, obj, form, change)


class MinutesVersionInline(admin.StackedInline):
    model = MinutesVersion
    extra = 0
    can_delete = False
    readonly_fields = [
        "version",
        "data",
        "reason",
        "finalised_by",
        "finalised_at",
        "reopened_by",
        "reopened_at",
        "reopen_reason",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    """Read-only: finalising and reopening keep the versions only through the minutes pages."""

    list_display = ["__str__", "status", "version", "locked_at", "updated_at"]
    list_filter = ["meeting", "status"]
    list_select_related = ["meeting", "desk__field"]
    inlines = [MinutesVersionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Signer)
class SignerAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "document", "desk", "order", "meeting"]
    list_filter = ["meeting", "document"]
    list_select_related = ["meeting", "desk__field"]
    raw_id_fields = ["meeting", "desk"]
