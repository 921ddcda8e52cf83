"""Agreement points (butir kesepakatan) of a desk, and the meeting's overview.

Each view loads the desk through issues.agreement.services.desk_for_points (404 outside
the user's scope, 403 for the observer who may only read), validates a form,
makes one service call and redirects. Every form is a plain post; nothing needs
a script. While the meeting's agreement document is final the write views say
so and change nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from issues.agreement import services as agreement
from issues.agreement.services import PointsLocked
from issues.models import AgreementOptions, AgreementPoint
from issues.services import IssueError
from meetings import areas
from meetings.models import Meeting
from rakortek.core.access import secretariat_required
from rakortek.core.forms import ChooseForm, ChooseModelForm


class IssueChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title} ({obj.region.name})"


class AgreementPointForm(ChooseModelForm):
    source_issues = IssueChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Source issues"),
        help_text=gettext_lazy("A point may come from several issues, or from none."),
    )

    class Meta:
        model = AgreementPoint
        fields = ["text", "responsible", "due", "source_issues"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source_issues"].queryset = agreement.issue_choices(desk)
        regency = areas.example_regency()
        self.fields["responsible"].help_text = (
            _("Who carries it out, for example: Dinas PUPRPRKP Provinsi; DPUPR %(regency)s.")
            % {"regency": regency}
            if regency
            else _("Who carries it out, for example: Dinas PUPRPRKP Provinsi.")
        )


class MoveForm(ChooseForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class OptionsForm(ChooseModelForm):
    class Meta:
        model = AgreementOptions
        fields = ["numbering"]
        widgets = {"numbering": forms.RadioSelect}


def _points_url(desk, point=None):
    url = reverse("issues:points", kwargs={"desk_id": desk.pk})
    return f"{url}#butir-{point.pk}" if point is not None else url


def _refuse_when_locked(request, desk):
    try:
        agreement.check_not_locked(desk.meeting)
    except PointsLocked as error:
        messages.error(request, error.message)
        return redirect(_points_url(desk))
    return None


@login_required
@require_GET
def points(request, desk_id):
    desk = agreement.desk_for_points(request.user, desk_id)
    items = agreement.desk_points(desk)
    first = agreement.first_number_of(desk)
    for offset, point in enumerate(items):
        point.number = first + offset
    document = agreement.final_agreement_document(desk.meeting)
    can_write = agreement.may_write_points(request.user, desk)
    return render(
        request,
        "issues/agreement/desk_points.html",
        {
            "desk": desk,
            "meeting": desk.meeting,
            "points": items,
            "final_document": document,
            "can_write": can_write,
            "editable": can_write and document is None,
            "draftable": agreement.draftable_issues(desk).count() if can_write else 0,
            "events": agreement.point_events(desk) if can_write else [],
        },
    )


def _form_page(request, desk, form, point=None):
    return render(
        request,
        "issues/agreement/point_form.html",
        {"desk": desk, "meeting": desk.meeting, "form": form, "point": point},
    )


@login_required
@require_http_methods(["GET", "POST"])
def point_create(request, desk_id):
    desk = agreement.desk_for_points(request.user, desk_id, write=True)
    refused = _refuse_when_locked(request, desk)
    if refused:
        return refused
    form = AgreementPointForm(request.POST or None, desk=desk)
    if request.method == "POST" and form.is_valid():
        try:
            point = agreement.agreement_point_create(
                actor=request.user,
                desk=desk,
                data=form.cleaned_data,
                source_issues=form.cleaned_data["source_issues"],
            )
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Data saved successfully."))
            return redirect(_points_url(desk, point))
    return _form_page(request, desk, form)


@login_required
@require_http_methods(["GET", "POST"])
def point_edit(request, desk_id, pk):
    desk = agreement.desk_for_points(request.user, desk_id, write=True)
    point = agreement.desk_point(desk, pk)
    refused = _refuse_when_locked(request, desk)
    if refused:
        return refused
    form = AgreementPointForm(request.POST or None, instance=point, desk=desk)
    if request.method == "POST" and form.is_valid():
        try:
            point = agreement.agreement_point_update(
                actor=request.user,
                point=point,
                data=form.cleaned_data,
                source_issues=form.cleaned_data["source_issues"],
            )
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Data saved successfully."))
            return redirect(_points_url(desk, point))
    return _form_page(request, desk, form, point)


@login_required
@require_POST
def point_move(request, desk_id, pk):
    desk = agreement.desk_for_points(request.user, desk_id, write=True)
    point = agreement.desk_point(desk, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose up or down."))
        return redirect(_points_url(desk, point))
    try:
        point = agreement.agreement_point_move(
            actor=request.user, point=point, direction=form.cleaned_data["direction"]
        )
    except IssueError as error:
        messages.error(request, error.message)
    return redirect(_points_url(desk, point))


@login_required
@require_http_methods(["GET", "POST"])
def point_delete(request, desk_id, pk):
    desk = agreement.desk_for_points(request.user, desk_id, write=True)
    point = agreement.desk_point(desk, pk)
    refused = _refuse_when_locked(request, desk)
    if refused:
        return refused
    if request.method == "POST":
        try:
            agreement.agreement_point_delete(actor=request.user, point=point)
        except IssueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The agreement point was deleted."))
        return redirect(_points_url(desk))
    return render(
        request,
        "issues/agreement/point_delete.html",
        {"desk": desk, "meeting": desk.meeting, "point": point},
    )


@login_required
@require_POST
def points_draft(request, desk_id):
    """Susun dari isu prioritas."""
    desk = agreement.desk_for_points(request.user, desk_id, write=True)
    try:
        created = agreement.agreement_points_draft_from_priorities(desk=desk, user=request.user)
    except IssueError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(
                request,
                _("%(count)d points drafted from the Priority issues; check and edit them.")
                % {"count": len(created)},
            )
        else:
            messages.info(request, _("Every Priority issue of this desk already has a point."))
    return redirect(_points_url(desk))


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_points(request, slug):
    """The secretariat's overview: every desk's points grouped by field, with counts."""
    meeting = get_object_or_404(Meeting, slug=slug, kind=Meeting.Kind.RAKORTEK)
    options = agreement.options_for(meeting)
    form = OptionsForm(request.POST or None, instance=options)
    document = agreement.final_agreement_document(meeting)
    if request.method == "POST" and form.is_valid():
        try:
            agreement.agreement_options_update(
                actor=request.user, meeting=meeting, numbering=form.cleaned_data["numbering"]
            )
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Data saved successfully."))
            return redirect("issues:meeting_points", slug=meeting.slug)
    groups = agreement.meeting_point_groups(meeting, with_empty=True)
    return render(
        request,
        "issues/agreement/meeting_points.html",
        {
            "meeting": meeting,
            "groups": groups,
            "total": sum(group.count for group in groups),
            "options": options,
            "form": form,
            "final_document": document,
            "ordinals": options.numbering == AgreementOptions.Numbering.ORDINALS,
        },
    )
