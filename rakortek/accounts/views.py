"""Account screens: the secretariat manages people; invited people set their password.

There is no self-registration. Log in, log out and the password screens are
Django's own views (see urls.auth_urlpatterns).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from rakortek.accounts import services
from rakortek.accounts.forms import UserFilterForm, UserForm
from rakortek.accounts.models import Invitation, User
from rakortek.core.access import secretariat_required

USERS_PER_PAGE = 50
# Invitations never set a user's backend; the session needs one that can load the user again.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _get_managed_user(request, pk):
    """The account `pk` if the current user may manage it, else 404."""
    return get_object_or_404(
        User.objects.manageable_by(request.user).select_related("region"), pk=pk
    )


def _invitation_link_page(request, user, invitation, token, *, created):
    """Show the clear-text link once; it is not stored and cannot be shown again."""
    link = services.invitation_url(token)
    share_text = _(
        "Rakortek: choose your password with this link (username %(username)s): %(link)s"
    )
    response = render(
        request,
        "accounts/invitation_link.html",
        {
            "account": user,
            "invitation": invitation,
            "link": link,
            "share_text": share_text % {"username": user.username, "link": link},
            "created": created,
        },
    )
    # Keep the link out of the browser's cache and history snapshots.
    add_never_cache_headers(response)
    return response


@secretariat_required
@require_safe
def user_list(request):
    filters = UserFilterForm(request.GET or None)
    users = filters.filter(
        User.objects.manageable_by(request.user)
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "invitations",
                queryset=Invitation.objects.usable().order_by("-expires_at"),
                to_attr="open_invitations",
            )
        )
        .order_by("role", "region__kemendagri_code", "full_name", "username")
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"filters": filters, "page": page})


@secretariat_required
def user_create(request):
    if request.method == "POST":
        form = UserForm(request.POST)
        if form.is_valid():
            user, invitation, token = services.user_create(
                created_by=request.user, **form.cleaned_data
            )
            return _invitation_link_page(request, user, invitation, token, created=True)
    else:
        form = UserForm()
    return render(request, "accounts/user_form.html", {"form": form})


@secretariat_required
@require_safe
def user_detail(request, pk):
    user = _get_managed_user(request, pk)
    invitations = list(user.invitations.select_related("created_by"))
    user.open_invitations = [invitation for invitation in invitations if invitation.is_usable]
    return render(
        request, "accounts/user_detail.html", {"account": user, "invitations": invitations}
    )


@secretariat_required
def user_update(request, pk):
    user = _get_managed_user(request, pk)
    editing_self = user.pk == request.user.pk
    if request.method == "POST":
        form = UserForm(request.POST, instance=user, editing_self=editing_self)
        if form.is_valid():
            # One row, and only the fields that changed.
            form.instance.save(update_fields=form.changed_data)
            messages.success(request, _("The data was saved."))
            return redirect("accounts:user_detail", pk=user.pk)
    else:
        form = UserForm(instance=user, editing_self=editing_self)
    return render(request, "accounts/user_form.html", {"form": form, "account": user})


@secretariat_required
@require_POST
def user_deactivate(request, pk):
    user = _get_managed_user(request, pk)
    try:
        services.user_deactivate(user=user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s can no longer log in.") % {"name": user.get_full_name()}
        )
    return redirect("accounts:user_detail", pk=user.pk)


@secretariat_required
@require_POST
def user_reactivate(request, pk):
    user = _get_managed_user(request, pk)
    services.user_reactivate(user=user)
    messages.success(request, _("%(name)s can log in again.") % {"name": user.get_full_name()})
    return redirect("accounts:user_detail", pk=user.pk)


@secretariat_required
@require_POST
def invitation_resend(request, pk):
    user = _get_managed_user(request, pk)
    try:
        invitation, token = services.invitation_create(user=user, created_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:user_detail", pk=user.pk)
    return _invitation_link_page(request, user, invitation, token, created=False)


def _invitation_unusable(request, invitation):
    # 404 whatever the reason, like any other link that leads nowhere; the page
    # still tells the person what happened and what to do next.
    status = invitation.status if invitation is not None else None
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"invitation": invitation, "status": status, "Status": Invitation.Status},
        status=404,
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, token):
    invitation = Invitation.objects.for_token(token)
    if invitation is None or not invitation.is_usable:
        return _invitation_unusable(request, invitation)
    account = invitation.user
    if request.method == "POST":
        form = SetPasswordForm(account, request.POST)
        if form.is_valid():
            try:
                account = services.invitation_accept(
                    invitation=invitation, password=form.cleaned_data["new_password1"]
                )
            except services.InvitationNotUsable:
                invitation.refresh_from_db()
                return _invitation_unusable(request, invitation)
            login(request, account, backend=SESSION_BACKEND)
            messages.success(request, _("Your password is set. Welcome to Rakortek."))
            return redirect("home")
    else:
        form = SetPasswordForm(account)
    return render(
        request,
        "accounts/invitation_accept.html",
        {"form": form, "account": account, "invitation": invitation},
    )
