"""Who meets, when and where: regions, fields, meetings, desks, agenda, criteria.

This app never imports from `issues`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A regency, a city, or the province itself, keyed on the Kemendagri code."""

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    kemendagri_code = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    bps_code = models.CharField(_("BPS code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    capital = models.CharField(_("capital"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        ordering = ["kemendagri_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def is_province(self):
        return self.kind == self.Kind.PROVINCE


class FieldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Field(models.Model):
    """A field of public works (bidang); each meeting has one desk per field taking part."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    code = models.CharField(
        _("code"),
        max_length=5,
        unique=True,
        help_text=_("Short prefix for issue numbers, for example BM for Bina Marga."),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = FieldQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("field")
        verbose_name_plural = _("fields")

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    def visible_to_participants(self):
        """Meetings a delegate, desk head or observer may see: every one but drafts."""
        return self.exclude(status=Meeting.Status.DRAFT)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        RAKORTEK = "rakortek", "RAKORTEK"
        RAKORGUB = "rakorgub", "RAKORGUB"

    class Mode(models.TextChoices):
        IN_PERSON = "luring", _("In person (luring)")
        ONLINE = "daring", _("Online (daring)")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draft")
        ACTIVE = "aktif", _("Active")
        FINISHED = "selesai", _("Finished")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.RAKORTEK)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.HYBRID)
    online_link = models.URLField(_("online meeting link"), blank=True)
    submission_opens_at = models.DateTimeField(_("submission opens"), null=True, blank=True)
    submission_closes_at = models.DateTimeField(_("submission closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows RAKORTEK"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        limit_choices_to={"kind": "rakortek"},
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(submission_opens_at__isnull=True)
                | Q(submission_closes_at__isnull=True)
                | Q(submission_closes_at__gt=F("submission_opens_at")),
                name="meeting_submission_window_ordered",
            ),
            # A RAKORGUB always follows a RAKORTEK; a RAKORTEK follows nothing.
            models.CheckConstraint(
                condition=Q(kind="rakortek", follows__isnull=True)
                | Q(kind="rakorgub", follows__isnull=False),
                name="meeting_rakorgub_follows_rakortek",
            ),
            models.CheckConstraint(
                condition=Q(mode="luring") | ~Q(online_link=""),
                name="meeting_online_link_when_online",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"slug": self.slug})

    def submission_is_open(self, at=None):
        """Whether the meeting-wide submission window is open at `at` (now by default)."""
        if self.status != self.Status.ACTIVE or self.kind != self.Kind.RAKORTEK:
            return False
        at = at or timezone.now()
        if self.submission_opens_at and at < self.submission_opens_at:
            return False
        if self.submission_closes_at and at >= self.submission_closes_at:
            return False
        return True


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=200)
    person = models.CharField(_("by"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="agenda_item_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%H.%M} {self.activity}"


class Desk(models.Model):
    """One field's working session within a meeting, chaired by its head of field."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="desks", verbose_name=_("meeting")
    )
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="desks", verbose_name=_("field")
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_desks",
        verbose_name=_("chair"),
    )
    note_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="noted_desks",
        verbose_name=_("note-taker"),
    )
    room = models.CharField(_("room"), max_length=120, blank=True)
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)

    class Meta:
        ordering = ["field__order", "field__name"]
        verbose_name = _("desk")
        verbose_name_plural = _("desks")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "field"], name="desk_one_per_field"),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="desk_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.field} ({self.meeting})"


def default_level_labels():
    return ["", "", "", "", ""]


class Criterion(models.Model):
    """A scoring criterion of a meeting; the weights of a meeting add up to 100."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    level_labels = models.JSONField(
        _("level labels"),
        default=default_level_labels,
        blank=True,
        help_text=_("What the scores 1 to 5 mean, lowest first."),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_range"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight})"


# Defaults for a new meeting (DOMAIN.md, "Prioritisation practice").
DEFAULT_CRITERIA = [
    (
        "Kemendesakan",
        "Seberapa mendesak masalah ini harus ditangani.",
        30,
        ["Tidak mendesak", "Kurang mendesak", "Cukup mendesak", "Mendesak", "Sangat mendesak"],
    ),
    (
        "Dampak dan manfaat",
        "Besarnya manfaat bagi masyarakat dan wilayah.",
        25,
        ["Sangat kecil", "Kecil", "Sedang", "Besar", "Sangat besar"],
    ),
    (
        "Keselarasan RPJMD/RKPD",
        "Kesesuaian dengan RPJMD/RKPD dan prioritas nasional.",
        20,
        ["Tidak selaras", "Kurang selaras", "Cukup selaras", "Selaras", "Sangat selaras"],
    ),
    (
        "Kesiapan",
        "Kesiapan lahan, DED dan dokumen lingkungan.",
        15,
        ["Belum siap", "Kurang siap", "Cukup siap", "Siap", "Sangat siap"],
    ),
    (
        "Kewenangan provinsi",
        "Sejauh mana penanganan menjadi kewenangan provinsi.",
        10,
        [
            "Bukan kewenangan provinsi",
            "Sebagian kecil",
            "Sebagian",
            "Sebagian besar",
            "Sepenuhnya kewenangan provinsi",
        ],
    ),
]
