"""The regions' assent to a desk's decisions: the desk opens a round from its board,
each region's delegate answers on a phone, issue by issue.

Who reads and answers is rule "assent" of rakortek.core.access (404 outside the user's
scope, 403 to a reader who may not answer); opening a round is a board write.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from issues.board import assent, services_assent
from issues.board.forms_assent import AssentAnswerForm, AssentOpenForm
from issues.board.selectors import board_state, desk_for_user
from issues.services import IssueError, StaleBoard
from rakortek.core import access


@login_required
def board_assent_open(request, desk_id):
    """The desk asks the regions (again) to assent to its decisions, until a deadline."""
    desk = desk_for_user(request.user, desk_id, write=True)
    state = board_state(desk)
    form = AssentOpenForm(request.POST or None, initial={"version": state.version})
    if request.method == "POST" and form.is_valid():
        try:
            services_assent.assent_open(
                actor=request.user,
                desk=desk,
                deadline=form.cleaned_data["deadline"],
                version=form.cleaned_data["version"],
            )
        except StaleBoard as error:
            messages.error(request, error.message)
            return redirect("issues:board", desk_id=desk.pk)
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The regions have been asked to assent to the desk's decisions.")
            )
            return redirect(reverse("issues:board", kwargs={"desk_id": desk.pk}) + "#persetujuan")
    context = {
        "desk": desk,
        "state": state,
        "form": form,
        "current": assent.current_round(desk),
        "issues": assent.askable_issues(desk),
    }
    return render(request, "issues/board/assent/open.html", context)


@login_required
@require_safe
def assent_list(request):
    """What the user's region is asked to assent to (rounds still open), newest deadline
    last; the desk and the secretariat see the items they may read."""
    items = list(assent.items_for(request.user))
    for item in items:
        item.form = AssentAnswerForm(
            initial={"answer": item.answer, "note": item.note}, prefix=f"i{item.pk}"
        )
        item.may_answer = access.may(
            request.user,
            "assent",
            write=True,
            meeting=item.round.desk.meeting,
            region_ids=[item.region_id],
        )
    return render(request, "issues/board/assent/list.html", {"items": items})


@login_required
def assent_answer(request, pk):
    """One answer: Setuju, or Keberatan with a note. Refused after the deadline."""
    item = services_assent.assent_item_for(request.user, pk)
    meeting = item.round.desk.meeting
    if request.method == "POST":
        access.check(
            request.user,
            "assent",
            write=True,
            meeting=meeting,
            desk=item.round.desk,
            region_ids=[item.region_id],
        )
    form = AssentAnswerForm(request.POST or None, prefix=f"i{item.pk}")
    if request.method == "POST" and form.is_valid():
        try:
            services_assent.assent_answer(
                actor=request.user,
                item=item,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
            )
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your answer on %(code)s has been saved.") % {"code": item.issue.code},
            )
            return redirect(reverse("issues:assent_list") + f"#persetujuan-{item.pk}")
    elif request.method != "POST":
        form = AssentAnswerForm(
            initial={"answer": item.answer, "note": item.note}, prefix=f"i{item.pk}"
        )
    item.may_answer = access.may(
        request.user,
        "assent",
        write=True,
        meeting=meeting,
        desk=item.round.desk,
        region_ids=[item.region_id],
    )
    return render(request, "issues/board/assent/answer.html", {"item": item, "form": form})
