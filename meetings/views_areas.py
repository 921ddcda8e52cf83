"""The kecamatan and desa/kelurahan a location field offers, as <option>s for a <datalist>.

Official area names are public reference data, but a delegate only ever enters issues for
their own region: a delegate asking for another region gets 404. Everyone else with an
account (the secretariat enters issues for any region) may read any region's areas.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings.areas import area_options
from meetings.models import Region
from rakortek import access


@login_required
@require_safe
def area_list(request, kind):
    user = request.user
    try:
        region = Region.objects.get(pk=int(request.GET.get("region", "")))
    except (ValueError, Region.DoesNotExist):
        raise Http404 from None
    if not access.may(user, "areas", region_ids=(region.pk,)):
        raise Http404
    districts, villages = area_options(region, request.GET.get("district", ""))
    options = districts if kind == "kecamatan" else villages
    return render(request, "meetings/areas/_options.html", {"options": options})
