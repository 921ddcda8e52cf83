"""The desk board: the chair (or the secretariat) verifies, scores, ranks and decides the
issues of one desk, and locks the desk when done.

Each view loads the desk through issues.board.selectors.desk_for_user (404 outside the user's
scope, 403 for the observer who may only read), validates a form, makes one service
call and redirects. Every write carries the board version the user saw; a stale one
is refused and the current state shown, with what the user typed kept.

The board itself lists every issue with a short summary and the small rank controls
only; the heavy editors of one issue (score details, score form, decision, verify and
return) live on the issue's board page, which htmx loads into the row on demand. A
board of 500 issues stays light that way for a laptop in a crowded room.

Scores are saved with htmx without a reload when scripts run; every form also works
as a plain post.
"""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from issues import services
from issues.board.assent import board_assent, current_round, round_view
from issues.board.scoring import FORMULA_TEXT, score_parts, weighted_score
from issues.board.selectors import (
    RANKABLE_STATUSES,
    WORKABLE_STATUSES,
    board_criteria,
    board_issue,
    board_issues,
    board_ranked_count,
    board_state,
    build_rows,
    decision_warnings,
    desk_and_state_for_user,
    desk_for_user,
    may_work_on_board,
    region_summary,
)
from issues.forms import (
    BoardFilterForm,
    BoardForm,
    BoardReturnForm,
    DecisionForm,
    LockForm,
    RankForm,
    ScoreForm,
    UnlockForm,
)
from issues.models import Issue
from issues.services import IssueError, ReasonRequired, StaleBoard
from rakortek.core import access
from rakortek.core.confirm import confirm_with_reason


def _is_htmx(request):
    return request.headers.get("HX-Request") == "true"


def _board_url(desk, issue=None):
    url = reverse("issues:board", kwargs={"desk_id": desk.pk})
    return f"{url}#isu-{issue.pk}" if issue is not None else url


def _with_version(form_class, data, version, **kwargs):
    """The form as the user filled it, carrying the current version: submitting it again
    is a deliberate choice made after seeing the current state."""
    data = data.copy()
    prefix = kwargs.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = str(version)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


def _url_maker(name, **kwargs):
    """pk -> the url `name` with that pk, reversing once: the board links each of its
    hundreds of rows three times, and a reverse() per link is a good part of the page's
    time."""
    marker = 987654321
    prefix, suffix = reverse(name, kwargs={**kwargs, "pk": marker}).rsplit(str(marker), 1)
    return lambda pk: f"{prefix}{pk}{suffix}"


def _labels(choices):
    return {value: str(label) for value, label in choices}


def link_rows(rows, desk):
    """Give each row its links and the words of its status, authority and decision."""
    detail = _url_maker("issues:detail")
    editor = _url_maker("issues:board_issue", desk_id=desk.pk)
    rank = _url_maker("issues:board_rank", desk_id=desk.pk)
    statuses = _labels(Issue.Status.choices)
    authorities = _labels(Issue.Authority.choices)
    decisions = _labels(Issue.Decision.choices)
    for row in rows:
        issue = row.issue
        row.detail_url, row.editor_url, row.rank_url = (
            detail(issue.pk),
            editor(issue.pk),
            rank(issue.pk),
        )
        row.status_label = statuses.get(issue.status, issue.status)
        row.authority_label = authorities.get(issue.authority, issue.authority)
        row.decision_label = decisions.get(issue.decision, issue.decision)
    return rows


def _board_context(request, desk, *, state=None, criteria=None):
    user = request.user
    criteria = board_criteria(desk) if criteria is None else criteria
    rows = link_rows(build_rows(board_issues(desk), criteria), desk)
    state = board_state(desk) if state is None else state
    regions = {}
    for row in rows:
        for region in row.regions:
            regions[region.pk] = region
    filters = BoardFilterForm(
        request.GET or None,
        regions=sorted(regions.values(), key=lambda r: r.kemendagri_code),
    )
    shown = filters.filter(rows)
    can_write = may_work_on_board(user, desk)
    editable = can_write and not state.is_locked
    rankable = [r for r in rows if r.issue.status in RANKABLE_STATUSES]
    return {
        "desk": desk,
        "meeting": desk.meeting,
        "criteria": criteria,
        "criteria_count": len(criteria),
        "rows": rows,
        "ranked": [r for r in shown if r.issue.rank is not None],
        "unranked": [
            r for r in shown if r.issue.rank is None and r.issue.status in RANKABLE_STATUSES
        ],
        "waiting": [r for r in shown if r.waiting],
        "ranked_count": sum(1 for r in rows if r.issue.rank is not None),
        "state": state,
        "filters": filters,
        "can_write": can_write,
        "editable": editable,
        "sortable": editable and not filters.active,
        "summary": region_summary(rows),
        "warnings": decision_warnings(rows),
        "proposal_differs": any(r.proposed_rank != r.issue.rank for r in rankable),
        "formula": FORMULA_TEXT,
    }


# How long a board's rendered sections are kept. Every write on the board bumps its
# version, which is part of the key, so this only bounds what an unforeseen change
# outside the board (a repair in the database, a restore) could leave showing.
BOARD_CACHE_SECONDS = 10 * 60


def board_cache_key(request, desk, state, criteria, *, editable) -> str:
    """The key of the board's rendered sections as `request` would see them.

    It holds everything the markup depends on: the board's version; a fingerprint of the
    desk's issues and the meeting's criteria (count, last change, highest id: an issue
    submitted, edited or merged by the region changes it without a board write); the
    language; the user's role and whether they may work on the board; and the filters.
    """
    issues = Issue.objects.filter(desk=desk).aggregate(
        count=Count("id"), changed=Max("updated_at"), last=Max("id")
    )
    criteria = [(c.pk, c.name, str(c.weight), c.description) for c in criteria]
    fingerprint = repr(
        (
            state.version,
            state.is_locked,
            issues["count"],
            issues["changed"] and issues["changed"].isoformat(),
            issues["last"],
            criteria,
            translation.get_language(),
            access.role_of(request.user),
            editable,
            sorted(request.GET.lists()),
        )
    )
    digest = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    return f"board:{desk.pk}:v{state.version}:{digest}"


def board_sections(request, desk, state, *, editable) -> dict:
    """The rendered rows and what the page's header needs from them ("sections" and
    "proposal_differs"), from the cache when the board has not changed since."""
    criteria = board_criteria(desk)
    key = board_cache_key(request, desk, state, criteria, editable=editable)
    sections = cache.get(key)
    if sections is None:
        context = _board_context(request, desk, state=state, criteria=criteria)
        html = render_to_string("issues/board/_sections.html", context, request=request)
        sections = {"sections": html, "proposal_differs": context["proposal_differs"]}
        cache.set(key, sections, BOARD_CACHE_SECONDS)
    return sections


@login_required
@require_safe
def board(request, desk_id):
    """The board: the header is rendered for each request (its forms carry the user's
    token), the rows come from board_sections."""
    desk, state = desk_and_state_for_user(request.user, desk_id)
    editable = may_work_on_board(request.user, desk) and not state.is_locked
    context = {
        "desk": desk,
        "meeting": desk.meeting,
        "state": state,
        "editable": editable,
        **board_sections(request, desk, state, editable=editable),
        "assent": board_assent(desk, locked=state.is_locked),
    }
    return render(request, "issues/board/board.html", context)


def _row_response(request, desk, issue_pk, *, previous_version):
    """The issue's row, swapped in by htmx, and the board's new version out of band."""
    context = _board_context(request, desk)
    row = next(r for r in context["rows"] if r.issue.pk == issue_pk)
    context.update(row=row, section=[row], previous_version=previous_version)
    response = render(request, "issues/board/_row_response.html", context)
    response["HX-Retarget"] = f"#isu-{issue_pk}"
    response["HX-Reswap"] = "outerHTML"
    return response


def _refuse_when_locked(request, desk, state):
    """A locked desk offers no forms: say so where the form would have appeared."""
    message = _(
        "This desk is locked: its scores, ranks and decisions can no longer change. "
        "Ask the secretariat to unlock it."
    )
    if _is_htmx(request):
        return render(request, "issues/board/_alert.html", {"message": message})
    messages.error(request, message)
    return redirect(_board_url(desk))


# One issue's editors


@login_required
@require_safe
def board_issue_page(request, desk_id, pk):
    """One issue of the board with everything the desk does to it: the parts of its score
    and, for whoever may work on the board, the score, rank and decision forms and verify
    or return. htmx loads it into the issue's row; without scripts it is a page of its
    own, whose forms post to the same views as the board's and lead back to the row."""
    desk = desk_for_user(request.user, desk_id)
    issue = board_issue(desk, pk)
    state = board_state(desk)
    criteria = board_criteria(desk)
    saved = {s.criterion_id: s.value for s in issue.scores.all()}
    editable = may_work_on_board(request.user, desk) and not state.is_locked
    workable = issue.status in WORKABLE_STATUSES
    context = {
        "desk": desk,
        "issue": issue,
        "state": state,
        "editable": editable,
        "parts": score_parts(criteria, saved),
        "score": weighted_score(criteria, saved),
        "formula": FORMULA_TEXT,
        "in_panel": _is_htmx(request),
    }
    if editable and workable:
        initial = {ScoreForm.field_name(c): saved.get(c.pk) for c in criteria}
        initial["version"] = state.version
        # Ids of the issue's own: several rows may have their editors open at once.
        context["score_form"] = ScoreForm(
            criteria=criteria, initial=initial, auto_id=f"isu-{issue.pk}-score-%s"
        )
        context["decision_form"] = DecisionForm(
            decided=bool(issue.decision),
            auto_id=f"isu-{issue.pk}-decision-%s",
            initial={
                "decision": issue.decision or None,
                "reason": issue.decision_reason,
                "redirected_to": issue.redirected_to,
                "version": state.version,
            },
        )
    if editable and (workable or issue.rank is not None):
        context["rank_form"] = RankForm(
            auto_id=f"isu-{issue.pk}-rank-%s",
            initial={
                "position": issue.rank or board_ranked_count(desk) + 1,
                "version": state.version,
            },
        )
    if _is_htmx(request):
        return render(request, "issues/board/_editor.html", context)
    return render(request, "issues/board/issue.html", context)


# Scores


@login_required
def board_score(request, desk_id, pk):
    desk = desk_for_user(request.user, desk_id, write=True)
    issue = board_issue(desk, pk)
    state = board_state(desk)
    if state.is_locked:
        return _refuse_when_locked(request, desk, state)
    criteria = board_criteria(desk)
    saved = {s.criterion_id: s.value for s in issue.scores.all()}
    initial = {ScoreForm.field_name(c): saved.get(c.pk) for c in criteria}
    initial["version"] = state.version
    form = ScoreForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_scores_set(
                actor=request.user,
                issue=issue,
                values=form.values(),
                version=form.cleaned_data["version"],
            )
        except StaleBoard as error:
            form = _with_version(ScoreForm, request.POST, error.current_version, criteria=criteria)
            form.add_error(None, error.message)
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            if _is_htmx(request):
                return _row_response(
                    request, desk, issue.pk, previous_version=form.cleaned_data["version"]
                )
            messages.success(request, _("Scores of %(code)s saved.") % {"code": issue.code})
            return redirect(_board_url(desk, issue))
        saved = {s.criterion_id: s.value for s in issue.scores.all()}
    context = {
        "desk": desk,
        "issue": issue,
        "form": form,
        "parts": score_parts(criteria, saved),
        "score": weighted_score(criteria, saved),
        "formula": FORMULA_TEXT,
        "in_panel": _is_htmx(request),
    }
    if _is_htmx(request):
        return render(request, "issues/board/_score_form.html", context)
    return render(request, "issues/board/score.html", context)


# Ranks


@login_required
def board_rank(request, desk_id, pk):
    """Move one issue to a rank: typed in, from the up/down buttons or from a drag."""
    desk = desk_for_user(request.user, desk_id, write=True)
    issue = board_issue(desk, pk)
    state = board_state(desk)
    if state.is_locked:
        return _refuse_when_locked(request, desk, state)
    form = RankForm(
        request.POST or None, initial={"position": issue.rank, "version": state.version}
    )
    passed = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position = None if data["remove"] else data["position"]
        try:
            issue = services.issue_rank_set(
                actor=request.user,
                issue=issue,
                position=position,
                version=data["version"],
                reason=data["reason"],
            )
        except ReasonRequired as error:
            passed = error.passed
            form.add_error("reason", error.message)
        except StaleBoard as error:
            form = _with_version(RankForm, request.POST, error.current_version)
            form.add_error(None, error.message)
        except IssueError as error:
            form.add_error("position", error.message)
        else:
            if issue.rank is None:
                message = _("%(code)s is no longer ranked.") % {"code": issue.code}
            else:
                message = _("%(code)s is now ranked %(rank)d.") % {
                    "code": issue.code,
                    "rank": issue.rank,
                }
            messages.success(request, message)
            return redirect(_board_url(desk, issue))
    context = _board_context(request, desk)
    context.update(issue=issue, form=form, passed=passed)
    return render(request, "issues/board/rank.html", context)


@require_POST
@login_required
def board_apply_proposed(request, desk_id):
    desk = desk_for_user(request.user, desk_id, write=True)
    form = BoardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the board and try again."))
        return redirect(_board_url(desk))
    try:
        changed = services.desk_apply_proposed_order(
            actor=request.user, desk=desk, version=form.cleaned_data["version"]
        )
    except IssueError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The proposed order has been applied (%(count)d ranks changed).")
            % {"count": changed},
        )
    return redirect(_board_url(desk))


# Decisions


@login_required
def board_decide(request, desk_id, pk):
    desk = desk_for_user(request.user, desk_id, write=True)
    issue = board_issue(desk, pk)
    state = board_state(desk)
    if state.is_locked:
        return _refuse_when_locked(request, desk, state)
    initial = {
        "decision": issue.decision or None,
        "reason": issue.decision_reason,
        "redirected_to": issue.redirected_to,
        "version": state.version,
    }
    decided = bool(issue.decision)
    form = DecisionForm(request.POST or None, initial=initial, decided=decided)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == DecisionForm.UNDECIDED:
                issue = services.issue_decision_withdraw(
                    actor=request.user,
                    issue=issue,
                    reason=data["reason"],
                    version=data["version"],
                )
                messages.success(
                    request, _("%(code)s: the decision is taken back.") % {"code": issue.code}
                )
                return redirect(_board_url(desk, issue))
            issue = services.issue_decide(
                actor=request.user,
                issue=issue,
                decision=data["decision"],
                reason=data["reason"],
                redirected_to=data["redirected_to"],
                version=data["version"],
            )
        except StaleBoard as error:
            form = _with_version(DecisionForm, request.POST, error.current_version, decided=decided)
            form.add_error(None, error.message)
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(code)s: %(decision)s.")
                % {"code": issue.code, "decision": issue.get_decision_display()},
            )
            rows = build_rows(board_issues(desk), board_criteria(desk))
            for warning in decision_warnings(rows):
                messages.warning(request, warning)
            return redirect(_board_url(desk, issue))
    context = {"desk": desk, "issue": issue, "form": form}
    if _is_htmx(request):
        return render(request, "issues/board/_decision_form.html", context)
    return render(request, "issues/board/decide.html", context)


# Verification from the board


@require_POST
@login_required
def board_verify(request, desk_id, pk):
    desk = desk_for_user(request.user, desk_id, write=True)
    issue = board_issue(desk, pk)
    form = BoardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the board and try again."))
        return redirect(_board_url(desk))
    try:
        services.issue_verify(actor=request.user, issue=issue, version=form.cleaned_data["version"])
    except IssueError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(code)s has been verified.") % {"code": issue.code})
    return redirect(_board_url(desk, issue))


@login_required
def board_return(request, desk_id, pk):
    desk = desk_for_user(request.user, desk_id, write=True)
    issue = board_issue(desk, pk)
    state = board_state(desk)
    form = BoardReturnForm(request.POST or None, initial={"version": state.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.issue_return_for_revision(
                actor=request.user,
                issue=issue,
                question=form.cleaned_data["question"],
                version=form.cleaned_data["version"],
            )
        except StaleBoard as error:
            form = _with_version(BoardReturnForm, request.POST, error.current_version)
            form.add_error(None, error.message)
        except IssueError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The issue has been returned to the region for revision."))
            return redirect(_board_url(desk))
    return render(request, "issues/board/return.html", {"desk": desk, "issue": issue, "form": form})


# Lock


@login_required
def board_lock(request, desk_id):
    desk = desk_for_user(request.user, desk_id, write=True)
    state = board_state(desk)
    rows = build_rows(board_issues(desk), board_criteria(desk))
    undecided = [r for r in rows if r.workable and not r.issue.decision]
    waiting = [r for r in rows if r.waiting]
    assent_round = current_round(desk)
    form = LockForm(
        request.POST or None,
        initial={"version": state.version},
        open_issues=bool(undecided or waiting),
        assent_open=bool(assent_round and assent_round.accepts_answers()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.desk_lock(
                actor=request.user,
                desk=desk,
                version=form.cleaned_data["version"],
                set_aside_reason=form.cleaned_data.get("set_aside_reason", ""),
                confirm_open_assent=form.cleaned_data.get("confirm_open_assent", False),
            )
        except StaleBoard as error:
            messages.error(request, error.message)
            return redirect(_board_url(desk))
        except IssueError as error:
            # Shown on the form, with the reason typed so far kept.
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The desk is locked."))
            return redirect(_board_url(desk))
    context = {
        "desk": desk,
        "state": state,
        "form": form,
        "undecided": undecided,
        "waiting": waiting,
        "assent_round": round_view(assent_round) if assent_round else None,
    }
    return render(request, "issues/board/lock.html", context)


@login_required
def board_unlock(request, desk_id):
    desk = desk_for_user(request.user, desk_id, write=True)
    if not request.user.is_secretariat:
        raise PermissionDenied
    state = board_state(desk)
    if state.is_locked:
        form = UnlockForm(request.POST or None, initial={"version": state.version})
        intro = " ".join(
            (
                _("Locked by %(name)s on %(at)s.")
                % {
                    "name": state.locked_by or "–",
                    "at": date_format(timezone.localtime(state.locked_at), "j F Y H.i"),
                },
                _("The reason for unlocking is kept with the desk."),
            )
        )
    else:
        form, intro = None, _("This desk is not locked.")

    def refused(form, error):
        if isinstance(error, StaleBoard):
            form = _with_version(UnlockForm, request.POST, error.current_version)
        form.add_error(None, error.message)
        return form

    return confirm_with_reason(
        request,
        form,
        act=lambda data: services.desk_unlock(
            actor=request.user, desk=desk, reason=data["reason"], version=data["version"]
        ),
        refusals=(IssueError,),
        refused=refused,
        success=_("The desk is unlocked."),
        next_url=_board_url(desk),
        title=f"{_('Unlock the desk')} {desk.field.name}",
        submit=_("Unlock"),
        button_class="btn-warning",
        intro=intro,
    )
