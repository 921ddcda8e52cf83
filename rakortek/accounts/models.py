import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Secretariat")
    DESK_HEAD = "kabid", _("Head of field")
    DELEGATE = "delegasi", _("Regional delegate")
    OBSERVER = "pengamat", _("Observer")


class User(AbstractUser):
    """A person who logs in.

    A delegate's reach is their region; a desk head's, the desks they chair.
    """

    # Django's first_name/last_name do not fit Indonesian names; one full name does.
    first_name = None
    last_name = None

    full_name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position (jabatan)"), max_length=150, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        validators=[RegexValidator(r"^\d{18}$", _("An NIP has exactly 18 digits."))],
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]{6,20}$", _("Enter a valid phone number."))],
    )
    office = models.CharField(_("office (instansi)"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.DELEGATE)
    region = models.ForeignKey(
        "meetings.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("region"),
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="delegasi", region__isnull=False) | ~Q(role="delegasi"),
                name="user_delegate_has_region",
            ),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.get_full_name()

    @property
    def is_secretariat(self):
        return self.is_active and (self.role == Role.SECRETARIAT or self.is_superuser)

    @property
    def is_desk_head(self):
        return self.role == Role.DESK_HEAD

    @property
    def is_delegate(self):
        return self.role == Role.DELEGATE

    @property
    def is_observer(self):
        return self.role == Role.OBSERVER


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def find_usable(self, token: str):
        return self.usable().select_related("user").filter(token_hash=_hash_token(token)).first()


class Invitation(models.Model):
    """A one-time link that lets a new user choose their own password.

    Only the SHA-256 of the token is stored, so a copy of the database cannot be
    used to take over an account that has not been activated yet.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def issue(cls, *, user, created_by=None):
        """Create an invitation and return it with its clear-text token (shown once)."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            user=user,
            token_hash=_hash_token(token),
            created_by=created_by,
            expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        return invitation, token

    @property
    def is_usable(self):
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
