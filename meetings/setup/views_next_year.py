"""Next year's RAKORTEK, set up from an existing one (secretariat only)."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from meetings import selectors, services
from meetings.models import Meeting
from meetings.setup.forms import NextYearForm
from rakortek.core.access import secretariat_required


@secretariat_required
@require_http_methods(["GET", "POST"])
def meeting_next_year(request, slug):
    source = selectors.meeting_get(slug=slug, kind=Meeting.Kind.RAKORTEK)
    form = NextYearForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_copy_for_next_year(
                source=source, actor=request.user, **form.cleaned_data
            )
        except IntegrityError:
            # Another secretary took the address between the check and the save.
            form.add_error("slug", _("Another meeting already uses this address."))
        else:
            messages.success(
                request,
                _(
                    "%(title)s has been created as a draft from %(source)s. Check what is "
                    "marked below, then activate it."
                )
                % {"title": meeting.title, "source": source.title},
            )
            return redirect(meeting)
    summary = {
        "desks": source.desks.count(),
        "criteria": source.criteria.count(),
        "agenda": source.agenda_items.count(),
    }
    return render(
        request,
        "meetings/next_year.html",
        {
            "source": source,
            "form": form,
            "summary": summary,
            "year": services.next_year_target(source),
        },
    )
