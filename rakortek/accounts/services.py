"""Account writes: creating people, inviting them, switching accounts off and on.

Nobody registers themselves: the secretariat creates the account, and the
person sets their own password through a one-time invitation link.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rakortek.accounts.models import Invitation, User, hash_token

if TYPE_CHECKING:
    from meetings.models import Region

logger = logging.getLogger(__name__)


class InvitationNotUsable(Exception):
    """The invitation was used, revoked or has expired (perhaps a moment ago, in another tab)."""


def invitation_url(token: str) -> str:
    """The absolute link for a token, on the address people reach the site at (SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


def _revoke_open_invitations(user: User, now: datetime, *, keep: Invitation | None = None) -> None:
    open_invitations = user.invitations.filter(used_at__isnull=True, revoked_at__isnull=True)
    if keep is not None:
        open_invitations = open_invitations.exclude(pk=keep.pk)
    open_invitations.update(revoked_at=now)


def _send_invitation_email(invitation: Invitation, link: str) -> None:
    user = invitation.user
    context = {"user": user, "link": link, "invitation": invitation}
    # The person invited has not chosen a language yet: write in the site's own.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/invitation_email_subject.txt", context)
        body = render_to_string("accounts/invitation_email.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [user.email])
    except Exception:
        # The secretariat has the link on screen and can pass it on by other means.
        logger.exception("Could not send the invitation e-mail to user %s", user.pk)


@transaction.atomic
def invitation_create(*, user: User, created_by: User | None) -> tuple[Invitation, str]:
    """Issue a new one-time link for `user`, revoking any older one.

    Returns the invitation and its clear-text token; only the token's SHA-256 is
    stored, so the token can be shown once and never again. The link is e-mailed
    after the transaction commits, when the user has an e-mail address.
    """
    if not user.is_active:
        raise ValidationError(
            _("This account is deactivated. Reactivate it before sending a new link.")
        )
    now = timezone.now()
    _revoke_open_invitations(user, now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        user=user,
        token_hash=hash_token(token),
        created_by=created_by,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    if user.email:
        link = invitation_url(token)
        transaction.on_commit(lambda: _send_invitation_email(invitation, link))
    return invitation, token


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> User:
    """Set the invited user's password and use up the invitation.

    Raises InvitationNotUsable when the link stopped working since the page was
    shown (used in another tab, revoked, expired, account deactivated).
    """
    # Lock the row so that two submissions of the same link cannot both succeed.
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .usable()
        .select_related("user")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None:
        raise InvitationNotUsable
    now = timezone.now()
    locked.used_at = now
    locked.save(update_fields=["used_at"])
    user = locked.user
    _revoke_open_invitations(user, now, keep=locked)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_create(
    *,
    created_by: User,
    username: str,
    email: str,
    full_name: str,
    role: str,
    region: Region | None = None,
    position: str = "",
    nip: str = "",
    phone: str = "",
    office: str = "",
) -> tuple[User, Invitation, str]:
    """Create an account without a password and invite its owner to choose one."""
    user = User(
        username=username,
        email=email,
        full_name=full_name,
        role=role,
        region=region,
        position=position,
        nip=nip,
        phone=phone,
        office=office,
    )
    user.set_unusable_password()
    user.save()
    invitation, token = invitation_create(user=user, created_by=created_by)
    return user, invitation, token


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> None:
    """Switch an account off (accounts are never deleted: their work stays attributed)."""
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    _revoke_open_invitations(user, timezone.now())


def user_reactivate(*, user: User) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])
