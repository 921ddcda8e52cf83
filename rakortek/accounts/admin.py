from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rakortek.accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from rakortek.accounts.models import Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = AdminUserChangeForm
    add_form = AdminUserCreationForm
    list_display = ["username", "full_name", "role", "region", "email", "is_active", "is_staff"]
    list_filter = ["role", "region", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["region"]
    search_fields = ["username", "full_name", "email", "nip"]
    ordering = ["full_name", "username"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (
            _("Personal info"),
            {"fields": ["full_name", "email", "position", "nip", "phone", "office"]},
        ),
        (_("Role in Rakortek"), {"fields": ["role", "region"]}),
        (
            _("Permissions"),
            {
                "fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"],
            },
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "email",
                    "role",
                    "region",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "created_by", "expires_at", "used_at", "revoked_at"]
    list_filter = ["created_at", "used_at", "revoked_at"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username", "user__full_name"]
    readonly_fields = [
        "user",
        "token_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        # A link is only useful with its clear-text token, which the admin never sees.
        return False

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request, queryset):
        count = queryset.filter(used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.message_user(request, _("Invitations revoked: %(count)d") % {"count": count})
