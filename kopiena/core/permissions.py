"""The one way a view asks for a permission (rules predicates, per app in rules.py)."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def require_perm(request, perm: str, obj=None):
    """None when the user has the permission; else a redirect to log in for a visitor,
    and 403 for a signed-in user without it."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
