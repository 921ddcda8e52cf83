"""Likely duplicates of a desk, merging them into a joint issue, and undoing a merge.

The duplicates page is a page of its own, linked from the desk board: finding them
compares the desk's issues with each other, which the board need not pay for on
every load. The desk's chair and the secretariat merge; observers read.
"""

import re

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from issues.board.duplicates import (
    desk_duplicates,
    issue_merge,
    issue_unmerge,
    may_merge,
    mergeable_issues,
)
from issues.board.selectors import desk_for_user
from issues.figures import attach_figures
from issues.models import DeskState, Issue
from issues.services import IssueError
from rakortek.core.confirm import confirm_with_reason
from rakortek.core.forms import ChooseForm

# Pairs shown at once, most alike first; a desk with more works through them in turns.
MAX_PAIRS = 50


class IssueLabelMixin:
    def label_from_instance(self, issue):
        return f"{issue.code} · {issue.region.name} · {issue.title}"


class IssueChoices(IssueLabelMixin, forms.ModelMultipleChoiceField):
    pass


class IssueChoice(IssueLabelMixin, forms.ModelChoiceField):
    pass


class MergeForm(ChooseForm):
    issues = IssueChoices(
        queryset=Issue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Issues to merge"),
    )
    primary = IssueChoice(
        queryset=Issue.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label=gettext_lazy("Keep the title and texts of"),
        help_text=gettext_lazy("The secretariat can edit the joint issue afterwards."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The board version the user saw: without it the merge could undo what another
    # person just did on the board.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, data=None, *, candidates, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["issues"].queryset = candidates
        self.fields["primary"].queryset = candidates

    def clean(self):
        cleaned = super().clean()
        issues = cleaned.get("issues")
        primary = cleaned.get("primary")
        if issues is not None and len(issues) < 2:
            self.add_error("issues", _("Choose at least two issues to merge."))
        elif issues and primary and primary not in issues:
            self.add_error("primary", _("Choose one of the issues being merged."))
        return cleaned


class UnmergeForm(ChooseForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The board version the user saw: without it the merge could undo what another
    # person just did on the board.
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


def board_version(desk) -> int:
    """The version of the desk's board the user is looking at (1 before its first change)."""
    return DeskState.objects.filter(desk=desk).values_list("version", flat=True).first() or 1


def _show_refusal(form, error, desk):
    """Say why next to the form, keep what was typed, and carry the board's current
    version so that sending again after a look at the current state can succeed."""
    form.add_error(None, error.message)
    form.data = form.data.copy()
    form.data["version"] = board_version(desk)


# An id or number as typed: ASCII digits that fit a database integer.
ID = re.compile(r"[0-9]{1,9}")


def _ids(values) -> list[int]:
    return [int(v) for v in values if ID.fullmatch(str(v))]


@login_required
@require_safe
def duplicates(request, desk_id):
    desk = desk_for_user(request.user, desk_id)
    suggestions = desk_duplicates(desk)
    joint_issues = (
        Issue.objects.filter(desk=desk, merged_issues__isnull=False)
        .distinct()
        .select_related("region", "desk__field")
        .prefetch_related("joint_regions")
        .order_by("number")
    )
    return render(
        request,
        "issues/board/duplicates/list.html",
        {
            "desk": desk,
            "meeting": desk.meeting,
            "suggestions": suggestions[:MAX_PAIRS],
            "more": max(0, len(suggestions) - MAX_PAIRS),
            "joint_issues": joint_issues,
            "can_merge": may_merge(request.user, desk),
        },
    )


@login_required
def merge(request, desk_id):
    """Choose the issues and the one whose texts the joint issue keeps; give a reason."""
    desk = desk_for_user(request.user, desk_id, write=True)
    if request.method == "POST":
        ids = _ids(request.POST.getlist("issues"))
        data = request.POST
    else:
        ids = _ids(request.GET.getlist("issue"))
        numbers = _ids(re.findall(r"[0-9]+", request.GET.get("add", "")))
        if numbers:
            ids += list(
                mergeable_issues(desk).filter(number__in=numbers).values_list("pk", flat=True)
            )
        data = None
    ids = list(dict.fromkeys(ids))
    candidates = mergeable_issues(desk).filter(pk__in=ids)
    form = MergeForm(
        data,
        candidates=candidates,
        initial={
            "issues": ids,
            "primary": ids[0] if ids else None,
            "version": board_version(desk),
        },
    )
    if data is not None and form.is_valid():
        chosen = form.cleaned_data["issues"]
        primary = form.cleaned_data["primary"]
        try:
            joint = issue_merge(
                primary=primary,
                others=[issue for issue in chosen if issue.pk != primary.pk],
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except IssueError as error:
            _show_refusal(form, error, desk)
        else:
            messages.success(
                request,
                _("The issues have been merged into joint issue %(code)s.") % {"code": joint.code},
            )
            return redirect(joint)
    return render(
        request,
        "issues/board/duplicates/merge.html",
        {
            "desk": desk,
            "meeting": desk.meeting,
            "form": form,
            "candidates": attach_figures(candidates),
        },
    )


@login_required
def unmerge(request, pk):
    """Undo the merge that made joint issue `pk`."""
    try:
        joint = Issue.objects.select_related("desk__field", "region").get(pk=pk)
    except Issue.DoesNotExist:
        raise Http404 from None
    desk = desk_for_user(request.user, joint.desk_id, write=True)
    originals = list(joint.merged_issues.select_related("region", "desk__field").order_by("number"))
    if not originals:
        raise Http404
    return confirm_with_reason(
        request,
        UnmergeForm(request.POST or None, initial={"version": board_version(desk)}),
        act=lambda data: issue_unmerge(
            joint=joint,
            user=request.user,
            reason=data["reason"],
            expected_version=data["version"],
        ),
        refusals=(IssueError,),
        refused=lambda form, error: _show_refusal(form, error, desk),
        success=_("The merge has been undone: %(codes)s are back on the desk.")
        % {"codes": ", ".join(i.code for i in originals)},
        next_url=reverse("issues:duplicates", kwargs={"desk_id": desk.pk}),
        cancel_url=joint.get_absolute_url(),
        template="issues/board/duplicates/unmerge.html",
        title=_("Undo merge"),
        submit=_("Undo merge"),
        button_class="btn-warning",
        desk=desk,
        joint=joint,
        originals=originals,
    )
