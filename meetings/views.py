from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from meetings.models import Field, Meeting
from rakortek.access import secretariat_required


@secretariat_required
def meeting_list(request):
    meetings = Meeting.objects.annotate(desk_count=Count("desks"))
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@secretariat_required
def meeting_detail(request, slug):
    meeting = get_object_or_404(Meeting, slug=slug)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})


@secretariat_required
def field_list(request):
    return render(request, "meetings/field_list.html", {"fields": Field.objects.all()})
