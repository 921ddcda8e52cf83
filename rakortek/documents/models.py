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


class FinalDocument(models.Model):
    class Kind(models.TextChoices):
        MINUTES = "notulen", _("Minutes (notulen)")
        AGREEMENT = "butir_kesepakatan", _("Draft agreement points")
        ATTENDANCE = "daftar_hadir", _("Attendance list")
        PRIORITY_LIST = "prioritas", _("Desk priority list")
        RECAP = "rekapitulasi", _("Recap for Biro Pemerintahan")
        RECAP_XLSX = "rekapitulasi_xlsx", _("Recap spreadsheet")
        OTHER = "lainnya", _("Other")

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
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def get_verification_url(self):
        return reverse("documents:verify", kwargs={"code": self.verification_code})
