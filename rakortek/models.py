"""Models of the project itself: the task workers' heartbeats."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running task worker (`manage.py db_worker`) says here, every few seconds, that it lives.

    A task left RUNNING by a worker whose heartbeat stopped is given back to the
    queue or failed (rakortek.core.worker), and /healthz reports whether any worker
    is alive.
    """

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self):
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class OutgoingMail(models.Model):
    """One e-mail to one address, sent by the task worker: the log of what was sent.

    Queued when the action that causes it commits; the worker sends it and
    retries a failed send a few times (rakortek.core.mail). A mail server that is
    down never turns a saved action into an error page, and one bad address
    never keeps the other recipients from their mail.
    """

    class Status(models.TextChoices):
        QUEUED = "antre", _("Waiting")
        SENT = "terkirim", _("Sent")
        FAILED = "gagal", _("Failed")

    purpose = models.CharField(_("purpose"), max_length=50)
    to = models.EmailField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "created_at"], name="outgoing_mail_status")]

    def __str__(self):
        return f"{self.purpose} → {self.to} ({self.get_status_display()})"
