from django.shortcuts import render

from rakortek.access import secretariat_required
from rakortek.accounts.models import User


@secretariat_required
def user_list(request):
    users = User.objects.select_related("region").order_by(
        "role", "region__kemendagri_code", "full_name"
    )
    return render(request, "accounts/user_list.html", {"users": users})
