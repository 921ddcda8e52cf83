"""Pages for strategic issues: the region's list, the desk's list, the form, the detail
with its history and comments, and the actions on an issue.

Each view loads what it works on through issues.selectors (404 outside the user's
scope, 403 for a role that may only read), validates a form, makes one service call,
and redirects.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from issues import services
from issues.figures import attach_figures
from issues.forms import (
    CommentForm,
    IssueFilterForm,
    IssueForm,
    MoveForm,
    ProxyRegionForm,
    RegionWindowForm,
    ReturnForm,
    SubmitForm,
    VerifyForm,
    WithdrawForm,
)
from issues.models import (
    DECIDED_STATUSES,
    UNDECIDED_STATUSES,
    Issue,
    PackagePoint,
    RegionWindow,
)
from issues.selectors import (
    can_edit_issue,
    desks_visible_to,
    get_issue_for_desk,
    get_issue_for_user,
    get_meeting_for_user,
    issues_visible_to,
    may_act_as_desk,
    may_comment,
    may_write_as_region,
    region_window,
    submission_is_open_for,
)
from issues.services import IssueError
from meetings import areas
from rakortek.accounts.models import Role
from rakortek.core.access import roles_required, secretariat_required
from rakortek.core.confirm import confirm_with_reason

S = Issue.Status
LIST_RELATED = ("desk__field", "region")
# Rows per page of the issue lists: a meeting holds thousands of issues, and a page of
# them all weighed over a megabyte.
ISSUES_PER_PAGE = 100


def _with_urls(issues):
    """Set `issue.url` (its page) on each of `issues`: one reverse() for the whole list
    rather than one per row, which a long list feels."""
    marker = 987654321
    prefix, suffix = reverse("issues:detail", kwargs={"pk": marker}).rsplit(str(marker), 1)
    for issue in issues:
        issue.url = f"{prefix}{issue.pk}{suffix}"
    return issues


def _issue_page(request, issues):
    """One page of `issues` (with their figures and links) for the list; the filters stay
    in the page links. A page number past the end shows the last page, a word the first."""
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _with_urls(attach_figures(page.object_list))
    return page


# Lists


@login_required
@require_safe
def meeting_issues(request, slug):
    """A delegate's own region's issues grouped by desk; everyone else a filterable table."""
    meeting = get_meeting_for_user(request.user, slug)
    if request.user.is_delegate:
        return _region_issue_list(request, meeting)
    desks = desks_visible_to(request.user, meeting)
    issues = (
        issues_visible_to(request.user)
        .filter(meeting=meeting)
        .select_related(*LIST_RELATED)
        .order_by("desk__field__order", "region__kemendagri_code", "priority_order", "id")
    )
    filters = IssueFilterForm(request.GET or None, desks=desks)
    page = _issue_page(request, filters.filter(issues))
    return render(
        request,
        "issues/submission/meeting_issues.html",
        {"meeting": meeting, "issues": page.object_list, "page": page, "filters": filters},
    )


def _region_issue_list(request, meeting):
    region = request.user.region
    issues = (
        issues_visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("desk__field", "merged_into__desk__field")
        .order_by("priority_order", "id")
    )
    by_desk = {}
    for issue in _with_urls(list(issues)):
        by_desk.setdefault(issue.desk_id, []).append(issue)
    groups = []
    for desk in meeting.desks.select_related("field"):
        desk_issues = by_desk.get(desk.pk, [])
        # Withdrawn and merged issues are listed apart, out of the region's order.
        set_aside = (S.WITHDRAWN, S.MERGED)
        active = [i for i in desk_issues if i.status not in set_aside]
        withdrawn = [i for i in desk_issues if i.status in set_aside]
        groups.append({"desk": desk, "issues": active, "withdrawn": withdrawn})
    window_open = submission_is_open_for(meeting, region)
    return render(
        request,
        "issues/submission/region_issues.html",
        {
            "meeting": meeting,
            "region": region,
            "groups": groups,
            "window_open": window_open,
            "window": region_window(meeting, region),
        },
    )


@roles_required(Role.SECRETARIAT, Role.DESK_HEAD, Role.OBSERVER)
@require_safe
def desk_issues(request, slug, field_slug):
    """The submitted issues of one desk, from every region, for its chair."""
    meeting = get_meeting_for_user(request.user, slug)
    desk = get_object_or_404(desks_visible_to(request.user, meeting), field__slug=field_slug)
    issues = (
        issues_visible_to(request.user)
        .filter(desk=desk, submitted_at__isnull=False)
        .select_related(*LIST_RELATED)
        .order_by("region__kemendagri_code", "priority_order", "id")
    )
    statuses = [c for c in S.choices if c[0] != S.DRAFT]
    filters = IssueFilterForm(
        request.GET or None, desks=desks_visible_to(request.user, meeting), statuses=statuses
    )
    del filters.fields["desk"]
    page = _issue_page(request, filters.filter(issues))
    return render(
        request,
        "issues/submission/desk_issues.html",
        {
            "meeting": meeting,
            "desk": desk,
            "issues": page.object_list,
            "page": page,
            "filters": filters,
        },
    )


# The form


def _wants_submit(request):
    return request.POST.get("action") == "submit"


@roles_required(Role.DELEGATE, Role.SECRETARIAT)
def issue_create(request, slug):
    user = request.user
    meeting = get_meeting_for_user(user, slug)
    if user.is_delegate and not submission_is_open_for(meeting, user.region):
        messages.error(
            request,
            _("Submission for this meeting is closed. Contact the secretariat to reopen it."),
        )
        return redirect("issues:meeting_issues", slug=meeting.slug)
    data = request.POST if request.method == "POST" else None
    initial = {"desk": request.GET.get("desk")}
    if user.is_delegate:
        initial["proposing_office"] = user.office
    proxy_form = (
        ProxyRegionForm(data, prefix="proxy", initial={"region": request.GET.get("region")})
        if user.is_secretariat
        else None
    )
    region = _form_region(proxy_form) if proxy_form else user.region
    form = IssueForm(data, meeting=meeting, initial=initial, region=region)
    if data is not None and form.is_valid() and (proxy_form is None or proxy_form.is_valid()):
        region = proxy_form.cleaned_data["region"] if proxy_form else user.region
        try:
            issue = services.issue_create(
                actor=user,
                meeting=meeting,
                region=region,
                data=form.cleaned_data,
                submit=_wants_submit(request),
            )
        except IssueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _saved_message(issue))
            return redirect(issue)
    return render(
        request,
        "issues/submission/issue_form.html",
        {
            "meeting": meeting,
            "form": form,
            "proxy_form": proxy_form,
            "issue": None,
            **_area_context(form, region),
        },
    )


def _form_region(proxy_form):
    """The region a secretariat entry is for, as far as the proxy form tells yet."""
    field = proxy_form["region"]
    value = field.value()
    try:
        return field.field.queryset.filter(pk=int(value)).first()
    except (TypeError, ValueError):
        return None


def _area_context(form, region):
    """The kecamatan and desa/kelurahan the location fields suggest (see IssueForm)."""
    districts, villages = areas.area_options(region, form["district"].value() or "")
    return {"area_districts": districts, "area_villages": villages}


def _saved_message(issue):
    if issue.status == S.SUBMITTED:
        return _("Issue %(code)s has been submitted.") % {"code": issue.code}
    return _("Data saved successfully.")


@login_required
def issue_edit(request, pk):
    user = request.user
    issue = get_issue_for_user(user, pk, write=True)
    if not can_edit_issue(user, issue):
        messages.error(request, _cannot_edit_message(user, issue))
        return redirect(issue)
    data = request.POST if request.method == "POST" else None
    submit = data is not None and _wants_submit(request)
    submit = submit and issue.status in (S.DRAFT, S.NEEDS_REVISION)
    needs_answer = issue.status == S.NEEDS_REVISION
    form = IssueForm(data, instance=issue, meeting=issue.meeting, region=issue.region)
    answer_form = None
    if needs_answer:
        # Bound only when submitting, so that saving a draft does not ask for the answer.
        answer_form = SubmitForm(
            data if submit else None,
            prefix="resubmit",
            initial={"answer": data.get("resubmit-answer", "")} if data else None,
        )
    answer_ok = not (submit and needs_answer) or answer_form.is_valid()
    if data is not None and form.is_valid() and answer_ok:
        answer = answer_form.cleaned_data["answer"] if submit and needs_answer else ""
        try:
            issue = services.issue_update(
                actor=user, issue=issue, data=form.cleaned_data, submit=submit, answer=answer
            )
        except IssueError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _saved_message(issue))
            return redirect(issue)
    return render(
        request,
        "issues/submission/issue_form.html",
        {
            "meeting": issue.meeting,
            "form": form,
            "answer_form": answer_form,
            "issue": issue,
            "question": _open_question(issue),
            **_area_context(form, issue.region),
        },
    )


def _cannot_edit_message(user, issue):
    if user.is_delegate and issue.status in (S.DRAFT, S.NEEDS_REVISION):
        return _("Submission for this meeting is closed. Contact the secretariat to reopen it.")
    return _("This issue cannot be changed while its status is %(status)s.") % {
        "status": issue.get_status_display()
    }


def _open_question(issue):
    """The desk's question while the issue waits for the region's answer."""
    if issue.status != S.NEEDS_REVISION:
        return None
    return (
        issue.events.filter(to_status=S.NEEDS_REVISION)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


# The detail


def _package_points_of(issue):
    """The points forwarded to RAKORGUB that `issue` is a source of, with their follow-up."""
    if issue is None:
        return []
    return list(
        PackagePoint.objects.filter(source_issues=issue)
        .select_related("package__rakorgub")
        .order_by("package__forwarded_at", "number")
    )


@login_required
@require_safe
def issue_detail(request, pk):
    user = request.user
    issue = get_issue_for_user(user, pk)
    writer = may_write_as_region(user, issue)
    window_open = submission_is_open_for(issue.meeting, issue.region)
    may_submit_now = writer and (user.is_secretariat or window_open)
    desk_actor = may_act_as_desk(user, issue)
    # A region cannot submit into a locked desk: say so, and whom to ask, before it tries.
    desk_locked = None
    if writer and issue.status in (S.DRAFT, S.NEEDS_REVISION):
        desk_locked = services.desk_locked_notice(issue)
    if desk_locked:
        may_submit_now = False
    context = {
        "issue": issue,
        "events": issue.events.select_related("actor"),
        "comments": issue.comments.select_related("author"),
        "question": _open_question(issue),
        "window_open": window_open,
        "can_edit": can_edit_issue(user, issue),
        "can_submit": may_submit_now and issue.status == S.DRAFT,
        "can_resubmit": may_submit_now and issue.status == S.NEEDS_REVISION,
        "can_withdraw": writer and issue.status in UNDECIDED_STATUSES,
        "can_verify": desk_actor and issue.status == S.SUBMITTED,
        "can_return": desk_actor and issue.status in (S.SUBMITTED, S.VERIFIED),
        "can_comment": may_comment(user, issue),
        "can_open_board": desk_actor and issue.submitted_at is not None,
        "decided": issue.status in DECIDED_STATUSES,
        "answer_form": SubmitForm(prefix="resubmit"),
        "desk_locked": desk_locked,
        "comment_form": CommentForm(),
        "verify_form": VerifyForm(),
        "package_points": _package_points_of(issue),
        "earlier_points": _package_points_of(issue.carried_over_from),
    }
    return render(request, "issues/submission/issue_detail.html", context)


# Actions


def _run(request, issue, action, success_message):
    """One service call; a refusal becomes an error message on the issue page.

    `success_message` may be a function of the call's result.
    """
    try:
        result = action()
    except IssueError as error:
        messages.error(request, error.message)
    else:
        if callable(success_message):
            success_message = success_message(result)
        messages.success(request, success_message)
    return redirect(issue)


@require_POST
@login_required
def issue_submit(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    if issue.status != S.NEEDS_REVISION:
        return _run(
            request,
            issue,
            lambda: services.issue_submit(actor=request.user, issue=issue),
            _saved_message,
        )
    form = SubmitForm(request.POST, prefix="resubmit")
    if not form.is_valid():
        messages.error(request, _("Answer the desk's question before submitting again."))
        return redirect(issue)
    return _run(
        request,
        issue,
        lambda: services.issue_resubmit(
            actor=request.user, issue=issue, answer=form.cleaned_data["answer"]
        ),
        _("The issue has been submitted again."),
    )


def _refused_on_issue(request, issue):
    """A refusal said on the issue page, as every other action of the issue says it."""

    def refused(form, error):
        messages.error(request, error.message)
        return redirect(issue)

    return refused


@login_required
def issue_withdraw(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    return confirm_with_reason(
        request,
        WithdrawForm(request.POST or None),
        act=lambda data: services.issue_withdraw(
            actor=request.user, issue=issue, reason=data["reason"]
        ),
        refusals=(IssueError,),
        refused=_refused_on_issue(request, issue),
        success=_("The issue has been withdrawn."),
        next_url=issue.get_absolute_url(),
        title=_("Withdraw issue"),
        submit=_("Withdraw"),
        code=issue.code,
        subject=issue.title,
        intro=_(
            "A withdrawn issue is no longer discussed. Its number is not given to another issue."
        ),
    )


@login_required
def issue_return(request, pk):
    issue = get_issue_for_desk(request.user, pk)
    return confirm_with_reason(
        request,
        ReturnForm(request.POST or None),
        act=lambda data: services.issue_return_for_revision(
            actor=request.user, issue=issue, question=data["question"]
        ),
        refusals=(IssueError,),
        refused=_refused_on_issue(request, issue),
        success=_("The issue has been returned to the region for revision."),
        next_url=issue.get_absolute_url(),
        title=_("Return for revision"),
        submit=_("Return for revision"),
        button_class="btn-warning",
        code=issue.code,
        subject=f"{issue.title} · {issue.region.name}",
        intro=_(
            "The region's delegates receive your question by email and can revise the "
            "issue and submit it again."
        ),
    )


@require_POST
@login_required
def issue_verify(request, pk):
    issue = get_issue_for_desk(request.user, pk)
    form = VerifyForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run(
        request,
        issue,
        lambda: services.issue_verify(actor=request.user, issue=issue, note=note),
        _("The issue has been verified."),
    )


@require_POST
@login_required
def issue_comment(request, pk):
    issue = get_issue_for_user(request.user, pk)
    if not may_comment(request.user, issue):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a comment first."))
        return redirect(issue)
    services.issue_comment_add(actor=request.user, issue=issue, body=form.cleaned_data["body"])
    messages.success(request, _("Your comment has been added."))
    return redirect(f"{issue.get_absolute_url()}#komentar")


@require_POST
@login_required
def issue_move(request, pk):
    issue = get_issue_for_user(request.user, pk, write=True)
    form = MoveForm(request.POST)
    fallback = reverse("issues:meeting_issues", kwargs={"slug": issue.meeting.slug})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    if form.is_valid():
        try:
            services.issue_move(
                actor=request.user, issue=issue, direction=form.cleaned_data["direction"]
            )
        except IssueError as error:
            messages.error(request, error.message)
    return redirect(f"{target}#desk-{issue.desk_id}")


# Reopening submission for one region


@secretariat_required
def region_windows(request, slug):
    meeting = get_meeting_for_user(request.user, slug)
    form = RegionWindowForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        services.region_window_set(
            actor=request.user,
            meeting=meeting,
            region=form.cleaned_data["region"],
            closes_at=form.cleaned_data["closes_at"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Data saved successfully."))
        return redirect("issues:region_windows", slug=meeting.slug)
    windows = meeting.region_windows.select_related("region", "created_by")
    return render(
        request,
        "issues/submission/region_windows.html",
        {"meeting": meeting, "windows": windows, "form": form},
    )


@require_POST
@secretariat_required
def region_window_delete(request, slug, pk):
    meeting = get_meeting_for_user(request.user, slug)
    window = get_object_or_404(RegionWindow, meeting=meeting, pk=pk)
    services.region_window_delete(actor=request.user, window=window)
    messages.success(request, _("The reopening has been removed."))
    return redirect("issues:region_windows", slug=meeting.slug)
