"""Strategic issues (isu strategis) and what happens to them: submission, the desk's
scores, rank and decision, merges of duplicates, and the state of each desk's board.
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from issues.figures import attach_figures, volume_text

LONG_TEXT = 5000


def _choice_label(choices, value) -> str:
    """The translated label of `value` among `choices`, or the value itself (as Django's
    get_FOO_display() does for a value outside them)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draf", _("Draft")
        SUBMITTED = "diajukan", _("Submitted")
        NEEDS_REVISION = "perlu_perbaikan", _("Needs revision")
        VERIFIED = "terverifikasi", _("Verified")
        DISCUSSED = "dibahas", _("Discussed")
        PRIORITY = "prioritas", _("Priority")
        RESERVE = "cadangan", _("Reserve")
        NOT_PRIORITISED = "tidak_diprioritaskan", _("Not prioritised")
        REDIRECTED = "dialihkan", _("Redirected")
        AGREED = "disepakati", _("Agreed")
        FORWARDED = "diteruskan", _("Forwarded to RAKORGUB")
        WITHDRAWN = "ditarik", _("Withdrawn")
        # Merged by the desk into a joint issue (merged_into); not withdrawn by the region.
        MERGED = "digabung", _("Merged")

    class FundingSource(models.TextChoices):
        APBD_PROVINCE = "apbd_provinsi", "APBD Provinsi"
        APBD_REGENCY = "apbd_kabkota", "APBD Kabupaten/Kota"
        APBN = "apbn", "APBN"
        DAK = "dak", "DAK"
        PROVINCIAL_GRANT = "bankeu_provinsi", _("Provincial financial aid (Bantuan Keuangan)")
        OTHER = "lainnya", _("Other")

    class Authority(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten_kota", _("Regency/city")
        CENTRAL = "pusat", _("Central government")
        UNCLEAR = "belum_jelas", _("Not yet clear")

    class Decision(models.TextChoices):
        # The same values as the statuses a decision sets.
        PRIORITY = "prioritas", _("Priority")
        RESERVE = "cadangan", _("Reserve")
        NOT_PRIORITISED = "tidak_diprioritaskan", _("Not prioritised")
        REDIRECTED = "dialihkan", _("Redirected")

    class Readiness(models.TextChoices):
        AVAILABLE = "ada", _("Available")
        IN_PROGRESS = "proses", _("In progress")
        NOT_YET = "belum", _("Not yet")
        NOT_NEEDED = "tidak_perlu", _("Not needed")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("field (desk)"),
    )
    region = models.ForeignKey(
        "meetings.Region",
        on_delete=models.PROTECT,
        related_name="issues",
        verbose_name=_("region"),
    )
    number = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Given on first submission, per desk; never reused."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )

    proposing_office = models.CharField(_("proposing office"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(
        _("problem"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    current_condition = models.TextField(
        _("current condition"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )
    proposed_handling = models.TextField(
        _("proposed handling"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    support_requested = models.TextField(
        _("support asked of the province"),
        max_length=LONG_TEXT,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )

    district = models.CharField(_("district (kecamatan)"), max_length=100)
    village = models.CharField(_("village (desa/kelurahan)"), max_length=100, blank=True)
    # The official areas the typed names were matched to (by code or name) within the
    # region; the typed text is kept either way.
    district_area = models.ForeignKey(
        "meetings.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("kecamatan (official)"),
    )
    village_area = models.ForeignKey(
        "meetings.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("desa/kelurahan (official)"),
    )
    location_unmatched = models.BooleanField(
        _("location not in the official areas"),
        default=False,
        editable=False,
        help_text=_("The typed kecamatan or desa/kelurahan is not one of the region's areas."),
    )
    place = models.CharField(_("place or road segment"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    # Three decimals: 1,125 km is a road to the metre.
    volume = models.DecimalField(
        _("volume"), max_digits=15, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    # Whole rupiah; 15 digits reach 999 trillion.
    estimated_cost = models.DecimalField(
        _("estimated cost (Rp)"), max_digits=15, decimal_places=0, null=True, blank=True
    )
    funding_source = models.CharField(
        _("funding source"), max_length=20, choices=FundingSource.choices
    )
    authority = models.CharField(
        _("authority (kewenangan)"),
        max_length=20,
        choices=Authority.choices,
        default=Authority.UNCLEAR,
    )
    land_readiness = models.CharField(
        _("land"), max_length=12, choices=Readiness.choices, default=Readiness.NOT_YET
    )
    ded_readiness = models.CharField(
        _("detailed design (DED)"),
        max_length=12,
        choices=Readiness.choices,
        default=Readiness.NOT_YET,
    )
    environmental_readiness = models.CharField(
        _("environmental document"),
        max_length=12,
        choices=Readiness.choices,
        default=Readiness.NOT_YET,
    )
    plan_link = models.TextField(
        _("link to plans (RPJMD/RKPD)"),
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )
    priority_order = models.PositiveIntegerField(
        _("region's priority order"),
        default=0,
        help_text=_("The region's own order among its issues in this desk; 1 comes first."),
    )
    decision_reason = models.TextField(
        _("reason for the decision"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )

    # The desk's work: set only through issues.services (the board).
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Weighted total of the criteria scores, 0 to 100; empty until fully scored."),
    )
    rank = models.PositiveIntegerField(
        _("rank"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Place in the desk's ranking, 1 first; empty while not ranked."),
    )
    rank_override_reason = models.TextField(
        _("reason for ranking against the score"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, blank=True, editable=False
    )
    redirected_to = models.CharField(
        _("redirected to"),
        max_length=300,
        blank=True,
        help_text=_("Where a redirected issue goes, for example the river basin agency (BWS)."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="carried_over_to",
        verbose_name=_("carried over from"),
        help_text=_("The unresolved issue of an earlier RAKORTEK this one continues."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_issues",
        verbose_name=_("merged into"),
    )
    joint_regions = models.ManyToManyField(
        "meetings.Region",
        blank=True,
        related_name="joint_issues",
        verbose_name=_("joint proposing regions"),
        help_text=_("Every region that proposed a joint issue, besides its own region."),
    )

    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    is_proxy_entry = models.BooleanField(
        _("entered by the secretariat on behalf of the region"), default=False
    )
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["priority_order", "id"]
        verbose_name = _("strategic issue")
        verbose_name_plural = _("strategic issues")
        indexes = [
            models.Index(fields=["meeting", "region"], name="issue_meeting_region_idx"),
            models.Index(fields=["desk", "status"], name="issue_desk_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["desk", "number"], name="issue_unique_number_per_desk"),
            models.CheckConstraint(
                condition=Q(number__isnull=False)
                | Q(status__in=["draf", "ditarik"], submitted_at__isnull=True),
                name="issue_submitted_has_number",
            ),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="issue_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(volume__isnull=True) | Q(volume__gte=0),
                name="issue_volume_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="issue_coordinates_both_or_neither",
            ),
            # Ranks are unique per desk; services keep them gap-free (1..n).
            models.UniqueConstraint(
                fields=["desk", "rank"],
                condition=Q(rank__isnull=False),
                name="issue_unique_rank_per_desk",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="issue_rank_positive"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="issue_score_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["", "prioritas"]) | ~Q(decision_reason=""),
                name="issue_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(decision="dialihkan") | ~Q(redirected_to=""),
                name="issue_redirected_has_destination",
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="issue_not_merged_into_itself",
            ),
            # An earlier issue continues at most once in each later meeting.
            models.UniqueConstraint(
                fields=["meeting", "carried_over_from"],
                condition=Q(carried_over_from__isnull=False),
                name="issue_carried_over_once_per_meeting",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}" if self.number else self.title

    def get_absolute_url(self):
        return reverse("issues:detail", kwargs={"pk": self.pk})

    # The labels of the choices most pages show. Django's generic get_FOO_display()
    # rebuilds and hashes the whole list of (translated) choices at every call, which
    # on a list of a hundred issues took a third of the page's time.
    def get_status_display(self):
        return _choice_label(self.Status, self.status)

    def get_decision_display(self):
        return _choice_label(self.Decision, self.decision)

    def get_authority_display(self):
        return _choice_label(self.Authority, self.authority)

    @property
    def code(self):
        """The readable number, e.g. BM-07; empty until first submitted. Needs desk__field."""
        if self.number is None:
            return ""
        return f"{self.desk.field.code}-{self.number:02d}"

    @property
    def volume_text(self):
        """3,5 km: the issue's own volume as written in Indonesian, with its unit."""
        return volume_text(self.volume, self.unit)

    @cached_property
    def figures(self):
        """Volume and cost as proposed: for a joint issue the sums over its merged
        originals, with each region's share (issues.figures). Lists set it for every
        row at once with attach_figures; alone it takes one query."""
        attach_figures([self])
        return self.__dict__["figures"]

    @property
    def is_decided(self):
        return self.status in DECIDED_STATUSES

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def coordinates_text(self):
        """-2,1291; 106,1131: written the Indonesian way (a decimal comma, so a semicolon
        between the two)."""
        if not self.has_coordinates:
            return ""
        lat = f"{self.latitude.normalize():f}".replace(".", ",")
        lon = f"{self.longitude.normalize():f}".replace(".", ",")
        return f"{lat}; {lon}"

    @property
    def coordinates_for_maps(self):
        """-2.1291, 106.1131: the form map applications accept, whatever the language."""
        if not self.has_coordinates:
            return ""
        return f"{self.latitude.normalize():f}, {self.longitude.normalize():f}"


# Statuses in which the desk has not decided yet; later statuses are decisions.
UNDECIDED_STATUSES = (
    Issue.Status.DRAFT,
    Issue.Status.SUBMITTED,
    Issue.Status.NEEDS_REVISION,
    Issue.Status.VERIFIED,
    Issue.Status.DISCUSSED,
)
DECIDED_STATUSES = (
    Issue.Status.PRIORITY,
    Issue.Status.RESERVE,
    Issue.Status.NOT_PRIORITISED,
    Issue.Status.REDIRECTED,
    Issue.Status.AGREED,
    Issue.Status.FORWARDED,
)
# What a delegate may still change.
DELEGATE_EDITABLE_STATUSES = (Issue.Status.DRAFT, Issue.Status.NEEDS_REVISION)


class IssueSequence(models.Model):
    """The last number given in one desk; locked while the next one is taken."""

    desk = models.OneToOneField(
        "meetings.Desk",
        on_delete=models.CASCADE,
        related_name="issue_sequence",
        verbose_name=_("desk"),
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("issue number sequence")
        verbose_name_plural = _("issue number sequences")

    def __str__(self):
        return f"{self.desk}: {self.last_number}"


class HistoryEntry(models.Model):
    """The shape every history table shares: who, when, and the details of the change.
    The domain's own fields (what kind of change, of what, why) are the table's."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    detail = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class IssueEvent(HistoryEntry):
    """One line of an issue's history: who, when, what changed and why."""

    class Kind(models.TextChoices):
        CREATED = "dibuat", _("Created")
        EDITED = "diubah", _("Edited")
        STATUS = "status", _("Status changed")
        REORDERED = "urutan", _("Order changed")
        SCORED = "skor", _("Scored")
        RANKED = "peringkat", _("Rank changed")
        DECIDED = "keputusan", _("Decided")
        MERGED = "digabung", _("Merged")
        CARRIED_IN = "dari_lalu", _("Carried over from an earlier meeting")
        CARRIED_OUT = "ke_depan", _("Carried over to a later meeting")
        SET_ASIDE = "disisihkan", _("Set aside when the desk was locked")
        ASSENT_ASKED = "persetujuan_diminta", _("Regions asked to assent to the decision")
        ASSENT_ANSWERED = "persetujuan_dijawab", _("Region answered on the decision")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="events", verbose_name=_("issue")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Issue.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=20, choices=Issue.Status.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list, blank=True)
    # `detail`: what a board change was, for the history: {"from_rank": 3, "to_rank": 1},
    # {"scores": [["Kemendesakan", 5], ...], "score": "62.50"}, {"redirected_to": "..."}.

    class Meta(HistoryEntry.Meta):
        ordering = ["created_at", "id"]
        verbose_name = _("issue history entry")
        verbose_name_plural = _("issue history")

    def __str__(self):
        return f"{self.issue_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def changed_field_labels(self):
        labels = []
        for name in self.changed_fields:
            try:
                labels.append(str(Issue._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:  # a field removed since the edit was recorded
                labels.append(name)
        return labels


class IssueComment(models.Model):
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="comments", verbose_name=_("issue")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"), max_length=2000, validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class RegionWindow(models.Model):
    """Submission reopened for one region until `closes_at`, after the meeting's window."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="region_windows",
        verbose_name=_("meeting"),
    )
    region = models.ForeignKey(
        "meetings.Region",
        on_delete=models.CASCADE,
        related_name="submission_windows",
        verbose_name=_("region"),
    )
    closes_at = models.DateTimeField(_("open until"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["region__kemendagri_code"]
        verbose_name = _("reopened submission for a region")
        verbose_name_plural = _("reopened submissions for regions")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "region"], name="region_window_unique"),
        ]

    def __str__(self):
        return f"{self.region} ({self.meeting}) → {self.closes_at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    """A photo or document supporting an issue; stored under a random name by the upload service."""

    class Kind(models.TextChoices):
        PHOTO = "foto", _("Photo")
        DOCUMENT = "dokumen", _("Document")

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("issue")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="lampiran/", max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to="lampiran/thumb/", max_length=200, blank=True
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class Score(models.Model):
    """One criterion's score (1 to 5) of one issue, given by the desk."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="scores", verbose_name=_("issue")
    )
    criterion = models.ForeignKey(
        "meetings.Criterion",
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("criterion"),
    )
    value = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scored by"),
    )
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        ordering = ["criterion__order", "criterion_id"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["issue", "criterion"], name="score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=5), name="score_value_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.issue_id} {self.criterion_id}: {self.value}"


class DeskState(models.Model):
    """The board of one desk: whether it is locked, and a version for optimistic concurrency.

    Every change on the board (score, rank, decision, lock) bumps `version`; a write
    that carries an older version than the current one is refused, so two people at
    the same board never overwrite each other silently. Rank changes lock this row.
    """

    desk = models.OneToOneField(
        "meetings.Desk",
        on_delete=models.CASCADE,
        related_name="board_state",
        verbose_name=_("desk"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    unlocked_at = models.DateTimeField(_("last unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last unlocked by"),
    )
    unlock_reason = models.TextField(
        _("reason for the last unlock"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("desk board state")
        verbose_name_plural = _("desk board states")
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="desk_state_version_positive"),
        ]

    def __str__(self):
        return f"{self.desk_id} v{self.version}"

    @property
    def is_locked(self):
        return self.locked_at is not None


# ---- The regions' assent to a desk's decisions before it is locked ----


class AssentRound(models.Model):
    """The desk asks the regions to assent to its decisions until `deadline`.

    One round is current per desk (closed_at empty); opening a new one closes the
    previous, whose answers stay as they were. Locking the desk closes the round.
    Written only through issues.board.services_assent.
    """

    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.CASCADE,
        related_name="assent_rounds",
        verbose_name=_("desk"),
    )
    number = models.PositiveSmallIntegerField(_("round"))
    deadline = models.DateTimeField(_("answers accepted until"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["desk", "-number"]
        verbose_name = _("assent round")
        verbose_name_plural = _("assent rounds")
        constraints = [
            models.UniqueConstraint(fields=["desk", "number"], name="assent_round_number"),
            models.UniqueConstraint(
                fields=["desk"],
                condition=Q(closed_at__isnull=True),
                name="assent_round_one_open_per_desk",
            ),
        ]

    def __str__(self):
        return f"{self.desk_id} #{self.number}"

    @property
    def is_open(self):
        return self.closed_at is None

    def accepts_answers(self, at=None) -> bool:
        return self.closed_at is None and (at or timezone.now()) < self.deadline


class AssentItem(models.Model):
    """One region's answer on one issue's decision in one round.

    `decision` and `wording` are what the region was shown when the round opened. An
    answer carried over from the previous round (the decision and its wording did not
    change) has `carried` set.
    """

    class Answer(models.TextChoices):
        AGREE = "setuju", pgettext_lazy("assent", "Agree")
        OBJECT = "keberatan", pgettext_lazy("assent", "Object")

    round = models.ForeignKey(
        AssentRound, on_delete=models.CASCADE, related_name="items", verbose_name=_("round")
    )
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="assent_items", verbose_name=_("issue")
    )
    region = models.ForeignKey(
        "meetings.Region",
        on_delete=models.PROTECT,
        related_name="assent_items",
        verbose_name=_("region"),
    )
    decision = models.CharField(_("decision"), max_length=20, choices=Issue.Decision.choices)
    wording = models.TextField(_("wording"))
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    note = models.TextField(
        _("note"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    carried = models.BooleanField(_("answer carried from the previous round"), default=False)

    class Meta:
        ordering = ["round", "issue__rank", "issue_id", "region__kemendagri_code"]
        verbose_name = _("assent answer")
        verbose_name_plural = _("assent answers")
        constraints = [
            models.UniqueConstraint(fields=["round", "issue", "region"], name="assent_item_unique"),
            models.CheckConstraint(
                condition=~Q(answer="keberatan") | ~Q(note=""),
                name="assent_objection_has_note",
            ),
        ]

    def __str__(self):
        return f"{self.round_id} {self.issue_id} {self.region_id}: {self.answer or '-'}"


class DeskLockRecord(HistoryEntry):
    """What stood when a desk was locked: the assent round and each region's answer.

    `detail`: {"round": 2, "deadline": iso, "deadline_passed": bool, "answers": [{"issue":
    "BM-01", "title": ..., "region": ..., "decision": ..., "answer": "setuju" | "keberatan"
    | "", "note": ..., "by": ..., "at": iso}, ...]}; {} when no round was opened.
    """

    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.CASCADE,
        related_name="lock_records",
        verbose_name=_("desk"),
    )
    round = models.ForeignKey(
        AssentRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assent round"),
    )

    class Meta(HistoryEntry.Meta):
        verbose_name = _("desk lock record")
        verbose_name_plural = _("desk lock records")

    def __str__(self):
        return f"{self.desk_id} {self.created_at:%Y-%m-%d %H:%M}"


# ---- Agreement points (butir kesepakatan) ----


class AgreementPoint(models.Model):
    """One agreed point of a desk, in the desk's order (1..n, gap-free; issues.agreement.services).

    `due` is free text because the documents state it so ("Tahun Anggaran 2023",
    "Triwulan III 2022", "Juli 2023"): a date field could not hold most of them.
    `regions` are derived from the source issues when they are set, for display
    and for the follow-up of each point after RAKORGUB.
    """

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="agreement_points",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.PROTECT,
        related_name="agreement_points",
        verbose_name=_("field (desk)"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(
        _("what is agreed"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    responsible = models.CharField(
        _("responsible (penanggung jawab)"),
        max_length=300,
        help_text=_(
            "Who carries it out, for example: Dinas PUPRPRKP Provinsi; DPUPR Kabupaten Bangka."
        ),
    )
    due = models.CharField(
        _("when"), max_length=100, help_text=_("For example: Tahun Anggaran 2023.")
    )
    source_issues = models.ManyToManyField(
        Issue,
        blank=True,
        related_name="agreement_points",
        verbose_name=_("source issues"),
    )
    regions = models.ManyToManyField(
        "meetings.Region",
        blank=True,
        related_name="agreement_points",
        verbose_name=_("regions"),
        help_text=_("The regions of the source issues."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["desk__field__order", "desk__field__name", "order"]
        verbose_name = _("agreement point")
        verbose_name_plural = _("agreement points")
        constraints = [
            models.UniqueConstraint(fields=["desk", "order"], name="agreement_point_unique_order"),
            models.CheckConstraint(
                condition=Q(order__gte=1), name="agreement_point_order_positive"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="agreement_point_has_text"),
        ]

    def __str__(self):
        return f"{self.desk_id}.{self.order} {self.text[:60]}"


class AgreementPointEvent(HistoryEntry):
    """One change of a desk's agreement points: who, when, what, and the text as it was.

    Kept apart from IssueEvent because a point need not come from an issue, and
    the record must outlive a deleted point.
    """

    class Kind(models.TextChoices):
        CREATED = "dibuat", _("Created")
        DRAFTED = "disusun", _("Drafted from a Priority issue")
        EDITED = "diubah", _("Edited")
        MOVED = "dipindah", _("Moved")
        DELETED = "dihapus", _("Deleted")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="agreement_point_events",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.CASCADE,
        related_name="agreement_point_events",
        verbose_name=_("desk"),
    )
    point = models.ForeignKey(
        AgreementPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("agreement point"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # `detail`: {"order": 2, "text": "...", "changed": ["text"], "from_order": 3}

    class Meta(HistoryEntry.Meta):
        verbose_name = _("agreement point history entry")
        verbose_name_plural = _("agreement point history")

    def __str__(self):
        return f"{self.desk_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class AgreementOptions(models.Model):
    """How the meeting's agreement document is printed; absent means the defaults."""

    class Numbering(models.TextChoices):
        NUMBERS = "angka", _("1, 2, 3 ...")
        ORDINALS = "urutan", _("KESATU, KEDUA, KETIGA ...")

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="agreement_options",
        verbose_name=_("meeting"),
    )
    numbering = models.CharField(
        _("numbering of the points"),
        max_length=10,
        choices=Numbering.choices,
        default=Numbering.NUMBERS,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agreement document options")
        verbose_name_plural = _("agreement document options")

    def __str__(self):
        return f"{self.meeting_id}: {self.numbering}"


# ---- After the meeting: the package forwarded to RAKORGUB and its follow-up ----


class RakorgubPackage(models.Model):
    """The final agreement points of a RAKORTEK as forwarded to its RAKORGUB.

    The points are copied into `PackagePoint` rows when the package is forwarded
    and change after that only through `issues.rakorgub.services`, each change with a
    reason in `PackageChange`. `content_sha256` is the hash of the points as they
    stand after the last recorded change, so a change that bypassed the services
    shows (`issues.rakorgub.services.package_integrity`).
    """

    class Status(models.TextChoices):
        FORWARDED = "diteruskan", _("Forwarded")
        SIGNED = "ditandatangani", _("Signed")

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="rakorgub_package",
        verbose_name=_("RAKORTEK"),
    )
    rakorgub = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="received_packages",
        verbose_name=_("RAKORGUB"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.FORWARDED
    )
    document_number = models.CharField(_("agreement document number"), max_length=100)
    document_sha256 = models.CharField(_("agreement document SHA-256"), max_length=64)
    content_sha256 = models.CharField(_("SHA-256 of the points"), max_length=64)
    note = models.TextField(
        _("cover note"),
        max_length=LONG_TEXT,
        blank=True,
        validators=[MaxLengthValidator(LONG_TEXT)],
    )
    forwarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("forwarded by"),
    )
    forwarded_at = models.DateTimeField(_("forwarded at"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_scan = models.FileField(
        _("signed scan"), upload_to="rakorgub/", max_length=200, blank=True
    )
    signed_scan_name = models.CharField(_("original file name"), max_length=255, blank=True)
    signed_scan_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    signed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signing recorded by"),
    )
    signed_recorded_at = models.DateTimeField(_("signing recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["-forwarded_at"]
        verbose_name = _("RAKORGUB package")
        verbose_name_plural = _("RAKORGUB packages")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="diteruskan")
                | (Q(signed_on__isnull=False) & ~Q(signed_scan="")),
                name="package_signed_has_date_and_scan",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id} -> {self.rakorgub_id} ({self.status})"

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    @property
    def held_on(self):
        """The day of the RAKORGUB, in the meeting's time zone."""
        return timezone.localdate(self.rakorgub.starts_at)


class PackagePoint(models.Model):
    """One agreement point as forwarded (frozen), and its follow-up (tindak lanjut).

    The text, the responsible party and `due` are as the agreement document
    printed them; `target_date` is the date the follow-up is measured against.
    `status` and `progress` are those of the latest `FollowUpUpdate`.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "belum_dimulai", pgettext_lazy("follow-up status", "Not started")
        IN_PROGRESS = "dalam_proses", pgettext_lazy("follow-up status", "In progress")
        DONE = "selesai", pgettext_lazy("follow-up status", "Done")
        BLOCKED = "terkendala", pgettext_lazy("follow-up status", "Blocked")

    package = models.ForeignKey(
        RakorgubPackage,
        on_delete=models.CASCADE,
        related_name="points",
        verbose_name=_("package"),
    )
    point = models.ForeignKey(
        AgreementPoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="package_points",
        verbose_name=_("agreement point"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.PROTECT,
        related_name="package_points",
        verbose_name=_("field (desk)"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(
        _("what is agreed"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    responsible = models.CharField(_("responsible (penanggung jawab)"), max_length=300)
    due = models.CharField(_("when"), max_length=100)
    source_issues = models.ManyToManyField(
        Issue, blank=True, related_name="package_points", verbose_name=_("source issues")
    )
    regions = models.ManyToManyField(
        "meetings.Region",
        blank=True,
        related_name="package_points",
        verbose_name=_("regions responsible"),
    )
    dropped_at = models.DateTimeField(
        _("dropped at RAKORGUB"),
        null=True,
        blank=True,
        help_text=_("A point the RAKORGUB did not sign: it is kept, but not followed up."),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("follow-up status"),
        max_length=15,
        choices=Status.choices,
        default=Status.NOT_STARTED,
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    reported_on = models.DateField(_("last reported on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["package", "number"]
        verbose_name = _("forwarded agreement point")
        verbose_name_plural = _("forwarded agreement points")
        constraints = [
            models.UniqueConstraint(fields=["package", "number"], name="package_point_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="package_point_number_pos"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="package_point_progress"),
            models.CheckConstraint(
                condition=~Q(status="belum_dimulai") | Q(progress=0),
                name="package_point_not_started_is_zero",
            ),
            models.CheckConstraint(
                condition=(Q(status="selesai") & Q(progress=100))
                | (~Q(status="selesai") & Q(progress__lt=100)),
                name="package_point_done_is_hundred",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    @property
    def is_dropped(self):
        return self.dropped_at is not None

    def is_overdue(self, today=None):
        """Past its target date and not done (a dropped point is never overdue)."""
        if self.is_dropped or self.status == self.Status.DONE or self.target_date is None:
            return False
        return self.target_date < (today or timezone.localdate())


class PackageSignatory(models.Model):
    """Who signs the package at RAKORGUB for the province (the Governor) or for a region."""

    class Status(models.TextChoices):
        PENDING = "belum", _("Not yet recorded")
        SIGNED = "ditandatangani", _("Signed")
        ABSENT = "tidak_hadir", _("Did not sign")

    package = models.ForeignKey(
        RakorgubPackage,
        on_delete=models.CASCADE,
        related_name="signatories",
        verbose_name=_("package"),
    )
    region = models.ForeignKey(
        "meetings.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    office = models.CharField(_("office held"), max_length=200)
    official_name = models.CharField(_("name of the official"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PENDING
    )
    signed_by_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signed_by_position = models.CharField(_("position of who signed"), max_length=200, blank=True)
    stood_in = models.BooleanField(_("signed by a stand-in"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["package", "order"]
        verbose_name = _("RAKORGUB signatory")
        verbose_name_plural = _("RAKORGUB signatories")
        constraints = [
            models.UniqueConstraint(fields=["package", "region"], name="package_signatory_region"),
            models.CheckConstraint(
                condition=~Q(status="ditandatangani") | ~Q(signed_by_name=""),
                name="package_signatory_signed_has_name",
            ),
        ]

    def __str__(self):
        return f"{self.office}: {self.get_status_display()}"


class PackageChange(HistoryEntry):
    """What happened to a package after it was forwarded: who, when, why, and what changed."""

    class Kind(models.TextChoices):
        FORWARDED = "diteruskan", _("Forwarded")
        AMENDED = "diubah", _("Point amended")
        DROPPED = "dibatalkan", _("Point dropped")
        RESTORED = "dipulihkan", _("Point restored")
        PLAN = "rencana", _("Target date or responsible party changed")
        SIGNATORY = "penanda", _("Signatory recorded")
        SCAN = "pindaian", _("Signed scan uploaded")
        SIGNED = "ditandatangani", _("Signed")
        REOPENED = "dibuka", _("Signing reopened")

    package = models.ForeignKey(
        RakorgubPackage,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("package"),
    )
    point = models.ForeignKey(
        PackagePoint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("point"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    # `detail`: {"before": {"text": ...}, "after": {"text": ...}} or {"office": ..., "status": ...}

    class Meta(HistoryEntry.Meta):
        verbose_name = _("RAKORGUB package change")
        verbose_name_plural = _("RAKORGUB package changes")

    def __str__(self):
        return f"{self.package_id} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class FollowUpUpdate(models.Model):
    """A dated report on a point's follow-up: the status and progress it sets, what was done."""

    point = models.ForeignKey(
        PackagePoint,
        on_delete=models.CASCADE,
        related_name="updates",
        verbose_name=_("point"),
    )
    reported_on = models.DateField(_("situation as of"))
    status = models.CharField(_("status"), max_length=15, choices=PackagePoint.Status.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MaxValueValidator(100)]
    )
    from_status = models.CharField(
        _("status before"), max_length=15, choices=PackagePoint.Status.choices
    )
    from_progress = models.PositiveSmallIntegerField(_("progress before (%)"))
    note = models.TextField(
        _("what was done"), max_length=LONG_TEXT, validators=[MaxLengthValidator(LONG_TEXT)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-reported_on", "-created_at", "-id"]
        verbose_name = _("follow-up update")
        verbose_name_plural = _("follow-up updates")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="followup_progress"),
            models.CheckConstraint(condition=~Q(note=""), name="followup_has_note"),
        ]

    def __str__(self):
        return f"{self.point_id} {self.reported_on} {self.status} {self.progress}%"


class FollowUpEvidence(models.Model):
    """A photo or document proving a follow-up update; stored like an issue's attachments."""

    update = models.ForeignKey(
        FollowUpUpdate,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("update"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Attachment.Kind.choices)
    file = models.FileField(_("file"), upload_to="tindak-lanjut/", max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to="tindak-lanjut/thumb/", max_length=200, blank=True
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("follow-up evidence")
        verbose_name_plural = _("follow-up evidence")

    def __str__(self):
        return self.original_name
