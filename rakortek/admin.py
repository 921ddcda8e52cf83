from django.contrib import admin

from rakortek.models import OutgoingMail, WorkerHeartbeat


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """The log of e-mail the worker sent, retried or gave up on; read-only."""

    list_display = ["created_at", "purpose", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["to", "subject"]
    readonly_fields = [field.name for field in OutgoingMail._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
