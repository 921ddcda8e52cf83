"""Final official documents: rendered once, stored with number, version and fingerprint.

A printed copy carries a QR code that opens the public verification page of
its `verification_code`; the page shows the stored metadata (never the
content), so anyone holding paper can check it is the current final version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rakortek.core.document_kinds import DocumentKind


class Paper(models.TextChoices):
    A4 = "A4", _("A4 (210 × 297 mm)")
    F4 = "F4", _("F4 / folio (215 × 330 mm)")


DEFAULT_NUMBER_PATTERN = "000.1.2/{nomor}/DPUPRPRKP/{tahun}"


class OfficeProfile(models.Model):
    """The office's letterhead (kop surat) and paper: one row, edited by the secretariat."""

    government = models.CharField(
        _("government"), max_length=200, default="PEMERINTAH PROVINSI KEPULAUAN BANGKA BELITUNG"
    )
    office = models.CharField(
        _("office"),
        max_length=250,
        default="DINAS PEKERJAAN UMUM, PENATAAN RUANG DAN PERUMAHAN RAKYAT KAWASAN PERMUKIMAN",
    )
    address = models.CharField(
        _("address"),
        max_length=250,
        default="Kompleks Perkantoran Gubernur, Air Itam, Pangkalpinang",
    )
    contact = models.CharField(
        _("telephone, e-mail and website"),
        max_length=250,
        blank=True,
        help_text=_("One line under the address, for example: Telp. (0717) 123456 · Laman ..."),
    )
    city = models.CharField(
        _("city for the place and date line"),
        max_length=100,
        default="Pangkalpinang",
        help_text=_('As in "Pangkalpinang, 25 Juli 2022" above the signatures.'),
    )
    emblem = models.FileField(
        _("emblem"),
        upload_to="kop/",
        max_length=200,
        blank=True,
        help_text=_("The regional emblem on the letterhead: PNG or JPEG, at most 1 MB."),
    )
    paper = models.CharField(
        _("default paper"), max_length=2, choices=Paper.choices, default=Paper.A4
    )
    # The naskah dinas number of each kind of final document, e.g.
    # 000.1.2/{nomor}/DPUPRPRKP/{tahun}: {kind value: pattern}; a kind not set uses
    # DEFAULT_NUMBER_PATTERN. {nomor} is the office's sequence of the year.
    number_patterns = models.JSONField(_("document number patterns"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("letterhead and paper")
        verbose_name_plural = _("letterhead and paper")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="office_profile_single_row"),
        ]

    def __str__(self):
        return self.office

    def number_pattern(self, kind: str) -> str:
        return (self.number_patterns or {}).get(kind) or DEFAULT_NUMBER_PATTERN

    @classmethod
    def load(cls) -> "OfficeProfile":
        """The one row; recreated with the defaults if a test or a flush removed it."""
        profile, _created = cls.objects.get_or_create(pk=1)
        return profile


class FinalDocument(models.Model):
    Kind = DocumentKind

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="final_documents",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="final_documents",
        verbose_name=_("desk"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=250)
    number = models.CharField(_("document number"), max_length=80)
    version = models.PositiveSmallIntegerField(_("version"))
    is_current = models.BooleanField(_("current version"), default=True)
    file = models.FileField(_("file"), upload_to="dokumen/", max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, editable=False
    )
    reason = models.TextField(
        _("reason for this version"),
        blank=True,
        help_text=_("Required when a final document is reopened and issued again."),
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("finalised by"),
    )
    finalised_at = models.DateTimeField(_("finalised at"), auto_now_add=True)
    # Reopening keeps this version current (and verifiable) until the next one is
    # stored; the reason becomes that next version's reason.
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_reason = models.TextField(_("reason for reopening"), max_length=2000, blank=True)

    class Meta:
        ordering = ["meeting", "kind", "desk", "-version"]
        verbose_name = _("final document")
        verbose_name_plural = _("final documents")
        constraints = [
            # Desk-less documents (the whole meeting) and desk documents are numbered apart.
            models.UniqueConstraint(
                fields=["meeting", "kind", "desk", "version"],
                name="final_document_unique_version_per_desk",
                condition=Q(desk__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "version"],
                name="final_document_unique_version",
                condition=Q(desk__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "desk"],
                name="final_document_one_current_per_desk",
                condition=Q(is_current=True, desk__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                name="final_document_one_current",
                condition=Q(is_current=True, desk__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | ~Q(reopen_reason=""),
                name="final_document_reopened_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_absolute_url(self):
        return reverse("documents:download", kwargs={"pk": self.pk})

    def get_verification_url(self):
        return reverse("documents:verify", kwargs={"code": self.verification_code})

    @property
    def is_reopened(self):
        return self.reopened_at is not None


class NumberSequence(models.Model):
    """The office's sequence of document numbers in one year ({nomor} of the patterns).

    Numbers are taken under a row lock when a final version is stored, so two
    finalisations at once get consecutive numbers: none repeated, none skipped.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")

    def __str__(self):
        return f"{self.year}: {self.last}"


class RenderJob(models.Model):
    """A final document rendered by the task worker because it is large.

    The task updates this row as it goes, so the documents page can show the
    progress whatever task backend runs it.
    """

    class Status(models.TextChoices):
        QUEUED = "antre", _("Waiting")
        RUNNING = "proses", _("Rendering")
        DONE = "selesai", _("Done")
        FAILED = "gagal", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="render_jobs",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="render_jobs",
        verbose_name=_("desk"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FinalDocument.Kind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    # A worker that dies while rendering gives the job back to the queue once.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    document = models.ForeignKey(
        FinalDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document rendering")
        verbose_name_plural = _("document renderings")
        constraints = [
            # One rendering at a time per document: a second click cannot race the first.
            models.UniqueConstraint(
                fields=["meeting", "kind", "desk"],
                name="render_job_one_active_per_desk",
                condition=Q(status__in=["antre", "proses"], desk__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                name="render_job_one_active",
                condition=Q(status__in=["antre", "proses"], desk__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class DraftJob(models.Model):
    """A large draft (watermarked DRAF) rendered by the task worker for one user.

    Only the user who asked sees it. The rendered file is kept until the same
    user's next draft of the document replaces it, or for DRAFT_JOB_KEEP at
    most: the worker that finishes a draft deletes the files it supersedes.
    """

    Status = RenderJob.Status
    ACTIVE = RenderJob.ACTIVE

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="draft_jobs",
        verbose_name=_("meeting"),
    )
    desk = models.ForeignKey(
        "meetings.Desk",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="draft_jobs",
        verbose_name=_("desk"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FinalDocument.Kind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    file = models.FileField(_("file"), upload_to="draf/", max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("draft rendering")
        verbose_name_plural = _("draft renderings")
        constraints = [
            # One draft at a time per user and document: a second click reuses the first.
            models.UniqueConstraint(
                fields=["meeting", "kind", "desk", "requested_by"],
                name="draft_job_one_active_per_desk",
                condition=Q(status__in=["antre", "proses"], desk__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind", "requested_by"],
                name="draft_job_one_active",
                condition=Q(status__in=["antre", "proses"], desk__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("documents:draft_job", kwargs={"pk": self.pk})

    def get_download_url(self):
        return reverse("documents:draft_job_download", kwargs={"pk": self.pk})

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_ready(self):
        return self.status == self.Status.DONE and bool(self.file)
