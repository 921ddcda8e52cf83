"""The kecamatan or desa/kelurahan of a region as <option>s for a location field's <datalist>.

The issue form comes with its region's kecamatan and desa; when a kecamatan is chosen it
asks here (htmx) for that kecamatan's desa. Who may ask for which region is the rule
"areas" of rakortek.core.access: a delegate only their own region (404 otherwise), every
other account any region.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from meetings.areas import area_options
from meetings.models import Region
from rakortek.core import access


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
