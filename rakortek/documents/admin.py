from django.contrib import admin

from rakortek.documents.models import FinalDocument


@admin.register(FinalDocument)
class FinalDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "version", "is_current", "meeting", "finalised_at"]
    list_filter = ["kind", "is_current", "meeting"]
    search_fields = ["title", "number", "sha256", "verification_code"]
    readonly_fields = [f.name for f in FinalDocument._meta.fields]

    def has_add_permission(self, request):
        # Final documents come only from rendering; a hand-made row would carry no real hash.
        return False

    def has_change_permission(self, request, obj=None):
        return False
