"""The one way to ask for a permission: rules predicates, per app in rules.py.

A view asks with `require_perm`; a service enforces the same rule with `ensure_perm`, so
whichever interface calls it (a page, a command, a task) the rule holds.
"""

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def require_perm(request, perm: str, obj=None, *, hide: bool = False):
    """None when the user has the permission; else a redirect to log in for a visitor,
    and 403 for a signed-in user without it.

    `hide`: 404 for anyone without it instead, as for an object that does not exist, so
    that whether it exists stays unseen (another municipality's survey). A page that is
    only for signed-in users still sends a visitor to log in first (`login_required`)."""
    if request.user.has_perm(perm, obj):
        return None
    if hide:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


class Refused(PermissionDenied):
    """A service refused: the rule of `perm` does not hold for the user and the object."""

    def __init__(self, perm: str):
        super().__init__(perm)
        self.perm = perm


def ensure_perm(user, perm: str, obj=None) -> None:
    """For services: raise Refused unless the rule of `perm` holds for `user` (None when
    nobody is signed in, as for a command) and `obj`.

    The rule itself is tested, not `user.has_perm`: a superuser passes every has_perm, but
    a process state (a closed survey takes no answers) holds for everyone alike."""
    if not rules.has_perm(perm, user, obj):
        raise Refused(perm)
