"""Access rules shared by every app.

The convention (DESIGN.md): anonymous users are sent to log in; a role that may
only read gets 403 on a write; an object outside the user's scope is a 404, so
its existence is not revealed.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from rakortek.accounts.models import Role


def roles_required(*roles):
    """Login required, then 403 unless the user has one of `roles` (superusers always pass)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_superuser or user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


secretariat_required = roles_required(Role.SECRETARIAT)
