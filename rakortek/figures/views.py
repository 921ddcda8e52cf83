"""The map and charts of a meeting: a page of its own, and a short piece that the meeting
page, the follow-up overview and the observer's home load into themselves.

The secretariat reads them for every RAKORTEK meeting; an observer for those past the
draft stage (404 for a draft); desk heads and delegates do not (403): the figures count
every region's and every desk's issues.
"""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from issues.models import Issue
from meetings.models import Meeting
from rakortek.accounts.models import Role
from rakortek.core.access import roles_required
from rakortek.core.forms import ChooseForm
from rakortek.documents import content
from rakortek.figures import data

UNDECIDED = "none"


class MapFilterForm(ChooseForm):
    desk = forms.ChoiceField(label=_("Field"), required=False)
    region = forms.ChoiceField(label=_("Regency/city"), required=False)
    decision = forms.ChoiceField(label=_("Decision"), required=False)

    def __init__(self, *args, meeting: Meeting, regions, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["desk"].choices = everything + [
            (desk.field.slug, desk.field.name)
            for desk in meeting.desks.select_related("field").order_by("field__order")
        ]
        self.fields["region"].choices = everything + [
            (region.slug, region.name) for region in regions
        ]
        self.fields["decision"].choices = (
            everything + list(Issue.Decision.choices) + [(UNDECIDED, _("Not decided yet"))]
        )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value}


def _meeting_for(user, slug) -> Meeting:
    meeting = get_object_or_404(Meeting, slug=slug, kind=Meeting.Kind.RAKORTEK)
    if not user.is_secretariat and meeting.status == Meeting.Status.DRAFT:
        raise Http404
    return meeting


@require_safe
@roles_required(Role.SECRETARIAT, Role.OBSERVER)
def meeting_figures(request, slug):
    meeting = _meeting_for(request.user, slug)
    # The meeting's issues and the regions are read once, for the filters, map and charts.
    regions = data.province_regions()
    results = content.desk_results(meeting)
    form = MapFilterForm(request.GET or None, meeting=meeting, regions=regions)
    filters = form.filters()
    markers = data.markers(data.result_issues(results, **filters), user=request.user)
    charts = list(data.issue_charts(meeting, results=results, regions=regions).values())
    followup = data.followup_chart(meeting)
    if followup is not None:
        charts.append(followup)
    return render(
        request,
        "figures/meeting_figures.html",
        {
            "meeting": meeting,
            "form": form,
            "filtered": bool(filters),
            "markers": markers,
            "without_coordinates": sum(m.approximate for m in markers),
            "map": data.map_svg(markers),
            "charts": charts,
        },
    )


@require_safe
@roles_required(Role.SECRETARIAT, Role.OBSERVER)
def meeting_figures_summary(request, slug):
    """The map and two charts (the follow-up's with `tindak-lanjut`), for another page."""
    meeting = _meeting_for(request.user, slug)
    results = content.desk_results(meeting)
    markers = data.markers(data.result_issues(results), user=request.user)
    issue_charts = data.issue_charts(meeting, results=results)
    if request.GET.get("tampil") == "tindak-lanjut":
        followup = data.followup_chart(meeting)
        charts = [followup] if followup else []
    else:
        charts = [issue_charts["issues_by_region"], issue_charts["decisions_by_desk"]]
    return render(
        request,
        "figures/_summary.html",
        {"meeting": meeting, "map": data.map_svg(markers), "charts": charts},
    )
