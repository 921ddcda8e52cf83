"""Who meets, when and where: regions, fields, meetings, desks, agenda, criteria,
attendance (daftar hadir), minutes (notulen) and who signs the documents.

This app never imports from `issues`.
"""

import secrets
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from rakortek.core.document_kinds import SIGNED_KINDS


class RegionQuerySet(models.QuerySet):
    def in_province(self, code: str | None = None):
        """The province (settings.RAKORTEK_PROVINCE_CODE) and its regencies and cities: the
        regions this RAKORTEK is for, when the area data of others is loaded as well."""
        code = code or settings.RAKORTEK_PROVINCE_CODE
        return self.filter(Q(kemendagri_code=code) | Q(kemendagri_code__startswith=f"{code}."))


class Region(models.Model):
    """A regency, a city, or the province itself, keyed on the Kemendagri code."""

    class Kind(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten", _("Regency")
        CITY = "kota", _("City")

    kemendagri_code = models.CharField(_("Kemendagri code"), max_length=8, unique=True)
    # Unknown (empty) for a region loaded from the area data of another province.
    bps_code = models.CharField(_("BPS code"), max_length=8, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    capital = models.CharField(_("capital"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["kemendagri_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def is_province(self):
        return self.kind == self.Kind.PROVINCE


class District(models.Model):
    """A kecamatan of a regency or city, from the Kemendagri area codes (e.g. 19.01.05)."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("region")
    )
    code = models.CharField(_("Kemendagri code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district (kecamatan)")
        verbose_name_plural = _("districts (kecamatan)")

    def __str__(self):
        return self.name


class Village(models.Model):
    """A desa or kelurahan of a kecamatan (e.g. 19.01.05.2001)."""

    class Kind(models.TextChoices):
        # Kemendagri numbers kelurahan 1xxx and desa 2xxx within a kecamatan.
        DESA = "desa", _("Village (desa)")
        KELURAHAN = "kelurahan", _("Urban village (kelurahan)")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("district")
    )
    code = models.CharField(_("Kemendagri code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("village (desa/kelurahan)")
        verbose_name_plural = _("villages (desa/kelurahan)")

    def __str__(self):
        return self.name


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


# Letters and digits that cannot be mistaken for each other when read off a screen.
CHECKIN_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CHECKIN_CODE_LENGTH = 8


def new_checkin_code() -> str:
    """A random code for a meeting's self check-in link (about 40 bits)."""
    return "".join(secrets.choice(CHECKIN_CODE_ALPHABET) for _ in range(CHECKIN_CODE_LENGTH))


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
    checkin_code = models.CharField(
        _("check-in code"),
        max_length=16,
        unique=True,
        default=new_checkin_code,
        editable=False,
        help_text=_("Part of the self check-in link; a new code makes the old link invalid."),
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

    @property
    def checkin_opens_at(self):
        """Self check-in opens at midnight (WIB) of the meeting's first day, or
        CHECKIN_OPENS_DAYS_BEFORE days earlier."""
        days = getattr(settings, "CHECKIN_OPENS_DAYS_BEFORE", 0)
        first = timezone.localtime(self.starts_at).date() - timedelta(days=days)
        return timezone.make_aware(datetime.combine(first, time.min))

    @property
    def checkin_closes_at(self):
        """Self check-in closes at midnight (WIB) after the meeting's last day, or
        CHECKIN_CLOSES_DAYS_AFTER days later."""
        days = getattr(settings, "CHECKIN_CLOSES_DAYS_AFTER", 0)
        last = timezone.localtime(self.ends_at).date() + timedelta(days=days + 1)
        return timezone.make_aware(datetime.combine(last, time.min))

    def checkin_window_is_open(self, at=None):
        at = at or timezone.now()
        return self.checkin_opens_at <= at < self.checkin_closes_at

    @property
    def checkin_is_open(self):
        return self.status == self.Status.ACTIVE and self.checkin_window_is_open()

    def clean(self):
        super().clean()
        follows = self.follows if self.follows_id else None
        if (
            self.kind == self.Kind.RAKORGUB
            and follows is not None
            and self.starts_at
            and follows.ends_at
            and self.starts_at < follows.ends_at
        ):
            raise ValidationError({"starts_at": rakorgub_date_message(follows)})


def rakorgub_date_message(follows: "Meeting") -> str:
    return _(
        "A RAKORGUB is held after the RAKORTEK it follows, which ends on %(date)s at %(time)s."
    ) % {
        "date": date_format(timezone.localtime(follows.ends_at), "j F Y"),
        "time": timezone.localtime(follows.ends_at).strftime("%H.%M"),
    }


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
    activity = models.CharField(_("activity"), max_length=200)
    person = models.CharField(_("by"), max_length=200, blank=True)
    needs_review = models.BooleanField(
        _("to check"),
        default=False,
        help_text=_("Copied from last year's meeting with its names and titles cleared."),
    )

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


# ---- Attendance (daftar hadir) ----

phone_validator = RegexValidator(r"^\+?[0-9 ()-]{6,20}$", _("Enter a valid phone number."))
nip_validator = RegexValidator(r"^\d{18}$", _("An NIP has exactly 18 digits."))


def signature_upload_to(instance, filename):
    # A random name: the file is served only through an access-checked view,
    # and a guessable name would be one more way to reach it.
    return f"tanda-tangan/{instance.meeting_id}/{uuid.uuid4().hex}.png"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "luring", _("In person (luring)")
    ONLINE = "daring", _("Online (daring)")


class Participant(models.Model):
    """A person on a meeting's attendance list, checked in or not yet.

    `name_key` and `office_key` are the name and office reduced to letters and
    digits (services.person_key): the database refuses the same person twice
    in one meeting however the name was spaced, punctuated or capitalised.
    """

    class Via(models.TextChoices):
        SELF = "mandiri", _("Self check-in")
        SECRETARIAT = "sekretariat", _("Secretariat")

    Mode = AttendanceMode

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    desk = models.ForeignKey(
        Desk,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("desk"),
        help_text=_("Empty: the plenary only."),
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position (jabatan)"), max_length=150, blank=True)
    office = models.CharField(_("office (instansi)"), max_length=200)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("region"),
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    mode = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceMode.choices,
        default=AttendanceMode.IN_PERSON,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="participations",
        verbose_name=_("account"),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_via = models.CharField(
        _("checked in via"), max_length=12, choices=Via.choices, blank=True
    )
    signature = models.FileField(
        _("signature"), upload_to=signature_upload_to, max_length=200, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    name_key = models.CharField(max_length=150, editable=False)
    office_key = models.CharField(max_length=200, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name_key", "office_key"],
                name="participant_once_per_meeting",
                violation_error_message=_(
                    "This person is already on the attendance list of this meeting."
                ),
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True, checked_in_via="")
                | Q(checked_in_at__isnull=False) & ~Q(checked_in_via=""),
                name="participant_check_in_complete",
            ),
            models.CheckConstraint(condition=~Q(name_key=""), name="participant_has_name"),
        ]
        indexes = [models.Index(fields=["meeting", "checked_in_at"], name="participant_checked_in")]

    def __str__(self):
        return self.name

    @property
    def is_checked_in(self):
        return self.checked_in_at is not None


class ParticipantEvent(models.Model):
    """What happened to a participant's check-in, by whom and why."""

    class Kind(models.TextChoices):
        CHECKED_IN = "hadir", _("Checked in")
        UNDONE = "batal_hadir", _("Check-in undone")
        SIGNATURE_REPLACED = "ganti_ttd", _("Signature replaced")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="events", verbose_name=_("participant")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Empty for a participant's own check-in."),
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance event")
        verbose_name_plural = _("attendance events")

    def __str__(self):
        return f"{self.participant}: {self.get_kind_display()}"


# ---- Minutes (notulen) ----

# The URL segment of a meeting's plenary minutes; a desk's minutes use the field's slug.
PLENARY_SCOPE = "pleno"


class Minutes(models.Model):
    """The minutes of the plenary (desk empty) or of one desk; one row per (meeting, desk).

    A final version is locked and kept as a MinutesVersion snapshot; reopening
    (with a reason) starts the next version as a draft.
    """

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draft")
        FINAL = "final", _("Final")

    SECTIONS = ("opening", "discussion", "decisions", "closing")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="minutes",
        verbose_name=_("desk"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    opening = models.TextField(_("opening"), blank=True)
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    closing = models.TextField(_("closing"), blank=True)
    chair_name = models.CharField(_("chair (pimpinan rapat)"), max_length=150, blank=True)
    chair_position = models.CharField(_("chair's position"), max_length=150, blank=True)
    note_taker_name = models.CharField(_("note-taker (notulis)"), max_length=150, blank=True)
    place = models.CharField(
        _("place of signing"), max_length=100, blank=True, help_text=_("For example Pangkalpinang.")
    )
    date_text = models.CharField(
        _("date of signing"),
        max_length=60,
        blank=True,
        help_text=_("As printed, for example 25 Juli 2022. Empty: the meeting's date."),
    )
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # Counts every save; an edit form carries it so that two people editing at
    # once cannot silently overwrite each other.
    revision = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "desk__field__order", "desk__field__name"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "desk"],
                condition=Q(desk__isnull=False),
                name="minutes_one_per_desk",
            ),
            models.UniqueConstraint(
                fields=["meeting"], condition=Q(desk__isnull=True), name="minutes_one_plenary"
            ),
            models.CheckConstraint(
                condition=Q(status="draf", locked_at__isnull=True)
                | Q(status="final", locked_at__isnull=False),
                name="minutes_final_is_locked",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="minutes_version_positive"),
        ]

    def __str__(self):
        scope = self.desk.field.name if self.desk_id else _("Plenary")
        return f"{_('Minutes')} {scope} ({self.meeting})"

    def get_absolute_url(self):
        return reverse(
            "meetings:minutes_detail", kwargs={"slug": self.meeting.slug, "scope": self.scope}
        )

    @property
    def scope(self):
        """The URL segment: the desk's field slug, or "pleno" for the plenary."""
        return self.desk.field.slug if self.desk_id else PLENARY_SCOPE

    @property
    def is_final(self):
        return self.status == self.Status.FINAL

    def snapshot(self) -> dict:
        fields = (*self.SECTIONS, "chair_name", "chair_position", "note_taker_name", "place")
        return {name: getattr(self, name) for name in (*fields, "date_text")}


class MinutesVersion(models.Model):
    """The content of one final version of a minutes, kept when it is reopened."""

    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="versions", verbose_name=_("minutes")
    )
    version = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("content"))
    reason = models.TextField(
        _("reason for this version"), blank=True, help_text=_("Why it was reopened before.")
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["minutes", "-version"]
        verbose_name = _("minutes version")
        verbose_name_plural = _("minutes versions")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "version"], name="minutes_version_unique"),
        ]

    def __str__(self):
        return f"{self.minutes} v{self.version}"


class Signer(models.Model):
    """Who signs a document of a meeting (optionally of one desk), in order."""

    # Every official document that can have signers: the signed members of
    # rakortek.core.document_kinds.DocumentKind, with the same names, values and labels.
    Document = models.TextChoices(
        "Document",
        [(kind.name, (kind.value, kind.label)) for kind in SIGNED_KINDS],
        module=__name__,
        qualname="Signer.Document",
    )

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="signers", verbose_name=_("meeting")
    )
    desk = models.ForeignKey(
        Desk,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signers",
        verbose_name=_("desk"),
    )
    document = models.CharField(_("document"), max_length=20, choices=Document.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position (jabatan)"), max_length=200)
    rank = models.CharField(
        _("rank (pangkat/golongan)"),
        max_length=100,
        blank=True,
        help_text=_("For example Pembina Tk. I (IV/b)."),
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])

    class Meta:
        ordering = ["meeting", "document", "desk", "order", "id"]
        verbose_name = _("signer")
        verbose_name_plural = _("signers")

    def __str__(self):
        return f"{self.name} ({self.position})"
