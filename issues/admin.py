from django.contrib import admin

from issues.models import (
    AgreementOptions,
    AgreementPoint,
    AgreementPointEvent,
    AssentItem,
    AssentRound,
    Attachment,
    DeskLockRecord,
    DeskState,
    Issue,
    IssueComment,
    IssueEvent,
    IssueSequence,
    PackageChange,
    PackagePoint,
    PackageSignatory,
    RakorgubPackage,
    RegionWindow,
    Score,
)


class IssueEventInline(admin.TabularInline):
    model = IssueEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "kind", "from_status", "to_status", "reason", "changed_fields"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class IssueCommentInline(admin.TabularInline):
    model = IssueComment
    extra = 0
    fields = ["created_at", "author", "body"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ["criterion", "value", "scored_by", "scored_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["kind", "original_name", "content_type", "size", "caption", "uploaded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = ["__str__", "region", "desk", "status", "priority_order", "is_proxy_entry"]
    list_filter = ["meeting", "status", "desk__field", "region", "is_proxy_entry"]
    search_fields = ["title", "problem", "district", "village", "place", "proposing_office"]
    list_select_related = ["region", "desk__field", "desk__meeting"]
    raw_id_fields = ["entered_by"]
    readonly_fields = [
        "number",
        "submitted_at",
        "created_at",
        "updated_at",
        # The board's results change only through the services, which keep ranks gap-free
        # and record every change.
        "score",
        "rank",
        "decision",
        "decided_at",
        "decided_by",
        # Merges too: issues.board.duplicates makes and undoes them with the ranks and history.
        "merged_into",
        "joint_regions",
    ]
    inlines = [IssueCommentInline, ScoreInline, AttachmentInline, IssueEventInline]


@admin.register(IssueEvent)
class IssueEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "issue", "kind", "from_status", "to_status", "actor"]
    list_filter = ["kind", "to_status"]
    list_select_related = ["issue__desk__field", "actor"]
    raw_id_fields = ["issue", "actor"]
    readonly_fields = ["created_at"]


@admin.register(IssueComment)
class IssueCommentAdmin(admin.ModelAdmin):
    list_display = ["created_at", "issue", "author"]
    list_select_related = ["issue__desk__field", "author"]
    raw_id_fields = ["issue", "author"]
    search_fields = ["body"]


@admin.register(IssueSequence)
class IssueSequenceAdmin(admin.ModelAdmin):
    list_display = ["desk", "last_number"]
    list_select_related = ["desk__field", "desk__meeting"]


@admin.register(RegionWindow)
class RegionWindowAdmin(admin.ModelAdmin):
    list_display = ["meeting", "region", "closes_at", "reason", "created_by"]
    list_filter = ["meeting", "region"]
    raw_id_fields = ["created_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "issue", "kind", "content_type", "size", "uploaded_at"]
    list_filter = ["kind"]
    list_select_related = ["issue__desk__field"]
    raw_id_fields = ["issue", "uploaded_by"]
    readonly_fields = ["sha256", "size", "content_type", "uploaded_at"]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["issue", "criterion", "value", "scored_by", "scored_at"]
    list_select_related = ["issue__desk__field", "criterion", "scored_by"]
    raw_id_fields = ["issue", "scored_by"]
    readonly_fields = ["scored_at"]


@admin.register(DeskState)
class DeskStateAdmin(admin.ModelAdmin):
    list_display = ["desk", "version", "locked_at", "locked_by", "unlocked_at"]
    list_select_related = ["desk__field", "desk__meeting", "locked_by"]
    raw_id_fields = ["locked_by", "unlocked_by"]
    # Locking and unlocking go through the board, which records who and why.
    readonly_fields = [
        "version",
        "locked_at",
        "locked_by",
        "unlocked_at",
        "unlocked_by",
        "unlock_reason",
        "updated_at",
    ]


class ViewOnlyAdmin(admin.ModelAdmin):
    """Agreement points change only through their pages, which keep the order gap-free,
    respect the lock of the final document and record the history."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementPoint)
class AgreementPointAdmin(ViewOnlyAdmin):
    list_display = ["meeting", "desk", "order", "text", "responsible", "due", "updated_at"]
    list_filter = ["meeting", "desk__field"]
    list_select_related = ["meeting", "desk__field", "desk__meeting"]
    search_fields = ["text", "responsible"]


@admin.register(AgreementPointEvent)
class AgreementPointEventAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "desk", "kind", "actor"]
    list_filter = ["kind"]
    list_select_related = ["desk__field", "desk__meeting", "actor"]


@admin.register(AgreementOptions)
class AgreementOptionsAdmin(ViewOnlyAdmin):
    list_display = ["meeting", "numbering", "updated_by", "updated_at"]


# The RAKORGUB package changes only through issues.rakorgub.services, which records every
# change with its reason and keeps the integrity hash; the admin only reads.


@admin.register(RakorgubPackage)
class RakorgubPackageAdmin(ViewOnlyAdmin):
    list_display = ["meeting", "rakorgub", "status", "forwarded_at", "signed_on"]
    list_filter = ["status"]
    list_select_related = ["meeting", "rakorgub"]


@admin.register(PackagePoint)
class PackagePointAdmin(ViewOnlyAdmin):
    list_display = ["package", "number", "desk", "text", "target_date", "status", "progress"]
    list_filter = ["status", "desk__field"]
    list_select_related = ["package", "desk__field", "desk__meeting"]
    search_fields = ["text", "responsible"]


@admin.register(PackageSignatory)
class PackageSignatoryAdmin(ViewOnlyAdmin):
    list_display = ["package", "order", "office", "status", "signed_by_name", "stood_in"]
    list_filter = ["status"]
    list_select_related = ["package"]


@admin.register(PackageChange)
class PackageChangeAdmin(ViewOnlyAdmin):
    list_display = ["created_at", "package", "kind", "point", "actor"]
    list_filter = ["kind"]
    list_select_related = ["package", "point", "actor"]


# The regions' assent changes only through issues.board.services_assent (each answer in the
# issue's history) and the lock; the admin only reads.


@admin.register(AssentRound)
class AssentRoundAdmin(ViewOnlyAdmin):
    list_display = ["desk", "number", "deadline", "opened_by", "opened_at", "closed_at"]
    list_select_related = ["desk__field", "desk__meeting", "opened_by"]


@admin.register(AssentItem)
class AssentItemAdmin(ViewOnlyAdmin):
    list_display = ["round", "issue", "region", "decision", "answer", "answered_by", "answered_at"]
    list_filter = ["answer", "region"]
    list_select_related = ["round", "issue__desk__field", "region", "answered_by"]


@admin.register(DeskLockRecord)
class DeskLockRecordAdmin(ViewOnlyAdmin):
    list_display = ["desk", "created_at", "actor", "round"]
    list_select_related = ["desk__field", "desk__meeting", "actor", "round"]
