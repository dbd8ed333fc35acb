from . import site
from .notifications import unread_count
from .roles import roles_of


def portal(request):
    names = {"site_name": site.site_name(), "federation_name": site.federation_name()}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_roles": frozenset(), "unread_notifications": 0, **names}
    return {"portal_roles": roles_of(user), "unread_notifications": unread_count(user), **names}
