import hashlib

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Secretariat")
    DESK_HEAD = "kabid", _("Head of field")
    DELEGATE = "delegasi", _("Regional delegate")
    OBSERVER = "pengamat", _("Observer")


class UserQuerySet(models.QuerySet):
    def manageable_by(self, actor):
        """Accounts `actor` may see and change in the secretariat's screens.

        Staff and superuser accounts are left to the Django admin: a secretariat
        that could change their e-mail address could take them over through a
        password reset.
        """
        if actor.is_superuser:
            return self.all()
        return self.filter(is_staff=False, is_superuser=False)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    def get_by_natural_key(self, username):
        # Usernames are unique regardless of case, so logging in need not care about case.
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # The default role (delegate) would need a region, which IT staff do not have.
        extra_fields.setdefault("role", Role.SECRETARIAT)
        return super().create_superuser(username, email, password, **extra_fields)


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

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="delegasi", region__isnull=False) | ~Q(role="delegasi"),
                name="user_delegate_has_region",
            ),
            models.CheckConstraint(
                condition=Q(role="delegasi") | Q(region__isnull=True),
                name="user_region_only_for_delegate",
            ),
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=_("A user with that username already exists."),
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


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )

    def for_token(self, token: str):
        """The invitation a clear-text token belongs to, usable or not, or None."""
        return self.select_related("user").filter(token_hash=hash_token(token)).first()


class Invitation(models.Model):
    """A one-time link that lets a new user choose their own password.

    Only the SHA-256 of the token is stored, so a copy of the database cannot be
    used to take over an account that has not been activated yet.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be used")
        USED = "used", _("Used")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    token_hash = models.CharField(
        _("token hash (SHA-256)"), max_length=64, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @property
    def status(self) -> "Invitation.Status":
        # A deactivated account's links count as revoked even if they were never revoked.
        if self.used_at is not None:
            return self.Status.USED
        if self.revoked_at is not None or not self.user.is_active:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def is_usable(self):
        return self.status == self.Status.PENDING

    def get_status_display(self):
        return self.status.label
