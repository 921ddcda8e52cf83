"""Minutes (notulen) of the plenary and of each desk, and the signers of each document.

Who may do what (selectors.minutes_for_user): the secretariat edits, finalises
and reopens every minutes; a desk's chair edits that desk's draft (another
desk's draft is a 404); everyone else who may see the meeting reads final
minutes only (drafts are a 404, writes a 403). The signers page is the
secretariat's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings import selectors, services
from meetings.minutes.forms import MinutesForm, MinutesReopenForm, SignerFormSet, SignerScopeForm
from meetings.minutes.prefill import prefill_function
from meetings.models import MinutesVersion, Signer
from rakortek.core.access import secretariat_required
from rakortek.core.confirm import confirm_with_reason


def _versions(minutes):
    if not minutes.pk:
        return []
    return list(
        MinutesVersion.objects.filter(minutes=minutes).select_related("finalised_by", "reopened_by")
    )


@login_required
@require_GET
def minutes_index(request, slug):
    meeting = selectors.meeting_visible_to(request.user, slug)
    return render(
        request,
        "meetings/minutes/index.html",
        {"meeting": meeting, "rows": selectors.minutes_index(request.user, meeting)},
    )


@login_required
@require_GET
def minutes_detail(request, slug, scope):
    access = selectors.minutes_for_user(request.user, slug=slug, scope=scope)
    return render(
        request,
        "meetings/minutes/detail.html",
        {
            "access": access,
            "meeting": access.meeting,
            "minutes": access.minutes,
            "data": access.minutes.snapshot(),
            "versions": _versions(access.minutes),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_edit(request, slug, scope):
    """The draft's form; "Fill in automatically" and "Finalise" save what is typed first."""
    access = selectors.minutes_for_user(request.user, slug=slug, scope=scope, write=True)
    minutes = access.minutes
    finalise = "finalise" in request.POST
    if finalise and not request.user.is_secretariat:
        raise PermissionDenied
    form = None
    if not minutes.is_final:
        form = MinutesForm(request.POST or None, instance=minutes)
        if request.method == "POST" and form.is_valid():
            try:
                minutes = services.minutes_update(
                    minutes=minutes,
                    user=request.user,
                    data=form.values(),
                    revision=form.cleaned_data["revision"] if minutes.pk else None,
                    prefill=prefill_function() if "prefill" in request.POST else None,
                )
                if finalise:
                    minutes = services.minutes_finalise(minutes=minutes, user=request.user)
            except services.MinutesConflict as exc:
                form.add_error(None, str(exc))
            except services.MinutesError as exc:
                messages.error(request, str(exc))
                return redirect("meetings:minutes_edit", slug=slug, scope=scope)
            else:
                if finalise:
                    messages.success(request, _("The minutes are final and locked."))
                    return redirect("meetings:minutes_detail", slug=slug, scope=scope)
                messages.success(request, _("The data has been saved."))
                return redirect("meetings:minutes_edit", slug=slug, scope=scope)
    elif request.method == "POST":
        messages.error(request, str(services.MinutesLocked()))
        return redirect("meetings:minutes_edit", slug=slug, scope=scope)
    return render(
        request,
        "meetings/minutes/edit.html",
        {
            "access": access,
            "meeting": access.meeting,
            "minutes": minutes,
            "form": form,
            "data": minutes.snapshot(),
            "versions": _versions(minutes),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def minutes_reopen(request, slug, scope):
    access = selectors.minutes_for_user(request.user, slug=slug, scope=scope, write=True)
    if not request.user.is_secretariat:
        raise PermissionDenied
    minutes = access.minutes
    if not minutes.is_final:
        messages.info(request, _("These minutes are not final; they can be edited directly."))
        return redirect("meetings:minutes_edit", slug=slug, scope=scope)

    def refused(form, error):
        form.add_error("reason", str(error))
        return form

    return confirm_with_reason(
        request,
        MinutesReopenForm(request.POST or None),
        act=lambda data: services.minutes_reopen(
            minutes=minutes, user=request.user, reason=data["reason"]
        ),
        refusals=(services.MinutesError,),
        refused=refused,
        success=_("The minutes have been reopened as a new version."),
        next_url=reverse("meetings:minutes_edit", kwargs={"slug": slug, "scope": scope}),
        template="meetings/minutes/reopen.html",
        title=_("Reopen the minutes"),
        title_suffix=access.meeting.title,
        intro=_(
            "Version %(version)s stays available as it is. Your changes become version "
            "%(next)s, which must be finalised again."
        )
        % {"version": minutes.version, "next": minutes.version + 1},
        submit=_("Reopen"),
        meeting=access.meeting,
        minutes=minutes,
    )


@login_required
@require_GET
def minutes_version(request, slug, scope, version):
    access = selectors.minutes_for_user(request.user, slug=slug, scope=scope)
    if not access.minutes.pk:
        raise Http404
    snapshot = get_object_or_404(
        MinutesVersion.objects.select_related("finalised_by", "reopened_by"),
        minutes=access.minutes,
        version=version,
    )
    return render(
        request,
        "meetings/minutes/version.html",
        {
            "meeting": access.meeting,
            "minutes": access.minutes,
            "snapshot": snapshot,
            "data": snapshot.data,
        },
    )


# ---- Signers ----


@secretariat_required
@require_http_methods(["GET", "POST"])
def signers_update(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    desks = list(meeting.desks.select_related("field"))
    scope_form = SignerScopeForm(request.GET or None, desks=desks)
    document, desk = scope_form.scope()
    signers = Signer.objects.filter(meeting=meeting, document=document, desk=desk)
    formset = SignerFormSet(request.POST or None, queryset=signers, prefix="signers")
    if request.method == "POST" and formset.is_valid():
        keep, remove = formset.rows()
        services.signers_update(
            meeting=meeting, document=document, desk=desk, keep=keep, remove=remove
        )
        messages.success(request, _("The data has been saved."))
        return redirect(request.get_full_path())
    return render(
        request,
        "meetings/minutes/signers_form.html",
        {
            "meeting": meeting,
            "scope_form": scope_form,
            "formset": formset,
            "document_label": Signer.Document(document).label,
            "desk": desk,
            "all_signers": Signer.objects.filter(meeting=meeting).select_related("desk__field"),
        },
    )
