"""Cross-app pages: each role's home page, and the error pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

from meetings.models import Desk, Meeting


@login_required
def home(request):
    user = request.user
    if user.is_secretariat:
        return _secretariat_home(request)
    if user.is_desk_head:
        return _desk_head_home(request)
    if user.is_delegate:
        return _delegate_home(request)
    return _observer_home(request)


def _secretariat_home(request):
    meetings = Meeting.objects.annotate(desk_count=Count("desks")).prefetch_related(
        Prefetch("desks", queryset=Desk.objects.select_related("field", "chair"))
    )
    return render(request, "home/secretariat.html", {"meetings": meetings})


def _desk_head_home(request):
    desks = (
        Desk.objects.filter(chair=request.user)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting", "field")
        .order_by("-meeting__starts_at", "field__order")
    )
    return render(request, "home/desk_head.html", {"desks": desks})


def _delegate_home(request):
    meetings = Meeting.objects.visible_to_participants().filter(kind=Meeting.Kind.RAKORTEK)
    return render(request, "home/delegate.html", {"meetings": meetings})


def _observer_home(request):
    meetings = Meeting.objects.visible_to_participants()
    return render(request, "home/observer.html", {"meetings": meetings})


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


@requires_csrf_token
def server_error(request):
    # No context processors that could fail again: a plain render of a static page.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
