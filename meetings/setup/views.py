"""Meeting setup pages for the secretariat: meetings, agenda, desks, criteria and fields.

Every view here is secretariat-only (others get 403, anonymous visitors log in), but
every account reads a meeting's page once it is no longer a draft;
an unknown meeting, or a row of another meeting, is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from meetings import selectors, services
from meetings.models import AgendaItem, Desk, Field, Meeting
from meetings.setup.checklist import meeting_ready, meeting_setup
from meetings.setup.forms import (
    AgendaItemForm,
    CriterionFormSet,
    DeskForm,
    FieldForm,
    MeetingFilterForm,
    MeetingForm,
)
from rakortek.core.access import secretariat_required


def _saved(request):
    messages.success(request, _("The data has been saved."))


def _deleted(request):
    messages.success(request, _("The data has been deleted."))


# Meetings


@secretariat_required
@require_safe
def meeting_list(request):
    filters = MeetingFilterForm(request.GET or None)
    kind = status = ""
    if filters.is_valid():
        kind, status = filters.cleaned_data["kind"], filters.cleaned_data["status"]
    meetings = selectors.meeting_list(kind=kind, status=status)
    return render(request, "meetings/meeting_list.html", {"meetings": meetings, "filters": filters})


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(created_by=request.user, **form.cleaned_data)
        _saved(request)
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "heading": _("New meeting"), "cancel_url": reverse("meetings:list")},
    )


@login_required
@require_safe
def meeting_detail(request, slug):
    """The secretariat sets the meeting up here; every other account reads it (a shared
    link leads here), except a draft, which only the secretariat knows of (404)."""
    meeting = selectors.meeting_get_with_setup(slug=slug)
    can_edit = request.user.is_secretariat
    if not can_edit and meeting.status == Meeting.Status.DRAFT:
        raise Http404
    criteria = list(meeting.criteria.all())
    steps = None
    is_draft = meeting.status == Meeting.Status.DRAFT
    if can_edit and is_draft and meeting.kind == Meeting.Kind.RAKORTEK:
        steps = meeting_setup(meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "can_edit": can_edit,
            "criteria": criteria,
            "criteria_total": sum(c.weight for c in criteria),
            "criteria_total_required": services.CRITERIA_WEIGHT_TOTAL,
            "setup_steps": steps,
            "setup_ready": steps is not None and meeting_ready(steps),
        },
    )


@secretariat_required
@require_POST
def meeting_activate(request, slug):
    meeting = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    try:
        services.meeting_activate(meeting=meeting)
    except services.MeetingNotReady as error:
        messages.error(
            request,
            _("The meeting cannot be activated yet: %(missing)s.")
            % {"missing": "; ".join(str(m) for m in error.missing)},
        )
    else:
        messages.success(
            request,
            _("%(title)s is active: delegates can see it and submit while the window is open.")
            % {"title": meeting.title},
        )
    return redirect(meeting)


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_update(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        _saved(request)
        return redirect(meeting)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "heading": _("Edit meeting"), "cancel_url": meeting.get_absolute_url()},
    )


# Agenda


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_create(request, slug):
    meeting = selectors.meeting_get(slug=slug)
    form = AgendaItemForm(request.POST or None, instance=AgendaItem(meeting=meeting))
    if request.method == "POST" and form.is_valid():
        form.save()
        _saved(request)
        return redirect(_section(meeting, "agenda"))
    return _form_page(request, meeting, form, _("Add agenda item"), "agenda")


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_update(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    item = get_object_or_404(AgendaItem, pk=pk, meeting=meeting)
    form = AgendaItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        form.save()
        _saved(request)
        return redirect(_section(meeting, "agenda"))
    return _form_page(request, meeting, form, _("Edit agenda item"), "agenda")


@secretariat_required
@require_http_methods(["GET", "POST"])
def agenda_delete(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug)
    item = get_object_or_404(AgendaItem, pk=pk, meeting=meeting)
    if request.method == "POST":
        item.delete()
        _deleted(request)
        return redirect(_section(meeting, "agenda"))
    return _confirm_page(request, meeting, item, _("Delete agenda item"), "agenda")


# Desks


@secretariat_required
@require_http_methods(["GET", "POST"])
def desk_create(request, slug):
    meeting = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    form = DeskForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid() and _save_desk(form):
        _saved(request)
        return redirect(_section(meeting, "desks"))
    return _form_page(request, meeting, form, _("Add desk"), "desks")


@secretariat_required
@require_http_methods(["GET", "POST"])
def desk_update(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    desk = get_object_or_404(Desk, pk=pk, meeting=meeting)
    form = DeskForm(request.POST or None, instance=desk, meeting=meeting)
    if request.method == "POST" and form.is_valid() and _save_desk(form):
        _saved(request)
        return redirect(_section(meeting, "desks"))
    return _form_page(request, meeting, form, _("Edit desk"), "desks")


def _save_desk(form):
    """Save, or put the duplicate-field error on the form if another request got there first."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error(
            "field",
            _("This meeting already has a desk for %(field)s.")
            % {"field": form.cleaned_data["field"]},
        )
        return False
    return True


@secretariat_required
@require_http_methods(["GET", "POST"])
def desk_delete(request, slug, pk):
    meeting = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    desk = get_object_or_404(Desk.objects.select_related("field"), pk=pk, meeting=meeting)
    if request.method == "POST":
        try:
            services.desk_delete(desk=desk)
        except services.DeskInUse:
            return _confirm_page(
                request,
                meeting,
                desk.field,
                _("Remove desk"),
                "desks",
                refused_message=_("This desk already has issues or minutes and cannot be removed."),
                status=409,
            )
        _deleted(request)
        return redirect(_section(meeting, "desks"))
    return _confirm_page(request, meeting, desk.field, _("Remove desk"), "desks")


# Criteria


@secretariat_required
@require_http_methods(["GET", "POST"])
def criteria_update(request, slug):
    meeting = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    formset = CriterionFormSet(request.POST or None, instance=meeting, prefix="criteria")
    save_errors = []
    if request.method == "POST" and formset.is_valid():
        keep, remove = formset.rows()
        try:
            services.criteria_update(meeting=meeting, keep=keep, remove=remove)
        except services.CriteriaWeightError as exc:
            save_errors.append(str(exc))
        except IntegrityError:
            save_errors.append(_("Two criteria cannot have the same name."))
        else:
            _saved(request)
            return redirect(_section(meeting, "criteria"))
    return render(
        request,
        "meetings/criteria_form.html",
        {
            "meeting": meeting,
            "formset": formset,
            "save_errors": save_errors,
            "total_required": services.CRITERIA_WEIGHT_TOTAL,
            "current_total": sum(f.instance.weight or 0 for f in formset.initial_forms),
        },
    )


# Fields


@secretariat_required
@require_safe
def field_list(request):
    return render(request, "meetings/field_list.html", {"fields": selectors.field_list()})


@secretariat_required
@require_http_methods(["GET", "POST"])
def field_create(request):
    form = FieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.field_create(**form.cleaned_data)
        _saved(request)
        return redirect("meetings:field_list")
    return render(
        request,
        "meetings/form.html",
        {"form": form, "heading": _("Add field"), "cancel_url": reverse("meetings:field_list")},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def field_update(request, pk):
    field = get_object_or_404(Field, pk=pk)
    form = FieldForm(request.POST or None, instance=field)
    if request.method == "POST" and form.is_valid():
        form.save()
        _saved(request)
        return redirect("meetings:field_list")
    return render(
        request,
        "meetings/form.html",
        {"form": form, "heading": _("Edit field"), "cancel_url": reverse("meetings:field_list")},
    )


@secretariat_required
@require_http_methods(["GET", "POST"])
def field_delete(request, pk):
    field = get_object_or_404(Field, pk=pk)
    in_use = field.desks.exists()
    if request.method == "POST" and not in_use:
        try:
            services.field_delete(field=field)
        except services.FieldInUse:
            in_use = True
        else:
            _deleted(request)
            return redirect("meetings:field_list")
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "heading": _("Delete field"),
            "object": field,
            "refused": in_use,
            "cancel_url": reverse("meetings:field_list"),
        },
        status=409 if in_use and request.method == "POST" else 200,
    )


# Helpers


def _section(meeting, anchor):
    return f"{meeting.get_absolute_url()}#{anchor}"


def _form_page(request, meeting, form, heading, anchor):
    return render(
        request,
        "meetings/form.html",
        {
            "meeting": meeting,
            "form": form,
            "heading": heading,
            "cancel_url": _section(meeting, anchor),
        },
    )


def _confirm_page(request, meeting, obj, heading, anchor, *, refused_message="", status=200):
    return render(
        request,
        "meetings/confirm_delete.html",
        {
            "meeting": meeting,
            "object": obj,
            "heading": heading,
            "cancel_url": _section(meeting, anchor),
            "refused": bool(refused_message),
            "refused_message": refused_message,
        },
        status=status,
    )
